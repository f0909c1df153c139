//! What each action does to a question, inside the transaction that locked it.

use chrono::Utc;
use serde_json::json;
use sqlx::PgConnection;

use super::access::Relation;
use super::clock::{Priority, Rules};
use super::db::{self, Event, Question};
use super::forms::{ActionForm, MAX_TEXT, REJECT_REASONS, required_text};
use super::workflow::{self, Action, Status};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{OrgId, QuestionId, RegionId, UserId};
use crate::web::access::RegionAccess;
use crate::web::forms::{FieldErrors, SelectOption};

pub enum Outcome {
    /// Changed; the flash message to show: `question-done-{action}`, or
    /// `question-done-draft` when an answer went for approval.
    Done(&'static str),
    /// Nothing changed, show the form again (a template was inserted into the answer).
    Show,
    Invalid(FieldErrors),
    /// The question's state does not allow it (any more); the explanation.
    Refused(String),
}

fn invalid(field: &'static str, message: String) -> Outcome {
    let mut e = FieldErrors::default();
    e.add(field, message);
    Outcome::Invalid(e)
}

pub async fn apply(
    tx: &mut PgConnection,
    access: &RegionAccess,
    l: Locale,
    q: &Question,
    relation: Relation,
    action: Action,
    form: &ActionForm,
) -> AppResult<Outcome> {
    let region = access.region.id;
    let me = access.user_id();
    let status = Status::parse(&q.status)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown status {}", q.status)))?;
    let pending_draft = q.draft_answer.is_some() && q.draft_returned_comment.is_none();
    let state = workflow::State {
        status,
        paused: q.paused_at.is_some(),
        has_draft: pending_draft,
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
    let settings = crate::settings::db::get(tx, region).await?;
    let rules = Rules::from_settings(&access.region.time_zone, &settings);
    let now = Utc::now();
    let from = Some(q.status.as_str());
    match action {
        Action::Note => {
            let mut e = FieldErrors::default();
            let text = required_text(&form.text, "text", MAX_TEXT, l, &mut e);
            if !e.is_empty() {
                return Ok(Outcome::Invalid(e));
            }
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    body: Some(&text),
                    ..Event::new("note")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-note"))
        }
        Action::Assign => {
            let handlers = db::handlers_of(tx, region, q.organization_id).await?;
            let wanted = if form.take == "me" || form.assignee == "me" {
                Some(me.0)
            } else {
                ActionForm::id(&form.assignee)
            };
            let Some(person) = wanted.and_then(|id| handlers.iter().find(|h| h.id == id)) else {
                return Ok(invalid("assignee", l.t("field-choose")));
            };
            let to = if status == Status::New {
                "in_progress"
            } else {
                q.status.as_str()
            };
            sqlx::query("update questions set assignee_id = $3, status = $4, updated_at = now() where region_id = $1 and id = $2")
                .bind(region)
                .bind(q.id)
                .bind(person.id)
                .bind(to)
                .execute(&mut *tx)
                .await?;
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    from_status: from,
                    to_status: Some(to),
                    details: json!({ "assignee": person.name, "assignee_id": person.id }),
                    ..Event::new("assigned")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-assign"))
        }
        Action::Interim | Action::Answer => {
            answer(tx, region, me, l, q, relation, action, form, &rules).await
        }
        Action::Approve => {
            let (text, kind, author) = (
                q.draft_answer.clone().unwrap_or_default(),
                q.draft_kind.clone().unwrap_or_else(|| "final".into()),
                q.draft_by.unwrap_or(me),
            );
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    body: Some(&text),
                    ..Event::new("approved")
                },
            )
            .await?;
            publish(tx, region, q, author, &text, kind == "interim", &rules).await?;
            Ok(Outcome::Done("question-done-approve"))
        }
        Action::Return => {
            let mut e = FieldErrors::default();
            let comment = required_text(&form.text, "text", MAX_TEXT, l, &mut e);
            if !e.is_empty() {
                return Ok(Outcome::Invalid(e));
            }
            sqlx::query(
                "update questions set draft_returned_comment = $3, answer_rev = answer_rev + 1, updated_at = now() where region_id = $1 and id = $2",
            )
            .bind(region)
            .bind(q.id)
            .bind(&comment)
            .execute(&mut *tx)
            .await?;
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    body: Some(&comment),
                    ..Event::new("returned")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-return"))
        }
        Action::Pause => {
            let mut e = FieldErrors::default();
            let request = required_text(&form.text, "text", MAX_TEXT, l, &mut e);
            if !e.is_empty() {
                return Ok(Outcome::Invalid(e));
            }
            sqlx::query(
                "update questions set paused_at = $3, status = 'in_progress', updated_at = now() where region_id = $1 and id = $2",
            )
            .bind(region)
            .bind(q.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    from_status: from,
                    to_status: Some("in_progress"),
                    public: true,
                    body: Some(&request),
                    ..Event::new("paused")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-pause"))
        }
        Action::Resume => {
            let paused = q.paused_at.unwrap_or(now);
            let (clocks, waited) = rules.resume(q.clocks(), paused, now);
            db::set_clocks(tx, region, q.id, &clocks).await?;
            sqlx::query(
                "update questions set paused_at = null, paused_minutes = paused_minutes + $3 where region_id = $1 and id = $2",
            )
            .bind(region)
            .bind(q.id)
            .bind(waited as i32)
            .execute(&mut *tx)
            .await?;
            let reply = crate::web::forms::optional(&form.text);
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    body: reply.as_deref(),
                    details: json!({ "waited_minutes": waited }),
                    ..Event::new("resumed")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-resume"))
        }
        Action::Transfer => transfer(tx, access, l, q, &rules, form).await,
        Action::Reject => {
            let mut e = FieldErrors::default();
            if !REJECT_REASONS.contains(&form.reason.as_str()) {
                e.add("reason", l.t("field-choose"));
            }
            let comment = crate::web::forms::optional(&form.text);
            if comment
                .as_ref()
                .is_some_and(|c| c.chars().count() > MAX_TEXT)
            {
                e.add("text", l.t("field-too-long"));
            }
            if !e.is_empty() {
                return Ok(Outcome::Invalid(e));
            }
            sqlx::query(
                r#"update questions set status = 'rejected', resolution_reason = $3, resolution_comment = $4,
                          closed_at = now(), paused_at = null, updated_at = now() where region_id = $1 and id = $2"#,
            )
            .bind(region)
            .bind(q.id)
            .bind(&form.reason)
            .bind(&comment)
            .execute(&mut *tx)
            .await?;
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    from_status: from,
                    to_status: Some("rejected"),
                    body: comment.as_deref(),
                    details: json!({ "reason": form.reason }),
                    ..Event::new("rejected")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-reject"))
        }
        Action::MarkDuplicate => {
            let Some(original) = ActionForm::id(&form.original) else {
                return Ok(invalid("original", l.t("question-original-bad")));
            };
            if original == q.id.0 {
                return Ok(invalid("original", l.t("question-original-self")));
            }
            let found: Option<(String, Option<QuestionId>)> = sqlx::query_as(
                "select status, duplicate_of from questions where region_id = $1 and id = $2",
            )
            .bind(region)
            .bind(original)
            .fetch_optional(&mut *tx)
            .await?;
            // A duplicate of a duplicate points at the first question instead.
            let original = match found {
                None => {
                    return Ok(invalid(
                        "original",
                        l.t1("question-original-unknown", "id", &original.to_string()),
                    ));
                }
                Some((_, Some(first))) => first.0,
                Some(_) => original,
            };
            if original == q.id.0 {
                return Ok(invalid("original", l.t("question-original-self")));
            }
            sqlx::query(
                r#"update questions set status = 'duplicate', duplicate_of = $3, closed_at = now(), paused_at = null,
                          updated_at = now() where region_id = $1 and id = $2"#,
            )
            .bind(region)
            .bind(q.id)
            .bind(original)
            .execute(&mut *tx)
            .await?;
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    from_status: from,
                    to_status: Some("duplicate"),
                    details: json!({ "original": original }),
                    ..Event::new("duplicate")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-duplicate"))
        }
        Action::Close => {
            sqlx::query("update questions set status = 'closed', closed_at = now(), updated_at = now() where region_id = $1 and id = $2")
                .bind(region)
                .bind(q.id)
                .execute(&mut *tx)
                .await?;
            let note = crate::web::forms::optional(&form.text);
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    from_status: from,
                    to_status: Some("closed"),
                    body: note.as_deref(),
                    ..Event::new("closed")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-close"))
        }
        Action::Reopen => {
            let mut e = FieldErrors::default();
            let reason = required_text(&form.text, "text", MAX_TEXT, l, &mut e);
            if !e.is_empty() {
                return Ok(Outcome::Invalid(e));
            }
            // A repeat complaint is a new request: both clocks start again from now.
            let priority = Priority::parse(&q.priority).unwrap_or(Priority::Normal);
            db::set_clocks(tx, region, q.id, &rules.start(priority, now)).await?;
            sqlx::query(
                r#"update questions set status = 'in_progress', reopen_count = reopen_count + 1, answer = null,
                          answered_at = null, answered_by = null, first_response_at = null, closed_at = null,
                          first_response_minutes = null, answer_minutes = null,
                          answer_rev = answer_rev + 1
                   where region_id = $1 and id = $2"#,
            )
            .bind(region)
            .bind(q.id)
            .execute(&mut *tx)
            .await?;
            event(
                tx,
                region,
                q.id,
                me,
                Event {
                    from_status: from,
                    to_status: Some("in_progress"),
                    body: Some(&reason),
                    ..Event::new("reopened")
                },
            )
            .await?;
            Ok(Outcome::Done("question-done-reopen"))
        }
    }
}

async fn event(
    tx: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    me: UserId,
    e: Event<'_>,
) -> Result<(), sqlx::Error> {
    db::add_event(tx, region, q, Some(me), e).await
}

#[allow(clippy::too_many_arguments)]
async fn answer(
    tx: &mut PgConnection,
    region: RegionId,
    me: UserId,
    l: Locale,
    q: &Question,
    relation: Relation,
    action: Action,
    form: &ActionForm,
    rules: &Rules,
) -> AppResult<Outcome> {
    // Someone answered (or drafted) since this person opened the question: say so and keep
    // their text rather than overwrite the other answer.
    if form.answer_rev.trim().parse::<i32>().ok() != Some(q.answer_rev) {
        return Ok(Outcome::Refused(l.t("question-answer-conflict")));
    }
    let mut e = FieldErrors::default();
    let text = required_text(&form.text, "text", MAX_TEXT, l, &mut e);
    if !e.is_empty() {
        return Ok(Outcome::Invalid(e));
    }
    let interim = action == Action::Interim;
    let head = matches!(relation, Relation::Handler { head: true });
    if q.answer_approval && !head {
        sqlx::query(
            r#"update questions set draft_answer = $3, draft_kind = $4, draft_by = $5, draft_returned_comment = null,
                      answer_rev = answer_rev + 1, status = 'in_progress', updated_at = now()
               where region_id = $1 and id = $2"#,
        )
        .bind(region)
        .bind(q.id)
        .bind(&text)
        .bind(if interim { "interim" } else { "final" })
        .bind(me)
        .execute(&mut *tx)
        .await?;
        event(
            tx,
            region,
            q.id,
            me,
            Event {
                body: Some(&text),
                details: json!({ "kind": if interim { "interim" } else { "final" } }),
                ..Event::new("draft")
            },
        )
        .await?;
        return Ok(Outcome::Done("question-done-draft"));
    }
    publish(tx, region, q, me, &text, interim, rules).await?;
    Ok(Outcome::Done(if interim {
        "question-done-interim"
    } else {
        "question-done-answer"
    }))
}

/// Publishes an answer: an interim one stops the first-response clock and keeps the question
/// open; a final one answers it.
async fn publish(
    tx: &mut PgConnection,
    region: RegionId,
    q: &Question,
    author: UserId,
    text: &str,
    interim: bool,
    rules: &Rules,
) -> Result<(), sqlx::Error> {
    let to = if interim { "in_progress" } else { "answered" };
    // Working time the resident waited, less the time the question waited on them.
    let waited =
        (rules.elapsed(q.received_at, Utc::now()) - i64::from(q.paused_minutes)).max(0) as i32;
    sqlx::query(
        r#"update questions set
               first_response_at = coalesce(first_response_at, now()),
               first_response_minutes = coalesce(first_response_minutes, $7),
               answer_minutes = case when $4 then answer_minutes else $7 end,
               answer = case when $4 then answer else $3 end,
               answered_at = case when $4 then answered_at else now() end,
               answered_by = case when $4 then answered_by else $5 end,
               status = $6, draft_answer = null, draft_kind = null, draft_by = null,
               draft_returned_comment = null, answer_rev = answer_rev + 1, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q.id)
    .bind(text)
    .bind(interim)
    .bind(author)
    .bind(to)
    .bind(waited)
    .execute(&mut *tx)
    .await?;
    db::add_event(
        tx,
        region,
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
    .await
}

async fn transfer(
    tx: &mut PgConnection,
    access: &RegionAccess,
    l: Locale,
    q: &Question,
    rules: &Rules,
    form: &ActionForm,
) -> AppResult<Outcome> {
    let region = access.region.id;
    let mut e = FieldErrors::default();
    let reason = required_text(&form.text, "text", MAX_TEXT, l, &mut e);
    let Some(target) = ActionForm::id(&form.organization_id) else {
        e.add("organization_id", l.t("question-transfer-choose"));
        return Ok(Outcome::Invalid(e));
    };
    // Another region's organization does not exist here.
    let (name, archived): (String, bool) = sqlx::query_as(
        "select name, archived_at is not null from organizations where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(target)
    .fetch_optional(&mut *tx)
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
    let now = Utc::now();
    let clock = if rules.transfer_keeps_clock {
        "keep"
    } else {
        "new"
    };
    if !rules.transfer_keeps_clock {
        let priority = Priority::parse(&q.priority).unwrap_or(Priority::Normal);
        db::set_clocks(tx, region, q.id, &rules.start(priority, now)).await?;
    }
    sqlx::query(
        r#"update questions set organization_id = $3,
                  previous_organization_ids = array_append(previous_organization_ids, organization_id),
                  transfer_count = transfer_count + 1, status = 'new', assignee_id = null, paused_at = null,
                  draft_answer = null, draft_kind = null, draft_by = null, draft_returned_comment = null,
                  first_response_at = case when $4 then first_response_at end, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q.id)
    .bind(target)
    .bind(rules.transfer_keeps_clock)
    .execute(&mut *tx)
    .await?;
    event(
        tx,
        region,
        q.id,
        access.user_id(),
        Event {
            from_status: Some(q.status.as_str()),
            to_status: Some("new"),
            body: Some(&reason),
            details: json!({
                "from": q.organization_name, "from_id": q.organization_id,
                "to": name, "to_id": target, "clock": clock,
            }),
            ..Event::new("transferred")
        },
    )
    .await?;
    Ok(Outcome::Done("question-done-transfer"))
}

/// Organizations of the region matching a name, INN or OGRN, for the transfer form.
pub async fn transfer_candidates(
    db: &mut PgConnection,
    region: RegionId,
    current: OrgId,
    find: &str,
) -> Result<Vec<SelectOption>, sqlx::Error> {
    let query = crate::web::forms::ListQuery {
        q: find.to_owned(),
        page: None,
    };
    sqlx::query_as(
        r#"select id, name from organizations
           where region_id = $1 and archived_at is null and id <> $2
             and (lower(name) like $3 or lower(coalesce(short_name, '')) like $3 or inn = $4 or ogrn = $4)
           order by name, id limit 20"#,
    )
    .bind(region)
    .bind(current)
    .bind(query.pattern())
    .bind(find.trim())
    .fetch_all(db)
    .await
}
