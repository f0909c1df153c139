//! The inbox's search by words: which questions the typed words match, or that they match
//! so many that the inbox should walk its scope in its own order testing each question's
//! words instead.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::InboxQuery;
use super::TOTAL_CAP;
use crate::directory::query::SearchText;
use crate::ids::RegionId;

/// How many of the scope's questions are tested to tell how common the words are.
const SAMPLE: i64 = 1_000;

/// A question's words tested while walking the scope cost about as much as this many entries
/// read from the text index (measured: 0.8 µs against 0.17 µs).
const WALK_COST: f64 = 5.0;

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
    /// The questions the words match, at most `TOTAL_CAP`.
    Listed(Vec<i64>),
    /// More questions than the inbox counts.
    BeyondCount,
    /// So common in the scope that walking it finds them sooner; how many is not known.
    Common,
}

/// What the words match among the questions of the region (of these organizations, when
/// given).
///
/// The text index reads every match of the words before the first is returned: for a phrase
/// in most questions that is the whole history, however few are shown. So a sample of the
/// scope is tested first; when the words are common there, walking the scope costs less than
/// the index would.
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
) -> Result<Found, sqlx::Error> {
    let common = sample(db, region, orgs, words).await?;
    if common.walk_is_cheaper() {
        return Ok(Found::Common);
    }
    let mut qb = QueryBuilder::new("select q.id from questions q where q.region_id = ");
    qb.push_bind(region);
    push_orgs(&mut qb, "q", orgs);
    qb.push(" and q.search_words @@ to_tsquery('russian', ")
        .push_bind(words.prefixes())
        .push(") limit ")
        .push_bind(TOTAL_CAP + 1);
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
    /// The text index reads the words' entries of the whole table, every region's, whatever
    /// the scope. The walk stops once the inbox has counted `TOTAL_CAP` matches, after about
    /// `TOTAL_CAP / share` questions, or at the end of the scope.
    fn walk_is_cheaper(&self) -> bool {
        if self.tested == 0 || self.matched == 0 {
            return false;
        }
        let share = self.matched as f64 / self.tested as f64;
        let scope = self.scope as f64;
        let walked = scope.min(TOTAL_CAP as f64 / share);
        let indexed = share * (self.whole_table as f64).max(scope);
        WALK_COST * walked < indexed
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
        "select count(*) as tested, count(*) filter (where ts_match_vq(s.search_words, to_tsquery('russian', ",
    );
    qb.push_bind(words.prefixes())
        .push("))) as matched, (select coalesce(sum(c.questions), 0)::int8 from question_statuses c where c.region_id = ")
        .push_bind(region);
    push_orgs(&mut qb, "c", orgs);
    // The table's size as last analyzed: an estimate is all the comparison needs.
    qb.push(
        ") as scope, (select greatest(c.reltuples, 0)::int8 from pg_class c where c.oid = 'questions'::regclass) as whole_table \
         from (select q.search_words from questions q where q.region_id = ",
    )
    .push_bind(region);
    match orgs {
        // Any of the organizations' questions, as their index gives them: sorting them by
        // age first would read them all.
        Some(_) => push_orgs(&mut qb, "q", orgs),
        // The region's last filed, along its index of numbers: without an order the planner
        // may read the table from its start, through every other region's questions, and
        // by the time received they lie scattered over the table.
        None => {
            qb.push(" order by q.region_id desc, q.id desc");
        }
    }
    qb.push(" limit ").push_bind(SAMPLE).push(") s");
    qb.build_query_as().persistent(false).fetch_one(db).await
}

/// `and <table>.organization_id = any(orgs)`, when there are organizations.
pub(super) fn push_orgs(qb: &mut QueryBuilder<'_, Postgres>, table: &str, orgs: Option<&[i64]>) {
    if let Some(orgs) = orgs {
        qb.push(format!(" and {table}.organization_id = any("))
            .push_bind(orgs.to_vec())
            .push(")");
    }
}

#[cfg(test)]
mod tests {
    use super::Sample;

    fn walk(tested: i64, matched: i64, scope: i64, table: i64) -> bool {
        Sample {
            tested,
            matched,
            scope,
            whole_table: table,
        }
        .walk_is_cheaper()
    }

    #[test]
    fn common_words_are_walked_to() {
        // In every question of a region of 366,000: the index reads them all, the walk 10,001.
        assert!(walk(1_000, 1_000, 366_000, 366_000));
        // In one of two: 183,000 entries against 20,000 questions tested.
        assert!(walk(1_000, 500, 366_000, 366_000));
        // One organization's 4,700 questions, the words in every question of the table.
        assert!(walk(1_000, 1_000, 4_700, 366_000));
        // A small region of a national table: the index reads every region's matches.
        assert!(walk(1_000, 100, 40_000, 5_000_000));
    }

    #[test]
    fn rare_words_or_a_small_table_use_the_index() {
        // In one of ten: 36,600 entries against 100,000 questions.
        assert!(!walk(1_000, 100, 366_000, 366_000));
        assert!(!walk(1_000, 1_000, 40_000, 40_000));
        assert!(!walk(1_000, 0, 5_000_000, 5_000_000));
        assert!(!walk(3, 1, 3, 3));
        assert!(!walk(0, 0, 0, 0));
    }
}
