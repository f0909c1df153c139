//! The SQL of page contests: the contest and its nominations, the nominees, votes, and what
//! the admin and the public see of them.

pub mod votes;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::ids::{OrgId, PageId, RegionId, UserId};

/// The most nominees one nomination takes from a sector.
pub const SECTOR_NOMINEES: i64 = 500;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Contest {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub voting_starts_at: DateTime<Utc>,
    pub voting_ends_at: DateTime<Utc>,
    pub email_confirmation: bool,
    pub results_published_at: Option<DateTime<Utc>>,
    pub badge_until: Option<NaiveDate>,
}

impl Contest {
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.voting_starts_at <= now && now < self.voting_ends_at
    }

    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        now >= self.voting_ends_at
    }
}

pub struct NewContest {
    pub title: String,
    pub description: String,
    pub voting_starts_at: DateTime<Utc>,
    pub voting_ends_at: DateTime<Utc>,
    pub email_confirmation: bool,
    pub badge_until: Option<NaiveDate>,
}

const CONTEST: &str = "select id, title, description, voting_starts_at, voting_ends_at, email_confirmation, \
     results_published_at, badge_until from contests";

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    c: &NewContest,
    by: UserId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into contests (region_id, title, description, voting_starts_at, voting_ends_at,
               email_confirmation, badge_until, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id"#,
    )
    .bind(region)
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.voting_starts_at)
    .bind(c.voting_ends_at)
    .bind(c.email_confirmation)
    .bind(c.badge_until)
    .bind(by)
    .fetch_one(db)
    .await
}

/// The region's contests, the latest first.
pub async fn list(db: &mut PgConnection, region: RegionId) -> Result<Vec<Contest>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CONTEST} where region_id = $1 order by voting_starts_at desc, id desc"
    ))
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<Contest>, sqlx::Error> {
    sqlx::query_as(&format!("{CONTEST} where region_id = $1 and id = $2"))
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Results are public from now on; false when the voting has not ended or they already are.
pub async fn publish(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        r#"update contests set results_published_at = now()
           where region_id = $1 and id = $2 and voting_ends_at <= now() and results_published_at is null"#,
    )
    .bind(region)
    .bind(id)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Nomination {
    pub id: i64,
    pub title: String,
    pub sector: Option<String>,
    pub nominees: i64,
}

pub async fn nominations(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
) -> Result<Vec<Nomination>, sqlx::Error> {
    sqlx::query_as(
        r#"select n.id, n.title, s.name as sector,
                  (select count(*) from contest_nominees x where x.nomination_id = n.id) as nominees
           from contest_nominations n
           left join sectors s on s.region_id = n.region_id and s.id = n.sector_id
           where n.region_id = $1 and n.contest_id = $2
           order by n.position, n.id"#,
    )
    .bind(region)
    .bind(contest)
    .fetch_all(db)
    .await
}

/// A nomination and its nominees in one transaction; the nominees from a sector are its
/// organizations' pages at this moment (the list does not change under the voters).
pub async fn add_nomination(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    title: &str,
    sector: Option<i64>,
    pages: &[PageId],
) -> Result<(i64, u64), sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        r#"insert into contest_nominations (region_id, contest_id, title, sector_id, position)
           values ($1, $2, $3, $4,
                   (select coalesce(max(position), 0) + 1 from contest_nominations where region_id = $1 and contest_id = $2))
           returning id"#,
    )
    .bind(region)
    .bind(contest)
    .bind(title)
    .bind(sector)
    .fetch_one(&mut *db)
    .await?;
    let added = match sector {
        Some(sector) => sqlx::query(
            r#"insert into contest_nominees (region_id, nomination_id, page_id)
               select p.region_id, $2, p.id from pages p
               join organizations o on o.region_id = p.region_id and o.id = p.organization_id
               join organization_sectors os on os.region_id = o.region_id and os.organization_id = o.id
               where p.region_id = $1 and os.sector_id = $3 and o.archived_at is null and not o.exempt
               order by (p.mark_status = 'granted') desc, o.name, p.id
               limit $4"#,
        )
        .bind(region)
        .bind(id)
        .bind(sector)
        .bind(SECTOR_NOMINEES)
        .execute(&mut *db)
        .await?
        .rows_affected(),
        None => sqlx::query(
            r#"insert into contest_nominees (region_id, nomination_id, page_id)
               select $1, $2, unnest($3::bigint[]) on conflict do nothing"#,
        )
        .bind(region)
        .bind(id)
        .bind(pages)
        .execute(&mut *db)
        .await?
        .rows_affected(),
    };
    Ok((id, added))
}

/// A nominee as the contest page shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Nominee {
    pub nomination_id: i64,
    pub page_id: PageId,
    pub organization_id: OrgId,
    pub organization: String,
    pub platform: String,
    pub url: String,
    pub title: Option<String>,
    pub verified: bool,
}

pub async fn nominees(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
) -> Result<Vec<Nominee>, sqlx::Error> {
    sqlx::query_as(
        r#"select x.nomination_id, p.id as page_id, o.id as organization_id, o.name as organization,
                  p.platform, p.url, p.title, p.mark_status = 'granted' as verified
           from contest_nominations n
           join contest_nominees x on x.nomination_id = n.id
           join pages p on p.region_id = x.region_id and p.id = x.page_id
           join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where n.region_id = $1 and n.contest_id = $2
           order by n.position, n.id, o.name, p.id"#,
    )
    .bind(region)
    .bind(contest)
    .fetch_all(db)
    .await
}

/// Whether the page is a nominee of that nomination of the contest.
pub async fn is_nominee(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    nomination: i64,
    page: PageId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        r#"select exists (select 1 from contest_nominations n join contest_nominees x on x.nomination_id = n.id
                          where n.region_id = $1 and n.contest_id = $2 and n.id = $3 and x.page_id = $4)"#,
    )
    .bind(region)
    .bind(contest)
    .bind(nomination)
    .bind(page)
    .fetch_one(db)
    .await
}

/// Contests an organization's page won whose badge still shows on `today`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Award {
    pub contest_id: i64,
    pub contest: String,
    pub nomination: String,
}

pub async fn awards(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
    today: NaiveDate,
) -> Result<Vec<Award>, sqlx::Error> {
    sqlx::query_as(
        r#"with counted as (
               select v.nomination_id, v.page_id, count(*) as votes
               from contests c join contest_votes v on v.region_id = c.region_id and v.contest_id = c.id
               where c.region_id = $1 and c.results_published_at is not null and c.badge_until >= $3
                 and v.voided_at is null and (not c.email_confirmation or v.confirmed_at is not null)
               group by v.nomination_id, v.page_id),
           best as (
               select nomination_id, page_id, votes, max(votes) over (partition by nomination_id) as top
               from counted)
           select distinct c.id as contest_id, c.title as contest, n.title as nomination
           from best b
           join contest_nominations n on n.id = b.nomination_id
           join contests c on c.region_id = n.region_id and c.id = n.contest_id
           join pages p on p.region_id = n.region_id and p.id = b.page_id
           where b.votes = b.top and p.organization_id = $2
           order by c.id desc, n.title"#,
    )
    .bind(region)
    .bind(org)
    .bind(today)
    .fetch_all(db)
    .await
}

/// The installation's key for a purpose, made on first use; every instance reads the same.
pub async fn signing_key(
    db: &sqlx::PgPool,
    purpose: &str,
    fresh: &[u8],
) -> Result<Vec<u8>, sqlx::Error> {
    sqlx::query("insert into signing_keys (purpose, key) values ($1, $2) on conflict do nothing")
        .bind(purpose)
        .bind(fresh)
        .execute(db)
        .await?;
    sqlx::query_scalar("select key from signing_keys where purpose = $1")
        .bind(purpose)
        .fetch_one(db)
        .await
}
