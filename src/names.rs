//! Names as people type and paste them, reduced to one spelling before they are stored or
//! compared: compatibility forms folded (NFKC), invisible characters and stray combining
//! accents dropped, runs of spaces made one. A word that mixes Latin and Cyrillic letters
//! (a Latin «H» in «Hовосибирск») is refused: it looks like the real name and never matches it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::i18n::Locale;

/// Characters that print as nothing: zero-width spaces and joiners, the word joiner, the
/// byte-order mark, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
    )
}

/// Characters compatibility folding would spell out but Russian names keep: NFKC makes «№»
/// into «No». Each is held as a private-use character, which folding leaves alone.
const KEPT: &[(char, char)] = &[('№', '\u{E000}')];

/// The one spelling of a name. Composition comes first, so «й» and «ё» keep their marks;
/// only marks left over (a stress accent) are dropped.
pub fn normalize(raw: &str) -> String {
    let held = raw.chars().map(|c| {
        KEPT.iter()
            .find(|(kept, _)| *kept == c)
            .map_or(c, |(_, placeholder)| *placeholder)
    });
    let folded: String = held
        .nfkc()
        .filter(|c| !is_invisible(*c) && !is_combining_mark(*c))
        .map(|c| {
            KEPT.iter()
                .find(|(_, placeholder)| *placeholder == c)
                .map_or(c, |(kept, _)| *kept)
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key two names are the same under: normalized and in lower case.
pub fn key(raw: &str) -> String {
    normalize(raw).to_lowercase()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
}

fn script(c: char) -> Option<Script> {
    if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
        Some(Script::Latin)
    } else if ('\u{0400}'..='\u{052F}').contains(&c) {
        Some(Script::Cyrillic)
    } else {
        None
    }
}

/// The first word that mixes Latin and Cyrillic letters, and its odd letter (the one of the
/// script the word has fewer of).
pub fn mixed_word(name: &str) -> Option<(String, char)> {
    name.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .find_map(|word| {
            let latin = word
                .chars()
                .filter(|c| script(*c) == Some(Script::Latin))
                .count();
            let cyrillic = word
                .chars()
                .filter(|c| script(*c) == Some(Script::Cyrillic))
                .count();
            if latin == 0 || cyrillic == 0 {
                return None;
            }
            let odd = if latin <= cyrillic {
                Script::Latin
            } else {
                Script::Cyrillic
            };
            word.chars()
                .find(|c| script(*c) == Some(odd))
                .map(|c| (word.to_owned(), c))
        })
}

/// A name from a form or a file: normalized, present, at most `max` characters, in one
/// script per word. The message says what is wrong.
pub fn check(raw: &str, max: usize, l: Locale) -> Result<String, String> {
    let name = normalize(raw);
    if name.is_empty() {
        return Err(l.t("field-required"));
    }
    if name.chars().count() > max {
        return Err(l.t("field-too-long"));
    }
    if let Some((word, letter)) = mixed_word(&name) {
        let key = if script(letter) == Some(Script::Latin) {
            "name-mixed-latin"
        } else {
            "name-mixed-cyrillic"
        };
        return Err(l.t_args(
            key,
            &[("word", word.into()), ("letter", letter.to_string().into())],
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_reduce_to_one_name() {
        let real = "г. Новосибирск";
        for typed in [
            "г.  Новосибирск",
            " г. Новосибирск\u{a0}",
            "г. Ново\u{200B}сибирск",
            "г. Новосиби\u{301}рск",
            "г.\tНовосибирск",
        ] {
            assert_eq!(normalize(typed), real, "{typed:?}");
        }
        assert_eq!(key("Г. НОВОСИБИРСК"), key(real));
        // Composed letters keep their marks.
        assert_eq!(normalize("Ёлкино Йошкар"), "Ёлкино Йошкар");
        assert_eq!(normalize("Е\u{308}лкино"), "Ёлкино");
        // Compatibility forms: full-width digits, the ligature.
        assert_eq!(normalize("Школа №１ ﬁ"), "Школа №1 fi");
    }

    #[test]
    fn a_word_mixing_scripts_is_refused_at_its_letter() {
        assert_eq!(
            mixed_word("г. Hовосибирск"),
            Some(("Hовосибирск".to_owned(), 'H'))
        );
        assert_eq!(mixed_word("Школa"), Some(("Школa".to_owned(), 'a')));
        assert_eq!(mixed_word("Детский сад «Smile»"), None);
        assert_eq!(mixed_word("МБОУ «IT-лицей»"), None);
        let message = check("г. Hовосибирск", 200, Locale::Ru).unwrap_err();
        assert!(message.contains("«H»"), "{message}");
        assert_eq!(
            check("  ", 200, Locale::Ru),
            Err(Locale::Ru.t("field-required"))
        );
        assert_eq!(
            check("г.  Бийск", 200, Locale::Ru),
            Ok("г. Бийск".to_owned())
        );
    }
}
