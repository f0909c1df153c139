//! The region's story over time: registered and verified pages month by month, questions and
//! the median first response week by week, as SVG charts with text descriptions.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::activity::chart::{self, Kind};
use crate::i18n::Locale;
use crate::ids::RegionId;

const MONTHS: i64 = 24;
const WEEKS: i64 = 26;

#[derive(Clone, Debug, sqlx::FromRow)]
struct Point {
    at: NaiveDate,
    value: Option<f64>,
}

pub struct Charts {
    pub pages: String,
    pub verified: String,
    pub questions: String,
    pub median: String,
}

async fn series(
    db: &mut PgConnection,
    sql: &str,
    region: RegionId,
    ids: Option<&[i64]>,
    platform: Option<&str>,
    time_zone: &str,
    span: i64,
) -> Result<Vec<Point>, sqlx::Error> {
    sqlx::query_as(sql)
        .bind(region)
        .bind(ids)
        .bind(time_zone)
        .bind(span)
        .bind(platform)
        .fetch_all(db)
        .await
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

#[derive(Clone, Debug, sqlx::FromRow)]
struct WeekFigures {
    at: NaiveDate,
    received: f64,
    median_minutes: Option<f64>,
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

fn describe(l: Locale, key: &str, points: &[Point]) -> String {
    let known: Vec<&Point> = points.iter().filter(|p| p.value.is_some()).collect();
    match (known.first(), known.last()) {
        (Some(a), Some(b)) => l.t_args(
            key,
            &[
                ("from", chart::format_number(a.value.unwrap_or(0.0)).into()),
                ("from_date", a.at.format("%d.%m.%Y").to_string().into()),
                (
                    "to",
                    chart::format_number((b.value.unwrap_or(0.0) * 10.0).round() / 10.0).into(),
                ),
                ("to_date", b.at.format("%d.%m.%Y").to_string().into()),
            ],
        ),
        _ => l.t("chart-no-data"),
    }
}

fn draw(
    id: &str,
    title_key: &str,
    desc_key: &str,
    points: &[Point],
    kind: Kind,
    l: Locale,
    monthly: bool,
) -> String {
    let format = if monthly { "%m.%Y" } else { "%d.%m" };
    let labelled: Vec<(String, Option<f64>)> = points
        .iter()
        .map(|p| (p.at.format(format).to_string(), p.value))
        .collect();
    chart::svg(
        id,
        &l.t(title_key),
        &describe(l, desc_key, points),
        &labelled,
        kind,
    )
}

/// The four charts of the scope: `ids` the organizations in it (none: the whole region),
/// `platform` the one platform looked at, `summary` the weekly summary row that stands for
/// the same scope, when there is one (never with a platform).
pub async fn charts(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    platform: Option<&str>,
    summary: Option<i64>,
    time_zone: &str,
    l: Locale,
) -> Result<Charts, sqlx::Error> {
    let pages = series(db, PAGES, region, ids, platform, time_zone, MONTHS).await?;
    let verified = series(db, VERIFIED, region, ids, platform, time_zone, MONTHS).await?;
    let weeks: Vec<WeekFigures> = match summary {
        Some(key) => sqlx::query_as(WEEKS_SUMMARY)
            .bind(region)
            .bind(key)
            .bind(time_zone)
            .bind(WEEKS),
        None => sqlx::query_as(WEEKS_LIVE)
            .bind(region)
            .bind(ids)
            .bind(time_zone)
            .bind(WEEKS)
            .bind(platform),
    }
    .fetch_all(&mut *db)
    .await?;
    let questions: Vec<Point> = weeks
        .iter()
        .map(|w| Point {
            at: w.at,
            value: Some(w.received),
        })
        .collect();
    let median: Vec<Point> = weeks
        .iter()
        .map(|w| Point {
            at: w.at,
            value: w.median_minutes.map(|m| m / 60.0),
        })
        .collect();
    Ok(Charts {
        pages: draw(
            "trend-pages",
            "trend-pages",
            "trend-pages-desc",
            &pages,
            Kind::Line,
            l,
            true,
        ),
        verified: draw(
            "trend-verified",
            "trend-verified",
            "trend-verified-desc",
            &verified,
            Kind::Line,
            l,
            true,
        ),
        questions: draw(
            "trend-questions",
            "trend-questions",
            "trend-questions-desc",
            &questions,
            Kind::Bars,
            l,
            false,
        ),
        median: draw(
            "trend-median",
            "trend-median",
            "trend-median-desc",
            &median,
            Kind::Line,
            l,
            false,
        ),
    })
}
