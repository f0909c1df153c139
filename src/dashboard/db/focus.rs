//! SQL of the view's focus: which organizations it keeps, the names of the places it
//! narrows to, and what the filter form offers. `scope` is the member's organizations, or
//! `None` for the whole region.

use sqlx::PgConnection;

use crate::ids::RegionId;

/// The organizations of the scope in a municipality (0: the regional level), of a level and
/// of a sector; `None` for each is no filter.
pub async fn organization_ids(
    db: &mut PgConnection,
    region: RegionId,
    scope: Option<&[i64]>,
    municipality: Option<i64>,
    level: Option<&str>,
    sector: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select o.id from organizations o
           where o.region_id = $1 and ($2::bigint[] is null or o.id = any($2))
             and ($3::bigint is null or ($3 = 0 and o.municipality_id is null) or o.municipality_id = $3)
             and ($4::text is null or o.level = $4)
             and ($5::bigint is null or exists (select 1 from organization_sectors os
                                                where os.region_id = $1 and os.organization_id = o.id and os.sector_id = $5))"#,
    )
    .bind(region)
    .bind(scope)
    .bind(municipality)
    .bind(level)
    .bind(sector)
    .fetch_all(db)
    .await
}

/// The municipality's name, if the scope has an organization in it.
pub async fn municipality_name(
    db: &mut PgConnection,
    region: RegionId,
    municipality: i64,
    scope: Option<&[i64]>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select m.name from municipalities m where m.region_id = $1 and m.id = $2
             and ($3::bigint[] is null or exists (select 1 from organizations o where o.region_id = $1
                  and o.municipality_id = m.id and o.id = any($3)))"#,
    )
    .bind(region)
    .bind(municipality)
    .bind(scope)
    .fetch_optional(db)
    .await
}

/// The sector's name, if the scope has an organization in it.
pub async fn sector_name(
    db: &mut PgConnection,
    region: RegionId,
    sector: i64,
    scope: Option<&[i64]>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select s.name from sectors s where s.region_id = $1 and s.id = $2
             and ($3::bigint[] is null or exists (select 1 from organization_sectors os where os.region_id = $1
                  and os.sector_id = s.id and os.organization_id = any($3)))"#,
    )
    .bind(region)
    .bind(sector)
    .bind(scope)
    .fetch_optional(db)
    .await
}

/// What the filter form offers: municipalities and sectors with organizations in scope,
/// and whether any of them is of the regional level.
pub struct Choices {
    pub municipalities: Vec<(i64, String)>,
    pub sectors: Vec<(i64, String)>,
    pub regional: bool,
}

pub async fn choices(
    db: &mut PgConnection,
    region: RegionId,
    scope: Option<&[i64]>,
) -> Result<Choices, sqlx::Error> {
    let municipalities = sqlx::query_as(
        r#"select m.id, m.name from municipalities m where m.region_id = $1
             and exists (select 1 from organizations o where o.region_id = $1 and o.municipality_id = m.id
                         and ($2::bigint[] is null or o.id = any($2)))
           order by m.name"#,
    )
    .bind(region)
    .bind(scope)
    .fetch_all(&mut *db)
    .await?;
    let sectors = sqlx::query_as(
        r#"select s.id, s.name from sectors s where s.region_id = $1
             and exists (select 1 from organization_sectors os where os.region_id = $1 and os.sector_id = s.id
                         and ($2::bigint[] is null or os.organization_id = any($2)))
           order by s.position, s.name"#,
    )
    .bind(region)
    .bind(scope)
    .fetch_all(&mut *db)
    .await?;
    let regional = sqlx::query_scalar(
        r#"select exists (select 1 from organizations o where o.region_id = $1 and o.municipality_id is null
                          and ($2::bigint[] is null or o.id = any($2)))"#,
    )
    .bind(region)
    .bind(scope)
    .fetch_one(db)
    .await?;
    Ok(Choices {
        municipalities,
        sectors,
        regional,
    })
}
