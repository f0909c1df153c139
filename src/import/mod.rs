//! Bulk import of a region's registry from the spreadsheets it already has (XLSX or CSV as
//! Russian Excel writes them). An import is previewed first — every problem with its row and
//! column — and committed only when there is none, all-or-nothing in one transaction.
//! Tenancy: imports belong to a region and run in its row-level-security transaction.

pub mod activity;
pub mod cli;
pub mod columns;
pub mod db;
mod handlers;
pub mod orgs;
pub mod pages;
pub mod plan;
pub mod reader;
pub mod run;
pub mod template;

use serde::{Deserialize, Serialize};

use crate::web::routes::{Access, GET, POST, Routes};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = crate::web::csrf::FILE_LIMIT;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowError {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// The column's header as the file spells it.
    pub column: Option<String>,
    pub message: String,
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
            "/r/{region}/imports/{id}/commit",
            &[(POST, Access::RegionAdmin)],
            post(handlers::commit),
        )
}
