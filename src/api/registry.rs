//! `GET /api/v1/organizations` and `GET /api/v1/pages`: the region's registry for the systems
//! that mirror it, filtered by municipality, sector, organization and time of change.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use serde::Deserialize;

use super::auth::ApiCaller;
use super::db::registry::{self, ApiOrganization, ApiPage, RegistryFilter};
use super::error::{ApiError, ApiResult};
use super::paging::{self, Page};
use super::scopes::Scope;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegistryQuery {
    pub municipality_id: Option<String>,
    pub sector_id: Option<String>,
    pub organization_id: Option<String>,
    pub updated_since: Option<String>,
    pub cursor: Option<String>,
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

pub async fn organizations(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(query): Query<RegistryQuery>,
) -> ApiResult<axum::Json<Page<ApiOrganization>>> {
    caller.require(Scope::RegistryRead)?;
    let filter = query.filter()?;
    let mut tx = state.tenant(caller.region).await?;
    let items = registry::organizations(&mut tx, caller.region, &filter).await?;
    tx.commit().await?;
    Ok(axum::Json(Page::new(items, filter.limit, |o| {
        (o.updated_at, o.id.0)
    })))
}

pub async fn pages(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(query): Query<RegistryQuery>,
) -> ApiResult<axum::Json<Page<ApiPage>>> {
    caller.require(Scope::RegistryRead)?;
    let filter = query.filter()?;
    let mut tx = state.tenant(caller.region).await?;
    let items = registry::pages(&mut tx, caller.region, &filter).await?;
    tx.commit().await?;
    Ok(axum::Json(Page::new(items, filter.limit, |p| {
        (p.updated_at, p.id.0)
    })))
}
