//! A weekly figure as a person types it, on the page card or in a spreadsheet.

use crate::i18n::Locale;
use crate::web::forms::FieldErrors;

/// A figure as typed: blank is "not known"; anything else must be a whole number ≥ 0.
pub fn count(value: &str, field: &'static str, l: Locale, e: &mut FieldErrors) -> Option<i64> {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (0..=2_000_000_000).contains(&n) => Some(n),
        _ => {
            e.add(field, l.t("figure-bad"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_whole_numbers_or_unknown() {
        let mut e = FieldErrors::default();
        assert_eq!(count("", "posts", Locale::Ru, &mut e), None);
        assert_eq!(count("1 234", "posts", Locale::Ru, &mut e), Some(1234));
        assert_eq!(
            count("12\u{a0}000", "reach", Locale::Ru, &mut e),
            Some(12000)
        );
        assert!(e.is_empty());
        assert_eq!(count("-3", "likes", Locale::Ru, &mut e), None);
        assert_eq!(count("много", "views", Locale::Ru, &mut e), None);
        assert!(e.has("likes") && e.has("views"));
    }
}
