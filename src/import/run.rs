//! The two steps every import goes through, from the web or the command line: preview
//! (read, check, record) and commit (check again against the registry as it is now, write).

use sqlx::PgConnection;

use super::db::{self, NewImport};
use super::{Counts, RowError, activity, orgs, pages, reader};
use crate::i18n::Locale;
use crate::ids::{RegionId, UserId};

pub const KIND_ORGANIZATIONS: &str = "organizations";
pub const KIND_PAGES: &str = "pages";
pub const KIND_ACTIVITY: &str = "activity";

/// The kind of an import as stored, from what a form or a command line says.
pub fn kind_of(value: &str) -> &'static str {
    match value {
        KIND_PAGES => KIND_PAGES,
        KIND_ACTIVITY => KIND_ACTIVITY,
        _ => KIND_ORGANIZATIONS,
    }
}

/// Checks a table of either kind; the same call serves preview and commit.
async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    kind: &str,
    table: &reader::Table,
    l: Locale,
) -> Result<Planned, sqlx::Error> {
    Ok(if kind == KIND_PAGES {
        let plan = pages::plan(db, region, table, l).await?;
        Planned {
            counts: plan.counts,
            errors: plan.errors.clone(),
            pages: Some(plan),
            orgs: None,
            activity: None,
        }
    } else if kind == KIND_ACTIVITY {
        let time_zone = crate::regions::db::time_zone(db, region).await?;
        let today = crate::regions::time::today(crate::regions::time::zone_of(&time_zone));
        let plan = activity::plan(db, region, table, today, l).await?;
        Planned {
            counts: plan.counts,
            errors: plan.errors.clone(),
            activity: Some(plan),
            orgs: None,
            pages: None,
        }
    } else {
        let plan = orgs::plan(db, region, table, l).await?;
        Planned {
            counts: plan.counts,
            errors: plan.errors.clone(),
            orgs: Some(plan),
            pages: None,
            activity: None,
        }
    })
}

struct Planned {
    counts: Counts,
    errors: Vec<RowError>,
    orgs: Option<orgs::OrgPlan>,
    pages: Option<pages::PagePlan>,
    activity: Option<activity::ActivityPlan>,
}

#[derive(Debug)]
pub struct Outcome {
    pub id: i64,
    pub rows: usize,
    pub counts: Counts,
    pub errors: Vec<RowError>,
}

#[derive(Debug)]
pub enum CommitResult {
    NotFound,
    AlreadyDone,
    Refused(Vec<RowError>),
    Committed(Counts),
}

fn file_error(l: Locale, e: &reader::ReadError) -> Vec<RowError> {
    vec![RowError {
        row: 0,
        column: None,
        message: l.t(e.message_key()),
    }]
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
    let (rows, counts, errors, status) = match reader::read(bytes) {
        Err(e) => (0, Counts::default(), file_error(l, &e), "refused"),
        Ok(table) => {
            let planned = plan(db, region, kind, &table, l).await?;
            (
                table.rows.len(),
                planned.counts,
                planned.errors,
                "previewed",
            )
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
            errors: &errors,
        },
    )
    .await?;
    Ok(Outcome {
        id,
        rows,
        counts,
        errors,
    })
}

pub async fn commit(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    id: i64,
    l: Locale,
) -> Result<CommitResult, sqlx::Error> {
    let Some((kind, status, bytes)) = db::lock_file(db, region, id).await? else {
        return Ok(match db::get(db, region, id).await? {
            Some(_) => CommitResult::AlreadyDone,
            None => CommitResult::NotFound,
        });
    };
    if status != "previewed" {
        return Ok(CommitResult::AlreadyDone);
    }
    let table = match reader::read(&bytes) {
        Ok(t) => t,
        Err(e) => return Ok(CommitResult::Refused(file_error(l, &e))),
    };
    // The registry may have changed since the preview: check again, inside this transaction.
    let plan = plan(db, region, &kind, &table, l).await?;
    if !plan.errors.is_empty() {
        db::record_result(db, region, id, "previewed", plan.counts, &plan.errors).await?;
        return Ok(CommitResult::Refused(plan.errors));
    }
    if let Some(p) = &plan.orgs {
        orgs::commit(db, region, user, id, p).await?;
    }
    if let Some(p) = &plan.pages {
        pages::commit(db, region, user, id, p).await?;
    }
    if let Some(p) = &plan.activity {
        activity::commit(db, region, user, id, p).await?;
    }
    db::record_result(db, region, id, "committed", plan.counts, &[]).await?;
    crate::audit::record(
        db,
        Some(region),
        user,
        "commit",
        "import",
        Some(id),
        serde_json::json!({ "created": plan.counts.created, "updated": plan.counts.updated, "unchanged": plan.counts.unchanged }),
    )
    .await?;
    Ok(CommitResult::Committed(plan.counts))
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
