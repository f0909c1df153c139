//! `/api/v1/questions`: other systems hand questions in (idempotent on their own id, so a
//! retry gets the same question back) and read what became of them.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::auth::ApiCaller;
use super::error::{ApiError, ApiResult, ErrorResponse};
use super::json::ApiJson;
use super::paging::{self, Page};
use super::scopes::Scope;
use crate::ids::{OrgId, PageId, QuestionId};
use crate::questions::clock::{Priority, Rules};
use crate::questions::db::api::ApiQuestion;
use crate::questions::db::{self as questions, api};
use crate::state::AppState;

/// Longest text a question may carry, as on the form.
const MAX_TEXT: usize = 10_000;
/// Longest external id.
const MAX_EXTERNAL: usize = 200;

/// A question handed in by another system.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewQuestion)]
pub struct NewQuestionBody {
    /// The page the question is for, by id…
    pub page_id: Option<i64>,
    /// …or by its address as any of the shapes the importer reads (vk.com/…, t.me/…, @name).
    pub page_url: Option<String>,
    /// The sender system's own id for the question: a retry with the same id returns it.
    pub external_id: Option<String>,
    pub text: Option<String>,
    pub author_name: Option<String>,
    pub author_contact: Option<String>,
    /// One of the region's categories; the catch-all when absent.
    pub category: Option<String>,
    /// normal, high or urgent.
    pub priority: Option<String>,
    /// When the resident asked; now when absent.
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub attachments: Vec<String>,
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Hands a question in. Idempotent on the page and `external_id`: a retry returns the question
/// made the first time with 200; a new one is 201.
#[utoipa::path(post, path = "/api/v1/questions", tag = "questions", request_body = NewQuestionBody,
    security(("token" = ["questions:write"])),
    responses(
        (status = 201, description = "A new question", body = ApiQuestion),
        (status = 200, description = "The question this external id made before", body = ApiQuestion),
        (status = 400, description = "Not JSON", body = ErrorResponse),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks questions:write", body = ErrorResponse),
        (status = 413, description = "Over 1 MB", body = ErrorResponse),
        (status = 415, description = "Not application/json", body = ErrorResponse),
        (status = 422, description = "Fields that are not valid, each with its message", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<NewQuestionBody>,
) -> ApiResult<Response> {
    caller.require(Scope::QuestionsWrite)?;
    let region = caller.region;
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let Valid {
        page,
        external,
        question: new,
    } = validate(&mut tx, region, &settings, &body).await?;
    if let Some(q) = known(&mut tx, region, page, &external).await? {
        tx.commit().await?;
        return Ok((StatusCode::OK, axum::Json(q)).into_response());
    }
    let rules = Rules::from_settings(
        &crate::regions::db::time_zone(&mut tx, region).await?,
        &settings,
    );
    let clocks = rules.start(new.priority, new.received_at);
    let id = match questions::insert(&mut tx, region, &new, &clocks).await {
        Ok(id) => id,
        // The same question from a parallel retry, a moment earlier: that one stands.
        Err(e) if crate::error::constraint_of(&e) == Some("questions_external_key") => {
            drop(tx);
            let mut tx = state.tenant(region).await?;
            let q = known(&mut tx, region, page, &external)
                .await?
                .ok_or_else(ApiError::not_found)?;
            return Ok((StatusCode::OK, axum::Json(q)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    record(&mut tx, region, id, &caller.name, &external).await?;
    let q = api::get(&mut tx, region, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(q)).into_response())
}

/// The question a page's external id made before, if any.
async fn known(
    tx: &mut sqlx::PgConnection,
    region: crate::ids::RegionId,
    page: PageId,
    external: &str,
) -> ApiResult<Option<ApiQuestion>> {
    match questions::find_external(tx, region, page, "api", external).await? {
        Some(id) => Ok(api::get(tx, region, id).await?),
        None => Ok(None),
    }
}

/// The question's arrival on its timeline and in the audit log, with the token's name.
async fn record(
    tx: &mut sqlx::PgConnection,
    region: crate::ids::RegionId,
    id: QuestionId,
    token: &str,
    external: &str,
) -> Result<(), sqlx::Error> {
    questions::add_event(
        tx,
        region,
        id,
        None,
        questions::Event {
            to_status: Some("new"),
            details: serde_json::json!({ "channel": "api", "token": token }),
            ..questions::Event::new("received")
        },
    )
    .await?;
    crate::audit::record(
        tx,
        crate::audit::Entry::new(crate::audit::Action::Create, crate::audit::Object::Question)
            .region(region)
            .object_id(id.0)
            .details(serde_json::json!({ "api_token": token, "external_id": external })),
    )
    .await
}

/// A question the body describes, with the page and external id it is known by.
struct Valid {
    page: PageId,
    external: String,
    question: questions::NewQuestion,
}

/// The question the body describes, every field checked against the region: 422 with a
/// message per field otherwise.
async fn validate(
    tx: &mut sqlx::PgConnection,
    region: crate::ids::RegionId,
    settings: &crate::settings::db::RegionSettings,
    body: &NewQuestionBody,
) -> ApiResult<Valid> {
    let mut fields = BTreeMap::new();
    let mut bad = |k: &str, m: &str| {
        fields.insert(k.to_owned(), m.to_owned());
    };
    let page = match (body.page_id, trimmed(&body.page_url)) {
        (Some(id), _) => crate::pages::db::owner(tx, region, PageId(id))
            .await?
            .map(|org| (PageId(id), org)),
        (None, Some(url)) => crate::pages::find_by_address(tx, &url).await?,
        (None, None) => None,
    };
    if page.is_none() {
        bad(
            if body.page_id.is_some() || body.page_url.is_none() {
                "page_id"
            } else {
                "page_url"
            },
            "no such page in this region: give page_id or page_url of a registered page",
        );
    }
    let external = trimmed(&body.external_id);
    match &external {
        None => bad("external_id", "required: your system's id for the question"),
        Some(e) if e.chars().count() > MAX_EXTERNAL => bad("external_id", "at most 200 characters"),
        _ => {}
    }
    let text = trimmed(&body.text);
    match &text {
        None => bad("text", "required"),
        Some(t) if t.chars().count() > MAX_TEXT => bad("text", "at most 10000 characters"),
        _ => {}
    }
    let category = match trimmed(&body.category) {
        None => settings
            .question_categories
            .last()
            .cloned()
            .unwrap_or_default(),
        Some(c) => match settings
            .question_categories
            .iter()
            .find(|known| known.to_lowercase() == c.to_lowercase())
        {
            Some(known) => known.clone(),
            None => {
                bad("category", "not one of the region's categories");
                c
            }
        },
    };
    let priority = match trimmed(&body.priority) {
        None => Priority::Normal,
        Some(p) => Priority::parse(&p).unwrap_or_else(|| {
            bad("priority", "one of normal, high, urgent");
            Priority::Normal
        }),
    };
    let now = Utc::now();
    let received = body.received_at.unwrap_or(now);
    if received > now + chrono::Duration::minutes(5) {
        bad("received_at", "in the future");
    }
    if body.attachments.len() > 20 || body.attachments.iter().any(|a| a.len() > 2000) {
        bad("attachments", "at most 20 links of up to 2000 characters");
    }
    if [&body.author_name, &body.author_contact]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| s.chars().count() > 300))
    {
        bad(
            "author_name",
            "author name and contact: at most 300 characters each",
        );
    }
    // PostgreSQL refuses NUL, and no person types control characters.
    for (field, value) in [
        ("external_id", &body.external_id),
        ("text", &body.text),
        ("author_name", &body.author_name),
        ("author_contact", &body.author_contact),
        ("category", &body.category),
        ("page_url", &body.page_url),
    ] {
        if value.as_deref().is_some_and(has_control) {
            bad(field, "control characters are not allowed");
        }
    }
    if body.attachments.iter().any(|a| has_control(a)) {
        bad("attachments", "control characters are not allowed");
    }
    let (Some((page, org)), Some(external), Some(text), true) =
        (page, external, text, fields.is_empty())
    else {
        return Err(ApiError::invalid(fields));
    };
    let question = questions::NewQuestion {
        organization_id: org,
        page_id: Some(page),
        channel: "api".to_owned(),
        external_id: Some(external.clone()),
        author_name: trimmed(&body.author_name),
        author_contact: trimmed(&body.author_contact),
        body: text,
        attachments: body.attachments.clone(),
        category,
        priority,
        received_at: received,
    };
    Ok(Valid {
        page,
        external,
        question,
    })
}

/// Characters no one types: everything below a space but line breaks and tabs, and DEL.
fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{7f}')
}

/// One question of the region, with its status and published answer.
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions",
    params(("id" = i64, Path, description = "The question's id")),
    security(("token" = ["questions:read"])),
    responses(
        (status = 200, description = "The question", body = ApiQuestion),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks questions:read", body = ErrorResponse),
        (status = 404, description = "No such question in the token's region", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<api::ApiQuestion>> {
    caller.require(Scope::QuestionsRead)?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let mut tx = state.tenant(caller.region).await?;
    let q = api::get(&mut tx, caller.region, QuestionId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    Ok(axum::Json(q))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only questions in this status.
    pub status: Option<String>,
    /// Only questions of this organization.
    #[param(value_type = Option<i64>)]
    pub organization_id: Option<String>,
    /// Only questions changed at or after this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 1000 (100 by default).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
}

/// The region's questions, oldest change first, a page at a time: a system mirroring answers
/// keeps the last `next_cursor` and asks again later.
#[utoipa::path(get, path = "/api/v1/questions", tag = "questions", params(ListQuery),
    security(("token" = ["questions:read"])),
    responses(
        (status = 200, description = "A page of questions", body = Page<ApiQuestion>),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks questions:read", body = ErrorResponse),
        (status = 422, description = "A filter that is not valid", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(query): Query<ListQuery>,
) -> ApiResult<axum::Json<Page<api::ApiQuestion>>> {
    caller.require(Scope::QuestionsRead)?;
    let mut fields = BTreeMap::new();
    let status = trimmed(&query.status);
    if let Some(s) = &status
        && crate::questions::workflow::Status::parse(s).is_none()
    {
        fields.insert("status".to_owned(), "not a status".to_owned());
    }
    let organization = paging::id("organization_id", &query.organization_id, &mut fields);
    let p = paging::read(
        &query.cursor,
        &query.updated_since,
        &query.limit,
        &mut fields,
    );
    if !fields.is_empty() {
        return Err(ApiError::invalid(fields));
    }
    let filter = api::ListFilter {
        status,
        organization: organization.map(OrgId),
        updated_since: p.updated_since,
        after: p.after,
        limit: p.limit,
    };
    let mut tx = state.tenant(caller.region).await?;
    let items = api::list(&mut tx, caller.region, &filter).await?;
    tx.commit().await?;
    Ok(axum::Json(Page::new(items, p.limit, |q| {
        (q.updated_at, q.id.0)
    })))
}
