//! The statements that move a question through its workflow, one per action, each on a row
//! the caller has locked (`db::lock`) in the same transaction as its timeline entry.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::ids::{QuestionId, RegionId, UserId};
use crate::web::forms::{SelectOption, like_pattern};

pub async fn assign(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    assignee: i64,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update questions set assignee_id = $3, status = $4, updated_at = now() where region_id = $1 and id = $2")
        .bind(region)
        .bind(q)
        .bind(assignee)
        .bind(status)
        .execute(db)
        .await?;
    Ok(())
}

/// An answer kept for the head's approval; a comment from an earlier return is cleared.
pub async fn save_draft(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    text: &str,
    kind: &str,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update questions set draft_answer = $3, draft_kind = $4, draft_by = $5, draft_returned_comment = null,
                  answer_rev = answer_rev + 1, status = 'in_progress', updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q)
    .bind(text)
    .bind(kind)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

/// The head sends a draft back with a comment; the draft stays for the editor to rework.
pub async fn return_draft(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    comment: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update questions set draft_returned_comment = $3, answer_rev = answer_rev + 1, updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(q)
    .bind(comment)
    .execute(db)
    .await?;
    Ok(())
}

/// A published answer. An interim one only stops the first-response clock; a final one
/// answers. `waited` is the resident's wait in working minutes, less their own.
#[allow(clippy::too_many_arguments)]
pub async fn publish(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    text: &str,
    interim: bool,
    author: UserId,
    status: &str,
    waited: i32,
) -> Result<(), sqlx::Error> {
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
    .bind(q)
    .bind(text)
    .bind(interim)
    .bind(author)
    .bind(status)
    .bind(waited)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn pause(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update questions set paused_at = $3, status = 'in_progress', updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(q)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn resume(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    waited_minutes: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update questions set paused_at = null, paused_minutes = paused_minutes + $3 where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(q)
    .bind(waited_minutes)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn reject(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    reason: &str,
    comment: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update questions set status = 'rejected', resolution_reason = $3, resolution_comment = $4,
                  closed_at = now(), paused_at = null, updated_at = now() where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q)
    .bind(reason)
    .bind(comment)
    .execute(db)
    .await?;
    Ok(())
}

/// The status of a question named as the original of a duplicate, and its own original if it
/// is a duplicate itself.
pub async fn original_of(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<(String, Option<QuestionId>)>, sqlx::Error> {
    sqlx::query_as("select status, duplicate_of from questions where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn mark_duplicate(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    original: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update questions set status = 'duplicate', duplicate_of = $3, closed_at = now(), paused_at = null,
                  updated_at = now() where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q)
    .bind(original)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn close(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
) -> Result<(), sqlx::Error> {
    sqlx::query("update questions set status = 'closed', closed_at = now(), updated_at = now() where region_id = $1 and id = $2")
        .bind(region)
        .bind(q)
        .execute(db)
        .await?;
    Ok(())
}

/// A repeat complaint: the answer and its times are cleared and the question counts once more.
pub async fn reopen(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update questions set status = 'in_progress', reopen_count = reopen_count + 1, answer = null,
                  answered_at = null, answered_by = null, first_response_at = null, closed_at = null,
                  first_response_minutes = null, answer_minutes = null,
                  answer_rev = answer_rev + 1
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q)
    .execute(db)
    .await?;
    Ok(())
}

/// The name of an organization a question may be transferred to, and whether it is archived.
/// Another region's organization does not exist here.
pub async fn transfer_target(
    db: &mut PgConnection,
    region: RegionId,
    org: i64,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "select name, archived_at is not null from organizations where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(org)
    .fetch_optional(db)
    .await
}

/// Hands the question to another organization as a new one; the first response survives only
/// when the region's rule keeps the clock.
pub async fn transfer(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    to: i64,
    keeps_clock: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update questions set organization_id = $3,
                  previous_organization_ids = array_append(previous_organization_ids, organization_id),
                  transfer_count = transfer_count + 1, status = 'new', assignee_id = null, paused_at = null,
                  draft_answer = null, draft_kind = null, draft_by = null, draft_returned_comment = null,
                  first_response_at = case when $4 then first_response_at end, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(q)
    .bind(to)
    .bind(keeps_clock)
    .execute(db)
    .await?;
    Ok(())
}

/// Organizations of the region matching a name, INN or OGRN, for the transfer form.
pub async fn transfer_candidates(
    db: &mut PgConnection,
    region: RegionId,
    current: crate::ids::OrgId,
    find: &str,
) -> Result<Vec<SelectOption>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, name from organizations
           where region_id = $1 and archived_at is null and id <> $2
             and (lower(name) like $3 or lower(coalesce(short_name, '')) like $3 or inn = $4 or ogrn = $4)
           order by name, id limit 20"#,
    )
    .bind(region)
    .bind(current)
    .bind(like_pattern(find))
    .bind(find.trim())
    .fetch_all(db)
    .await
}

/// The resident changed their words on the platform: the text is replaced, the old one kept
/// on the timeline by the caller.
pub async fn edit_body(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update questions set body = $3, updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(q)
    .bind(body)
    .execute(db)
    .await?;
    Ok(())
}

/// The resident deleted their comment: an open question leaves the inbox and its clocks.
/// False when the question was no longer open (it keeps its state; the timeline says it).
pub async fn withdraw(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        r#"update questions set status = 'withdrawn', closed_at = now(), paused_at = null, updated_at = now()
           where region_id = $1 and id = $2 and status in ('new', 'in_progress')"#,
    )
    .bind(region)
    .bind(q)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// The organization answered directly on the platform at `at`: the question is answered
/// (both clocks stop) with no author in the system. `waited` is in working minutes.
pub async fn answer_on_platform(
    db: &mut PgConnection,
    region: RegionId,
    q: QuestionId,
    text: &str,
    at: DateTime<Utc>,
    waited: i32,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        r#"update questions set
               first_response_at = coalesce(first_response_at, $4),
               first_response_minutes = coalesce(first_response_minutes, $5),
               answer_minutes = $5, answer = $3, answered_at = $4, answered_by = null,
               status = 'answered', paused_at = null, answer_rev = answer_rev + 1, updated_at = now()
           where region_id = $1 and id = $2 and status in ('new', 'in_progress')"#,
    )
    .bind(region)
    .bind(q)
    .bind(text)
    .bind(at)
    .bind(waited)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}
