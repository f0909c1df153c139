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
use super::names::{Namer, Unnamed, name_authors, placeholder};
use super::{chat, vk};
use crate::db::{release_savepoint, rollback_to_savepoint, savepoint};
use crate::ids::{QuestionId, RegionId};
use crate::questions::clock::{Priority, Rules};
use crate::questions::db as questions;
use crate::questions::keywords::Keywords;

/// Events taken per round.
const BATCH: i64 = 100;
/// How long a claimed event is this worker's before another may take it.
const LEASE_SECONDS: f64 = 60.0;

/// What came of an event, as the events table records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new question.
    Filed(QuestionId),
    /// The comment or message was filed before (a redelivery under another event id).
    Known(QuestionId),
    /// A further message from a chat whose question is still open: joined to it.
    FollowUp(QuestionId),
    /// The resident changed the text of a filed comment.
    Edited(QuestionId),
    /// The resident deleted a filed comment.
    Withdrawn(QuestionId),
    /// The community answered a filed comment directly on the platform.
    AnsweredThere(QuestionId),
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
            Outcome::FollowUp(_) => "follow_up",
            Outcome::Edited(_) => "edited",
            Outcome::Withdrawn(_) => "withdrawn",
            Outcome::AnsweredThere(_) => "answered",
            Outcome::Own => "own",
            Outcome::Ignored => "ignored",
        }
    }

    fn question(&self) -> Option<QuestionId> {
        match self {
            Outcome::Filed(q)
            | Outcome::Known(q)
            | Outcome::FollowUp(q)
            | Outcome::Edited(q)
            | Outcome::Withdrawn(q)
            | Outcome::AnsweredThere(q) => Some(*q),
            _ => None,
        }
    }
}

/// Processes the events due now; returns how many were dealt with.
pub async fn process_due(db: &PgPool) -> Result<usize, sqlx::Error> {
    process(db, None).await
}

/// The same, then the new VK questions' authors are named by VK.
pub async fn process_and_name(db: &PgPool, namer: &Namer) -> Result<usize, sqlx::Error> {
    process(db, Some(namer)).await
}

async fn process(db: &PgPool, namer: Option<&Namer>) -> Result<usize, sqlx::Error> {
    let mut claimed = db::claim(db, BATCH, LEASE_SECONDS).await?;
    // In the order they arrived (an update's RETURNING keeps none), a region's events
    // together: they share one transaction and one reading of the region's rules.
    claimed.sort_by_key(|e| (e.region_id.0, e.id));
    let mut done = 0;
    let mut unnamed = Vec::new();
    for batch in claimed.chunk_by(|a, b| a.region_id == b.region_id) {
        done += process_region(db, batch, &mut unnamed).await?;
    }
    if let Some(namer) = namer
        && !unnamed.is_empty()
    {
        name_authors(db, namer, &unnamed).await?;
    }
    Ok(done)
}

/// One region's events in one transaction: each is read under its own savepoint (an event
/// that fails is rolled back alone and postponed), then the new questions are written in one
/// statement, so the summaries' trigger runs once for the batch and not once per question.
async fn process_region(
    db: &PgPool,
    events: &[Claimed],
    unnamed: &mut Vec<Unnamed>,
) -> Result<usize, sqlx::Error> {
    let region = events[0].region_id;
    let mut tx = crate::state::tenant_tx(db, region).await?;
    let time_zone = crate::regions::db::time_zone(&mut tx, region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let by = RegionRules {
        rules: Rules::from_settings(&time_zone, &settings),
        category: crate::questions::keywords::catch_all(&settings.question_categories),
        keywords: Keywords::from_settings(
            &settings.category_keywords,
            &settings.question_categories,
        ),
    };
    let mut failed = Vec::new();
    let mut decided: Vec<(&Claimed, Decision)> = Vec::new();
    for event in events {
        savepoint(&mut tx, "event").await?;
        match decide(&mut tx, region, &by, event).await {
            Ok(decision) => {
                release_savepoint(&mut tx, "event").await?;
                decided.push((event, decision));
            }
            Err(e) => {
                rollback_to_savepoint(&mut tx, "event").await?;
                failed.push((event, e));
            }
        }
    }
    join_chats_within_batch(&mut decided);
    let filed = file_new(&mut tx, region, &by, &decided, &mut failed).await?;
    for (event, decision) in &decided {
        let outcome = match decision {
            Decision::New(new) => match filed.get(&key_of(new)) {
                Some((id, first)) if *first == event.id => {
                    if let Some(from_id) = new.from_id {
                        unnamed.push(Unnamed {
                            region,
                            question: *id,
                            connection: event.connection_id,
                            from_id,
                        });
                    }
                    Outcome::Filed(*id)
                }
                // The same comment twice in one batch, under two event ids.
                Some((id, _)) => Outcome::Known(*id),
                None => continue,
            },
            Decision::FollowUp(question, said) => {
                follow_up(&mut tx, region, &by, *question, said).await?;
                Outcome::FollowUp(*question)
            }
            Decision::JoinsBatch(key, said) => match filed.get(key) {
                Some((id, _)) => {
                    follow_up(&mut tx, region, &by, *id, said).await?;
                    Outcome::FollowUp(*id)
                }
                None => continue,
            },
            Decision::Change(question, change) => {
                apply(&mut tx, region, &by, *question, change).await?
            }
            Decision::Done(outcome) => *outcome,
        };
        db::finish(
            &mut tx,
            region,
            event.id,
            outcome.code(),
            outcome.question(),
        )
        .await?;
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
    keywords: Keywords,
}

impl RegionRules {
    /// The category the region's words point to, else its catch-all.
    fn category_of(&self, text: &str) -> String {
        self.keywords
            .guess(text)
            .map_or_else(|| self.category.clone(), str::to_owned)
    }
}

/// A question to file, with where it was asked.
struct NewFromPlatform {
    question: questions::NewQuestion,
    platform: &'static str,
    link: Option<String>,
    /// The chat further messages join it from.
    conversation: Option<String>,
    /// The VK author, whose name is asked of VK once the question is filed.
    from_id: Option<i64>,
}

/// A resident's further message: its text and the platform's id for it.
struct Said {
    text: String,
    message_id: String,
}

enum Decision {
    New(Box<NewFromPlatform>),
    /// Joins the chat's open question.
    FollowUp(QuestionId, Said),
    /// Joins the question a message earlier in this batch makes.
    JoinsBatch(Key, Said),
    /// Changes what happened to a filed question; done in the batch's transaction.
    Change(QuestionId, Change),
    Done(Outcome),
}

enum Change {
    Edit(String),
    Withdraw,
    AnswerThere {
        text: String,
        at: chrono::DateTime<chrono::Utc>,
    },
}

/// Two messages from one chat in one batch: the first makes the question, the rest join it.
fn join_chats_within_batch(decided: &mut [(&Claimed, Decision)]) {
    let mut first: std::collections::HashMap<String, Key> = std::collections::HashMap::new();
    for (_, decision) in decided.iter_mut() {
        let Decision::New(new) = decision else {
            continue;
        };
        let Some(chat) = new.conversation.clone() else {
            continue;
        };
        match first.get(&chat) {
            Some(key) if *key != key_of(new) => {
                let said = Said {
                    text: new.question.body.clone(),
                    message_id: new.question.external_id.clone().unwrap_or_default(),
                };
                *decision = Decision::JoinsBatch(key.clone(), said);
            }
            Some(_) => {}
            None => {
                first.insert(chat, key_of(new));
            }
        }
    }
}

/// The resident's further message on their question's timeline.
async fn follow_up(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    question: QuestionId,
    said: &Said,
) -> Result<(), sqlx::Error> {
    let details = serde_json::json!({ "message": said.message_id });
    crate::questions::follow_up::add(tx, region, &by.rules, question, &said.text, details).await
}

type Key = (Option<crate::ids::PageId>, String, Option<String>);

fn key_of(new: &NewFromPlatform) -> Key {
    let q = &new.question;
    (q.page_id, q.channel.clone(), q.external_id.clone())
}

/// Writes the batch's new questions in one statement (a comment met twice, once) with their
/// «received» entries; returns each one's id and the event that filed it.
async fn file_new<'e>(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    decided: &[(&'e Claimed, Decision)],
    failed: &mut Vec<(&'e Claimed, sqlx::Error)>,
) -> Result<std::collections::HashMap<Key, (QuestionId, i64)>, sqlx::Error> {
    // Each comment's first event and what it was filed from.
    let mut first: std::collections::HashMap<Key, (i64, &NewFromPlatform)> =
        std::collections::HashMap::new();
    let mut rows = Vec::new();
    let mut owners = Vec::new();
    for (event, decision) in decided {
        if let Decision::New(new) = decision
            && !first.contains_key(&key_of(new))
        {
            first.insert(key_of(new), (event.id, new));
            let q = &new.question;
            rows.push(questions::FiledRow {
                question: q,
                clocks: by.rules.start(q.priority, q.received_at),
                source_url: new.link.as_deref(),
                conversation: new.conversation.as_deref(),
            });
            owners.push(*event);
        }
    }
    if rows.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    savepoint(&mut *tx, "batch").await?;
    let written = match questions::insert_many(tx, region, &rows).await {
        Ok(written) => written,
        Err(_) => {
            // One bad row spoils the statement: file them one by one to find it.
            rollback_to_savepoint(&mut *tx, "batch").await?;
            let mut written = Vec::new();
            for (row, event) in rows.iter().zip(&owners) {
                savepoint(&mut *tx, "one").await?;
                match questions::insert_many(tx, region, std::slice::from_ref(row)).await {
                    Ok(one) => {
                        release_savepoint(&mut *tx, "one").await?;
                        written.extend(one);
                    }
                    Err(e) => {
                        rollback_to_savepoint(&mut *tx, "one").await?;
                        failed.push((*event, e));
                    }
                }
            }
            written
        }
    };
    let mut filed = std::collections::HashMap::new();
    for (id, page, channel, external) in written {
        let key = (page, channel, external);
        let Some(&(event, new)) = first.get(&key) else {
            continue;
        };
        questions::add_event(
            tx,
            region,
            id,
            None,
            questions::Event {
                to_status: Some("new"),
                details: serde_json::json!({ "channel": key.1, "platform": new.platform, "link": new.link }),
                ..questions::Event::new("received")
            },
        )
        .await?;
        filed.insert(key, (id, event));
    }
    Ok(filed)
}

/// What an event asks for, read against the registry without writing anything.
async fn decide(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    event: &Claimed,
) -> Result<Decision, sqlx::Error> {
    let Some(target) = db::connection_page(tx, region, event.connection_id).await? else {
        return Ok(Decision::Done(Outcome::Ignored));
    };
    match target.platform.as_str() {
        "vk" => decide_vk(tx, region, by, event, &target).await,
        _ => decide_chat(tx, region, by, event, &target).await,
    }
}

async fn decide_vk(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    event: &Claimed,
    target: &db::ConnectionPage,
) -> Result<Decision, sqlx::Error> {
    let done = |o| Ok(Decision::Done(o));
    let group_id = target.group_id.unwrap_or_default();
    let object = event.payload.get("object").cloned().unwrap_or_default();
    let page = target.page_id;
    // Edits and deletions of comments that were filed.
    match event.kind.as_str() {
        "wall_reply_edit" => {
            let Some(said) = vk::inbound(&event.kind, &object, group_id) else {
                return done(Outcome::Ignored);
            };
            return match questions::find_external(tx, region, page, "comment", &said.external_id)
                .await?
            {
                Some(q) if !said.own => Ok(Decision::Change(q, Change::Edit(body_of(&said.text)))),
                _ => done(Outcome::Ignored),
            };
        }
        "wall_reply_delete" => {
            let Some(external) = vk::deleted(&object, group_id) else {
                return done(Outcome::Ignored);
            };
            return match questions::find_external(tx, region, page, "comment", &external).await? {
                Some(q) => Ok(Decision::Change(q, Change::Withdraw)),
                None => done(Outcome::Ignored),
            };
        }
        _ => {}
    }
    // Only the kinds the connection was made for become questions; the community's outgoing
    // messages come as `message_reply`.
    let kind = if event.kind == "message_reply" {
        "message_new"
    } else {
        event.kind.as_str()
    };
    if !target.events.iter().any(|e| e == kind) {
        return done(Outcome::Ignored);
    }
    let Some(said) = vk::inbound(&event.kind, &object, group_id) else {
        return done(Outcome::Ignored);
    };
    if said.own {
        // The community's reply to a filed comment, or its message in a conversation with an
        // open question, answers it there, unless it is one of our own answers coming back.
        let answered = match (&said.reply_to, &said.conversation) {
            (Some(parent), _) => {
                questions::find_external(tx, region, page, "comment", parent).await?
            }
            (None, Some(chat)) => questions::open_in_conversation(tx, region, page, chat).await?,
            (None, None) => None,
        };
        let Some(q) = answered else {
            return done(Outcome::Own);
        };
        if crate::channels::db::deliveries::is_ours(tx, region, q, &said.text).await? {
            return done(Outcome::Own);
        }
        let at = event_time(vk_date(&object, &event.kind));
        return Ok(Decision::Change(
            q,
            Change::AnswerThere {
                text: body_of(&said.text),
                at,
            },
        ));
    }
    let channel = said.place.channel();
    if let Some(known) =
        questions::find_external(tx, region, target.page_id, channel, &said.external_id).await?
    {
        return done(Outcome::Known(known));
    }
    // A further message in a conversation whose question is open joins it.
    if let Some(chat) = &said.conversation
        && let Some(open) = questions::open_in_conversation(tx, region, page, chat).await?
    {
        return Ok(Decision::FollowUp(
            open,
            Said {
                text: body_of(&said.text),
                message_id: said.external_id.clone(),
            },
        ));
    }
    let received = event_time(vk_date(&object, &event.kind));
    Ok(Decision::New(Box::new(NewFromPlatform {
        question: questions::NewQuestion {
            organization_id: target.organization_id,
            page_id: Some(target.page_id),
            channel: channel.to_owned(),
            external_id: Some(said.external_id.clone()),
            author_name: Some(placeholder(said.from_id)),
            author_contact: Some(vk::author_link(said.from_id)),
            body: body_of(&said.text),
            attachments: said.attachments.clone(),
            category: by.category_of(&said.text),
            priority: Priority::Normal,
            received_at: received,
        },
        platform: "vk",
        link: Some(said.link),
        conversation: said.conversation.clone(),
        from_id: Some(said.from_id),
    })))
}

/// What an edit, a deletion or the community's reply on VK does to a filed question, with
/// its timeline entry.
async fn apply(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    question: QuestionId,
    change: &Change,
) -> Result<Outcome, sqlx::Error> {
    let Some(q) = questions::lock(tx, region, question).await? else {
        return Ok(Outcome::Ignored);
    };
    let from = Some(q.status.as_str());
    match change {
        Change::Edit(text) => {
            if *text == q.body {
                return Ok(Outcome::Known(question));
            }
            questions::changes::edit_body(tx, region, question, text).await?;
            let event = questions::Event {
                public: true,
                body: Some(&q.body),
                details: serde_json::json!({ "now": text }),
                ..questions::Event::new("edited")
            };
            questions::add_event(tx, region, question, None, event).await?;
            Ok(Outcome::Edited(question))
        }
        Change::Withdraw => {
            let withdrawn = questions::changes::withdraw(tx, region, question).await?;
            let event = questions::Event {
                from_status: from.filter(|_| withdrawn),
                to_status: withdrawn.then_some("withdrawn"),
                ..questions::Event::new("withdrawn")
            };
            questions::add_event(tx, region, question, None, event).await?;
            Ok(Outcome::Withdrawn(question))
        }
        Change::AnswerThere { text, at } => {
            let waited =
                (by.rules.elapsed(q.received_at, *at) - i64::from(q.paused_minutes)).max(0) as i32;
            if !questions::changes::answer_on_platform(tx, region, question, text, *at, waited)
                .await?
            {
                return Ok(Outcome::Own);
            }
            let event = questions::Event {
                from_status: from,
                to_status: Some("answered"),
                public: true,
                body: Some(text),
                ..questions::Event::new("answered_on_platform")
            };
            questions::add_event(tx, region, question, None, event).await?;
            Ok(Outcome::AnsweredThere(question))
        }
    }
}

/// A message to a Telegram or MAX bot: a new question, or a follow-up while the chat's
/// question is open.
async fn decide_chat(
    tx: &mut PgConnection,
    region: RegionId,
    by: &RegionRules,
    event: &Claimed,
    target: &db::ConnectionPage,
) -> Result<Decision, sqlx::Error> {
    let message = match target.platform.as_str() {
        "telegram" => chat::telegram_message(&event.payload),
        "max" => chat::max_message(&event.payload),
        _ => None,
    };
    let Some(m) = message else {
        return Ok(Decision::Done(Outcome::Ignored));
    };
    let external = m.external_id();
    if let Some(known) =
        questions::find_external(tx, region, target.page_id, "message", &external).await?
    {
        return Ok(Decision::Done(Outcome::Known(known)));
    }
    let conversation = m.conversation();
    if let Some(open) =
        questions::open_in_conversation(tx, region, target.page_id, &conversation).await?
    {
        return Ok(Decision::FollowUp(
            open,
            Said {
                text: body_of(&m.text),
                message_id: external,
            },
        ));
    }
    Ok(Decision::New(Box::new(NewFromPlatform {
        question: questions::NewQuestion {
            organization_id: target.organization_id,
            page_id: Some(target.page_id),
            channel: "message".to_owned(),
            external_id: Some(external),
            author_name: m.author.clone(),
            author_contact: m.contact.clone(),
            body: body_of(&m.text),
            attachments: m.attachments.clone(),
            category: by.category_of(&m.text),
            priority: Priority::Normal,
            received_at: event_time(m.date),
        },
        platform: m.platform,
        link: None,
        conversation: Some(conversation),
        from_id: None,
    })))
}

/// A message of attachments alone still makes a question.
fn body_of(text: &str) -> String {
    if text.is_empty() {
        "(вложение без текста)".to_owned()
    } else {
        text.to_owned()
    }
}

/// When VK dates the resident's words (seconds since the epoch).
fn vk_date(object: &serde_json::Value, kind: &str) -> Option<i64> {
    let holder = if kind == "message_new" || kind == "message_reply" {
        object.get("message").unwrap_or(object)
    } else {
        object
    };
    holder.get("date")?.as_i64()
}

/// When the resident wrote, from the platform's date, unless that date is far off: a
/// deadline is not counted from a clock that cannot be trusted.
fn event_time(seconds: Option<i64>) -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    seconds
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .filter(|at| {
            *at <= now + chrono::Duration::minutes(5) && *at > now - chrono::Duration::days(30)
        })
        .unwrap_or(now)
}

/// Runs in `serve`: a round when the webhook says an event came, and every few seconds for
/// retries and events another server acknowledged.
pub fn spawn(db: PgPool, wake: Arc<Notify>, namer: Namer) {
    tokio::spawn(async move {
        loop {
            match process_and_name(&db, &namer).await {
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "channel events could not be claimed"),
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}
