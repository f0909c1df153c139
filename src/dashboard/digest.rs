//! The weekly digest coordinators print for the governor: this week against last, coverage
//! and answers by municipality, the topics residents wrote about, and who is furthest behind.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Duration, Utc};

use super::coverage::{self, Coverage, Params};
use super::responsiveness::{self, Period, Responsiveness};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::RegionOverseer;
use crate::web::chrome::Chrome;
use crate::web::render::render;

/// Organizations listed among the furthest behind.
const WORST: i64 = 5;

#[derive(sqlx::FromRow)]
pub struct Laggard {
    pub id: i64,
    pub name: String,
    pub overdue: i64,
}

/// A municipality's line: coverage now and this week's answers.
pub struct Line {
    pub name: Option<String>,
    pub coverage: Coverage,
    pub answers: Option<Responsiveness>,
}

#[derive(Template)]
#[template(path = "dashboard/digest.html")]
pub struct DigestPage {
    pub chrome: Chrome,
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

impl DigestPage {
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

pub async fn digest(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
) -> AppResult<Response> {
    let region = access.region.id;
    let tz = crate::questions::view::tz_of(&access.region.time_zone);
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let ids = crate::questions::db::scope_ids(&mut tx, region, &access.org_scope()).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today,
    };
    let coverage::Tables {
        total: coverage,
        municipalities: by_municipality,
        ..
    } = coverage::tables(&mut tx, &params).await?;
    let week = Period {
        region,
        ids: ids.as_deref(),
        from: now - Duration::days(7),
        to: now,
        now,
    };
    let responsiveness::Overview {
        now: week_figures,
        before,
        by_municipality: answers,
        by_category: this_topics,
        by_category_before: last_topics,
    } = responsiveness::overview(&mut tx, &week).await?;
    let overdue_now = responsiveness::overdue_now(&mut tx, region, ids.as_deref(), now).await?;
    let laggards: Vec<Laggard> = sqlx::query_as(
        r#"select o.id, o.name, count(*) as overdue
           from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
             and q.due_at <= $3 and q.status in ('new', 'in_progress', 'answered')
           group by o.id, o.name order by count(*) desc, o.name limit $4"#,
    )
    .bind(region)
    .bind(ids.as_deref())
    .bind(now)
    .bind(WORST)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
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
    let local = |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%d.%m.%Y").to_string();
    render(&DigestPage {
        from: local(week.from),
        to: local(now),
        chrome,
        week: week_figures,
        before,
        coverage,
        lines,
        categories,
        laggards,
        overdue_now,
    })
}
