//! SQL of connections and the events they deliver. The webhook finds its connection by the
//! token in its address before it knows the region, and the worker claims events of every
//! region: those two run as the schema's owner; everything else in the region's transaction.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::ids::{OrgId, PageId, QuestionId, RegionId, UserId};

pub mod collection;
pub mod deliveries;

pub struct NewConnection<'a> {
    pub page: PageId,
    pub platform: &'a str,
    pub hook_token: &'a str,
    pub group_id: Option<i64>,
    pub confirmation: Option<&'a str>,
    pub secret_hash: Option<Vec<u8>>,
    pub token_sealed: Option<Vec<u8>>,
    pub events: &'a [&'a str],
    pub created_by: Option<UserId>,
}

/// A page's platform and organization, or None when the page is not the region's.
pub async fn page_of(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
) -> Result<Option<(String, OrgId, String)>, sqlx::Error> {
    sqlx::query_as(
        "select platform, organization_id, url from pages where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(page)
    .fetch_optional(db)
    .await
}

/// Stops a page's live connection at once: its webhook address answers 404 from now on.
/// Returns the connection revoked, if there was one.
pub async fn revoke(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    platform: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "update channel_connections set revoked_at = now() where region_id = $1 and page_id = $2 and platform = $3 and revoked_at is null returning id",
    )
    .bind(region)
    .bind(page)
    .bind(platform)
    .fetch_optional(db)
    .await
}

/// A page's live connection to a platform is replaced by a new one: the old webhook stops.
pub async fn replace_connection(
    db: &mut PgConnection,
    region: RegionId,
    new: &NewConnection<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "update channel_connections set revoked_at = now() where region_id = $1 and page_id = $2 and platform = $3 and revoked_at is null",
    )
    .bind(region)
    .bind(new.page)
    .bind(new.platform)
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar(
        r#"insert into channel_connections (region_id, page_id, platform, hook_token, group_id, confirmation,
                                            secret_hash, token_sealed, events, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id"#,
    )
    .bind(region)
    .bind(new.page)
    .bind(new.platform)
    .bind(new.hook_token)
    .bind(new.group_id)
    .bind(new.confirmation)
    .bind(&new.secret_hash)
    .bind(&new.token_sealed)
    .bind(new.events)
    .bind(new.created_by)
    .fetch_one(db)
    .await
}

/// A connection as its webhook needs it.
#[derive(sqlx::FromRow)]
pub struct HookTarget {
    pub id: i64,
    pub region_id: RegionId,
    pub platform: String,
    pub group_id: Option<i64>,
    pub confirmation: Option<String>,
    pub secret_hash: Option<Vec<u8>>,
}

/// The live connection a webhook address names (as the owner: the region is not known yet).
pub async fn hook_target(
    db: &PgPool,
    platform: &str,
    token: &str,
) -> Result<Option<HookTarget>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, region_id, platform, group_id, confirmation, secret_hash
           from channel_connections where hook_token = $1 and platform = $2 and revoked_at is null"#,
    )
    .bind(token)
    .bind(platform)
    .fetch_optional(db)
    .await
}

/// Stores an event once: false when the platform delivered it before. One statement, so
/// concurrent deliveries of one connection never wait on each other.
pub async fn record_event(
    db: &PgPool,
    target: &HookTarget,
    event_key: &str,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        r#"insert into channel_events (region_id, connection_id, event_key, kind, payload)
           values ($1, $2, $3, $4, $5) on conflict on constraint channel_events_key do nothing"#,
    )
    .bind(target.region_id)
    .bind(target.id)
    .bind(event_key)
    .bind(kind)
    .bind(payload)
    .execute(db)
    .await?
    .rows_affected()
        == 1;
    Ok(inserted)
}

/// «Last event at» moves at most once a second: at a hundred events a second, updating the
/// connection's row for each would make every delivery wait for the previous one's lock.
pub async fn heard_from(db: &PgPool, connection: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update channel_connections set last_event_at = now()
           where id = $1 and (last_event_at is null or last_event_at < now() - interval '1 second')"#,
    )
    .bind(connection)
    .execute(db)
    .await?;
    Ok(())
}

/// An event claimed for processing.
#[derive(sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub region_id: RegionId,
    pub connection_id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
}

/// Claims events due for processing in every region, for `lease_seconds`: another worker
/// skips them, and they come back if this one dies before finishing.
pub async fn claim(
    db: &PgPool,
    limit: i64,
    lease_seconds: f64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query_as(
        r#"update channel_events e set claimed_until = now() + make_interval(secs => $2), attempts = e.attempts + 1
           where e.id in (select id from channel_events
                          where processed_at is null and next_attempt_at <= now()
                            and (claimed_until is null or claimed_until < now())
                          order by id limit $1 for update skip locked)
           returning e.id, e.region_id, e.connection_id, e.kind, e.payload, e.attempts"#,
    )
    .bind(limit)
    .bind(lease_seconds)
    .fetch_all(db)
    .await
}

/// The page and organization a connection files questions for.
#[derive(sqlx::FromRow)]
pub struct ConnectionPage {
    pub platform: String,
    /// The event types that become questions.
    pub events: Vec<String>,
    pub page_id: PageId,
    pub organization_id: OrgId,
    pub group_id: Option<i64>,
}

pub async fn connection_page(
    db: &mut PgConnection,
    region: RegionId,
    connection: i64,
) -> Result<Option<ConnectionPage>, sqlx::Error> {
    sqlx::query_as(
        r#"select c.platform, c.events, c.page_id, p.organization_id, c.group_id
           from channel_connections c join pages p on p.region_id = c.region_id and p.id = c.page_id
           where c.region_id = $1 and c.id = $2"#,
    )
    .bind(region)
    .bind(connection)
    .fetch_optional(db)
    .await
}

/// Done with an event: what came of it, in the transaction that did it.
pub async fn finish(
    db: &mut PgConnection,
    region: RegionId,
    event: i64,
    outcome: &str,
    question: Option<QuestionId>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update channel_events set processed_at = now(), outcome = $3, question_id = $4, claimed_until = null, error = null
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(event)
    .bind(outcome)
    .bind(question)
    .execute(db)
    .await?;
    Ok(())
}

/// An event that could not be processed comes back later; the reason is kept for the admin.
pub async fn postpone(
    db: &PgPool,
    event: i64,
    error: &str,
    retry_in_seconds: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update channel_events set claimed_until = null, error = $2,
                  next_attempt_at = now() + make_interval(secs => $3)
           where id = $1"#,
    )
    .bind(event)
    .bind(error)
    .bind(retry_in_seconds)
    .execute(db)
    .await?;
    Ok(())
}

/// A connection as the card and the command line list it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConnectionRow {
    pub id: i64,
    pub page_id: PageId,
    pub page_url: String,
    pub platform: String,
    pub hook_token: String,
    pub group_id: Option<i64>,
    pub has_token: bool,
    pub created_at: DateTime<Utc>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub failing_since: Option<DateTime<Utc>>,
    pub failure: Option<String>,
    /// Events that could not be made into questions yet, and the latest reason.
    pub stuck_events: i64,
    pub last_error: Option<String>,
}

const CONNECTIONS: &str = r#"select c.id, c.page_id, p.url as page_url, c.platform, c.hook_token, c.group_id,
       c.token_sealed is not null as has_token, c.created_at, c.last_event_at, c.failing_since, c.failure,
       (select count(*) from channel_events e where e.connection_id = c.id and e.processed_at is null and e.attempts > 0) as stuck_events,
       (select e.error from channel_events e where e.connection_id = c.id and e.processed_at is null and e.error is not null
        order by e.id desc limit 1) as last_error
    from channel_connections c join pages p on p.region_id = c.region_id and p.id = c.page_id
    where c.region_id = $1 and c.revoked_at is null"#;

pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<ConnectionRow>, sqlx::Error> {
    sqlx::query_as(&format!("{CONNECTIONS} order by c.page_id, c.platform"))
        .bind(region)
        .fetch_all(db)
        .await
}

pub async fn for_page(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
) -> Result<Vec<ConnectionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CONNECTIONS} and c.page_id = $2 order by c.platform"
    ))
    .bind(region)
    .bind(page)
    .fetch_all(db)
    .await
}

/// A live connection's token, for the card's test button.
#[derive(sqlx::FromRow)]
pub struct TokenOf {
    pub id: i64,
    pub platform: String,
    pub group_id: Option<i64>,
    pub token_sealed: Option<Vec<u8>>,
}

pub async fn token_of(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    platform: &str,
) -> Result<Option<TokenOf>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, platform, group_id, token_sealed from channel_connections
           where region_id = $1 and page_id = $2 and platform = $3 and revoked_at is null"#,
    )
    .bind(region)
    .bind(page)
    .bind(platform)
    .fetch_optional(db)
    .await
}

/// What the platform last said about the connection's token: failing since the first
/// refusal, with its reason, until it works again.
pub async fn record_check(
    db: &mut PgConnection,
    region: RegionId,
    connection: i64,
    failure: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update channel_connections set
               failing_since = case when $3::text is null then null else coalesce(failing_since, now()) end,
               failure = $3
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(connection)
    .bind(failure)
    .execute(db)
    .await?;
    Ok(())
}

/// A connection's sealed token (as the owner: the worker serves every region).
pub async fn connection_token(
    db: &PgPool,
    connection: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, Option<Vec<u8>>>(
        "select token_sealed from channel_connections where id = $1",
    )
    .bind(connection)
    .fetch_optional(db)
    .await?
    .flatten())
}
