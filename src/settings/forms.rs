//! The settings form: text as the admin typed it, validated into `RegionSettings`.

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use super::db::RegionSettings;
use crate::i18n::Locale;
use crate::pages::url::Platform;
use crate::web::forms::FieldErrors;

/// Each platform is required, optional or not used in the region.
pub const PLATFORM_USE: [&str; 3] = ["required", "optional", "unused"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub platform_vk: String,
    pub platform_ok: String,
    pub platform_telegram: String,
    pub platform_max: String,
    pub platform_other: String,
    pub active_posts: String,
    pub active_days: String,
    pub dormant_days: String,
    pub first_response_hours: String,
    pub urgent_first_response_hours: String,
    pub final_answer_days: String,
    pub day_1: Option<String>,
    pub day_2: Option<String>,
    pub day_3: Option<String>,
    pub day_4: Option<String>,
    pub day_5: Option<String>,
    pub day_6: Option<String>,
    pub day_7: Option<String>,
    pub work_start: String,
    pub work_end: String,
    pub holidays: String,
    pub working_saturdays: String,
    pub weight_connected: String,
    pub weight_mark: String,
    pub weight_setup: String,
    pub weight_widgets: String,
    pub weight_activity: String,
    pub weight_reach: String,
    pub weight_post_reach: String,
    pub green_from: String,
    pub red_below: String,
    pub high_first_response_hours: String,
    pub urgent_final_answer_days: String,
    pub at_risk_percent: String,
    /// "new" or "keep": what a transfer does to the question's clock.
    pub transfer_clock: String,
    pub contact_retention_days: String,
    pub question_categories: String,
    pub category_keywords: String,
    pub mark_stuck_days: String,
    pub quota_flagship: String,
    pub quota_active: String,
    pub quota_card: String,
    pub ranking_min_questions: String,
}

/// A transfer starts a new clock at the receiving organization or keeps the old one.
pub const TRANSFER_CLOCK: [&str; 2] = ["new", "keep"];
const MAX_CATEGORIES: usize = 50;
const MAX_CATEGORY_CHARS: usize = 80;

fn dates(list: &[NaiveDate]) -> String {
    list.iter()
        .map(|d| d.format("%d.%m.%Y").to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl SettingsForm {
    pub fn from_settings(s: &RegionSettings) -> SettingsForm {
        let usage = |p: Platform| {
            if s.required_platforms.iter().any(|x| x == p.code()) {
                "required"
            } else if s.optional_platforms.iter().any(|x| x == p.code()) {
                "optional"
            } else {
                "unused"
            }
            .to_owned()
        };
        let day = |d: i16| s.work_days.contains(&d).then(|| "on".to_owned());
        SettingsForm {
            platform_vk: usage(Platform::Vk),
            platform_ok: usage(Platform::Ok),
            platform_telegram: usage(Platform::Telegram),
            platform_max: usage(Platform::Max),
            platform_other: usage(Platform::Other),
            active_posts: s.active_posts.to_string(),
            active_days: s.active_days.to_string(),
            dormant_days: s.dormant_days.to_string(),
            first_response_hours: s.first_response_hours.to_string(),
            urgent_first_response_hours: s.urgent_first_response_hours.to_string(),
            final_answer_days: s.final_answer_days.to_string(),
            day_1: day(1),
            day_2: day(2),
            day_3: day(3),
            day_4: day(4),
            day_5: day(5),
            day_6: day(6),
            day_7: day(7),
            work_start: s.work_start.format("%H:%M").to_string(),
            work_end: s.work_end.format("%H:%M").to_string(),
            holidays: dates(&s.holidays),
            working_saturdays: dates(&s.working_saturdays),
            weight_connected: s.weight_connected.to_string(),
            weight_mark: s.weight_mark.to_string(),
            weight_setup: s.weight_setup.to_string(),
            weight_widgets: s.weight_widgets.to_string(),
            weight_activity: s.weight_activity.to_string(),
            weight_reach: s.weight_reach.to_string(),
            weight_post_reach: s.weight_post_reach.to_string(),
            green_from: s.green_from.to_string(),
            red_below: s.red_below.to_string(),
            high_first_response_hours: s.high_first_response_hours.to_string(),
            urgent_final_answer_days: s.urgent_final_answer_days.to_string(),
            at_risk_percent: s.at_risk_percent.to_string(),
            transfer_clock: if s.transfer_keeps_clock {
                "keep"
            } else {
                "new"
            }
            .to_owned(),
            contact_retention_days: s.contact_retention_days.to_string(),
            question_categories: s.question_categories.join("\n"),
            category_keywords: s.category_keywords.clone(),
            mark_stuck_days: s.mark_stuck_days.to_string(),
            quota_flagship: s.quota_flagship.to_string(),
            quota_active: s.quota_active.to_string(),
            quota_card: s.quota_card.to_string(),
            ranking_min_questions: s.ranking_min_questions.to_string(),
        }
    }

    pub fn platform(&self, code: &str) -> &str {
        match code {
            "vk" => &self.platform_vk,
            "ok" => &self.platform_ok,
            "telegram" => &self.platform_telegram,
            "max" => &self.platform_max,
            _ => &self.platform_other,
        }
    }

    pub fn day(&self, d: &i16) -> bool {
        [
            &self.day_1,
            &self.day_2,
            &self.day_3,
            &self.day_4,
            &self.day_5,
            &self.day_6,
            &self.day_7,
        ]
        .get((*d - 1) as usize)
        .is_some_and(|v| v.is_some())
    }

    pub fn validate(&self, l: Locale) -> Result<RegionSettings, FieldErrors> {
        let mut r = Reader {
            l,
            e: FieldErrors::default(),
        };
        let (required_platforms, optional_platforms) = self.platforms(&mut r);
        let activity = self.activity(&mut r);
        let deadlines = self.deadlines(&mut r);
        let time = self.working_time(&mut r);
        let score = self.score(&mut r);
        let question_categories = parse_categories(&self.question_categories, l, &mut r.e);
        let category_keywords =
            check_keywords(&self.category_keywords, &question_categories, l, &mut r.e);
        let contact_retention_days = r.int(
            "contact_retention_days",
            &self.contact_retention_days,
            1,
            3650,
        );
        let ranking_min_questions = r.int(
            "ranking_min_questions",
            &self.ranking_min_questions,
            1,
            10_000,
        );
        r.e.into_result(RegionSettings {
            required_platforms,
            optional_platforms,
            active_posts: activity.active_posts,
            active_days: activity.active_days,
            dormant_days: activity.dormant_days,
            mark_stuck_days: activity.mark_stuck_days,
            quota_flagship: activity.quotas[0],
            quota_active: activity.quotas[1],
            quota_card: activity.quotas[2],
            first_response_hours: deadlines.first_response_hours,
            high_first_response_hours: deadlines.high_first_response_hours,
            urgent_first_response_hours: deadlines.urgent_first_response_hours,
            final_answer_days: deadlines.final_answer_days,
            urgent_final_answer_days: deadlines.urgent_final_answer_days,
            at_risk_percent: deadlines.at_risk_percent,
            transfer_keeps_clock: deadlines.transfer_keeps_clock,
            work_days: time.work_days,
            work_start: time.work_start,
            work_end: time.work_end,
            holidays: time.holidays,
            working_saturdays: time.working_saturdays,
            weight_connected: score.weights[0],
            weight_mark: score.weights[1],
            weight_setup: score.weights[2],
            weight_widgets: score.weights[3],
            weight_activity: score.weights[4],
            weight_reach: score.weights[5],
            weight_post_reach: score.weights[6],
            green_from: score.green_from,
            red_below: score.red_below,
            contact_retention_days,
            question_categories,
            category_keywords,
            ranking_min_questions,
        })
    }

    /// Which platforms every organization must run, which it may; at least one is required.
    fn platforms(&self, r: &mut Reader) -> (Vec<String>, Vec<String>) {
        let mut required = Vec::new();
        let mut optional = Vec::new();
        for p in Platform::ALL {
            match self.platform(p.code()) {
                "required" => required.push(p.code().to_owned()),
                "optional" => optional.push(p.code().to_owned()),
                "unused" => {}
                _ => r.e.add(platform_field(p), r.l.t("field-choose")),
            }
        }
        if required.is_empty() {
            r.e.add("platform_vk", r.l.t("settings-no-required-platform"));
        }
        (required, optional)
    }

    fn activity(&self, r: &mut Reader) -> ActivityRules {
        ActivityRules {
            active_posts: r.int("active_posts", &self.active_posts, 1, 100),
            active_days: r.int("active_days", &self.active_days, 1, 90),
            dormant_days: r.int("dormant_days", &self.dormant_days, 1, 365),
            mark_stuck_days: r.int("mark_stuck_days", &self.mark_stuck_days, 1, 365),
            quotas: [
                r.int("quota_flagship", &self.quota_flagship, 0, 100),
                r.int("quota_active", &self.quota_active, 0, 100),
                r.int("quota_card", &self.quota_card, 0, 100),
            ],
        }
    }

    /// Answer deadlines; an urgent question never gets longer than an ordinary one.
    fn deadlines(&self, r: &mut Reader) -> Deadlines {
        let d = Deadlines {
            first_response_hours: r.int("first_response_hours", &self.first_response_hours, 1, 240),
            urgent_first_response_hours: r.int(
                "urgent_first_response_hours",
                &self.urgent_first_response_hours,
                1,
                240,
            ),
            final_answer_days: r.int("final_answer_days", &self.final_answer_days, 1, 60),
            high_first_response_hours: r.int(
                "high_first_response_hours",
                &self.high_first_response_hours,
                1,
                240,
            ),
            urgent_final_answer_days: r.int(
                "urgent_final_answer_days",
                &self.urgent_final_answer_days,
                1,
                60,
            ),
            at_risk_percent: r.int("at_risk_percent", &self.at_risk_percent, 10, 99),
            transfer_keeps_clock: match self.transfer_clock.as_str() {
                "keep" => true,
                "new" => false,
                _ => {
                    r.e.add("transfer_clock", r.l.t("field-choose"));
                    false
                }
            },
        };
        if d.urgent_first_response_hours > d.first_response_hours
            && !r.e.has("urgent_first_response_hours")
        {
            r.e.add(
                "urgent_first_response_hours",
                r.l.t("settings-urgent-longer"),
            );
        }
        if d.urgent_final_answer_days > d.final_answer_days && !r.e.has("urgent_final_answer_days")
        {
            r.e.add("urgent_final_answer_days", r.l.t("settings-urgent-longer"));
        }
        d
    }

    /// Working days and hours, holidays and moved working days.
    fn working_time(&self, r: &mut Reader) -> WorkingTime {
        let (l, e) = (r.l, &mut r.e);
        let work_days: Vec<i16> = (1..=7).filter(|d| self.day(d)).collect();
        if work_days.is_empty() {
            e.add("day_1", l.t("settings-no-work-days"));
        }
        let time = |value: &str| NaiveTime::parse_from_str(value.trim(), "%H:%M").ok();
        let work_start = time(&self.work_start).unwrap_or_else(|| {
            e.add("work_start", l.t("settings-time-format"));
            NaiveTime::MIN
        });
        let work_end = time(&self.work_end).unwrap_or_else(|| {
            e.add("work_end", l.t("settings-time-format"));
            NaiveTime::MIN
        });
        if !e.has("work_start") && !e.has("work_end") && work_start >= work_end {
            e.add("work_end", l.t("settings-hours-order"));
        }
        WorkingTime {
            work_days,
            work_start,
            work_end,
            holidays: parse_dates(&self.holidays, "holidays", l, e),
            working_saturdays: parse_dates(&self.working_saturdays, "working_saturdays", l, e),
        }
    }

    /// The quality score's weights (not all zero) and its traffic-light thresholds.
    fn score(&self, r: &mut Reader) -> ScoreRules {
        let weights = [
            r.int("weight_connected", &self.weight_connected, 0, 100),
            r.int("weight_mark", &self.weight_mark, 0, 100),
            r.int("weight_setup", &self.weight_setup, 0, 100),
            r.int("weight_widgets", &self.weight_widgets, 0, 100),
            r.int("weight_activity", &self.weight_activity, 0, 100),
            r.int("weight_reach", &self.weight_reach, 0, 100),
            r.int("weight_post_reach", &self.weight_post_reach, 0, 100),
        ];
        let green_from = r.int("green_from", &self.green_from, 0, 100);
        let red_below = r.int("red_below", &self.red_below, 0, 100);
        if red_below > green_from && !r.e.has("red_below") && !r.e.has("green_from") {
            r.e.add("red_below", r.l.t("settings-thresholds-order"));
        }
        if weights.iter().sum::<i32>() == 0 {
            r.e.add("weight_connected", r.l.t("settings-weights-zero"));
        }
        ScoreRules {
            weights,
            green_from,
            red_below,
        }
    }
}

/// Reads the form's numbers, collecting a message per field that is out of its range.
struct Reader {
    l: Locale,
    e: FieldErrors,
}

impl Reader {
    fn int(&mut self, field: &'static str, value: &str, min: i32, max: i32) -> i32 {
        match value.trim().parse::<i32>() {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                let message = self.l.t_args(
                    "field-number-range",
                    &[("min", min.into()), ("max", max.into())],
                );
                self.e.add(field, message);
                min
            }
        }
    }
}

struct ActivityRules {
    active_posts: i32,
    active_days: i32,
    dormant_days: i32,
    mark_stuck_days: i32,
    /// Weekly posts expected of a flagship, an active and a card page.
    quotas: [i32; 3],
}

struct Deadlines {
    first_response_hours: i32,
    high_first_response_hours: i32,
    urgent_first_response_hours: i32,
    final_answer_days: i32,
    urgent_final_answer_days: i32,
    at_risk_percent: i32,
    transfer_keeps_clock: bool,
}

struct WorkingTime {
    work_days: Vec<i16>,
    work_start: NaiveTime,
    work_end: NaiveTime,
    holidays: Vec<NaiveDate>,
    working_saturdays: Vec<NaiveDate>,
}

/// The score's seven weights in the order of `quality::score::Weights`, and its thresholds.
struct ScoreRules {
    weights: [i32; 7],
    green_from: i32,
    red_below: i32,
}

pub fn platform_field(p: Platform) -> &'static str {
    match p {
        Platform::Vk => "platform_vk",
        Platform::Ok => "platform_ok",
        Platform::Telegram => "platform_telegram",
        Platform::Max => "platform_max",
        Platform::Other => "platform_other",
    }
}

/// One category per line, in the region's order; blank lines ignored, repeats refused.
fn parse_categories(text: &str, l: Locale, e: &mut FieldErrors) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in text
        .lines()
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
    {
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > MAX_CATEGORY_CHARS {
            e.add(
                "question_categories",
                l.t1("settings-category-long", "value", &name),
            );
            break;
        }
        if out.iter().any(|c| c.to_lowercase() == name.to_lowercase()) {
            e.add(
                "question_categories",
                l.t1("settings-category-repeated", "value", &name),
            );
            break;
        }
        out.push(name);
    }
    if out.is_empty() && !e.has("question_categories") {
        e.add("question_categories", l.t("settings-categories-empty"));
    }
    if out.len() > MAX_CATEGORIES {
        e.add("question_categories", l.t("settings-categories-many"));
    }
    out
}

/// The keyword lines, each naming one of the region's categories; kept as typed (trimmed).
fn check_keywords(text: &str, categories: &[String], l: Locale, e: &mut FieldErrors) -> String {
    use crate::questions::keywords::{Keywords, LineError};
    const FIELD: &str = "category_keywords";
    if text.chars().count() > 20_000 {
        e.add(FIELD, l.t("settings-keywords-long"));
        return text.to_owned();
    }
    match Keywords::parse(text, categories) {
        Ok(_) => {}
        Err(LineError::NoCategory(line)) => {
            e.add(FIELD, l.t1("settings-keywords-no-category", "value", &line))
        }
        Err(LineError::UnknownCategory(name)) => {
            e.add(FIELD, l.t1("settings-keywords-unknown", "value", &name))
        }
        Err(LineError::NoWords(name)) => {
            e.add(FIELD, l.t1("settings-keywords-no-words", "value", &name))
        }
    }
    text.trim().to_owned()
}

/// One date per line or separated by commas, as 31.12.2026 or 2026-12-31; sorted, unique.
fn parse_dates(text: &str, field: &'static str, l: Locale, e: &mut FieldErrors) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for part in text
        .split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match NaiveDate::parse_from_str(part, "%d.%m.%Y")
            .or_else(|_| NaiveDate::parse_from_str(part, "%Y-%m-%d"))
        {
            Ok(d) => out.push(d),
            Err(_) => {
                e.add(field, l.t1("settings-date-bad", "value", part));
                break;
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> RegionSettings {
        RegionSettings::test_defaults()
    }

    #[test]
    fn the_form_round_trips_the_settings() {
        let s = defaults();
        assert_eq!(
            SettingsForm::from_settings(&s)
                .validate(Locale::Ru)
                .unwrap(),
            s
        );
    }

    #[test]
    fn dates_in_both_spellings_and_errors_per_field() {
        let mut form = SettingsForm::from_settings(&defaults());
        form.holidays = "2026-01-02\n01.01.2026, 07.01.2026".into();
        let s = form.validate(Locale::Ru).unwrap();
        assert_eq!(s.holidays.len(), 3);
        assert_eq!(s.holidays[0], NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        form.holidays = "32.01.2026".into();
        form.work_end = "08:00".into();
        form.red_below = "90".into();
        form.platform_vk = "optional".into();
        form.platform_ok = "unused".into();
        form.question_categories = "ЖКХ\nжкх".into();
        form.transfer_clock = "later".into();
        let e = form.validate(Locale::Ru).unwrap_err();
        for field in [
            "holidays",
            "work_end",
            "red_below",
            "platform_vk",
            "question_categories",
            "transfer_clock",
        ] {
            assert!(e.has(field), "{field}");
        }
    }
}
