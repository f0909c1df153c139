//! Calling the platforms: one HTTP client for VK, Telegram and MAX, their base addresses
//! settings (tests and staging point them at a local server that plays the platform). Each
//! answer is read into what the delivery worker needs to know: sent (with the platform's id),
//! try again later, or refused for good with the platform's reason.

use std::time::Duration;

use serde_json::{Value, json};

use super::target::Target;

/// The VK API version the calls are written against.
const VK_VERSION: &str = "5.199";

/// Where each platform's API answers.
#[derive(Clone, Debug)]
pub struct ApiBases {
    pub vk: String,
    pub telegram: String,
    pub max: String,
}

impl ApiBases {
    pub fn production() -> ApiBases {
        ApiBases {
            vk: "https://api.vk.com".into(),
            telegram: "https://api.telegram.org".into(),
            max: "https://platform-api.max.ru".into(),
        }
    }
}

#[derive(Clone)]
pub struct Apis {
    client: reqwest::Client,
    bases: ApiBases,
}

/// What the platform did with one part of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Published; the platform's id of the new comment or message.
    Sent(String),
    /// Not now (network, the platform's own trouble, a rate limit): try again, not before
    /// `after` seconds when the platform said so.
    Retry { reason: String, after: Option<u64> },
    /// Never (no access, a bad parameter, a resident who blocked the bot).
    Refused(String),
    /// The token itself was refused (revoked, expired, wrong): the connection is failing.
    Revoked(String),
}

impl Reply {
    /// What the platform said; empty for a sent part.
    pub fn reason(&self) -> &str {
        match self {
            Reply::Sent(_) => "",
            Reply::Retry { reason, .. } | Reply::Refused(reason) | Reply::Revoked(reason) => reason,
        }
    }
}

/// A part's key the platform drops a repeat by, where it takes one.
#[derive(Clone, Copy, Debug)]
pub struct PartKey {
    pub delivery: i64,
    pub part: usize,
}

impl PartKey {
    /// VK `guid` of a comment.
    pub fn guid(&self) -> String {
        format!("gospublic-{}-{}", self.delivery, self.part)
    }

    /// VK `random_id` of a message: a positive int32, the same for every resend of the part.
    pub fn random_id(&self) -> i32 {
        let slots = i32::MAX as u64 / 16;
        let n = (self.delivery.unsigned_abs() % slots) * 16 + (self.part as u64 % 16);
        n as i32 + 1
    }
}

impl Apis {
    pub fn new(bases: ApiBases) -> Apis {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("the HTTP client builds with its defaults");
        Apis { client, bases }
    }

    /// Sends one part of an answer as a reply to the resident.
    pub async fn send(
        &self,
        target: &Target,
        token: &str,
        group_id: Option<i64>,
        text: &str,
        key: PartKey,
    ) -> Reply {
        match target {
            Target::VkWall {
                owner,
                post,
                comment,
            } => {
                let mut params = vec![
                    ("owner_id", owner.to_string()),
                    ("post_id", post.to_string()),
                    ("reply_to_comment", comment.to_string()),
                    ("message", text.to_owned()),
                    ("guid", key.guid()),
                ];
                if let Some(g) = group_id {
                    params.push(("from_group", g.abs().to_string()));
                }
                self.vk("wall.createComment", token, params, "comment_id")
                    .await
            }
            Target::VkBoard { owner, topic, .. } => {
                let params = vec![
                    ("group_id", owner.abs().to_string()),
                    ("topic_id", topic.to_string()),
                    ("message", text.to_owned()),
                    ("from_group", "1".to_owned()),
                    ("guid", key.guid()),
                ];
                self.vk("board.createComment", token, params, "").await
            }
            Target::VkMessage { peer, message } => {
                let params = vec![
                    ("peer_id", peer.to_string()),
                    ("random_id", key.random_id().to_string()),
                    ("reply_to", message.to_string()),
                    ("message", text.to_owned()),
                ];
                self.vk("messages.send", token, params, "").await
            }
            Target::Telegram { chat, message } => {
                let body = json!({
                    "chat_id": chat, "text": text,
                    "reply_parameters": { "message_id": message, "allow_sending_without_reply": true },
                });
                let url = format!("{}/bot{token}/sendMessage", self.bases.telegram);
                match self.post_json(&url, None, &body).await {
                    Ok((status, retry_after, answer)) => {
                        telegram_reply(status, retry_after, &answer)
                    }
                    Err(reason) => network(reason),
                }
            }
            Target::Max { chat, mid } => {
                let body = json!({ "text": text, "link": { "type": "reply", "mid": mid } });
                let url = format!("{}/messages?chat_id={chat}", self.bases.max);
                match self.post_json(&url, Some(token), &body).await {
                    Ok((status, retry_after, answer)) => max_reply(status, retry_after, &answer),
                    Err(reason) => network(reason),
                }
            }
        }
    }

    /// Tells the platform where to deliver the bot's updates, with the secret it must send
    /// back: Telegram `setWebhook`, MAX `POST /subscriptions`. Err is the platform's reason.
    pub async fn register(
        &self,
        platform: &str,
        token: &str,
        url: &str,
        secret: &str,
    ) -> Result<(), String> {
        let answer = match platform {
            "telegram" => {
                let body =
                    json!({ "url": url, "secret_token": secret, "allowed_updates": ["message"] });
                let address = format!("{}/bot{token}/setWebhook", self.bases.telegram);
                self.post_json(&address, None, &body).await
            }
            "max" => {
                let body =
                    json!({ "url": url, "secret": secret, "update_types": ["message_created"] });
                let address = format!("{}/subscriptions", self.bases.max);
                self.post_json(&address, Some(token), &body).await
            }
            other => return Err(format!("{other} has no webhook registration")),
        };
        let (status, _, answer) = answer?;
        accepted(platform, status, &answer)
    }

    /// Asks the platform who the token belongs to (the card's test button): the bot's or
    /// community's name, or the platform's reason it refused.
    pub async fn check(
        &self,
        platform: &str,
        token: &str,
        group_id: Option<i64>,
    ) -> Result<String, String> {
        let answer = match platform {
            "vk" => {
                let mut params = vec![
                    ("access_token", token.to_owned()),
                    ("v", VK_VERSION.to_owned()),
                ];
                if let Some(g) = group_id {
                    params.push(("group_id", g.to_string()));
                }
                let url = format!("{}/method/groups.getById", self.bases.vk);
                read(self.client.post(url).form(&params).send().await).await
            }
            "telegram" => {
                let url = format!("{}/bot{token}/getMe", self.bases.telegram);
                self.post_json(&url, None, &json!({})).await
            }
            "max" => {
                let url = format!("{}/me", self.bases.max);
                read(
                    self.client
                        .get(url)
                        .header(reqwest::header::AUTHORIZATION, token)
                        .send()
                        .await,
                )
                .await
            }
            other => return Err(format!("{other} is not a connected platform")),
        };
        let (status, _, answer) = answer?;
        accepted(platform, status, &answer)?;
        let name = answer
            .pointer("/response/groups/0/name")
            .or_else(|| answer.pointer("/response/0/name"))
            .or_else(|| answer.pointer("/result/username"))
            .or_else(|| answer.get("username"))
            .or_else(|| answer.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        Ok(name)
    }

    /// People's names by their VK ids (`users.get`, up to 1,000 ids a call): id and «Имя
    /// Фамилия». Err is VK's reason.
    pub async fn vk_names(&self, token: &str, ids: &[i64]) -> Result<Vec<(i64, String)>, String> {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let params = [
            ("user_ids", list),
            ("access_token", token.to_owned()),
            ("v", VK_VERSION.to_owned()),
        ];
        let url = format!("{}/method/users.get", self.bases.vk);
        let (status, _, answer) = read(self.client.post(url).form(&params).send().await).await?;
        accepted("vk", status, &answer)?;
        let people = answer
            .get("response")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(people
            .iter()
            .filter_map(|p| {
                let id = p.get("id")?.as_i64()?;
                let name = ["first_name", "last_name"]
                    .iter()
                    .filter_map(|k| p.get(*k).and_then(Value::as_str))
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                (!name.is_empty()).then_some((id, name))
            })
            .collect())
    }

    /// A VK API method's `response`, or what went wrong as the delivery worker reads it.
    pub async fn vk_method(
        &self,
        method: &str,
        token: &str,
        mut params: Vec<(&str, String)>,
    ) -> Result<Value, Reply> {
        params.push(("access_token", token.to_owned()));
        params.push(("v", VK_VERSION.to_owned()));
        let url = format!("{}/method/{method}", self.bases.vk);
        match read(self.client.post(url).form(&params).send().await).await {
            Ok((status, _, answer)) if status < 500 => match answer.get("response") {
                Some(response) if answer.get("error").is_none() => Ok(response.clone()),
                _ => Err(vk_reply(&answer, "")),
            },
            Ok((status, _, _)) => Err(Reply::Retry {
                reason: format!("HTTP {status}"),
                after: None,
            }),
            Err(reason) => Err(network(reason)),
        }
    }

    /// Many calls in one (`execute`, at most 25): each call's answer in order, `false` for a
    /// call VK refused, and VK's reasons for those in the same order.
    pub async fn vk_execute(&self, token: &str, code: String) -> Result<Executed, Reply> {
        let params = [
            ("code", code),
            ("access_token", token.to_owned()),
            ("v", VK_VERSION.to_owned()),
        ];
        let url = format!("{}/method/execute", self.bases.vk);
        match read(self.client.post(url).form(&params).send().await).await {
            Ok((status, _, answer)) if status < 500 => match answer.get("response") {
                Some(Value::Array(answers)) if answer.get("error").is_none() => {
                    let errors = answer
                        .get("execute_errors")
                        .and_then(Value::as_array)
                        .map(|list| list.iter().map(execute_error).collect())
                        .unwrap_or_default();
                    Ok(Executed {
                        answers: answers.clone(),
                        errors,
                    })
                }
                _ => Err(vk_reply(&answer, "")),
            },
            Ok((status, _, _)) => Err(Reply::Retry {
                reason: format!("HTTP {status}"),
                after: None,
            }),
            Err(reason) => Err(network(reason)),
        }
    }

    /// The number of members of a MAX chat or channel by its public link (`GET /chats/{link}`).
    pub async fn max_member_count(&self, token: &str, link: &str) -> Result<i64, Reply> {
        let url = format!("{}/chats/{link}", self.bases.max);
        let sent = self
            .client
            .get(url)
            .header(reqwest::header::AUTHORIZATION, token)
            .send()
            .await;
        match read(sent).await {
            Ok((200, _, answer)) => answer
                .get("participants_count")
                .and_then(Value::as_i64)
                .ok_or_else(|| Reply::Retry {
                    reason: "MAX: unexpected answer".into(),
                    after: None,
                }),
            Ok((status, retry_after, answer)) => Err(max_reply(status, retry_after, &answer)),
            Err(reason) => Err(network(reason)),
        }
    }

    /// The number of members of a Telegram channel or group the bot can see (`@name`).
    pub async fn telegram_member_count(&self, token: &str, chat: &str) -> Result<i64, Reply> {
        let url = format!("{}/bot{token}/getChatMemberCount", self.bases.telegram);
        match self
            .post_json(&url, None, &json!({ "chat_id": chat }))
            .await
        {
            Ok((status, retry_after, answer)) => {
                match answer.get("result").and_then(Value::as_i64) {
                    Some(n) if answer.get("ok").and_then(Value::as_bool) == Some(true) => Ok(n),
                    _ => Err(telegram_reply(status.max(400), retry_after, &answer)),
                }
            }
            Err(reason) => Err(network(reason)),
        }
    }

    /// A VK API method with its parameters as a form; `field` names the id in an object
    /// answer (empty when the answer is the id itself).
    async fn vk(
        &self,
        method: &str,
        token: &str,
        mut params: Vec<(&str, String)>,
        field: &str,
    ) -> Reply {
        params.push(("access_token", token.to_owned()));
        params.push(("v", VK_VERSION.to_owned()));
        let url = format!("{}/method/{method}", self.bases.vk);
        let sent = self.client.post(url).form(&params).send().await;
        match read(sent).await {
            Ok((status, _, answer)) if status < 500 => vk_reply(&answer, field),
            Ok((status, _, _)) => Reply::Retry {
                reason: format!("HTTP {status}"),
                after: None,
            },
            Err(reason) => network(reason),
        }
    }

    async fn post_json(
        &self,
        url: &str,
        authorization: Option<&str>,
        body: &Value,
    ) -> Result<(u16, Option<u64>, Value), String> {
        let mut request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(token) = authorization {
            request = request.header(reqwest::header::AUTHORIZATION, token);
        }
        read(request.send().await).await
    }
}

/// The status, a `Retry-After` in seconds, and the JSON body (null when it is not JSON).
async fn read(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<(u16, Option<u64>, Value), String> {
    let response = sent.map_err(describe)?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let body = response.bytes().await.map_err(describe)?;
    Ok((
        status,
        retry_after,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    ))
}

/// Whether the platform took a call that returns no id; Err is its reason.
fn accepted(platform: &str, status: u16, answer: &Value) -> Result<(), String> {
    let refused = match platform {
        "vk" => answer.get("error").map(|_| vk_reply(answer, "")),
        "telegram" => (answer.get("ok").and_then(Value::as_bool) != Some(true))
            .then(|| telegram_reply(status, None, answer)),
        _ => (status != 200 || answer.get("success").and_then(Value::as_bool) == Some(false))
            .then(|| max_reply(status.max(400), None, answer)),
    };
    match refused {
        None if status < 400 => Ok(()),
        None => Err(format!("HTTP {status}")),
        Some(Reply::Refused(reason) | Reply::Revoked(reason) | Reply::Retry { reason, .. }) => {
            Err(reason)
        }
        Some(Reply::Sent(_)) => Ok(()),
    }
}

/// A transport failure without the request's address, which carries the bot token.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    if e.is_timeout() {
        "timeout".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        e.to_string()
    }
}

fn network(reason: String) -> Reply {
    Reply::Retry {
        reason,
        after: None,
    }
}

/// What `execute` gave back.
#[derive(Debug, Default)]
pub struct Executed {
    pub answers: Vec<Value>,
    /// «VK 15: Access denied», one per call that answered `false`, in order.
    pub errors: Vec<String>,
}

fn execute_error(e: &Value) -> String {
    let code = e.get("error_code").and_then(Value::as_i64).unwrap_or(0);
    let message = e
        .get("error_msg")
        .and_then(Value::as_str)
        .unwrap_or("unknown error");
    format!("VK {code}: {message}")
}

/// VK answers 200 with `response` or `error`.
pub fn vk_reply(answer: &Value, field: &str) -> Reply {
    if let Some(error) = answer.get("error") {
        let code = error.get("error_code").and_then(Value::as_i64).unwrap_or(0);
        let message = error
            .get("error_msg")
            .and_then(Value::as_str)
            .unwrap_or("unknown error");
        let reason = format!("VK {code}: {message}");
        // 1 unknown, 6 too many requests per second, 9 flood control, 10 VK's own failure.
        return if matches!(code, 1 | 6 | 9 | 10) {
            Reply::Retry {
                reason,
                after: (code == 6).then_some(1),
            }
        } else if matches!(code, 5 | 27) {
            // 5: user authorization failed, 27: group authorization failed.
            Reply::Revoked(reason)
        } else {
            Reply::Refused(reason)
        };
    }
    let response = answer.get("response");
    let id = if field.is_empty() {
        response
    } else {
        response.and_then(|r| r.get(field))
    };
    match id.and_then(Value::as_i64) {
        Some(id) => Reply::Sent(id.to_string()),
        None => Reply::Retry {
            reason: "VK: unexpected answer".into(),
            after: None,
        },
    }
}

/// Telegram answers `{"ok": true, "result": message}` or `ok: false` with its code.
pub fn telegram_reply(status: u16, retry_after: Option<u64>, answer: &Value) -> Reply {
    if answer.get("ok").and_then(Value::as_bool) == Some(true) {
        return match answer.pointer("/result/message_id").and_then(Value::as_i64) {
            Some(id) => Reply::Sent(id.to_string()),
            None => Reply::Retry {
                reason: "Telegram: unexpected answer".into(),
                after: None,
            },
        };
    }
    let code = answer
        .get("error_code")
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(status));
    let description = answer
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("no description");
    let reason = format!("Telegram {code}: {description}");
    let after = answer
        .pointer("/parameters/retry_after")
        .and_then(Value::as_u64)
        .or(retry_after);
    if code == 429 || code >= 500 || status >= 500 {
        Reply::Retry { reason, after }
    } else if code == 401 {
        Reply::Revoked(reason)
    } else {
        Reply::Refused(reason)
    }
}

/// MAX answers 200 with the sent message, or an error status with `code` and `message`.
pub fn max_reply(status: u16, retry_after: Option<u64>, answer: &Value) -> Reply {
    if status == 200 {
        return match answer.pointer("/message/body/mid").and_then(Value::as_str) {
            Some(mid) => Reply::Sent(mid.to_owned()),
            None => Reply::Retry {
                reason: "MAX: unexpected answer".into(),
                after: None,
            },
        };
    }
    let message = answer
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| answer.get("code").and_then(Value::as_str))
        .unwrap_or("no description");
    let reason = format!("MAX {status}: {message}");
    if status == 429 || status >= 500 {
        Reply::Retry {
            reason,
            after: retry_after,
        }
    } else if status == 401 {
        Reply::Revoked(reason)
    } else {
        Reply::Refused(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vk_errors_are_told_apart() {
        let ok = json!({"response": {"comment_id": 10751, "parents_stack": []}});
        assert_eq!(vk_reply(&ok, "comment_id"), Reply::Sent("10751".into()));
        assert_eq!(
            vk_reply(&json!({"response": 412}), ""),
            Reply::Sent("412".into())
        );
        let error = |code| json!({"error": {"error_code": code, "error_msg": "m"}});
        for code in [6, 9, 10] {
            assert!(matches!(vk_reply(&error(code), ""), Reply::Retry { .. }));
        }
        for code in [15, 100, 901] {
            assert_eq!(
                vk_reply(&error(code), ""),
                Reply::Refused(format!("VK {code}: m"))
            );
        }
        assert_eq!(vk_reply(&error(5), ""), Reply::Revoked("VK 5: m".into()));
    }

    #[test]
    fn telegram_and_max_errors_are_told_apart() {
        let ok = json!({"ok": true, "result": {"message_id": 77}});
        assert_eq!(telegram_reply(200, None, &ok), Reply::Sent("77".into()));
        let busy = json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7", "parameters": {"retry_after": 7}});
        assert_eq!(
            telegram_reply(429, None, &busy),
            Reply::Retry {
                reason: "Telegram 429: Too Many Requests: retry after 7".into(),
                after: Some(7)
            }
        );
        let blocked = json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"});
        assert!(matches!(
            telegram_reply(403, None, &blocked),
            Reply::Refused(_)
        ));
        let sent = json!({"message": {"body": {"mid": "mid.1", "seq": 1, "text": "x"}}});
        assert_eq!(max_reply(200, None, &sent), Reply::Sent("mid.1".into()));
        assert!(matches!(
            max_reply(429, Some(3), &json!({})),
            Reply::Retry { after: Some(3), .. }
        ));
        assert!(matches!(
            max_reply(
                401,
                None,
                &json!({"code": "verify.token", "message": "Invalid access_token"})
            ),
            Reply::Revoked(_)
        ));
        assert_eq!(
            PartKey {
                delivery: 5,
                part: 1
            }
            .guid(),
            "gospublic-5-1"
        );
        assert!(
            PartKey {
                delivery: i64::MAX,
                part: 9
            }
            .random_id()
                > 0
        );
    }
}
