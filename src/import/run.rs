//! The two steps every import goes through, from the web or the command line: preview
//! (read, check, record) and commit (check again against the registry as it is now, write).

use sqlx::PgConnection;

use super::db::{self, NewImport};
use super::plan::Plan;
use super::report::Report;
use super::{Counts, RowError, activity, municipalities, orgs, pages, reader};
use crate::audit;
use crate::i18n::Locale;
use crate::ids::{RegionId, UserId};

pub const KIND_ORGANIZATIONS: &str = "organizations";
pub const KIND_PAGES: &str = "pages";
pub const KIND_ACTIVITY: &str = "activity";
pub const KIND_MUNICIPALITIES: &str = "municipalities";

/// The kind of an import as stored, from what a form or a command line says.
pub fn kind_of(value: &str) -> &'static str {
    match value {
        KIND_PAGES => KIND_PAGES,
        KIND_ACTIVITY => KIND_ACTIVITY,
        KIND_MUNICIPALITIES => KIND_MUNICIPALITIES,
        _ => KIND_ORGANIZATIONS,
    }
}

/// Checks a table of any kind; the same call serves preview and commit.
async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    kind: &str,
    table: reader::Table,
    l: Locale,
) -> Result<Plan, sqlx::Error> {
    Ok(match kind {
        KIND_PAGES => Plan::Pages(pages::plan(db, region, table, l).await?),
        KIND_ACTIVITY => {
            let time_zone = crate::regions::db::time_zone(db, region).await?;
            let today = crate::regions::time::today(crate::regions::time::zone_of(&time_zone));
            Plan::Activity(activity::plan(db, region, table, today, l).await?)
        }
        KIND_MUNICIPALITIES => {
            Plan::Municipalities(municipalities::plan(db, region, table, l).await?)
        }
        _ => Plan::Organizations(orgs::plan(db, region, table, l).await?),
    })
}

#[derive(Debug)]
pub struct Outcome {
    pub id: i64,
    pub rows: usize,
    pub counts: Counts,
    pub report: Report,
}

#[derive(Debug)]
pub enum CommitResult {
    NotFound,
    AlreadyDone,
    Refused(Report),
    Committed(Counts),
}

fn file_error(l: Locale, e: &reader::ReadError) -> Report {
    Report::of(vec![RowError {
        row: 0,
        column: None,
        message: e.message(l),
        unknown: None,
    }])
}

pub async fn preview(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
    l: Locale,
) -> Result<Outcome, sqlx::Error> {
    let kind = kind_of(kind);
    let (rows, counts, report, unknown_columns, status) = match reader::read(bytes) {
        Err(e) => (
            0,
            Counts::default(),
            file_error(l, &e),
            Vec::new(),
            "refused",
        ),
        Ok(table) => {
            let rows = table.rows.len();
            let planned = plan(db, region, kind, table, l).await?;
            let unknown_columns = planned.unknown_columns().to_vec();
            let counts = planned.counts();
            let report = planned.report().clone();
            (rows, counts, report, unknown_columns, "previewed")
        }
    };
    let keep = (status == "previewed").then_some(bytes);
    let id = db::insert(
        db,
        region,
        &NewImport {
            kind,
            file_name,
            bytes: keep,
            user,
            status,
            rows,
            counts,
            report: &report,
            unknown_columns: &unknown_columns,
        },
    )
    .await?;
    Ok(Outcome {
        id,
        rows,
        counts,
        report,
    })
}

/// A previewed file checked again, as the region's registry and remembered mappings are now.
enum Recheck {
    NotFound,
    AlreadyDone,
    Refused(Report),
    Clean(Plan),
}

async fn recheck(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
    l: Locale,
) -> Result<Recheck, sqlx::Error> {
    let Some((kind, status, bytes)) = db::lock_file(db, region, id).await? else {
        return Ok(match db::get(db, region, id).await? {
            Some(_) => Recheck::AlreadyDone,
            None => Recheck::NotFound,
        });
    };
    if status != "previewed" {
        return Ok(Recheck::AlreadyDone);
    }
    let table = match reader::read(&bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Recheck::Refused(file_error(l, &e))),
    };
    drop(bytes);
    let plan = plan(db, region, &kind, table, l).await?;
    let counts = plan.counts();
    let unknown_columns = plan.unknown_columns().to_vec();
    if plan.report().is_clean() {
        db::record_result(
            db,
            region,
            id,
            &db::Checked {
                status: "previewed",
                counts,
                report: &Report::default(),
                unknown_columns: &unknown_columns,
            },
        )
        .await?;
        return Ok(Recheck::Clean(plan));
    }
    let report = plan.report().clone();
    db::record_result(
        db,
        region,
        id,
        &db::Checked {
            status: "previewed",
            counts,
            report: &report,
            unknown_columns: &unknown_columns,
        },
    )
    .await?;
    Ok(Recheck::Refused(report))
}

/// Checks a previewed file again after the admin said what its columns or values mean.
pub async fn check_again(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
    l: Locale,
) -> Result<bool, sqlx::Error> {
    Ok(!matches!(
        recheck(db, region, id, l).await?,
        Recheck::NotFound
    ))
}

pub async fn commit(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    id: i64,
    l: Locale,
) -> Result<CommitResult, sqlx::Error> {
    // The registry may have changed since the preview: check again, inside this transaction.
    let plan = match recheck(db, region, id, l).await? {
        Recheck::NotFound => return Ok(CommitResult::NotFound),
        Recheck::AlreadyDone => return Ok(CommitResult::AlreadyDone),
        Recheck::Refused(report) => return Ok(CommitResult::Refused(report)),
        Recheck::Clean(plan) => plan,
    };
    let counts = plan.counts();
    plan.write(db, region, user, id).await?;
    db::record_result(
        db,
        region,
        id,
        &db::Checked {
            status: "committed",
            counts,
            report: &Report::default(),
            unknown_columns: &[],
        },
    )
    .await?;
    let details = serde_json::json!({ "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged });
    audit::record(
        db,
        audit::Entry::new(audit::Action::Commit, audit::Object::Import)
            .region(region)
            .user_opt(user)
            .object_id(id)
            .details(details),
    )
    .await?;
    Ok(CommitResult::Committed(counts))
}

/// Large imports leave the planner's statistics stale (see `db::analyze_registry`).
pub async fn refresh_statistics(db: &sqlx::PgPool, counts: Counts) {
    if counts.created + counts.updated < 500 {
        return;
    }
    if let Err(e) = super::db::analyze_registry(db).await {
        tracing::warn!(error = %e, "could not refresh planner statistics after an import");
    }
}

/// Gives back to the system the memory a large file took. glibc keeps freed small blocks in
/// its heaps for reuse, so after a 100,000-row import the server would stay hundreds of
/// megabytes larger than it needs until the next one; trimming after each import returns it.
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
