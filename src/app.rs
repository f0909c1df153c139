//! The one place that knows every feature: it merges their routers and wraps them in the
//! middleware stack. Features and the web kit sit below it and never import it.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::state::AppState;
use crate::web::routes::{RouteInfo, Routes};
use crate::web::{csrf, errors, headers, input, reads, session};

/// Every route of the application with its access rule, without the middleware stack.
pub fn routes() -> Routes {
    Routes::new()
        .merge(crate::health::router())
        .merge(crate::auth::router())
        .merge(crate::account::router())
        .merge(crate::home::router())
        .merge(crate::directory::router())
        .merge(crate::public_questions::router())
        .merge(crate::contests::router())
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
        .merge(crate::channels::router())
        .merge(crate::api::router())
}

/// Routes platforms and other systems call: outside sessions, CSRF and the HTML error pages.
pub fn machine_routes() -> Routes {
    Routes::new()
        .merge(crate::channels::hooks())
        .merge(crate::api::api())
}

/// The access table, for the test that walks every route.
pub fn route_table() -> Vec<RouteInfo> {
    let mut table = routes().into_parts().1;
    table.extend(machine_routes().into_parts().1);
    table
}

pub fn app(state: AppState) -> Router {
    let secure = state.settings.secure_cookies;
    let (router, _) = routes().into_parts();
    let pages = router
        .layer(DefaultBodyLimit::max(csrf::FORM_LIMIT))
        .layer(from_fn(csrf::middleware))
        // Before the CSRF check reads the form, so a form with a NUL byte is 422, not 403.
        .layer(from_fn(input::middleware))
        .layer(from_fn_with_state(state.clone(), session::middleware))
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.settings.request_timeout,
        ))
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), errors::middleware));
    // Platforms' routes first: merging keeps the second router's fallback, and the pages'
    // fallback is the one wrapped in the error pages.
    Router::new()
        .merge(crate::api::service(machine_routes().into_parts().0))
        .merge(pages)
        .nest_service("/static", ServeDir::new(static_dir()))
        // Outside the error pages and the static files, so every response gets them.
        .layer(from_fn(move |req, next| {
            headers::middleware(secure, req, next)
        }))
        .layer(from_fn_with_state(state.clone(), reads::remember_writes))
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
