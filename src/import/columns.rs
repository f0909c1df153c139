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

/// Where each known column sits in the file.
pub struct ColumnMap {
    positions: HashMap<&'static str, usize>,
    pub headers: Vec<String>,
}

impl ColumnMap {
    /// Maps the file's headers; returns the codes of required columns that are missing.
    pub fn new(specs: &[ColumnSpec], headers: &[String]) -> (ColumnMap, Vec<&'static str>) {
        let mut positions = HashMap::new();
        for (i, header) in headers.iter().enumerate() {
            let h = normalize(header);
            if h.is_empty() {
                continue;
            }
            if let Some(spec) = specs
                .iter()
                .find(|s| s.headers.iter().any(|alias| normalize(alias) == h))
            {
                positions.entry(spec.code).or_insert(i);
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
}
