pub mod activity;
pub mod orgs;
pub mod pages;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use std::collections::HashMap;

use super::Counts;
use super::columns::ColumnMemory;
use super::report::{ProblemGroup, Report};
use super::{RowError, UnknownValue};
use crate::ids::{RegionId, UserId};

/// An import as the list shows it: no report, however long.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportSummary {
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
    pub created_at: DateTime<Utc>,
    pub committed_at: Option<DateTime<Utc>>,
}

impl ImportSummary {
    pub fn can_commit(&self) -> bool {
        self.status == "previewed" && self.error_count == 0
    }

    /// A preview that changed nothing may be thrown away.
    pub fn can_delete(&self) -> bool {
        matches!(self.status.as_str(), "previewed" | "refused")
    }
}

/// An import with its report: the first problems, the kinds of problem, the unclaimed columns.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRow {
    #[sqlx(flatten)]
    pub summary: ImportSummary,
    pub errors: sqlx::types::Json<Vec<RowError>>,
    pub problem_groups: sqlx::types::Json<Vec<ProblemGroup>>,
    pub unknown_columns: sqlx::types::Json<Vec<String>>,
}

const SUMMARY: &str = r#"select i.id, i.kind, i.file_name, i.status, u.name as user_name, i.row_count, i.created_count,
       i.updated_count, i.unchanged_count, i.error_count, i.created_at, i.committed_at"#;
const FROM: &str = "from imports i left join users u on u.id = i.user_id";

pub struct NewImport<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub bytes: Option<&'a [u8]>,
    pub user: Option<UserId>,
    pub status: &'a str,
    pub rows: usize,
    pub counts: Counts,
    pub report: &'a Report,
    pub unknown_columns: &'a [String],
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    new: &NewImport<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into imports (region_id, kind, file_name, file_bytes, user_id, status, row_count, created_count,
                                updated_count, unchanged_count, error_count, errors, problem_groups, unknown_columns)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id"#,
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
    .bind(new.report.total as i32)
    .bind(sqlx::types::Json(&new.report.kept))
    .bind(sqlx::types::Json(&new.report.groups))
    .bind(sqlx::types::Json(new.unknown_columns))
    .fetch_one(db)
    .await
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as::<_, ImportRow>(&format!(
        "{SUMMARY}, i.errors, i.problem_groups, i.unknown_columns {FROM} where i.region_id = $1 and i.id = $2"
    ))
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<ImportSummary>, sqlx::Error> {
    sqlx::query_as::<_, ImportSummary>(&format!(
        "{SUMMARY} {FROM} where i.region_id = $1 order by i.created_at desc limit 100"
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

/// What a check of the stored file found, as it is recorded.
pub struct Checked<'a> {
    pub status: &'a str,
    pub counts: Counts,
    pub report: &'a Report,
    pub unknown_columns: &'a [String],
}

pub async fn record_result(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
    checked: &Checked<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update imports set status = $3, created_count = $4, updated_count = $5, unchanged_count = $6,
                  error_count = $7, errors = $8, problem_groups = $9, unknown_columns = $10,
                  committed_at = case when $3 = 'committed' then now() end,
                  -- A committed file is not needed again; keep the record, drop the bytes.
                  file_bytes = case when $3 = 'committed' then null else file_bytes end
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(id)
    .bind(checked.status)
    .bind(checked.counts.created as i32)
    .bind(checked.counts.updated as i32)
    .bind(checked.counts.unchanged as i32)
    .bind(checked.report.total as i32)
    .bind(sqlx::types::Json(&checked.report.kept))
    .bind(sqlx::types::Json(&checked.report.groups))
    .bind(sqlx::types::Json(checked.unknown_columns))
    .execute(db)
    .await?;
    Ok(())
}

/// Throws away the file and report of an import that changed nothing; its record stays.
/// False when there is none to throw away.
pub async fn delete_uncommitted(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        r#"update imports set status = 'deleted', file_bytes = null, errors = '[]', problem_groups = '[]',
                  unknown_columns = '[]'
           where region_id = $1 and id = $2 and status in ('previewed', 'refused')"#,
    )
    .bind(region)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The dictionaries a file's values may be mapped into.
pub const SECTOR: &str = "sector";
pub const MUNICIPALITY: &str = "municipality";

/// (field, normalized name) → the entry's id, as the admin mapped them.
pub type ValueMemory = HashMap<(String, String), i64>;

pub async fn column_memory(
    db: &mut PgConnection,
    region: RegionId,
    kind: &str,
) -> Result<ColumnMemory, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select header_key, target from import_column_maps where region_id = $1 and kind = $2",
    )
    .bind(region)
    .bind(kind)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

pub async fn value_memory(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<ValueMemory, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "select field, value_key, target_id from import_value_maps where region_id = $1",
    )
    .bind(region)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(field, key, id)| ((field, key), id))
        .collect())
}

/// Remembers what headers mean for the region's next file of this kind.
pub async fn remember_columns(
    db: &mut PgConnection,
    region: RegionId,
    kind: &str,
    targets: &[(String, String)],
) -> Result<(), sqlx::Error> {
    let (keys, values): (Vec<&str>, Vec<&str>) = targets
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .unzip();
    sqlx::query(
        r#"insert into import_column_maps (region_id, kind, header_key, target)
           select $1, $2, k, t from unnest($3::text[], $4::text[]) as m (k, t)
           on conflict (region_id, kind, header_key) do update set target = excluded.target, updated_at = now()"#,
    )
    .bind(region)
    .bind(kind)
    .bind(keys)
    .bind(values)
    .execute(db)
    .await?;
    Ok(())
}

/// Remembers what names mean in the region's dictionaries, for every later file.
pub async fn remember_values(
    db: &mut PgConnection,
    region: RegionId,
    targets: &[(UnknownValue, i64)],
) -> Result<(), sqlx::Error> {
    let fields: Vec<&str> = targets.iter().map(|(v, _)| v.field.as_str()).collect();
    let keys: Vec<String> = targets
        .iter()
        .map(|(v, _)| super::columns::normalize(&v.value))
        .collect();
    let ids: Vec<i64> = targets.iter().map(|(_, id)| *id).collect();
    sqlx::query(
        r#"insert into import_value_maps (region_id, field, value_key, target_id)
           select $1, f, k, t from unnest($2::text[], $3::text[], $4::bigint[]) as m (f, k, t)
           on conflict (region_id, field, value_key) do update set target_id = excluded.target_id, updated_at = now()"#,
    )
    .bind(region)
    .bind(fields)
    .bind(keys)
    .bind(ids)
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
