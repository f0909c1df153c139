//! The last step of the drill-down before a page: one organization in the view's period —
//! its coverage facts, each page with its mark, score and newest figures, and how fast it
//! answers, with links to its pages' cards and to its questions.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use chrono::Utc;

use super::coverage::{self, Flag, OrgFacts, Params};
use super::db::exports::{self as db, Organization};
use super::focus::{Focus, FocusQuery};
use super::red_flags::FlaggedPage;
use super::responsiveness::{self, Calendar, Responsiveness};
use crate::activity::derive::Week;
use crate::error::{AppError, AppResult};
use crate::web::access::RegionOverseer;
use crate::web::chrome::Chrome;
use crate::web::reads::Reads;
use crate::web::render::render;

pub struct PageSummary {
    pub flagged: FlaggedPage,
    pub week: Option<Week>,
}

#[derive(Template)]
#[template(path = "dashboard/organization.html")]
pub struct OrganizationScreen {
    pub chrome: Chrome,
    pub org: Organization,
    pub focus: Focus,
    pub facts: Option<OrgFacts>,
    pub pages: Vec<PageSummary>,
    pub answers: Responsiveness,
    pub answers_before: Responsiveness,
    pub overdue_now: i64,
    pub from_date: String,
}

impl OrganizationScreen {
    pub fn facts_of(&self, o: &OrgFacts) -> Vec<(&'static str, bool)> {
        vec![
            ("with_page", o.has_page),
            ("covered", o.covered),
            ("verified", o.verified),
            ("active", o.active),
            ("connected", o.connected),
        ]
    }

    /// Back up the drill-down: the municipality's view, keeping the filters.
    pub fn back(&self) -> String {
        let f = self.focus.in_municipality(self.org.municipality_id);
        format!("{}/dashboard?{}", self.chrome.region_base(), f.query())
    }

    pub fn inbox_link(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.append_pair("status", "all")
            .append_pair("org", &self.org.id.to_string())
            .append_pair("received_from", &self.from_date);
        format!("{}/questions?{}", self.chrome.region_base(), out.finish())
    }

    pub fn percent(&self, p: &Option<u32>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }

    pub fn percent_text(&self, p: Option<i64>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }

    pub fn hours(&self, minutes: &Option<f64>) -> String {
        minutes
            .map(|m| format!("{:.1}", m / 60.0))
            .unwrap_or_else(|| "—".into())
    }

    pub fn number<T: std::fmt::Display>(&self, n: &Option<T>) -> String {
        n.as_ref()
            .map(|n| n.to_string())
            .unwrap_or_else(|| "—".into())
    }
}

pub async fn organization(
    reads: Reads,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Path((_, id)): Path<(String, i64)>,
    Query(focus): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&focus)?;
    let region = access.region.id;
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    let now = Utc::now();
    let today = crate::regions::time::today_in(&access.region);
    let mut tx = reads.tenant(region).await?;
    let org = db::organization(&mut tx, region, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = crate::questions::db::scope_ids(&mut tx, region, &access.org_scope()).await?;
    if scope.as_ref().is_some_and(|s| !s.contains(&id)) {
        return Err(AppError::NotFound);
    }
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let ids = [id];
    let params = Params {
        region,
        ids: Some(&ids),
        settings: &settings,
        today,
        platform: focus.platform,
    };
    let (mut facts, _) = coverage::organizations(&mut tx, &params, Flag::Obliged, 1, 0).await?;
    let flagged = super::red_flags::pages(
        &mut tx,
        region,
        Some(&ids),
        focus.platform,
        &settings,
        today,
    )
    .await?;
    let page_ids: Vec<i64> = flagged.iter().map(|f| f.page.id.0).collect();
    let latest = crate::activity::db::latest(&mut tx, region, Some(&page_ids)).await?;
    let calendar = Calendar::last(focus.days, now, tz);
    let period = calendar.period(region, Some(&ids), focus.platform, now);
    let overview = responsiveness::overview(&mut tx, &period).await?;
    let overdue_now = responsiveness::overdue_now(&mut tx, &period).await?;
    tx.commit().await?;
    let mut pages: Vec<PageSummary> = flagged
        .into_iter()
        .map(|f| PageSummary {
            week: latest.get(&f.page.id).copied(),
            flagged: f,
        })
        .collect();
    pages.sort_by(|a, b| {
        (&a.flagged.page.platform, &a.flagged.page.url)
            .cmp(&(&b.flagged.page.platform, &b.flagged.page.url))
    });
    render(&OrganizationScreen {
        chrome,
        org,
        from_date: calendar.days.from.to_string(),
        focus,
        facts: facts.pop(),
        pages,
        answers: overview.now,
        answers_before: overview.before,
        overdue_now,
    })
}
