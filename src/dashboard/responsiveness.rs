//! How fast residents get answers, over a period against the one before: received, answered
//! share, median and 90th percentile of the first response in working hours (waiting on the
//! resident excluded), share answered within the deadline — open questions already past it
//! count against it — overdue now, transfers and reopened questions; per municipality and
//! per category. A transferred question counts once, for the organization it is with.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Responsiveness {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub received: i64,
    /// Received less rejected and duplicates: what needed an answer.
    pub considered: i64,
    pub answered: i64,
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub on_time: i64,
    /// Responded, plus still open and already past the first-response deadline.
    pub on_time_base: i64,
    pub transferred: i64,
    pub reopened: i64,
}

impl Responsiveness {
    pub fn answered_percent(&self) -> Option<i64> {
        (self.considered > 0).then(|| self.answered * 100 / self.considered)
    }

    pub fn on_time_percent(&self) -> Option<i64> {
        (self.on_time_base > 0).then(|| self.on_time * 100 / self.on_time_base)
    }
}

pub struct Period<'a> {
    pub region: RegionId,
    pub ids: Option<&'a [i64]>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// Only questions that came through a page of this platform.
    pub platform: Option<&'a str>,
}

const FIGURES: &str = r#"count(*) as received,
    count(*) filter (where q.status not in ('rejected', 'duplicate')) as considered,
    count(*) filter (where q.answered_at is not null) as answered,
    percentile_cont(0.5) within group (order by q.first_response_minutes) as median_minutes,
    percentile_cont(0.9) within group (order by q.first_response_minutes) as p90_minutes,
    count(*) filter (where q.first_response_at is not null and q.first_response_at <= q.first_response_due) as on_time,
    count(*) filter (where q.first_response_at is not null
                     or (q.status in ('new', 'in_progress') and q.paused_at is null and q.first_response_due <= $5)) as on_time_base,
    count(*) filter (where q.transfer_count > 0) as transferred,
    count(*) filter (where q.reopen_count > 0) as reopened"#;

fn bind<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    p: &'q Period<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    q.bind(p.region)
        .bind(p.ids)
        .bind(p.from)
        .bind(p.to)
        .bind(p.now)
}

/// A period's figures next to those of the period of the same length before it.
#[derive(Clone, Debug, Default)]
pub struct Overview {
    pub now: Responsiveness,
    pub before: Responsiveness,
    /// This period per municipality (the regional level has no id), unordered.
    pub by_municipality: Vec<Responsiveness>,
    /// This period per category, the most asked first.
    pub by_category: Vec<Responsiveness>,
    pub by_category_before: Vec<Responsiveness>,
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    current: bool,
    whole: bool,
    per_municipality: bool,
    #[sqlx(flatten)]
    figures: Responsiveness,
}

/// Both periods in one pass over their questions, grouped three ways at once.
pub async fn overview(db: &mut PgConnection, p: &Period<'_>) -> Result<Overview, sqlx::Error> {
    let before_from = p.from - (p.to - p.from);
    let sql = format!(
        r#"select q.received_at >= $3 as current,
                  grouping(o.municipality_id, m.name) = 3 and grouping(q.category) = 1 as whole,
                  grouping(o.municipality_id, m.name) = 0 as per_municipality,
                  o.municipality_id as id, coalesce(m.name, q.category) as name, {FIGURES}
           from questions q
           join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           left join municipalities m on m.region_id = q.region_id and m.id = o.municipality_id
           where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
             and q.received_at >= $6 and q.received_at < $4
             and ($7::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
                                              and pp.id = q.page_id and pp.platform = $7))
           group by grouping sets ((q.received_at >= $3), (q.received_at >= $3, o.municipality_id, m.name),
                                   (q.received_at >= $3, q.category))"#
    );
    let rows: Vec<GroupRow> = bind(sqlx::query_as(&sql), p)
        .bind(before_from)
        .bind(p.platform)
        .fetch_all(db)
        .await?;
    let mut out = Overview::default();
    for r in rows {
        let mut f = r.figures;
        match (r.whole, r.per_municipality, r.current) {
            (true, _, true) => out.now = f,
            (true, _, false) => out.before = f,
            (false, true, true) => out.by_municipality.push(f),
            (false, true, false) => {}
            (false, false, current) => {
                f.id = None;
                if current {
                    out.by_category.push(f);
                } else {
                    out.by_category_before.push(f);
                }
            }
        }
    }
    for c in [&mut out.by_category, &mut out.by_category_before] {
        c.sort_by(|a, b| {
            b.received
                .cmp(&a.received)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    Ok(out)
}

/// Open questions past their deadline now, whatever the period.
pub async fn overdue_now(db: &mut PgConnection, p: &Period<'_>) -> Result<i64, sqlx::Error> {
    // An open question has a due time only while it is being worked on.
    sqlx::query_scalar(
        r#"select count(*) from questions q where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
             and q.due_at <= $3
             and ($4::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
                                              and pp.id = q.page_id and pp.platform = $4))"#,
    )
    .bind(p.region)
    .bind(p.ids)
    .bind(p.now)
    .bind(p.platform)
    .fetch_one(db)
    .await
}

/// This period per organization of the view, for ranking them within a municipality or a
/// sector (the caller narrows `ids`; a whole region has too many to rank on one screen).
pub async fn by_organization(
    db: &mut PgConnection,
    p: &Period<'_>,
) -> Result<Vec<Responsiveness>, sqlx::Error> {
    let sql = format!(
        r#"select o.id, o.name, {FIGURES}
           from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
             and q.received_at >= $3 and q.received_at < $4
             and ($6::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
                                              and pp.id = q.page_id and pp.platform = $6))
           group by o.id, o.name"#
    );
    bind(sqlx::query_as(&sql), p)
        .bind(p.platform)
        .fetch_all(db)
        .await
}

/// Ranked best first by on-time share; those with fewer questions than the region's minimum
/// go last, unranked, so one fast answer does not top the table.
pub fn rank(rows: &mut [Responsiveness], min_questions: i64) {
    rows.sort_by(|a, b| {
        let key = |r: &Responsiveness| {
            let ranked = r.considered >= min_questions;
            (
                ranked,
                r.on_time_percent().unwrap_or(-1),
                -(r.median_minutes.unwrap_or(f64::MAX) as i64),
            )
        };
        key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, considered: i64, on_time: i64) -> Responsiveness {
        Responsiveness {
            name: Some(name.into()),
            considered,
            on_time,
            on_time_base: considered,
            ..Default::default()
        }
    }

    #[test]
    fn one_fast_answer_does_not_top_the_table() {
        let mut rows = vec![
            row("Тихий", 1, 1),
            row("Большой", 50, 40),
            row("Лучший", 20, 19),
        ];
        rank(&mut rows, 10);
        let names: Vec<_> = rows.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, ["Лучший", "Большой", "Тихий"]);
    }

    #[test]
    fn shares_need_a_base() {
        let r = Responsiveness::default();
        assert_eq!((r.answered_percent(), r.on_time_percent()), (None, None));
        let r = Responsiveness {
            considered: 4,
            answered: 3,
            on_time: 1,
            on_time_base: 3,
            ..Default::default()
        };
        assert_eq!(
            (r.answered_percent(), r.on_time_percent()),
            (Some(75), Some(33))
        );
    }
}
