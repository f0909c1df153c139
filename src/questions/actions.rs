//! What each action does to a question, inside the transaction that locked it: one function
//! per action over a shared step (the workflow check, the region's rules, the timeline entry).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::access::Relation;
use super::clock::{Priority, Rules};
use super::db::{self, Event, Question, changes};
use super::forms::{ActionForm, MAX_TEXT, REJECT_REASONS, required_text};
use super::workflow::{self, Action, Status};
use crate::channels::outbox;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{RegionId, UserId};
use crate::web::access::RegionAccess;
use crate::web::forms::{FieldErrors, optional};

pub enum Outcome {
    /// Changed; the flash message to show: `question-done-{action}`, or
    /// `question-done-draft` when an answer went for approval.
    Done(&'static str),
    /// Nothing changed, show the form again (a template was inserted into the answer).
    Show,
    Invalid(FieldErrors),
    /// The question's state does not allow it (any more); the explanation.
    Refused(String),
    /// The answer goes back to its platform in this many parts: said before it is sent, and
    /// sent when the person sends the same answer again.
    ConfirmSplit(FieldErrors, usize),
}

fn invalid(field: &'static str, message: String) -> Outcome {
    let mut e = FieldErrors::default();
    e.add(field, message);
    Outcome::Invalid(e)
}

/// Everything an action works with: the locked question, who acts, the form and the rules.
struct Step<'a> {
    tx: &'a mut PgConnection,
    access: &'a RegionAccess,
    l: Locale,
    q: &'a Question,
    relation: Relation,
    form: &'a ActionForm,
    rules: Rules,
    now: DateTime<Utc>,
}

impl<'a> Step<'a> {
    fn region(&self) -> RegionId {
        self.access.region.id
    }

    fn me(&self) -> UserId {
        self.access.user_id()
    }

    fn from(&self) -> Option<&'a str> {
        Some(self.q.status.as_str())
    }

    /// The form's text, required: a missing one re-renders the form with its message.
    fn required_text(&self) -> Result<String, Outcome> {
        let mut e = FieldErrors::default();
        let text = required_text(&self.form.text, "text", MAX_TEXT, self.l, &mut e);
        e.into_result(text).map_err(Outcome::Invalid)
    }

    /// The timeline entry of this action, by the person acting.
    async fn record(&mut self, e: Event<'_>) -> Result<(), sqlx::Error> {
        let (region, q, me) = (self.region(), self.q.id, self.me());
        db::add_event(self.tx, region, q, Some(me), e).await
    }
}

/// Checks the action against the question's state and runs it.
pub async fn apply(
    tx: &mut PgConnection,
    access: &RegionAccess,
    l: Locale,
    q: &Question,
    relation: Relation,
    action: Action,
    form: &ActionForm,
) -> AppResult<Outcome> {
    let status = Status::parse(&q.status)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown status {}", q.status)))?;
    let state = workflow::State {
        status,
        paused: q.paused_at.is_some(),
        has_draft: q.draft_answer.is_some() && q.draft_returned_comment.is_none(),
    };
    if form.intent == "insert" && matches!(action, Action::Interim | Action::Answer) {
        return Ok(Outcome::Show);
    }
    if !workflow::allows(state, action) {
        return Ok(Outcome::Refused(l.t1(
            "question-action-refused",
            "status",
            &l.t(&format!("status-{}", q.status)),
        )));
    }
    let settings = crate::settings::db::get(tx, access.region.id).await?;
    let mut step = Step {
        rules: Rules::from_settings(&access.region.time_zone, &settings),
        tx,
        access,
        l,
        q,
        relation,
        form,
        now: Utc::now(),
    };
    let s = &mut step;
    let outcome = match action {
        Action::Note => note(s).await,
        Action::Assign => assign(s, status).await,
        Action::Interim | Action::Answer => answer(s, action == Action::Interim).await,
        Action::Approve => approve(s).await,
        Action::Return => return_draft(s).await,
        Action::Pause => pause(s).await,
        Action::Resume => resume(s).await,
        Action::Transfer => transfer(s).await,
        Action::Reject => reject(s).await,
        Action::MarkDuplicate => mark_duplicate(s).await,
        Action::Close => close(s).await,
        Action::Reopen => reopen(s).await,
    }?;
    Ok(outcome)
}

async fn note(s: &mut Step<'_>) -> AppResult<Outcome> {
    let text = match s.required_text() {
        Ok(text) => text,
        Err(refusal) => return Ok(refusal),
    };
    s.record(Event {
        body: Some(&text),
        ..Event::new("note")
    })
    .await?;
    Ok(Outcome::Done("question-done-note"))
}

async fn assign(s: &mut Step<'_>, status: Status) -> AppResult<Outcome> {
    let handlers = db::handlers_of(s.tx, s.region(), s.q.organization_id).await?;
    let wanted = if s.form.take == "me" || s.form.assignee == "me" {
        Some(s.me().0)
    } else {
        ActionForm::id(&s.form.assignee)
    };
    let Some(person) = wanted.and_then(|id| handlers.iter().find(|h| h.id == id)) else {
        return Ok(invalid("assignee", s.l.t("field-choose")));
    };
    let to = if status == Status::New {
        "in_progress"
    } else {
        s.q.status.as_str()
    };
    changes::assign(s.tx, s.region(), s.q.id, person.id, to).await?;
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some(to),
        details: json!({ "assignee": person.name, "assignee_id": person.id }),
        ..Event::new("assigned")
    })
    .await?;
    Ok(Outcome::Done("question-done-assign"))
}

/// An answer by a handler: published at once, or kept as a draft where the organization
/// requires its head's approval and the author is not the head.
async fn answer(s: &mut Step<'_>, interim: bool) -> AppResult<Outcome> {
    // Someone answered (or drafted) since this person opened the question: say so and keep
    // their text rather than overwrite the other answer.
    if s.form.answer_rev.trim().parse::<i32>().ok() != Some(s.q.answer_rev) {
        return Ok(Outcome::Refused(s.l.t("question-answer-conflict")));
    }
    let text = match s.required_text() {
        Ok(text) => text,
        Err(refusal) => return Ok(refusal),
    };
    if let Some(ask) = announce_split(s, &text).await? {
        return Ok(ask);
    }
    let head = matches!(s.relation, Relation::Handler { head: true });
    if s.q.answer_approval && !head {
        let kind = if interim { "interim" } else { "final" };
        changes::save_draft(s.tx, s.region(), s.q.id, &text, kind, s.me()).await?;
        s.record(Event {
            body: Some(&text),
            details: json!({ "kind": kind }),
            ..Event::new("draft")
        })
        .await?;
        return Ok(Outcome::Done("question-done-draft"));
    }
    let me = s.me();
    publish(s, me, &text, interim).await?;
    Ok(Outcome::Done(if interim {
        "question-done-interim"
    } else {
        "question-done-answer"
    }))
}

async fn approve(s: &mut Step<'_>) -> AppResult<Outcome> {
    let q = s.q;
    let text = q.draft_answer.clone().unwrap_or_default();
    let interim = q.draft_kind.as_deref() == Some("interim");
    let author = q.draft_by.unwrap_or(s.me());
    s.record(Event {
        body: Some(&text),
        ..Event::new("approved")
    })
    .await?;
    publish(s, author, &text, interim).await?;
    Ok(Outcome::Done("question-done-approve"))
}

/// A text that goes back to its platform in several parts is announced before it is sent:
/// the form comes back with the count, and sending the same text again agrees to it.
async fn announce_split(s: &mut Step<'_>, text: &str) -> AppResult<Option<Outcome>> {
    let Some(route) = outbox::route(s.tx, s.region(), s.q).await? else {
        return Ok(None);
    };
    let parts = route.parts(text);
    if parts < 2 || s.form.split_confirmed.trim() == parts.to_string() {
        return Ok(None);
    }
    let mut e = FieldErrors::default();
    e.add(
        "text",
        s.l.t_args(
            "question-answer-split",
            &[
                ("limit", (route.target.limit() as i64).into()),
                ("count", (parts as i64).into()),
            ],
        ),
    );
    Ok(Some(Outcome::ConfirmSplit(e, parts)))
}

/// Publishes an answer: an interim one stops the first-response clock and keeps the question
/// open; a final one answers it.
async fn publish(s: &mut Step<'_>, author: UserId, text: &str, interim: bool) -> AppResult<()> {
    let q = s.q;
    let to = if interim { "in_progress" } else { "answered" };
    // Working time the resident waited, less the time the question waited on them.
    let waited =
        (s.rules.elapsed(q.received_at, Utc::now()) - i64::from(q.paused_minutes)).max(0) as i32;
    changes::publish(s.tx, s.region(), q.id, text, interim, author, to, waited).await?;
    let kind = if interim {
        outbox::Kind::Interim
    } else {
        outbox::Kind::Final
    };
    outbox::enqueue(s.tx, s.region(), q, text, kind, Some(author)).await?;
    db::add_event(
        s.tx,
        s.region(),
        q.id,
        Some(author),
        Event {
            from_status: Some(q.status.as_str()),
            to_status: Some(to),
            public: true,
            body: Some(text),
            ..Event::new(if interim { "interim" } else { "answered" })
        },
    )
    .await?;
    Ok(())
}

async fn return_draft(s: &mut Step<'_>) -> AppResult<Outcome> {
    let comment = match s.required_text() {
        Ok(text) => text,
        Err(refusal) => return Ok(refusal),
    };
    changes::return_draft(s.tx, s.region(), s.q.id, &comment).await?;
    s.record(Event {
        body: Some(&comment),
        ..Event::new("returned")
    })
    .await?;
    Ok(Outcome::Done("question-done-return"))
}

/// Asks the resident for more; the clock stops until they answer. The request is public.
async fn pause(s: &mut Step<'_>) -> AppResult<Outcome> {
    let request = match s.required_text() {
        Ok(text) => text,
        Err(refusal) => return Ok(refusal),
    };
    if let Some(ask) = announce_split(s, &request).await? {
        return Ok(ask);
    }
    changes::pause(s.tx, s.region(), s.q.id, s.now).await?;
    // The request is public: it goes to the resident where they asked.
    let (region, q, me) = (s.region(), s.q, s.me());
    outbox::enqueue(s.tx, region, q, &request, outbox::Kind::Request, Some(me)).await?;
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some("in_progress"),
        public: true,
        body: Some(&request),
        ..Event::new("paused")
    })
    .await?;
    Ok(Outcome::Done("question-done-pause"))
}

/// The deadlines move by the working time the question waited on the resident.
async fn resume(s: &mut Step<'_>) -> AppResult<Outcome> {
    let paused = s.q.paused_at.unwrap_or(s.now);
    let (clocks, waited) = s.rules.resume(s.q.clocks(), paused, s.now);
    db::set_clocks(s.tx, s.region(), s.q.id, &clocks).await?;
    changes::resume(s.tx, s.region(), s.q.id, waited as i32).await?;
    let reply = optional(&s.form.text);
    s.record(Event {
        body: reply.as_deref(),
        details: json!({ "waited_minutes": waited }),
        ..Event::new("resumed")
    })
    .await?;
    Ok(Outcome::Done("question-done-resume"))
}

async fn transfer(s: &mut Step<'_>) -> AppResult<Outcome> {
    let (l, q) = (s.l, s.q);
    let mut e = FieldErrors::default();
    let reason = required_text(&s.form.text, "text", MAX_TEXT, l, &mut e);
    let Some(target) = ActionForm::id(&s.form.organization_id) else {
        e.add("organization_id", l.t("question-transfer-choose"));
        return Ok(Outcome::Invalid(e));
    };
    let (name, archived) = changes::transfer_target(s.tx, s.region(), target)
        .await?
        .ok_or(AppError::NotFound)?;
    if target == q.organization_id.0 {
        e.add("organization_id", l.t("question-transfer-same"));
    } else if archived {
        e.add("organization_id", l.t("question-transfer-archived"));
    }
    if !e.is_empty() {
        return Ok(Outcome::Invalid(e));
    }
    let keeps = s.rules.transfer_keeps_clock;
    if !keeps {
        let priority = Priority::parse(&q.priority).unwrap_or(Priority::Normal);
        let clocks = s.rules.start(priority, s.now);
        db::set_clocks(s.tx, s.region(), q.id, &clocks).await?;
    }
    changes::transfer(s.tx, s.region(), q.id, target, keeps).await?;
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some("new"),
        body: Some(&reason),
        details: json!({
            "from": q.organization_name, "from_id": q.organization_id,
            "to": name, "to_id": target, "clock": if keeps { "keep" } else { "new" },
        }),
        ..Event::new("transferred")
    })
    .await?;
    Ok(Outcome::Done("question-done-transfer"))
}

async fn reject(s: &mut Step<'_>) -> AppResult<Outcome> {
    let (l, form) = (s.l, s.form);
    let mut e = FieldErrors::default();
    if !REJECT_REASONS.contains(&form.reason.as_str()) {
        e.add("reason", l.t("field-choose"));
    }
    let comment = optional(&form.text);
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_TEXT)
    {
        e.add("text", l.t("field-too-long"));
    }
    if !e.is_empty() {
        return Ok(Outcome::Invalid(e));
    }
    changes::reject(s.tx, s.region(), s.q.id, &form.reason, comment.as_deref()).await?;
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some("rejected"),
        body: comment.as_deref(),
        details: json!({ "reason": form.reason }),
        ..Event::new("rejected")
    })
    .await?;
    Ok(Outcome::Done("question-done-reject"))
}

async fn mark_duplicate(s: &mut Step<'_>) -> AppResult<Outcome> {
    let l = s.l;
    let Some(original) = ActionForm::id(&s.form.original) else {
        return Ok(invalid("original", l.t("question-original-bad")));
    };
    if original == s.q.id.0 {
        return Ok(invalid("original", l.t("question-original-self")));
    }
    // A duplicate of a duplicate points at the first question instead.
    let original = match changes::original_of(s.tx, s.region(), original).await? {
        None => {
            return Ok(invalid(
                "original",
                l.t1("question-original-unknown", "id", &original.to_string()),
            ));
        }
        Some((_, Some(first))) => first.0,
        Some(_) => original,
    };
    if original == s.q.id.0 {
        return Ok(invalid("original", l.t("question-original-self")));
    }
    changes::mark_duplicate(s.tx, s.region(), s.q.id, original).await?;
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some("duplicate"),
        details: json!({ "original": original }),
        ..Event::new("duplicate")
    })
    .await?;
    Ok(Outcome::Done("question-done-duplicate"))
}

async fn close(s: &mut Step<'_>) -> AppResult<Outcome> {
    changes::close(s.tx, s.region(), s.q.id).await?;
    let note = optional(&s.form.text);
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some("closed"),
        body: note.as_deref(),
        ..Event::new("closed")
    })
    .await?;
    Ok(Outcome::Done("question-done-close"))
}

/// A repeat complaint is a new request: both clocks start again from now.
async fn reopen(s: &mut Step<'_>) -> AppResult<Outcome> {
    let reason = match s.required_text() {
        Ok(text) => text,
        Err(refusal) => return Ok(refusal),
    };
    let priority = Priority::parse(&s.q.priority).unwrap_or(Priority::Normal);
    let clocks = s.rules.start(priority, s.now);
    db::set_clocks(s.tx, s.region(), s.q.id, &clocks).await?;
    changes::reopen(s.tx, s.region(), s.q.id).await?;
    let from = s.from();
    s.record(Event {
        from_status: from,
        to_status: Some("in_progress"),
        body: Some(&reason),
        ..Event::new("reopened")
    })
    .await?;
    Ok(Outcome::Done("question-done-reopen"))
}
