pub mod activity;
pub mod orgs;
pub mod pages;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::{Counts, RowError};
use crate::ids::{RegionId, UserId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub status: String,
    pub user_name: Option<String>,
    pub row_count: i32,
    pub created_count: i32,
    pub updated_count: i32,
    pub unchanged_count: i32,
    pub error_count: i32,
    pub errors: sqlx::types::Json<Vec<RowError>>,
    pub created_at: DateTime<Utc>,
    pub committed_at: Option<DateTime<Utc>>,
}

impl ImportRow {
    pub fn can_commit(&self) -> bool {
        self.status == "previewed" && self.error_count == 0
    }
}

const SELECT: &str = r#"select i.id, i.kind, i.file_name, i.status, u.name as user_name, i.row_count, i.created_count,
       i.updated_count, i.unchanged_count, i.error_count, i.errors, i.created_at, i.committed_at
    from imports i left join users u on u.id = i.user_id"#;

pub struct NewImport<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub bytes: Option<&'a [u8]>,
    pub user: Option<UserId>,
    pub status: &'a str,
    pub rows: usize,
    pub counts: Counts,
    pub errors: &'a [RowError],
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    new: &NewImport<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into imports (region_id, kind, file_name, file_bytes, user_id, status, row_count, created_count,
                                updated_count, unchanged_count, error_count, errors)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id"#,
    )
    .bind(region)
    .bind(new.kind)
    .bind(new.file_name)
    .bind(new.bytes)
    .bind(new.user)
    .bind(new.status)
    .bind(new.rows as i32)
    .bind(new.counts.created as i32)
    .bind(new.counts.updated as i32)
    .bind(new.counts.unchanged as i32)
    .bind(new.errors.len() as i32)
    .bind(sqlx::types::Json(new.errors))
    .fetch_one(db)
    .await
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as::<_, ImportRow>(&format!("{SELECT} where i.region_id = $1 and i.id = $2"))
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn list(db: &mut PgConnection, region: RegionId) -> Result<Vec<ImportRow>, sqlx::Error> {
    sqlx::query_as::<_, ImportRow>(&format!(
        "{SELECT} where i.region_id = $1 order by i.created_at desc limit 100"
    ))
    .bind(region)
    .fetch_all(db)
    .await
}

/// The stored file of a previewed import, locked so it is committed once.
pub async fn lock_file(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<(String, String, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as(
        "select kind, status, file_bytes from imports where region_id = $1 and id = $2 and file_bytes is not null for update",
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn record_result(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
    status: &str,
    counts: Counts,
    errors: &[RowError],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update imports set status = $3, created_count = $4, updated_count = $5, unchanged_count = $6,
                  error_count = $7, errors = $8,
                  committed_at = case when $3 = 'committed' then now() end,
                  -- A committed file is not needed again; keep the record, drop the bytes.
                  file_bytes = case when $3 = 'committed' then null else file_bytes end
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(id)
    .bind(status)
    .bind(counts.created as i32)
    .bind(counts.updated as i32)
    .bind(counts.unchanged as i32)
    .bind(errors.len() as i32)
    .bind(sqlx::types::Json(errors))
    .execute(db)
    .await?;
    Ok(())
}

/// After a large import the planner's row counts are stale until autovacuum gets to them
/// (this machine runs without it), and the next query over the registry would pick a nested
/// loop over tens of thousands of rows. ANALYZE needs the tables' owner: not the tenant role.
pub async fn analyze_registry(db: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("analyze organizations, organization_sectors")
        .execute(db)
        .await?;
    Ok(())
}
