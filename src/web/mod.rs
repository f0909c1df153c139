//! The kit every feature uses and that uses no feature: extractors, access guards, rendering,
//! chrome, CSRF, sessions, pagination, forms and error pages. The app assembles the features
//! above it (`crate::app`).

pub mod access;
pub mod cache;
pub mod chrome;
pub mod csrf;
pub mod csv;
pub mod db;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod input;
pub mod pager;
pub mod public;
pub mod reads;
pub mod render;
pub mod routes;
pub mod session;

use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Only a path on this site: `//evil.example` and `/\evil` are someone else's host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(
            safe_next(Some("/r/altai/orgs?page=2")),
            "/r/altai/orgs?page=2"
        );
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
