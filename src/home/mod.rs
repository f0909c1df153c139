//! Where people land: the scope chooser after sign-in and each region's overview, whose
//! content depends on the member's role.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::error::AppResult;
use crate::orgs::db::ScopeCounts;
use crate::state::AppState;
use crate::web::access::{RegionAccess, Role, SignedIn};
use crate::web::chrome::{Chrome, ScopeLink, scope_links};
use crate::web::redirect;
use crate::web::render::render;
use crate::web::routes::{Access, GET, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add("/home", &[(GET, Access::SignedIn)], get(home))
        .add(
            "/r/{region}",
            &[(GET, Access::RegionMember)],
            get(region_overview),
        )
}

#[derive(Template)]
#[template(path = "home/home.html")]
pub struct HomeScreen {
    pub chrome: Chrome,
    pub scopes: Vec<ScopeLink>,
}

#[derive(Template)]
#[template(path = "home/region.html")]
pub struct RegionOverviewScreen {
    /// Open and overdue questions in the member's scope.
    pub questions: (i64, i64),
    pub chrome: Chrome,
    pub counts: ScopeCounts,
    pub is_admin: bool,
    pub roles: Vec<String>,
    pub own_orgs: Vec<(i64, String)>,
}

impl RegionOverviewScreen {
    pub fn coverage_percent(&self) -> i64 {
        let required = self.counts.organizations - self.counts.exempt;
        if required <= 0 {
            0
        } else {
            self.counts.with_pages * 100 / required
        }
    }
}

async fn home(SignedIn(user): SignedIn, chrome: Chrome) -> AppResult<Response> {
    let scopes = scope_links(chrome.locale, &user, None);
    if scopes.len() == 1 {
        return Ok(redirect(&scopes[0].href));
    }
    render(&HomeScreen { chrome, scopes })
}

async fn region_overview(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let counts =
        crate::orgs::db::scope_counts(&mut conn, access.region.id, &access.org_scope()).await?;
    let questions =
        crate::questions::db::open_counts(&mut conn, access.region.id, &access.org_scope()).await?;
    let roles = access
        .memberships
        .iter()
        .map(|m| crate::web::chrome::scope_label(chrome.locale, m))
        .collect();
    let own_orgs = access
        .memberships
        .iter()
        .filter(|m| matches!(m.role, Role::Editor | Role::Head))
        .filter_map(|m| m.organization.clone())
        .map(|(id, name)| (id.0, name))
        .collect();
    render(&RegionOverviewScreen {
        chrome,
        counts,
        questions,
        is_admin: access.is_admin(),
        roles,
        own_orgs,
    })
}
