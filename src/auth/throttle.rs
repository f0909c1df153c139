//! Sign-in throttling, kept in PostgreSQL so every app instance sees the same counts.
//! Too many failures for one account, or from one address, lock further attempts for a while;
//! a successful sign-in clears the account's and the address's counts.

use std::net::IpAddr;

use sqlx::PgConnection;

/// Failures within the window that lock an account.
pub const ACCOUNT_LIMIT: i32 = 5;
/// Failures within the window that lock a client address (many accounts from one place).
pub const ADDRESS_LIMIT: i32 = 20;
pub const WINDOW_MINUTES: i32 = 15;
pub const LOCK_MINUTES: i32 = 15;

pub fn keys(email: &str, addr: Option<IpAddr>) -> Vec<(String, i32)> {
    let mut keys = vec![(
        format!("account:{}", crate::auth::users::normalize_email(email)),
        ACCOUNT_LIMIT,
    )];
    if let Some(addr) = addr {
        keys.push((format!("address:{addr}"), ADDRESS_LIMIT));
    }
    keys
}

/// Minutes until the earliest lock on these keys lifts, if any is locked.
pub async fn locked_minutes(
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

pub async fn record_failure(
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

pub async fn clear(db: &mut PgConnection, keys: &[(String, i32)]) -> Result<(), sqlx::Error> {
    let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    sqlx::query("delete from login_throttle where key = any($1)")
        .bind(&names)
        .execute(db)
        .await?;
    Ok(())
}
