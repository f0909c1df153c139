//! Making a token: a random secret shown once, kept as its SHA-256, with a name, the scopes it
//! may use and an optional expiry. The token screen and `gospublic api-token` both come here.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::db::{self, NewToken};
use super::scopes::Scope;
use crate::ids::{RegionId, UserId};

/// What every token starts with, so a leaked one is recognisable in logs and scanners.
pub const PREFIX: &str = "gp_";

pub fn hash(token: &str) -> Vec<u8> {
    crate::channels::secrets::fingerprint(token)
}

/// A new token: its id and the secret to show once.
pub struct Made {
    pub id: i64,
    pub token: String,
}

pub async fn make(
    tx: &mut PgConnection,
    region: RegionId,
    name: &str,
    scopes: &[Scope],
    expires_at: Option<DateTime<Utc>>,
    by: Option<UserId>,
) -> Result<Made, sqlx::Error> {
    let token = format!("{PREFIX}{}", crate::web::session::random_token());
    let codes: Vec<&str> = scopes.iter().map(|s| s.code()).collect();
    let id = db::insert(
        tx,
        region,
        &NewToken {
            name: name.trim(),
            scopes: &codes,
            hash: &hash(&token),
            prefix: &token[..PREFIX.len() + 6],
            expires_at,
            created_by: by,
        },
    )
    .await?;
    // What the token may do, never the token.
    crate::audit::record(
        tx,
        crate::audit::Entry::new(crate::audit::Action::Create, crate::audit::Object::ApiToken)
            .region(region)
            .user_opt(by)
            .object_id(id)
            .details(serde_json::json!({ "name": name.trim(), "scopes": codes, "expires_at": expires_at })),
    )
    .await?;
    Ok(Made { id, token })
}
