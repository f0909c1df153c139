//! The admin's view of the region's audit log: filtered by person, object, action and dates,
//! newest first, paginated; times in the region's time zone.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::{PAGE_SIZE, Pager};
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
    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
            .min(100_000)
    }

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

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub created_at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub details: sqlx::types::Json<serde_json::Value>,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub rows: Vec<AuditRow>,
    pub query: AuditQuery,
    pub pager: Pager,
    pub actions: Vec<String>,
    pub objects: Vec<String>,
    pub tz: chrono_tz::Tz,
    pub bad_dates: bool,
}

impl AuditPage {
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
    let tz: chrono_tz::Tz = access
        .region
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Moscow);
    // Dates are the region's calendar days: "to 2026-11-28" includes that whole day there.
    let bound = |value: &str, plus_days: i64| {
        AuditQuery::date(value).and_then(|d| {
            tz.from_local_datetime(&(d + chrono::Days::new(plus_days as u64)).and_hms_opt(0, 0, 0)?)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        })
    };
    let from = bound(&query.from, 0);
    let to = bound(&query.to, 1);
    let bad_dates = (!query.from.trim().is_empty() && from.is_none())
        || (!query.to.trim().is_empty() && to.is_none());
    let person = format!(
        "%{}%",
        query
            .person
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let filter = r#"a.region_id = $1
        and ($2 = '%%' or lower(coalesce(u.name, '')) like $2 or lower(coalesce(u.email, '')) like $2)
        and ($3 = '' or a.object_type = $3)
        and ($4 = '' or a.action = $4)
        and ($5::timestamptz is null or a.created_at >= $5)
        and ($6::timestamptz is null or a.created_at < $6)"#;
    let mut tx = state.tenant(region).await?;
    let total: i64 = sqlx::query_scalar(&format!(
        "select count(*) from audit_log a left join users u on u.id = a.user_id where {filter}"
    ))
    .bind(region)
    .bind(&person)
    .bind(query.object.trim())
    .bind(query.action.trim())
    .bind(from)
    .bind(to)
    .fetch_one(&mut *tx)
    .await?;
    let rows = sqlx::query_as::<_, AuditRow>(&format!(
        r#"select a.created_at, u.name as user_name, a.action, a.object_type, a.object_id, a.details
           from audit_log a left join users u on u.id = a.user_id
           where {filter} order by a.created_at desc, a.id desc limit $7 offset $8"#
    ))
    .bind(region)
    .bind(&person)
    .bind(query.object.trim())
    .bind(query.action.trim())
    .bind(from)
    .bind(to)
    .bind(PAGE_SIZE)
    .bind((query.page() - 1) * PAGE_SIZE)
    .fetch_all(&mut *tx)
    .await?;
    let actions =
        sqlx::query_scalar("select distinct action from audit_log where region_id = $1 order by 1")
            .bind(region)
            .fetch_all(&mut *tx)
            .await?;
    let objects = sqlx::query_scalar(
        "select distinct object_type from audit_log where region_id = $1 order by 1",
    )
    .bind(region)
    .fetch_all(&mut *tx)
    .await?;
    let list_query = crate::web::forms::ListQuery {
        q: String::new(),
        page: query.page.clone(),
    };
    let mut pager = Pager::new("", &list_query, total);
    let link = query.link_base(&format!("{}/audit", chrome.region_base()));
    pager.prev = (pager.page > 1).then(|| format!("{link}&page={}", pager.page - 1));
    pager.next = (pager.page < pager.pages).then(|| format!("{link}&page={}", pager.page + 1));
    render(&AuditPage {
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
