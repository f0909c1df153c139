//! A year of Russia's production calendar from a file: which weekdays are holidays and which
//! weekend days are working days. Two shapes are read: the open-data calendar (one row per
//! year, one column per month listing the days off; "*" marks a shortened working day, "+"
//! a moved day off) and a plain list of dates with their kind.

use chrono::{Datelike, NaiveDate};

use crate::i18n::Locale;
use crate::import::reader;
use crate::settings::db::RegionSettings;

const MONTHS_RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearCalendar {
    pub year: i32,
    /// Days off that fall on a usual working day.
    pub holidays: Vec<NaiveDate>,
    /// Working days that fall on a usual day off.
    pub working_days_off: Vec<NaiveDate>,
}

fn clean(h: &str) -> String {
    h.trim().to_lowercase().replace('ё', "е")
}

/// Reads the calendar for `year`; `work_days` (Monday first) says which weekdays are usually
/// worked. Errors are whole sentences in the reader's language.
pub fn parse(
    bytes: &[u8],
    year: i32,
    work_days: [bool; 7],
    l: Locale,
) -> Result<YearCalendar, String> {
    let table = reader::read(bytes).map_err(|e| l.t(e.message_key()))?;
    let headers: Vec<String> = table.headers.iter().map(|h| clean(h)).collect();
    let month_columns: Vec<Option<usize>> = MONTHS_RU
        .iter()
        .map(|m| headers.iter().position(|h| h == m))
        .collect();
    let days_off = if month_columns.iter().all(Option::is_some) {
        open_data_days_off(&table, year, &month_columns, l)?
    } else if headers.len() >= 2 {
        listed_days_off(&table, year, work_days, l)?
    } else {
        return Err(l.t("calendar-shape-unknown"));
    };
    let mut holidays = Vec::new();
    let mut working_days_off = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| l.t("calendar-year-bad"))?;
    while day.year() == year {
        let usual = work_days[day.weekday().num_days_from_monday() as usize];
        let off = days_off.contains(&day);
        if usual && off {
            holidays.push(day);
        } else if !usual && !off {
            working_days_off.push(day);
        }
        day = day.succ_opt().ok_or_else(|| l.t("calendar-year-bad"))?;
    }
    Ok(YearCalendar {
        year,
        holidays,
        working_days_off,
    })
}

fn open_data_days_off(
    table: &reader::Table,
    year: i32,
    months: &[Option<usize>],
    l: Locale,
) -> Result<Vec<NaiveDate>, String> {
    let row = table
        .rows
        .iter()
        .find(|r| r.first().map(|c| c.trim()) == Some(year.to_string().as_str()))
        .ok_or_else(|| l.t1("calendar-year-missing", "year", &year.to_string()))?;
    let mut out = Vec::new();
    for (m, column) in months.iter().enumerate() {
        let cell = column
            .and_then(|c| row.get(c))
            .map(String::as_str)
            .unwrap_or("");
        for part in cell.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            // "23*": a shortened working day, not a day off.
            if part.ends_with('*') {
                continue;
            }
            let date = part
                .trim_end_matches('+')
                .parse::<u32>()
                .ok()
                .and_then(|d| NaiveDate::from_ymd_opt(year, m as u32 + 1, d))
                .ok_or_else(|| l.t1("calendar-day-bad", "value", part))?;
            out.push(date);
        }
    }
    Ok(out)
}

/// "date; kind" rows: kind is a day off (выходной, праздник, holiday) or a working day
/// (рабочий, working). Days not listed keep their usual weekday rule.
fn listed_days_off(
    table: &reader::Table,
    year: i32,
    work_days: [bool; 7],
    l: Locale,
) -> Result<Vec<NaiveDate>, String> {
    let mut off = Vec::new();
    let mut worked = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let cell = |n: usize| row.get(n).map(|c| c.trim()).unwrap_or("");
        if cell(0).is_empty() && cell(1).is_empty() {
            continue;
        }
        let line = (i + 2).to_string();
        let date = NaiveDate::parse_from_str(cell(0), "%d.%m.%Y")
            .or_else(|_| NaiveDate::parse_from_str(cell(0), "%Y-%m-%d"))
            .map_err(|_| {
                l.t_args(
                    "calendar-row-date",
                    &[
                        ("row", line.clone().into()),
                        ("value", cell(0).to_owned().into()),
                    ],
                )
            })?;
        match clean(cell(1)).as_str() {
            "выходной" | "праздник" | "праздничный" | "нерабочий" | "holiday" | "day off" => {
                off.push(date)
            }
            "рабочий" | "working" | "working day" => worked.push(date),
            other => {
                return Err(l.t_args(
                    "calendar-row-kind",
                    &[("row", line.into()), ("value", other.to_owned().into())],
                ));
            }
        }
    }
    // Express the list as the year's days off, as the open-data shape does.
    let mut days_off = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| l.t("calendar-year-bad"))?;
    while day.year() == year {
        let usual = work_days[day.weekday().num_days_from_monday() as usize];
        if off.contains(&day) || (!usual && !worked.contains(&day)) {
            days_off.push(day);
        }
        day = day.succ_opt().ok_or_else(|| l.t("calendar-year-bad"))?;
    }
    if !off.iter().chain(&worked).any(|d| d.year() == year) {
        return Err(l.t1("calendar-year-missing", "year", &year.to_string()));
    }
    Ok(days_off)
}

/// The region's settings with that year's holidays and working days replaced by the file's.
pub fn apply(settings: &mut RegionSettings, cal: &YearCalendar) {
    settings.holidays.retain(|d| d.year() != cal.year);
    settings.holidays.extend(&cal.holidays);
    settings.holidays.sort();
    settings.working_saturdays.retain(|d| d.year() != cal.year);
    settings.working_saturdays.extend(&cal.working_days_off);
    settings.working_saturdays.sort();
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: [bool; 7] = [true, true, true, true, true, false, false];

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The 2025 row of the open-data production calendar, as published.
    const OPEN_DATA: &str = "Год/Месяц,Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь,Всего рабочих дней,Всего праздничных и выходных дней,Количество рабочих часов при 40-часовой рабочей неделе,Количество рабочих часов при 36-часовой рабочей неделе,Количество рабочих часов при 24-часовой рабочей неделе\n\
2025,\"1,2,3,4,5,6,7,8,11,12,18,19,25,26\",\"1,2,8,9,15,16,22,23\",\"1,2,7*,8,9,15,16,22,23,29,30\",\"5,6,12,13,19,20,26,27,29*\",\"1,2,3,4,8,9,10,11,17,18,24,25,31\",\"1,7,8,11*,12,13,14,15,21,22,28,29\",\"5,6,12,13,19,20,26,27\",\"2,3,9,10,16,17,23,24,30,31\",\"6,7,13,14,20,21,27,28\",\"4,5,11,12,18,19,25,26\",\"1*,2,3,4,8,9,15,16,22,23,29,30\",\"6,7,13,14,20,21,27,28,31\",247,118,1972,1774.4,1181.6\n";

    #[test]
    fn the_open_data_calendar_of_2025() {
        let cal = parse(OPEN_DATA.as_bytes(), 2025, WEEK, Locale::Ru).unwrap();
        for h in [
            "2025-01-01",
            "2025-01-08",
            "2025-05-02",
            "2025-05-08",
            "2025-06-13",
            "2025-11-03",
            "2025-11-04",
            "2025-12-31",
        ] {
            assert!(cal.holidays.contains(&d(h)), "{h} is a holiday");
        }
        // Saturday 1 November 2025 was worked (shortened), in exchange for Monday 3 November.
        assert_eq!(cal.working_days_off, vec![d("2025-11-01")]);
        assert!(
            !cal.holidays.contains(&d("2025-03-07")),
            "a shortened day is worked"
        );
        // 247 working days in the year, as the file says.
        let weekdays = (0..365)
            .map(|i| d("2025-01-01") + chrono::Duration::days(i))
            .filter(|day| WEEK[day.weekday().num_days_from_monday() as usize])
            .count();
        assert_eq!(
            weekdays - cal.holidays.len() + cal.working_days_off.len(),
            247
        );
    }

    #[test]
    fn a_plain_list_of_dates() {
        let file = "Дата;Тип\n01.01.2027;праздник\n2027-01-08;выходной\n06.11.2027;рабочий\n";
        let cal = parse(file.as_bytes(), 2027, WEEK, Locale::Ru).unwrap();
        assert_eq!(cal.holidays, vec![d("2027-01-01"), d("2027-01-08")]);
        assert_eq!(cal.working_days_off, vec![d("2027-11-06")]);
    }

    #[test]
    fn problems_are_named() {
        let missing = parse(OPEN_DATA.as_bytes(), 2031, WEEK, Locale::Ru).unwrap_err();
        assert!(missing.contains("2031"), "{missing}");
        let bad = parse(
            "Дата;Тип\n01.01.2027;отгул\n".as_bytes(),
            2027,
            WEEK,
            Locale::Ru,
        )
        .unwrap_err();
        assert!(bad.contains("отгул") && bad.contains('2'), "{bad}");
        let date = parse(
            "Дата;Тип\n31.02.2027;рабочий\n".as_bytes(),
            2027,
            WEEK,
            Locale::Ru,
        )
        .unwrap_err();
        assert!(date.contains("31.02.2027"), "{date}");
    }

    #[test]
    fn loading_a_year_replaces_only_that_year() {
        let mut s = crate::settings::db::RegionSettings::test_defaults();
        s.holidays = vec![d("2026-01-01"), d("2025-05-05")];
        s.working_saturdays = vec![d("2025-02-01")];
        let cal = parse(OPEN_DATA.as_bytes(), 2025, WEEK, Locale::Ru).unwrap();
        apply(&mut s, &cal);
        assert!(s.holidays.contains(&d("2026-01-01")));
        assert!(!s.holidays.contains(&d("2025-05-05")));
        assert_eq!(s.working_saturdays, vec![d("2025-11-01")]);
    }
}
