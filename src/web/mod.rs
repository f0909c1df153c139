//! Router assembly and the middleware stack.

pub mod access;
pub mod chrome;
pub mod csrf;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod render;
pub mod routes;
pub mod session;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::AppResult;
use crate::i18n::{LOCALE_COOKIE, Locale};
use crate::state::AppState;
use access::MaybeUser;
use routes::{Access, RouteInfo, Routes};

/// Every route of the application with its access rule, without the middleware stack.
pub fn routes() -> Routes {
    Routes::new()
        .merge(crate::health::router())
        .merge(crate::auth::router())
        .merge(crate::account::router())
        .merge(crate::home::router())
        .merge(crate::regions::router())
        .merge(crate::municipalities::router())
        .merge(crate::sectors::router())
        .merge(crate::orgs::router())
        .merge(crate::pages::router())
        .merge(crate::invitations::router())
        .merge(crate::import::router())
        .merge(crate::audit::router())
        .merge(crate::people::router())
        .merge(crate::settings::router())
        .merge(crate::questions::router())
        .merge(crate::dashboard::router())
        .add(
            "/lang/{code}",
            &[(routes::GET, Access::Public)],
            get(switch_language),
        )
}

/// The access table, for the test that walks every route.
pub fn route_table() -> Vec<RouteInfo> {
    routes().into_parts().1
}

pub fn app(state: AppState) -> Router {
    let secure = state.settings.secure_cookies;
    let (router, _) = routes().into_parts();
    router
        .layer(DefaultBodyLimit::max(csrf::FORM_LIMIT))
        .layer(from_fn(csrf::middleware))
        .layer(from_fn_with_state(state.clone(), session::middleware))
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.settings.request_timeout,
        ))
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), errors::middleware))
        .nest_service("/static", ServeDir::new(static_dir()))
        // Outside the error pages and the static files, so every response gets them.
        .layer(from_fn(move |req, next| {
            headers::middleware(secure, req, next)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                )
                .make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        request_id = %request_id,
                        method = %req.method(),
                        path = %req.uri().path(),
                        user_id = tracing::field::Empty,
                    )
                }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

fn static_dir() -> std::path::PathBuf {
    std::env::var_os("GOSPUBLIC_STATIC_DIR")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static"))
}

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

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn switch_language(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let locale = Locale::parse(&code).ok_or(crate::error::AppError::NotFound)?;
    if let Some(user) = user {
        sqlx::query("update users set locale = $2 where id = $1")
            .bind(user.user.id)
            .bind(locale.code())
            .execute(&state.db)
            .await?;
    }
    let mut response = redirect(&safe_next(q.next.as_deref()));
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        locale.code(),
        session::secure_attr(state.settings.secure_cookies)
    );
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("ascii cookie"),
    );
    Ok(response)
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
