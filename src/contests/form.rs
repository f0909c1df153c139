//! The admin's forms: a contest (its title, description, voting period in the region's time,
//! e-mail confirmation, how long the winners' badge shows), a nomination, and a void.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::db::NewContest;
use crate::i18n::Locale;
use crate::questions::forms::parse_local;
use crate::web::forms::FieldErrors;

const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 5_000;
const MAX_REASON: usize = 1_000;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContestForm {
    pub title: String,
    pub description: String,
    pub starts: String,
    pub ends: String,
    pub badge_until: String,
    pub email_confirmation: String,
}

fn title(value: &str, field: &'static str, l: Locale, e: &mut FieldErrors) -> String {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, l.t("field-required"));
    } else if v.chars().count() > MAX_TITLE {
        e.add(field, l.t("field-too-long"));
    }
    v.to_owned()
}

/// A moment typed in the region's time; `None` with the field's error when it is not one.
fn moment(
    value: &str,
    field: &'static str,
    tz: Tz,
    l: Locale,
    e: &mut FieldErrors,
) -> Option<DateTime<Utc>> {
    if value.trim().is_empty() {
        e.add(field, l.t("field-required"));
        return None;
    }
    let parsed = parse_local(value, tz);
    if parsed.is_none() {
        e.add(field, l.t("contest-moment-bad"));
    }
    parsed
}

impl ContestForm {
    pub fn validate(&self, tz: Tz, mail: bool, l: Locale) -> Result<NewContest, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = title(&self.title, "title", l, &mut e);
        let description = self.description.trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION {
            e.add("description", l.t("field-too-long"));
        }
        let starts = moment(&self.starts, "starts", tz, l, &mut e);
        let ends = moment(&self.ends, "ends", tz, l, &mut e);
        if let (Some(s), Some(f)) = (starts, ends)
            && f <= s
        {
            e.add("ends", l.t("contest-ends-before-start"));
        }
        let badge_until = match self.badge_until.trim() {
            "" => None,
            v => match NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"))
            {
                Ok(d) if ends.is_some_and(|f| d < f.with_timezone(&tz).date_naive()) => {
                    e.add("badge_until", l.t("contest-badge-before-end"));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("badge_until", l.t("contest-date-bad"));
                    None
                }
            },
        };
        let email_confirmation = self.email_confirmation == "yes";
        if email_confirmation && !mail {
            e.add("email_confirmation", l.t("contest-no-mail"));
        }
        match (starts, ends) {
            (Some(voting_starts_at), Some(voting_ends_at)) if e.is_empty() => Ok(NewContest {
                title,
                description,
                voting_starts_at,
                voting_ends_at,
                email_confirmation,
                badge_until,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NominationForm {
    pub title: String,
    /// A sector's id, or empty for the pasted pages.
    pub sector: String,
    /// Page addresses, one a line, in any shape the importer reads.
    pub pages: String,
}

/// Where a nomination's nominees come from.
pub enum Source {
    Sector(i64),
    Addresses(Vec<String>),
}

impl NominationForm {
    pub fn validate(&self, l: Locale) -> Result<(String, Source), FieldErrors> {
        let mut e = FieldErrors::default();
        let title = title(&self.title, "title", l, &mut e);
        let addresses: Vec<String> = self
            .pages
            .lines()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        let source = match (self.sector.trim().parse::<i64>().ok(), addresses.is_empty()) {
            (Some(sector), true) => Some(Source::Sector(sector)),
            (None, false) => Some(Source::Addresses(addresses)),
            (Some(_), false) => {
                e.add("pages", l.t("contest-sector-or-pages"));
                None
            }
            (None, true) => {
                e.add("pages", l.t("contest-sector-or-pages"));
                None
            }
        };
        match source {
            Some(source) if e.is_empty() => Ok((title, source)),
            _ => Err(e),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct VoidForm {
    pub block: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

pub struct Void {
    pub block: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub reason: String,
}

impl VoidForm {
    pub fn validate(&self, tz: Tz, l: Locale) -> Result<Void, FieldErrors> {
        let mut e = FieldErrors::default();
        let block = self.block.trim().to_owned();
        if block.is_empty() {
            e.add("block", l.t("field-choose"));
        }
        let from = moment(&self.from, "from", tz, l, &mut e);
        let to = moment(&self.to, "to", tz, l, &mut e);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("to", l.t("contest-ends-before-start"));
        }
        let reason = self.reason.trim().to_owned();
        if reason.is_empty() {
            e.add("reason", l.t("contest-void-reason-required"));
        } else if reason.chars().count() > MAX_REASON {
            e.add("reason", l.t("field-too-long"));
        }
        match (from, to) {
            (Some(from), Some(to)) if e.is_empty() => Ok(Void {
                block,
                from,
                // The end minute is included whole.
                to: to + chrono::Duration::seconds(59),
                reason,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_is_read_in_the_region_time() {
        let tz: Tz = "Asia/Barnaul".parse().unwrap();
        let c = ContestForm {
            title: "Лучшая страница школы".into(),
            starts: "2026-12-01T09:00".into(),
            ends: "2026-12-15T00:00".into(),
            badge_until: "2027-06-01".into(),
            ..ContestForm::default()
        }
        .validate(tz, false, Locale::Ru)
        .ok()
        .unwrap();
        assert_eq!(c.voting_starts_at.to_rfc3339(), "2026-12-01T02:00:00+00:00");
        assert_eq!(c.voting_ends_at.to_rfc3339(), "2026-12-14T17:00:00+00:00");
    }

    #[test]
    fn a_period_backwards_or_a_code_without_mail_is_refused() {
        let tz: Tz = "Europe/Moscow".parse().unwrap();
        let e = ContestForm {
            title: "Конкурс".into(),
            starts: "2026-12-15T09:00".into(),
            ends: "2026-12-01T09:00".into(),
            email_confirmation: "yes".into(),
            badge_until: "31.02.2027".into(),
            ..ContestForm::default()
        }
        .validate(tz, false, Locale::Ru)
        .err()
        .unwrap();
        for field in ["ends", "email_confirmation", "badge_until"] {
            assert!(e.has(field), "{field}");
        }
    }
}
