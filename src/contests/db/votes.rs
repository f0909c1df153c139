//! Votes: cast once per voter and nomination, confirmed by an e-mail code where the contest
//! asks for it, counted without the voided, and seen by the admin per hour and per network.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::ids::{PageId, RegionId};

pub struct NewVote<'a> {
    pub contest: i64,
    pub nomination: i64,
    pub page: PageId,
    pub voter: &'a [u8],
    pub address_block: Option<&'a str>,
    pub email_hash: Option<&'a [u8]>,
    pub code_hash: Option<&'a [u8]>,
}

/// What came of casting a vote.
#[derive(Debug, PartialEq, Eq)]
pub enum Cast {
    Counted,
    /// This voter, or this e-mail, already voted in the nomination.
    Already,
}

pub async fn cast(
    db: &mut PgConnection,
    region: RegionId,
    v: &NewVote<'_>,
) -> Result<Cast, sqlx::Error> {
    let done = sqlx::query(
        r#"insert into contest_votes (region_id, contest_id, nomination_id, page_id, voter_hash, address_block,
               email_hash, code_hash)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict do nothing"#,
    )
    .bind(region)
    .bind(v.contest)
    .bind(v.nomination)
    .bind(v.page)
    .bind(v.voter)
    .bind(v.address_block)
    .bind(v.email_hash)
    .bind(v.code_hash)
    .execute(db)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Cast::Counted
    } else {
        Cast::Already
    })
}

/// Confirms the voter's unconfirmed votes in the contest that the code was sent for;
/// returns how many.
pub async fn confirm(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    voter: &[u8],
    code_hash: &[u8],
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        r#"update contest_votes set confirmed_at = now()
           where region_id = $1 and contest_id = $2 and voter_hash = $3 and code_hash = $4
             and confirmed_at is null and voided_at is null
             and cast_at > now() - interval '1 day'"#,
    )
    .bind(region)
    .bind(contest)
    .bind(voter)
    .bind(code_hash)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// The voter's own votes in the contest: nomination, page, confirmed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Mine {
    pub nomination_id: i64,
    pub page_id: PageId,
    pub confirmed: bool,
}

pub async fn mine(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    voter: &[u8],
) -> Result<Vec<Mine>, sqlx::Error> {
    sqlx::query_as(
        r#"select nomination_id, page_id, confirmed_at is not null as confirmed from contest_votes
           where region_id = $1 and contest_id = $2 and voter_hash = $3"#,
    )
    .bind(region)
    .bind(contest)
    .bind(voter)
    .fetch_all(db)
    .await
}

/// Votes that count, per nominee.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Tally {
    pub nomination_id: i64,
    pub page_id: PageId,
    pub votes: i64,
}

pub async fn tally(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
) -> Result<Vec<Tally>, sqlx::Error> {
    sqlx::query_as(
        r#"select v.nomination_id, v.page_id, count(*) as votes
           from contest_votes v join contests c on c.region_id = v.region_id and c.id = v.contest_id
           where v.region_id = $1 and v.contest_id = $2 and v.voided_at is null
             and (not c.email_confirmation or v.confirmed_at is not null)
           group by v.nomination_id, v.page_id"#,
    )
    .bind(region)
    .bind(contest)
    .fetch_all(db)
    .await
}

/// Votes in one hour or from one network: all cast, and how many of them were voided.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Bucket {
    pub label: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub votes: i64,
    pub voided: i64,
}

/// Votes per hour of the region's clock.
pub async fn per_hour(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    time_zone: &str,
) -> Result<Vec<Bucket>, sqlx::Error> {
    sqlx::query_as(
        r#"select to_char(date_trunc('hour', cast_at at time zone $3), 'DD.MM.YYYY HH24:00') as label,
                  min(cast_at) as starts, max(cast_at) as ends,
                  count(*) as votes, count(voided_at) as voided
           from contest_votes where region_id = $1 and contest_id = $2
           group by date_trunc('hour', cast_at at time zone $3)
           order by date_trunc('hour', cast_at at time zone $3)"#,
    )
    .bind(region)
    .bind(contest)
    .bind(time_zone)
    .fetch_all(db)
    .await
}

/// The networks that voted most, with the first and last vote of each.
pub async fn per_block(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    limit: i64,
) -> Result<Vec<Bucket>, sqlx::Error> {
    sqlx::query_as(
        r#"select coalesce(address_block, '—') as label, min(cast_at) as starts, max(cast_at) as ends,
                  count(*) as votes, count(voided_at) as voided
           from contest_votes where region_id = $1 and contest_id = $2
           group by address_block order by count(*) desc, address_block limit $3"#,
    )
    .bind(region)
    .bind(contest)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Voids the votes a network cast in a span of time; returns how many.
pub async fn void(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    block: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        r#"update contest_votes set voided_at = now(), void_reason = $6
           where region_id = $1 and contest_id = $2 and address_block = $3
             and cast_at >= $4 and cast_at <= $5 and voided_at is null"#,
    )
    .bind(region)
    .bind(contest)
    .bind(block)
    .bind(from)
    .bind(to)
    .bind(reason)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}
