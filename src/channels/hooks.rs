//! The addresses platforms deliver events to. They answer in milliseconds: the event is
//! checked, written in one short transaction and acknowledged; the worker (`intake`) makes
//! the question. Nothing a platform sends answers 500: a body that is not an event is 400,
//! a wrong secret 403, an unknown address 404, and a database that cannot take the event 503,
//! which the platform retries.

use axum::body::{Body, to_bytes};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{db, secrets, vk};
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

pub async fn vk(State(state): State<AppState>, Path(token): Path<String>, body: Body) -> Response {
    let Ok(bytes) = to_bytes(body, MAX_EVENT_BYTES).await else {
        return plain(StatusCode::BAD_REQUEST, "event too large");
    };
    let Some((callback, payload)) = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .map(without_nul)
        .and_then(|p| vk::envelope(&p).map(|c| (c, p)))
    else {
        return plain(StatusCode::BAD_REQUEST, "not a VK Callback API event");
    };
    if !well_formed(&token) {
        return plain(StatusCode::NOT_FOUND, "no such connection");
    }
    let target = match db::hook_target(&state.db, "vk", &token).await {
        Ok(Some(target)) => target,
        Ok(None) => return plain(StatusCode::NOT_FOUND, "no such connection"),
        Err(e) => {
            tracing::error!(error = %e, "a VK event could not be matched to its connection");
            return plain(StatusCode::SERVICE_UNAVAILABLE, "try again later");
        }
    };
    if callback.group_id.is_some() && callback.group_id != target.group_id {
        return plain(StatusCode::FORBIDDEN, "another community");
    }
    if callback.kind == "confirmation" {
        return plain(StatusCode::OK, target.confirmation.as_deref().unwrap_or(""));
    }
    let secret_ok = match (&target.secret_hash, &callback.secret) {
        (None, _) => true,
        (Some(kept), Some(presented)) => secrets::matches(presented, kept),
        (Some(_), None) => false,
    };
    if !secret_ok {
        tracing::warn!(
            connection = target.id,
            "a VK event with a wrong secret was refused"
        );
        return plain(StatusCode::FORBIDDEN, "wrong secret");
    }
    // VK repeats `event_id` when it delivers again; an event without one is keyed by its body.
    let key = callback.event_id.clone().unwrap_or_else(|| {
        crate::web::session::hex(&secrets::fingerprint(&String::from_utf8_lossy(&bytes)))
    });
    match db::record_event(&state.db, &target, &key, &callback.kind, &payload).await {
        Ok(_) => {
            state.events_arrived.notify_one();
            plain(StatusCode::OK, "ok")
        }
        Err(e) => {
            tracing::error!(error = %e, connection = target.id, "a VK event could not be stored");
            plain(StatusCode::SERVICE_UNAVAILABLE, "try again later")
        }
    }
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
