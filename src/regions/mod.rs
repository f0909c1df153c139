//! Regions — the tenants — and the platform operator's screens for creating them and
//! inviting their first admin. This is the one installation-wide, cross-region path.

pub mod db;
mod handlers;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/operator/regions",
            get(handlers::list).post(handlers::create),
        )
        .route("/operator/regions/new", get(handlers::new_form))
        .route("/operator/regions/{id}", get(handlers::show))
        .route(
            "/operator/regions/{id}/invitations",
            post(handlers::invite_admin),
        )
}
