//! Who is late: overdue questions of everything a member oversees — a coordinator's scope,
//! and for the editors of a founder, every organization below it — grouped by organization.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::db::overdue::{self, OverdueRow};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::{OrgScope, RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::render::render;

/// Organizations shown, and questions per organization; the inbox's "overdue" filter for an
/// organization pages through all of them.
const ORGANIZATIONS: i64 = 50;
const PER_ORGANIZATION: i64 = 10;

#[derive(Template)]
#[template(path = "questions/overdue.html")]
pub struct OverdueScreen {
    pub chrome: Chrome,
    pub rows: Vec<OverdueRow>,
    pub total: i64,
    pub tz: Tz,
}

impl OverdueScreen {
    pub fn local(&self, t: &DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    /// A new organization starts at this row.
    pub fn first_of_org(&self, i: &usize) -> bool {
        *i == 0 || self.rows[*i - 1].organization_id != self.rows[*i].organization_id
    }
}

/// Coordinators oversee their scope; editors and heads the subtree of their organization.
fn oversight(access: &RegionAccess) -> OrgScope {
    let mut scope = OrgScope::default();
    for m in &access.memberships {
        match (m.role, &m.municipality, &m.organization) {
            (Role::Admin, _, _) | (Role::Coordinator, None, None) => scope.all = true,
            (Role::Coordinator, Some((mu, _)), _) => scope.municipalities.push(mu.0),
            (_, _, Some((org, _))) => scope.subtrees.push(org.0),
            _ => {}
        }
    }
    scope
}

pub async fn list(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
) -> AppResult<Response> {
    let scope = oversight(&access);
    let mut tx = state.tenant(access.region.id).await?;
    let ids = super::db::scope_ids(&mut tx, access.region.id, &scope).await?;
    // The organizations with the most overdue questions first, each with its oldest few;
    // the inbox's overdue filter has the rest.
    let rows = overdue::by_organization(
        &mut tx,
        access.region.id,
        &ids,
        ORGANIZATIONS,
        PER_ORGANIZATION,
    )
    .await?;
    let total = overdue::total(&mut tx, access.region.id, &ids).await?;
    tx.commit().await?;
    render(&OverdueScreen {
        chrome,
        rows,
        total,
        tz: crate::regions::time::zone_of(&access.region.time_zone),
    })
}
