//! The resident's private status link: what became of their question (status, the
//! organization it was passed to, the answers made public), a box to add to it while it is
//! open, and a button that turns the link off. Whoever holds the link sees this and nothing
//! more: no notes, drafts, names of those who worked on it, nor the resident's own contact.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::db::{self, Said, Status};
use super::form::MAX_TEXT;
use super::guard;
use crate::error::{AppError, AppResult};
use crate::questions::clock::Rules;
use crate::state::AppState;
use crate::web::access::ClientAddr;
use crate::web::public::PublicChrome;
use crate::web::redirect;
use crate::web::render::private_page;
use crate::web::session::{Session, hash_token};

#[derive(Deserialize)]
pub struct TokenPath {
    #[allow(dead_code)]
    region: String,
    token: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    pub text: String,
}

#[derive(Template)]
#[template(path = "public/status.html")]
pub struct StatusScreen {
    pub chrome: PublicChrome,
    pub csrf: String,
    pub region_slug: String,
    pub time_zone: chrono_tz::Tz,
    pub action: String,
    pub status: Status,
    pub said: Vec<Said>,
    pub reply: ReplyForm,
    pub reply_error: Option<String>,
}

impl StatusScreen {
    /// The status in the resident's words.
    pub fn status_label(&self) -> String {
        if self.status.waiting_on_resident && self.is_open() {
            return self.chrome.t("ask-status-waiting");
        }
        self.chrome.label("ask-status", &self.status.status)
    }

    pub fn is_open(&self) -> bool {
        matches!(self.status.status.as_str(), "new" | "in_progress")
    }

    /// A moment in the region's time: 30.11.2026 10:15.
    pub fn when(&self, t: &DateTime<Utc>) -> String {
        t.with_timezone(&self.time_zone)
            .format("%d.%m.%Y %H:%M")
            .to_string()
    }

    pub fn said_label(&self, kind: &str) -> String {
        self.chrome.label("ask-said", kind)
    }
}

#[derive(Template)]
#[template(path = "public/revoked.html")]
pub struct RevokedScreen {
    pub chrome: PublicChrome,
    pub region_slug: String,
}

async fn screen(
    state: &AppState,
    chrome: PublicChrome,
    session: &Session,
    token: &str,
    reply: ReplyForm,
    reply_error: Option<String>,
) -> AppResult<StatusScreen> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let mut tx = state.tenant(region.id).await?;
    let status = db::status(&mut tx, region.id, &hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let said = db::said(&mut tx, region.id, status.question_id).await?;
    tx.commit().await?;
    let csrf = session.ensure().await?.csrf_token;
    Ok(StatusScreen {
        csrf,
        action: format!("/r/{}/q/{token}", region.slug),
        region_slug: region.slug,
        time_zone: crate::regions::time::zone_of(&region.time_zone),
        status,
        said,
        reply,
        reply_error,
        chrome,
    })
}

pub async fn show(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    Path(path): Path<TokenPath>,
) -> AppResult<Response> {
    let screen = screen(
        &state,
        chrome,
        &session,
        &path.token,
        ReplyForm::default(),
        None,
    )
    .await?;
    private_page(StatusCode::OK, &screen)
}

/// The resident adds to their open question; one waiting on them resumes its clock.
pub async fn reply(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    ClientAddr(address): ClientAddr,
    Path(path): Path<TokenPath>,
    Form(form): Form<ReplyForm>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let l = chrome.locale;
    let text = form.text.trim().to_owned();
    let problem = if text.is_empty() {
        Some(l.t("field-required"))
    } else if text.chars().count() > MAX_TEXT {
        Some(l.t("ask-text-long"))
    } else {
        None
    };
    let mut tx = state.tenant(region.id).await?;
    let status = db::status(&mut tx, region.id, &hash_token(&path.token))
        .await?
        .ok_or(AppError::NotFound)?;
    let open = matches!(status.status.as_str(), "new" | "in_progress");
    let refused = match problem {
        Some(p) => Some((StatusCode::UNPROCESSABLE_ENTITY, p)),
        None if !open => Some((StatusCode::CONFLICT, l.t("ask-reply-closed"))),
        None => match guard::count(&mut tx, address, None).await? {
            Err(refusal) => Some((StatusCode::TOO_MANY_REQUESTS, l.t(refusal.message_key()))),
            Ok(()) => None,
        },
    };
    if let Some((code, message)) = refused {
        tx.rollback().await?;
        let screen = screen(&state, chrome, &session, &path.token, form, Some(message)).await?;
        return private_page(code, &screen);
    }
    let settings = crate::settings::db::get(&mut tx, region.id).await?;
    let rules = Rules::from_settings(&region.time_zone, &settings);
    let details = serde_json::json!({ "channel": "form" });
    crate::questions::follow_up::add(
        &mut tx,
        region.id,
        &rules,
        status.question_id,
        &text,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/r/{}/q/{}", region.slug, path.token)))
}

pub async fn revoke(
    State(state): State<AppState>,
    chrome: PublicChrome,
    Path(path): Path<TokenPath>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let mut tx = state.tenant(region.id).await?;
    if !db::revoke(&mut tx, region.id, &hash_token(&path.token)).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    let screen = RevokedScreen {
        chrome,
        region_slug: region.slug,
    };
    private_page(StatusCode::OK, &screen)
}
