//! The kit's own SQL: sessions, the signed-in user with their memberships, and the region a
//! path names. Installation-wide rows, read outside row-level security: they decide which
//! region a request may enter in the first place.

use std::time::Duration;

use sqlx::PgPool;

use crate::ids::{RegionId, UserId};
use crate::web::access::{MembershipRow, Region, User};

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: Vec<u8>,
    pub user_id: Option<UserId>,
    pub csrf_token: String,
    pub flash: Option<String>,
    /// Last seen longer ago than the touch interval: worth writing the new time.
    pub stale: bool,
}

/// A session within its idle and absolute timeouts, in the database's clock, whose user is
/// still enabled and has not changed their password since it began.
pub async fn live_session(
    db: &PgPool,
    id_hash: &[u8],
    idle: Duration,
    max: Duration,
    touch_every: Duration,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as::<_, SessionRow>(
        r#"select s.id_hash, s.user_id, s.csrf_token, s.flash,
                  s.last_seen_at < now() - make_interval(secs => $4) as stale
           from sessions s
           left join users u on u.id = s.user_id
           where s.id_hash = $1
             and s.last_seen_at > now() - make_interval(secs => $2)
             and s.created_at > now() - make_interval(secs => $3)
             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at))"#,
    )
    .bind(id_hash)
    .bind(idle.as_secs_f64())
    .bind(max.as_secs_f64())
    .bind(touch_every.as_secs_f64())
    .fetch_optional(db)
    .await
}

pub async fn touch_session(db: &PgPool, id_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("update sessions set last_seen_at = now() where id_hash = $1")
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn insert_session(
    db: &PgPool,
    id_hash: &[u8],
    user: Option<UserId>,
    csrf_token: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into sessions (id_hash, user_id, csrf_token) values ($1, $2, $3)")
        .bind(id_hash)
        .bind(user)
        .bind(csrf_token)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_session(db: &PgPool, id_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sessions where id_hash = $1")
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_idle_sessions(db: &PgPool, idle: Duration) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("delete from sessions where last_seen_at < now() - make_interval(secs => $1)")
            .bind(idle.as_secs_f64())
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}

pub async fn set_flash(
    db: &PgPool,
    id_hash: &[u8],
    message: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update sessions set flash = $2 where id_hash = $1")
        .bind(id_hash)
        .bind(message)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn enabled_user(db: &PgPool, user: UserId) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as::<_, User>(
        "select id, email, name, is_operator, locale from users where id = $1 and disabled_at is null",
    )
    .bind(user)
    .fetch_optional(db)
    .await
}

pub async fn user_name(db: &PgPool, user: UserId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select name from users where id = $1")
        .bind(user)
        .fetch_optional(db)
        .await
}

/// Every membership of a person, regions by name, the widest role first.
pub async fn memberships(db: &PgPool, user: UserId) -> Result<Vec<MembershipRow>, sqlx::Error> {
    sqlx::query_as::<_, MembershipRow>(
        r#"select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
                  m.municipality_id, mu.name as municipality_name,
                  m.organization_id, o.name as organization_name
           from memberships m
           join regions r on r.id = m.region_id
           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
           where m.user_id = $1
           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
                    mu.name nulls first, o.name nulls first"#,
    )
    .bind(user)
    .fetch_all(db)
    .await
}

pub async fn region_by_slug(db: &PgPool, slug: &str) -> Result<Option<Region>, sqlx::Error> {
    sqlx::query_as::<_, Region>("select id, slug, name, time_zone from regions where slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// Where a person works, seen from one region.
#[derive(sqlx::FromRow)]
pub struct AccountReach {
    pub memberships_here: i64,
    pub memberships_elsewhere: i64,
    pub is_operator: bool,
    pub email: String,
}

pub async fn account_reach(
    db: &PgPool,
    user: UserId,
    region: RegionId,
) -> Result<Option<AccountReach>, sqlx::Error> {
    sqlx::query_as::<_, AccountReach>(
        r#"select count(*) filter (where m.region_id = $2) as memberships_here,
                  count(*) filter (where m.region_id <> $2) as memberships_elsewhere,
                  bool_or(u.is_operator) as is_operator, max(u.email) as email
           from users u left join memberships m on m.user_id = u.id where u.id = $1
           group by u.id"#,
    )
    .bind(user)
    .bind(region)
    .fetch_optional(db)
    .await
}

/// Where the primary's WAL stands now: after a commit, at or past that commit.
pub async fn wal_position(db: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("select pg_current_wal_lsn()::text")
        .fetch_one(db)
        .await
}

/// Whether the read server has replayed the primary's WAL up to `position`. A server that is
/// not replaying (the test double of the read pool is the primary itself, or a promoted
/// replica) is where its own WAL is. Its `pg_last_wal_replay_lsn()` is no help there: after
/// a crash recovery or a promotion it stays fixed where the recovery ended.
pub async fn replayed_past(read: &PgPool, position: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select coalesce(case when pg_is_in_recovery() then pg_last_wal_replay_lsn() \
                     else pg_current_wal_lsn() end >= $1::text::pg_lsn, false)",
    )
    .bind(position)
    .persistent(false)
    .fetch_one(read)
    .await
}
