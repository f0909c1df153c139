//! The SQL of residents' questions: the form's start time kept with the visitor's session,
//! the submission limits, the consent and status link stored with the question, and what the
//! status link shows.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::ids::{OrgId, QuestionId, RegionId};

/// Notes that the session was just shown the form.
pub async fn form_shown(db: &PgPool, session: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("update sessions set form_started_at = now() where id_hash = $1")
        .bind(session)
        .execute(db)
        .await?;
    Ok(())
}

/// Seconds since the session was shown the form, by the database's clock.
pub async fn seconds_since_form_shown(
    db: &PgPool,
    session: &[u8],
) -> Result<Option<f64>, sqlx::Error> {
    sqlx::query_scalar(
        "select extract(epoch from now() - form_started_at)::float8 from sessions where id_hash = $1",
    )
    .bind(session)
    .fetch_optional(db)
    .await
    .map(Option::flatten)
}

/// Counts one submission under `key` in a window of `window_seconds`; returns the count in
/// the current window, this one included. Called in the submission's transaction, so a
/// refused or failed submission counts nothing.
pub async fn count_submission(
    db: &mut PgConnection,
    key: &str,
    window_seconds: f64,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into submission_limits as l (key, hits, window_started_at) values ($1, 1, now())
           on conflict (key) do update set
               hits = case when l.window_started_at < now() - make_interval(secs => $2) then 1 else l.hits + 1 end,
               window_started_at = case when l.window_started_at < now() - make_interval(secs => $2)
                                        then now() else l.window_started_at end
           returning hits"#,
    )
    .bind(key)
    .bind(window_seconds)
    .fetch_one(db)
    .await
}

/// Windows long past: their keys count nothing any more.
pub async fn forget_old_limits(db: &PgPool, older_than_seconds: f64) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "delete from submission_limits where window_started_at < now() - make_interval(secs => $1)",
    )
    .bind(older_than_seconds)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
    consent_text: &str,
    token_hash: &[u8],
    locale: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into resident_submissions (region_id, question_id, consent_text, consent_at, status_token_hash, locale)
           values ($1, $2, $3, now(), $4, $5)"#,
    )
    .bind(region)
    .bind(question)
    .bind(consent_text)
    .bind(token_hash)
    .bind(locale)
    .execute(db)
    .await?;
    Ok(())
}

/// What the status link shows: the question's fate, never who worked on it or how.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Status {
    pub question_id: QuestionId,
    pub status: String,
    pub waiting_on_resident: bool,
    pub category: String,
    pub text: String,
    pub received_at: DateTime<Utc>,
    pub organization_id: OrgId,
    pub organization: String,
    /// Where the resident sent it, when it was passed on since.
    pub first_organization: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

pub async fn status(
    db: &mut PgConnection,
    region: RegionId,
    token_hash: &[u8],
) -> Result<Option<Status>, sqlx::Error> {
    sqlx::query_as(
        r#"select q.id as question_id, q.status, q.paused_at is not null as waiting_on_resident,
                  q.category, q.body as text, q.received_at, q.organization_id, o.name as organization,
                  first.name as first_organization,
                  case when q.status in ('answered', 'closed') then q.answer end as answer,
                  case when q.status in ('answered', 'closed') then q.answered_at end as answered_at
           from resident_submissions s
           join questions q on q.region_id = s.region_id and q.id = s.question_id
           join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           left join organizations first on first.region_id = q.region_id
                and first.id = q.previous_organization_ids[1]
           where s.region_id = $1 and s.status_token_hash = $2 and s.link_revoked_at is null"#,
    )
    .bind(region)
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// A text the organization made public on the question, or the resident's own addition.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Said {
    pub at: DateTime<Utc>,
    /// interim, paused (a request for more), answered, follow_up (the resident's).
    pub kind: String,
    pub body: String,
}

/// The public timeline without the final answer, which the status shows on its own.
pub async fn said(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
) -> Result<Vec<Said>, sqlx::Error> {
    sqlx::query_as(
        r#"select at, kind, body from question_events
           where region_id = $1 and question_id = $2 and public and body is not null
             and kind in ('interim', 'paused', 'follow_up')
           order by at, id"#,
    )
    .bind(region)
    .bind(question)
    .fetch_all(db)
    .await
}

/// Turns the link off for good; false when it was not a live link.
pub async fn revoke(
    db: &mut PgConnection,
    region: RegionId,
    token_hash: &[u8],
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        r#"update resident_submissions set link_revoked_at = now()
           where region_id = $1 and status_token_hash = $2 and link_revoked_at is null"#,
    )
    .bind(region)
    .bind(token_hash)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// What the question's screen shows of a resident's submission: the consent as given, and
/// whether the resident's link still works.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Consent {
    pub consent_text: String,
    pub consent_at: DateTime<Utc>,
    pub link_revoked_at: Option<DateTime<Utc>>,
}

pub async fn consent(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
) -> Result<Option<Consent>, sqlx::Error> {
    sqlx::query_as(
        r#"select consent_text, consent_at, link_revoked_at from resident_submissions
           where region_id = $1 and question_id = $2"#,
    )
    .bind(region)
    .bind(question)
    .fetch_optional(db)
    .await
}

/// Writes a letter to the resident of a question from the site, in the caller's transaction,
/// when they gave an e-mail; returns whether one was written.
pub async fn add_letter(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
    kind: &str,
    body: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        r#"insert into resident_letters (region_id, question_id, kind, body)
           select q.region_id, q.id, $3, $4 from questions q
           join resident_submissions s on s.region_id = q.region_id and s.question_id = q.id
           where q.region_id = $1 and q.id = $2 and q.author_contact like '%@%'"#,
    )
    .bind(region)
    .bind(question)
    .bind(kind)
    .bind(body)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// A letter due, with where and in which language it goes.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub question_id: i64,
    pub kind: String,
    pub body: String,
    pub attempts: i32,
    pub email: Option<String>,
    pub locale: String,
    pub organization: String,
}

/// Takes up to `limit` letters due, every region's, holding them for `lease_seconds`.
pub async fn claim_letters(
    db: &PgPool,
    limit: i64,
    lease_seconds: f64,
) -> Result<Vec<Letter>, sqlx::Error> {
    sqlx::query_as(
        r#"with due as (
               select id from resident_letters where sent_at is null and next_attempt_at <= now()
               order by next_attempt_at, id limit $1 for update skip locked)
           update resident_letters l set next_attempt_at = now() + make_interval(secs => $2),
                  attempts = l.attempts + 1
           from due, questions q, resident_submissions s, organizations o
           where l.id = due.id and q.region_id = l.region_id and q.id = l.question_id
             and s.region_id = q.region_id and s.question_id = q.id
             and o.region_id = q.region_id and o.id = q.organization_id
           returning l.id, l.question_id, l.kind, l.body, l.attempts, q.author_contact as email, s.locale,
                     o.name as organization"#,
    )
    .bind(limit)
    .bind(lease_seconds)
    .fetch_all(db)
    .await
}

pub async fn letter_sent(db: &PgPool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update resident_letters set sent_at = now(), last_error = null where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A letter that could not go: tried again after `wait_seconds`, or never when `give_up`.
pub async fn letter_failed(
    db: &PgPool,
    id: i64,
    error: &str,
    wait_seconds: f64,
    give_up: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update resident_letters set last_error = $2,
               next_attempt_at = case when $4 then 'infinity'::timestamptz else now() + make_interval(secs => $3) end
           where id = $1"#,
    )
    .bind(id)
    .bind(error)
    .bind(wait_seconds)
    .bind(give_up)
    .execute(db)
    .await?;
    Ok(())
}
