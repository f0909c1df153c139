//! The VK Callback API as a community's server receives it: one JSON object per event with
//! its `type`, the community's `group_id`, an `event_id` VK repeats when it delivers again,
//! the community's `secret`, and the event's `object`. Read here without a database, so every
//! documented shape is tested on its own.

use serde_json::Value;

/// An event as it arrived, enough to store it and check it belongs to the connection.
#[derive(Debug, PartialEq)]
pub struct Callback {
    pub kind: String,
    pub group_id: Option<i64>,
    pub event_id: Option<String>,
    pub secret: Option<String>,
}

/// Reads the envelope; None when the body is not a VK event at all.
pub fn envelope(payload: &Value) -> Option<Callback> {
    let kind = payload.get("type")?.as_str()?.to_owned();
    Some(Callback {
        kind,
        group_id: payload.get("group_id").and_then(Value::as_i64),
        event_id: payload
            .get("event_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        secret: payload
            .get("secret")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// Where a resident wrote: under a post, to the community, or in a discussion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Wall,
    Messages,
    Board,
}

impl Place {
    /// The question's channel.
    pub fn channel(self) -> &'static str {
        match self {
            Place::Messages => "message",
            Place::Wall | Place::Board => "comment",
        }
    }
}

/// What a resident wrote, read from an event that may become a question.
#[derive(Debug, PartialEq)]
pub struct Inbound {
    pub place: Place,
    /// The platform's id of the comment or message, unique within the page and channel.
    pub external_id: String,
    pub from_id: i64,
    pub text: String,
    /// Links to what was attached.
    pub attachments: Vec<String>,
    /// Where to read it on VK.
    pub link: String,
    /// Written by the community itself (its own reply, an outgoing message).
    pub own: bool,
    /// The external id of the comment this one replies to, when it is a reply.
    pub reply_to: Option<String>,
    /// The conversation a message belongs to (`vk:{peer}`), for messages.
    pub conversation: Option<String>,
}

fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

fn text(v: &Value) -> String {
    v.get("text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// Links to a comment's or message's attachments that VK lets a person open.
fn attachments(v: &Value) -> Vec<String> {
    let Some(list) = v.get("attachments").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|a| {
            let kind = a.get("type")?.as_str()?;
            let item = a.get(kind)?;
            if kind == "link" {
                return item.get("url")?.as_str().map(str::to_owned);
            }
            let owner = int(item, "owner_id")?;
            let id = int(item, "id")?;
            match kind {
                "photo" | "video" | "doc" | "audio" => {
                    Some(format!("https://vk.com/{kind}{owner}_{id}"))
                }
                _ => None,
            }
        })
        .collect()
}

/// The resident's words in an event that may become a question, or None for other events.
/// `group_id` tells the community's own comments from residents'.
pub fn inbound(kind: &str, object: &Value, group_id: i64) -> Option<Inbound> {
    let community = -group_id.abs();
    match kind {
        "wall_reply_new" | "wall_reply_edit" => {
            let id = int(object, "id")?;
            let owner = int(object, "owner_id")
                .or_else(|| int(object, "post_owner_id"))
                .unwrap_or(community);
            let post = int(object, "post_id")?;
            let from_id = int(object, "from_id")?;
            Some(Inbound {
                place: Place::Wall,
                external_id: format!("wall{owner}_{post}_{id}"),
                from_id,
                text: text(object),
                attachments: attachments(object),
                link: format!("https://vk.com/wall{owner}_{post}?reply={id}"),
                own: from_id == community,
                reply_to: int(object, "reply_to_comment")
                    .map(|parent| format!("wall{owner}_{post}_{parent}")),
                conversation: None,
            })
        }
        "board_post_new" | "board_post_edit" => {
            let id = int(object, "id")?;
            let topic = int(object, "topic_id")?;
            let owner = int(object, "topic_owner_id").unwrap_or(community);
            let from_id = int(object, "from_id")?;
            Some(Inbound {
                place: Place::Board,
                external_id: format!("topic{owner}_{topic}_{id}"),
                from_id,
                text: text(object),
                attachments: attachments(object),
                link: format!("https://vk.com/topic{owner}_{topic}?post={id}"),
                own: from_id == community,
                reply_to: None,
                conversation: None,
            })
        }
        "message_new" | "message_reply" => {
            // Since API 5.103 the message sits under `message`; older versions (and
            // `message_reply`, the community's outgoing message) send it bare.
            let message = object.get("message").unwrap_or(object);
            let id = int(message, "id")?;
            let from_id = int(message, "from_id")?;
            let peer = int(message, "peer_id").unwrap_or(from_id);
            let out = int(message, "out") == Some(1) || kind == "message_reply";
            Some(Inbound {
                place: Place::Messages,
                external_id: format!("message{peer}_{id}"),
                from_id,
                text: text(message),
                attachments: attachments(message),
                link: format!("https://vk.com/gim{}?sel={peer}", group_id.abs()),
                own: out || from_id == community,
                reply_to: None,
                conversation: Some(format!("vk:{peer}")),
            })
        }
        _ => None,
    }
}

/// The external id of a wall comment a `wall_reply_delete` event removes.
pub fn deleted(object: &Value, group_id: i64) -> Option<String> {
    let owner = int(object, "owner_id").unwrap_or(-group_id.abs());
    let post = int(object, "post_id")?;
    let id = int(object, "id")?;
    Some(format!("wall{owner}_{post}_{id}"))
}

/// The profile address of whoever wrote: a person (`id…`) or a community (`club…`).
pub fn author_link(from_id: i64) -> String {
    if from_id < 0 {
        format!("https://vk.com/club{}", -from_id)
    } else {
        format!("https://vk.com/id{from_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_residents_comment_is_read_with_its_link_and_attachments() {
        let object = json!({
            "id": 4512, "from_id": 1234567, "date": 1764400000, "text": " Когда починят крышу? ",
            "post_owner_id": -218000001, "post_id": 77, "owner_id": -218000001,
            "attachments": [
                {"type": "photo", "photo": {"id": 457239017, "owner_id": 1234567}},
                {"type": "link", "link": {"url": "https://example.org/a"}},
                {"type": "sticker", "sticker": {"sticker_id": 9}}
            ]
        });
        let c = inbound("wall_reply_new", &object, 218000001).unwrap();
        assert_eq!(c.place, Place::Wall);
        assert_eq!(c.external_id, "wall-218000001_77_4512");
        assert_eq!(c.text, "Когда починят крышу?");
        assert_eq!(c.link, "https://vk.com/wall-218000001_77?reply=4512");
        assert_eq!(
            c.attachments,
            [
                "https://vk.com/photo1234567_457239017",
                "https://example.org/a"
            ]
        );
        assert!(!c.own);
        let mut own = object.clone();
        own["from_id"] = json!(-218000001);
        own["reply_to_comment"] = json!(4511);
        let reply = inbound("wall_reply_new", &own, 218000001).unwrap();
        assert!(reply.own);
        assert_eq!(reply.reply_to.as_deref(), Some("wall-218000001_77_4511"));
        assert_eq!(
            deleted(
                &json!({"owner_id": -218000001, "id": 4512, "post_id": 77, "deleter_id": 1234567}),
                218000001
            )
            .as_deref(),
            Some("wall-218000001_77_4512")
        );
    }

    #[test]
    fn messages_new_and_old_shapes_and_outgoing_ones() {
        let new_shape = json!({"message": {"id": 91, "from_id": 555, "peer_id": 555, "out": 0, "text": "Здравствуйте"}, "client_info": {}});
        let m = inbound("message_new", &new_shape, 218000001).unwrap();
        assert_eq!(
            (m.place, m.external_id.as_str()),
            (Place::Messages, "message555_91")
        );
        assert_eq!(m.link, "https://vk.com/gim218000001?sel=555");
        let old_shape =
            json!({"id": 92, "from_id": 555, "peer_id": 555, "out": 1, "text": "Ответ"});
        assert!(inbound("message_new", &old_shape, 218000001).unwrap().own);
        let board = json!({"id": 3, "from_id": 555, "topic_id": 40, "topic_owner_id": -218000001, "text": "Вопрос"});
        let b = inbound("board_post_new", &board, 218000001).unwrap();
        assert_eq!(b.link, "https://vk.com/topic-218000001_40?post=3");
        assert_eq!(inbound("group_join", &json!({}), 1), None);
        assert_eq!(inbound("wall_reply_new", &json!({"id": "x"}), 1), None);
    }

    #[test]
    fn the_envelope_and_authors() {
        let e = envelope(&json!({"type": "confirmation", "group_id": 218000001})).unwrap();
        assert_eq!(
            (e.kind.as_str(), e.group_id, e.secret),
            ("confirmation", Some(218000001), None)
        );
        assert_eq!(envelope(&json!({"no": "type"})), None);
        assert_eq!(envelope(&json!([1, 2])), None);
        assert_eq!(author_link(5), "https://vk.com/id5");
        assert_eq!(author_link(-7), "https://vk.com/club7");
    }
}
