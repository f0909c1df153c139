//! Liveness and readiness for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::state::AppState;
use crate::web::routes::{Access, GET, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add("/healthz", &[(GET, Access::Public)], get(healthz))
        .add("/readyz", &[(GET, Access::Public)], get(readyz))
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers and every migration this binary knows is applied.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if crate::db::migrations_applied(&state.db).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}
