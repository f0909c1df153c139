//! A page's quality score from its card and latest figures, with the region's weights: the
//! one place lists, the card, the dashboard's red flags and the demo score pages.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::activity::db as activity_db;
use crate::activity::derive::Week;
use crate::ids::{PageId, RegionId};
use crate::pages::db::card::{self as db, CardPage};
use crate::quality::score::{PageFacts, Score, Weights, score};
use crate::settings::db::RegionSettings;

pub fn facts(
    page: &CardPage,
    weeks: &[Week],
    settings: &RegionSettings,
    today: NaiveDate,
) -> PageFacts {
    // Figures older than two weeks say nothing about the page now.
    let latest = weeks
        .iter()
        .max_by_key(|w| w.week)
        .filter(|w| (today - w.week).num_days() <= 14);
    let quota = match page.category.as_str() {
        "flagship" => settings.quota_flagship,
        "card" => settings.quota_card,
        _ => settings.quota_active,
    };
    PageFacts {
        connected: Some(page.connected),
        mark_granted: Some(page.mark_status == "granted"),
        avatar: page.has_avatar,
        description: page.has_description,
        cover: page.has_cover,
        widgets: page.widgets.map(|w| w.clamp(0, 2) as u8),
        posts_last_7_days: latest.and_then(|w| w.posts).map(|p| p.max(0) as u32),
        weekly_quota: quota.max(0) as u32,
        followers: latest.and_then(|w| w.followers).map(|f| f.max(0) as u64),
        weekly_reach: latest.and_then(|w| w.reach).map(|r| r.max(0) as u64),
        average_post_reach: latest.and_then(|w| match (w.views, w.posts) {
            (Some(v), Some(p)) if p > 0 => Some((v / i64::from(p)).max(0) as u64),
            _ => None,
        }),
    }
}

/// The mark and score of each page of a list, as the list shows them.
#[derive(Default)]
pub struct PageScores(HashMap<PageId, (String, Score)>);

impl PageScores {
    /// The mark's status code; "none" for a page the list did not score.
    pub fn mark(&self, id: &PageId) -> &str {
        self.0.get(id).map(|(m, _)| m.as_str()).unwrap_or("none")
    }

    /// (light code, percent text) of a page.
    pub fn score(&self, id: &PageId) -> (&'static str, String) {
        match self.0.get(id) {
            Some((_, s)) => (
                s.light.code(),
                s.percent
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "—".into()),
            ),
            None => ("unknown", "—".into()),
        }
    }
}

/// Mark and score of many pages at once, for lists: two queries whatever their number.
pub async fn scores(
    conn: &mut PgConnection,
    region: RegionId,
    time_zone: &str,
    ids: &[i64],
) -> Result<PageScores, sqlx::Error> {
    let settings = crate::settings::db::get(conn, region).await?;
    let pages = db::cards(conn, region, ids).await?;
    let latest = activity_db::latest(conn, region, Some(ids)).await?;
    let today = crate::regions::time::today(crate::regions::time::zone_of(time_zone));
    let w = weights(&settings);
    Ok(PageScores(
        pages
            .iter()
            .map(|p| {
                let weeks: Vec<Week> = latest.get(&p.id).copied().into_iter().collect();
                (
                    p.id,
                    (
                        p.mark_status.clone(),
                        score(&facts(p, &weeks, &settings, today), &w),
                    ),
                )
            })
            .collect(),
    ))
}

pub fn weights(s: &RegionSettings) -> Weights {
    let n = |v: i32| v.max(0) as u32;
    Weights {
        connected: n(s.weight_connected),
        mark: n(s.weight_mark),
        setup: n(s.weight_setup),
        widgets: n(s.weight_widgets),
        activity: n(s.weight_activity),
        reach: n(s.weight_reach),
        post_reach: n(s.weight_post_reach),
        green_from: n(s.green_from),
        red_below: n(s.red_below),
    }
}
