//! SQL of the red-flag counts: each page of the scope flagged in the database, its newest
//! week of figures included, and only the four totals sent back. The score here is the SQL
//! twin of `quality::score::score`, earned component by component in the same order and the
//! same floating-point steps, so a page is red in both or in neither (tests/dashboard.rs
//! compares them over generated pages and settings).

use std::sync::LazyLock;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::ids::RegionId;
use crate::pages::db::card::{CARD_FROM, IN_SCOPE};
use crate::quality::score::Weights;
use crate::settings::db::RegionSettings;

/// Pages of the scope carrying each flag.
#[derive(Debug, sqlx::FromRow)]
pub struct FlagCounts {
    pub no_mark: i64,
    pub stuck: i64,
    pub dormant: i64,
    pub red: i64,
}

/// The page's score as a share of the maximum times 100, before rounding (null while a
/// component is unknown), over `p` (the page), `fresh` (its newest week, when fresh) and `w`
/// (the weights and rules).
const SHARE: &str = r#"
    case when w.total > 0 and p.has_avatar is not null and p.has_description is not null
              and p.has_cover is not null and p.widgets is not null and fresh.posts is not null
              and fresh.reach_ratio is not null and fresh.post_reach_ratio is not null then
        (((((((case when p.connected then w.connected else 0 end)::float8
            + (case when p.mark_status = 'granted' then w.mark else 0 end)::float8)
            + w.setup::float8 * (p.has_avatar::int::float8 * 0.25::float8
                                 + p.has_description::int::float8 * 0.25::float8
                                 + p.has_cover::int::float8 * 0.5::float8))
            + case when p.widgets <= 0 then 0::float8 when p.widgets = 1 then w.widgets::float8 / 2::float8
                   else w.widgets::float8 end)
            + case when greatest(fresh.posts, 0) >= greatest(case p.category when 'flagship' then w.quota_flagship
                                                              when 'card' then w.quota_card
                                                              else w.quota_active end, 0)
                   then w.activity::float8 else 0::float8 end)
            + w.reach::float8 * case when fresh.reach_ratio >= 0.7::float8 then 1::float8
                                     when fresh.reach_ratio >= 0.5::float8 then 0.7::float8
                                     when fresh.reach_ratio >= 0.3::float8 then 0.5::float8
                                     else 0::float8 end)
            + case when fresh.post_reach_ratio > 0.7::float8 then w.post_reach::float8 else 0::float8 end)
            / w.total::float8 * 100::float8
    end"#;

/// How many pages of the region's organizations that are not archived, of the given
/// organizations (`None`: all) and platform (`None`: any), carry each flag on `today`.
pub async fn count(
    db: &mut PgConnection,
    region: RegionId,
    orgs: Option<&[i64]>,
    platform: Option<&str>,
    settings: &RegionSettings,
    weights: &Weights,
    today: NaiveDate,
) -> Result<FlagCounts, sqlx::Error> {
    static SELECT: LazyLock<String> = LazyLock::new(|| {
        format!(
            r#"with w as (
                   select $4::int as connected, $5::int as mark, $6::int as setup, $7::int as widgets,
                          $8::int as activity, $9::int as reach, $10::int as post_reach,
                          $4::int + $5 + $6 + $7 + $8 + $9 + $10 as total, $11::int as green_from,
                          $12::int as red_below, $13::int as quota_flagship, $14::int as quota_active,
                          $15::int as quota_card, $16::date as today, $17::int as stuck_days,
                          $18::int as dormant_days
               ), scored as (
                   select p.mark_status, p.mark_since, l.last_post_on, {SHARE} as share
                   {CARD_FROM}
                   cross join w
                   left join page_latest l on l.region_id = p.region_id and l.page_id = p.id
                   -- Figures older than two weeks say nothing about the page now.
                   left join lateral (
                       select l.posts,
                              case when l.followers > 0 and l.reach is not null
                                   then greatest(l.reach, 0)::float8 / l.followers::float8 end as reach_ratio,
                              case when l.followers > 0 and l.views is not null and l.posts > 0
                                   then greatest(l.views / l.posts, 0)::float8 / l.followers::float8 end
                                  as post_reach_ratio
                       where w.today - l.week <= 14
                   ) fresh on true
                   where {IN_SCOPE}
               )
               select count(*) filter (where s.mark_status <> 'granted') as no_mark,
                      count(*) filter (where s.mark_status = 'requested' and w.today - s.mark_since > w.stuck_days)
                          as stuck,
                      count(*) filter (where w.today - s.last_post_on > w.dormant_days) as dormant,
                      count(*) filter (where not r.percent >= w.green_from and r.percent < w.red_below) as red
               from scored s cross join w
               -- Rounded half away from zero, as Rust's f64::round.
               cross join lateral (select floor(s.share) + (s.share - floor(s.share) >= 0.5)::int as percent) r"#
        )
    });
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    sqlx::query_as(&SELECT)
        .bind(region)
        .bind(orgs)
        .bind(platform)
        .bind(n(weights.connected))
        .bind(n(weights.mark))
        .bind(n(weights.setup))
        .bind(n(weights.widgets))
        .bind(n(weights.activity))
        .bind(n(weights.reach))
        .bind(n(weights.post_reach))
        .bind(n(weights.green_from))
        .bind(n(weights.red_below))
        .bind(settings.quota_flagship)
        .bind(settings.quota_active)
        .bind(settings.quota_card)
        .bind(today)
        .bind(settings.mark_stuck_days)
        .bind(settings.dormant_days)
        .fetch_one(db)
        .await
}
