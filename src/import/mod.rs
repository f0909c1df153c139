//! Bulk import of a region's registry from the spreadsheets it already has (XLSX or CSV as
//! Russian Excel writes them). An import is previewed first — every problem with its row and
//! column — and committed only when there is none, all-or-nothing in one transaction.
//! Tenancy: imports belong to a region and run in its row-level-security transaction.

pub mod activity;
pub mod cli;
pub mod columns;
pub mod db;
mod handlers;
pub mod mapping;
pub mod municipalities;
pub mod orgs;
pub mod pages;
pub mod plan;
pub mod reader;
pub mod report;
pub mod run;
pub mod template;

use serde::{Deserialize, Serialize};

use crate::web::routes::{Access, GET, POST, Routes};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = crate::web::csrf::FILE_LIMIT;

/// Most data rows one file may hold unless the installation says otherwise.
pub const DEFAULT_MAX_ROWS: usize = 100_000;

static MAX_ROWS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(DEFAULT_MAX_ROWS);

/// The installation's row limit, set once at start-up from `--import-max-rows`: a process
/// setting, because the web and the command line read files through the same reader.
pub fn set_max_rows(rows: usize) {
    MAX_ROWS.store(rows.max(1), std::sync::atomic::Ordering::Relaxed);
}

pub fn max_rows() -> usize {
    MAX_ROWS.load(std::sync::atomic::Ordering::Relaxed)
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowError {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// The column's header as the file spells it.
    pub column: Option<String>,
    pub message: String,
    /// A value that names nothing in a dictionary, which the admin may map once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<UnknownValue>,
}

/// A sector or municipality name as a file writes it, unknown to the region.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct UnknownValue {
    /// `sector` or `municipality`.
    pub field: String,
    pub value: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/imports",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::list)
                .post(handlers::upload)
                .layer(DefaultBodyLimit::max(crate::web::csrf::UPLOAD_LIMIT)),
        )
        .add(
            "/r/{region}/imports/template.xlsx",
            &[(GET, Access::RegionAdmin)],
            get(handlers::template),
        )
        .add(
            "/r/{region}/imports/pages-template.xlsx",
            &[(GET, Access::RegionAdmin)],
            get(handlers::pages_template),
        )
        .add(
            "/r/{region}/imports/municipalities-template.xlsx",
            &[(GET, Access::RegionAdmin)],
            get(handlers::municipalities_template),
        )
        .add(
            "/r/{region}/imports/activity-template.xlsx",
            &[(GET, Access::RegionAdmin)],
            get(handlers::activity_template),
        )
        .add(
            "/r/{region}/imports/{id}",
            &[(GET, Access::RegionAdmin)],
            get(handlers::show),
        )
        .add(
            "/r/{region}/imports/{id}/mapping",
            &[(POST, Access::RegionAdmin)],
            post(mapping::save),
        )
        .add(
            "/r/{region}/imports/{id}/commit",
            &[(POST, Access::RegionAdmin)],
            post(handlers::commit),
        )
        // After commit: the access walk commits its sample import before it deletes it.
        .add(
            "/r/{region}/imports/{id}/delete",
            &[(POST, Access::RegionAdmin)],
            post(handlers::delete),
        )
}
