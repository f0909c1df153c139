//! The one translation catalog (Fluent files under locales/). Russian is the default; every
//! user-facing string is looked up here by key.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // Without this every interpolated value is wrapped in invisible U+2068/U+2069 marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");

pub const LOCALE_COOKIE: &str = "gp_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];

    pub fn parse(code: &str) -> Option<Locale> {
        match code.trim() {
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Locale::Ru => &RU,
            Locale::En => &EN,
        }
    }

    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.langid(), key)
    }

    pub fn t_args(self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES.lookup_with_args(self.langid(), key, &map)
    }

    /// A message with one named string argument.
    pub fn t1(self, key: &str, name: &'static str, value: &str) -> String {
        self.t_args(key, &[(name, FluentValue::from(value.to_owned()))])
    }

    /// A message with a count, for plural forms.
    pub fn tn(self, key: &str, count: i64) -> String {
        self.t_args(key, &[("count", FluentValue::from(count))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals_follow_one_few_many() {
        assert_eq!(Locale::Ru.tn("count-organizations", 1), "1 организация");
        assert_eq!(Locale::Ru.tn("count-organizations", 3), "3 организации");
        assert_eq!(Locale::Ru.tn("count-organizations", 5), "5 организаций");
        assert_eq!(Locale::Ru.tn("count-organizations", 21), "21 организация");
        assert_eq!(Locale::En.tn("count-organizations", 1), "1 organization");
        assert_eq!(Locale::En.tn("count-organizations", 2), "2 organizations");
    }
}
