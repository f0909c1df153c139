//! The mark's history and the page's current mark, changed together.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::ids::{PageId, RegionId, UserId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MarkEvent {
    pub id: i64,
    pub from_status: String,
    pub status: String,
    pub happened_on: NaiveDate,
    pub recorded_by_name: Option<String>,
    pub correction: bool,
    pub note: Option<String>,
    pub evidence_url: Option<String>,
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn history(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
) -> Result<Vec<MarkEvent>, sqlx::Error> {
    sqlx::query_as(
        r#"select e.id, e.from_status, e.status, e.happened_on, r.name as recorded_by_name, e.correction, e.note,
                  e.evidence_url, c.name as confirmed_by_name, e.confirmed_at, e.created_at
           from page_mark_events e
           left join users r on r.id = e.recorded_by
           left join users c on c.id = e.confirmed_by
           where e.region_id = $1 and e.page_id = $2
           order by e.happened_on desc, e.id desc"#,
    )
    .bind(region)
    .bind(page)
    .fetch_all(db)
    .await
}

pub struct Change<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub on: NaiveDate,
    pub correction: bool,
    pub note: Option<&'a str>,
    pub evidence_url: Option<&'a str>,
}

pub async fn record(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    user: Option<UserId>,
    c: &Change<'_>,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar(
        r#"insert into page_mark_events (region_id, page_id, from_status, status, happened_on, recorded_by, correction, note, evidence_url)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id"#,
    )
    .bind(region)
    .bind(page)
    .bind(c.from)
    .bind(c.to)
    .bind(c.on)
    .bind(user)
    .bind(c.correction)
    .bind(c.note)
    .bind(c.evidence_url)
    .fetch_one(&mut *db)
    .await?;
    sqlx::query("update pages set mark_status = $3, mark_since = $4, updated_at = now() where region_id = $1 and id = $2")
        .bind(region)
        .bind(page)
        .bind(c.to)
        .bind(c.on)
        .execute(db)
        .await?;
    Ok(id)
}

/// An admin or coordinator confirms the latest recorded change.
pub async fn confirm_latest(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    user: UserId,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        r#"update page_mark_events set confirmed_by = $3, confirmed_at = now()
           where id = (select id from page_mark_events where region_id = $1 and page_id = $2
                       order by happened_on desc, id desc limit 1)
           returning id"#,
    )
    .bind(region)
    .bind(page)
    .bind(user)
    .fetch_optional(db)
    .await
}
