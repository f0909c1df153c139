//! A page's «Подключение» screen: where its platform delivers events, whether it has heard
//! from it, and the form that connects a VK community. Its editors and the region's admins
//! connect; whoever sees the page sees the state.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, ConnectionRow};
use super::{ConnectError, VkCommunity, connect_vk, hook_url};
use crate::error::{AppError, AppResult};
use crate::ids::PageId;
use crate::state::AppState;
use crate::web::access::{OrgPlacement, RegionAccess};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, optional};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

/// The connection form: a VK community's fields, or a bot's token.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConnectForm {
    pub group_id: String,
    pub confirmation: String,
    pub secret: String,
    pub token: String,
    /// Checkboxes: which VK events become questions.
    pub wall_reply_new: String,
    pub message_new: String,
    pub board_post_new: String,
    pub bot_token: String,
}

impl ConnectForm {
    /// A fresh form offers every kind of event.
    fn fresh() -> ConnectForm {
        ConnectForm {
            wall_reply_new: "on".into(),
            message_new: "on".into(),
            board_post_new: "on".into(),
            ..Default::default()
        }
    }

    pub fn wants(&self, event: &str) -> bool {
        let ticked = match event {
            "wall_reply_new" => &self.wall_reply_new,
            "message_new" => &self.message_new,
            "board_post_new" => &self.board_post_new,
            _ => return false,
        };
        !ticked.is_empty()
    }

    fn events(&self) -> Vec<&'static str> {
        super::VK_EVENTS
            .iter()
            .copied()
            .filter(|e| self.wants(e))
            .collect()
    }
}

#[derive(Template)]
#[template(path = "channels/page.html")]
pub struct ChannelsScreen {
    pub chrome: Chrome,
    pub page_id: PageId,
    pub page_url: String,
    pub platform: String,
    pub connections: Vec<ConnectionRow>,
    pub base_url: String,
    pub can_connect: bool,
    /// Tokens can be stored: the installation has its key.
    pub can_seal: bool,
    pub form: ConnectForm,
    pub errors: FieldErrors,
    /// The daily figures collection of the page, once it has started.
    pub collection: Option<super::db::collection::CollectionState>,
    pub tz: chrono_tz::Tz,
}

impl ChannelsScreen {
    pub fn hook(&self, c: &ConnectionRow) -> String {
        hook_url(&self.base_url, &c.platform, &c.hook_token)
    }

    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

struct Page {
    platform: String,
    url: String,
    placement: OrgPlacement,
}

async fn page(conn: &mut sqlx::PgConnection, access: &RegionAccess, id: PageId) -> AppResult<Page> {
    let (platform, org, url) = db::page_of(conn, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let placement = crate::orgs::db::placement(conn, access.region.id, org)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_view_org(&placement)?;
    Ok(Page {
        platform,
        url,
        placement,
    })
}

/// The page in a transaction of its region, for someone who may connect it: 404 when it is
/// not theirs to see, 403 when they only see it.
async fn editable(
    state: &AppState,
    access: &RegionAccess,
    id: PageId,
) -> AppResult<(sqlx::Transaction<'static, sqlx::Postgres>, Page)> {
    let mut tx = state.tenant(access.region.id).await?;
    let p = page(&mut tx, access, id).await?;
    access.require_edit_pages_of(&p.placement)?;
    Ok((tx, p))
}

async fn screen(
    state: &AppState,
    access: &RegionAccess,
    chrome: Chrome,
    id: PageId,
    form: ConnectForm,
    errors: FieldErrors,
) -> AppResult<ChannelsScreen> {
    let mut tx = state.tenant(access.region.id).await?;
    let p = page(&mut tx, access, id).await?;
    Ok(ChannelsScreen {
        connections: db::for_page(&mut tx, access.region.id, id).await?,
        collection: db::collection::state_of(&mut tx, access.region.id, id).await?,
        can_connect: access.can_edit_pages_of(&p.placement),
        can_seal: state.settings.secret_key.is_some(),
        base_url: state.settings.base_url.clone(),
        page_id: id,
        page_url: p.url,
        platform: p.platform,
        form,
        errors,
        tz: crate::regions::time::zone(&access.region),
        chrome,
    })
}

pub async fn show(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let page = PageId(id);
    render(
        &screen(
            &state,
            &access,
            chrome,
            page,
            ConnectForm::fresh(),
            FieldErrors::default(),
        )
        .await?,
    )
}

pub async fn connect(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<ConnectForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let l = chrome.locale;
    let (mut tx, p) = editable(&state, &access, PageId(id)).await?;
    if p.platform != "vk" {
        drop(tx);
        return connect_bot_page(state, access, session, chrome, PageId(id), form).await;
    }
    let mut e = FieldErrors::default();
    let group_id = form
        .group_id
        .trim()
        .trim_start_matches("club")
        .trim_start_matches("public")
        .parse::<i64>()
        .ok()
        .filter(|g| *g > 0);
    if group_id.is_none() {
        e.add("group_id", l.t("channel-group-id-bad"));
    }
    if form.confirmation.trim().is_empty() {
        e.add("confirmation", l.t("field-required"));
    }
    let token = optional(&form.token);
    if token.is_some() && state.settings.secret_key.is_none() {
        e.add("token", l.t("channel-no-key"));
    }
    let events = form.events();
    if events.is_empty() {
        e.add("events", l.t("channel-events-none"));
    }
    let (Some(group_id), true) = (group_id, e.is_empty()) else {
        drop(tx);
        return render_invalid(&screen(&state, &access, chrome, PageId(id), form, e).await?);
    };
    let secret = optional(&form.secret);
    let community = VkCommunity {
        group_id,
        confirmation: &form.confirmation,
        secret: secret.as_deref(),
        token: token.as_deref(),
        events: &events,
    };
    let key = state.settings.secret_key.as_ref();
    let by = Some(access.user_id());
    match connect_vk(&mut tx, region, PageId(id), &community, key, by).await? {
        Ok(_) => {}
        Err(ConnectError::NoPage) => return Err(AppError::NotFound),
        Err(other) => return Err(AppError::BadRequest(other.to_string())),
    }
    tx.commit().await?;
    session.set_flash(l.t("channel-connected")).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/channels",
        access.region.slug
    )))
}

/// A Telegram or MAX page: its bot's token, and the webhook registered with the platform.
async fn connect_bot_page(
    state: AppState,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    id: PageId,
    form: ConnectForm,
) -> AppResult<Response> {
    let l = chrome.locale;
    let region = access.region.id;
    let mut e = FieldErrors::default();
    let key = state.settings.secret_key.as_ref();
    if form.bot_token.trim().is_empty() {
        e.add("bot_token", l.t("field-required"));
    } else if key.is_none() {
        e.add("bot_token", l.t("channel-no-key"));
    }
    if !e.is_empty() {
        return render_invalid(&screen(&state, &access, chrome, id, form, e).await?);
    }
    let apis = super::apis::Apis::new(state.settings.apis.clone());
    let by = Some(access.user_id());
    let base = state.settings.base_url.clone();
    let mut tx = state.tenant(region).await?;
    let connected =
        super::connect_bot(&mut tx, region, id, &form.bot_token, key, by, &apis, &base).await?;
    match connected {
        Ok(_) => {}
        Err(ConnectError::Registration(reason)) => {
            drop(tx);
            e.add(
                "bot_token",
                l.t1("channel-registration-refused", "reason", &reason),
            );
            return render_invalid(&screen(&state, &access, chrome, id, form, e).await?);
        }
        Err(ConnectError::NoPage) => return Err(AppError::NotFound),
        Err(other) => return Err(AppError::BadRequest(other.to_string())),
    }
    tx.commit().await?;
    session.set_flash(l.t("channel-bot-connected")).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{}/channels",
        access.region.slug, id.0
    )))
}

/// «Проверить»: asks the platform whether the stored token still works, and keeps the answer
/// as the connection's state.
pub async fn test(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let l = chrome.locale;
    let (mut tx, _) = editable(&state, &access, PageId(id)).await?;
    let found = db::token_of(&mut tx, region, PageId(id), form.platform.trim()).await?;
    tx.commit().await?;
    let said = match found {
        None => l.t("channel-none"),
        Some(c) => {
            let token = c
                .token_sealed
                .as_deref()
                .and_then(|sealed| state.settings.secret_key.as_ref()?.open(sealed));
            let result = match token {
                None => Err(l.t("delivery-no-token")),
                Some(token) => {
                    super::apis::Apis::new(state.settings.apis.clone())
                        .check(&c.platform, &token, c.group_id)
                        .await
                }
            };
            let mut tx = state.tenant(region).await?;
            db::record_check(
                &mut tx,
                region,
                c.id,
                result.as_ref().err().map(String::as_str),
            )
            .await?;
            tx.commit().await?;
            match result {
                Ok(name) if name.is_empty() => l.t("channel-test-ok-unnamed"),
                Ok(name) => l.t1("channel-test-ok", "name", &name),
                Err(reason) => l.t1("channel-test-failed", "reason", &reason),
            }
        }
    };
    session.set_flash(said).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/channels",
        access.region.slug
    )))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeForm {
    pub platform: String,
}

/// Disconnects the page from a platform: the webhook stops at once.
pub async fn revoke(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let (mut tx, _) = editable(&state, &access, PageId(id)).await?;
    let said = match db::revoke(&mut tx, region, PageId(id), form.platform.trim()).await? {
        Some(connection) => {
            crate::audit::record(
                &mut tx,
                crate::audit::Entry::member(
                    &access,
                    crate::audit::Action::Revoke,
                    crate::audit::Object::Channel,
                )
                .object_id(connection)
                .details(serde_json::json!({ "page": id, "platform": form.platform.trim() })),
            )
            .await?;
            "channel-revoked"
        }
        None => "channel-none",
    };
    tx.commit().await?;
    session.set_flash(chrome.t(said)).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/channels",
        access.region.slug
    )))
}
