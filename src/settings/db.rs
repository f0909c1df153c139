use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RegionSettings {
    pub required_platforms: Vec<String>,
    pub optional_platforms: Vec<String>,
    pub active_posts: i32,
    pub active_days: i32,
    pub dormant_days: i32,
    pub first_response_hours: i32,
    pub urgent_first_response_hours: i32,
    pub final_answer_days: i32,
    pub work_days: Vec<i16>,
    pub work_start: NaiveTime,
    pub work_end: NaiveTime,
    pub holidays: Vec<NaiveDate>,
    pub working_saturdays: Vec<NaiveDate>,
    pub weight_connected: i32,
    pub weight_mark: i32,
    pub weight_setup: i32,
    pub weight_widgets: i32,
    pub weight_activity: i32,
    pub weight_reach: i32,
    pub weight_post_reach: i32,
    pub green_from: i32,
    pub red_below: i32,
    pub high_first_response_hours: i32,
    pub urgent_final_answer_days: i32,
    pub at_risk_percent: i32,
    pub transfer_keeps_clock: bool,
    pub contact_retention_days: i32,
    pub question_categories: Vec<String>,
    /// «Категория: слово, слово» per line (see `questions::keywords`).
    pub category_keywords: String,
    pub mark_stuck_days: i32,
    pub quota_flagship: i32,
    pub quota_active: i32,
    pub quota_card: i32,
    pub ranking_min_questions: i32,
}

#[cfg(test)]
impl RegionSettings {
    /// Settings as a fresh region has them, for unit tests.
    pub fn test_defaults() -> RegionSettings {
        RegionSettings {
            required_platforms: vec!["vk".into(), "ok".into()],
            optional_platforms: vec!["telegram".into(), "max".into()],
            active_posts: 3,
            active_days: 7,
            dormant_days: 30,
            first_response_hours: 9,
            urgent_first_response_hours: 4,
            final_answer_days: 7,
            work_days: vec![1, 2, 3, 4, 5],
            work_start: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            work_end: chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
            holidays: vec![chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()],
            working_saturdays: vec![],
            weight_connected: 10,
            weight_mark: 10,
            weight_setup: 20,
            weight_widgets: 10,
            weight_activity: 30,
            weight_reach: 10,
            weight_post_reach: 5,
            green_from: 80,
            red_below: 50,
            high_first_response_hours: 9,
            urgent_final_answer_days: 7,
            at_risk_percent: 80,
            transfer_keeps_clock: false,
            contact_retention_days: 365,
            question_categories: vec!["ЖКХ".into(), "Дороги".into()],
            category_keywords: String::new(),
            mark_stuck_days: 30,
            quota_flagship: 7,
            quota_active: 3,
            quota_card: 1,
            ranking_min_questions: 10,
        }
    }
}

const COLUMNS: &str = "required_platforms, optional_platforms, active_posts, active_days, dormant_days, first_response_hours, \
    urgent_first_response_hours, final_answer_days, work_days, work_start, work_end, holidays, working_saturdays, \
    weight_connected, weight_mark, weight_setup, weight_widgets, weight_activity, weight_reach, weight_post_reach, \
    green_from, red_below, high_first_response_hours, urgent_final_answer_days, at_risk_percent, \
    transfer_keeps_clock, contact_retention_days, question_categories, mark_stuck_days, quota_flagship, quota_active, \
    quota_card, ranking_min_questions, category_keywords";

pub async fn get(db: &mut PgConnection, region: RegionId) -> Result<RegionSettings, sqlx::Error> {
    // Every region has its row from its creation (a trigger): this runs on replicas too.
    sqlx::query_as::<_, RegionSettings>(&format!(
        "select {COLUMNS} from region_settings where region_id = $1"
    ))
    .bind(region)
    .fetch_one(db)
    .await
}

pub async fn save(
    db: &mut PgConnection,
    region: RegionId,
    s: &RegionSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update region_settings set required_platforms = $2, optional_platforms = $3, active_posts = $4, active_days = $5,
                  dormant_days = $6, first_response_hours = $7, urgent_first_response_hours = $8, final_answer_days = $9,
                  work_days = $10, work_start = $11, work_end = $12, holidays = $13, working_saturdays = $14,
                  weight_connected = $15, weight_mark = $16, weight_setup = $17, weight_widgets = $18, weight_activity = $19,
                  weight_reach = $20, weight_post_reach = $21, green_from = $22, red_below = $23,
                  high_first_response_hours = $24, urgent_final_answer_days = $25, at_risk_percent = $26,
                  transfer_keeps_clock = $27, contact_retention_days = $28, question_categories = $29,
                  mark_stuck_days = $30, quota_flagship = $31, quota_active = $32, quota_card = $33, ranking_min_questions = $34, category_keywords = $35, updated_at = now()
           where region_id = $1"#,
    )
    .bind(region)
    .bind(&s.required_platforms)
    .bind(&s.optional_platforms)
    .bind(s.active_posts)
    .bind(s.active_days)
    .bind(s.dormant_days)
    .bind(s.first_response_hours)
    .bind(s.urgent_first_response_hours)
    .bind(s.final_answer_days)
    .bind(&s.work_days)
    .bind(s.work_start)
    .bind(s.work_end)
    .bind(&s.holidays)
    .bind(&s.working_saturdays)
    .bind(s.weight_connected)
    .bind(s.weight_mark)
    .bind(s.weight_setup)
    .bind(s.weight_widgets)
    .bind(s.weight_activity)
    .bind(s.weight_reach)
    .bind(s.weight_post_reach)
    .bind(s.green_from)
    .bind(s.red_below)
    .bind(s.high_first_response_hours)
    .bind(s.urgent_final_answer_days)
    .bind(s.at_risk_percent)
    .bind(s.transfer_keeps_clock)
    .bind(s.contact_retention_days)
    .bind(&s.question_categories)
    .bind(s.mark_stuck_days)
    .bind(s.quota_flagship)
    .bind(s.quota_active)
    .bind(s.quota_card)
    .bind(s.ranking_min_questions)
    .bind(&s.category_keywords)
    .execute(db)
    .await?;
    Ok(())
}
