//! Official pages of organizations on VK, Odnoklassniki, Telegram, MAX and other sites.
//! Addresses are normalized per platform (see `url`), and one page is registered once in
//! the whole installation. Admins manage every page of the region; an editor the pages of
//! their own organization.

pub mod card;
pub mod db;
mod handlers;
pub mod score;
pub mod url;

use axum::routing::get;

use crate::ids::{OrgId, PageId};
use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/pages",
            &[(GET, Access::RegionMember)],
            get(handlers::list),
        )
        .add(
            "/r/{region}/orgs/{id}/pages",
            &[(POST, Access::RegionMember)],
            axum::routing::post(handlers::create),
        )
        .add(
            "/r/{region}/orgs/{id}/pages/new",
            &[(GET, Access::RegionMember)],
            get(handlers::new_form),
        )
        .add(
            "/r/{region}/pages/{id}",
            &[(GET, Access::RegionMember), (POST, Access::RegionMember)],
            get(handlers::edit_form).post(handlers::update),
        )
        .add(
            "/r/{region}/pages/{id}/card",
            &[(GET, Access::RegionMember)],
            get(card::handlers::show),
        )
        .add(
            "/r/{region}/pages/{id}/mark",
            &[(POST, Access::RegionMember)],
            axum::routing::post(card::handlers::record_mark),
        )
        .add(
            "/r/{region}/pages/{id}/checklist",
            &[(POST, Access::RegionMember)],
            axum::routing::post(card::handlers::save_checklist),
        )
        .add(
            "/r/{region}/pages/{id}/setup",
            &[(POST, Access::RegionMember)],
            axum::routing::post(card::handlers::save_setup),
        )
        .add(
            "/r/{region}/pages/{id}/figures",
            &[(POST, Access::RegionMember)],
            axum::routing::post(card::handlers::save_figures),
        )
}

/// A page of the region by its address in any shape the importer reads.
pub async fn find_by_address(
    tx: &mut sqlx::PgConnection,
    url: &str,
) -> Result<Option<(PageId, OrgId)>, sqlx::Error> {
    let Some(platform) = url::detect(url) else {
        return Ok(None);
    };
    let Ok(normal) = url::normalize(platform, url) else {
        return Ok(None);
    };
    let Some(holder) = db::holder(tx, platform.code(), &normal.key).await? else {
        return Ok(None);
    };
    Ok(db::owner(tx, holder.region_id, holder.page_id)
        .await?
        .map(|org| (holder.page_id, org)))
}
