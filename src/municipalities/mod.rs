//! Municipalities of a region (districts, okrugs, cities) with their OKTMO codes. Admins
//! manage them; organizations and municipal coordinators point at them.

pub mod db;
mod handlers;

use axum::routing::get;

use crate::web::routes::{Access, GET, POST, Routes};

pub const KINDS: [&str; 5] = [
    "city_okrug",
    "municipal_okrug",
    "municipal_district",
    "urban_settlement",
    "rural_settlement",
];

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/municipalities",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::list).post(handlers::create),
        )
        .add(
            "/r/{region}/municipalities/new",
            &[(GET, Access::RegionAdmin)],
            get(handlers::new_form),
        )
        .add(
            "/r/{region}/municipalities/{id}",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::edit_form).post(handlers::update),
        )
}
