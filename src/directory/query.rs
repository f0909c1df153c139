//! What a resident typed, read the way the directory searches: lower case, «ё» as «е», words
//! of letters and digits. Full text search takes each word as a prefix in Russian word forms
//! (`школ:* & 5:* & барнаул:*`); a word with a typo is corrected against the dictionary first.

/// Words kept of one query: more say nothing new and only slow the search.
const MOST_WORDS: usize = 8;
const LONGEST_WORD: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText {
    pub words: Vec<String>,
}

impl SearchText {
    /// None when nothing searchable was typed.
    pub fn parse(typed: &str) -> Option<SearchText> {
        let words: Vec<String> = typed
            .to_lowercase()
            .replace('ё', "е")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().take(LONGEST_WORD).collect())
            .take(MOST_WORDS)
            .collect();
        (!words.is_empty()).then_some(SearchText { words })
    }

    /// The words as prefixes, all required: `школ:* & 5:*`.
    pub fn prefixes(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// The words whole, all required: `школа & 5`.
    pub fn whole(&self) -> String {
        self.words.join(" & ")
    }

    /// The words as one phrase, as the resident is told what was searched.
    pub fn phrase(&self) -> String {
        self.words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_prefixes_and_a_phrase() {
        let s = SearchText::parse("  Школа №5, Барнаул  Ёлочка").unwrap();
        assert_eq!(s.prefixes(), "школа:* & 5:* & барнаул:* & елочка:*");
        assert_eq!(s.phrase(), "школа 5 барнаул елочка");
        assert_eq!(s.whole(), "школа & 5 & барнаул & елочка");
        // Quotes, operators and punctuation cannot reach the query language.
        let s = SearchText::parse("a' | b:* & !c").unwrap();
        assert_eq!(s.prefixes(), "a:* & b:* & c:*");
        assert_eq!(SearchText::parse(" — ; "), None);
        assert_eq!(
            SearchText::parse(&"слово ".repeat(20)).unwrap().words.len(),
            8
        );
    }
}
