//! The audit log: every change that matters, written in the same transaction as the change.
//! The database keeps it append-only; admins browse their region's part of it.

mod browse;
pub mod db;

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

/// One audit row per (action, object, details), in one statement: what an import writes for
/// every object it creates or updates.
pub async fn record_many(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    object_type: &str,
    rows: Vec<(&'static str, Option<i64>, Value)>,
) -> Result<(), sqlx::Error> {
    let mut actions = Vec::with_capacity(rows.len());
    let mut objects = Vec::with_capacity(rows.len());
    let mut details = Vec::with_capacity(rows.len());
    for (action, object, detail) in rows {
        actions.push(action);
        objects.push(object);
        details.push(detail.to_string());
    }
    db::insert_many(db, region, user, object_type, &actions, &objects, &details).await
}

pub async fn record(
    db: &mut PgConnection,
    region: Option<RegionId>,
    user: Option<UserId>,
    action: &str,
    object_type: &str,
    object_id: Option<i64>,
    details: Value,
) -> Result<(), sqlx::Error> {
    db::insert(db, region, user, action, object_type, object_id, details).await
}
