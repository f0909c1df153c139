//! Municipalities of a region (districts, okrugs, cities) with their OKTMO codes. Admins
//! manage them; organizations and municipal coordinators point at them.

pub mod db;
mod handlers;

use axum::routing::get;

use crate::web::routes::Routes;

pub const KINDS: [&str; 5] = [
    "city_okrug",
    "municipal_okrug",
    "municipal_district",
    "urban_settlement",
    "rural_settlement",
];

pub fn router() -> Routes {
    crate::dictionaries::routes::<handlers::Municipalities>(
        "/r/{region}/municipalities",
        "/r/{region}/municipalities/new",
        "/r/{region}/municipalities/{id}",
        get(handlers::list),
    )
}
