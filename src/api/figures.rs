//! `/api/v1/figures`: weekly figures of many pages at once, with the spreadsheet upload's
//! rules (whole numbers, a week no later than this one, pages of the region) and its
//! all-or-nothing: one bad row and nothing is written; and a page's recorded weeks read back.

use std::collections::{BTreeMap, HashSet};

use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::auth::ApiCaller;
use super::error::{ApiError, ApiResult, ErrorResponse};
use super::json::ApiJson;
use super::scopes::Scope;
use crate::activity::db::{self as activity, Origin, monday_of};
use crate::activity::derive::Week;
use crate::ids::PageId;
use crate::state::AppState;
use crate::web::reads::Reads;

/// Most weeks one request may carry.
pub const MAX_WEEKS: usize = 10_000;
/// The largest figure the spreadsheet takes, and so the API.
const MAX_FIGURE: i64 = 2_000_000_000;

/// One page's figures for one week.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureWeek {
    /// The page, by id…
    pub page_id: Option<i64>,
    /// …or by its address in any shape the importer reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// Any day of the week (YYYY-MM-DD); the week is counted from its Monday.
    #[schema(value_type = String, format = Date)]
    pub week: NaiveDate,
    pub followers: Option<i64>,
    pub posts: Option<i64>,
    pub views: Option<i64>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub reposts: Option<i64>,
    pub reach: Option<i64>,
    #[schema(value_type = Option<String>, format = Date)]
    pub last_post_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FiguresUpload {
    pub weeks: Vec<FigureWeek>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FiguresWritten {
    /// Weeks written (a week already recorded for a page is replaced).
    pub written: usize,
}

/// Records the weeks, all or none.
#[utoipa::path(post, path = "/api/v1/figures", tag = "figures", request_body = FiguresUpload,
    security(("token" = ["figures:write"])),
    responses(
        (status = 200, description = "Every week was written", body = FiguresWritten),
        (status = 400, description = "Not JSON", body = ErrorResponse),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks figures:write", body = ErrorResponse),
        (status = 413, description = "Over 1 MB", body = ErrorResponse),
        (status = 422, description = "Rows that are not valid, each field named `weeks[i].field`; nothing was written", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<FiguresUpload>,
) -> ApiResult<axum::Json<FiguresWritten>> {
    caller.require(Scope::FiguresWrite)?;
    let region = caller.region;
    let mut fields = BTreeMap::new();
    if body.weeks.is_empty() || body.weeks.len() > MAX_WEEKS {
        fields.insert("weeks".to_owned(), format!("from 1 to {MAX_WEEKS} weeks"));
        return Err(ApiError::invalid(fields));
    }
    let mut tx = state.tenant(region).await?;
    let today = crate::regions::time::today(crate::regions::time::zone_of(
        &crate::regions::db::time_zone(&mut tx, region).await?,
    ));
    let mut weeks = Vec::with_capacity(body.weeks.len());
    let mut seen = HashSet::new();
    for (i, w) in body.weeks.iter().enumerate() {
        let mut bad = |field: &str, message: &str| {
            fields.insert(format!("weeks[{i}].{field}"), message.to_owned());
        };
        let page = match (w.page_id, w.page_url.as_deref()) {
            (Some(id), _) => crate::pages::db::owner(&mut tx, region, PageId(id))
                .await?
                .map(|_| PageId(id)),
            (None, Some(url)) => crate::pages::find_by_address(&mut tx, url)
                .await?
                .map(|(page, _)| page),
            (None, None) => None,
        };
        if page.is_none() {
            bad("page_id", "no such page in this region");
        }
        let monday = monday_of(w.week);
        if monday > today {
            bad("week", "a week that has not begun");
        }
        let mut figure = |name: &str, v: Option<i64>, max: i64| -> Option<i64> {
            match v {
                Some(n) if !(0..=max).contains(&n) => {
                    bad(name, "a whole number from 0 to 2000000000");
                    None
                }
                other => other,
            }
        };
        let int = |v: Option<i64>| v.map(|n| n as i32);
        let week = Week {
            week: monday,
            followers: int(figure("followers", w.followers, MAX_FIGURE)),
            posts: int(figure("posts", w.posts, MAX_FIGURE)),
            views: figure("views", w.views, MAX_FIGURE),
            likes: int(figure("likes", w.likes, MAX_FIGURE)),
            comments: int(figure("comments", w.comments, MAX_FIGURE)),
            reposts: int(figure("reposts", w.reposts, MAX_FIGURE)),
            reach: figure("reach", w.reach, MAX_FIGURE),
            last_post_on: w.last_post_on,
        };
        if w.last_post_on.is_some_and(|d| d > today) {
            fields.insert(
                format!("weeks[{i}].last_post_on"),
                "in the future".to_owned(),
            );
        }
        if let Some(page) = page {
            if !seen.insert((page, monday)) {
                fields.insert(
                    format!("weeks[{i}].week"),
                    "this page's week is given twice".to_owned(),
                );
            }
            weeks.push((page, week));
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::invalid(fields));
    }
    let origin = Origin {
        source: "api",
        user: None,
        import_id: None,
    };
    activity::upsert_many(&mut tx, region, &weeks, &origin).await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Entry::new(
            crate::audit::Action::Update,
            crate::audit::Object::PageFigures,
        )
        .region(region)
        .details(serde_json::json!({ "api_token": caller.name, "weeks": weeks.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(FiguresWritten {
        written: weeks.len(),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// The page.
    #[param(value_type = i64)]
    pub page_id: Option<String>,
    /// Weeks from this day on (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Weeks up to this day (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageFigures {
    pub page_id: i64,
    /// Newest week first.
    pub weeks: Vec<Week>,
}

/// A page's recorded weeks, newest first (at most ten years).
#[utoipa::path(get, path = "/api/v1/figures", tag = "figures", params(FiguresQuery),
    security(("token" = ["figures:read"])),
    responses(
        (status = 200, description = "The page's weeks", body = PageFigures),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks figures:read", body = ErrorResponse),
        (status = 422, description = "No page, or dates that are not valid", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn read(
    reads: Reads,
    caller: ApiCaller,
    Query(query): Query<FiguresQuery>,
) -> ApiResult<axum::Json<PageFigures>> {
    caller.require(Scope::FiguresRead)?;
    let mut fields = BTreeMap::new();
    let page = super::paging::id("page_id", &query.page_id, &mut fields);
    let day = |name: &str, v: &Option<String>, fields: &mut BTreeMap<String, String>| {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                fields.insert(name.to_owned(), "a date as YYYY-MM-DD".to_owned());
                None
            }
        }
    };
    let from = day("from", &query.from, &mut fields);
    let to = day("to", &query.to, &mut fields);
    let mut tx = reads.tenant(caller.region).await?;
    let page = match page {
        Some(id) => crate::pages::db::owner(&mut tx, caller.region, PageId(id))
            .await?
            .map(|_| PageId(id)),
        None => None,
    };
    if page.is_none() && !fields.contains_key("page_id") {
        fields.insert("page_id".to_owned(), "a page of this region".to_owned());
    }
    let (Some(page), true) = (page, fields.is_empty()) else {
        return Err(ApiError::invalid(fields));
    };
    let weeks = activity::weeks(&mut tx, caller.region, page, 520).await?;
    tx.commit().await?;
    let weeks = weeks
        .into_iter()
        .filter(|w| from.is_none_or(|f| w.week >= monday_of(f)) && to.is_none_or(|t| w.week <= t))
        .collect();
    Ok(axum::Json(PageFigures {
        page_id: page.0,
        weeks,
    }))
}
