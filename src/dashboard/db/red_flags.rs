//! SQL of the red-flag counts: each page of the scope with what its flags and score read,
//! its newest week of figures included, in one pass. The counts need no names or
//! addresses, so those card columns come back empty.

use std::sync::LazyLock;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::activity::derive::Week;
use crate::ids::RegionId;
use crate::pages::db::card::{CARD_FROM, CardPage, IN_SCOPE};

#[derive(sqlx::FromRow)]
pub struct FlagRow {
    #[sqlx(flatten)]
    pub page: CardPage,
    pub latest_week: Option<NaiveDate>,
    pub followers: Option<i32>,
    pub posts: Option<i32>,
    pub views: Option<i64>,
    pub reach: Option<i64>,
    pub last_post_on: Option<NaiveDate>,
}

impl FlagRow {
    /// The newest week of figures, when the page has any.
    pub fn latest(&self) -> Option<Week> {
        self.latest_week.map(|week| Week {
            week,
            followers: self.followers,
            posts: self.posts,
            views: self.views,
            likes: None,
            comments: None,
            reposts: None,
            reach: self.reach,
            last_post_on: self.last_post_on,
        })
    }
}

/// Pages of the region's organizations that are not archived, of the given organizations
/// (`None`: all) and platform (`None`: any).
pub async fn flag_rows(
    db: &mut PgConnection,
    region: RegionId,
    orgs: Option<&[i64]>,
    platform: Option<&str>,
) -> Result<Vec<FlagRow>, sqlx::Error> {
    static SELECT: LazyLock<String> = LazyLock::new(|| {
        format!(
            r#"select p.id, p.organization_id, '' as organization_name, p.platform, '' as url, null::text as title,
                      p.mark_status, p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover,
                      p.has_description, p.has_contacts, p.widgets, p.comments_open, '{{}}'::text[] as checklist,
                      l.week as latest_week, l.followers, l.posts, l.views, l.reach, l.last_post_on
               {CARD_FROM}
               left join page_latest l on l.region_id = p.region_id and l.page_id = p.id
               where {IN_SCOPE}"#
        )
    });
    sqlx::query_as(&SELECT)
        .bind(region)
        .bind(orgs)
        .bind(platform)
        .fetch_all(db)
        .await
}
