//! Organizations: government bodies and institutions of a region, their founders
//! (подведомственность), sectors and exemption. Tenancy: every query is filtered by the
//! region first; who sees which organization is decided by `RegionAccess`.

pub mod db;
mod forms;
mod handlers;
pub mod identifiers;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub use forms::LEVELS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/r/{region}/orgs",
            get(handlers::list).post(handlers::create),
        )
        .route("/r/{region}/orgs/new", get(handlers::new_form))
        .route(
            "/r/{region}/orgs/{id}",
            get(handlers::show).post(handlers::update),
        )
        .route("/r/{region}/orgs/{id}/edit", get(handlers::edit_form))
}
