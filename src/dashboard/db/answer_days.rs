//! SQL of the region's answer figures from the daily and monthly summaries (`answer_days`,
//! `answer_months`, read together by `answer_period`: whole months, and the days at the
//! periods' edges): the counts of a run of days and the one before, with the questions still
//! waiting past their first-response deadline at the time asked, and the first-response
//! minutes behind the percentiles.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::ids::RegionId;

/// Whole region: the row kept for all its organizations.
pub const WHOLE: i64 = -1;

/// Days `from..=to` against `before..from`, in the region's calendar.
#[derive(Clone, Copy, Debug)]
pub struct DayRange {
    pub before: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Counts {
    pub current: bool,
    /// `WHOLE`, a municipality, or 0 for organizations outside any.
    pub municipality_id: i64,
    pub name: Option<String>,
    /// Empty: every category.
    pub category: String,
    pub received: i64,
    pub considered: i64,
    pub answered: i64,
    pub responded: i64,
    pub on_time: i64,
    pub transferred: i64,
    pub reopened: i64,
    /// Still waiting for a first response while being worked on, past its deadline at `now`.
    pub waiting: i64,
}

pub async fn counts(
    db: &mut PgConnection,
    region: RegionId,
    days: DayRange,
    now: DateTime<Utc>,
) -> Result<Vec<Counts>, sqlx::Error> {
    sqlx::query_as(
        r#"select c.*, m.name
           from (select d.current, d.municipality_id, d.category,
                        sum(d.received)::int8 as received, sum(d.considered)::int8 as considered,
                        sum(d.answered)::int8 as answered, sum(d.responded)::int8 as responded,
                        sum(d.on_time)::int8 as on_time, sum(d.transferred)::int8 as transferred,
                        sum(d.reopened)::int8 as reopened,
                        -- The deadlines are sorted: a binary search counts those passed.
                        sum(width_bucket($5::timestamptz, d.waiting_due))::int8 as waiting
                 from answer_period($1, $3, $2, $4) d
                 -- The period before is compared as a whole and by category only.
                 where d.current or d.municipality_id = -1
                 group by 1, 2, 3) c
           left join municipalities m on m.region_id = $1 and m.id = c.municipality_id"#,
    )
    .bind(region)
    .bind(days.from)
    .bind(days.before)
    .bind(days.to)
    .bind(now)
    .fetch_all(db)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct Minutes {
    pub current: bool,
    pub municipality_id: i64,
    /// First-response minutes of one day, sorted.
    pub minutes: Vec<i32>,
}

/// The minutes of every municipality's days in the period, and of the whole region's days
/// before it: the period's whole is the union of its municipalities.
pub async fn minutes(
    db: &mut PgConnection,
    region: RegionId,
    days: DayRange,
) -> Result<Vec<Minutes>, sqlx::Error> {
    sqlx::query_as(
        r#"select d.current, d.municipality_id, d.minutes
           from answer_period($1, $3, $2, $4) d
           where d.category = '' and cardinality(d.minutes) > 0
             and (case when d.current then d.municipality_id <> -1 else d.municipality_id = -1 end)"#,
    )
    .bind(region)
    .bind(days.from)
    .bind(days.before)
    .bind(days.to)
    .fetch_all(db)
    .await
}
