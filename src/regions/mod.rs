//! Regions — the tenants — and the platform operator's screens for creating them and
//! inviting their first admin. This is the one installation-wide, cross-region path.

pub mod db;
mod handlers;
pub mod time;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/operator/regions",
            &[(GET, Access::Operator), (POST, Access::Operator)],
            get(handlers::list).post(handlers::create),
        )
        .add(
            "/operator/regions/new",
            &[(GET, Access::Operator)],
            get(handlers::new_form),
        )
        .add(
            "/operator/regions/{id}",
            &[(GET, Access::Operator)],
            get(handlers::show),
        )
        .add(
            "/operator/regions/{id}/invitations",
            &[(POST, Access::Operator)],
            post(handlers::invite_admin),
        )
}
