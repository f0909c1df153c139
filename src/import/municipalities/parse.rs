//! The municipalities file read on its own: names in one spelling (`crate::names`), kinds as
//! registries write them (or read off the name: «Алейский муниципальный район»), OKTMO codes,
//! and names or codes that repeat within the file.

use std::collections::HashMap;

use crate::i18n::Locale;
use crate::import::columns::{ColumnMap, normalize};
use crate::import::plan::{Problems, data_rows};
use crate::import::reader::Table;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MunicipalityLine {
    pub row: usize,
    pub name: String,
    /// None when the file has no kind column, or the cell is blank and the name says none.
    pub kind: Option<&'static str>,
    pub oktmo: Option<String>,
}

/// A kind as written, or as a name says it: «Алейский муниципальный район», «г. Бийск».
pub fn parse_kind(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if let Some(code) = crate::municipalities::KINDS.iter().find(|k| **k == text) {
        return Some(code);
    }
    let t = normalize(text);
    let ends = |words: &[&str]| words.iter().any(|w| t.ends_with(w));
    let lower = text.to_lowercase();
    if ends(&["городскойокруг", "cityokrug"]) {
        Some("city_okrug")
    } else if ends(&["муниципальныйокруг", "municipalokrug"]) {
        Some("municipal_okrug")
    } else if ends(&["муниципальныйрайон", "район", "municipaldistrict"]) {
        Some("municipal_district")
    } else if ends(&["городскоепоселение", "urbansettlement"]) {
        Some("urban_settlement")
    } else if ends(&["сельскоепоселение", "сельсовет", "ruralsettlement"])
    {
        Some("rural_settlement")
    } else if ["г.", "г ", "город "].iter().any(|p| lower.starts_with(p)) {
        Some("city_okrug")
    } else {
        None
    }
}

pub fn parse(
    table: &Table,
    map: &ColumnMap,
    l: Locale,
    problems: &mut Problems,
) -> Vec<MunicipalityLine> {
    let mut first_of_name: HashMap<String, usize> = HashMap::new();
    let mut first_of_oktmo: HashMap<String, usize> = HashMap::new();
    data_rows(table)
        .map(|(row, cells)| {
            let raw_name = map.cell(cells, "name");
            let name = match crate::names::check(raw_name, 200, l) {
                Ok(name) => name,
                Err(message) => {
                    problems.add(row, "name", message);
                    crate::names::normalize(raw_name)
                }
            };
            if !name.is_empty() {
                let key = crate::names::key(&name);
                match first_of_name.get(&key) {
                    Some(first) => problems.add(
                        row,
                        "name",
                        l.t1("import-duplicate-name", "row", &first.to_string()),
                    ),
                    None => {
                        first_of_name.insert(key, row);
                    }
                }
            }
            let kind_text = map.cell(cells, "kind");
            let kind = if kind_text.is_empty() {
                parse_kind(&name)
            } else {
                let kind = parse_kind(kind_text);
                if kind.is_none() {
                    let message = l.t1("import-municipality-kind-unknown", "value", kind_text);
                    problems.add(row, "kind", message);
                }
                kind
            };
            let oktmo = Some(map.cell(cells, "oktmo").replace(' ', "")).filter(|o| !o.is_empty());
            if let Some(o) = &oktmo {
                if !((o.len() == 8 || o.len() == 11) && o.bytes().all(|b| b.is_ascii_digit())) {
                    problems.add(row, "oktmo", l.t("oktmo-format"));
                } else if let Some(first) = first_of_oktmo.get(o) {
                    let message = l.t1("import-duplicate-oktmo", "row", &first.to_string());
                    problems.add(row, "oktmo", message);
                } else {
                    first_of_oktmo.insert(o.clone(), row);
                }
            }
            MunicipalityLine {
                row,
                name,
                kind,
                oktmo,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::municipalities::COLUMNS;
    use crate::import::plan::testing::{found, table};

    #[test]
    fn kinds_as_written_or_as_the_name_ends() {
        assert_eq!(parse_kind("Городской округ"), Some("city_okrug"));
        assert_eq!(parse_kind("город Барнаул"), Some("city_okrug"));
        assert_eq!(
            parse_kind("Алейский муниципальный район"),
            Some("municipal_district")
        );
        assert_eq!(parse_kind("Алейский район"), Some("municipal_district"));
        assert_eq!(parse_kind("Сельское поселение"), Some("rural_settlement"));
        assert_eq!(
            parse_kind("Зудиловский сельсовет"),
            Some("rural_settlement")
        );
        assert_eq!(parse_kind("municipal_okrug"), Some("municipal_okrug"));
        assert_eq!(parse_kind("Посёлок"), None);
    }

    #[test]
    fn each_row_is_judged_and_repeats_are_named() {
        let t = table(
            &["Наименование", "Вид", "ОКТМО"],
            &[
                &["г.  Новосибирск", "Городской округ", "50701000"],
                &["Г. НОВОСИБИРСК", "", ""],
                &["г. Hовосибирск", "", "50701000"],
                &["Алейский район", "", "0160"],
                &["Нечто", "", ""],
                &["Искитимский район", "хутор", ""],
            ],
        );
        let (map, missing) = ColumnMap::new(COLUMNS, &t.headers);
        assert!(missing.is_empty());
        let mut problems = Problems::new(&map);
        let rows = parse(&t, &map, Locale::Ru, &mut problems);
        assert_eq!(rows[0].name, "г. Новосибирск");
        assert_eq!(rows[0].kind, Some("city_okrug"));
        assert_eq!(rows[1].kind, Some("city_okrug"), "the name says it");
        let found = found(problems);
        let has = |row: usize, column: &str, text: &str| {
            found
                .iter()
                .any(|(r, c, m)| *r == row && c.as_deref() == Some(column) && m.contains(text))
        };
        assert!(has(3, "Наименование", "строке 2"), "{found:?}");
        assert!(has(4, "Наименование", "«H»"), "{found:?}");
        assert!(has(4, "ОКТМО", "строке 2"), "{found:?}");
        assert!(has(5, "ОКТМО", "ОКТМО"), "{found:?}");
        assert!(has(7, "Вид", "хутор"), "{found:?}");
        assert_eq!(rows[4].kind, None, "«Нечто» says no kind");
    }
}
