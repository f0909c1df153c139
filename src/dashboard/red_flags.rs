//! Pages that need a coordinator's call: no mark, a mark request stuck past the region's
//! limit, dormant (no post for the region's number of days), or a red quality score.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::activity::derive::Week;
use crate::ids::{PageId, RegionId};
use crate::pages::card::{CardPage, facts, weights};
use crate::quality::score::{Light, score};
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

/// Every page of the organizations in scope (archived ones left out) with its flags.
pub async fn pages(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    settings: &RegionSettings,
    today: NaiveDate,
) -> Result<Vec<FlaggedPage>, sqlx::Error> {
    let pages: Vec<CardPage> = sqlx::query_as(
        r#"select p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title, p.mark_status,
                  p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover, p.has_description, p.has_contacts,
                  p.widgets, p.comments_open, p.checklist
           from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where p.region_id = $1 and o.archived_at is null and ($2::bigint[] is null or o.id = any($2))
           order by o.name, p.platform, p.url"#,
    )
    .bind(region)
    .bind(ids)
    .fetch_all(&mut *db)
    .await?;
    type Latest = (
        PageId,
        NaiveDate,
        Option<i32>,
        Option<i32>,
        Option<i64>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i64>,
        Option<NaiveDate>,
    );
    let latest: HashMap<PageId, Week> = sqlx::query_as::<_, Latest>(
        r#"select distinct on (s.page_id) s.page_id, s.week, s.followers, s.posts, s.views, s.likes, s.comments,
                  s.reposts, s.reach, s.last_post_on
           from page_snapshots s where s.region_id = $1
           order by s.page_id, s.week desc"#,
    )
    .bind(region)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(page, week, followers, posts, views, likes, comments, reposts, reach, last_post_on)| {
        (page, Week { week, followers, posts, views, likes, comments, reposts, reach, last_post_on })
    })
    .collect();
    let w = weights(settings);
    Ok(pages
        .into_iter()
        .map(|page| {
            let weeks: Vec<Week> = latest.get(&page.id).copied().into_iter().collect();
            let s = score(&facts(&page, &weeks, settings, today), &w);
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
            if last_post.is_some_and(|d| (today - d).num_days() > i64::from(settings.dormant_days))
            {
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
        })
        .collect())
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
