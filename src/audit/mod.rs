//! The audit log: every change that matters, written in the same transaction as the change.

use serde_json::Value;
use sqlx::PgConnection;

use crate::ids::{RegionId, UserId};

pub async fn record(
    db: &mut PgConnection,
    region: Option<RegionId>,
    user: Option<UserId>,
    action: &str,
    object_type: &str,
    object_id: Option<i64>,
    details: Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into audit_log (region_id, user_id, action, object_type, object_id, details)
           values ($1, $2, $3, $4, $5, $6)"#,
    )
    .bind(region)
    .bind(user)
    .bind(action)
    .bind(object_type)
    .bind(object_id)
    .bind(details)
    .execute(db)
    .await?;
    Ok(())
}
