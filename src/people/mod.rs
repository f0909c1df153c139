//! Managing the people of a region: changing a member's role and scope, removing a
//! membership, disabling an account (its sessions end at once), revoking and resending
//! invitations. Admins only; an admin cannot take away their own admin role.

pub mod db;
mod handlers;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/memberships/{id}",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::edit_form).post(handlers::update),
        )
        .add(
            "/r/{region}/memberships/{id}/delete",
            &[(POST, Access::RegionAdmin)],
            post(handlers::delete),
        )
        .add(
            "/r/{region}/people/{id}/disable",
            &[(POST, Access::RegionAdmin)],
            post(handlers::disable),
        )
        .add(
            "/r/{region}/people/{id}/enable",
            &[(POST, Access::RegionAdmin)],
            post(handlers::enable),
        )
        .add(
            "/r/{region}/invitations/{id}/revoke",
            &[(POST, Access::RegionAdmin)],
            post(handlers::revoke_invitation),
        )
        .add(
            "/r/{region}/invitations/{id}/resend",
            &[(POST, Access::RegionAdmin)],
            post(handlers::resend_invitation),
        )
}
