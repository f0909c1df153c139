//! The one error type of the web layer. Handlers return `Result<_, AppError>`; the response
//! carries only a marker, and the error-page middleware renders it in the site's layout with
//! the visitor's language, so no handler builds an error page by hand.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    LoginRequired,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Placed in the response extensions for the error-page middleware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    LoginRequired,
    BadRequest,
    /// A query string holding what no one types (see `web::input`).
    BadQuery,
    /// A form holding what no one types.
    BadForm,
    Conflict,
    Internal,
    PayloadTooLarge,
    MethodNotAllowed,
    Timeout,
    Unavailable,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::LoginRequired => StatusCode::SEE_OTHER,
            ErrorKind::BadRequest | ErrorKind::BadQuery => StatusCode::BAD_REQUEST,
            ErrorKind::BadForm => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Timeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn from_status(status: StatusCode) -> Option<ErrorKind> {
        Some(match status {
            StatusCode::NOT_FOUND => ErrorKind::NotFound,
            StatusCode::FORBIDDEN => ErrorKind::Forbidden,
            StatusCode::BAD_REQUEST => ErrorKind::BadRequest,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
            StatusCode::REQUEST_TIMEOUT => ErrorKind::Timeout,
            StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorKind::BadRequest,
            StatusCode::UNPROCESSABLE_ENTITY => ErrorKind::BadRequest,
            StatusCode::SERVICE_UNAVAILABLE => ErrorKind::Unavailable,
            StatusCode::INTERNAL_SERVER_ERROR => ErrorKind::Internal,
            _ => return None,
        })
    }

    /// Key of the title and the explanation in the catalog.
    pub fn key(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "error-not-found",
            ErrorKind::Forbidden => "error-forbidden",
            ErrorKind::LoginRequired => "error-login-required",
            ErrorKind::BadRequest => "error-bad-request",
            ErrorKind::BadQuery => "error-bad-query",
            ErrorKind::BadForm => "error-bad-form",
            ErrorKind::Conflict => "error-conflict",
            ErrorKind::Internal => "error-internal",
            ErrorKind::PayloadTooLarge => "error-too-large",
            ErrorKind::MethodNotAllowed => "error-method",
            ErrorKind::Timeout => "error-timeout",
            ErrorKind::Unavailable => "error-unavailable",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match &self {
            AppError::NotFound => ErrorKind::NotFound,
            AppError::Forbidden => ErrorKind::Forbidden,
            AppError::LoginRequired => ErrorKind::LoginRequired,
            AppError::BadRequest(_) => ErrorKind::BadRequest,
            AppError::Conflict(_) => ErrorKind::Conflict,
            AppError::Database(e) if is_unavailable(e) => {
                tracing::error!(error = %self, "database unavailable");
                ErrorKind::Unavailable
            }
            AppError::Database(_) | AppError::Render(_) | AppError::Internal(_) => {
                // The request id is on the enclosing span, so this line can be matched to
                // the id the user is shown.
                tracing::error!(error = ?self, "internal error");
                ErrorKind::Internal
            }
        };
        let mut response = page.status().into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// The database is down or restarting, as opposed to a query that is wrong: the client may
/// retry, so it gets 503 rather than 500.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::Io(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::Tls(_) => true,
        // SQLSTATE class 08 (connection exception) and 57 (operator intervention: shutdown,
        // restart, "cannot connect now").
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57")),
        _ => false,
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The name of the violated constraint, when the error is one.
pub fn constraint_of(e: &sqlx::Error) -> Option<&str> {
    e.as_database_error().and_then(|d| d.constraint())
}
