//! The resident's question form: what they typed, checked into a question the inbox takes.

use serde::Deserialize;

use crate::i18n::Locale;
use crate::web::forms::FieldErrors;

const MAX_NAME: usize = 200;
const MAX_CONTACT: usize = 254;
const MIN_TEXT: usize = 10;
pub const MAX_TEXT: usize = 5_000;
/// The value of the consent checkbox when ticked.
pub const CONSENT_GIVEN: &str = "yes";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AskForm {
    pub name: String,
    pub contact: String,
    pub text: String,
    pub category: String,
    pub consent: String,
    /// Hidden from people, filled in by robots that fill in every field.
    pub website: String,
}

/// How the resident can be reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    Email(String),
    Phone(String),
}

impl Contact {
    /// The contact as the inbox shows it: as typed, trimmed.
    pub fn shown(&self) -> &str {
        match self {
            Contact::Email(s) | Contact::Phone(s) => s,
        }
    }

    pub fn email(&self) -> Option<&str> {
        match self {
            Contact::Email(s) => Some(s),
            Contact::Phone(_) => None,
        }
    }

    /// One spelling per person for the rate limit: an address in lower case, a phone by its
    /// digits with a Russian leading 8 read as 7.
    pub fn canonical(&self) -> String {
        match self {
            Contact::Email(s) => s.to_lowercase(),
            Contact::Phone(s) => {
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                match digits.strip_prefix('8') {
                    Some(rest) if digits.len() == 11 => format!("7{rest}"),
                    _ => digits,
                }
            }
        }
    }
}

/// A question the form accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    pub name: String,
    pub contact: Contact,
    pub text: String,
    /// None: the resident did not know; the region's words decide.
    pub category: Option<String>,
}

impl AskForm {
    pub fn validate(&self, categories: &[String], l: Locale) -> Result<Asked, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            e.add("name", l.t("field-required"));
        } else if name.chars().count() > MAX_NAME {
            e.add("name", l.t("field-too-long"));
        }
        let contact = contact(self.contact.trim(), l, &mut e);
        let text = self.text.trim();
        if text.is_empty() {
            e.add("text", l.t("field-required"));
        } else if text.chars().count() < MIN_TEXT {
            e.add("text", l.t("ask-text-short"));
        } else if text.chars().count() > MAX_TEXT {
            e.add("text", l.t("ask-text-long"));
        }
        let category = match self.category.trim() {
            "" => None,
            c if categories.iter().any(|k| k == c) => Some(c.to_owned()),
            _ => {
                e.add("category", l.t("field-choose"));
                None
            }
        };
        if self.consent != CONSENT_GIVEN {
            e.add("consent", l.t("ask-consent-required"));
        }
        let contact = contact.filter(|_| e.is_empty());
        match contact {
            Some(contact) => Ok(Asked {
                name: name.to_owned(),
                contact,
                text: text.to_owned(),
                category,
            }),
            None => Err(e),
        }
    }
}

/// An address mail can be sent to: one «@», and a domain with a dot.
pub fn is_email(value: &str) -> bool {
    value.parse::<lettre::Address>().is_ok()
        && value
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.'))
}

fn contact(value: &str, l: Locale, e: &mut FieldErrors) -> Option<Contact> {
    if value.is_empty() {
        e.add("contact", l.t("field-required"));
        return None;
    }
    if value.chars().count() > MAX_CONTACT {
        e.add("contact", l.t("field-too-long"));
        return None;
    }
    if value.contains('@') {
        if is_email(value) {
            return Some(Contact::Email(value.to_owned()));
        }
        e.add("contact", l.t("email-invalid"));
        return None;
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let phone_like = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if phone_like && (10..=15).contains(&digits) {
        return Some(Contact::Phone(value.to_owned()));
    }
    e.add("contact", l.t("ask-contact-invalid"));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AskForm {
        AskForm {
            name: " Мария Петрова ".into(),
            contact: "maria@example.ru".into(),
            text: "Когда откроется запись в первый класс?".into(),
            category: "Образование".into(),
            consent: CONSENT_GIVEN.into(),
            website: String::new(),
        }
    }

    fn categories() -> Vec<String> {
        vec!["Образование".into(), "Другое".into()]
    }

    #[test]
    fn a_complete_question_is_accepted() {
        let asked = form().validate(&categories(), Locale::Ru).unwrap();
        assert_eq!(asked.name, "Мария Петрова");
        assert_eq!(asked.contact.email(), Some("maria@example.ru"));
        assert_eq!(asked.category.as_deref(), Some("Образование"));
    }

    #[test]
    fn a_phone_is_a_contact_and_reads_as_one_number_however_typed() {
        let a = AskForm {
            contact: "8 (913) 000-00-01".into(),
            ..form()
        }
        .validate(&categories(), Locale::Ru)
        .unwrap();
        let b = AskForm {
            contact: "+79130000001".into(),
            ..form()
        }
        .validate(&categories(), Locale::Ru)
        .unwrap();
        assert_eq!(a.contact.email(), None);
        assert_eq!(a.contact.canonical(), b.contact.canonical());
    }

    #[test]
    fn each_missing_or_wrong_field_is_named() {
        let bad = AskForm {
            name: " ".into(),
            contact: "позвоните мне".into(),
            text: "Ну?".into(),
            category: "Космос".into(),
            consent: String::new(),
            website: String::new(),
        };
        let e = bad.validate(&categories(), Locale::Ru).unwrap_err();
        for field in ["name", "contact", "text", "category", "consent"] {
            assert!(e.has(field), "{field} not flagged");
        }
        let mail = AskForm {
            contact: "maria@localhost".into(),
            ..form()
        };
        assert!(
            mail.validate(&categories(), Locale::Ru)
                .unwrap_err()
                .has("contact")
        );
    }

    #[test]
    fn no_category_is_left_to_the_region_words() {
        let asked = AskForm {
            category: String::new(),
            ..form()
        }
        .validate(&categories(), Locale::Ru)
        .unwrap();
        assert_eq!(asked.category, None);
    }
}
