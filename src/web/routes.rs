//! The route table: every route is registered together with the access rule it promises,
//! so the authorization test can walk all of them and check each promise is kept.

use axum::Router;
use axum::routing::MethodRouter;

use crate::state::AppState;

/// Who may use a route; handlers enforce it, `tests/authorization.rs` verifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in, health, token links, language).
    Public,
    /// A platform delivering events: no session, the secret token in the path and the
    /// platform's own secret in the body decide; answers are plain text, never a page.
    Platform,
    /// Another system with an API token of the region (bearer token; JSON answers).
    ApiToken,
    /// Anyone signed in (their own home and account).
    SignedIn,
    /// The platform operator only.
    Operator,
    /// A member of the region in the path; the handler may narrow it to an organization.
    RegionMember,
    /// An admin of the region in the path.
    RegionAdmin,
    /// The head of the organization the object in the path belongs to.
    OrgHead,
    /// An admin or a coordinator of the region in the path (monitoring screens).
    RegionOverseer,
}

/// One method of one route and the access it promises.
#[derive(Clone, Debug)]
pub struct RouteInfo {
    pub path: &'static str,
    pub method: &'static str,
    pub access: Access,
}

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

pub const GET: &str = "GET";
pub const POST: &str = "POST";

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Registers a route with the access each of its methods promises.
    pub fn add(
        mut self,
        path: &'static str,
        rules: &[(&'static str, Access)],
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, handler);
        self.table
            .extend(rules.iter().map(|(method, access)| RouteInfo {
                path,
                method,
                access: *access,
            }));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.table)
    }
}
