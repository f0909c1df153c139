//! Public pages are the same for every visitor in a language, so a browser or a proxy may keep
//! them a minute and then ask again with `If-None-Match`: each answer carries an `ETag` made
//! from its body, and a matching tag is answered 304 without the body. A minute is also the
//! longest a revoked mark's badge can outlive the revocation.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Bodies above this are sent without a tag rather than held in memory.
const LARGEST_TAGGED: usize = 2 * 1024 * 1024;
pub const PUBLIC_MAX_AGE: &str = "public, max-age=60";

pub async fn middleware(req: Request, next: Next) -> Response {
    let asked = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(req).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::ETAG) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_TAGGED).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = format!("\"{}\"", super::session::hex(&Sha256::digest(&bytes)[..12]));
    let h = &mut parts.headers;
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PUBLIC_MAX_AGE),
        );
    }
    h.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    if asked.is_some_and(|a| matches(&a, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether an `If-None-Match` list names the tag (weak or strong, or `*`).
pub fn matches(asked: &str, tag: &str) -> bool {
    asked
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_in_a_list_weak_or_strong() {
        assert!(matches("\"a\", W/\"b\"", "\"b\""));
        assert!(matches("*", "\"b\""));
        assert!(!matches("\"a\"", "\"b\""));
    }
}
