//! SQL of coverage: the facts of every organization that must run a page, as one pass the
//! coverage tables sum and the drill-down lists page through.

use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::RegionId;
use crate::settings::db::RegionSettings;

/// What coverage is counted over.
pub struct Params<'a> {
    pub region: RegionId,
    /// The organizations in scope; `None` for the whole region.
    pub ids: Option<&'a [i64]>,
    pub settings: &'a RegionSettings,
    pub today: NaiveDate,
    /// The one platform a view looks at; `None` for every platform.
    pub platform: Option<&'a str>,
}

/// Pushes a query named `f` with one row per organization that must have a page (not exempt,
/// not archived): `id, municipality_id, has_page, covered, verified, active, connected`,
/// read from the summary the triggers keep (`coverage_facts`). Coverage of the required
/// platforms always counts every page; the other facts only pages of the view's platform.
fn push_facts(q: &mut QueryBuilder<'_, Postgres>, p: &Params<'_>) {
    // `fact` is a column of platforms: any of them, or the view's one.
    let holds = |q: &mut QueryBuilder<'_, Postgres>, fact: &str| {
        match p.platform {
            Some(platform) => q
                .push_bind(platform.to_owned())
                .push(format!(" = any(c.{fact})")),
            None => q.push(format!("cardinality(c.{fact}) > 0")),
        };
    };
    q.push("with f as (select c.organization_id as id, c.municipality_id, ");
    holds(q, "platforms");
    q.push(" as has_page, cardinality(c.platforms) > 0 and c.platforms @> ")
        .push_bind(p.settings.required_platforms.clone())
        .push("::text[] as covered, ");
    holds(q, "verified_on");
    q.push(" as verified, coalesce(");
    match p.platform {
        Some(platform) => q
            .push("(c.active_weeks ->> ")
            .push_bind(platform.to_owned())
            .push(")::date"),
        None => q.push("c.active_week"),
    };
    // A page is active while its newest week, posting to the rule, is at most two weeks old.
    q.push(" >= ")
        .push_bind(p.today)
        .push("::date - 14, false) as active, ");
    holds(q, "connected_on");
    q.push(" as connected from coverage_facts c where c.region_id = ")
        .push_bind(p.region);
    if let Some(ids) = p.ids {
        q.push(" and c.organization_id = any(")
            .push_bind(ids.to_vec())
            .push(")");
    }
    q.push(") ");
}

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

/// One group's sums: the whole scope (`group_kind` "total"), a municipality (`id` none for
/// the regional level) or a sector; named by the caller.
#[derive(sqlx::FromRow)]
pub struct Sums {
    pub group_kind: String,
    #[sqlx(flatten)]
    pub figures: Coverage,
}

/// Per municipality and per sector, and in total: the whole region's from the groups the
/// triggers keep, a narrower scope's summed from its organizations' facts.
pub async fn sums(db: &mut PgConnection, p: &Params<'_>) -> Result<Vec<Sums>, sqlx::Error> {
    match p.ids {
        None => sums_kept(db, p).await,
        Some(_) => sums_of_facts(db, p).await,
    }
}

/// The region's groups as `coverage_groups` and `coverage_active_weeks` keep them: a row per
/// municipality and sector instead of one per organization. A platform's view takes its own
/// rows' figures and the obliged and covered counts of every platform's.
pub async fn sums_kept(db: &mut PgConnection, p: &Params<'_>) -> Result<Vec<Sums>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        r#"with g as (
               select a.kind, a.group_id, a.obliged, a.covered, coalesce(v.with_page, 0) as with_page,
                      coalesce(v.verified, 0) as verified, coalesce(v.connected, 0) as connected
               from coverage_groups a
               left join coverage_groups v on v.region_id = a.region_id and v.platform = "#,
    );
    q.push_bind(p.platform.unwrap_or("").to_owned())
        .push(" and v.kind = a.kind and v.group_id = a.group_id where a.region_id = ")
        .push_bind(p.region)
        .push(
            r#" and a.platform = '' and a.obliged > 0
           ), active as (
               select w.kind, w.group_id, sum(w.organizations) as active from coverage_active_weeks w
               where w.region_id = "#,
        )
        .push_bind(p.region)
        .push(" and w.platform = ")
        .push_bind(p.platform.unwrap_or("").to_owned())
        // A page is active while its newest week, posting to the rule, is at most two weeks old.
        .push(" and w.week >= ")
        .push_bind(p.today)
        .push(
            r#"::date - 14 group by 1, 2
           ), figures as (
               select g.*, coalesce(a.active, 0)::int8 as active from g left join active a using (kind, group_id)
           )
           select case when f.kind = 'm' then 'municipality' else 'sector' end as group_kind,
                  nullif(f.group_id, 0) as id, null::text as name, f.obliged::int8, f.with_page::int8,
                  f.covered::int8, f.verified::int8, f.active, f.connected::int8
           from figures f
           union all
           select 'total', null, null, coalesce(sum(f.obliged), 0)::int8, coalesce(sum(f.with_page), 0)::int8,
                  coalesce(sum(f.covered), 0)::int8, coalesce(sum(f.verified), 0)::int8,
                  coalesce(sum(f.active), 0)::int8, coalesce(sum(f.connected), 0)::int8
           from figures f where f.kind = 'm'"#,
        );
    q.build_query_as().fetch_all(db).await
}

/// The facts of the scope's organizations summed in the database, per municipality and per
/// sector, and in total: a few hundred rows back instead of one per organization.
pub async fn sums_of_facts(
    db: &mut PgConnection,
    p: &Params<'_>,
) -> Result<Vec<Sums>, sqlx::Error> {
    const FIGURES: &str = r#"count(*) as obliged, count(*) filter (where f.has_page) as with_page,
        count(*) filter (where f.covered) as covered, count(*) filter (where f.verified) as verified,
        count(*) filter (where f.active) as active, count(*) filter (where f.connected) as connected"#;
    let mut q = QueryBuilder::new("");
    push_facts(&mut q, p);
    q.push(format!(
        r#"select case when grouping(f.municipality_id) = 1 then 'total' else 'municipality' end as group_kind,
                  f.municipality_id as id, null::text as name, {FIGURES}
           from f group by grouping sets ((), (f.municipality_id))
           union all
           select 'sector', os.sector_id, null, {FIGURES}
           from f join organization_sectors os on os.organization_id = f.id and os.region_id = "#
    ))
    .push_bind(p.region)
    .push(" group by os.sector_id");
    q.build_query_as().fetch_all(db).await
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

/// The organizations whose facts meet `condition` (an SQL condition over `f`, from the
/// fixed list of figures), a page at a time, and how many there are.
pub async fn organizations(
    db: &mut PgConnection,
    p: &Params<'_>,
    condition: &'static str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrgFacts>, i64), sqlx::Error> {
    let mut q = QueryBuilder::new("");
    push_facts(&mut q, p);
    q.push(
        r#"select f.id, o.name, m.name as municipality_name, f.has_page, f.covered, f.verified, f.active, f.connected
           from f join organizations o on o.region_id = "#,
    )
    .push_bind(p.region)
    .push(" and o.id = f.id left join municipalities m on m.region_id = ")
    .push_bind(p.region)
    .push(" and m.id = f.municipality_id where ")
    .push(condition)
    .push(" order by o.name, f.id limit ")
    .push_bind(limit)
    .push(" offset ")
    .push_bind(offset);
    let rows = q.build_query_as().fetch_all(&mut *db).await?;
    let mut count = QueryBuilder::new("");
    push_facts(&mut count, p);
    count.push("select count(*) from f where ").push(condition);
    let total = count.build_query_scalar().fetch_one(db).await?;
    Ok((rows, total))
}
