//! The public face: what a resident sees without signing in. The national entry (`/`), each
//! region's directory of organizations with their official pages and the verified badge, an
//! organization's public card, the region's coverage summary, the open data sets, and a box that tells whether a page is a registered official
//! one. Public pages read only what a resident may see, touch no session, and carry an `ETag`
//! and a minute's `Cache-Control` (`web::cache`).

mod check;
pub mod db;
mod handlers;
mod opendata;
pub mod query;
mod sitemap;
mod summary;

use axum::middleware::from_fn;
use axum::routing::{MethodRouter, get};

use crate::state::AppState;
use crate::web::routes::{Access, GET, Routes};

/// A public GET route: cached and tagged.
pub fn public(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.layer(from_fn(crate::web::cache::middleware))
}

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/",
            &[(GET, Access::Public)],
            public(get(handlers::national)),
        )
        .add(
            "/r/{region}/directory",
            &[(GET, Access::Public)],
            public(get(handlers::directory)),
        )
        .add(
            "/r/{region}/directory/{id}",
            &[(GET, Access::Public)],
            public(get(handlers::card)),
        )
        .add(
            "/r/{region}/summary",
            &[(GET, Access::Public)],
            public(get(summary::summary)),
        )
        .add(
            "/r/{region}/opendata",
            &[(GET, Access::Public)],
            public(get(opendata::region_passport)),
        )
        .add(
            "/r/{region}/opendata/pages.csv",
            &[(GET, Access::Public)],
            get(opendata::region_csv),
        )
        .add(
            "/r/{region}/opendata/pages.json",
            &[(GET, Access::Public)],
            get(opendata::region_json),
        )
        .add(
            "/opendata",
            &[(GET, Access::Public)],
            public(get(opendata::national_passport)),
        )
        .add(
            "/opendata/pages.csv",
            &[(GET, Access::Public)],
            get(opendata::national_csv),
        )
        .add(
            "/opendata/pages-v1.schema.json",
            &[(GET, Access::Public)],
            get(opendata::schema),
        )
        .add(
            "/opendata/pages.json",
            &[(GET, Access::Public)],
            get(opendata::national_json),
        )
        .add(
            "/robots.txt",
            &[(GET, Access::Public)],
            get(sitemap::robots),
        )
        .add(
            "/sitemap.xml",
            &[(GET, Access::Public)],
            get(sitemap::index),
        )
        .add(
            "/r/{region}/sitemap.xml",
            &[(GET, Access::Public)],
            get(sitemap::region),
        )
        .add(
            "/r/{region}/check",
            &[(GET, Access::Public)],
            public(get(check::check)),
        )
}
