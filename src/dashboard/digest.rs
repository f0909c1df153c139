//! The weekly digest coordinators print for the governor: this week against last, coverage
//! and answers by municipality, the topics residents wrote about, and who is furthest behind.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

use super::coverage::{self, Coverage, Params};
pub use super::db::digest::Laggard;
use super::export::{Cell, Sheet};
use super::responsiveness::{self, Period, Responsiveness};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::RegionId;
use crate::state::AppState;
use crate::web::access::OrgScope;
use crate::web::access::RegionOverseer;
use crate::web::chrome::Chrome;
use crate::web::render::render;

/// Organizations listed among the furthest behind.
const WORST: i64 = 5;

/// A municipality's line: coverage now and this week's answers.
pub struct Line {
    pub name: Option<String>,
    pub coverage: Coverage,
    pub answers: Option<Responsiveness>,
}

/// The digest's figures for one scope, whatever it is shown on: the printable page, the
/// workbook, the Monday mail.
pub struct Digest {
    pub from: String,
    pub to: String,
    pub week: Responsiveness,
    pub before: Responsiveness,
    pub coverage: Coverage,
    pub lines: Vec<Line>,
    pub categories: Vec<(String, i64, i64)>,
    pub laggards: Vec<Laggard>,
    pub overdue_now: i64,
}

#[derive(Template)]
#[template(path = "dashboard/digest.html")]
pub struct DigestScreen {
    pub chrome: Chrome,
    pub d: Digest,
}

impl DigestScreen {
    pub fn share(&self, part: &i64, whole: &i64) -> String {
        if *whole == 0 {
            "—".into()
        } else {
            format!("{}%", part * 100 / whole)
        }
    }

    pub fn percent(&self, p: Option<i64>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }

    pub fn hours(&self, m: &Option<f64>) -> String {
        m.map(|m| format!("{:.1}", m / 60.0))
            .unwrap_or_else(|| "—".into())
    }
}

/// The week up to `now` against the week before, for the organizations of `scope`.
pub async fn build(
    db: &mut PgConnection,
    region: RegionId,
    time_zone: &str,
    scope: &OrgScope,
    now: DateTime<Utc>,
) -> Result<Digest, sqlx::Error> {
    let tz = crate::regions::time::zone_of(time_zone);
    let today = now.with_timezone(&tz).date_naive();
    let settings = crate::settings::db::get(db, region).await?;
    let ids = crate::questions::db::scope_ids(db, region, scope).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today,
        platform: None,
    };
    let coverage::Tables {
        total: coverage,
        municipalities: by_municipality,
        ..
    } = coverage::tables(db, &params).await?;
    let week = Period {
        region,
        ids: ids.as_deref(),
        before: now - Duration::days(14),
        from: now - Duration::days(7),
        to: now,
        now,
        platform: None,
    };
    let responsiveness::Overview {
        now: week_figures,
        before,
        by_municipality: answers,
        by_category: this_topics,
        by_category_before: last_topics,
    } = responsiveness::overview(db, &week).await?;
    let overdue_now = responsiveness::overdue_now(db, &week).await?;
    let laggards = super::db::digest::laggards(db, region, ids.as_deref(), now, WORST).await?;
    let lines = by_municipality
        .into_iter()
        .map(|c| Line {
            name: c.name.clone(),
            answers: answers.iter().find(|a| a.id == c.id).cloned(),
            coverage: c,
        })
        .collect();
    let categories = this_topics
        .iter()
        .take(3)
        .map(|t| {
            let name = t.name.clone().unwrap_or_default();
            let before = last_topics
                .iter()
                .find(|b| b.name == t.name)
                .map_or(0, |b| b.received);
            (name, t.received, before)
        })
        .collect();
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%d.%m.%Y").to_string();
    Ok(Digest {
        from: local(week.from),
        to: local(now),
        week: week_figures,
        before,
        coverage,
        lines,
        categories,
        laggards,
        overdue_now,
    })
}

pub async fn digest(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let d = build(
        &mut tx,
        region,
        &access.region.time_zone,
        &access.org_scope(),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    render(&DigestScreen { chrome, d })
}

/// The digest as a workbook: the week's figures, municipalities, topics, the furthest behind.
pub async fn digest_xlsx(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
) -> AppResult<Response> {
    let region = access.region.id;
    let now = Utc::now();
    let mut tx = state.tenant(region).await?;
    let d = build(
        &mut tx,
        region,
        &access.region.time_zone,
        &access.org_scope(),
        now,
    )
    .await?;
    tx.commit().await?;
    let bytes = workbook(&d, chrome.locale).map_err(|e| AppError::Internal(e.into()))?;
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    let file = format!(
        "{}-digest-{}.xlsx",
        access.region.slug,
        now.with_timezone(&tz).date_naive()
    );
    Ok(super::export::download(bytes, super::export::XLSX, &file))
}

fn share(part: i64, whole: i64) -> Cell {
    Cell::Share((whole > 0).then(|| part as f64 / whole as f64))
}

fn percent(p: Option<i64>) -> Cell {
    Cell::Share(p.map(|p| p as f64 / 100.0))
}

fn hours(m: Option<f64>) -> Cell {
    Cell::Number(m.map(|m| (m / 6.0).round() / 10.0))
}

pub fn workbook(d: &Digest, l: Locale) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let week = |key: &str, now: Cell, before: Cell| vec![Cell::Text(l.t(key)), now, before];
    let totals = Sheet {
        name: format!("{} {} — {}", l.t("digest-title"), d.from, d.to),
        header: vec![
            String::new(),
            l.t("digest-this-week"),
            l.t("digest-last-week"),
        ],
        rows: vec![
            week(
                "answers-received",
                Cell::Count(d.week.received),
                Cell::Count(d.before.received),
            ),
            week(
                "answers-answered",
                percent(d.week.answered_percent()),
                percent(d.before.answered_percent()),
            ),
            week(
                "answers-on-time",
                percent(d.week.on_time_percent()),
                percent(d.before.on_time_percent()),
            ),
            week(
                "answers-median",
                hours(d.week.median_minutes),
                hours(d.before.median_minutes),
            ),
            week(
                "answers-overdue-now",
                Cell::Count(d.overdue_now),
                Cell::Text(String::new()),
            ),
            week(
                "coverage-obliged",
                Cell::Count(d.coverage.obliged),
                Cell::Text(String::new()),
            ),
            week(
                "coverage-with_page",
                share(d.coverage.with_page, d.coverage.obliged),
                Cell::Text(String::new()),
            ),
            week(
                "coverage-verified",
                share(d.coverage.verified, d.coverage.obliged),
                Cell::Text(String::new()),
            ),
            week(
                "coverage-connected",
                share(d.coverage.connected, d.coverage.obliged),
                Cell::Text(String::new()),
            ),
        ],
    };
    let municipalities = Sheet {
        name: l.t("digest-by-municipality"),
        header: vec![
            l.t("dashboard-column-municipality"),
            l.t("coverage-obliged"),
            l.t("coverage-with_page"),
            l.t("coverage-verified"),
            l.t("answers-received"),
            l.t("answers-on-time"),
        ],
        rows: d
            .lines
            .iter()
            .map(|line| {
                vec![
                    Cell::Text(
                        line.name
                            .clone()
                            .unwrap_or_else(|| l.t("dashboard-regional-level")),
                    ),
                    Cell::Count(line.coverage.obliged),
                    share(line.coverage.with_page, line.coverage.obliged),
                    share(line.coverage.verified, line.coverage.obliged),
                    Cell::Count(line.answers.as_ref().map_or(0, |a| a.received)),
                    percent(line.answers.as_ref().and_then(|a| a.on_time_percent())),
                ]
            })
            .collect(),
    };
    let topics = Sheet {
        name: l.t("answers-top-categories"),
        header: vec![
            l.t("field-category"),
            l.t("digest-this-week"),
            l.t("digest-last-week"),
        ],
        rows: d
            .categories
            .iter()
            .map(|(name, now, before)| {
                vec![
                    Cell::Text(name.clone()),
                    Cell::Count(*now),
                    Cell::Count(*before),
                ]
            })
            .collect(),
    };
    let laggards = Sheet {
        name: l.t("digest-laggards"),
        header: vec![l.t("field-organization"), l.t("answers-overdue-now")],
        rows: d
            .laggards
            .iter()
            .map(|o| vec![Cell::Text(o.name.clone()), Cell::Count(o.overdue)])
            .collect(),
    };
    super::export::workbook(&[totals, municipalities, topics, laggards])
}

/// The mail's text: the figures a coordinator reads on the way to the office.
pub fn mail_text(d: &Digest, l: Locale, link: &str) -> String {
    let pct = |p: Option<i64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let mut out = format!("{} {} — {}\n\n", l.t("digest-title"), d.from, d.to);
    for (key, now, before) in [
        (
            "answers-received",
            d.week.received.to_string(),
            d.before.received.to_string(),
        ),
        (
            "answers-answered",
            pct(d.week.answered_percent()),
            pct(d.before.answered_percent()),
        ),
        (
            "answers-on-time",
            pct(d.week.on_time_percent()),
            pct(d.before.on_time_percent()),
        ),
    ] {
        out.push_str(&format!(
            "{}: {now} ({}: {before})\n",
            l.t(key),
            l.t("digest-last-week")
        ));
    }
    out.push_str(&format!(
        "{}: {}\n",
        l.t("answers-overdue-now"),
        d.overdue_now
    ));
    if !d.laggards.is_empty() {
        out.push_str(&format!("\n{}:\n", l.t("digest-laggards")));
        for o in &d.laggards {
            out.push_str(&format!("— {}: {}\n", o.name, o.overdue));
        }
    }
    out.push_str(&format!("\n{}: {link}\n", l.t("digest-mail-link")));
    out
}
