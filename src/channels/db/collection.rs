//! SQL of the figures collector: the connected pages due today, claimed across every region
//! (as the schema's owner), and what came of each.

use chrono::NaiveDate;
use sqlx::PgPool;

use crate::activity::derive::Week;
use crate::ids::{PageId, RegionId};

/// A page claimed for collecting, with what calling its platform needs.
#[derive(sqlx::FromRow)]
pub struct Due {
    pub page_id: PageId,
    pub region_id: RegionId,
    pub connection_id: i64,
    pub platform: String,
    pub url_key: String,
    pub group_id: Option<i64>,
    pub token_sealed: Vec<u8>,
    pub time_zone: String,
}

/// Claims up to `limit` connected pages not collected today, for `lease_seconds`.
pub async fn claim(db: &PgPool, limit: i64, lease_seconds: f64) -> Result<Vec<Due>, sqlx::Error> {
    // Every live connection with a token has a row to claim.
    sqlx::query(
        r#"insert into page_collection (page_id, region_id)
           select c.page_id, c.region_id from channel_connections c
           where c.revoked_at is null and c.token_sealed is not null and c.platform in ('vk', 'telegram')
           on conflict (page_id) do nothing"#,
    )
    .execute(db)
    .await?;
    sqlx::query_as(
        r#"with claimed as (
               update page_collection pc set claimed_until = now() + make_interval(secs => $2)
               where pc.page_id in (
                   select k.page_id from page_collection k
                   join regions r on r.id = k.region_id
                   where (k.collected_on is null or k.collected_on < (now() at time zone r.time_zone)::date)
                     and k.next_attempt_at <= now()
                     and (k.claimed_until is null or k.claimed_until < now())
                   order by k.page_id limit $1 for update of k skip locked)
               returning pc.page_id, pc.region_id)
           select c.page_id, c.region_id, c.id as connection_id, c.platform, p.url_key, c.group_id, c.token_sealed,
                  r.time_zone
           from claimed k
           join channel_connections c on c.page_id = k.page_id and c.revoked_at is null and c.token_sealed is not null
           join pages p on p.id = k.page_id
           join regions r on r.id = k.region_id
           order by c.token_sealed, k.page_id"#,
    )
    .bind(limit)
    .bind(lease_seconds)
    .fetch_all(db)
    .await
}

/// Writes the week's collected figures unless someone typed or uploaded that week already;
/// returns false when theirs was kept.
pub async fn write_week(
    db: &PgPool,
    region: RegionId,
    page: PageId,
    w: &Week,
) -> Result<bool, sqlx::Error> {
    let written = sqlx::query(
        r#"insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts,
                                       reach, last_post_on, source)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'collected')
           on conflict (page_id, week) do update set followers = excluded.followers, posts = excluded.posts,
               views = excluded.views, likes = excluded.likes, comments = excluded.comments,
               reposts = excluded.reposts, reach = excluded.reach, last_post_on = excluded.last_post_on,
               updated_at = now()
           where page_snapshots.source = 'collected'"#,
    )
    .bind(region)
    .bind(page)
    .bind(w.week)
    .bind(w.followers)
    .bind(w.posts)
    .bind(w.views)
    .bind(w.likes)
    .bind(w.comments)
    .bind(w.reposts)
    .bind(w.reach)
    .bind(w.last_post_on)
    .execute(db)
    .await?
    .rows_affected();
    Ok(written == 1)
}

pub async fn succeeded(
    db: &PgPool,
    page: PageId,
    today: NaiveDate,
    kept_existing: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update page_collection set collected_on = $2, last_success_at = now(), last_error = null,
                  failed_at = null, kept_existing = $3, claimed_until = null
           where page_id = $1"#,
    )
    .bind(page)
    .bind(today)
    .bind(kept_existing)
    .execute(db)
    .await?;
    Ok(())
}

/// Failed now: tried again after `retry_in_seconds` (tomorrow, for a refusal that will not
/// pass by itself), the reason kept.
pub async fn failed(
    db: &PgPool,
    page: PageId,
    reason: &str,
    retry_in_seconds: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update page_collection set last_error = $2, failed_at = now(), claimed_until = null,
                  next_attempt_at = now() + make_interval(secs => $3)
           where page_id = $1"#,
    )
    .bind(page)
    .bind(reason)
    .bind(retry_in_seconds)
    .execute(db)
    .await?;
    Ok(())
}

/// What the page's card says about collecting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CollectionState {
    pub collected_on: Option<NaiveDate>,
    pub last_success_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    pub failed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub kept_existing: bool,
}

pub async fn state_of(
    db: &mut sqlx::PgConnection,
    region: RegionId,
    page: PageId,
) -> Result<Option<CollectionState>, sqlx::Error> {
    sqlx::query_as(
        r#"select collected_on, last_success_at, last_error, failed_at, kept_existing
           from page_collection where region_id = $1 and page_id = $2"#,
    )
    .bind(region)
    .bind(page)
    .fetch_optional(db)
    .await
}
