//! Turning delivered events into questions, right after the webhook acknowledged them: the
//! question goes to the connected page's organization with its deadlines by the region's
//! rules and working calendar. Events are claimed with a lease, so several servers share the
//! work and an event whose worker died is taken up again; a failed event is retried later
//! and its reason shown to the admin.

use std::sync::Arc;
use std::time::Duration;

use sqlx::{PgConnection, PgPool};
use tokio::sync::Notify;

use super::db::{self, Claimed};
use super::vk;
use crate::ids::{QuestionId, RegionId};
use crate::questions::clock::{Priority, Rules};
use crate::questions::db as questions;

/// Events taken per round.
const BATCH: i64 = 100;
/// How long a claimed event is this worker's before another may take it.
const LEASE_SECONDS: f64 = 60.0;

/// What came of an event, as the events table records it.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new question.
    Filed(QuestionId),
    /// The comment or message was filed before (a redelivery under another event id).
    Known(QuestionId),
    /// The community's own comment or message.
    Own,
    /// An event that makes no question (an edit, a deletion, a type not handled).
    Ignored,
}

impl Outcome {
    fn code(&self) -> &'static str {
        match self {
            Outcome::Filed(_) => "filed",
            Outcome::Known(_) => "known",
            Outcome::Own => "own",
            Outcome::Ignored => "ignored",
        }
    }

    fn question(&self) -> Option<QuestionId> {
        match self {
            Outcome::Filed(q) | Outcome::Known(q) => Some(*q),
            _ => None,
        }
    }
}

/// Processes the events due now; returns how many were dealt with.
pub async fn process_due(db: &PgPool) -> Result<usize, sqlx::Error> {
    let mut claimed = db::claim(db, BATCH, LEASE_SECONDS).await?;
    // In the order they arrived (an update's RETURNING keeps none), a region's events
    // together: they share one transaction and one reading of the region's rules.
    claimed.sort_by_key(|e| (e.region_id.0, e.id));
    let mut done = 0;
    for batch in claimed.chunk_by(|a, b| a.region_id == b.region_id) {
        done += process_region(db, batch).await?;
    }
    Ok(done)
}

/// One region's events in one transaction, each under its own savepoint: an event that
/// fails is rolled back alone and postponed, the others are kept.
async fn process_region(db: &PgPool, events: &[Claimed]) -> Result<usize, sqlx::Error> {
    let region = events[0].region_id;
    let mut tx = crate::state::tenant_tx(db, region).await?;
    let time_zone = crate::regions::db::time_zone(&mut tx, region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let region_rules = RegionRules {
        rules: Rules::from_settings(&time_zone, &settings),
        category: default_category(&settings.question_categories),
    };
    let mut failed = Vec::new();
    for event in events {
        sqlx::query("savepoint event").execute(&mut *tx).await?;
        let result = match decide(&mut tx, region, &region_rules, event).await {
            Ok(outcome) => {
                db::finish(
                    &mut tx,
                    region,
                    event.id,
                    outcome.code(),
                    outcome.question(),
                )
                .await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                sqlx::query("release savepoint event")
                    .execute(&mut *tx)
                    .await?;
            }
            Err(e) => {
                sqlx::query("rollback to savepoint event")
                    .execute(&mut *tx)
                    .await?;
                failed.push((event, e));
            }
        }
    }
    tx.commit().await?;
    for (event, e) in &failed {
        // Back off: a minute, then doubling up to an hour.
        let wait = (60.0 * 2f64.powi(event.attempts.clamp(1, 7) - 1)).min(3600.0);
        tracing::warn!(event = event.id, error = %e, "channel event not processed; will retry");
        db::postpone(db, event.id, &e.to_string(), wait).await?;
    }
    Ok(events.len() - failed.len())
}

/// What a region files questions by, read once per batch.
struct RegionRules {
    rules: Rules,
    category: String,
}

async fn decide(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    event: &Claimed,
) -> Result<Outcome, sqlx::Error> {
    let Some(target) = db::connection_page(tx, region, event.connection_id).await? else {
        return Ok(Outcome::Ignored);
    };
    let group_id = target.group_id.unwrap_or_default();
    let object = event.payload.get("object").cloned().unwrap_or_default();
    // Edits and deletions are recorded; what they change on a question comes with answering
    // back, which needs the question's history on the platform.
    if !matches!(
        event.kind.as_str(),
        "wall_reply_new" | "message_new" | "board_post_new"
    ) {
        return Ok(Outcome::Ignored);
    }
    let Some(said) = vk::inbound(&event.kind, &object, group_id) else {
        return Ok(Outcome::Ignored);
    };
    if said.own {
        return Ok(Outcome::Own);
    }
    let channel = said.place.channel();
    if let Some(known) =
        db::question_for(tx, region, target.page_id, channel, &said.external_id).await?
    {
        return Ok(Outcome::Known(known));
    }
    let received = event_time(&object, &event.kind).unwrap_or_else(chrono::Utc::now);
    let body = if said.text.is_empty() {
        "(вложение без текста)".to_owned()
    } else {
        said.text.clone()
    };
    let new = questions::NewQuestion {
        organization_id: target.organization_id,
        page_id: Some(target.page_id),
        channel: channel.to_owned(),
        external_id: Some(said.external_id.clone()),
        author_name: Some(format!("id{}", said.from_id)),
        author_contact: Some(vk::author_link(said.from_id)),
        body,
        attachments: said.attachments.clone(),
        category: by.category.clone(),
        priority: Priority::Normal,
        received_at: received,
    };
    let id = questions::insert(
        tx,
        region,
        &new,
        &by.rules.start(Priority::Normal, received),
    )
    .await?;
    questions::add_event(
        tx,
        region,
        id,
        None,
        questions::Event {
            to_status: Some("new"),
            details: serde_json::json!({ "channel": channel, "platform": "vk", "link": said.link }),
            ..questions::Event::new("received")
        },
    )
    .await?;
    db::set_source_url(tx, region, id, &said.link).await?;
    Ok(Outcome::Filed(id))
}

/// When the resident wrote, as VK dates it (seconds since the epoch).
fn event_time(object: &serde_json::Value, kind: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let holder = if kind == "message_new" {
        object.get("message").unwrap_or(object)
    } else {
        object
    };
    let seconds = holder.get("date")?.as_i64()?;
    let at = chrono::DateTime::from_timestamp(seconds, 0)?;
    // A clock far off is not trusted for a deadline.
    let now = chrono::Utc::now();
    (at <= now + chrono::Duration::minutes(5) && at > now - chrono::Duration::days(30))
        .then_some(at)
}

/// The region's catch-all category: the last of its list («Другое» by default).
fn default_category(categories: &[String]) -> String {
    categories
        .last()
        .cloned()
        .unwrap_or_else(|| "Другое".to_owned())
}

/// Runs in `serve`: a round when the webhook says an event came, and every few seconds for
/// retries and events another server acknowledged.
pub fn spawn(db: PgPool, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            match process_due(&db).await {
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "channel events could not be claimed"),
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}
