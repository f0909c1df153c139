use sqlx::PgConnection;

use crate::ids::{RegionId, SectorId};
use crate::web::forms::SelectOption;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SectorRow {
    pub id: SectorId,
    pub name: String,
    pub position: i32,
    pub organizations: i64,
}

pub async fn list(db: &mut PgConnection, region: RegionId) -> Result<Vec<SectorRow>, sqlx::Error> {
    sqlx::query_as::<_, SectorRow>(
        r#"select s.id, s.name, s.position,
                  (select count(*) from organization_sectors os where os.region_id = s.region_id and os.sector_id = s.id) as organizations
           from sectors s where s.region_id = $1 order by s.position, s.name"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn options(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<SelectOption>, sqlx::Error> {
    sqlx::query_as::<_, SelectOption>(
        "select id, name from sectors where region_id = $1 order by position, name",
    )
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn exists(
    db: &mut PgConnection,
    region: RegionId,
    id: SectorId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("select exists (select 1 from sectors where region_id = $1 and id = $2)")
        .bind(region)
        .bind(id)
        .fetch_one(db)
        .await
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: SectorId,
) -> Result<Option<SectorRow>, sqlx::Error> {
    sqlx::query_as::<_, SectorRow>(
        r#"select s.id, s.name, s.position,
                  (select count(*) from organization_sectors os where os.region_id = s.region_id and os.sector_id = s.id) as organizations
           from sectors s where s.region_id = $1 and s.id = $2"#,
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
    position: i32,
) -> Result<SectorId, sqlx::Error> {
    sqlx::query_scalar(
        "insert into sectors (region_id, name, position) values ($1, $2, $3) returning id",
    )
    .bind(region)
    .bind(name)
    .bind(position)
    .fetch_one(db)
    .await
}

pub async fn update(
    db: &mut PgConnection,
    region: RegionId,
    id: SectorId,
    name: &str,
    position: i32,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update sectors set name = $3, position = $4, updated_at = now() where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .bind(name)
        .bind(position)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Idempotent: sectors already present by name are left alone.
pub async fn insert_defaults(db: &mut PgConnection, region: RegionId) -> Result<(), sqlx::Error> {
    for (i, name) in super::DEFAULT_SECTORS.iter().enumerate() {
        sqlx::query("insert into sectors (region_id, name, position) values ($1, $2, $3) on conflict (region_id, name) do nothing")
            .bind(region)
            .bind(name)
            .bind((i as i32 + 1) * 10)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}
