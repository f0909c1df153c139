//! `GET /api/v1/organizations` and `GET /api/v1/pages`: the region's registry for the systems
//! that mirror it, filtered by municipality, sector, organization and time of change.

use std::collections::BTreeMap;

use axum::extract::Query;
use serde::Deserialize;

use super::auth::ApiCaller;
use super::db::registry::{self, ApiOrganization, ApiPage, RegistryFilter};
use super::error::{ApiError, ApiResult, ErrorResponse};
use super::paging::{self, Page};
use super::scopes::Scope;
use crate::web::reads::Reads;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct RegistryQuery {
    /// Only organizations of this municipality (and their pages).
    #[param(value_type = Option<i64>)]
    pub municipality_id: Option<String>,
    /// Only organizations in this sector (and their pages).
    #[param(value_type = Option<i64>)]
    pub sector_id: Option<String>,
    /// Only this organization (and its pages).
    #[param(value_type = Option<i64>)]
    pub organization_id: Option<String>,
    /// Only rows changed at or after this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 1000 (100 by default).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
}

impl RegistryQuery {
    fn filter(&self) -> Result<RegistryFilter, ApiError> {
        let mut fields = BTreeMap::new();
        let municipality = paging::id("municipality_id", &self.municipality_id, &mut fields);
        let sector = paging::id("sector_id", &self.sector_id, &mut fields);
        let organization = paging::id("organization_id", &self.organization_id, &mut fields);
        let p = paging::read(&self.cursor, &self.updated_since, &self.limit, &mut fields);
        if !fields.is_empty() {
            return Err(ApiError::invalid(fields));
        }
        Ok(RegistryFilter {
            municipality,
            sector,
            organization,
            updated_since: p.updated_since,
            after: p.after,
            limit: p.limit,
        })
    }
}

/// The region's organizations, oldest change first, a page at a time.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "registry", params(RegistryQuery),
    security(("token" = ["registry:read"])),
    responses(
        (status = 200, description = "A page of organizations", body = Page<ApiOrganization>),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks registry:read", body = ErrorResponse),
        (status = 422, description = "A filter that is not valid", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn organizations(
    reads: Reads,
    caller: ApiCaller,
    Query(query): Query<RegistryQuery>,
) -> ApiResult<axum::Json<Page<ApiOrganization>>> {
    caller.require(Scope::RegistryRead)?;
    let filter = query.filter()?;
    let mut tx = reads.tenant(caller.region).await?;
    let items = registry::organizations(&mut tx, caller.region, &filter).await?;
    tx.commit().await?;
    Ok(axum::Json(Page::new(items, filter.limit, |o| {
        (o.updated_at, o.id.0)
    })))
}

/// The region's official pages, oldest change first, a page at a time.
#[utoipa::path(get, path = "/api/v1/pages", tag = "registry", params(RegistryQuery),
    security(("token" = ["registry:read"])),
    responses(
        (status = 200, description = "A page of pages", body = Page<ApiPage>),
        (status = 401, description = "No valid token", body = ErrorResponse),
        (status = 403, description = "The token lacks registry:read", body = ErrorResponse),
        (status = 422, description = "A filter that is not valid", body = ErrorResponse),
        (status = 429, description = "Over the token's requests per minute", body = ErrorResponse),
    ))]
pub async fn pages(
    reads: Reads,
    caller: ApiCaller,
    Query(query): Query<RegistryQuery>,
) -> ApiResult<axum::Json<Page<ApiPage>>> {
    caller.require(Scope::RegistryRead)?;
    let filter = query.filter()?;
    let mut tx = reads.tenant(caller.region).await?;
    let items = registry::pages(&mut tx, caller.region, &filter).await?;
    tx.commit().await?;
    Ok(axum::Json(Page::new(items, filter.limit, |p| {
        (p.updated_at, p.id.0)
    })))
}
