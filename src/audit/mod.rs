//! The audit log: every change that matters, written in the same transaction as the change.
//! The database keeps it append-only; admins browse their region's part of it.

mod browse;

use axum::routing::get;

use crate::web::routes::{Access, GET, Routes};

/// Every action written to the log; each has a label `audit-action-<code>` in the catalog.
pub const ACTIONS: [&str; 17] = [
    "erase",
    "delete",
    "disable",
    "enable",
    "revoke",
    "resend",
    "create",
    "update",
    "sign_in",
    "accept",
    "commit",
    "view",
    "change_password",
    "issue_password_reset",
    "reset_password",
    "import_create",
    "import_update",
];

/// Every kind of object in the log; each has a label `audit-object-<code>`.
pub const OBJECT_TYPES: [&str; 13] = [
    "page_figures",
    "question_contacts",
    "settings",
    "membership",
    "organization",
    "page",
    "municipality",
    "sector",
    "region",
    "invitation",
    "user",
    "import",
    "federal_overview",
];

pub fn router() -> Routes {
    Routes::new().add(
        "/r/{region}/audit",
        &[(GET, Access::RegionAdmin)],
        get(browse::list),
    )
}

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
