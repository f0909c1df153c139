//! SQL of API tokens and their request counts. A request finds its token by hash before it
//! knows the region (as the schema's owner); the token screen works in the region.

pub mod registry;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::ids::{RegionId, UserId};

pub struct NewToken<'a> {
    pub name: &'a str,
    pub scopes: &'a [&'a str],
    pub hash: &'a [u8],
    pub prefix: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_by: Option<UserId>,
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    new: &NewToken<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into api_tokens (region_id, name, scopes, token_hash, prefix, expires_at, created_by)
           values ($1, $2, $3, $4, $5, $6, $7) returning id"#,
    )
    .bind(region)
    .bind(new.name)
    .bind(new.scopes)
    .bind(new.hash)
    .bind(new.prefix)
    .bind(new.expires_at)
    .bind(new.created_by)
    .fetch_one(db)
    .await
}

/// A token as the screen lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<String>,
    pub prefix: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by_name: Option<String>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn list(db: &mut PgConnection, region: RegionId) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        r#"select t.id, t.name, t.scopes, t.prefix, t.expires_at, t.created_at, u.name as created_by_name,
                  t.last_used_at, t.revoked_at
           from api_tokens t left join users u on u.id = t.created_by
           where t.region_id = $1 order by t.revoked_at is not null, t.id desc"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}

/// Stops a token at once; its name when it was live.
pub async fn revoke(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "update api_tokens set revoked_at = now() where region_id = $1 and id = $2 and revoked_at is null returning name",
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The live token with this hash (as the owner: the region is not known yet).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Caller {
    pub id: i64,
    pub region_id: RegionId,
    pub name: String,
    pub scopes: Vec<String>,
}

pub async fn caller(db: &PgPool, hash: &[u8]) -> Result<Option<Caller>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, region_id, name, scopes from api_tokens
           where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())"#,
    )
    .bind(hash)
    .fetch_optional(db)
    .await
}

/// Counts a request in the token's current minute and says how many it has made in it; «last
/// used» moves at most once a minute, with the first request of the minute.
pub async fn hit(db: &PgPool, token: i64) -> Result<i32, sqlx::Error> {
    let count: i32 = sqlx::query_scalar(
        r#"insert into api_rate as r (token_id, minute, requests) values ($1, date_trunc('minute', now()), 1)
           on conflict (token_id, minute) do update set requests = r.requests + 1
           returning requests"#,
    )
    .bind(token)
    .fetch_one(db)
    .await?;
    if count == 1 {
        sqlx::query("update api_tokens set last_used_at = now() where id = $1")
            .bind(token)
            .execute(db)
            .await?;
        // The minutes before the last are of no use any more.
        sqlx::query("delete from api_rate where token_id = $1 and minute < date_trunc('minute', now()) - interval '1 minute'")
            .bind(token)
            .execute(db)
            .await?;
    }
    Ok(count)
}
