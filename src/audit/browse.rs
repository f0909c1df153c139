//! The admin's view of the region's audit log: filtered by person, object, action and dates,
//! newest first, paginated; times in the region's time zone.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use super::db::{self, AuditFilter, AuditRow};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::{like_pattern, optional};
use crate::web::pager::{PAGE_SIZE, Pager, offset, page_number};
use crate::web::render::render;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub person: String,
    pub object: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl AuditQuery {
    fn date(value: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
    }

    /// The filters as a query string, for the pager's links.
    fn link_base(&self, base: &str) -> String {
        let q: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("person", &self.person)
            .append_pair("object", &self.object)
            .append_pair("action", &self.action)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .finish();
        format!("{base}?{q}")
    }
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct AuditScreen {
    pub chrome: Chrome,
    pub rows: Vec<AuditRow>,
    pub query: AuditQuery,
    pub pager: Pager,
    pub actions: Vec<String>,
    pub objects: Vec<String>,
    pub tz: chrono_tz::Tz,
    pub bad_dates: bool,
}

impl AuditScreen {
    pub fn when(&self, row: &AuditRow) -> String {
        row.created_at
            .with_timezone(&self.tz)
            .format("%d.%m.%Y %H:%M:%S")
            .to_string()
    }

    pub fn details(&self, row: &AuditRow) -> String {
        match &row.details.0 {
            serde_json::Value::Object(map) if map.is_empty() => String::new(),
            v => v.to_string(),
        }
    }

    pub fn object_link(&self, row: &AuditRow) -> Option<String> {
        let base = self.chrome.region_base();
        match (row.object_type.as_str(), row.object_id) {
            ("organization", Some(id)) => Some(format!("{base}/orgs/{id}")),
            ("page", Some(id)) => Some(format!("{base}/pages/{id}")),
            ("import", Some(id)) => Some(format!("{base}/imports/{id}")),
            _ => None,
        }
    }
}

pub async fn list(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
    Query(query): Query<AuditQuery>,
) -> AppResult<Response> {
    let region = access.region.id;
    let tz = crate::regions::time::zone(&access.region);
    // Dates are the region's calendar days: "to 2026-11-28" includes that whole day there.
    let bound = |value: &str, plus_days: i64| {
        AuditQuery::date(value).and_then(|d| {
            crate::regions::time::start_of_day(d + chrono::Days::new(plus_days as u64), tz)
        })
    };
    let from = bound(&query.from, 0);
    let to = bound(&query.to, 1);
    let bad_dates = (!query.from.trim().is_empty() && from.is_none())
        || (!query.to.trim().is_empty() && to.is_none());
    let filter = AuditFilter {
        person: optional(&query.person).map(|p| like_pattern(&p)),
        object_type: optional(&query.object),
        action: optional(&query.action),
        from,
        to,
    };
    let mut tx = state.tenant(region).await?;
    let total = db::count(&mut tx, region, &filter).await?;
    let page = page_number(query.page.as_deref());
    let rows = db::page(&mut tx, region, &filter, PAGE_SIZE, offset(page)).await?;
    let (actions, objects) = db::kinds(&mut tx, region).await?;
    let link = query.link_base(&format!("{}/audit", chrome.region_base()));
    let pager = Pager::new(page, total, |p| format!("{link}&page={p}"));
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
    render(&AuditScreen {
        chrome,
        rows,
        query,
        pager,
        actions,
        objects,
        tz,
        bad_dates,
    })
}
