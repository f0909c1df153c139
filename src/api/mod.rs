//! The API for the region's other systems: JSON under `/api/v1`, called with tokens a region's
//! admin makes on «Доступ по API» (`screen`) or with `gospublic api-token` (`cli`). A token
//! belongs to a region, so the region is never in the address; every error is JSON (`error`).

pub mod auth;
pub mod cli;
pub mod db;
mod docs;
pub mod error;
mod figures;
mod json;
pub mod openapi;
pub mod paging;
mod questions;
mod registry;
pub mod scopes;
mod screen;
pub mod tokens;

use axum::Router;
use axum::routing::{any, get};

use crate::state::AppState;
use crate::web::routes::{Access, GET, POST, Routes};

/// Largest request body the API takes.
pub const MAX_BODY: usize = 1024 * 1024;

/// The token screen, for the region's admins, and the API's reference.
pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/api-tokens",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(screen::show).post(screen::create),
        )
        // Public, with the pages: the reference is read by people, the document by tools.
        .add("/api/docs", &[(GET, Access::Public)], get(docs::show))
        .add(
            "/api/openapi.json",
            &[(GET, Access::Public)],
            get(openapi::json),
        )
        .add(
            "/r/{region}/api-tokens/revoke",
            &[(POST, Access::RegionAdmin)],
            axum::routing::post(screen::revoke),
        )
}

/// The API itself: bearer tokens, JSON in and out.
pub fn api() -> Routes {
    Routes::new()
        .add(
            "/api/v1/questions",
            &[(GET, Access::ApiToken), (POST, Access::ApiToken)],
            get(questions::list)
                .post(questions::create)
                .fallback(error::no_method),
        )
        .add(
            "/api/v1/questions/{id}",
            &[(GET, Access::ApiToken)],
            get(questions::show).fallback(error::no_method),
        )
        .add(
            "/api/v1/organizations",
            &[(GET, Access::ApiToken)],
            get(registry::organizations).fallback(error::no_method),
        )
        .add(
            "/api/v1/pages",
            &[(GET, Access::ApiToken)],
            get(registry::pages).fallback(error::no_method),
        )
        .add(
            "/api/v1/figures",
            &[(GET, Access::ApiToken), (POST, Access::ApiToken)],
            get(figures::read)
                .post(figures::upload)
                .fallback(error::no_method),
        )
}

/// The API's router with its JSON answers for addresses it lacks and bodies too large (a
/// route, not a fallback: the pages keep theirs when the routers are merged).
pub fn service(routes: Router<AppState>) -> Router<AppState> {
    routes
        .route("/api/{*rest}", any(error::no_route))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
}
