use sqlx::PgConnection;

use crate::ids::{MunicipalityId, RegionId};
use crate::web::forms::{ListQuery, PAGE_SIZE, SelectOption};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MunicipalityRow {
    pub id: MunicipalityId,
    pub name: String,
    pub kind: String,
    pub oktmo: Option<String>,
    pub organizations: i64,
}

pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
    q: &ListQuery,
) -> Result<(Vec<MunicipalityRow>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar(
        "select count(*) from municipalities where region_id = $1 and (lower(name) like $2 or oktmo = $3)",
    )
    .bind(region)
    .bind(q.pattern())
    .bind(q.q.trim())
    .fetch_one(&mut *db)
    .await?;
    let rows = sqlx::query_as::<_, MunicipalityRow>(
        r#"select m.id, m.name, m.kind, m.oktmo,
                  (select count(*) from organizations o where o.region_id = m.region_id and o.municipality_id = m.id) as organizations
           from municipalities m
           where m.region_id = $1 and (lower(m.name) like $2 or m.oktmo = $3)
           order by m.name limit $4 offset $5"#,
    )
    .bind(region)
    .bind(q.pattern())
    .bind(q.q.trim())
    .bind(PAGE_SIZE)
    .bind(q.offset())
    .fetch_all(&mut *db)
    .await?;
    Ok((rows, total))
}

pub async fn options(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<SelectOption>, sqlx::Error> {
    sqlx::query_as::<_, SelectOption>(
        "select id, name from municipalities where region_id = $1 order by name",
    )
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn exists(
    db: &mut PgConnection,
    region: RegionId,
    id: MunicipalityId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select 1 from municipalities where region_id = $1 and id = $2)",
    )
    .bind(region)
    .bind(id)
    .fetch_one(db)
    .await
}

/// Every municipality of the region, for an import to match its rows against.
pub async fn all(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<MunicipalityRow>, sqlx::Error> {
    sqlx::query_as::<_, MunicipalityRow>(
        "select id, name, kind, oktmo, 0::bigint as organizations from municipalities where region_id = $1",
    )
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: MunicipalityId,
) -> Result<Option<MunicipalityRow>, sqlx::Error> {
    sqlx::query_as::<_, MunicipalityRow>(
        r#"select m.id, m.name, m.kind, m.oktmo,
                  (select count(*) from organizations o where o.region_id = m.region_id and o.municipality_id = m.id) as organizations
           from municipalities m where m.region_id = $1 and m.id = $2"#,
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    name: &str,
    kind: &str,
    oktmo: Option<&str>,
) -> Result<MunicipalityId, sqlx::Error> {
    sqlx::query_scalar("insert into municipalities (region_id, name, kind, oktmo) values ($1, $2, $3, $4) returning id")
        .bind(region)
        .bind(name)
        .bind(kind)
        .bind(oktmo)
        .fetch_one(db)
        .await
}

pub async fn update(
    db: &mut PgConnection,
    region: RegionId,
    id: MunicipalityId,
    name: &str,
    kind: &str,
    oktmo: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update municipalities set name = $3, kind = $4, oktmo = $5, updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(id)
    .bind(name)
    .bind(kind)
    .bind(oktmo)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
