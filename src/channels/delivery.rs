//! Sending answers back to the platforms, exactly once. A worker claims deliveries with a
//! lease (`FOR UPDATE SKIP LOCKED`), so several servers share them and a delivery whose worker
//! died is taken up again when its lease runs out. Each part is sent with a key derived from
//! the delivery's id where the platform takes one (VK `guid`, `random_id`): a resend after a
//! crash is dropped by the platform itself. Telegram and MAX take no such key; there the
//! window between the platform's answer and recording it is one statement (see README).

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use tokio::sync::Notify;

use super::apis::{Apis, PartKey, Reply};
use super::db::deliveries::{self, ClaimedDelivery};
use super::secrets::SecretKey;
use super::target::Target;
use crate::questions::db as questions;

const BATCH: i64 = 20;
/// How long a claimed delivery is this worker's; renewed after every part sent.
pub const LEASE_SECONDS: f64 = 60.0;

/// Our own reasons a delivery cannot go, as catalog keys (a platform's reason is kept as the
/// platform gave it).
pub const NO_TOKEN: &str = "delivery-no-token";
pub const NO_KEY: &str = "delivery-no-key";
pub const REVOKED: &str = "delivery-revoked";
pub const NO_TARGET: &str = "delivery-no-target";

/// What came of one claimed delivery.
#[derive(Debug, PartialEq, Eq)]
pub enum Done {
    Delivered,
    Later,
    Failed,
    /// Another worker recorded it first.
    Lost,
}

/// Sends the deliveries due now; returns how many were claimed.
pub async fn deliver_due(
    db: &PgPool,
    apis: &Apis,
    key: Option<&SecretKey>,
) -> Result<usize, sqlx::Error> {
    let claimed = deliveries::claim(db, BATCH, LEASE_SECONDS).await?;
    for d in &claimed {
        let done = deliver(db, apis, key, d).await?;
        tracing::info!(delivery = d.id, question = d.question_id.0, outcome = ?done, "answer delivery");
    }
    Ok(claimed.len())
}

async fn deliver(
    db: &PgPool,
    apis: &Apis,
    key: Option<&SecretKey>,
    d: &ClaimedDelivery,
) -> Result<Done, sqlx::Error> {
    let Some(target) = d.external_id.as_deref().and_then(Target::parse) else {
        return fail(db, d, NO_TARGET).await;
    };
    if d.revoked {
        return fail(db, d, REVOKED).await;
    }
    let Some(sealed) = &d.token_sealed else {
        return fail(db, d, NO_TOKEN).await;
    };
    // The key is the server's configuration: once it is set, the delivery goes.
    let Some(token) = key.and_then(|k| k.open(sealed)) else {
        return later(db, d, NO_KEY, None).await;
    };
    let mut remote = d.remote_ids.clone();
    for (i, text) in d
        .parts
        .iter()
        .enumerate()
        .skip(d.sent_parts.max(0) as usize)
    {
        let part = PartKey {
            delivery: d.id,
            part: i,
        };
        match apis.send(&target, &token, d.group_id, text, part).await {
            Reply::Sent(id) => {
                if !deliveries::part_sent(db, d.id, i as i32, &id, LEASE_SECONDS).await? {
                    return Ok(Done::Lost);
                }
                remote.push(id);
            }
            Reply::Retry { reason, after } => return later(db, d, &reason, after).await,
            Reply::Refused(reason) => return fail(db, d, &reason).await,
            Reply::Revoked(reason) => {
                let done = fail(db, d, &reason).await?;
                let mut tx = crate::state::tenant_tx(db, d.region_id).await?;
                super::db::record_check(&mut tx, d.region_id, d.connection_id, Some(&reason))
                    .await?;
                tx.commit().await?;
                return Ok(done);
            }
        }
    }
    let url = remote.first().and_then(|id| target.link_to(id));
    let mut tx = crate::state::tenant_tx(db, d.region_id).await?;
    if !deliveries::delivered(&mut tx, d.region_id, d.id, url.as_deref()).await? {
        return Ok(Done::Lost);
    }
    // The platform took the token: whatever failed before works now.
    super::db::record_check(&mut tx, d.region_id, d.connection_id, None).await?;
    questions::add_event(
        &mut tx,
        d.region_id,
        d.question_id,
        None,
        questions::Event {
            details: json!({ "platform": target.platform(), "parts": d.parts.len(), "link": url }),
            ..questions::Event::new("delivered")
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Done::Delivered)
}

async fn fail(db: &PgPool, d: &ClaimedDelivery, reason: &str) -> Result<Done, sqlx::Error> {
    let mut tx = crate::state::tenant_tx(db, d.region_id).await?;
    if !deliveries::failed(&mut tx, d.region_id, d.id, reason).await? {
        return Ok(Done::Lost);
    }
    questions::add_event(
        &mut tx,
        d.region_id,
        d.question_id,
        None,
        questions::Event {
            body: Some(reason),
            ..questions::Event::new("delivery_failed")
        },
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(delivery = d.id, reason, "answer not delivered");
    Ok(Done::Failed)
}

/// Backs off a minute, doubling up to an hour, or longer when the platform asked for it.
async fn later(
    db: &PgPool,
    d: &ClaimedDelivery,
    reason: &str,
    after: Option<u64>,
) -> Result<Done, sqlx::Error> {
    let backoff = (60.0 * 2f64.powi(d.attempts.clamp(1, 7) - 1)).min(3600.0);
    let wait = after.map_or(backoff, |s| (s as f64).max(1.0));
    deliveries::postpone(db, d.id, reason, wait).await?;
    Ok(Done::Later)
}

/// Runs in `serve`: a round when an answer is published, and every few seconds for retries.
pub fn spawn(db: PgPool, apis: Apis, key: Option<SecretKey>, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            match deliver_due(&db, &apis, key.as_ref()).await {
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "answer deliveries could not be claimed"),
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}
