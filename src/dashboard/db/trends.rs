//! SQL of the trend charts: pages and verified pages by month, questions and the median
//! first response by week, live from the rows or from the weekly summary.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Point {
    pub at: NaiveDate,
    pub value: Option<f64>,
}

/// Pages registered (cumulative, by month of registration) in scope.
const PAGES: &str = r#"
    with months as (
        select generate_series(date_trunc('month', now() at time zone $3) - make_interval(months => $4::int - 1),
                               date_trunc('month', now() at time zone $3), interval '1 month')::date as at
    ), added as materialized (
        select date_trunc('month', p.created_at at time zone $3)::date as at, count(*) as n
        from pages p where p.region_id = $1 and ($2::bigint[] is null or p.organization_id = any($2))
          and ($5::text is null or p.platform = $5)
        group by 1
    )
    select m.at, (select coalesce(sum(a.n), 0) from added a where a.at <= m.at)::float8 as value
    from months m order by m.at"#;

/// Pages holding the mark at the end of each month, from the dated mark history.
const VERIFIED: &str = r#"
    with months as (
        select generate_series(date_trunc('month', now() at time zone $3) - make_interval(months => $4::int - 1),
                               date_trunc('month', now() at time zone $3), interval '1 month')::date as at
    ), changes as materialized (
        select date_trunc('month', e.happened_on)::date as at,
               sum(case when e.status = 'granted' then 1 when e.from_status = 'granted' then -1 else 0 end) as n
        from page_mark_events e join pages p on p.region_id = e.region_id and p.id = e.page_id
        where e.region_id = $1 and ($2::bigint[] is null or p.organization_id = any($2))
          and ($5::text is null or p.platform = $5)
        group by 1
    )
    select m.at, (select coalesce(sum(c.n), 0) from changes c where c.at <= m.at)::float8 as value
    from months m order by m.at"#;

/// Either monthly series for the whole region, from the monthly summary (`page_months`).
const MONTHS_SUMMARY: &str = r#"
    with months as (
        select generate_series(date_trunc('month', now() at time zone $2) - make_interval(months => $3::int - 1),
                               date_trunc('month', now() at time zone $2), interval '1 month')::date as at
    ), changes as materialized (
        select s.month as at, sum(case when $5 then s.granted else s.registered end) as n
        from page_months s
        where s.region_id = $1 and ($4::text is null or s.platform = $4)
        group by 1
    )
    select m.at, (select coalesce(sum(c.n), 0) from changes c where c.at <= m.at)::float8 as value
    from months m order by m.at"#;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WeekFigures {
    pub at: NaiveDate,
    pub received: f64,
    pub median_minutes: Option<f64>,
}

/// Questions and the median first response per week, counted from the questions: for scopes
/// the weekly summary does not hold (a founder's subtree, a sector, a level).
const WEEKS_LIVE: &str = r#"
    with weeks as (
        select generate_series(date_trunc('week', now() at time zone $3) - make_interval(weeks => $4::int - 1),
                               date_trunc('week', now() at time zone $3), interval '1 week')::date as at
    ), counted as (
        select date_trunc('week', q.received_at at time zone $3)::date as at, count(*) as received,
               percentile_cont(0.5) within group (order by q.first_response_minutes) as median_minutes
        from questions q
        where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
          and q.received_at >= ((select min(at) from weeks)::timestamp at time zone $3)
          and ($5::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
                                           and pp.id = q.page_id and pp.platform = $5))
        group by 1
    )
    select w.at, coalesce(c.received, 0)::float8 as received, c.median_minutes
    from weeks w left join counted c on c.at = w.at order by w.at"#;

/// The same from the weekly summary: the whole region (0) or one municipality.
const WEEKS_SUMMARY: &str = r#"
    with weeks as (
        select generate_series(date_trunc('week', now() at time zone $3) - make_interval(weeks => $4::int - 1),
                               date_trunc('week', now() at time zone $3), interval '1 week')::date as at
    )
    select w.at, coalesce(s.received, 0)::float8 as received, s.median_first_response_minutes as median_minutes
    from weeks w left join question_weeks s on s.region_id = $1 and s.municipality_id = $2 and s.week = w.at
    order by w.at"#;

/// A month-by-month count of the scope's pages.
#[derive(Clone, Copy, Debug)]
pub enum Monthly {
    /// Pages registered by the end of each month.
    Registered,
    /// Pages holding the mark at the end of each month.
    Verified,
}

/// The last `months` months of a series, oldest first: for the whole region (`ids` none)
/// from the monthly summary.
pub async fn by_month(
    db: &mut PgConnection,
    which: Monthly,
    region: RegionId,
    ids: Option<&[i64]>,
    platform: Option<&str>,
    time_zone: &str,
    months: i64,
) -> Result<Vec<Point>, sqlx::Error> {
    if ids.is_none() {
        return sqlx::query_as(MONTHS_SUMMARY)
            .bind(region)
            .bind(time_zone)
            .bind(months)
            .bind(platform)
            .bind(matches!(which, Monthly::Verified))
            .fetch_all(db)
            .await;
    }
    let sql = match which {
        Monthly::Registered => PAGES,
        Monthly::Verified => VERIFIED,
    };
    sqlx::query_as(sql)
        .bind(region)
        .bind(ids)
        .bind(time_zone)
        .bind(months)
        .bind(platform)
        .fetch_all(db)
        .await
}

pub async fn weeks_counted(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    platform: Option<&str>,
    time_zone: &str,
    weeks: i64,
) -> Result<Vec<WeekFigures>, sqlx::Error> {
    sqlx::query_as(WEEKS_LIVE)
        .bind(region)
        .bind(ids)
        .bind(time_zone)
        .bind(weeks)
        .bind(platform)
        .fetch_all(db)
        .await
}

/// `summary`: 0 for the whole region, or a municipality's id.
pub async fn weeks_from_summary(
    db: &mut PgConnection,
    region: RegionId,
    summary: i64,
    time_zone: &str,
    weeks: i64,
) -> Result<Vec<WeekFigures>, sqlx::Error> {
    sqlx::query_as(WEEKS_SUMMARY)
        .bind(region)
        .bind(summary)
        .bind(time_zone)
        .bind(weeks)
        .fetch_all(db)
        .await
}
