//! Column headers as people type them, in Russian or English, matched case-, space- and
//! punctuation-insensitively.

use std::collections::HashMap;

/// Lowercase letters and digits only, with ё as е: "Краткое  наименование:" → "кратноенаименование".
pub fn normalize(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A column an import knows: its code (used in reports), its catalog key, and the headers
/// that mean it.
pub struct ColumnSpec {
    pub code: &'static str,
    pub label_key: &'static str,
    pub required: bool,
    pub headers: &'static [&'static str],
}

/// What the region's admin said its files' headers mean: a header as `normalize` reduces it
/// → a column's code, or `IGNORE`.
pub type ColumnMemory = HashMap<String, String>;

/// The target of a column left out on purpose.
pub const IGNORE: &str = "ignore";

/// Where each known column sits in the file, and the headers nothing claimed.
pub struct ColumnMap {
    positions: HashMap<&'static str, usize>,
    pub headers: Vec<String>,
    /// Headers neither known nor mapped by the admin, as the file spells them.
    pub unknown: Vec<String>,
}

impl ColumnMap {
    /// Maps the file's headers; returns the codes of required columns that are missing.
    pub fn new(specs: &[ColumnSpec], headers: &[String]) -> (ColumnMap, Vec<&'static str>) {
        Self::remembering(specs, headers, &ColumnMemory::new())
    }

    /// Maps the file's headers by their usual names, then by what the admin said before.
    pub fn remembering(
        specs: &[ColumnSpec],
        headers: &[String],
        memory: &ColumnMemory,
    ) -> (ColumnMap, Vec<&'static str>) {
        let mut positions = HashMap::new();
        let mut unknown = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            let h = normalize(header);
            if h.is_empty() {
                continue;
            }
            let known = specs
                .iter()
                .find(|s| s.headers.iter().any(|alias| normalize(alias) == h));
            let remembered = memory.get(&h).map(String::as_str);
            match (known, remembered) {
                (Some(spec), _) => {
                    positions.entry(spec.code).or_insert(i);
                }
                (None, Some(IGNORE)) => {}
                (None, Some(code)) => match specs.iter().find(|s| s.code == code) {
                    Some(spec) => {
                        positions.entry(spec.code).or_insert(i);
                    }
                    None => unknown.push(header.clone()),
                },
                (None, None) => unknown.push(header.clone()),
            }
        }
        let missing = specs
            .iter()
            .filter(|s| s.required && !positions.contains_key(s.code))
            .map(|s| s.code)
            .collect();
        (
            ColumnMap {
                positions,
                headers: headers.to_vec(),
                unknown,
            },
            missing,
        )
    }

    pub fn has(&self, code: &str) -> bool {
        self.positions.contains_key(code)
    }

    /// The trimmed cell of this column in `row` (empty when the column or the cell is absent).
    pub fn cell<'a>(&self, row: &'a [String], code: &str) -> &'a str {
        self.positions
            .get(code)
            .and_then(|i| row.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// The header as the file spells it, for messages.
    pub fn header_of(&self, code: &str) -> Option<&str> {
        self.positions
            .get(code)
            .and_then(|i| self.headers.get(*i))
            .map(String::as_str)
    }
}

/// The one problem reported when required columns are missing: nothing else can be checked.
pub fn missing_columns_error(
    specs: &[ColumnSpec],
    missing: &[&str],
    l: crate::i18n::Locale,
) -> super::RowError {
    let names: Vec<String> = missing
        .iter()
        .filter_map(|code| specs.iter().find(|c| c.code == *code))
        .map(|c| l.t(c.label_key))
        .collect();
    super::RowError {
        row: 1,
        column: None,
        message: l.t1("import-columns-missing", "columns", &names.join(", ")),
        unknown: None,
    }
}

/// The problem a column nothing claimed makes: the file would lose it without a word.
pub fn unknown_column_error(header: &str, l: crate::i18n::Locale) -> super::RowError {
    super::RowError {
        row: 1,
        column: Some(header.to_owned()),
        message: l.t("import-column-unknown"),
        unknown: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_the_spelling() {
        assert_eq!(
            normalize("  Краткое  наименование: "),
            normalize("краткое наименование")
        );
        assert_eq!(normalize("ОГРН учредителя"), "огрнучредителя");
        assert_eq!(normalize("Отрасль № 2"), "отрасль2");
        assert_eq!(normalize("Учётный\u{a0}номер"), "учетныйномер");
        assert_eq!(normalize("Short_Name"), "shortname");
    }

    const SPECS: &[ColumnSpec] = &[
        ColumnSpec {
            code: "name",
            label_key: "field-name",
            required: true,
            headers: &["наименование"],
        },
        ColumnSpec {
            code: "founder",
            label_key: "field-founder",
            required: false,
            headers: &["учредитель"],
        },
    ];

    #[test]
    fn unknown_headers_are_listed_until_the_admin_says_what_they_are() {
        let headers: Vec<String> = ["Наименование", "Учредитель (ОГРН)", "Сфера", ""]
            .map(String::from)
            .to_vec();
        let (map, missing) = ColumnMap::new(SPECS, &headers);
        assert!(missing.is_empty());
        assert_eq!(map.unknown, vec!["Учредитель (ОГРН)", "Сфера"]);
        assert!(!map.has("founder"));
        let memory: ColumnMemory = [
            (normalize("учредитель  (огрн)"), "founder".to_owned()),
            (normalize("Сфера"), IGNORE.to_owned()),
        ]
        .into();
        let (map, _) = ColumnMap::remembering(SPECS, &headers, &memory);
        assert!(map.unknown.is_empty());
        assert_eq!(map.header_of("founder"), Some("Учредитель (ОГРН)"));
    }
}
