//! Coverage of the organizations that must run an official page: with a page, with a page on
//! every platform the region requires, verified (a page with the mark), active (a page
//! posting to the region's rule), connected to «Госпаблики». Per organization first, then
//! summed per municipality and per sector, so every figure can open the organizations
//! behind it.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::ids::RegionId;
use crate::settings::db::RegionSettings;

/// The facts of every organization in scope that must have a page (not exempt, not
/// archived). Parameters: $1 region, $2 organization ids in scope or null for all, $3 the
/// required platforms, $4 today, $5 posts, $6 days of the region's "active" rule.
const FACTS: &str = r#"
    with orgs as (
        select o.id, o.name, o.municipality_id from organizations o
        where o.region_id = $1 and o.archived_at is null and not o.exempt
          and ($2::bigint[] is null or o.id = any($2))
    ), latest as (
        select distinct on (s.page_id) s.page_id, s.week, s.posts
        from page_snapshots s where s.region_id = $1 and s.week >= $4::date - 14
        order by s.page_id, s.week desc
    ), per_org as (
        select p.organization_id,
               array_agg(distinct p.platform) as platforms,
               bool_or(p.mark_status = 'granted') as verified,
               bool_or(p.connected) as connected,
               bool_or(coalesce(l.posts, 0) * $6::float8 / 7 >= $5) as active
        from pages p left join latest l on l.page_id = p.id
        where p.region_id = $1
        group by p.organization_id
    )
    select o.id, o.name, o.municipality_id,
           pf.organization_id is not null as has_page,
           coalesce(pf.platforms @> $3::text[], false) as covered,
           coalesce(pf.verified, false) as verified,
           coalesce(pf.active, false) as active,
           coalesce(pf.connected, false) as connected
    from orgs o left join per_org pf on pf.organization_id = o.id"#;

/// One figure group: the region, a municipality or a sector.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Coverage {
    /// The municipality's or sector's id; none for the region, or for organizations of the
    /// regional level (no municipality).
    pub id: Option<i64>,
    pub name: Option<String>,
    pub obliged: i64,
    pub with_page: i64,
    pub covered: i64,
    pub verified: i64,
    pub active: i64,
    pub connected: i64,
}

pub struct Params<'a> {
    pub region: RegionId,
    pub ids: Option<&'a [i64]>,
    pub settings: &'a RegionSettings,
    pub today: NaiveDate,
}

const SUMS: &str = r#"count(*) as obliged, count(*) filter (where f.has_page) as with_page,
    count(*) filter (where f.covered) as covered, count(*) filter (where f.verified) as verified,
    count(*) filter (where f.active) as active, count(*) filter (where f.connected) as connected"#;

fn bind<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    p: &'q Params<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    q.bind(p.region)
        .bind(p.ids)
        .bind(&p.settings.required_platforms)
        .bind(p.today)
        .bind(p.settings.active_posts)
        .bind(p.settings.active_days)
}

pub async fn region_total(db: &mut PgConnection, p: &Params<'_>) -> Result<Coverage, sqlx::Error> {
    let sql =
        format!("with f as ({FACTS}) select null::bigint as id, null::text as name, {SUMS} from f");
    bind(sqlx::query_as(&sql), p).fetch_one(db).await
}

pub async fn by_municipality(
    db: &mut PgConnection,
    p: &Params<'_>,
) -> Result<Vec<Coverage>, sqlx::Error> {
    let sql = format!(
        r#"with f as ({FACTS})
           select f.municipality_id as id, m.name, {SUMS}
           from f left join municipalities m on m.region_id = $1 and m.id = f.municipality_id
           group by f.municipality_id, m.name order by m.name nulls first"#
    );
    bind(sqlx::query_as(&sql), p).fetch_all(db).await
}

pub async fn by_sector(
    db: &mut PgConnection,
    p: &Params<'_>,
) -> Result<Vec<Coverage>, sqlx::Error> {
    let sql = format!(
        r#"with f as ({FACTS})
           select s.id, s.name, {SUMS}
           from f join organization_sectors os on os.region_id = $1 and os.organization_id = f.id
           join sectors s on s.region_id = $1 and s.id = os.sector_id
           group by s.id, s.name, s.position order by s.position, s.name"#
    );
    bind(sqlx::query_as(&sql), p).fetch_all(db).await
}

/// Which organizations a figure stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Obliged,
    WithPage,
    NoPage,
    Covered,
    NotCovered,
    Verified,
    NotVerified,
    Active,
    NotActive,
    Connected,
    NotConnected,
}

impl Flag {
    pub const ALL: [Flag; 11] = [
        Flag::Obliged,
        Flag::WithPage,
        Flag::NoPage,
        Flag::Covered,
        Flag::NotCovered,
        Flag::Verified,
        Flag::NotVerified,
        Flag::Active,
        Flag::NotActive,
        Flag::Connected,
        Flag::NotConnected,
    ];

    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Flag::Obliged => "obliged",
            Flag::WithPage => "with_page",
            Flag::NoPage => "no_page",
            Flag::Covered => "covered",
            Flag::NotCovered => "not_covered",
            Flag::Verified => "verified",
            Flag::NotVerified => "not_verified",
            Flag::Active => "active",
            Flag::NotActive => "not_active",
            Flag::Connected => "connected",
            Flag::NotConnected => "not_connected",
        }
    }

    fn condition(self) -> &'static str {
        match self {
            Flag::Obliged => "true",
            Flag::WithPage => "f.has_page",
            Flag::NoPage => "not f.has_page",
            Flag::Covered => "f.covered",
            Flag::NotCovered => "not f.covered",
            Flag::Verified => "f.verified",
            Flag::NotVerified => "not f.verified",
            Flag::Active => "f.active",
            Flag::NotActive => "not f.active",
            Flag::Connected => "f.connected",
            Flag::NotConnected => "not f.connected",
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgFacts {
    pub id: i64,
    pub name: String,
    pub municipality_name: Option<String>,
    pub has_page: bool,
    pub covered: bool,
    pub verified: bool,
    pub active: bool,
    pub connected: bool,
}

/// Where a drill-down narrows to: a municipality (0 = the regional level) or a sector.
#[derive(Clone, Copy, Debug, Default)]
pub struct Narrow {
    pub municipality: Option<i64>,
    pub sector: Option<i64>,
}

/// The organizations behind a figure, a page at a time, and how many there are.
pub async fn organizations(
    db: &mut PgConnection,
    p: &Params<'_>,
    flag: Flag,
    narrow: Narrow,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrgFacts>, i64), sqlx::Error> {
    let filter = format!(
        r#"{cond}
           and ($7::bigint is null or ($7 = 0 and f.municipality_id is null) or f.municipality_id = $7)
           and ($8::bigint is null or exists (select 1 from organization_sectors os
                                              where os.region_id = $1 and os.organization_id = f.id and os.sector_id = $8))"#,
        cond = flag.condition()
    );
    let rows_sql = format!(
        r#"with f as ({FACTS})
           select f.id, f.name, m.name as municipality_name, f.has_page, f.covered, f.verified, f.active, f.connected
           from f left join municipalities m on m.region_id = $1 and m.id = f.municipality_id
           where {filter}
           order by f.name, f.id limit $9 offset $10"#
    );
    let rows = bind(sqlx::query_as(&rows_sql), p)
        .bind(narrow.municipality)
        .bind(narrow.sector)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *db)
        .await?;
    let count_sql = format!("with f as ({FACTS}) select count(*) from f where {filter}");
    let (total,): (i64,) = bind(sqlx::query_as(&count_sql), p)
        .bind(narrow.municipality)
        .bind(narrow.sector)
        .fetch_one(db)
        .await?;
    Ok((rows, total))
}
