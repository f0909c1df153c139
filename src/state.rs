use std::sync::Arc;

use sqlx::{PgPool, Postgres, Transaction};

use crate::config::Settings;
use crate::ids::RegionId;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    /// The read replica's pool (`DATABASE_READ_URL`); screens that only read take it through
    /// `web::reads::Reads`.
    pub read: Option<PgPool>,
    pub settings: Arc<Settings>,
    /// Wakes the worker that turns platforms' events into questions.
    pub events_arrived: Arc<tokio::sync::Notify>,
    /// Wakes the worker that sends answers back to the platforms.
    pub answers_published: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(db: PgPool, settings: Settings) -> Self {
        AppState {
            db,
            read: None,
            settings: Arc::new(settings),
            events_arrived: Arc::new(tokio::sync::Notify::new()),
            answers_published: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

impl AppState {
    /// Reads of the screens that only read go to `read`.
    pub fn with_reads(mut self, read: PgPool) -> Self {
        self.read = Some(read);
        self
    }
}

/// The database role region-scoped transactions run as (see the row-level security migration).
pub const TENANT_ROLE: &str = "gospublic_app";

impl AppState {
    /// A transaction confined to one region by row-level security: it runs as the tenant role,
    /// which cannot see or write another region's rows whatever the query says. Commit it to
    /// keep changes; dropping it rolls back.
    pub async fn tenant(
        &self,
        region: RegionId,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        tenant_tx(&self.db, region).await
    }
}

pub async fn tenant_tx(
    db: &PgPool,
    region: RegionId,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = db.begin().await?;
    crate::db::enter_region(&mut tx, TENANT_ROLE, region).await?;
    Ok(tx)
}
