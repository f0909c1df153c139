//! SQL of the figures collector: the connected pages due today, claimed across every region
//! (as the schema's owner), and what came of each.

use chrono::NaiveDate;
use sqlx::PgPool;

use crate::activity::derive::Week;
use crate::ids::{PageId, RegionId, UserId};

/// A page claimed for collecting, with what calling its platform needs: its connection's
/// token, or the region's read token when it has no connection (`connection_id` is none).
#[derive(sqlx::FromRow)]
pub struct Due {
    pub page_id: PageId,
    pub region_id: RegionId,
    pub connection_id: Option<i64>,
    pub platform: String,
    pub url_key: String,
    pub group_id: Option<i64>,
    pub token_sealed: Vec<u8>,
    pub time_zone: String,
}

/// Claims pages not collected today, for `lease_seconds`: connected pages with a token, and
/// every VK page of a region with a read token; up to `per_region` pages of each of up to
/// `regions` regions, so that regions' tokens are served side by side.
pub async fn claim(
    db: &PgPool,
    per_region: i64,
    regions: i64,
    lease_seconds: f64,
) -> Result<Vec<Due>, sqlx::Error> {
    // Every page that can be collected has a row to claim.
    let added = sqlx::query(
        r#"insert into page_collection (page_id, region_id)
           select c.page_id, c.region_id from channel_connections c
           where c.revoked_at is null and c.token_sealed is not null
             and c.platform in ('vk', 'telegram', 'max')
             and not exists (select 1 from page_collection k where k.page_id = c.page_id)
           union
           select p.id, p.region_id from collection_tokens t
           join pages p on p.region_id = t.region_id and p.platform = 'vk'
           where not exists (select 1 from page_collection k where k.page_id = p.id)
           on conflict (page_id) do nothing"#,
    )
    .execute(db)
    .await?
    .rows_affected();
    // Autovacuum may be off: without fresh statistics the next claim's anti-join takes the
    // thousands of rows just added for none and walks them once per page.
    if added > 1000 {
        sqlx::query("analyze page_collection").execute(db).await?;
    }
    sqlx::query_as(
        r#"with due as (
               select k.page_id, k.region_id from page_collection k
               join regions r on r.id = k.region_id
               where (k.collected_on is null or k.collected_on < (now() at time zone r.time_zone)::date)
                 and k.next_attempt_at <= now()
                 and (k.claimed_until is null or k.claimed_until < now())),
           ranked as (
               select page_id, row_number() over (partition by region_id order by page_id) as n,
                      dense_rank() over (order by region_id) as r
               from due),
           claimed as (
               update page_collection pc set claimed_until = now() + make_interval(secs => $3)
               where pc.page_id in (
                   select k.page_id from page_collection k
                   where k.page_id in (select page_id from ranked where n <= $1 and r <= $2)
                     and (k.claimed_until is null or k.claimed_until < now())
                   for update of k skip locked)
               returning pc.page_id, pc.region_id)
           select k.page_id, k.region_id, c.id as connection_id, p.platform, p.url_key, c.group_id,
                  coalesce(c.token_sealed, t.token_sealed) as token_sealed, r.time_zone
           from claimed k
           join pages p on p.id = k.page_id
           join regions r on r.id = k.region_id
           left join channel_connections c
                  on c.page_id = k.page_id and c.revoked_at is null and c.token_sealed is not null
           left join collection_tokens t on t.region_id = k.region_id and p.platform = 'vk'
           where coalesce(c.token_sealed, t.token_sealed) is not null
           order by c.id is null, coalesce(c.token_sealed, t.token_sealed), k.page_id"#,
    )
    .bind(per_region)
    .bind(regions)
    .bind(lease_seconds)
    .fetch_all(db)
    .await
}

/// A token's pages are about to be read: their lease counts from now, however long the
/// token's turn took to come.
pub async fn renew(db: &PgPool, pages: &[PageId], lease_seconds: f64) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = pages.iter().map(|p| p.0).collect();
    sqlx::query(
        "update page_collection set claimed_until = now() + make_interval(secs => $2) where page_id = any($1)",
    )
    .bind(ids)
    .bind(lease_seconds)
    .execute(db)
    .await?;
    Ok(())
}

/// Writes the week's collected figures unless someone typed or uploaded that week already;
/// returns false when theirs was kept.
pub async fn write_week(
    db: &mut sqlx::PgConnection,
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
    db: &mut sqlx::PgConnection,
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
    db: &mut sqlx::PgConnection,
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

/// The region's read token as the screen shows it (never the token itself).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReadToken {
    pub token_tail: String,
    pub set_at: chrono::DateTime<chrono::Utc>,
    pub set_by_name: Option<String>,
    pub failing_since: Option<chrono::DateTime<chrono::Utc>>,
    pub failure: Option<String>,
}

pub async fn read_token(
    db: &mut sqlx::PgConnection,
    region: RegionId,
) -> Result<Option<ReadToken>, sqlx::Error> {
    sqlx::query_as(
        r#"select t.token_tail, t.set_at, u.name as set_by_name, t.failing_since, t.failure
           from collection_tokens t left join users u on u.id = t.set_by
           where t.region_id = $1"#,
    )
    .bind(region)
    .fetch_optional(db)
    .await
}

/// Keeps the region's read token (replacing the one before); its pages are due again today.
pub async fn set_read_token(
    db: &mut sqlx::PgConnection,
    region: RegionId,
    sealed: &[u8],
    token_tail: &str,
    by: Option<UserId>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into collection_tokens (region_id, token_sealed, token_tail, set_by)
           values ($1, $2, $3, $4)
           on conflict (region_id) do update set token_sealed = excluded.token_sealed,
               token_tail = excluded.token_tail, set_by = excluded.set_by, set_at = now(),
               failing_since = null, failure = null"#,
    )
    .bind(region)
    .bind(sealed)
    .bind(token_tail)
    .bind(by)
    .execute(&mut *db)
    .await?;
    // A page a refused token failed on is tried again with the new one.
    sqlx::query(
        r#"update page_collection set next_attempt_at = now()
           where region_id = $1 and last_error is not null"#,
    )
    .bind(region)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets the region's read token; returns whether there was one.
pub async fn remove_read_token(
    db: &mut sqlx::PgConnection,
    region: RegionId,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query("delete from collection_tokens where region_id = $1")
        .bind(region)
        .execute(db)
        .await?
        .rows_affected();
    Ok(removed > 0)
}

/// VK refused the region's read token: the screen says so until a new one is set.
pub async fn read_token_failed(
    db: &mut sqlx::PgConnection,
    region: RegionId,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update collection_tokens set failing_since = coalesce(failing_since, now()), failure = $2
           where region_id = $1"#,
    )
    .bind(region)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

/// How the region's collecting stands today.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct Progress {
    /// Pages the collector reads (connected with a token, or VK with the read token).
    pub pages: i64,
    pub collected_today: i64,
    pub kept: i64,
    pub failing: i64,
}

pub async fn progress(
    db: &mut sqlx::PgConnection,
    region: RegionId,
    today: NaiveDate,
) -> Result<Progress, sqlx::Error> {
    sqlx::query_as(
        r#"select count(*) as pages,
                  count(*) filter (where collected_on = $2) as collected_today,
                  count(*) filter (where collected_on = $2 and kept_existing) as kept,
                  count(*) filter (where last_error is not null) as failing
           from page_collection where region_id = $1"#,
    )
    .bind(region)
    .bind(today)
    .fetch_one(db)
    .await
}

/// A page the collector could not read, and why.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Failure {
    pub page_id: PageId,
    pub url: String,
    pub organization: String,
    pub last_error: String,
    pub failed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The pages failing now, most recent first.
pub async fn failures(
    db: &mut sqlx::PgConnection,
    region: RegionId,
    limit: i64,
) -> Result<Vec<Failure>, sqlx::Error> {
    sqlx::query_as(
        r#"select k.page_id, p.url, o.name as organization, k.last_error, k.failed_at
           from page_collection k
           join pages p on p.region_id = k.region_id and p.id = k.page_id
           join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where k.region_id = $1 and k.last_error is not null
           order by k.failed_at desc nulls last, k.page_id limit $2"#,
    )
    .bind(region)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A few of the region's VK pages, to try a read token on.
pub async fn some_vk_pages(
    db: &mut sqlx::PgConnection,
    region: RegionId,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select url_key from pages where region_id = $1 and platform = 'vk' order by id limit $2",
    )
    .bind(region)
    .bind(limit)
    .fetch_all(db)
    .await
}
