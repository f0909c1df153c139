//! A resident's message to an organization's bot, read from a Telegram `Update` or a MAX
//! `message_created` update. Chats have no threads: the chat itself names the conversation,
//! and further messages from it join its open question. Read without a database, so every
//! documented shape is tested on its own.

use serde_json::Value;

/// A message to the bot from a person in a private chat.
#[derive(Debug, PartialEq)]
pub struct ChatMessage {
    pub platform: &'static str,
    pub chat: i64,
    /// The platform's id of the message (a number in Telegram, a `mid` in MAX).
    pub message_id: String,
    pub author: Option<String>,
    /// How to reach the author on the platform.
    pub contact: Option<String>,
    pub text: String,
    /// Kinds of what was attached when no link can be given (Telegram files need the bot's
    /// token to open), or the links (MAX images).
    pub attachments: Vec<String>,
    /// Seconds since the epoch.
    pub date: Option<i64>,
}

impl ChatMessage {
    /// The question's external id, from which an answer finds its way back.
    pub fn external_id(&self) -> String {
        format!("{}{}_{}", self.platform, self.chat, self.message_id)
    }

    pub fn conversation(&self) -> String {
        format!("{}:{}", self.platform, self.chat)
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn full_name(v: &Value) -> Option<String> {
    let name = [str_of(v, "first_name"), str_of(v, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        str_of(v, "name").map(str::to_owned)
    } else {
        Some(name)
    }
}

/// The update's id, which Telegram repeats when it delivers again.
pub fn telegram_update_id(update: &Value) -> Option<i64> {
    update.get("update_id").and_then(Value::as_i64)
}

/// What kind of update it is: the name of the field that carries it.
pub fn telegram_kind(update: &Value) -> String {
    update
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "update_id").cloned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A person's message in a private chat with the bot; None for anything else (groups,
/// channels, other bots, edits, button presses).
pub fn telegram_message(update: &Value) -> Option<ChatMessage> {
    let m = update.get("message")?;
    let chat = m.get("chat")?;
    if chat.get("type").and_then(Value::as_str) != Some("private") {
        return None;
    }
    let from = m.get("from")?;
    if from.get("is_bot").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let text = str_of(m, "text")
        .or_else(|| str_of(m, "caption"))
        .unwrap_or("")
        .trim()
        .to_owned();
    let attachments = ["photo", "document", "video", "voice", "audio", "location"]
        .iter()
        .filter(|k| m.get(**k).is_some())
        .map(|k| format!("telegram:{k}"))
        .collect();
    Some(ChatMessage {
        platform: "telegram",
        chat: chat.get("id")?.as_i64()?,
        message_id: m.get("message_id")?.as_i64()?.to_string(),
        author: full_name(from),
        contact: str_of(from, "username")
            .map(|u| format!("https://t.me/{u}"))
            .or_else(|| from.get("id").map(|id| format!("Telegram id {id}"))),
        text,
        attachments,
        date: m.get("date").and_then(Value::as_i64),
    })
}

/// A person's message in a dialog with the bot, from a `message_created` update.
pub fn max_message(update: &Value) -> Option<ChatMessage> {
    if update.get("update_type").and_then(Value::as_str) != Some("message_created") {
        return None;
    }
    let m = update.get("message")?;
    let recipient = m.get("recipient")?;
    if recipient.get("chat_type").and_then(Value::as_str) != Some("dialog") {
        return None;
    }
    let sender = m.get("sender")?;
    if sender.get("is_bot").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let body = m.get("body")?;
    let attachments = body
        .get("attachments")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| {
                    a.pointer("/payload/url")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .or_else(|| a.get("type")?.as_str().map(|t| format!("max:{t}")))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ChatMessage {
        platform: "max",
        chat: recipient.get("chat_id")?.as_i64()?,
        message_id: str_of(body, "mid")?.to_owned(),
        author: full_name(sender),
        contact: str_of(sender, "username")
            .map(|u| format!("https://max.ru/{u}"))
            .or_else(|| sender.get("user_id").map(|id| format!("MAX id {id}"))),
        text: str_of(body, "text").unwrap_or("").trim().to_owned(),
        attachments,
        // MAX counts milliseconds.
        date: m
            .get("timestamp")
            .and_then(Value::as_i64)
            .map(|ms| ms / 1000),
    })
}

/// The key MAX's update is stored once by: the message's `mid`, or the whole update.
pub fn max_key(update: &Value) -> Option<String> {
    update
        .pointer("/message/body/mid")
        .and_then(Value::as_str)
        .map(|mid| format!("{}:{mid}", update["update_type"].as_str().unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_telegram_message_to_the_bot() {
        let update = json!({"update_id": 10001, "message": {"message_id": 7, "date": 1764400000,
            "from": {"id": 111, "is_bot": false, "first_name": "Анна", "last_name": "Петрова", "username": "anna_p"},
            "chat": {"id": 111, "type": "private", "first_name": "Анна"},
            "text": " Где записаться в кружок? "}});
        let m = telegram_message(&update).unwrap();
        assert_eq!(m.external_id(), "telegram111_7");
        assert_eq!(m.conversation(), "telegram:111");
        assert_eq!(m.author.as_deref(), Some("Анна Петрова"));
        assert_eq!(m.contact.as_deref(), Some("https://t.me/anna_p"));
        assert_eq!(m.text, "Где записаться в кружок?");
        assert_eq!(telegram_update_id(&update), Some(10001));
        assert_eq!(telegram_kind(&update), "message");
        let mut group = update.clone();
        group["message"]["chat"]["type"] = json!("group");
        assert_eq!(telegram_message(&group), None);
        let photo = json!({"update_id": 2, "message": {"message_id": 8, "from": {"id": 5}, "chat": {"id": 5, "type": "private"},
            "photo": [{"file_id": "x"}], "caption": "Вот яма"}});
        let p = telegram_message(&photo).unwrap();
        assert_eq!(
            (p.text.as_str(), p.attachments.as_slice()),
            ("Вот яма", &["telegram:photo".to_owned()][..])
        );
        assert_eq!(p.contact.as_deref(), Some("Telegram id 5"));
        assert_eq!(
            telegram_kind(&json!({"update_id": 3, "edited_message": {}})),
            "edited_message"
        );
    }

    #[test]
    fn a_max_message_to_the_bot() {
        let update = json!({"update_type": "message_created", "timestamp": 1764400000123_i64,
            "message": {"sender": {"user_id": 123, "first_name": "Иван", "username": null, "is_bot": false},
                        "recipient": {"chat_id": 456, "chat_type": "dialog"}, "timestamp": 1764400000123_i64,
                        "body": {"mid": "mid.abc_1", "seq": 1, "text": "Когда откроют каток?",
                                 "attachments": [{"type": "image", "payload": {"url": "https://i.max.ru/1.jpg"}}]}}});
        let m = max_message(&update).unwrap();
        assert_eq!(m.external_id(), "max456_mid.abc_1");
        assert_eq!(m.author.as_deref(), Some("Иван"));
        assert_eq!(m.contact.as_deref(), Some("MAX id 123"));
        assert_eq!(m.attachments, ["https://i.max.ru/1.jpg"]);
        assert_eq!(m.date, Some(1764400000));
        assert_eq!(
            max_key(&update).as_deref(),
            Some("message_created:mid.abc_1")
        );
        let mut chat = update.clone();
        chat["message"]["recipient"]["chat_type"] = json!("chat");
        assert_eq!(max_message(&chat), None);
        assert_eq!(max_message(&json!({"update_type": "bot_started"})), None);
    }
}
