//! The signed-in user's own account (changing the password) and password resets: an admin
//! issues a single-use, expiring link for a member of their region only; and the language
//! a person reads the site in.

pub mod db;
mod handlers;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub const RESET_TTL_HOURS: i32 = 24;

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/account/password",
            &[(GET, Access::SignedIn), (POST, Access::SignedIn)],
            get(handlers::password_form).post(handlers::change_password),
        )
        .add(
            "/r/{region}/people/{id}/reset",
            &[(POST, Access::RegionAdmin)],
            post(handlers::issue_reset),
        )
        .add(
            "/password-reset/{token}",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(handlers::reset_form).post(handlers::reset),
        )
        .add(
            "/lang/{code}",
            &[(GET, Access::Public)],
            get(handlers::switch_language),
        )
}
