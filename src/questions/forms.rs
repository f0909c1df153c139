//! The forms of the questions screens: text as typed, validated into what the database takes.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::clock::Priority;
use super::db::NewQuestion;
use crate::i18n::Locale;
use crate::ids::{OrgId, PageId};
use crate::web::forms::{FieldErrors, optional};

pub const MAX_TEXT: usize = 10_000;
pub const MAX_SHORT: usize = 300;
const MAX_ATTACHMENTS: usize = 20;
/// Channels an editor files by hand; the public form and the API file their own.
pub const MANUAL_CHANNELS: [&str; 3] = ["comment", "message", "manual"];
pub const REJECT_REASONS: [&str; 3] = ["spam", "abuse", "off_topic"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuestionForm {
    pub organization_id: String,
    pub page_id: String,
    pub channel: String,
    pub external_id: String,
    pub author_name: String,
    pub author_contact: String,
    pub body: String,
    pub attachments: String,
    pub category: String,
    pub priority: String,
    pub received_at: String,
}

/// Required text of at most `max` characters.
pub fn required_text(
    value: &str,
    field: &'static str,
    max: usize,
    l: Locale,
    e: &mut FieldErrors,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, l.t("field-required"));
    } else if v.chars().count() > max {
        e.add(field, l.t("field-too-long"));
    }
    v.to_owned()
}

fn optional_text(
    value: &str,
    field: &'static str,
    max: usize,
    l: Locale,
    e: &mut FieldErrors,
) -> Option<String> {
    let v = optional(value);
    if v.as_ref().is_some_and(|v| v.chars().count() > max) {
        e.add(field, l.t("field-too-long"));
    }
    v
}

/// Links one per line; each must be a web address.
pub fn parse_links(text: &str, l: Locale, e: &mut FieldErrors) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|s| !s.is_empty()) {
        match url::Url::parse(line) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                out.push(u.to_string())
            }
            _ => {
                e.add("attachments", l.t1("question-link-bad", "value", line));
                break;
            }
        }
    }
    if out.len() > MAX_ATTACHMENTS {
        e.add("attachments", l.t("question-links-many"));
    }
    out
}

/// A local date and time as the browser's datetime-local field or a person types it.
pub fn parse_local(value: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let v = value.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    .and_then(|n| tz.from_local_datetime(&n).earliest())
    .map(|d| d.with_timezone(&Utc))
}

impl NewQuestionForm {
    pub fn validate(
        &self,
        categories: &[String],
        tz: Tz,
        now: DateTime<Utc>,
        l: Locale,
    ) -> Result<NewQuestion, FieldErrors> {
        let mut e = FieldErrors::default();
        let organization_id = self
            .organization_id
            .trim()
            .parse::<i64>()
            .unwrap_or_else(|_| {
                e.add("organization_id", l.t("field-choose"));
                0
            });
        let page_id = match self.page_id.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("page_id", l.t("field-choose"));
                    None
                }
            },
        };
        if !MANUAL_CHANNELS.contains(&self.channel.as_str()) {
            e.add("channel", l.t("field-choose"));
        }
        let external_id = optional_text(&self.external_id, "external_id", 200, l, &mut e);
        if external_id.is_some() && page_id.is_none() && !e.has("page_id") {
            e.add("page_id", l.t("question-external-needs-page"));
        }
        let author_name = optional_text(&self.author_name, "author_name", MAX_SHORT, l, &mut e);
        let author_contact =
            optional_text(&self.author_contact, "author_contact", MAX_SHORT, l, &mut e);
        let body = required_text(&self.body, "body", MAX_TEXT, l, &mut e);
        let attachments = parse_links(&self.attachments, l, &mut e);
        if !categories.contains(&self.category) {
            e.add("category", l.t("field-choose"));
        }
        let priority = Priority::parse(&self.priority).unwrap_or_else(|| {
            e.add("priority", l.t("field-choose"));
            Priority::Normal
        });
        let received_at = match self.received_at.trim() {
            "" => now,
            v => match parse_local(v, tz) {
                Some(t) if t > now + chrono::Duration::minutes(5) => {
                    e.add("received_at", l.t("question-received-future"));
                    now
                }
                Some(t) if t < now - chrono::Duration::days(366) => {
                    e.add("received_at", l.t("question-received-old"));
                    now
                }
                Some(t) => t,
                None => {
                    e.add("received_at", l.t("question-received-bad"));
                    now
                }
            },
        };
        e.into_result(NewQuestion {
            organization_id: OrgId(organization_id),
            page_id: page_id.map(PageId),
            channel: self.channel.clone(),
            external_id,
            author_name,
            author_contact,
            body,
            attachments,
            category: self.category.clone(),
            priority,
            received_at,
        })
    }
}

/// Every field any action on a question posts; each action reads the ones it needs, so a
/// form that comes back with an error keeps everything the person typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    /// Answer or draft text, a note, a request to the resident, a reason.
    pub text: String,
    /// "interim" or "final" for answers.
    pub kind: String,
    /// "insert" puts the chosen template into the answer instead of sending it.
    pub intent: String,
    pub template_id: String,
    /// The answer revision the person was looking at when they wrote.
    pub answer_rev: String,
    pub assignee: String,
    /// "me" from the "take it" button, which overrides the assignee list.
    pub take: String,
    pub organization_id: String,
    pub reason: String,
    pub original: String,
    /// The number of parts the person agreed their answer goes back to its platform in.
    pub split_confirmed: String,
}

impl ActionForm {
    pub fn id(value: &str) -> Option<i64> {
        value.trim().trim_start_matches('#').parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> NewQuestionForm {
        NewQuestionForm {
            organization_id: "7".into(),
            page_id: "3".into(),
            channel: "comment".into(),
            external_id: "wall-1_55".into(),
            author_name: "Иван".into(),
            author_contact: "+7 900 000-00-00".into(),
            body: " Когда починят дорогу? ".into(),
            attachments: "https://vk.com/photo1_2\n\n".into(),
            category: "Дороги".into(),
            priority: "urgent".into(),
            received_at: "2026-11-27T17:55".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0).unwrap()
    }

    #[test]
    fn a_question_typed_from_a_page() {
        let q = form()
            .validate(
                &["Дороги".into()],
                chrono_tz::Asia::Barnaul,
                now(),
                Locale::Ru,
            )
            .unwrap();
        assert_eq!(q.body, "Когда починят дорогу?");
        assert_eq!(q.priority, Priority::Urgent);
        assert_eq!(q.attachments, ["https://vk.com/photo1_2"]);
        // 17:55 in Barnaul (UTC+7) is 10:55 UTC.
        assert_eq!(
            q.received_at,
            Utc.with_ymd_and_hms(2026, 11, 27, 10, 55, 0).unwrap()
        );
    }

    #[test]
    fn every_field_says_what_is_wrong() {
        let mut f = form();
        f.page_id = String::new();
        f.channel = "fax".into();
        f.body = "  ".into();
        f.attachments = "javascript:alert(1)".into();
        f.category = "Погода".into();
        f.priority = "asap".into();
        f.received_at = "2026-12-31T10:00".into();
        let e = f
            .validate(
                &["Дороги".into()],
                chrono_tz::Asia::Barnaul,
                now(),
                Locale::Ru,
            )
            .unwrap_err();
        for field in [
            "page_id",
            "channel",
            "body",
            "attachments",
            "category",
            "priority",
            "received_at",
        ] {
            assert!(e.has(field), "{field}");
        }
    }
}
