use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppResult;

pub fn render(page: &impl Template) -> AppResult<Response> {
    Ok(Html(page.render()?).into_response())
}

/// A form that failed validation comes back with 422, the user's input and the messages.
pub fn render_invalid(page: &impl Template) -> AppResult<Response> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
