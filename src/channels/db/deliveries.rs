//! SQL of the outbox: deliveries written with the answer they carry, claimed by workers of any
//! region (as the schema's owner), each sent part recorded in one statement.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::ids::{PageId, QuestionId, RegionId, UserId};

/// The connection an answer to a question from `page` on `platform` goes back through: the
/// live one, else the latest (so a disconnected page's answer fails with a reason instead of
/// vanishing).
pub async fn route(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    platform: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select id from channel_connections where region_id = $1 and page_id = $2 and platform = $3
           order by revoked_at is null desc, id desc limit 1"#,
    )
    .bind(region)
    .bind(page)
    .bind(platform)
    .fetch_optional(db)
    .await
}

pub struct NewDelivery<'a> {
    pub question: QuestionId,
    pub connection: i64,
    pub kind: &'a str,
    pub parts: &'a [String],
    pub by: Option<UserId>,
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    new: &NewDelivery<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into channel_deliveries (region_id, question_id, connection_id, kind, parts, created_by)
           values ($1, $2, $3, $4, $5, $6) returning id"#,
    )
    .bind(region)
    .bind(new.question)
    .bind(new.connection)
    .bind(new.kind)
    .bind(new.parts)
    .bind(new.by)
    .fetch_one(db)
    .await
}

/// A delivery claimed for sending, with what sending it needs.
#[derive(sqlx::FromRow)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub region_id: RegionId,
    pub question_id: QuestionId,
    pub connection_id: i64,
    pub parts: Vec<String>,
    pub sent_parts: i32,
    pub remote_ids: Vec<String>,
    pub attempts: i32,
    pub external_id: Option<String>,
    pub group_id: Option<i64>,
    pub token_sealed: Option<Vec<u8>>,
    pub revoked: bool,
}

/// Claims deliveries due in every region for `lease_seconds`, oldest first.
pub async fn claim(
    db: &PgPool,
    limit: i64,
    lease_seconds: f64,
) -> Result<Vec<ClaimedDelivery>, sqlx::Error> {
    sqlx::query_as(
        r#"with claimed as (
               update channel_deliveries d set claimed_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
               where d.id in (select id from channel_deliveries
                              where status = 'pending' and next_attempt_at <= now()
                                and (claimed_until is null or claimed_until < now())
                              order by id limit $1 for update skip locked)
               returning d.*)
           select d.id, d.region_id, d.question_id, d.connection_id, d.parts, d.sent_parts, d.remote_ids, d.attempts,
                  q.external_id, c.group_id, c.token_sealed, c.revoked_at is not null as revoked
           from claimed d
           join questions q on q.id = d.question_id
           join channel_connections c on c.id = d.connection_id
           order by d.id"#,
    )
    .bind(limit)
    .bind(lease_seconds)
    .fetch_all(db)
    .await
}

/// Records that the platform took part `part`, in one statement right after it answered, and
/// renews the lease for the next part. False when the delivery is no longer this worker's to
/// record (another took it over after the lease ran out and got further).
pub async fn part_sent(
    db: &PgPool,
    delivery: i64,
    part: i32,
    remote_id: &str,
    lease_seconds: f64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        r#"update channel_deliveries set sent_parts = $2 + 1, remote_ids = remote_ids || $3,
                  claimed_until = now() + make_interval(secs => $4)
           where id = $1 and sent_parts = $2 and status = 'pending'"#,
    )
    .bind(delivery)
    .bind(part)
    .bind(remote_id)
    .bind(lease_seconds)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// Every part sent: the delivery is done. False when it was already recorded.
pub async fn delivered(
    db: &mut PgConnection,
    region: RegionId,
    delivery: i64,
    remote_url: Option<&str>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        r#"update channel_deliveries set status = 'delivered', delivered_at = now(), remote_url = $3,
                  claimed_until = null, error = null
           where region_id = $1 and id = $2 and status = 'pending'"#,
    )
    .bind(region)
    .bind(delivery)
    .bind(remote_url)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// Refused for good: the reason stays until someone retries.
pub async fn failed(
    db: &mut PgConnection,
    region: RegionId,
    delivery: i64,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        r#"update channel_deliveries set status = 'failed', failed_at = now(), error = $3, claimed_until = null
           where region_id = $1 and id = $2 and status = 'pending'"#,
    )
    .bind(region)
    .bind(delivery)
    .bind(reason)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// Not now: tried again after `retry_in_seconds`, the reason shown meanwhile.
pub async fn postpone(
    db: &PgPool,
    delivery: i64,
    reason: &str,
    retry_in_seconds: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update channel_deliveries set claimed_until = null, error = $2,
                  next_attempt_at = now() + make_interval(secs => $3)
           where id = $1 and status = 'pending'"#,
    )
    .bind(delivery)
    .bind(reason)
    .bind(retry_in_seconds)
    .execute(db)
    .await?;
    Ok(())
}

/// A delivery the platform refused is tried again at once (from the part it stopped at).
pub async fn retry(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
    delivery: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        r#"update channel_deliveries set status = 'pending', next_attempt_at = now(), attempts = 0,
                  failed_at = null, claimed_until = null
           where region_id = $1 and question_id = $2 and id = $3 and status = 'failed'"#,
    )
    .bind(region)
    .bind(question)
    .bind(delivery)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// A delivery as the question shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub platform: String,
    pub kind: String,
    pub parts: i64,
    pub sent_parts: i32,
    pub status: String,
    pub attempts: i32,
    pub error: Option<String>,
    pub remote_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
}

pub async fn for_question(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(
        r#"select d.id, c.platform, d.kind, cardinality(d.parts)::bigint as parts, d.sent_parts, d.status, d.attempts,
                  d.error, d.remote_url, d.created_at, d.delivered_at, d.failed_at, d.next_attempt_at
           from channel_deliveries d join channel_connections c on c.region_id = d.region_id and c.id = d.connection_id
           where d.region_id = $1 and d.question_id = $2 order by d.id"#,
    )
    .bind(region)
    .bind(question)
    .fetch_all(db)
    .await
}

/// Whether a comment the community wrote under a question is one of our own deliveries
/// coming back from the platform (VK reports every comment, ours too).
pub async fn is_ours(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
    text: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select 1 from channel_deliveries where region_id = $1 and question_id = $2 and $3 = any(parts))",
    )
    .bind(region)
    .bind(question)
    .bind(text)
    .fetch_one(db)
    .await
}
