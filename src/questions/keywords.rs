//! The region's words for each question category, so a question that arrives by itself gets
//! its category guessed instead of the catch-all. One line per category, as the admin writes
//! it: `Дороги: дорог, ям, асфальт`. A word matches the beginning of a word of the question,
//! so a stem catches its forms («дорог» — «дорога», «дороги», «дорогу»); «ё» reads as «е».

/// Keywords by category, in the region's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keywords(Vec<(String, Vec<String>)>);

/// Why a line cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum LineError {
    /// No «Категория:» before the words.
    NoCategory(String),
    /// The category is not one of the region's.
    UnknownCategory(String),
    /// A category with no words after the colon.
    NoWords(String),
}

/// The category a question no word points to goes to: the region's last, its «Другое».
pub fn catch_all(categories: &[String]) -> String {
    categories
        .last()
        .cloned()
        .unwrap_or_else(|| "Другое".to_owned())
}

fn fold(word: &str) -> String {
    word.to_lowercase().replace('ё', "е")
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
}

impl Keywords {
    /// Reads the admin's lines against the region's categories; blank lines are skipped.
    pub fn parse(text: &str, categories: &[String]) -> Result<Keywords, LineError> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let Some((name, list)) = line.split_once(':') else {
                return Err(LineError::NoCategory(line.to_owned()));
            };
            let name = name.trim();
            let Some(category) = categories
                .iter()
                .find(|c| c.to_lowercase() == name.to_lowercase())
            else {
                return Err(LineError::UnknownCategory(name.to_owned()));
            };
            let stems: Vec<String> = list
                .split([',', ';'])
                .map(|w| fold(w.trim()))
                .filter(|w| !w.is_empty())
                .collect();
            if stems.is_empty() {
                return Err(LineError::NoWords(name.to_owned()));
            }
            match out.iter_mut().find(|(c, _)| c == category) {
                Some((_, existing)) => existing.extend(stems),
                None => out.push((category.clone(), stems)),
            }
        }
        Ok(Keywords(out))
    }

    /// The settings' text for the lines as read, or nothing when unreadable (the form
    /// refuses those, so stored text always reads).
    pub fn from_settings(text: &str, categories: &[String]) -> Keywords {
        Keywords::parse(text, categories).unwrap_or_default()
    }

    /// The category whose words the text uses most; the first such in the region's order on
    /// a tie; None when no word matches.
    pub fn guess(&self, text: &str) -> Option<&str> {
        let said: Vec<String> = words(text).collect();
        let mut best: Option<(&str, usize)> = None;
        for (category, stems) in &self.0 {
            let hits = said
                .iter()
                .filter(|w| {
                    stems.iter().any(|s| {
                        // A phrase stem («детский сад») matches the words in a row.
                        if s.contains(' ') {
                            false
                        } else {
                            w.starts_with(s.as_str())
                        }
                    })
                })
                .count()
                + stems
                    .iter()
                    .filter(|s| s.contains(' ') && fold(text).contains(s.as_str()))
                    .count();
            if hits > 0 && best.is_none_or(|(_, n)| hits > n) {
                best = Some((category, hits));
            }
        }
        best.map(|(c, _)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> Vec<String> {
        ["ЖКХ", "Дороги", "Образование", "Другое"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn stems_catch_word_forms_and_the_most_matches_win() {
        let k = Keywords::parse(
            "Дороги: дорог, ям, асфальт\nжкх: отоплен, труб, подъезд\n\nОбразование: школ, детский сад",
            &categories(),
        )
        .unwrap();
        assert_eq!(k.guess("Когда залатают ямы на дороге?"), Some("Дороги"));
        assert_eq!(
            k.guess("В подъезде холодно, трубы отопления еле тёплые"),
            Some("ЖКХ")
        );
        assert_eq!(k.guess("Очередь в ДЕТСКИЙ САД"), Some("Образование"));
        assert_eq!(k.guess("Спасибо за концерт"), None);
        // «ё» and «е» are one letter here.
        let k = Keywords::parse("ЖКХ: тёпл", &categories()).unwrap();
        assert_eq!(k.guess("Батареи еле теплые"), Some("ЖКХ"));
    }

    #[test]
    fn lines_that_cannot_be_read_are_said() {
        assert_eq!(
            Keywords::parse("дорог, ям", &categories()),
            Err(LineError::NoCategory("дорог, ям".into()))
        );
        assert_eq!(
            Keywords::parse("Спорт: стадион", &categories()),
            Err(LineError::UnknownCategory("Спорт".into()))
        );
        assert_eq!(
            Keywords::parse("Дороги: , ;", &categories()),
            Err(LineError::NoWords("Дороги".into()))
        );
        assert_eq!(
            Keywords::parse("  \n", &categories()),
            Ok(Keywords::default())
        );
        assert_eq!(
            Keywords::from_settings("Спорт: x", &categories()).guess("x"),
            None
        );
    }
}
