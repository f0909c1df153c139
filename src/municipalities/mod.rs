//! Municipalities of a region (districts, okrugs, cities) with their OKTMO codes. Admins
//! manage them; organizations and municipal coordinators point at them.

pub mod db;
mod handlers;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub const KINDS: [&str; 5] = [
    "city_okrug",
    "municipal_okrug",
    "municipal_district",
    "urban_settlement",
    "rural_settlement",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/r/{region}/municipalities",
            get(handlers::list).post(handlers::create),
        )
        .route("/r/{region}/municipalities/new", get(handlers::new_form))
        .route(
            "/r/{region}/municipalities/{id}",
            get(handlers::edit_form).post(handlers::update),
        )
}
