//! SQL of the account: password reset links (tenant rows of the issuing region) and the
//! user's own preferences.

use sqlx::PgConnection;

use crate::ids::{RegionId, UserId};

#[derive(sqlx::FromRow)]
pub struct PendingReset {
    pub id: i64,
    pub user_id: UserId,
    pub email: String,
}

pub async fn insert_reset(
    db: &mut PgConnection,
    region: RegionId,
    user: UserId,
    token_hash: &[u8],
    created_by: UserId,
    ttl_hours: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into password_resets (region_id, user_id, token_hash, created_by, expires_at)
           values ($1, $2, $3, $4, now() + make_interval(hours => $5))"#,
    )
    .bind(region)
    .bind(user)
    .bind(token_hash)
    .bind(created_by)
    .bind(ttl_hours)
    .execute(db)
    .await?;
    Ok(())
}

/// The unused, unexpired link of an enabled account, locked until the transaction ends so a
/// link cannot be used twice at once.
pub async fn pending_reset(
    db: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<PendingReset>, sqlx::Error> {
    sqlx::query_as::<_, PendingReset>(
        r#"select r.id, r.user_id, u.email from password_resets r join users u on u.id = r.user_id
           where r.token_hash = $1 and r.used_at is null and r.expires_at > now() and u.disabled_at is null
           for update of r"#,
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

pub async fn mark_reset_used(db: &mut PgConnection, reset: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update password_resets set used_at = now() where id = $1")
        .bind(reset)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_locale(
    db: &mut PgConnection,
    user: UserId,
    locale: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update users set locale = $2 where id = $1")
        .bind(user)
        .bind(locale)
        .execute(db)
        .await?;
    Ok(())
}
