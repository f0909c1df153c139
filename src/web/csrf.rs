//! Session-bound CSRF tokens, checked in one place for every state-changing request, so no
//! POST route can forget. Cross-origin requests are refused earlier by tower-http's
//! `CsrfLayer` (Origin / Sec-Fetch-Site); this token check also covers old browsers.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, ErrorKind};
use crate::web::session::Session;

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";
/// Forms are small; uploads get their own, larger limit on their routes.
pub const FORM_LIMIT: usize = 256 * 1024;
/// The largest file a form may carry (a region's registry as a spreadsheet is a few MiB).
pub const FILE_LIMIT: usize = 20 * 1024 * 1024;
/// Uploads (spreadsheets): the file limit plus room for the other fields.
pub const UPLOAD_LIMIT: usize = FILE_LIMIT + 64 * 1024;

pub async fn middleware(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return AppError::Forbidden.into_response();
    };
    let Some(expected) = session.record().await.map(|r| r.csrf_token) else {
        return AppError::Forbidden.into_response();
    };
    let (parts, body) = req.into_parts();
    let header_token = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (presented, body) = if let Some(token) = header_token {
        (Some(token), body)
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
            return too_large();
        };
        let token = url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
        (token, Body::from(bytes))
    } else if content_type.starts_with("multipart/form-data") {
        // Uploads: the token is a field of the form like any other; the body is read once
        // here (bounded by the upload limit) and handed on unchanged.
        let Ok(bytes) = to_bytes(body, UPLOAD_LIMIT).await else {
            return too_large();
        };
        (
            multipart_token(&content_type, bytes.clone()).await,
            Body::from(bytes),
        )
    } else {
        (None, body)
    };
    match presented {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "request without a valid CSRF token refused");
            AppError::Forbidden.into_response()
        }
    }
}

fn too_large() -> Response {
    let mut response = ErrorKind::PayloadTooLarge.status().into_response();
    response.extensions_mut().insert(ErrorKind::PayloadTooLarge);
    response
}

async fn multipart_token(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    use axum::extract::{DefaultBodyLimit, FromRequest};
    use tower::{Layer, ServiceExt};
    let request = Request::builder()
        .header(axum::http::header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    // The extractor applies axum's default 2 MB limit unless told otherwise, and the body is
    // one chunk: any upload over 2 MB would lose its token. The body was already bounded by
    // the upload limit; the same limit is given here.
    let read = tower::service_fn(|request: Request| async move {
        let Ok(mut multipart) = axum::extract::Multipart::from_request(request, &()).await else {
            return Ok::<_, std::convert::Infallible>(None);
        };
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some(FIELD) {
                return Ok(field.text().await.ok());
            }
        }
        Ok(None)
    });
    DefaultBodyLimit::max(UPLOAD_LIMIT)
        .layer(read)
        .oneshot(request)
        .await
        .ok()
        .flatten()
}

/// Compares secrets without telling by the time taken how much of them matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
