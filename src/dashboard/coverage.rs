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
/// required platforms, $4 today, $5 posts, $6 days of the region's "active" rule, $7 the
/// one platform a view looks at, or null. Coverage of the required platforms always reads
/// every page; the other facts only pages of that platform.
const FACTS: &str = r#"
    with orgs as (
        select o.id, o.name, o.municipality_id from organizations o
        where o.region_id = $1 and o.archived_at is null and not o.exempt
          and ($2::bigint[] is null or o.id = any($2))
    ), per_org as (
        select p.organization_id,
               array_agg(distinct p.platform) as platforms,
               count(*) filter (where $7::text is null or p.platform = $7) > 0 as has_page,
               coalesce(bool_or(p.mark_status = 'granted') filter (where $7::text is null or p.platform = $7), false) as verified,
               coalesce(bool_or(p.connected) filter (where $7::text is null or p.platform = $7), false) as connected,
               coalesce(bool_or(coalesce(l.posts, 0) * $6::float8 / 7 >= $5)
                        filter (where $7::text is null or p.platform = $7), false) as active
        from pages p
        left join page_latest l on l.region_id = $1 and l.page_id = p.id and l.week >= $4::date - 14
        where p.region_id = $1 and ($2::bigint[] is null or p.organization_id = any($2))
        group by p.organization_id
    )
    select o.id, o.name, o.municipality_id,
           coalesce(pf.has_page, false) as has_page,
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
    pub platform: Option<&'a str>,
}

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
        .bind(p.platform)
}

/// One organization's facts, as the tables count them.
#[derive(sqlx::FromRow)]
struct Facts {
    municipality_id: Option<i64>,
    sector_ids: Vec<i64>,
    has_page: bool,
    covered: bool,
    verified: bool,
    active: bool,
    connected: bool,
}

impl Coverage {
    fn add(&mut self, f: &Facts) {
        self.obliged += 1;
        self.with_page += i64::from(f.has_page);
        self.covered += i64::from(f.covered);
        self.verified += i64::from(f.verified);
        self.active += i64::from(f.active);
        self.connected += i64::from(f.connected);
    }
}

/// The region's (or the scope's) figures, per municipality (the regional level first, then
/// by name) and per sector (in the region's order; only sectors with organizations).
#[derive(Clone, Debug, Default)]
pub struct Tables {
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
    pub sectors: Vec<Coverage>,
}

/// The three tables from one pass over the organizations: their facts are read once and
/// summed here, instead of aggregating the same rows three times in SQL.
pub async fn tables(db: &mut PgConnection, p: &Params<'_>) -> Result<Tables, sqlx::Error> {
    let sql = format!(
        r#"with f as ({FACTS})
           select f.municipality_id, f.has_page, f.covered, f.verified, f.active, f.connected,
                  coalesce(s.sector_ids, '{{}}') as sector_ids
           from f left join (select os.organization_id, array_agg(os.sector_id) as sector_ids
                             from organization_sectors os where os.region_id = $1
                             group by os.organization_id) s on s.organization_id = f.id"#
    );
    let facts: Vec<Facts> = bind(sqlx::query_as(&sql), p).fetch_all(&mut *db).await?;
    let municipalities: Vec<(i64, String)> =
        sqlx::query_as("select id, name from municipalities where region_id = $1 order by name")
            .bind(p.region)
            .fetch_all(&mut *db)
            .await?;
    let sectors: Vec<(i64, String)> =
        sqlx::query_as("select id, name from sectors where region_id = $1 order by position, name")
            .bind(p.region)
            .fetch_all(&mut *db)
            .await?;
    let mut out = Tables::default();
    let mut by_municipality: std::collections::HashMap<Option<i64>, Coverage> =
        std::collections::HashMap::new();
    let mut by_sector: std::collections::HashMap<i64, Coverage> = std::collections::HashMap::new();
    for f in &facts {
        out.total.add(f);
        by_municipality.entry(f.municipality_id).or_default().add(f);
        for s in &f.sector_ids {
            by_sector.entry(*s).or_default().add(f);
        }
    }
    if let Some(mut regional) = by_municipality.remove(&None) {
        regional.id = None;
        out.municipalities.push(regional);
    }
    for (id, name) in municipalities {
        if let Some(mut c) = by_municipality.remove(&Some(id)) {
            c.id = Some(id);
            c.name = Some(name);
            out.municipalities.push(c);
        }
    }
    for (id, name) in sectors {
        if let Some(mut c) = by_sector.remove(&id) {
            c.id = Some(id);
            c.name = Some(name);
            out.sectors.push(c);
        }
    }
    Ok(out)
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

/// The organizations behind a figure, a page at a time, and how many there are.
pub async fn organizations(
    db: &mut PgConnection,
    p: &Params<'_>,
    flag: Flag,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrgFacts>, i64), sqlx::Error> {
    let filter = flag.condition();
    let rows_sql = format!(
        r#"with f as ({FACTS})
           select f.id, f.name, m.name as municipality_name, f.has_page, f.covered, f.verified, f.active, f.connected
           from f left join municipalities m on m.region_id = $1 and m.id = f.municipality_id
           where {filter}
           order by f.name, f.id limit $8 offset $9"#
    );
    let rows = bind(sqlx::query_as(&rows_sql), p)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *db)
        .await?;
    let count_sql = format!("with f as ({FACTS}) select count(*) from f where {filter}");
    let (total,): (i64,) = bind(sqlx::query_as(&count_sql), p).fetch_one(db).await?;
    Ok((rows, total))
}
