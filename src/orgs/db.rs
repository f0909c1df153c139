//! Every SQL statement about organizations. The region is always the first filter.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::{MunicipalityId, OrgId, RegionId, SectorId};
use crate::web::access::{OrgPlacement, OrgScope};
use crate::web::forms::{ListQuery, PAGE_SIZE};

/// Pushes the condition "organization `o` is one the member may see", with its own binds: the
/// whole region, their municipalities, the subtrees below the founders they coordinate, or
/// their own organizations.
pub fn push_visible(q: &mut QueryBuilder<'_, Postgres>, region: RegionId, scope: &OrgScope) {
    q.push("(")
        .push_bind(scope.all)
        .push(" or o.municipality_id = any(")
        .push_bind(scope.municipalities.clone())
        .push(") or o.id = any(")
        .push_bind(scope.organizations.clone())
        .push(
            ") or o.id in (with recursive sub(id) as (select id from organizations where region_id = ",
        )
        .push_bind(region)
        .push(" and id = any(")
        .push_bind(scope.subtrees.clone())
        .push(
            ") union all select c.id from organizations c join sub on c.parent_id = sub.id where c.region_id = ",
        )
        .push_bind(region)
        .push(") select id from sub))");
}

/// The organization list's condition: visible, and matching the search by name, short name,
/// INN or OGRN.
fn push_list_filter(
    q: &mut QueryBuilder<'_, Postgres>,
    region: RegionId,
    scope: &OrgScope,
    query: &ListQuery,
) {
    q.push(" where o.region_id = ")
        .push_bind(region)
        .push(" and ");
    push_visible(q, region, scope);
    let pattern = query.pattern();
    let exact = query.q.trim().to_owned();
    q.push(" and (lower(o.name) like ")
        .push_bind(pattern.clone())
        .push(" or lower(coalesce(o.short_name, '')) like ")
        .push_bind(pattern)
        .push(" or o.inn = ")
        .push_bind(exact.clone())
        .push(" or o.ogrn = ")
        .push_bind(exact)
        .push(")");
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgListRow {
    pub id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    pub municipality_name: Option<String>,
    pub page_count: i64,
    pub archived: bool,
}

pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
    scope: &OrgScope,
    query: &ListQuery,
) -> Result<(Vec<OrgListRow>, i64), sqlx::Error> {
    let mut count = QueryBuilder::new("select count(*) from organizations o");
    push_list_filter(&mut count, region, scope, query);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *db).await?;
    let mut q = QueryBuilder::new(
        r#"select o.id, o.name, o.short_name, o.inn, o.ogrn, o.level, m.name as municipality_name,
                  (select count(*) from pages p where p.region_id = o.region_id and p.organization_id = o.id) as page_count,
                  o.archived_at is not null as archived
           from organizations o
           left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id"#,
    );
    push_list_filter(&mut q, region, scope, query);
    q.push(" order by o.archived_at is not null, o.name, o.id limit ")
        .push_bind(PAGE_SIZE)
        .push(" offset ")
        .push_bind(query.offset());
    let rows = q.build_query_as::<OrgListRow>().fetch_all(&mut *db).await?;
    Ok((rows, total))
}

#[derive(sqlx::FromRow)]
struct PlacementRow {
    id: OrgId,
    municipality_id: Option<MunicipalityId>,
    lineage: Vec<i64>,
}

/// Where the organization sits (municipality and chain of founders), or None if the region
/// has no such organization.
pub async fn placement(
    db: &mut PgConnection,
    region: RegionId,
    id: OrgId,
) -> Result<Option<OrgPlacement>, sqlx::Error> {
    let row = sqlx::query_as::<_, PlacementRow>(
        r#"with recursive up(id, parent_id, depth) as (
               select id, parent_id, 0 from organizations where region_id = $1 and id = $2
               union all
               select o.id, o.parent_id, up.depth + 1 from organizations o
               join up on o.id = up.parent_id
               where o.region_id = $1 and up.depth < 64
           )
           select o.id, o.municipality_id, (select array_agg(id) from up) as lineage
           from organizations o where o.region_id = $1 and o.id = $2"#,
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| OrgPlacement {
        id: r.id,
        municipality_id: r.municipality_id,
        lineage: r.lineage.into_iter().map(OrgId).collect(),
    }))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgDetail {
    pub id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    pub parent_id: Option<OrgId>,
    pub parent_name: Option<String>,
    pub parent_ogrn: Option<String>,
    pub municipality_id: Option<MunicipalityId>,
    pub municipality_name: Option<String>,
    pub exempt: bool,
    pub exemption_basis: Option<String>,
    pub archived: bool,
    pub sector_ids: Vec<i64>,
    pub sector_names: Vec<String>,
    #[sqlx(flatten)]
    pub contacts: Contacts,
}

/// How residents reach the organization, shown on its public card.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Contacts {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: OrgId,
) -> Result<Option<OrgDetail>, sqlx::Error> {
    sqlx::query_as::<_, OrgDetail>(
        r#"select o.id, o.name, o.short_name, o.inn, o.ogrn, o.level, o.parent_id,
                  p.name as parent_name, p.ogrn as parent_ogrn,
                  o.municipality_id, m.name as municipality_name,
                  o.exempt, o.exemption_basis, o.archived_at is not null as archived,
                  o.address, o.phone, o.email, o.website,
                  coalesce(array(select s.sector_id from organization_sectors s
                                 where s.region_id = o.region_id and s.organization_id = o.id order by s.slot), '{}') as sector_ids,
                  coalesce(array(select sc.name from organization_sectors s
                                 join sectors sc on sc.region_id = s.region_id and sc.id = s.sector_id
                                 where s.region_id = o.region_id and s.organization_id = o.id order by s.slot), '{}') as sector_names
           from organizations o
           left join organizations p on p.region_id = o.region_id and p.id = o.parent_id
           left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
           where o.region_id = $1 and o.id = $2"#,
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgRef {
    pub id: OrgId,
    pub name: String,
}

pub async fn find_by_ogrn(
    db: &mut PgConnection,
    region: RegionId,
    ogrn: &str,
) -> Result<Option<OrgRef>, sqlx::Error> {
    sqlx::query_as::<_, OrgRef>(
        "select id, name from organizations where region_id = $1 and ogrn = $2",
    )
    .bind(region)
    .bind(ogrn)
    .fetch_optional(db)
    .await
}

/// Organizations an admin may mean by what they typed: the one with that OGRN or INN, else
/// those whose full or short name holds every word typed, exact names first. At most `limit`.
pub async fn find_by_words(
    db: &mut PgConnection,
    region: RegionId,
    text: &str,
    limit: i64,
) -> Result<Vec<OrgRef>, sqlx::Error> {
    let text = text.trim();
    let words: Vec<String> = text
        .split_whitespace()
        .map(crate::web::forms::like_pattern)
        .collect();
    sqlx::query_as::<_, OrgRef>(
        r#"select id, name from organizations
           where region_id = $1
             and (ogrn = $2 or inn = $2
                  or (select bool_and(lower(name) like w or lower(coalesce(short_name, '')) like w)
                      from unnest($3::text[]) w))
           order by (ogrn = $2 or inn = $2) desc, lower(name) = lower($2) desc,
                    lower(coalesce(short_name, '')) = lower($2) desc, length(name), name
           limit $4"#,
    )
    .bind(region)
    .bind(text)
    .bind(words)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubordinateRow {
    pub id: OrgId,
    pub name: String,
    pub depth: i32,
}

impl SubordinateRow {
    /// Nesting shown up to five levels deep; deeper rows keep the last indent.
    pub fn indent(&self) -> i32 {
        self.depth.clamp(1, 5)
    }
}

/// The whole subtree of subordinate organizations, in tree order (each under its founder).
pub async fn subordinates(
    db: &mut PgConnection,
    region: RegionId,
    id: OrgId,
) -> Result<Vec<SubordinateRow>, sqlx::Error> {
    sqlx::query_as::<_, SubordinateRow>(
        r#"with recursive tree(id, name, depth, path) as (
               select o.id, o.name, 1, array[o.name::text] from organizations o where o.region_id = $1 and o.parent_id = $2
               union all
               select c.id, c.name, t.depth + 1, t.path || c.name::text
               from organizations c join tree t on c.parent_id = t.id
               where c.region_id = $1 and t.depth < 32
           )
           select id, name, depth from tree order by path limit 1000"#,
    )
    .bind(region)
    .bind(id)
    .fetch_all(db)
    .await
}

/// The fields an organization is saved with, already validated.
#[derive(Clone, Debug)]
pub struct OrgFields {
    pub name: String,
    pub short_name: Option<String>,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    pub parent_id: Option<OrgId>,
    pub municipality_id: Option<MunicipalityId>,
    pub sectors: Vec<SectorId>,
    pub exempt: bool,
    pub exemption_basis: Option<String>,
    pub archived: bool,
    pub contacts: Contacts,
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    f: &OrgFields,
) -> Result<OrgId, sqlx::Error> {
    let id: OrgId = sqlx::query_scalar(
        r#"insert into organizations
             (region_id, name, short_name, inn, ogrn, level, parent_id, municipality_id, exempt, exemption_basis, archived_at,
              address, phone, email, website)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, case when $11 then now() end, $12, $13, $14, $15)
           returning id"#,
    )
    .bind(region)
    .bind(&f.name)
    .bind(&f.short_name)
    .bind(&f.inn)
    .bind(&f.ogrn)
    .bind(&f.level)
    .bind(f.parent_id)
    .bind(f.municipality_id)
    .bind(f.exempt)
    .bind(&f.exemption_basis)
    .bind(f.archived)
    .bind(&f.contacts.address)
    .bind(&f.contacts.phone)
    .bind(&f.contacts.email)
    .bind(&f.contacts.website)
    .fetch_one(&mut *db)
    .await?;
    set_sectors(db, region, id, &f.sectors).await?;
    Ok(id)
}

pub async fn update(
    db: &mut PgConnection,
    region: RegionId,
    id: OrgId,
    f: &OrgFields,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        r#"update organizations set name = $3, short_name = $4, inn = $5, ogrn = $6, level = $7, parent_id = $8,
                  municipality_id = $9, exempt = $10, exemption_basis = $11,
                  archived_at = case when $12 then coalesce(archived_at, now()) end,
                  address = $13, phone = $14, email = $15, website = $16, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(id)
    .bind(&f.name)
    .bind(&f.short_name)
    .bind(&f.inn)
    .bind(&f.ogrn)
    .bind(&f.level)
    .bind(f.parent_id)
    .bind(f.municipality_id)
    .bind(f.exempt)
    .bind(&f.exemption_basis)
    .bind(f.archived)
    .bind(&f.contacts.address)
    .bind(&f.contacts.phone)
    .bind(&f.contacts.email)
    .bind(&f.contacts.website)
    .execute(&mut *db)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    set_sectors(db, region, id, &f.sectors).await?;
    Ok(true)
}

async fn set_sectors(
    db: &mut PgConnection,
    region: RegionId,
    id: OrgId,
    sectors: &[SectorId],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from organization_sectors where region_id = $1 and organization_id = $2")
        .bind(region)
        .bind(id)
        .execute(&mut *db)
        .await?;
    for (slot, sector) in sectors.iter().enumerate() {
        sqlx::query(
            "insert into organization_sectors (region_id, organization_id, sector_id, slot) values ($1, $2, $3, $4)",
        )
        .bind(region)
        .bind(id)
        .bind(sector)
        .bind(slot as i16 + 1)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// Whether making `parent` the founder of `id` would close a loop.
pub async fn would_cycle(
    db: &mut PgConnection,
    region: RegionId,
    id: OrgId,
    parent: OrgId,
) -> Result<bool, sqlx::Error> {
    Ok(placement(db, region, parent)
        .await?
        .is_some_and(|p| p.lineage.contains(&id)))
}

#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct ScopeCounts {
    pub organizations: i64,
    pub with_pages: i64,
    pub exempt: i64,
    pub pages: i64,
}

pub async fn scope_counts(
    db: &mut PgConnection,
    region: RegionId,
    scope: &OrgScope,
) -> Result<ScopeCounts, sqlx::Error> {
    let mut q = QueryBuilder::new(
        r#"select count(*) as organizations,
                  count(*) filter (where exists (select 1 from pages p where p.region_id = o.region_id and p.organization_id = o.id)) as with_pages,
                  count(*) filter (where o.exempt) as exempt,
                  coalesce(sum((select count(*) from pages p where p.region_id = o.region_id and p.organization_id = o.id)), 0)::bigint as pages
           from organizations o
           where o.region_id = "#,
    );
    q.push_bind(region).push(" and o.archived_at is null and ");
    push_visible(&mut q, region, scope);
    q.build_query_as::<ScopeCounts>().fetch_one(db).await
}
