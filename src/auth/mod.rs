//! Sign-in and sign-out. Users are installation-wide (not tenant rows): one person may work
//! in several regions. A wrong email and a wrong password look and take the same.

pub mod db;
pub mod email;
mod handlers;
pub mod password;
pub mod throttle;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/login",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(handlers::login_form).post(handlers::login),
        )
        .add("/logout", &[(POST, Access::Public)], post(handlers::logout))
}
