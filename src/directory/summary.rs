//! The region's public summary: how many organizations must run an official page, how many
//! do, how many are verified, per municipality — the coordinator's coverage headline, counted
//! by the same code from the same rows, so the public never sees other figures than the
//! region's own.

use askama::Template;
use axum::response::Response;

use crate::dashboard::coverage::{self, Coverage, Params};
use crate::error::{AppError, AppResult};
use crate::web::public::PublicChrome;
use crate::web::reads::Reads;
use crate::web::render::render;

#[derive(Template)]
#[template(path = "public/summary.html")]
pub struct SummaryScreen {
    pub chrome: PublicChrome,
    pub region_slug: String,
    pub region_name: String,
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
}

impl SummaryScreen {
    pub fn percent(&self, part: &i64, whole: &i64) -> i64 {
        if *whole <= 0 { 0 } else { part * 100 / whole }
    }
}

pub async fn summary(reads: Reads, chrome: PublicChrome) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let mut tx = reads.tenant(region.id).await?;
    let settings = crate::settings::db::get(&mut tx, region.id).await?;
    let params = Params {
        region: region.id,
        ids: None,
        settings: &settings,
        today: crate::regions::time::today_in(&region),
        platform: None,
    };
    let tables = coverage::tables(&mut tx, &params).await?;
    tx.commit().await?;
    render(&SummaryScreen {
        chrome,
        region_slug: region.slug,
        region_name: region.name,
        total: tables.total,
        municipalities: tables.municipalities,
    })
}
