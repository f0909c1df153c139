//! Session-bound CSRF tokens, checked in one place for every state-changing request, so no
//! POST route can forget. Cross-origin requests are refused earlier by tower-http's
//! `CsrfLayer` (Origin / Sec-Fetch-Site); this token check also covers old browsers.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, ErrorPage};
use crate::web::session::Session;

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";
/// Forms are small; uploads get their own, larger limit on their routes.
pub const FORM_LIMIT: usize = 256 * 1024;

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
    let is_form = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (presented, body) = if let Some(token) = header_token {
        (Some(token), body)
    } else if is_form {
        let bytes = match to_bytes(body, FORM_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                let mut response = ErrorPage::PayloadTooLarge.status().into_response();
                response.extensions_mut().insert(ErrorPage::PayloadTooLarge);
                return response;
            }
        };
        let token = url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
        (token, Body::from(bytes))
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
