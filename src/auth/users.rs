//! SQL for users: installation-wide rows.

use sqlx::PgConnection;

use crate::ids::UserId;

#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
    pub disabled: bool,
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn looks_like_email(email: &str) -> bool {
    let e = email.trim();
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
                && e.len() <= 254
        }
        None => false,
    }
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
