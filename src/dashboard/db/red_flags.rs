//! SQL of the red-flag counts, from what each page's flags read (`page_flags`, kept by
//! triggers with the score already judged): the flags that move with the clock are compared
//! with today here.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::ids::RegionId;
use crate::settings::db::RegionSettings;

/// Pages of the scope carrying each flag.
#[derive(Debug, sqlx::FromRow)]
pub struct FlagCounts {
    pub no_mark: i64,
    pub stuck: i64,
    pub dormant: i64,
    pub red: i64,
}

/// How many pages of the region's organizations that are not archived, of the given
/// organizations (`None`: all) and platform (`None`: any), carry each flag on `today`.
pub async fn count(
    db: &mut PgConnection,
    region: RegionId,
    orgs: Option<&[i64]>,
    platform: Option<&str>,
    settings: &RegionSettings,
    today: NaiveDate,
) -> Result<FlagCounts, sqlx::Error> {
    // Figures older than two weeks say nothing about the page now: its score is unknown.
    sqlx::query_as(
        r#"select count(*) filter (where f.no_mark) as no_mark,
                  count(*) filter (where $4::date - f.requested_since > $5) as stuck,
                  count(*) filter (where $4::date - f.last_post_on > $6) as dormant,
                  count(*) filter (where f.red_when_fresh and $4::date - f.latest_week <= 14) as red
           from page_flags f
           where f.region_id = $1 and not f.archived and ($2::bigint[] is null or f.organization_id = any($2))
             and ($3::text is null or f.platform = $3)"#,
    )
    .bind(region)
    .bind(orgs)
    .bind(platform)
    .bind(today)
    .bind(settings.mark_stuck_days)
    .bind(settings.dormant_days)
    .fetch_one(db)
    .await
}
