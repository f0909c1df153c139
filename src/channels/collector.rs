//! Figures the platforms give every day, without anyone uploading a spreadsheet: for each
//! connected page with a token, once a day, followers and this week's posts with their views,
//! likes, comments and reposts, and the date of the last post, written as the page's figures
//! for the week (marked as collected; a week someone typed or uploaded is kept, and the page's
//! state says so). Pages are claimed with a lease, so several servers share them and none is
//! collected twice a day; a token's calls keep to VK's three a second.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::PgPool;

use super::apis::{Apis, Reply};
use super::db::collection::{self, Due};
use super::secrets::SecretKey;
use crate::activity::db::monday_of;
use crate::activity::derive::Week;

const BATCH: i64 = 100;
/// Tokens served at once: each community's token has its own three calls a second, so pages
/// of different tokens go side by side and a token's own pages one after another.
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
    let due = collection::claim(db, BATCH, LEASE_SECONDS).await?;
    // Claimed in token order: a token's pages are neighbours.
    let by_token: Vec<&[Due]> = due
        .chunk_by(|a, b| a.token_sealed == b.token_sealed)
        .collect();
    let failures = std::sync::Mutex::new(Vec::new());
    let failures = &failures;
    futures_util::stream::iter(by_token)
        .for_each_concurrent(TOKENS_AT_ONCE, |pages| async move {
            for page in pages {
                match collect(db, apis, key, page).await {
                    Ok(outcome) => {
                        tracing::info!(page = page.page_id.0, outcome = ?outcome, "page figures collected")
                    }
                    Err(e) => failures.lock().unwrap_or_else(|p| p.into_inner()).push(e),
                }
            }
        })
        .await;
    // A database error is the caller's; the pages it hit come back when their lease ends.
    if let Some(e) = failures.lock().unwrap_or_else(|p| p.into_inner()).pop() {
        return Err(e);
    }
    Ok(due.len())
}

async fn collect(
    db: &PgPool,
    apis: &Apis,
    key: Option<&SecretKey>,
    page: &Due,
) -> Result<Collected, sqlx::Error> {
    let Some(token) = key.and_then(|k| k.open(&page.token_sealed)) else {
        collection::failed(db, page.page_id, super::delivery::NO_KEY, 3600.0).await?;
        return Ok(Collected::Later);
    };
    let today = crate::regions::time::today(crate::regions::time::zone_of(&page.time_zone));
    let fetched = match page.platform.as_str() {
        "vk" => {
            let tz = crate::regions::time::zone_of(&page.time_zone);
            vk_week(apis, &token, page.group_id.unwrap_or_default(), today, tz).await
        }
        "telegram" => telegram_week(apis, &token, &page.url_key, today).await,
        other => Err(Reply::Refused(format!(
            "{other}: figures are not collected"
        ))),
    };
    match fetched {
        Ok(week) => {
            let written = collection::write_week(db, page.region_id, page.page_id, &week).await?;
            collection::succeeded(db, page.page_id, today, !written).await?;
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
            let mut tx = crate::state::tenant_tx(db, page.region_id).await?;
            super::db::record_check(&mut tx, page.region_id, page.connection_id, Some(&reason))
                .await?;
            tx.commit().await?;
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
    // 5.199 answers {"groups": [...]}, older versions a bare list.
    let first = groups
        .get("groups")
        .unwrap_or(&groups)
        .get(0)
        .cloned()
        .unwrap_or_default();
    let followers = first.get("members_count").and_then(Value::as_i64);
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
    let posts = wall
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(week_of(followers, &posts, today, tz))
}

fn count(post: &Value, key: &str) -> i64 {
    post.pointer(&format!("/{key}/count"))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// This week's figures from the wall's posts (newest first, a pinned one possibly on top),
/// days counted in the region's time zone.
pub fn week_of(
    followers: Option<i64>,
    posts: &[Value],
    today: NaiveDate,
    tz: chrono_tz::Tz,
) -> Week {
    let monday = monday_of(today);
    let dated: Vec<(NaiveDate, &Value)> = posts
        .iter()
        .filter_map(|p| {
            let at = DateTime::<Utc>::from_timestamp(p.get("date")?.as_i64()?, 0)?;
            Some((at.with_timezone(&tz).date_naive(), p))
        })
        .collect();
    let this_week: Vec<&Value> = dated
        .iter()
        .filter(|(d, _)| *d >= monday && *d <= today)
        .map(|(_, p)| *p)
        .collect();
    let sum = |key: &str| this_week.iter().map(|p| count(p, key)).sum::<i64>();
    Week {
        week: monday,
        followers: followers.map(|f| f.min(i64::from(i32::MAX)) as i32),
        posts: Some(this_week.len() as i32),
        views: Some(sum("views")),
        likes: Some(sum("likes") as i32),
        comments: Some(sum("comments") as i32),
        reposts: Some(sum("reposts") as i32),
        reach: None,
        last_post_on: dated.iter().map(|(d, _)| *d).max(),
    }
}

/// Followers of the bot's channel (`getChatMemberCount` with `@name`): the Bot API reads no
/// channel history, so posts stay unknown.
async fn telegram_week(
    apis: &Apis,
    token: &str,
    url_key: &str,
    today: NaiveDate,
) -> Result<Week, Reply> {
    let name = url_key.rsplit('/').next().unwrap_or(url_key);
    let members = apis
        .telegram_member_count(token, &format!("@{name}"))
        .await?;
    Ok(Week {
        week: monday_of(today),
        followers: Some(members.min(i64::from(i32::MAX)) as i32),
        ..Week::default()
    })
}

/// Runs in `serve`: a pass every ten minutes picks up the pages due (once a day each).
pub fn spawn(db: PgPool, apis: Apis, key: Option<SecretKey>) {
    tokio::spawn(async move {
        loop {
            match collect_due(&db, &apis, key.as_ref()).await {
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "page figures could not be collected"),
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn this_weeks_posts_are_summed_and_the_last_post_dated() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(); // a Thursday
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
        };
        let post = |d, views| json!({"date": at(d), "views": {"count": views}, "likes": {"count": 2}, "comments": {"count": 1}, "reposts": {"count": 0}});
        let posts = [post(20, 900), post(25, 300), post(24, 200), post(19, 50)];
        let w = week_of(Some(1234), &posts, today, chrono_tz::Asia::Barnaul);
        assert_eq!(w.week, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!((w.posts, w.views, w.likes), (Some(2), Some(500), Some(4)));
        assert_eq!(w.followers, Some(1234));
        assert_eq!(w.last_post_on, NaiveDate::from_ymd_opt(2026, 11, 25));
        let quiet = week_of(None, &[], today, chrono_tz::Asia::Barnaul);
        assert_eq!((quiet.posts, quiet.last_post_on), (Some(0), None));
    }
}
