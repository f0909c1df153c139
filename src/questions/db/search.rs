//! The inbox's search by words: which questions the typed words match, or that they match
//! so many that the inbox should walk its scope in its own order testing each question's
//! words instead.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::InboxQuery;
use super::{INBOX_ORDER, TOTAL_CAP};
use crate::directory::query::SearchText;
use crate::ids::RegionId;

/// How many of the scope's questions are tested to tell how common the words are.
const SAMPLE: i64 = 1_000;

/// The region-wide sample is taken from this many equal stretches of the region's numbers, so
/// that it spans the whole history instead of the last weeks' topics (snow in December).
const SAMPLE_STRETCHES: i64 = 20;

/// The costs compared, in questions tested on a walk of the scope (about 0.8 µs each): an
/// entry read from the text index (0.17 µs), and a match read back from its row to be listed
/// (measured: 8,333 matches listed in 35 ms).
const ENTRY_COST: f64 = 0.2;
const MATCH_COST: f64 = 5.0;

/// An exact count is worth up to this much work (about 8 ms); past it the first pages show an
/// estimate, and the exact number is counted for the pages deep in the list that need it.
const EXACT_BUDGET: f64 = 10_000.0;

/// Matches in the sample from which its share is trusted for an estimate (within about a
/// third); rarer words are listed.
const ESTIMATED_FROM: i64 = 10;

/// Pages that start before this many matches are found by walking the scope in the inbox's
/// order testing each question's words (10 pages: at one match in ten, 5,000 questions
/// tested, about 4 ms). Deeper pages read the listed numbers.
pub const WALKED_BEFORE_PAGE: i64 = 500;

/// The words typed in the inbox's search box, unless it is a question's number («#123»).
pub fn typed_words(f: &InboxQuery) -> Option<SearchText> {
    let text = f.q.trim();
    (!text.starts_with('#'))
        .then(|| SearchText::parse(text))
        .flatten()
}

/// What the typed words match in the member's scope.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// The questions the words match, at most `TOTAL_CAP`, in the inbox's order.
    Listed(Vec<i64>),
    /// More questions than the inbox counts.
    BeyondCount,
    /// So common in a small scope that walking it finds and counts them sooner than the
    /// index lists them.
    Common,
    /// So common in a large scope that an exact count would cost more than the page: about
    /// this many, from the sample's share of the scope.
    About(i64),
}

/// What the words match among the questions of the region (of these organizations, when
/// given), for a page starting after `offset` matches.
///
/// The text index reads every match of the words before the first is returned: for a phrase
/// in most questions that is the whole history, however few are shown. So a sample of the
/// scope is tested first; when the words are common there, walking the scope costs less than
/// the index would, and in a large scope the first pages need no exact count.
///
/// Read on a connection outside row-level security, with the region as an explicit
/// condition: under the policy the text index cannot be used (the match operator is not
/// leakproof) and every question of the scope is read. The inbox then reads only these ids,
/// under the policy as always.
pub async fn matching(
    db: &mut PgConnection,
    region: RegionId,
    orgs: Option<&[i64]>,
    words: &SearchText,
    offset: i64,
) -> Result<Found, sqlx::Error> {
    let sample = sample(db, region, orgs, words).await?;
    match sample.way(offset < WALKED_BEFORE_PAGE) {
        Way::Estimate => return Ok(Found::About(sample.estimate())),
        Way::Walk => return Ok(Found::Common),
        Way::List => {}
    }
    // The matches are read back from their rows anyway; sorted there, a page of the inbox
    // reads only its own fifty.
    let mut qb = QueryBuilder::new(
        "with found as materialized (select q.id, q.region_id, q.due_at, q.received_at from questions q where q.search_words @@ ",
    );
    push_query(&mut qb, region, words);
    // The words are stored with their region: they alone find the region's questions in the
    // text index, and the region is checked on the rows found. As a condition of the scan,
    // the planner read the region's whole index to intersect it with the matches (366,755
    // entries for 111 matches, 11 of 20 ms on three years of questions). Organizations'
    // questions are few: there the planner may read them through their index and test their
    // words one by one (a busiest organization's: 1.0 ms against 2.8).
    if orgs.is_some() {
        qb.push(" and q.region_id = ").push_bind(region);
        push_orgs(&mut qb, "q", orgs);
    }
    qb.push(" limit ")
        .push_bind(TOTAL_CAP + 1)
        .push(") select q.id from found q where q.region_id = ")
        .push_bind(region)
        .push(" order by ")
        .push(INBOX_ORDER);
    let found: Vec<i64> = qb
        .build_query_scalar()
        .persistent(false)
        .fetch_all(db)
        .await?;
    Ok(if found.len() as i64 > TOTAL_CAP {
        Found::BeyondCount
    } else {
        Found::Listed(found)
    })
}

/// How `matching` finds the words' questions.
#[derive(Debug, PartialEq)]
enum Way {
    /// Through the text index, every match.
    List,
    /// Walking the scope, counting exactly.
    Walk,
    /// Walking the scope for the page only, the count estimated.
    Estimate,
}

/// How often the words occur in a sample of the scope's questions, how many questions the
/// scope has, and how many the whole table has.
#[derive(Debug, sqlx::FromRow)]
struct Sample {
    tested: i64,
    matched: i64,
    scope: i64,
    whole_table: i64,
}

impl Sample {
    fn share(&self) -> f64 {
        self.matched as f64 / self.tested as f64
    }

    /// The cheaper of listing and walking, unless both cost more than an exact count is worth
    /// and the page is near the start (`near`) where walking finds it without the count.
    ///
    /// The text index reads the words' entries of the scope's region, and each match of the
    /// scope from its row, up to the cap. The region's size is not in the sample: the whole
    /// table stands for it, an upper bound since each region's words are stored apart. The
    /// walk stops once the inbox has counted `TOTAL_CAP` matches, after about
    /// `TOTAL_CAP / share` questions, or at the end of the scope.
    fn way(&self, near: bool) -> Way {
        if self.tested == 0 || self.matched == 0 {
            return Way::List;
        }
        let share = self.share();
        let scope = self.scope as f64;
        let cap = (TOTAL_CAP + 1) as f64;
        let walked = scope.min(cap / share);
        let listed = share * (self.whole_table as f64).max(scope) * ENTRY_COST
            + (share * scope).min(cap) * MATCH_COST;
        if near && self.matched >= ESTIMATED_FROM && walked.min(listed) > EXACT_BUDGET {
            Way::Estimate
        } else if walked < listed {
            Way::Walk
        } else {
            Way::List
        }
    }

    /// The sample's share of the scope, to two significant digits: an estimate claims no
    /// more than it knows.
    fn estimate(&self) -> i64 {
        let exact = (self.share() * self.scope as f64).max(self.matched as f64);
        let unit = 10f64.powi((exact.log10().floor() as i32 - 1).max(0));
        ((exact / unit).round() * unit) as i64
    }
}

async fn sample(
    db: &mut PgConnection,
    region: RegionId,
    orgs: Option<&[i64]>,
    words: &SearchText,
) -> Result<Sample, sqlx::Error> {
    // `ts_match_vq` is the function behind `@@`: called by name, the planner neither reads
    // the text index for it nor takes a common phrase for a rare one.
    let mut qb = QueryBuilder::new(
        "select count(*) as tested, count(*) filter (where ts_match_vq(s.search_words, ",
    );
    push_query(&mut qb, region, words);
    qb.push(")) as matched, (select coalesce(sum(c.questions), 0)::int8 from question_statuses c where c.region_id = ")
        .push_bind(region);
    push_orgs(&mut qb, "c", orgs);
    // The table's size as last analyzed: an estimate is all the comparison needs.
    qb.push(
        ") as scope, (select greatest(c.reltuples, 0)::int8 from pg_class c where c.oid = 'questions'::regclass) as whole_table from ",
    );
    match orgs {
        // Any of the organizations' questions, as their index gives them: sorting them by
        // age first would read them all.
        Some(_) => {
            qb.push("(select q.search_words from questions q where q.region_id = ")
                .push_bind(region);
            push_orgs(&mut qb, "q", orgs);
            qb.push(" limit ").push_bind(SAMPLE).push(") s");
        }
        // The first questions of equal stretches of the region's numbers, along its index of
        // numbers: without an order the planner may read the table from its start, through
        // every other region's questions.
        None => {
            qb.push(
                "(select min(q.id) as low, max(q.id) + 1 as high from questions q where q.region_id = ",
            )
            .push_bind(region)
            .push(") b cross join generate_series(0::int8, ")
            .push_bind(SAMPLE_STRETCHES - 1)
            .push(
                ") w cross join lateral (select q.search_words from questions q where q.region_id = ",
            )
            .push_bind(region)
            .push(
                " and q.id >= b.low + (b.high - b.low) * w / ",
            )
            .push_bind(SAMPLE_STRETCHES)
            .push(" and q.id < b.low + (b.high - b.low) * (w + 1) / ")
            .push_bind(SAMPLE_STRETCHES)
            .push(" order by q.id limit ")
            .push_bind(SAMPLE / SAMPLE_STRETCHES)
            .push(") s");
        }
    }
    qb.build_query_as().persistent(false).fetch_one(db).await
}

/// The words as a text query of the region: each question's words are stored with its region
/// (`region_words` in the migrations), so that the text index reads the region's entries only.
pub(super) fn push_query(
    qb: &mut QueryBuilder<'_, Postgres>,
    region: RegionId,
    words: &SearchText,
) {
    qb.push("region_query(")
        .push_bind(region)
        .push(", to_tsquery('russian', ")
        .push_bind(words.prefixes())
        .push("))");
}

/// `and <table>.organization_id = any(orgs)`, when there are organizations.
///
/// One organization is compared with `=`: PostgreSQL reads an index in order only when no
/// column before the order is matched against a list, and an editor's inbox walks their
/// organization's questions in due order.
pub(super) fn push_orgs(qb: &mut QueryBuilder<'_, Postgres>, table: &str, orgs: Option<&[i64]>) {
    match orgs {
        None => {}
        Some([org]) => {
            qb.push(format!(" and {table}.organization_id = "))
                .push_bind(*org);
        }
        Some(orgs) => {
            qb.push(format!(" and {table}.organization_id = any("))
                .push_bind(orgs.to_vec())
                .push(")");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Sample, Way};

    fn sample(tested: i64, matched: i64, scope: i64, table: i64) -> Sample {
        Sample {
            tested,
            matched,
            scope,
            whole_table: table,
        }
    }

    fn way(tested: i64, matched: i64, scope: i64, table: i64) -> Way {
        sample(tested, matched, scope, table).way(true)
    }

    #[test]
    fn common_words_in_a_large_scope_are_estimated() {
        // In every question of a region of 366,000: the walk stops at the cap, 10,001.
        assert_eq!(way(1_000, 1_000, 366_000, 366_000), Way::Estimate);
        // One in twelve of a school's 100,000: 8,300 matches listed cost 35 ms.
        assert_eq!(way(1_000, 83, 100_000, 122_000), Way::Estimate);
        // A small region of a national table, which bounds the index's entries.
        assert_eq!(way(1_000, 100, 40_000, 5_000_000), Way::Estimate);
        // Deep in the list the page needs the exact count.
        let common = sample(1_000, 83, 100_000, 122_000);
        assert_eq!(common.way(false), Way::List);
    }

    #[test]
    fn common_words_in_a_small_scope_are_walked_and_counted() {
        // One organization's 4,700 questions, the words in every question of the table.
        assert_eq!(way(1_000, 1_000, 4_700, 366_000), Way::Walk);
        assert_eq!(way(3, 1, 3, 3), Way::Walk);
    }

    #[test]
    fn rare_words_use_the_index() {
        // One in 240 of 100,000: 417 matches.
        assert_eq!(way(1_000, 4, 100_000, 122_000), Way::List);
        // One in fifty of 100,000, too few in the sample to estimate from.
        assert_eq!(way(1_000, 9, 100_000, 122_000), Way::List);
        assert_eq!(way(1_000, 0, 5_000_000, 5_000_000), Way::List);
        assert_eq!(way(0, 0, 0, 0), Way::List);
    }

    #[test]
    fn an_estimate_claims_two_digits() {
        assert_eq!(sample(1_000, 83, 100_000, 0).estimate(), 8_300);
        assert_eq!(sample(1_000, 1_000, 366_123, 0).estimate(), 370_000);
        assert_eq!(sample(1_000, 12, 100_000, 0).estimate(), 1_200);
        assert_eq!(sample(1_000, 50, 1_000, 0).estimate(), 50);
        assert_eq!(sample(1_000, 7, 1_000, 0).estimate(), 7);
    }
}
