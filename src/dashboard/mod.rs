//! The coordinator's monitoring screens: coverage of the organizations that must run an
//! official page, for the region, per municipality and per sector, each figure opening the
//! organizations behind it.

pub mod coverage;
pub mod db;
pub mod digest;
pub mod digest_mail;
mod export;
pub mod federal;
pub mod focus;
mod handlers;
mod organization;
mod page_export;
mod question_export;
pub mod red_flags;
pub mod responsiveness;
pub mod trends;
mod widgets;

use axum::routing::get;

use crate::web::routes::{Access, GET, Routes};

pub use widgets::COLUMNS;

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/dashboard",
            &[(GET, Access::RegionOverseer)],
            get(handlers::dashboard),
        )
        .add(
            "/operator/overview",
            &[(GET, Access::Operator)],
            get(federal::overview),
        )
        .add(
            "/r/{region}/dashboard/digest",
            &[(GET, Access::RegionOverseer)],
            get(digest::digest),
        )
        .add(
            "/r/{region}/dashboard/digest.xlsx",
            &[(GET, Access::RegionOverseer)],
            get(digest::digest_xlsx),
        )
        .add(
            "/r/{region}/dashboard/export",
            &[(GET, Access::RegionOverseer)],
            get(handlers::export),
        )
        .add(
            "/r/{region}/dashboard/questions.csv",
            &[(GET, Access::RegionOverseer)],
            get(question_export::export),
        )
        .add(
            "/r/{region}/dashboard/pages",
            &[(GET, Access::RegionOverseer)],
            get(handlers::flagged_pages),
        )
        .add(
            "/r/{region}/dashboard/org/{id}",
            &[(GET, Access::RegionOverseer)],
            get(organization::organization),
        )
        .add(
            "/r/{region}/dashboard/pages.xlsx",
            &[(GET, Access::RegionOverseer)],
            get(page_export::export_pages),
        )
        .add(
            "/r/{region}/dashboard/orgs",
            &[(GET, Access::RegionOverseer)],
            get(handlers::drill),
        )
}
