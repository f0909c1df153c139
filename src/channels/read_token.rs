//! The region's VK read token: tried on a few of the region's communities before it is kept
//! (sealed, with its last characters shown), audited when set or removed. The collector then
//! reads every VK page of the region with it.

use sqlx::PgConnection;

use super::apis::Apis;
use super::db::collection;
use super::secrets::{SecretKey, tail};
use crate::audit::{self, Action, Entry, Object};
use crate::ids::{RegionId, UserId};

/// Why a token was not kept.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The installation has no key to seal tokens with.
    NoKey,
    /// VK's own reason.
    Vk(String),
}

/// Tries the token on VK, then keeps it for the region.
pub async fn set(
    tx: &mut PgConnection,
    region: RegionId,
    token: &str,
    key: Option<&SecretKey>,
    apis: &Apis,
    by: Option<UserId>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let Some(key) = key else {
        return Ok(Err(Refusal::NoKey));
    };
    let token = token.trim();
    let names: Vec<String> = collection::some_vk_pages(tx, region, 3)
        .await?
        .iter()
        .map(|k| k.trim_start_matches("vk.com/").to_owned())
        .collect();
    // VK's own community when the region has no VK page yet: any public one proves the token.
    let names = if names.is_empty() {
        "1".to_owned()
    } else {
        names.join(",")
    };
    let tried = apis
        .vk_method(
            "groups.getById",
            token,
            vec![("group_ids", names), ("fields", "members_count".to_owned())],
        )
        .await;
    if let Err(reply) = tried {
        return Ok(Err(Refusal::Vk(reply.reason().to_owned())));
    }
    let shown = tail(token);
    collection::set_read_token(tx, region, &key.seal(token), &shown, by).await?;
    audit::record(
        tx,
        Entry::new(Action::Update, Object::ReadToken)
            .region(region)
            .user_opt(by)
            .details(serde_json::json!({ "token": shown })),
    )
    .await?;
    Ok(Ok(()))
}

/// Forgets the region's token; returns whether there was one.
pub async fn remove(
    tx: &mut PgConnection,
    region: RegionId,
    by: Option<UserId>,
) -> Result<bool, sqlx::Error> {
    let removed = collection::remove_read_token(tx, region).await?;
    if removed {
        audit::record(
            tx,
            Entry::new(Action::Revoke, Object::ReadToken)
                .region(region)
                .user_opt(by),
        )
        .await?;
    }
    Ok(removed)
}
