//! People of a region: members with their scoped roles, and single-use, expiring invitation
//! links. Without mail configured the link is shown to whoever invited and written to the log.

pub mod db;
mod handlers;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{region}/people", get(handlers::people))
        .route("/r/{region}/invitations", post(handlers::create))
        .route(
            "/invitations/{token}",
            get(handlers::accept_form).post(handlers::accept),
        )
}
