//! The addresses platforms deliver events to. They answer in milliseconds: the event is
//! checked, written in one short transaction and acknowledged; the worker (`intake`) makes
//! the question. Nothing a platform sends answers 500: a body that is not an event is 400,
//! a wrong secret 403, an unknown address 404, and a database that cannot take the event 503,
//! which the platform retries.

use axum::body::{Body, to_bytes};
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{chat, db, secrets, vk};
use crate::state::AppState;

/// The largest event accepted; VK's are a few kilobytes.
pub const MAX_EVENT_BYTES: usize = 1024 * 1024;

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_owned(),
    )
        .into_response()
}

/// A token from a webhook address: what `random_token` makes, nothing else.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The body as JSON without NULs, or the 400 that refuses it.
async fn read_json(body: Body) -> Result<(Value, axum::body::Bytes), Response> {
    let Ok(bytes) = to_bytes(body, MAX_EVENT_BYTES).await else {
        return Err(plain(StatusCode::BAD_REQUEST, "event too large"));
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(payload) if payload.is_object() => Ok((without_nul(payload), bytes)),
        _ => Err(plain(StatusCode::BAD_REQUEST, "not an event")),
    }
}

/// The live connection the address names, or the answer that refuses it.
async fn target(state: &AppState, platform: &str, token: &str) -> Result<db::HookTarget, Response> {
    if !well_formed(token) {
        return Err(plain(StatusCode::NOT_FOUND, "no such connection"));
    }
    match db::hook_target(&state.db, platform, token).await {
        Ok(Some(target)) => Ok(target),
        Ok(None) => Err(plain(StatusCode::NOT_FOUND, "no such connection")),
        Err(e) => {
            tracing::error!(error = %e, platform, "an event could not be matched to its connection");
            Err(plain(StatusCode::SERVICE_UNAVAILABLE, "try again later"))
        }
    }
}

/// The secret the platform sent back matches the one kept (a connection without one takes
/// any).
fn secret_ok(target: &db::HookTarget, presented: Option<&str>) -> bool {
    match (&target.secret_hash, presented) {
        (None, _) => true,
        (Some(kept), Some(presented)) => secrets::matches(presented, kept),
        (Some(_), None) => false,
    }
}

/// Stores the event once and acknowledges it with `ack`.
async fn store(
    state: &AppState,
    target: &db::HookTarget,
    key: &str,
    kind: &str,
    payload: &Value,
    ack: &str,
) -> Response {
    match db::record_event(&state.db, target, key, kind, payload).await {
        Ok(_) => {
            state.events_arrived.notify_one();
            // The event is safe; the connection's «last event» is only for people to read.
            if let Err(e) = db::heard_from(&state.db, target.id).await {
                tracing::warn!(error = %e, connection = target.id, "last event time not updated");
            }
            plain(StatusCode::OK, ack)
        }
        Err(e) => {
            tracing::error!(error = %e, connection = target.id, "an event could not be stored");
            plain(StatusCode::SERVICE_UNAVAILABLE, "try again later")
        }
    }
}

/// A key for an event the platform gave no id: its body.
fn body_key(bytes: &[u8]) -> String {
    crate::web::session::hex(&secrets::fingerprint(&String::from_utf8_lossy(bytes)))
}

pub async fn vk(State(state): State<AppState>, Path(token): Path<String>, body: Body) -> Response {
    let (payload, bytes) = match read_json(body).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let Some(callback) = vk::envelope(&payload) else {
        return plain(StatusCode::BAD_REQUEST, "not a VK Callback API event");
    };
    let target = match target(&state, "vk", &token).await {
        Ok(target) => target,
        Err(refused) => return refused,
    };
    if callback.group_id.is_some() && callback.group_id != target.group_id {
        return plain(StatusCode::FORBIDDEN, "another community");
    }
    if callback.kind == "confirmation" {
        return plain(StatusCode::OK, target.confirmation.as_deref().unwrap_or(""));
    }
    if !secret_ok(&target, callback.secret.as_deref()) {
        tracing::warn!(
            connection = target.id,
            "a VK event with a wrong secret was refused"
        );
        return plain(StatusCode::FORBIDDEN, "wrong secret");
    }
    // VK repeats `event_id` when it delivers again; an event without one is keyed by its body.
    let key = callback
        .event_id
        .clone()
        .unwrap_or_else(|| body_key(&bytes));
    store(&state, &target, &key, &callback.kind, &payload, "ok").await
}

/// Telegram's webhook: the secret comes in `X-Telegram-Bot-Api-Secret-Token`, and the
/// `update_id` repeats when Telegram delivers again.
pub async fn telegram(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (payload, _) = match read_json(body).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let Some(update_id) = chat::telegram_update_id(&payload) else {
        return plain(StatusCode::BAD_REQUEST, "not a Telegram update");
    };
    let target = match target(&state, "telegram", &token).await {
        Ok(target) => target,
        Err(refused) => return refused,
    };
    let presented = headers
        .get("x-telegram-bot-api-secret-token")
        .and_then(|v| v.to_str().ok());
    if !secret_ok(&target, presented) {
        tracing::warn!(
            connection = target.id,
            "a Telegram update with a wrong secret was refused"
        );
        return plain(StatusCode::FORBIDDEN, "wrong secret");
    }
    let kind = chat::telegram_kind(&payload);
    store(
        &state,
        &target,
        &update_id.to_string(),
        &kind,
        &payload,
        "ok",
    )
    .await
}

/// MAX's webhook: the secret comes in `X-Max-Bot-Api-Secret`; a message is stored once by
/// its `mid`.
pub async fn max(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (payload, bytes) = match read_json(body).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let Some(kind) = payload
        .get("update_type")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return plain(StatusCode::BAD_REQUEST, "not a MAX update");
    };
    let target = match target(&state, "max", &token).await {
        Ok(target) => target,
        Err(refused) => return refused,
    };
    let presented = headers
        .get("x-max-bot-api-secret")
        .and_then(|v| v.to_str().ok());
    if !secret_ok(&target, presented) {
        tracing::warn!(
            connection = target.id,
            "a MAX update with a wrong secret was refused"
        );
        return plain(StatusCode::FORBIDDEN, "wrong secret");
    }
    let key = chat::max_key(&payload).unwrap_or_else(|| body_key(&bytes));
    store(&state, &target, &key, &kind, &payload, "ok").await
}

/// The event with NUL characters dropped from its strings: JSON allows `\u0000`, PostgreSQL's
/// `jsonb` does not, and an event must never fail to store for it.
fn without_nul(value: Value) -> Value {
    match value {
        Value::String(s) if s.contains('\0') => Value::String(s.replace('\0', "")),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nul).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.replace('\0', ""), without_nul(v)))
                .collect(),
        ),
        other => other,
    }
}
