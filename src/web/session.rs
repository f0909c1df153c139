//! Server-side sessions in PostgreSQL, so they survive restarts and are shared by every app
//! instance. The cookie holds a random token; the table holds only its SHA-256. A session is
//! created lazily (the first page with a form needs a CSRF token), replaced at sign-in so the
//! id changes, and deleted at sign-out.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tokio::sync::Mutex;

use crate::error::AppError;
use crate::ids::UserId;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "gp_session";

/// Refresh last_seen_at at most this often, so a page view is not always a write.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub id_hash: Vec<u8>,
    pub user_id: Option<UserId>,
    pub csrf_token: String,
    pub flash: Option<String>,
}

enum CookieChange {
    Set(String),
    Clear,
}

struct Inner {
    record: Option<SessionRecord>,
    cookie: Option<CookieChange>,
}

/// The request's session, shared between extractors and the middleware that writes the cookie.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Mutex<Inner>>,
    db: PgPool,
}

impl Session {
    pub async fn record(&self) -> Option<SessionRecord> {
        self.inner.lock().await.record.clone()
    }

    pub async fn user_id(&self) -> Option<UserId> {
        self.inner
            .lock()
            .await
            .record
            .as_ref()
            .and_then(|r| r.user_id)
    }

    /// The session, created (anonymous) when the visitor has none yet.
    pub async fn ensure(&self) -> Result<SessionRecord, AppError> {
        let mut inner = self.inner.lock().await;
        if let Some(record) = &inner.record {
            return Ok(record.clone());
        }
        let (token, record) = create(&self.db, None).await?;
        inner.record = Some(record.clone());
        inner.cookie = Some(CookieChange::Set(token));
        Ok(record)
    }

    /// Starts a signed-in session under a new id; the old one is deleted so a token planted
    /// before sign-in (session fixation) is worthless.
    pub async fn sign_in(&self, user: UserId) -> Result<(), AppError> {
        let mut inner = self.inner.lock().await;
        if let Some(old) = inner.record.take() {
            delete(&self.db, &old.id_hash).await?;
        }
        let (token, record) = create(&self.db, Some(user)).await?;
        inner.record = Some(record);
        inner.cookie = Some(CookieChange::Set(token));
        Ok(())
    }

    pub async fn sign_out(&self) -> Result<(), AppError> {
        let mut inner = self.inner.lock().await;
        if let Some(old) = inner.record.take() {
            delete(&self.db, &old.id_hash).await?;
        }
        inner.cookie = Some(CookieChange::Clear);
        Ok(())
    }

    pub async fn set_flash(&self, message: String) -> Result<(), AppError> {
        let record = self.ensure().await?;
        super::db::set_flash(&self.db, &record.id_hash, Some(&message)).await?;
        if let Some(r) = self.inner.lock().await.record.as_mut() {
            r.flash = Some(message);
        }
        Ok(())
    }

    pub async fn take_flash(&self) -> Result<Option<String>, AppError> {
        let mut inner = self.inner.lock().await;
        let Some(record) = inner.record.as_mut() else {
            return Ok(None);
        };
        let Some(flash) = record.flash.take() else {
            return Ok(None);
        };
        super::db::set_flash(&self.db, &record.id_hash, None).await?;
        Ok(Some(flash))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("session middleware missing")))
    }
}

pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = cookie_value(req.headers(), SESSION_COOKIE);
    let loaded = match &token {
        Some(token) => load(&state, token).await,
        None => Ok(None),
    };
    let record = match loaded {
        Ok(r) => r,
        Err(e) => return AppError::from(e).into_response_now(),
    };
    let cookie = match (&token, &record) {
        (Some(_), None) => Some(CookieChange::Clear),
        _ => None,
    };
    let session = Session {
        inner: Arc::new(Mutex::new(Inner { record, cookie })),
        db: state.db.clone(),
    };
    req.extensions_mut().insert(session.clone());
    let mut response = next.run(req).await;
    // Error pages are rendered further out; they use this to show who is signed in.
    response.extensions_mut().insert(session.clone());
    if let Some(change) = session.inner.lock().await.cookie.take() {
        let value = match change {
            CookieChange::Set(token) => format!(
                "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
                state.settings.session_max.as_secs(),
                secure_attr(state.settings.secure_cookies)
            ),
            CookieChange::Clear => format!(
                "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
                secure_attr(state.settings.secure_cookies)
            ),
        };
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

pub fn secure_attr(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

trait IntoResponseNow {
    fn into_response_now(self) -> Response;
}

impl IntoResponseNow for AppError {
    fn into_response_now(self) -> Response {
        axum::response::IntoResponse::into_response(self)
    }
}

async fn load(state: &AppState, token: &str) -> Result<Option<SessionRecord>, sqlx::Error> {
    let row = super::db::live_session(
        &state.db,
        &hash_token(token),
        state.settings.session_idle,
        state.settings.session_max,
        TOUCH_EVERY,
    )
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.stale {
        super::db::touch_session(&state.db, &row.id_hash).await?;
    }
    Ok(Some(SessionRecord {
        id_hash: row.id_hash,
        user_id: row.user_id,
        csrf_token: row.csrf_token,
        flash: row.flash,
    }))
}

async fn create(db: &PgPool, user: Option<UserId>) -> Result<(String, SessionRecord), AppError> {
    let token = random_token();
    let record = SessionRecord {
        id_hash: hash_token(&token),
        user_id: user,
        csrf_token: random_token(),
        flash: None,
    };
    super::db::insert_session(db, &record.id_hash, record.user_id, &record.csrf_token).await?;
    Ok((token, record))
}

async fn delete(db: &PgPool, id_hash: &[u8]) -> Result<(), sqlx::Error> {
    super::db::delete_session(db, id_hash).await
}

/// Removes sessions past the idle timeout; run periodically by the server.
pub async fn delete_expired(db: &PgPool, idle: Duration) -> Result<u64, sqlx::Error> {
    super::db::delete_idle_sessions(db, idle).await
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// 256 random bits, hex encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random number generator is unavailable");
    hex(&bytes)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Bytes as lowercase hexadecimal digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
