//! Organizations: government bodies and institutions of a region, their founders
//! (подведомственность), sectors and exemption. Tenancy: every query is filtered by the
//! region first; who sees which organization is decided by `RegionAccess`.

pub mod contacts;
pub mod db;
mod forms;
mod handlers;
pub mod identifiers;

use axum::routing::get;

use crate::web::routes::{Access, GET, POST, Routes};

pub use forms::LEVELS;

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/orgs",
            &[(GET, Access::RegionMember), (POST, Access::RegionAdmin)],
            get(handlers::list).post(handlers::create),
        )
        .add(
            "/r/{region}/orgs/new",
            &[(GET, Access::RegionAdmin)],
            get(handlers::new_form),
        )
        .add(
            "/r/{region}/orgs/{id}",
            &[(GET, Access::RegionMember), (POST, Access::RegionAdmin)],
            get(handlers::show).post(handlers::update),
        )
        .add(
            "/r/{region}/orgs/{id}/edit",
            &[(GET, Access::RegionAdmin)],
            get(handlers::edit_form),
        )
}
