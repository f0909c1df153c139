//! SQL of the weekly digest: who is furthest behind, and the Monday mailing claimed once per
//! region and week with the coordinators it goes to.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Laggard {
    pub id: i64,
    pub name: String,
    pub overdue: i64,
}

/// The organizations of the scope (`None`: the region) with the most questions overdue at
/// `now`.
pub async fn laggards(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Laggard>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.id, o.name, count(*) as overdue
           from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
             and q.due_at <= $3
           group by o.id, o.name order by count(*) desc, o.name limit $4"#,
    )
    .bind(region)
    .bind(ids)
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
pub struct RegionZone {
    pub id: RegionId,
    pub slug: String,
    pub time_zone: String,
}

/// Every region with its zone: each gets its digest on its own Monday morning.
pub async fn regions(db: &mut PgConnection) -> Result<Vec<RegionZone>, sqlx::Error> {
    sqlx::query_as("select id, slug, time_zone from regions order by id")
        .fetch_all(db)
        .await
}

/// Claims the region's digest of a week; false when another run already has. The claim holds
/// only if the transaction commits, so a failed send lets the next run try again.
pub async fn claim(
    db: &mut PgConnection,
    region: RegionId,
    week: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let claimed: Option<RegionId> = sqlx::query_scalar(
        "insert into digest_mailings (region_id, week) values ($1, $2) on conflict do nothing returning region_id",
    )
    .bind(region)
    .bind(week)
    .fetch_optional(db)
    .await?;
    Ok(claimed.is_some())
}

pub async fn set_recipients(
    db: &mut PgConnection,
    region: RegionId,
    week: NaiveDate,
    recipients: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query("update digest_mailings set recipients = $3 where region_id = $1 and week = $2")
        .bind(region)
        .bind(week)
        .bind(recipients)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct Coordinator {
    pub email: String,
    pub locale: String,
    pub municipality_id: Option<i64>,
    pub organization_id: Option<i64>,
}

/// The region's enabled coordinators, one row per coordinating membership.
pub async fn coordinators(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<Coordinator>, sqlx::Error> {
    sqlx::query_as(
        r#"select u.email, u.locale, m.municipality_id, m.organization_id
           from memberships m join users u on u.id = m.user_id and u.disabled_at is null
           where m.region_id = $1 and m.role = 'coordinator'
           order by u.email"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}
