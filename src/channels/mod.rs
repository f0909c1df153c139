//! Channels: a page connected to its platform, so residents' comments and messages arrive
//! as questions by themselves. This part receives VK communities' events (Callback API):
//! the webhook (`hooks`) stores each event once and acknowledges it, the worker (`intake`)
//! files the question in the page's organization's inbox. Connections are made on the
//! command line (`cli`) and shown on the page's card.
//! Tenancy: connections and events belong to a region; the webhook finds its connection by
//! the token in its address, then works in that region.

pub mod apis;
pub mod chat;
pub mod cli;
mod collection_screen;
pub mod collector;
pub mod db;
pub mod delivery;
mod handlers;
pub mod hooks;
pub mod intake;
pub mod names;
pub mod outbox;
pub mod read_token;
mod retry;
pub mod secrets;
pub mod target;
pub mod vk;

use axum::routing::{get, post};
use sqlx::PgConnection;

use crate::ids::{PageId, RegionId, UserId};
use crate::web::routes::{Access, GET, POST, Routes};

/// The event types of a VK community that become questions.
pub const VK_EVENTS: &[&str] = &["wall_reply_new", "message_new", "board_post_new"];

/// The page's connection screen, for its editors and the region's admins.
pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/pages/{id}/channels",
            &[(GET, Access::RegionMember), (POST, Access::RegionMember)],
            get(handlers::show).post(handlers::connect),
        )
        .add(
            "/r/{region}/pages/{id}/channels/revoke",
            &[(POST, Access::RegionMember)],
            post(handlers::revoke),
        )
        .add(
            "/r/{region}/pages/{id}/channels/test",
            &[(POST, Access::RegionMember)],
            post(handlers::test),
        )
        .add(
            "/r/{region}/collection",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(collection_screen::show).post(collection_screen::set),
        )
        .add(
            "/r/{region}/collection/remove",
            &[(POST, Access::RegionAdmin)],
            post(collection_screen::remove),
        )
        .add(
            "/r/{region}/questions/{id}/deliveries/retry",
            &[(POST, Access::RegionMember)],
            post(retry::retry),
        )
}

/// Addresses platforms call: no session, no CSRF token, plain-text answers.
pub fn hooks() -> Routes {
    let unlimited = axum::extract::DefaultBodyLimit::disable;
    Routes::new()
        .add(
            "/hooks/vk/{token}",
            &[(POST, Access::Platform)],
            post(hooks::vk).layer(unlimited()),
        )
        .add(
            "/hooks/telegram/{token}",
            &[(POST, Access::Platform)],
            post(hooks::telegram).layer(unlimited()),
        )
        .add(
            "/hooks/max/{token}",
            &[(POST, Access::Platform)],
            post(hooks::max).layer(unlimited()),
        )
}

/// The address a platform is told to deliver a connection's events to.
pub fn hook_url(base_url: &str, platform: &str, token: &str) -> String {
    format!(
        "{}/hooks/{platform}/{token}",
        base_url.trim_end_matches('/')
    )
}

/// A VK community as its admin describes it in the community's Callback API settings.
pub struct VkCommunity<'a> {
    pub group_id: i64,
    pub confirmation: &'a str,
    pub secret: Option<&'a str>,
    /// The community's access token, for replies; sealed with the installation's key.
    pub token: Option<&'a str>,
    /// Which of `VK_EVENTS` become questions.
    pub events: &'a [&'a str],
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("the page does not exist in this region")]
    NoPage,
    #[error("the page is on another platform ({0})")]
    WrongPlatform(String),
    #[error("the community id must be a positive number")]
    BadGroup,
    #[error("the confirmation string VK shows is required")]
    NoConfirmation,
    #[error("choose at least one kind of event to turn into questions")]
    NoEvents,
    #[error("the bot token is required")]
    NoBotToken,
    #[error("the platform refused the webhook: {0}")]
    Registration(String),
    #[error(
        "a token is stored only sealed with GOSPUBLIC_SECRET_KEY, which is not set: set it (64 hex digits, `openssl rand -hex 32`) or connect without the token"
    )]
    NoKey,
}

/// Connects a page to its VK community, replacing a connection it had; returns the new
/// webhook token.
pub async fn connect_vk(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    community: &VkCommunity<'_>,
    key: Option<&secrets::SecretKey>,
    by: Option<UserId>,
) -> Result<Result<String, ConnectError>, sqlx::Error> {
    let Some((platform, _, _)) = db::page_of(db, region, page).await? else {
        return Ok(Err(ConnectError::NoPage));
    };
    if platform != "vk" {
        return Ok(Err(ConnectError::WrongPlatform(platform)));
    }
    if community.group_id <= 0 {
        return Ok(Err(ConnectError::BadGroup));
    }
    if community.confirmation.trim().is_empty() {
        return Ok(Err(ConnectError::NoConfirmation));
    }
    if community.events.is_empty() || community.events.iter().any(|e| !VK_EVENTS.contains(e)) {
        return Ok(Err(ConnectError::NoEvents));
    }
    let token_sealed = match (community.token, key) {
        (None, _) => None,
        (Some(token), Some(key)) => Some(key.seal(token.trim())),
        (Some(_), None) => return Ok(Err(ConnectError::NoKey)),
    };
    let hook_token = crate::web::session::random_token();
    // What was connected, never the secret or the token.
    let details = serde_json::json!({ "page": page, "platform": "vk", "group_id": community.group_id,
                                      "with_secret": community.secret.is_some(), "with_token": community.token.is_some() });
    save(
        db,
        region,
        &db::NewConnection {
            page,
            platform: "vk",
            hook_token: &hook_token,
            group_id: Some(community.group_id),
            confirmation: Some(community.confirmation.trim()),
            secret_hash: community.secret.map(|s| secrets::fingerprint(s.trim())),
            token_sealed,
            events: community.events,
            created_by: by,
        },
        details,
    )
    .await?;
    Ok(Ok(hook_token))
}

/// Writes the connection in place of the page's live one, and the audit entry saying what was
/// connected (`details`, never a secret).
async fn save(
    db: &mut PgConnection,
    region: RegionId,
    new: &db::NewConnection<'_>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let id = db::replace_connection(db, region, new).await?;
    crate::audit::record(
        db,
        crate::audit::Entry::new(crate::audit::Action::Create, crate::audit::Object::Channel)
            .region(region)
            .user_opt(new.created_by)
            .object_id(id)
            .details(details),
    )
    .await
}

/// The event types a bot's connection turns into questions.
fn bot_events(platform: &str) -> &'static [&'static str] {
    if platform == "max" {
        &["message_created"]
    } else {
        &["message"]
    }
}

/// Connects a page to its Telegram or MAX bot: the webhook is registered with the platform
/// with a secret made here (kept only as its fingerprint), the bot token is sealed. Returns
/// the new webhook token.
#[allow(clippy::too_many_arguments)]
pub async fn connect_bot(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    bot_token: &str,
    key: Option<&secrets::SecretKey>,
    by: Option<UserId>,
    apis: &apis::Apis,
    base_url: &str,
) -> Result<Result<String, ConnectError>, sqlx::Error> {
    let Some((platform, _, _)) = db::page_of(db, region, page).await? else {
        return Ok(Err(ConnectError::NoPage));
    };
    if platform != "telegram" && platform != "max" {
        return Ok(Err(ConnectError::WrongPlatform(platform)));
    }
    let bot_token = bot_token.trim();
    if bot_token.is_empty() {
        return Ok(Err(ConnectError::NoBotToken));
    }
    let Some(key) = key else {
        return Ok(Err(ConnectError::NoKey));
    };
    let hook_token = crate::web::session::random_token();
    let secret = crate::web::session::random_token();
    let url = hook_url(base_url, &platform, &hook_token);
    if let Err(reason) = apis.register(&platform, bot_token, &url, &secret).await {
        return Ok(Err(ConnectError::Registration(reason)));
    }
    let details = serde_json::json!({ "page": page, "platform": platform, "registered": true });
    save(
        db,
        region,
        &db::NewConnection {
            page,
            platform: &platform,
            hook_token: &hook_token,
            group_id: None,
            confirmation: None,
            secret_hash: Some(secrets::fingerprint(&secret)),
            token_sealed: Some(key.seal(bot_token)),
            events: bot_events(&platform),
            created_by: by,
        },
        details,
    )
    .await?;
    Ok(Ok(hook_token))
}
