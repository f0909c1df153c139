//! The signed-in user's own account (changing the password) and password resets: an admin
//! issues a single-use, expiring link for a member of their region only.

mod handlers;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub const RESET_TTL_HOURS: i32 = 24;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/account/password",
            get(handlers::password_form).post(handlers::change_password),
        )
        .route("/r/{region}/people/{id}/reset", post(handlers::issue_reset))
        .route(
            "/password-reset/{token}",
            get(handlers::reset_form).post(handlers::reset),
        )
}
