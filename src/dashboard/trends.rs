//! The region's story over time: registered and verified pages month by month, questions and
//! the median first response week by week, as SVG charts with text descriptions.

use sqlx::PgConnection;

use super::db::trends::{self as db, Monthly, Point};
use crate::activity::chart::{self, Kind};
use crate::i18n::Locale;
use crate::ids::RegionId;

const MONTHS: i64 = 24;
const WEEKS: i64 = 26;

pub struct Charts {
    pub pages: String,
    pub verified: String,
    pub questions: String,
    pub median: String,
}

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
    let pages = db::by_month(
        db,
        Monthly::Registered,
        region,
        ids,
        platform,
        time_zone,
        MONTHS,
    )
    .await?;
    let verified = db::by_month(
        db,
        Monthly::Verified,
        region,
        ids,
        platform,
        time_zone,
        MONTHS,
    )
    .await?;
    let weeks = match summary {
        Some(key) => db::weeks_from_summary(db, region, key, time_zone, WEEKS).await?,
        None => db::weeks_counted(db, region, ids, platform, time_zone, WEEKS).await?,
    };
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
