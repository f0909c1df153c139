//! Sign-in and sign-out. Users are installation-wide (not tenant rows): one person may work
//! in several regions. A wrong email and a wrong password look and take the same.

mod handlers;
pub mod password;
pub mod throttle;
pub mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(handlers::login_form).post(handlers::login))
        .route("/logout", post(handlers::logout))
}
