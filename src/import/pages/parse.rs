//! The pages file read on its own: platform names, yes/no cells, addresses normalized per
//! platform and the same page twice in the file — everything judged without the registry.

use std::collections::HashMap;

use crate::i18n::Locale;
use crate::import::columns::{ColumnMap, normalize};
use crate::import::plan::{Problems, data_rows};
use crate::import::reader::Table;
use crate::pages::url::{PageUrl, Platform, UrlError, normalize as normalize_url};

/// A row as the file gives it; `None` where a cell could not be read (its problem is
/// reported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageLine {
    pub row: usize,
    /// The organization's OGRN or INN as typed.
    pub organization: String,
    pub platform: Option<Platform>,
    /// `None` also for the second row of a page the file already has.
    pub url: Option<PageUrl>,
    pub mark: Option<bool>,
    pub connected: Option<bool>,
    pub title: String,
}

pub fn parse_platform(value: &str) -> Option<Platform> {
    match normalize(value).as_str() {
        "vk" | "вк" | "вконтакте" | "vkontakte" => Some(Platform::Vk),
        "ok" | "ок" | "одноклассники" | "odnoklassniki" => Some(Platform::Ok),
        "telegram" | "телеграм" | "телеграмм" | "tg" | "тг" => {
            Some(Platform::Telegram)
        }
        "max" | "макс" => Some(Platform::Max),
        "other" | "другое" | "другая" | "иное" | "сайт" => {
            Some(Platform::Other)
        }
        _ => None,
    }
}

pub fn parse_yes_no(value: &str) -> Option<bool> {
    match normalize(value).as_str() {
        "да" | "yes" | "true" | "1" | "есть" | "+" => Some(true),
        "нет" | "no" | "false" | "0" | "" | "-" => Some(false),
        _ => None,
    }
}

/// Every row that is not blank, with the problems a row shows on its own.
pub fn parse(table: &Table, map: &ColumnMap, l: Locale, problems: &mut Problems) -> Vec<PageLine> {
    let mut first_row: HashMap<(&'static str, String), usize> = HashMap::new();
    data_rows(table)
        .map(|(row, cells)| {
            let cell = |code: &str| map.cell(cells, code);
            if cell("organization").is_empty() {
                problems.add(row, "organization", l.t("field-required"));
            }
            let platform = parse_platform(cell("platform"));
            if platform.is_none() {
                let message = l.t1("import-platform-unknown", "value", cell("platform"));
                problems.add(row, "platform", message);
            }
            let yes_no = |code: &str, problems: &mut Problems| {
                let value = parse_yes_no(cell(code));
                if value.is_none() {
                    problems.add(row, code, l.t1("import-yes-no", "value", cell(code)));
                }
                value
            };
            let mark = yes_no("mark", problems);
            let connected = yes_no("connected", problems);
            let url = platform.and_then(|p| address(row, p, cell("url"), l, problems));
            let url = url.filter(|u| {
                let key = (platform.map_or("", Platform::code), u.key.clone());
                match first_row.get(&key) {
                    Some(first) => {
                        let message = l.t1("import-duplicate-page", "row", &first.to_string());
                        problems.add(row, "url", message);
                        false
                    }
                    None => {
                        first_row.insert(key, row);
                        true
                    }
                }
            });
            PageLine {
                row,
                organization: cell("organization").to_owned(),
                platform,
                url,
                mark,
                connected,
                title: cell("title").to_owned(),
            }
        })
        .collect()
}

fn address(
    row: usize,
    platform: Platform,
    text: &str,
    l: Locale,
    problems: &mut Problems,
) -> Option<PageUrl> {
    normalize_url(platform, text)
        .map_err(|e| {
            let message = match e {
                UrlError::WrongPlatform(Some(found)) => {
                    l.t1(e.message_key(), "platform", &l.t(found.label_key()))
                }
                UrlError::WrongPlatform(None) => l.t("page-url-invalid"),
                _ => l.t(e.message_key()),
            };
            problems.add(row, "url", message);
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::import::pages::COLUMNS;
    use crate::import::plan::testing::{Found, found, table};

    fn parsed(rows: &[&[&str]]) -> (Vec<PageLine>, Vec<Found>) {
        let t = table(
            &[
                "ОГРН организации",
                "Площадка",
                "Адрес",
                "Госметка",
                "Подключено к Госпабликам",
            ],
            rows,
        );
        let (map, missing) = ColumnMap::new(COLUMNS, &t.headers);
        assert!(missing.is_empty(), "{missing:?}");
        let mut problems = Problems::new(&map);
        let rows = parse(&t, &map, Locale::Ru, &mut problems);
        (rows, found(problems))
    }

    #[test]
    fn platforms_and_answers_as_people_write_them() {
        assert_eq!(parse_platform("ВКонтакте"), Some(Platform::Vk));
        assert_eq!(parse_platform(" ОК "), Some(Platform::Ok));
        assert_eq!(parse_platform("Телеграмм"), Some(Platform::Telegram));
        assert_eq!(parse_platform("Макс"), Some(Platform::Max));
        assert_eq!(parse_platform("фейсбук"), None);
        assert_eq!(parse_yes_no("Да"), Some(true));
        assert_eq!(parse_yes_no(""), Some(false));
        assert_eq!(parse_yes_no("может быть"), None);
    }

    #[test]
    fn addresses_are_normalized_and_a_page_is_listed_once() {
        let (rows, found) = parsed(&[
            &[
                "1042240000010",
                "ВК",
                "https://vk.com/public123",
                "да",
                "нет",
            ],
            &["1042240000010", "vk", "m.vk.com/club123", "нет", "нет"],
            &["1042240000010", "Telegram", "vk.com/club5", "нет", "нет"],
            &["", "фейсбук", "fb.com/x", "возможно", "нет"],
        ]);
        assert!(rows[0].url.is_some());
        assert_eq!(rows[0].mark, Some(true));
        assert_eq!(rows[1].url, None, "the same community twice");
        let has = |row: usize, column: &str, text: &str| {
            found
                .iter()
                .any(|(r, c, m)| *r == row && c.as_deref() == Some(column) && m.contains(text))
        };
        assert!(has(3, "Адрес", "строке 2"), "{found:?}");
        assert!(has(4, "Адрес", "ВКонтакте"), "{found:?}");
        assert!(has(5, "ОГРН организации", "Заполните"), "{found:?}");
        assert!(has(5, "Площадка", "фейсбук"), "{found:?}");
        assert!(has(5, "Госметка", "возможно"), "{found:?}");
        assert_eq!(rows[3].platform, None);
    }
}
