//! Field-level validation messages, already translated, keyed by the form field's name.

use std::collections::BTreeMap;

use crate::i18n::Locale;
pub use crate::web::pager::{PAGE_SIZE, Pager};
use crate::web::pager::{offset, page_number};

#[derive(Clone, Debug, Default)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.entry(field).or_insert(message);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn into_result<T>(self, ok: T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(ok) } else { Err(self) }
    }
}

/// A unique constraint (by its name in the schema) and the message a form shows at the field
/// it guards when a write violates it.
pub struct Unique {
    pub constraint: &'static str,
    pub field: &'static str,
    pub message_key: &'static str,
}

/// The field error a violated unique constraint stands for. Any other error comes back as it
/// is: it is not the user's input that failed.
pub fn taken(e: sqlx::Error, known: &[Unique], l: Locale) -> Result<FieldErrors, sqlx::Error> {
    let violated = e.as_database_error().and_then(|d| d.constraint());
    match known.iter().find(|u| Some(u.constraint) == violated) {
        Some(u) => {
            let mut errors = FieldErrors::default();
            errors.add(u.field, l.t(u.message_key));
            Ok(errors)
        }
        None => Err(e),
    }
}

/// Trimmed text, `None` when blank.
pub fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// Page numbers and search terms from list URLs.
#[derive(serde::Deserialize, Default, Clone, Debug)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: Option<String>,
}

impl ListQuery {
    pub fn page(&self) -> i64 {
        page_number(self.page.as_deref())
    }

    pub fn offset(&self) -> i64 {
        offset(self.page())
    }

    /// The pager of a searchable list at `base`, keeping the search in its links.
    pub fn pager(&self, base: &str, total: i64) -> Pager {
        let q: String = url::form_urlencoded::byte_serialize(self.q.trim().as_bytes()).collect();
        Pager::new(self.page(), total, |p| format!("{base}?q={q}&page={p}"))
    }

    /// A LIKE pattern with the user's wildcards escaped.
    pub fn pattern(&self) -> String {
        like_pattern(&self.q)
    }
}

/// A lower-case LIKE pattern matching the text anywhere, the user's wildcards escaped.
pub fn like_pattern(text: &str) -> String {
    let q = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{q}%")
}

/// The `{id}` of a path such as `/r/{region}/orgs/{id}`.
#[derive(serde::Deserialize, Clone, Copy, Debug)]
pub struct IdPath {
    pub id: i64,
}

/// An option of a select box.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SelectOption {
    pub id: i64,
    pub name: String,
}
