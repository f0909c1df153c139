//! The rules a region sets for itself: which platforms every organization must have, what
//! counts as an active page, answer deadlines, the working calendar and the quality-score
//! weights. One row per region; admins edit it, every change is audited with before and after.

pub mod calendar;
pub mod db;
mod forms;

pub use forms::PLATFORM_USE as PLATFORM_USES;
pub(crate) mod handlers;

use axum::routing::get;

use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/settings",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::edit_form).post(handlers::update),
        )
        .add(
            "/r/{region}/settings/calendar",
            &[(POST, Access::RegionAdmin)],
            axum::routing::post(calendar::upload),
        )
}
