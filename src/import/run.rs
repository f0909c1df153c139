//! The two steps every import goes through, from the web or the command line: preview
//! (read, check, record) and commit (check again against the registry as it is now, write).

use sqlx::PgConnection;

use super::db::{self, NewImport};
use super::plan::Plan;
use super::{Counts, RowError, activity, orgs, pages, reader};
use crate::audit;
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

/// Checks a table of any kind; the same call serves preview and commit.
async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    kind: &str,
    table: &reader::Table,
    l: Locale,
) -> Result<Plan, sqlx::Error> {
    Ok(match kind {
        KIND_PAGES => Plan::Pages(pages::plan(db, region, table, l).await?),
        KIND_ACTIVITY => {
            let time_zone = crate::regions::db::time_zone(db, region).await?;
            let today = crate::regions::time::today(crate::regions::time::zone_of(&time_zone));
            Plan::Activity(activity::plan(db, region, table, today, l).await?)
        }
        _ => Plan::Organizations(orgs::plan(db, region, table, l).await?),
    })
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
                planned.counts(),
                planned.errors().to_vec(),
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
    let counts = plan.counts();
    if !plan.errors().is_empty() {
        let errors = plan.errors().to_vec();
        db::record_result(db, region, id, "previewed", counts, &errors).await?;
        return Ok(CommitResult::Refused(errors));
    }
    plan.write(db, region, user, id).await?;
    db::record_result(db, region, id, "committed", counts, &[]).await?;
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
