//! The weekly figures file read on its own: platform names, addresses, weeks (not in the
//! future), whole-number figures and dates of the last post — everything judged without the
//! registry.

use chrono::NaiveDate;

use super::FIGURES;
use crate::activity::db::monday_of;
use crate::activity::derive::Week;
use crate::activity::figures::count;
use crate::i18n::Locale;
use crate::import::columns::ColumnMap;
use crate::import::pages::parse_platform;
use crate::import::plan::{Problems, data_rows};
use crate::import::reader::Table;
use crate::pages::url::{Platform, normalize};
use crate::web::forms::FieldErrors;

/// A row as the file gives it; `None` where a cell could not be read (its problem is
/// reported).
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityLine {
    pub row: usize,
    /// The organization's INN or OGRN as typed, or blank.
    pub organization: String,
    pub url: String,
    /// The (platform, key) the address names.
    pub page: Option<(&'static str, String)>,
    /// The week's figures, keyed by the Monday of the week.
    pub week: Option<Week>,
}

/// A date as a person or a spreadsheet writes it, including Excel's day numbers.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if let Ok(serial) = v.parse::<f64>()
        && (20_000.0..80_000.0).contains(&serial)
    {
        return NaiveDate::from_ymd_opt(1899, 12, 30)
            .map(|base| base + chrono::Duration::days(serial.trunc() as i64));
    }
    let date_part = v.split([' ', 'T']).next().unwrap_or(v);
    // "23.11.26" is 2026, not the year 26.
    let short_year = date_part.rsplit('.').next().is_some_and(|y| y.len() == 2);
    let formats: &[&str] = if short_year {
        &["%d.%m.%y"]
    } else {
        &["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]
    };
    formats
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(date_part, f).ok())
}

/// The page an address names: with the platform column, on that platform; without it, on
/// whichever platform the address belongs to.
pub fn page_key(platform: Option<Platform>, url: &str) -> Option<(&'static str, String)> {
    match platform {
        Some(p) => normalize(p, url).ok().map(|u| (p.code(), u.key)),
        None => Platform::ALL
            .iter()
            .filter(|p| **p != Platform::Other)
            .find_map(|p| normalize(*p, url).ok().map(|u| (p.code(), u.key))),
    }
}

/// Every row that is not blank and names a known platform (or none), with the problems a
/// row shows on its own. `today` is the region's: a week cannot start after it.
pub fn parse(
    table: &Table,
    map: &ColumnMap,
    today: NaiveDate,
    l: Locale,
    problems: &mut Problems,
) -> Vec<ActivityLine> {
    data_rows(table)
        .filter_map(|(row, cells)| {
            let cell = |code: &str| map.cell(cells, code);
            let platform = match cell("platform") {
                "" => None,
                text => match parse_platform(text) {
                    Some(p) => Some(p),
                    None => {
                        problems.add(
                            row,
                            "platform",
                            l.t1("import-platform-unknown", "value", text),
                        );
                        return None;
                    }
                },
            };
            let url = cell("url");
            let page = page_key(platform, url);
            if page.is_none() {
                let message = if url.is_empty() {
                    l.t("field-required")
                } else {
                    l.t1("import-activity-page-bad", "value", url)
                };
                problems.add(row, "url", message);
            }
            Some(ActivityLine {
                row,
                organization: cell("organization").to_owned(),
                url: url.to_owned(),
                page,
                week: week(row, cells, map, today, l, problems),
            })
        })
        .collect()
}

fn week(
    row: usize,
    cells: &[String],
    map: &ColumnMap,
    today: NaiveDate,
    l: Locale,
    problems: &mut Problems,
) -> Option<Week> {
    let cell = |code: &str| map.cell(cells, code);
    let monday = match parse_day(cell("week")) {
        Some(d) if d > today => {
            problems.add(row, "week", l.t("figures-week-future"));
            None
        }
        Some(d) => Some(monday_of(d)),
        None => {
            problems.add(
                row,
                "week",
                l.t1("import-activity-week-bad", "value", cell("week")),
            );
            None
        }
    };
    let mut fe = FieldErrors::default();
    let mut figure = |code: &'static str| count(cell(code), code, l, &mut fe);
    let as_i32 = |v: Option<i64>| v.map(|n| n.min(i64::from(i32::MAX)) as i32);
    let (followers, posts, views, likes, comments, reposts, reach) = (
        as_i32(figure("followers")),
        as_i32(figure("posts")),
        figure("views"),
        as_i32(figure("likes")),
        as_i32(figure("comments")),
        as_i32(figure("reposts")),
        figure("reach"),
    );
    for (code, _, _) in FIGURES.iter().take(7) {
        if let Some(message) = fe.get(code) {
            problems.add(row, code, format!("{message} («{}»)", cell(code)));
        }
    }
    let last_post_on = match cell("last_post_on") {
        "" => None,
        v => match parse_day(v) {
            Some(d) if d <= today => Some(d),
            _ => {
                problems.add(
                    row,
                    "last_post_on",
                    l.t1("import-activity-week-bad", "value", v),
                );
                None
            }
        },
    };
    Some(Week {
        week: monday?,
        followers,
        posts,
        views,
        likes,
        comments,
        reposts,
        reach,
        last_post_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::plan::testing::{found, table};

    #[test]
    fn days_in_every_spelling() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for v in [
            "23.11.2026",
            "2026-11-23",
            "23.11.26",
            "46349",
            "2026-11-23 00:00:00",
        ] {
            assert_eq!(parse_day(v), Some(d), "{v}");
        }
        assert_eq!(parse_day("на прошлой неделе"), None);
    }

    #[test]
    fn an_address_finds_its_platform() {
        assert_eq!(
            page_key(None, "https://vk.com/club123").map(|k| k.0),
            Some("vk")
        );
        assert_eq!(
            page_key(None, "https://ok.ru/group/55").map(|k| k.0),
            Some("ok")
        );
        assert_eq!(
            page_key(Some(Platform::Telegram), "https://vk.com/club123"),
            None
        );
    }

    #[test]
    fn a_row_is_judged_on_its_own() {
        let t = table(
            &[
                "Адрес страницы",
                "Неделя",
                "Подписчики",
                "Посты",
                "Последний пост",
            ],
            &[
                &["vk.com/club1", "25.11.2026", "1 200", "3", "27.11.2026"],
                &["", "01.12.2026", "-5", "", "завтра"],
            ],
        );
        let specs = super::super::columns();
        let (map, _) = ColumnMap::new(&specs, &t.headers);
        let mut problems = Problems::new(&map);
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let rows = parse(&t, &map, today, Locale::Ru, &mut problems);
        let week = rows[0].week.unwrap();
        assert_eq!(week.week, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!((week.followers, week.posts), (Some(1200), Some(3)));
        assert_eq!(rows[0].page.as_ref().map(|p| p.0), Some("vk"));
        let found: Vec<(usize, Option<String>)> = found(problems)
            .into_iter()
            .map(|(r, c, _)| (r, c))
            .collect();
        for column in ["Адрес страницы", "Неделя", "Подписчики", "Последний пост"]
        {
            assert!(
                found.contains(&(3, Some(column.to_owned()))),
                "{column}: {found:?}"
            );
        }
        assert!(rows[1].week.is_none());
        assert!(!found.iter().any(|(r, _)| *r == 2), "{found:?}");
    }
}
