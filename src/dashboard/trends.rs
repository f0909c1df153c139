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
    time_zone: &str,
    span: i64,
) -> Result<Vec<Point>, sqlx::Error> {
    sqlx::query_as(sql)
        .bind(region)
        .bind(ids)
        .bind(time_zone)
        .bind(span)
        .fetch_all(db)
        .await
}

/// Pages registered (cumulative, by month of registration) in scope.
const PAGES: &str = r#"
    with months as (
        select generate_series(date_trunc('month', now() at time zone $3) - make_interval(months => $4::int - 1),
                               date_trunc('month', now() at time zone $3), interval '1 month')::date as at
    )
    select m.at, (select count(*) from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
                  where p.region_id = $1 and ($2::bigint[] is null or o.id = any($2))
                    and (p.created_at at time zone $3)::date < m.at + interval '1 month')::float8 as value
    from months m order by m.at"#;

/// Pages holding the mark at the end of each month, from the dated mark history.
const VERIFIED: &str = r#"
    with months as (
        select generate_series(date_trunc('month', now() at time zone $3) - make_interval(months => $4::int - 1),
                               date_trunc('month', now() at time zone $3), interval '1 month')::date as at
    )
    select m.at, (select coalesce(sum(case when e.status = 'granted' then 1 when e.from_status = 'granted' then -1 else 0 end), 0)
                  from page_mark_events e join pages p on p.region_id = e.region_id and p.id = e.page_id
                  where e.region_id = $1 and ($2::bigint[] is null or p.organization_id = any($2))
                    and e.happened_on < m.at + interval '1 month')::float8 as value
    from months m order by m.at"#;

const QUESTIONS: &str = r#"
    with weeks as (
        select generate_series(date_trunc('week', now() at time zone $3) - make_interval(weeks => $4::int - 1),
                               date_trunc('week', now() at time zone $3), interval '1 week')::date as at
    )
    select w.at, count(q.id)::float8 as value
    from weeks w left join questions q on q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
        and (q.received_at at time zone $3) >= w.at and (q.received_at at time zone $3) < w.at + 7
    group by w.at order by w.at"#;

const MEDIAN: &str = r#"
    with weeks as (
        select generate_series(date_trunc('week', now() at time zone $3) - make_interval(weeks => $4::int - 1),
                               date_trunc('week', now() at time zone $3), interval '1 week')::date as at
    )
    select w.at, (percentile_cont(0.5) within group (order by q.first_response_minutes) / 60.0)::float8 as value
    from weeks w left join questions q on q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
        and (q.received_at at time zone $3) >= w.at and (q.received_at at time zone $3) < w.at + 7
    group by w.at order by w.at"#;

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

pub async fn charts(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    time_zone: &str,
    l: Locale,
) -> Result<Charts, sqlx::Error> {
    let pages = series(db, PAGES, region, ids, time_zone, MONTHS).await?;
    let verified = series(db, VERIFIED, region, ids, time_zone, MONTHS).await?;
    let questions = series(db, QUESTIONS, region, ids, time_zone, WEEKS).await?;
    let median = series(db, MEDIAN, region, ids, time_zone, WEEKS).await?;
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
