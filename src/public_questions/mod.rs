//! Residents' questions from the public site: the form on an organization's public card
//! files a question in its inbox (channel «форма на сайте», deadlines by the region's rules),
//! with the resident's consent stored word for word; the resident follows it by a private
//! status link they can add to and turn off.

pub mod db;
pub mod form;
mod guard;
mod handlers;
pub mod letters;
mod mail;
mod status;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub use guard::LONGEST_WINDOW;

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/directory/{id}/ask",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(handlers::ask).post(handlers::submit),
        )
        .add(
            "/r/{region}/q/{token}",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(status::show).post(status::reply),
        )
        .add(
            "/r/{region}/q/{token}/revoke",
            &[(POST, Access::Public)],
            post(status::revoke),
        )
}
