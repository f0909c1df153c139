//! SQL of sign-in: users (installation-wide rows) and the throttle counts.

use sqlx::PgConnection;

use super::email::normalize_email;
use super::throttle::{LOCK_MINUTES, WINDOW_MINUTES};
use crate::ids::UserId;

#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn credentials(
    db: &mut PgConnection,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as::<_, Credentials>(
        "select id, password_hash, disabled_at is not null as disabled from users where email = $1",
    )
    .bind(normalize_email(email))
    .fetch_optional(db)
    .await
}

pub async fn find_by_email(
    db: &mut PgConnection,
    email: &str,
) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(normalize_email(email))
        .fetch_optional(db)
        .await
}

pub async fn create(
    db: &mut PgConnection,
    email: &str,
    name: &str,
    password_hash: &str,
    is_operator: bool,
    is_demo: bool,
) -> Result<UserId, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into users (email, name, password_hash, is_operator, is_demo)
           values ($1, $2, $3, $4, $5) returning id"#,
    )
    .bind(normalize_email(email))
    .bind(name.trim())
    .bind(password_hash)
    .bind(is_operator)
    .bind(is_demo)
    .fetch_one(db)
    .await
}

/// Sets a new password and ends every session of the user: a changed password must lock out
/// whoever else might be signed in.
pub async fn set_password(
    db: &mut PgConnection,
    user: UserId,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update users set password_hash = $2, password_changed_at = now(), updated_at = now() where id = $1")
        .bind(user)
        .bind(password_hash)
        .execute(&mut *db)
        .await?;
    sqlx::query("delete from sessions where user_id = $1")
        .bind(user)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn password_hash_of(
    db: &mut PgConnection,
    user: UserId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(user)
        .fetch_optional(db)
        .await
}

/// Minutes until the earliest lock on these keys lifts, if any is locked.
pub async fn throttle_locked_minutes(
    db: &mut PgConnection,
    keys: &[(String, i32)],
) -> Result<Option<i64>, sqlx::Error> {
    let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    let seconds: Option<f64> = sqlx::query_scalar(
        "select extract(epoch from max(locked_until) - now())::float8 from login_throttle where key = any($1) and locked_until > now()",
    )
    .bind(&names)
    .fetch_one(db)
    .await?;
    Ok(seconds.map(|s| ((s / 60.0).ceil() as i64).max(1)))
}

pub async fn record_throttle_failure(
    db: &mut PgConnection,
    keys: &[(String, i32)],
) -> Result<(), sqlx::Error> {
    for (key, limit) in keys {
        sqlx::query(
            r#"insert into login_throttle as t (key, failures, window_started_at) values ($1, 1, now())
               on conflict (key) do update set
                   failures = case when t.window_started_at < now() - make_interval(mins => $3) then 1 else t.failures + 1 end,
                   window_started_at = case when t.window_started_at < now() - make_interval(mins => $3) then now() else t.window_started_at end"#,
        )
        .bind(key)
        .bind(limit)
        .bind(WINDOW_MINUTES)
        .execute(&mut *db)
        .await?;
        sqlx::query(
            "update login_throttle set locked_until = now() + make_interval(mins => $3), failures = 0, window_started_at = now() where key = $1 and failures >= $2",
        )
        .bind(key)
        .bind(limit)
        .bind(LOCK_MINUTES)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

pub async fn clear_throttle(
    db: &mut PgConnection,
    keys: &[(String, i32)],
) -> Result<(), sqlx::Error> {
    let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    sqlx::query("delete from login_throttle where key = any($1)")
        .bind(&names)
        .execute(db)
        .await?;
    Ok(())
}
