//! Where an answer goes back to, read from the question's external id (the id the intake gave
//! the resident's comment or message), and how a long answer is cut to the platform's limit.

/// The resident's comment or message an answer replies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A comment under a post of a VK wall: reply under it.
    VkWall { owner: i64, post: i64, comment: i64 },
    /// A post in a VK discussion: a new post in the same topic.
    VkBoard { owner: i64, topic: i64, post: i64 },
    /// A message to a VK community: a message back to the same conversation.
    VkMessage { peer: i64, message: i64 },
    /// A message to a Telegram bot: a message replying to it.
    Telegram { chat: i64, message: i64 },
    /// A message to a MAX bot: a message replying to it.
    Max { chat: i64, mid: String },
}

fn numbers<const N: usize>(rest: &str) -> Option<[i64; N]> {
    let parts: Vec<i64> = rest
        .split('_')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

impl Target {
    /// The external id as the intake wrote it, or None for a question typed in by hand.
    pub fn parse(external_id: &str) -> Option<Target> {
        if let Some(rest) = external_id.strip_prefix("wall") {
            let [owner, post, comment] = numbers(rest)?;
            return Some(Target::VkWall {
                owner,
                post,
                comment,
            });
        }
        if let Some(rest) = external_id.strip_prefix("topic") {
            let [owner, topic, post] = numbers(rest)?;
            return Some(Target::VkBoard { owner, topic, post });
        }
        if let Some(rest) = external_id.strip_prefix("message") {
            let [peer, message] = numbers(rest)?;
            return Some(Target::VkMessage { peer, message });
        }
        if let Some(rest) = external_id.strip_prefix("telegram") {
            let [chat, message] = numbers(rest)?;
            return Some(Target::Telegram { chat, message });
        }
        if let Some(rest) = external_id.strip_prefix("max") {
            let (chat, mid) = rest.split_once('_')?;
            return Some(Target::Max {
                chat: chat.parse().ok()?,
                mid: mid.to_owned(),
            })
            .filter(|_| !mid.is_empty());
        }
        None
    }

    pub fn platform(&self) -> &'static str {
        match self {
            Target::VkWall { .. } | Target::VkBoard { .. } | Target::VkMessage { .. } => "vk",
            Target::Telegram { .. } => "telegram",
            Target::Max { .. } => "max",
        }
    }

    /// The most characters one comment or message may hold on the platform.
    pub fn limit(&self) -> usize {
        match self {
            // VK's own forms stop comments well before messages; 2 000 keeps clear of both.
            Target::VkWall { .. } | Target::VkBoard { .. } => 2000,
            Target::VkMessage { .. } | Target::Telegram { .. } => 4096,
            Target::Max { .. } => 4000,
        }
    }

    /// Where a sent part can be read, when the platform has a public address for it.
    pub fn link_to(&self, remote_id: &str) -> Option<String> {
        match self {
            Target::VkWall { owner, post, .. } => Some(format!(
                "https://vk.com/wall{owner}_{post}?reply={remote_id}"
            )),
            Target::VkBoard { owner, topic, .. } => Some(format!(
                "https://vk.com/topic{owner}_{topic}?post={remote_id}"
            )),
            _ => None,
        }
    }
}

/// The answer in parts no longer than `limit` characters, cut at a paragraph, a line, a
/// sentence or a word where one is near, each part but a single one numbered «(1/3)».
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let text = text.trim();
    if text.chars().count() <= limit {
        return vec![text.to_owned()];
    }
    // Room for « (12/12)».
    let room = limit.saturating_sub(8).max(1);
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.chars().count() <= room {
            parts.push(rest.to_owned());
            break;
        }
        let window_end = rest
            .char_indices()
            .nth(room)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let window = &rest[..window_end];
        // A break in the window's second half, so no part is left tiny.
        let half = window.len() / 2;
        let cut = ["\n\n", "\n", ". ", "! ", "? ", " "]
            .iter()
            .find_map(|sep| {
                window
                    .rfind(sep)
                    .filter(|&i| i >= half)
                    .map(|i| i + sep.len())
            })
            .unwrap_or(window_end);
        parts.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| format!("{p} ({}/{n})", i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_external_id_the_intake_writes_is_read_back() {
        assert_eq!(
            Target::parse("wall-218000001_77_4512"),
            Some(Target::VkWall {
                owner: -218000001,
                post: 77,
                comment: 4512
            })
        );
        assert_eq!(
            Target::parse("topic-5_40_3"),
            Some(Target::VkBoard {
                owner: -5,
                topic: 40,
                post: 3
            })
        );
        assert_eq!(
            Target::parse("message555_91"),
            Some(Target::VkMessage {
                peer: 555,
                message: 91
            })
        );
        assert_eq!(
            Target::parse("telegram-100123_7"),
            Some(Target::Telegram {
                chat: -100123,
                message: 7
            })
        );
        assert_eq!(
            Target::parse("max42_mid.abc_def").map(|t| t.platform()),
            Some("max")
        );
        for typed in ["", "12345", "wall1_2", "max42_", "telegram1_x"] {
            assert_eq!(Target::parse(typed), None, "{typed}");
        }
    }

    #[test]
    fn a_short_answer_is_one_part_and_a_long_one_is_cut_at_words() {
        assert_eq!(split("  Ответ.  ", 10), ["Ответ."]);
        let long = "Слово ".repeat(1000);
        let parts = split(&long, 2000);
        assert_eq!(parts.len(), 4);
        for (i, p) in parts.iter().enumerate() {
            assert!(p.chars().count() <= 2000, "{}", p.chars().count());
            assert!(p.ends_with(&format!("({}/4)", i + 1)));
            assert!(!p.starts_with(' '));
        }
        let joined: String = parts
            .iter()
            .map(|p| p.rsplit_once(" (").unwrap().0)
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, long.trim());
        // No space to cut at: cut anywhere, still within the limit.
        let solid = "ы".repeat(5000);
        assert!(
            split(&solid, 4096)
                .iter()
                .all(|p| p.chars().count() <= 4096)
        );
    }
}
