//! Pages that need a coordinator's call: no mark, a mark request stuck past the region's
//! limit, dormant (no post for the region's number of days), or a red quality score.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::activity::derive::Week;
use crate::ids::RegionId;
use crate::pages::db::card::{CardPage, cards_in_scope};
use crate::pages::score::{facts, weights};
use crate::quality::score::{Light, Weights, score};
use crate::settings::db::RegionSettings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageFlag {
    NoMark,
    Stuck,
    Dormant,
    Red,
}

impl PageFlag {
    pub const ALL: [PageFlag; 4] = [
        PageFlag::NoMark,
        PageFlag::Stuck,
        PageFlag::Dormant,
        PageFlag::Red,
    ];

    pub fn parse(s: &str) -> Option<PageFlag> {
        PageFlag::ALL.into_iter().find(|f| f.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            PageFlag::NoMark => "no_mark",
            PageFlag::Stuck => "stuck",
            PageFlag::Dormant => "dormant",
            PageFlag::Red => "red",
        }
    }
}

#[derive(Clone, Debug)]
pub struct FlaggedPage {
    pub page: CardPage,
    pub light: Light,
    pub percent: Option<u32>,
    pub flags: Vec<PageFlag>,
}

/// Every page of the organizations in scope (archived ones left out) with its flags, in no
/// particular order: the counts need none, and a list sorts only the pages it shows.
pub async fn pages(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    platform: Option<&str>,
    settings: &RegionSettings,
    today: NaiveDate,
) -> Result<Vec<FlaggedPage>, sqlx::Error> {
    let pages = cards_in_scope(db, region, ids, platform).await?;
    let latest = crate::activity::db::latest(db, region, None).await?;
    let w = weights(settings);
    Ok(pages
        .into_iter()
        .map(|page| {
            let week = latest.get(&page.id).copied();
            flagged(page, week, settings, today, &w)
        })
        .collect())
}

/// How many pages of the scope carry each flag, counted in the database from each page's
/// flags as the triggers keep them: what the dashboard shows, without scoring every page.
pub async fn count(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    platform: Option<&str>,
    settings: &RegionSettings,
    today: NaiveDate,
) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
    let n = super::db::red_flags::count(db, region, ids, platform, settings, today).await?;
    Ok(PageFlag::ALL
        .iter()
        .map(|f| {
            let count = match f {
                PageFlag::NoMark => n.no_mark,
                PageFlag::Stuck => n.stuck,
                PageFlag::Dormant => n.dormant,
                PageFlag::Red => n.red,
            };
            (f.code(), count)
        })
        .collect())
}

fn flagged(
    page: CardPage,
    latest: Option<Week>,
    settings: &RegionSettings,
    today: NaiveDate,
    w: &Weights,
) -> FlaggedPage {
    let weeks: Vec<Week> = latest.into_iter().collect();
    let s = score(&facts(&page, &weeks, settings, today), w);
    let mut flags = Vec::new();
    if page.mark_status != "granted" {
        flags.push(PageFlag::NoMark);
    }
    if page.mark_status == "requested"
        && page
            .mark_since
            .is_some_and(|d| (today - d).num_days() > i64::from(settings.mark_stuck_days))
    {
        flags.push(PageFlag::Stuck);
    }
    let last_post = weeks.first().and_then(|w| w.last_post_on);
    if last_post.is_some_and(|d| (today - d).num_days() > i64::from(settings.dormant_days)) {
        flags.push(PageFlag::Dormant);
    }
    if s.light == Light::Red {
        flags.push(PageFlag::Red);
    }
    FlaggedPage {
        page,
        light: s.light,
        percent: s.percent,
        flags,
    }
}

/// How many pages carry each flag.
pub fn counts(pages: &[FlaggedPage]) -> Vec<(&'static str, i64)> {
    PageFlag::ALL
        .iter()
        .map(|f| {
            (
                f.code(),
                pages.iter().filter(|p| p.flags.contains(f)).count() as i64,
            )
        })
        .collect()
}
