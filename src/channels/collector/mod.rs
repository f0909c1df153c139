//! Figures the platforms give every day, without anyone uploading a spreadsheet: once a day,
//! for each page the collector can read, followers and this week's posts with their views,
//! likes, comments and reposts, and the date of the last post, written as the page's figures
//! for the week (marked as collected; a week someone typed or uploaded is kept, and the page's
//! state says so). A page is read with its connection's token, or, for a VK page of a region
//! with a read token, in the region's batches (`region`). Pages are claimed with a lease, so
//! several servers share them and none is collected twice a day; a token's calls keep to
//! VK's three a second.

mod region;
pub mod week;

use std::time::Duration;

use chrono::NaiveDate;
use sqlx::PgPool;

use super::apis::{Apis, Reply};
use super::db::collection::{self, Due};
use super::secrets::SecretKey;
use crate::activity::db::monday_of;
use crate::activity::derive::Week;
pub use week::week_of;

/// Pages of one region claimed at once: as many as one `groups.getById` call names.
const PER_REGION: i64 = 500;
/// Tokens served at once: each community's token, and each region's read token, has its own
/// three calls a second, so pages of different tokens go side by side and a token's own pages
/// one after another. A claim takes this many regions, so their read tokens go side by side.
const TOKENS_AT_ONCE: usize = 16;
const LEASE_SECONDS: f64 = 600.0;
/// VK allows three calls a second per token.
const VK_PAUSE: Duration = Duration::from_millis(340);

/// What one page's collection came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Collected {
    Written,
    /// The week had figures someone typed or uploaded; they were kept.
    Kept,
    Later,
    Failed,
}

/// Collects the pages due now; returns how many were claimed.
pub async fn collect_due(
    db: &PgPool,
    apis: &Apis,
    key: Option<&SecretKey>,
) -> Result<usize, sqlx::Error> {
    use futures_util::StreamExt;
    let due = collection::claim(db, PER_REGION, TOKENS_AT_ONCE as i64, LEASE_SECONDS).await?;
    // Claimed in token order: a token's pages are neighbours, the region's read token's last.
    let by_token: Vec<&[Due]> = due
        .chunk_by(|a, b| {
            a.token_sealed == b.token_sealed
                && a.connection_id.is_some() == b.connection_id.is_some()
        })
        .collect();
    let failures = std::sync::Mutex::new(Vec::new());
    let failures = &failures;
    futures_util::stream::iter(by_token)
        .for_each_concurrent(TOKENS_AT_ONCE, |pages| async move {
            if let Err(e) = collect_token(db, apis, key, pages).await {
                failures.lock().unwrap_or_else(|p| p.into_inner()).push(e);
            }
        })
        .await;
    // A database error is the caller's; the pages it hit come back when their lease ends.
    if let Some(e) = failures.lock().unwrap_or_else(|p| p.into_inner()).pop() {
        return Err(e);
    }
    Ok(due.len())
}

/// One token's pages, one call after another.
async fn collect_token(
    db: &PgPool,
    apis: &Apis,
    key: Option<&SecretKey>,
    pages: &[Due],
) -> Result<(), sqlx::Error> {
    let Some(first) = pages.first() else {
        return Ok(());
    };
    let ids: Vec<_> = pages.iter().map(|p| p.page_id).collect();
    collection::renew(db, &ids, LEASE_SECONDS).await?;
    let Some(token) = key.and_then(|k| k.open(&first.token_sealed)) else {
        let mut tx = db.begin().await?;
        for page in pages {
            collection::failed(&mut tx, page.page_id, super::delivery::NO_KEY, 3600.0).await?;
        }
        return tx.commit().await;
    };
    if first.connection_id.is_none() {
        return region::collect(db, apis, &token, pages).await;
    }
    for page in pages {
        let fetched = fetch(apis, &token, page).await;
        let mut tx = db.begin().await?;
        let outcome = record(&mut tx, page, fetched).await?;
        tx.commit().await?;
        tracing::info!(page = page.page_id.0, outcome = ?outcome, "page figures collected");
    }
    Ok(())
}

fn today_of(page: &Due) -> NaiveDate {
    crate::regions::time::today(crate::regions::time::zone_of(&page.time_zone))
}

async fn fetch(apis: &Apis, token: &str, page: &Due) -> Result<Week, Reply> {
    let today = today_of(page);
    match page.platform.as_str() {
        "vk" => {
            let tz = crate::regions::time::zone_of(&page.time_zone);
            vk_week(apis, token, page.group_id.unwrap_or_default(), today, tz).await
        }
        "telegram" => {
            let members = apis
                .telegram_member_count(token, &format!("@{}", public_name(&page.url_key)))
                .await?;
            Ok(followers_only(members, today))
        }
        "max" => {
            let members = apis
                .max_member_count(token, public_name(&page.url_key))
                .await?;
            Ok(followers_only(members, today))
        }
        other => Err(Reply::Refused(format!(
            "{other}: figures are not collected"
        ))),
    }
}

/// The page's public name: `school5` of `t.me/school5` or `max.ru/school5`.
fn public_name(url_key: &str) -> &str {
    url_key.rsplit('/').next().unwrap_or(url_key)
}

/// Telegram's and MAX's bot APIs read no channel history, so posts stay unknown.
fn followers_only(members: i64, today: NaiveDate) -> Week {
    Week {
        week: monday_of(today),
        followers: Some(members.min(i64::from(i32::MAX)) as i32),
        ..Week::default()
    }
}

/// Writes what the platform gave, or records why it did not, in the caller's transaction
/// (as the schema's owner: the claim spans regions).
async fn record(
    db: &mut sqlx::PgConnection,
    page: &Due,
    fetched: Result<Week, Reply>,
) -> Result<Collected, sqlx::Error> {
    match fetched {
        Ok(week) => {
            let written = collection::write_week(db, page.region_id, page.page_id, &week).await?;
            collection::succeeded(db, page.page_id, today_of(page), !written).await?;
            Ok(if written {
                Collected::Written
            } else {
                Collected::Kept
            })
        }
        Err(Reply::Retry { reason, after }) => {
            let wait = after.map_or(60.0, |s| (s as f64).max(1.0));
            collection::failed(db, page.page_id, &reason, wait).await?;
            Ok(Collected::Later)
        }
        Err(Reply::Revoked(reason)) => {
            collection::failed(db, page.page_id, &reason, 86_400.0).await?;
            match page.connection_id {
                Some(connection) => {
                    super::db::record_check(db, page.region_id, connection, Some(&reason)).await?;
                }
                None => collection::read_token_failed(db, page.region_id, &reason).await?,
            }
            Ok(Collected::Failed)
        }
        Err(Reply::Refused(reason)) => {
            collection::failed(db, page.page_id, &reason, 86_400.0).await?;
            Ok(Collected::Failed)
        }
        Err(Reply::Sent(_)) => Ok(Collected::Later),
    }
}

/// Followers (`groups.getById` with `members_count`) and this week's wall (`wall.get`).
async fn vk_week(
    apis: &Apis,
    token: &str,
    group: i64,
    today: NaiveDate,
    tz: chrono_tz::Tz,
) -> Result<Week, Reply> {
    let groups = apis
        .vk_method(
            "groups.getById",
            token,
            vec![
                ("group_id", group.to_string()),
                ("fields", "members_count".to_owned()),
            ],
        )
        .await?;
    let followers = region::groups_of(&groups)
        .first()
        .and_then(|g| g.get("members_count"))
        .and_then(serde_json::Value::as_i64);
    tokio::time::sleep(VK_PAUSE).await;
    let wall = apis
        .vk_method(
            "wall.get",
            token,
            vec![
                ("owner_id", (-group.abs()).to_string()),
                ("count", "100".to_owned()),
                ("filter", "owner".to_owned()),
            ],
        )
        .await?;
    tokio::time::sleep(VK_PAUSE).await;
    Ok(week_of(followers, &week::posts_of(&wall), today, tz))
}

/// Collects batch after batch until none is due: one pass over the day's pages.
pub async fn collect_all_due(
    db: &PgPool,
    apis: &Apis,
    key: Option<&SecretKey>,
) -> Result<usize, sqlx::Error> {
    let mut total = 0;
    loop {
        let n = collect_due(db, apis, key).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

/// Runs in `serve`: a pass every ten minutes picks up the pages due (once a day each).
pub fn spawn(db: PgPool, apis: Apis, key: Option<SecretKey>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = collect_all_due(&db, &apis, key.as_ref()).await {
                tracing::warn!(error = %e, "page figures could not be collected");
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
}
