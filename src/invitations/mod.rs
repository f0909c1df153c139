//! People of a region: members with their scoped roles, and single-use, expiring invitation
//! links. Without mail configured the link is shown to whoever invited and written to the log.

pub mod db;
mod handlers;
pub mod scope;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/people",
            &[(GET, Access::RegionAdmin)],
            get(handlers::people),
        )
        .add(
            "/r/{region}/invitations",
            &[(POST, Access::RegionAdmin)],
            post(handlers::create),
        )
        .add(
            "/invitations/{token}",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(handlers::accept_form).post(handlers::accept),
        )
}
