//! Connecting to PostgreSQL: create the database when missing, apply migrations, and explain
//! in one sentence what to do when no server answers.

use std::time::Duration;

use anyhow::{Context, anyhow};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

use crate::config::DatabaseUrl;
use crate::ids::RegionId;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn connect_and_migrate(url: &DatabaseUrl) -> anyhow::Result<PgPool> {
    let options = parse(url)?;
    ensure_database(&options, url).await?;
    let pool = pool(options, url).await?;
    MIGRATOR.run(&pool).await.context("applying migrations")?;
    Ok(pool)
}

/// The read replica's pool: no database to create and no migrations to run, the primary
/// streams both to it.
pub async fn connect_reads(url: &DatabaseUrl) -> anyhow::Result<PgPool> {
    pool(parse(url)?, url).await
}

fn parse(url: &DatabaseUrl) -> anyhow::Result<PgConnectOptions> {
    url.0
        .parse()
        .with_context(|| format!("not a PostgreSQL connection string: {url}"))
}

async fn pool(options: PgConnectOptions, url: &DatabaseUrl) -> anyhow::Result<PgPool> {
    // The screens' queries are short; compiling them to machine code costs ~100 ms each time
    // the planner's row guesses (a generate_series, an aggregate over a region) look large.
    // Optional filters (`$2 is null or …`) make a prepared statement's generic plan, chosen
    // after five runs, read a whole table; planning each run for its values costs far less.
    let options = options.options([("jit", "off"), ("plan_cache_mode", "force_custom_plan")]);
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| unreachable_hint(url, e))
}

async fn ensure_database(options: &PgConnectOptions, url: &DatabaseUrl) -> anyhow::Result<()> {
    let name = options.get_database().unwrap_or("postgres").to_owned();
    let maintenance = options.clone().database("postgres");
    let mut conn = maintenance
        .connect()
        .await
        .map_err(|e| unreachable_hint(url, e))?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(&name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        let quoted = name.replace('"', "\"\"");
        // Two instances starting at once may race here; losing the race is fine.
        if let Err(e) = sqlx::query(&format!("create database \"{quoted}\""))
            .execute(&mut conn)
            .await
        {
            let duplicate = e
                .as_database_error()
                .and_then(|d| d.code())
                .is_some_and(|c| c == "42P04");
            if !duplicate {
                return Err(e).context("creating the database");
            }
        }
        tracing::info!(database = %name, "created database");
    }
    conn.close().await.ok();
    Ok(())
}

fn unreachable_hint(url: &DatabaseUrl, err: sqlx::Error) -> anyhow::Error {
    anyhow!(
        "cannot reach PostgreSQL at {url} ({err}); start one with `docker compose up -d db` \
         or set DATABASE_URL to a running server"
    )
}

/// Whether every migration this binary knows has been applied; used by /readyz.
pub async fn migrations_applied(pool: &PgPool) -> bool {
    let expected = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .count() as i64;
    let applied: Result<i64, _> =
        sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
            .fetch_one(pool)
            .await;
    matches!(applied, Ok(n) if n >= expected)
}

/// Confines the rest of the transaction to one region: row-level security reads the region
/// from the setting, and the role has no BYPASSRLS.
pub async fn enter_region(
    tx: &mut sqlx::PgConnection,
    role: &str,
    region: RegionId,
) -> Result<(), sqlx::Error> {
    sqlx::query("select set_config('role', $1, true), set_config('app.region_id', $2, true)")
        .bind(role)
        .bind(region.0.to_string())
        .execute(tx)
        .await?;
    Ok(())
}

/// A point inside a transaction to roll back to: one part of a batch can fail alone.
/// `name` is a constant of the caller's, never input.
pub async fn savepoint(db: &mut sqlx::PgConnection, name: &'static str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("savepoint {name}"))
        .execute(db)
        .await?;
    Ok(())
}

/// Keeps what was done since the savepoint.
pub async fn release_savepoint(
    db: &mut sqlx::PgConnection,
    name: &'static str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("release savepoint {name}"))
        .execute(db)
        .await?;
    Ok(())
}

/// Undoes what was done since the savepoint; the transaction goes on.
pub async fn rollback_to_savepoint(
    db: &mut sqlx::PgConnection,
    name: &'static str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("rollback to savepoint {name}"))
        .execute(db)
        .await?;
    Ok(())
}
