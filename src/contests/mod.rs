//! Page contests (#Знакомьтесь_Госпаблики). The region's admin creates a contest with
//! nominations (a sector's pages, or pages picked by address) and a voting period in the
//! region's time; residents vote once per nomination (a signed vote cookie, limits per
//! network, an optional e-mail code); the admin watches votes per hour and per network, voids
//! bursts with a reason, and publishes the results once the voting is over. The winners carry
//! a badge on their public cards until the day the admin set.

mod admin;
pub mod db;
mod form;
mod mail;
mod public;
mod voter;

use axum::routing::{get, post};

use crate::directory::public as cached;
use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    let admin = Access::RegionAdmin;
    Routes::new()
        .add(
            "/r/{region}/contests",
            &[(GET, Access::Public)],
            cached(get(public::list)),
        )
        .add(
            "/r/{region}/contests/{id}",
            &[(GET, Access::Public)],
            get(public::show),
        )
        .add(
            "/r/{region}/contests/{id}/vote",
            &[(POST, Access::Public)],
            post(public::vote),
        )
        .add(
            "/r/{region}/contests/{id}/confirm",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(public::confirm_form).post(public::confirm),
        )
        .add(
            "/r/{region}/contest-admin",
            &[(GET, admin), (POST, admin)],
            get(admin::list).post(admin::create),
        )
        .add(
            "/r/{region}/contest-admin/{id}",
            &[(GET, admin)],
            get(admin::manage),
        )
        .add(
            "/r/{region}/contest-admin/{id}/nominations",
            &[(POST, admin)],
            post(admin::add_nomination),
        )
        .add(
            "/r/{region}/contest-admin/{id}/void",
            &[(POST, admin)],
            post(admin::void),
        )
        .add(
            "/r/{region}/contest-admin/{id}/publish",
            &[(POST, admin)],
            post(admin::publish),
        )
}
