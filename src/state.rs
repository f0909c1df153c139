use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(db: PgPool, settings: Settings) -> Self {
        AppState {
            db,
            settings: Arc::new(settings),
        }
    }
}
