//! Official pages of organizations on VK, Odnoklassniki, Telegram, MAX and other sites.
//! Addresses are normalized per platform (see `url`), and one page is registered once in
//! the whole installation. Admins manage every page of the region; an editor the pages of
//! their own organization.

pub mod db;
mod handlers;
pub mod url;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{region}/pages", get(handlers::list))
        .route(
            "/r/{region}/orgs/{id}/pages",
            axum::routing::post(handlers::create),
        )
        .route("/r/{region}/orgs/{id}/pages/new", get(handlers::new_form))
        .route(
            "/r/{region}/pages/{id}",
            get(handlers::edit_form).post(handlers::update),
        )
}
