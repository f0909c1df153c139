//! Error pages in the site's layout. Handlers return `AppError`; plain-status responses from
//! the router (404, 405), the body limit (413), the timeout (408) and caught panics (500) are
//! turned into the same pages here.

use askama::Template;
use axum::extract::Request;
use axum::http::Method;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use axum::extract::State;

use crate::error::ErrorKind;
use crate::state::AppState;
use crate::web::chrome::{Chrome, locale_of};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorScreen {
    pub chrome: Chrome,
    pub title: String,
    pub message: String,
    pub status: u16,
    /// A refused form: the way back to it with what was typed, which the browser keeps.
    pub back_to_form: bool,
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let locale = locale_of(req.headers(), None);
    let here = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let is_get = req.method() == Method::GET;
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(req).await;
    let page = match response.extensions().get::<ErrorKind>() {
        Some(page) => *page,
        None => {
            let is_html = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            match ErrorKind::from_status(response.status()) {
                Some(page) if !is_html => page,
                _ => return response,
            }
        }
    };
    if page == ErrorKind::LoginRequired {
        let target = if is_get {
            let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
            format!("/login?next={next}")
        } else {
            "/login".to_owned()
        };
        return super::redirect(&target);
    }
    let status = page.status();
    let kept: Vec<_> = response
        .headers()
        .iter()
        .filter(|(k, _)| *k != CONTENT_TYPE && *k != axum::http::header::CONTENT_LENGTH)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut chrome = Chrome::minimal(
        locale,
        here,
        (page == ErrorKind::Internal)
            .then_some(request_id)
            .flatten(),
    );
    if let Some(session) = response.extensions().get::<Session>()
        && let Some(record) = session.record().await
    {
        chrome.csrf = record.csrf_token;
        if let Some(user) = record.user_id {
            // Best effort: an error page must render even when the database is the problem.
            chrome.user_name = super::db::user_name(&state.db, user).await.ok().flatten();
        }
    }
    let message = match response.extensions().get::<super::input::BadField>() {
        Some(super::input::BadField(field)) => locale.t1(page.key(), "field", field),
        None => locale.t(page.key()),
    };
    let template = ErrorScreen {
        title: locale.t(&format!("{}-title", page.key())),
        message,
        status: status.as_u16(),
        back_to_form: page == ErrorKind::BadForm,
        chrome,
    };
    let mut out = match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    };
    for (k, v) in kept {
        out.headers_mut().append(k, v);
    }
    out.extensions_mut().insert(page);
    out
}
