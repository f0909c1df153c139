//! A local server that plays the VK API, the Telegram Bot API and the MAX Bot API: it records
//! every call, publishes what it is sent (dropping a VK repeat by its `guid` or `random_id`
//! as VK does), and answers with scripted errors or hangs when a test asks it to.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gospublic::channels::apis::ApiBases;
use serde_json::{Value, json};

/// The installation key the channel tests seal tokens with.
pub const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

pub fn key() -> gospublic::channels::secrets::SecretKey {
    gospublic::channels::secrets::SecretKey::parse(KEY).unwrap()
}

/// One call as the platform received it.
#[derive(Clone, Debug)]
pub struct Call {
    pub platform: &'static str,
    pub method: String,
    /// Form fields, query and JSON body merged into one object.
    pub params: Value,
    pub authorization: Option<String>,
}

/// A comment or message the platform published (a dropped repeat is not one).
#[derive(Clone, Debug)]
pub struct Published {
    pub platform: &'static str,
    pub id: String,
    pub text: String,
    /// What it replies to: the VK comment, the Telegram message, the MAX mid.
    pub reply_to: String,
}

/// An answer the platform gives instead of doing the call.
#[derive(Clone, Debug)]
pub struct Scripted {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<u64>,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    published: Vec<Published>,
    /// VK's memory of keys: guid or peer+random_id → the id it gave.
    seen: HashMap<String, String>,
    next_id: i64,
    scripted: HashMap<&'static str, VecDeque<Scripted>>,
    /// Publish the next call, then never answer it.
    hang_next: bool,
}

#[derive(Clone, Default)]
pub struct Platforms {
    inner: Arc<Mutex<Inner>>,
    pub base: String,
}

impl Platforms {
    pub async fn start() -> Platforms {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let platforms = Platforms {
            inner: Arc::new(Mutex::new(Inner {
                next_id: 1000,
                ..Default::default()
            })),
            base: format!("http://127.0.0.1:{port}"),
        };
        let app = Router::new()
            .route("/vk/method/{method}", post(vk))
            .route("/telegram/{bot}/{method}", post(telegram))
            .route("/max/messages", post(max_message))
            .route("/max/subscriptions", post(max_subscribe))
            .route("/max/me", get(max_me))
            .route("/max/chats/{link}", get(max_chat))
            .with_state(platforms.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        platforms
    }

    /// Server settings that call this double and seal tokens with `KEY`.
    pub fn settings(&self) -> gospublic::config::Settings {
        gospublic::config::Settings {
            secret_key: Some(key()),
            apis: self.bases(),
            ..gospublic::config::Settings::for_tests()
        }
    }

    pub fn bases(&self) -> ApiBases {
        ApiBases {
            vk: format!("{}/vk", self.base),
            telegram: format!("{}/telegram", self.base),
            max: format!("{}/max", self.base),
        }
    }

    /// The next call to `platform` gets this answer instead.
    pub fn script(&self, platform: &'static str, status: u16, body: Value) {
        self.script_with(
            platform,
            Scripted {
                status,
                body,
                retry_after: None,
            },
        );
    }

    pub fn script_with(&self, platform: &'static str, answer: Scripted) {
        let mut inner = self.inner.lock().unwrap();
        inner
            .scripted
            .entry(platform)
            .or_default()
            .push_back(answer);
    }

    /// The next call is carried out and then left without an answer.
    pub fn hang_next(&self) {
        self.inner.lock().unwrap().hang_next = true;
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.lock().unwrap().calls.clone()
    }

    pub fn published(&self) -> Vec<Published> {
        self.inner.lock().unwrap().published.clone()
    }

    /// Waits until at least `n` calls arrived.
    pub async fn wait_for_calls(&self, n: usize) {
        for _ in 0..400 {
            if self.calls().len() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the platform was not called {n} times: {:?}", self.calls());
    }

    /// Records the call; a scripted answer if one is queued.
    fn arrive(&self, call: Call) -> Option<Scripted> {
        let mut inner = self.inner.lock().unwrap();
        let platform = call.platform;
        inner.calls.push(call);
        inner
            .scripted
            .get_mut(platform)
            .and_then(VecDeque::pop_front)
    }

    /// Publishes unless the key was seen; returns the id and whether to hang.
    fn publish(
        &self,
        platform: &'static str,
        key: Option<String>,
        text: &str,
        reply_to: String,
    ) -> (String, bool) {
        let mut inner = self.inner.lock().unwrap();
        if let Some(key) = &key
            && let Some(id) = inner.seen.get(key)
        {
            return (id.clone(), false);
        }
        inner.next_id += 1;
        let id = if platform == "max" {
            format!("mid.{}", inner.next_id)
        } else {
            inner.next_id.to_string()
        };
        if let Some(key) = key {
            inner.seen.insert(key, id.clone());
        }
        inner.published.push(Published {
            platform,
            id: id.clone(),
            text: text.to_owned(),
            reply_to,
        });
        (id, std::mem::take(&mut inner.hang_next))
    }
}

fn scripted(answer: Scripted) -> Response {
    let mut response = (
        StatusCode::from_u16(answer.status).unwrap(),
        axum::Json(answer.body),
    )
        .into_response();
    if let Some(s) = answer.retry_after {
        response
            .headers_mut()
            .insert("retry-after", s.to_string().parse().unwrap());
    }
    response
}

async fn hang() -> Response {
    tokio::time::sleep(Duration::from_secs(3600)).await;
    StatusCode::GATEWAY_TIMEOUT.into_response()
}

fn text_of(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

async fn vk(
    State(p): State<Platforms>,
    Path(method): Path<String>,
    axum::extract::Form(form): axum::extract::Form<HashMap<String, String>>,
) -> Response {
    let params: Value = form
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    if let Some(answer) = p.arrive(Call {
        platform: "vk",
        method: method.clone(),
        params: params.clone(),
        authorization: None,
    }) {
        return scripted(answer);
    }
    if params.get("access_token").is_none() {
        return axum::Json(json!({"error": {"error_code": 5, "error_msg": "User authorization failed: no access_token passed."}})).into_response();
    }
    let message = text_of(&params, "message");
    if method == "users.get" {
        // Everyone is «Житель» with their id for a surname, so a test can tell who is who.
        let people: Vec<Value> = text_of(&params, "user_ids")
            .split(',')
            .filter_map(|id| id.trim().parse::<i64>().ok())
            .map(|id| json!({"id": id, "first_name": "Житель", "last_name": id.to_string(), "can_access_closed": true}))
            .collect();
        return axum::Json(json!({ "response": people })).into_response();
    }
    if method == "groups.getById" {
        if params.get("group_ids").is_some() {
            let groups: Vec<Value> = text_of(&params, "group_ids")
                .split(',')
                .filter_map(community)
                .collect();
            return axum::Json(json!({"response": {"groups": groups, "profiles": []}}))
                .into_response();
        }
        let id: i64 = text_of(&params, "group_id").parse().unwrap_or(218000001);
        return axum::Json(json!({"response": {"groups": [{"id": id, "name": "Школа № 1", "screen_name": "school1", "members_count": 1540}], "profiles": []}}))
            .into_response();
    }
    if method == "wall.get" {
        return axum::Json(json!({ "response": wall() })).into_response();
    }
    if method == "execute" {
        return axum::Json(execute(&text_of(&params, "code"))).into_response();
    }
    let (key, reply_to, field) = match method.as_str() {
        "wall.createComment" => (
            format!("guid:{}", text_of(&params, "guid")),
            text_of(&params, "reply_to_comment"),
            Some("comment_id"),
        ),
        "board.createComment" => (
            format!("guid:{}", text_of(&params, "guid")),
            text_of(&params, "topic_id"),
            None,
        ),
        "messages.send" => (
            format!(
                "random:{}:{}",
                text_of(&params, "peer_id"),
                text_of(&params, "random_id")
            ),
            text_of(&params, "reply_to"),
            None,
        ),
        _ => {
            return axum::Json(
                json!({"error": {"error_code": 3, "error_msg": "Unknown method passed"}}),
            )
            .into_response();
        }
    };
    let (id, hang_now) = p.publish("vk", Some(key), &message, reply_to);
    if hang_now {
        return hang().await;
    }
    let id: i64 = id.parse().unwrap();
    let response = match field {
        Some(f) => json!({ f: id, "parents_stack": [] }),
        None => json!(id),
    };
    axum::Json(json!({ "response": response })).into_response()
}

/// A community as `groups.getById` names it: `club123` is community 123, any other name gets
/// a number of its own; a name starting with «gone» does not exist, and one starting with
/// «closed» has its wall closed (a number from 900,000,000). Followers: 1,000 + the number's
/// last three digits.
fn community(name: &str) -> Option<Value> {
    let name = name.trim();
    if name.is_empty() || name.starts_with("gone") {
        return None;
    }
    let id = match name
        .strip_prefix("club")
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(id) => id,
        None => {
            let base = if name.starts_with("closed") {
                900_000_000
            } else {
                400_000_000
            };
            base + name
                .bytes()
                .fold(0i64, |h, b| (h * 31 + i64::from(b)) % 1_000_000)
        }
    };
    Some(json!({"id": id, "name": name, "screen_name": name, "members_count": 1000 + id % 1000}))
}

/// A wall: a pinned post of last month, then two of today.
fn wall() -> Value {
    let now = chrono::Utc::now().timestamp();
    let post = |date: i64, views: i64| {
        json!({"id": date, "date": date, "views": {"count": views},
        "likes": {"count": 10}, "comments": {"count": 2}, "reposts": {"count": 1}})
    };
    json!({"count": 3, "items": [post(now - 40 * 86400, 9000), post(now - 60, 700), post(now - 120, 300)]})
}

/// `execute` as the collector uses it: `return [API.wall.get({...}),...];`, each wall in
/// order, `false` and an entry of `execute_errors` for a closed one.
fn execute(code: &str) -> Value {
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for call in code.split("API.").skip(1) {
        let args = call
            .strip_prefix("wall.get(")
            .and_then(|rest| rest.split(')').next())
            .and_then(|a| serde_json::from_str::<Value>(a).ok());
        let Some(args) = args else {
            return json!({"error": {"error_code": 12, "error_msg": "Unable to compile code"}});
        };
        let owner = args["owner_id"].as_i64().unwrap_or(0);
        if -owner >= 900_000_000 {
            answers.push(json!(false));
            errors.push(json!({"method": "wall.get", "error_code": 15, "error_msg": "Access denied: wall is disabled"}));
        } else {
            answers.push(wall());
        }
    }
    if answers.len() > 25 {
        return json!({"error": {"error_code": 13, "error_msg": "Too many API calls"}});
    }
    json!({"response": answers, "execute_errors": errors})
}

async fn telegram(
    State(p): State<Platforms>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let token = bot.trim_start_matches("bot").to_owned();
    if let Some(answer) = p.arrive(Call {
        platform: "telegram",
        method: method.clone(),
        params: params.clone(),
        authorization: Some(token),
    }) {
        return scripted(answer);
    }
    match method.as_str() {
        "sendMessage" => {
            let reply_to = params
                .pointer("/reply_parameters/message_id")
                .map(Value::to_string)
                .unwrap_or_default();
            let (id, hang_now) = p.publish("telegram", None, &text_of(&params, "text"), reply_to);
            if hang_now {
                return hang().await;
            }
            let id: i64 = id.parse().unwrap();
            axum::Json(json!({"ok": true, "result": {"message_id": id, "date": 0, "chat": {"id": params["chat_id"]}, "text": params["text"]}}))
                .into_response()
        }
        "setWebhook" | "deleteWebhook" => {
            axum::Json(json!({"ok": true, "result": true, "description": "Webhook was set"})).into_response()
        }
        "getChatMemberCount" => {
            axum::Json(json!({"ok": true, "result": 812})).into_response()
        }
        "getMe" => axum::Json(json!({"ok": true, "result": {"id": 7000001, "is_bot": true, "first_name": "Школа", "username": "school_bot"}}))
            .into_response(),
        _ => (StatusCode::NOT_FOUND, axum::Json(json!({"ok": false, "error_code": 404, "description": "Not Found"}))).into_response(),
    }
}

async fn max_message(
    State(p): State<Platforms>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut params: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
    for (k, v) in query {
        params[k] = Value::String(v);
    }
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(answer) = p.arrive(Call {
        platform: "max",
        method: "messages".into(),
        params: params.clone(),
        authorization: authorization.clone(),
    }) {
        return scripted(answer);
    }
    if authorization.is_none() {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"code": "verify.token", "message": "Invalid access_token"})),
        )
            .into_response();
    }
    let reply_to = params
        .pointer("/link/mid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let (mid, hang_now) = p.publish("max", None, &text_of(&params, "text"), reply_to);
    if hang_now {
        return hang().await;
    }
    axum::Json(
        json!({"message": {"recipient": {"chat_id": params["chat_id"]}, "timestamp": 0,
                                   "body": {"mid": mid, "seq": 1, "text": params["text"]}}}),
    )
    .into_response()
}

async fn max_subscribe(State(p): State<Platforms>, headers: HeaderMap, body: Bytes) -> Response {
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(answer) = p.arrive(Call {
        platform: "max",
        method: "subscriptions".into(),
        params,
        authorization,
    }) {
        return scripted(answer);
    }
    axum::Json(json!({"success": true})).into_response()
}

async fn max_me(State(p): State<Platforms>, headers: HeaderMap) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(answer) = p.arrive(Call {
        platform: "max",
        method: "me".into(),
        params: Value::Null,
        authorization,
    }) {
        return scripted(answer);
    }
    axum::Json(
        json!({"user_id": 9000001, "name": "Школа", "username": "school_bot", "is_bot": true}),
    )
    .into_response()
}

async fn max_chat(
    State(p): State<Platforms>,
    Path(link): Path<String>,
    headers: HeaderMap,
) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(answer) = p.arrive(Call {
        platform: "max",
        method: "chats".into(),
        params: json!({ "link": link }),
        authorization,
    }) {
        return scripted(answer);
    }
    axum::Json(
        json!({"chat_id": -7000001, "type": "channel", "status": "active",
                      "title": "Школа", "link": link, "participants_count": 433}),
    )
    .into_response()
}
