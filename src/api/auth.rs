//! Who calls the API: the bearer token in `Authorization`, looked up by its hash, live and
//! not expired, and within its requests per minute (counted in PostgreSQL, so the limit holds
//! across every instance). A handler then asks for the scope it needs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::db;
use super::error::ApiError;
use super::scopes::Scope;
use super::tokens;
use crate::ids::RegionId;
use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token_id: i64,
    pub region: RegionId,
    pub name: String,
    scopes: Vec<String>,
}

impl ApiCaller {
    /// 403 unless the token was given `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| s == scope.code()) {
            Ok(())
        } else {
            Err(ApiError::forbidden(&format!(
                "this token does not have the scope {}",
                scope.code()
            )))
        }
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with(tokens::PREFIX) && t.len() < 200);
        let Some(token) = presented else {
            return Err(ApiError::unauthorized(
                "send the token as `Authorization: Bearer gp_…`",
            ));
        };
        let Some(caller) = db::caller(&state.db, &tokens::hash(token)).await? else {
            return Err(ApiError::unauthorized(
                "the token is unknown, revoked or expired",
            ));
        };
        let count = db::hit(&state.db, caller.id).await?;
        if count > state.settings.api_requests_per_minute {
            let now = chrono::Utc::now().timestamp();
            return Err(ApiError::too_many((60 - now.rem_euclid(60)).max(1) as u64));
        }
        Ok(ApiCaller {
            token_id: caller.id,
            region: caller.region_id,
            name: caller.name,
            scopes: caller.scopes,
        })
    }
}
