//! The card's three forms (mark, setup, weekly figures) and how their fields are read.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::i18n::Locale;
use crate::pages::db::card::CardPage;
use crate::web::forms::FieldErrors;

/// The page categories, each with its weekly posting quota in the region's rules.
pub const CATEGORIES: [&str; 3] = ["flagship", "active", "card"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MarkForm {
    pub status: String,
    pub happened_on: String,
    pub note: String,
    pub evidence_url: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    pub category: String,
    pub connected: String,
    pub has_avatar: String,
    pub has_cover: String,
    pub has_description: String,
    pub has_contacts: String,
    pub widgets: String,
    pub comments_open: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FiguresForm {
    pub week: String,
    pub followers: String,
    pub posts: String,
    pub views: String,
    pub likes: String,
    pub comments: String,
    pub reposts: String,
    pub reach: String,
    pub last_post_on: String,
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
    .to_owned()
}

impl SetupForm {
    pub fn of(p: &CardPage) -> SetupForm {
        SetupForm {
            category: p.category.clone(),
            connected: yes_no(Some(p.connected)),
            has_avatar: yes_no(p.has_avatar),
            has_cover: yes_no(p.has_cover),
            has_description: yes_no(p.has_description),
            has_contacts: yes_no(p.has_contacts),
            widgets: p.widgets.map(|w| w.to_string()).unwrap_or_default(),
            comments_open: yes_no(p.comments_open),
        }
    }
}

/// What a failed form brings back to the card: the typed values and a message per field.
#[derive(Default)]
pub struct Input {
    pub mark: Option<MarkForm>,
    pub setup: Option<SetupForm>,
    pub figures: Option<FiguresForm>,
    pub failed: Option<&'static str>,
    pub errors: FieldErrors,
}

pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    NaiveDate::parse_from_str(v, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .ok()
}

pub fn tri(value: &str, field: &'static str, l: Locale, e: &mut FieldErrors) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        "" => None,
        _ => {
            e.add(field, l.t("field-choose"));
            None
        }
    }
}
