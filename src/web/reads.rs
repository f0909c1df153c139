//! Where a request reads: the read replica (`DATABASE_READ_URL`) when one is configured,
//! except for a person whose own write the replica has not replayed yet.
//!
//! After a request that may have written (any method but GET and HEAD) succeeds, the
//! response carries the primary's WAL position in a cookie. While the replica's replayed
//! position is behind it, that browser reads from the primary; once the replica has caught
//! up, from the replica again. Comparing positions rather than waiting a fixed time costs one
//! small query on the replica per request that carries the cookie, and it is exact: a
//! replica lagging for a minute under load still never shows anyone their change undone.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use sqlx::{PgPool, Postgres, Transaction};

use crate::error::AppError;
use crate::ids::RegionId;
use crate::state::AppState;
use crate::web::session::{cookie_value, secure_attr};

pub const WRITTEN_COOKIE: &str = "gp_written";

/// How long a browser is remembered as having written: replicas replay within seconds, and
/// after this the cookie is gone even if the browser never came back in between.
const REMEMBER_SECONDS: u64 = 300;

/// Which server a request's reads went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    Primary,
    Replica,
}

/// The pool a screen that only reads takes its connections from.
pub struct Reads {
    pool: PgPool,
    pub from: ReadFrom,
}

impl Reads {
    /// A read transaction confined to one region, as `AppState::tenant` is.
    pub async fn tenant(
        &self,
        region: RegionId,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        crate::state::tenant_tx(&self.pool, region).await
    }

    /// For reads outside row-level security (the public directory, the federal overview).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The replica unless it is behind the browser's last write (or cannot say where it is).
pub async fn route(state: &AppState, written: Option<&str>) -> ReadFrom {
    let Some(replica) = &state.read else {
        return ReadFrom::Primary;
    };
    let Some(position) = written else {
        return ReadFrom::Replica;
    };
    match super::db::replayed_past(replica, position).await {
        Ok(true) => ReadFrom::Replica,
        Ok(false) => ReadFrom::Primary,
        Err(e) => {
            tracing::warn!(error = %e, "the read replica cannot say how far it has replayed; reading from the primary");
            ReadFrom::Primary
        }
    }
}

/// Where this request reads, decided once per request: the region in the path and the
/// screen's own reads go to the same server.
pub async fn reads_of(parts: &mut Parts, state: &AppState) -> Reads {
    let from = match parts.extensions.get::<ReadFrom>() {
        Some(from) => *from,
        None => {
            let written = cookie_value(&parts.headers, WRITTEN_COOKIE).filter(|v| is_position(v));
            let from = route(state, written.as_deref()).await;
            parts.extensions.insert(from);
            from
        }
    };
    let pool = match (from, &state.read) {
        (ReadFrom::Replica, Some(replica)) => replica.clone(),
        _ => state.db.clone(),
    };
    Reads { pool, from }
}

impl FromRequestParts<AppState> for Reads {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(reads_of(parts, state).await)
    }
}

/// A WAL position as PostgreSQL prints it (`16/B374D848`); anything else in the cookie is
/// ignored rather than sent to the database.
fn is_position(v: &str) -> bool {
    let mut halves = v.split('/');
    let hex = |h: Option<&str>| {
        h.is_some_and(|h| !h.is_empty() && h.len() <= 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    hex(halves.next()) && hex(halves.next()) && halves.next().is_none()
}

/// Remembers in the browser where the primary's WAL stood after a request that may have
/// written, so its next reads wait for the replica to get there. Without a replica, nothing.
pub async fn remember_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let may_write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut response = next.run(req).await;
    let succeeded = response.status().is_success() || response.status().is_redirection();
    if state.read.is_none() || !may_write || !succeeded {
        return response;
    }
    match super::db::wal_position(&state.db).await {
        Ok(position) => {
            let cookie = format!(
                "{WRITTEN_COOKIE}={position}; Path=/; HttpOnly; SameSite=Lax; Max-Age={REMEMBER_SECONDS}{}",
                secure_attr(state.settings.secure_cookies)
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, v);
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot read the primary's WAL position"),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_position;

    #[test]
    fn only_wal_positions_reach_the_database() {
        assert!(is_position("16/B374D848"));
        assert!(is_position("0/0"));
        assert!(!is_position("16/B374D848/1"));
        assert!(!is_position("16"));
        assert!(!is_position("x/1"));
        assert!(!is_position("1/'; drop table x"));
        assert!(!is_position("/1"));
    }
}
