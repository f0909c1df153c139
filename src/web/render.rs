use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppResult;

pub fn render(screen: &impl Template) -> AppResult<Response> {
    Ok(Html(screen.render()?).into_response())
}

/// A form that failed validation comes back with 422, the user's input and the messages.
pub fn render_invalid(screen: &impl Template) -> AppResult<Response> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(screen.render()?)).into_response())
}

/// A page with a visitor's own data or a private link: kept out of every cache.
pub fn private_page(status: StatusCode, screen: &impl Template) -> AppResult<Response> {
    Ok((
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Html(screen.render()?),
    )
        .into_response())
}
