//! «Сбор показателей»: how the region's daily collecting stands (pages read today, figures
//! people gave that were kept, pages failing and why), and the region's VK read token, which
//! the region's admin sets, replaces or removes.

use askama::Template;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use super::db::collection::{self, Failure, Progress, ReadToken};
use super::read_token::{self, Refusal};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::FieldErrors;
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

/// The failing pages the screen lists.
const FAILURES_SHOWN: i64 = 50;

#[derive(Template)]
#[template(path = "channels/collection.html")]
pub struct CollectionScreen {
    pub chrome: Chrome,
    pub progress: Progress,
    pub token: Option<ReadToken>,
    pub failures: Vec<Failure>,
    pub can_seal: bool,
    pub errors: FieldErrors,
    pub tz: chrono_tz::Tz,
}

impl CollectionScreen {
    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

async fn screen(
    state: &AppState,
    admin: &RegionAdmin,
    chrome: Chrome,
    errors: FieldErrors,
) -> AppResult<CollectionScreen> {
    let region = &admin.0.region;
    let tz = crate::regions::time::zone(region);
    let mut tx = state.tenant(region.id).await?;
    let today = crate::regions::time::today(tz);
    let screen = CollectionScreen {
        progress: collection::progress(&mut tx, region.id, today).await?,
        token: collection::read_token(&mut tx, region.id).await?,
        failures: collection::failures(&mut tx, region.id, FAILURES_SHOWN).await?,
        can_seal: state.settings.secret_key.is_some(),
        errors,
        tz,
        chrome,
    };
    tx.commit().await?;
    Ok(screen)
}

pub async fn show(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    render(&screen(&state, &admin, chrome, FieldErrors::default()).await?)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub token: String,
}

pub async fn set(
    State(state): State<AppState>,
    admin: RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let access = &admin.0;
    let mut e = FieldErrors::default();
    let token = form.token.trim();
    if token.is_empty() {
        e.add("token", l.t("field-required"));
    } else if token.len() > 500 {
        e.add("token", l.t("region-collection-token-long"));
    }
    if !e.is_empty() {
        return render_invalid(&screen(&state, &admin, chrome, e).await?);
    }
    let apis = super::apis::Apis::new(state.settings.apis.clone());
    let mut tx = state.tenant(access.region.id).await?;
    let kept = read_token::set(
        &mut tx,
        access.region.id,
        token,
        state.settings.secret_key.as_ref(),
        &apis,
        Some(access.user_id()),
    )
    .await?;
    match kept {
        Ok(()) => {
            tx.commit().await?;
            session
                .set_flash(l.t("region-collection-token-kept"))
                .await?;
            Ok(redirect(&format!("/r/{}/collection", access.region.slug)))
        }
        Err(refusal) => {
            drop(tx);
            let said = match refusal {
                Refusal::NoKey => l.t("channel-no-key"),
                Refusal::Vk(reason) => l.t1("region-collection-token-refused", "reason", &reason),
            };
            e.add("token", said);
            render_invalid(&screen(&state, &admin, chrome, e).await?)
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    admin: RegionAdmin,
    session: Session,
    chrome: Chrome,
) -> AppResult<Response> {
    let access = &admin.0;
    let mut tx = state.tenant(access.region.id).await?;
    let removed = read_token::remove(&mut tx, access.region.id, Some(access.user_id())).await?;
    tx.commit().await?;
    let said = if removed {
        "region-collection-token-removed"
    } else {
        "region-collection-token-none"
    };
    session.set_flash(chrome.t(said)).await?;
    Ok(redirect(&format!("/r/{}/collection", access.region.slug)))
}
