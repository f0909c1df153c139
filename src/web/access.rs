//! Who is asking and what they may do: the one place where access rules live.
//!
//! Handlers state their need in the signature (`RegionAdmin`, `RegionAccess`, `Operator`).
//! Tenancy rule: a region the user has no membership in answers 404, as does any object of
//! another region; a member lacking the role answers 403.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::Serialize;

use crate::error::AppError;
use crate::ids::{MunicipalityId, OrgId, RegionId, UserId};
use crate::state::AppState;
use crate::web::session::Session;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub is_operator: bool,
    pub locale: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    Admin,
    Coordinator,
    Editor,
    /// The head of an organization: works like its editor and approves answers where the
    /// organization requires approval.
    Head,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "coordinator" => Some(Role::Coordinator),
            "editor" => Some(Role::Editor),
            "head" => Some(Role::Head),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Editor => "editor",
            Role::Head => "head",
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MembershipRow {
    pub region_id: RegionId,
    pub region_slug: String,
    pub region_name: String,
    pub role: String,
    pub municipality_id: Option<MunicipalityId>,
    pub municipality_name: Option<String>,
    pub organization_id: Option<OrgId>,
    pub organization_name: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Membership {
    pub region_id: RegionId,
    pub region_slug: String,
    pub region_name: String,
    pub role: Role,
    pub municipality: Option<(MunicipalityId, String)>,
    pub organization: Option<(OrgId, String)>,
}

impl Membership {
    /// An editor of one organization works on that organization's questions; everyone else
    /// starts at the region's overview.
    pub fn landing(&self) -> String {
        match (self.role, &self.organization) {
            (Role::Editor | Role::Head, Some(_)) => format!("/r/{}/questions", self.region_slug),
            _ => format!("/r/{}", self.region_slug),
        }
    }
}

/// The signed-in user and every membership they hold.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user: User,
    pub memberships: Vec<Membership>,
}

impl CurrentUser {
    pub fn in_region(&self, region: RegionId) -> Vec<Membership> {
        self.memberships
            .iter()
            .filter(|m| m.region_id == region)
            .cloned()
            .collect()
    }
}

async fn load_current_user(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<Arc<CurrentUser>>, AppError> {
    if let Some(cached) = parts.extensions.get::<Option<Arc<CurrentUser>>>() {
        return Ok(cached.clone());
    }
    let session = Session::from_request_parts(parts, state).await?;
    let loaded = match session.user_id().await {
        None => None,
        Some(id) => {
            let user = super::db::enabled_user(&state.db, id).await?;
            match user {
                None => None,
                Some(user) => {
                    let memberships = load_memberships(&state.db, user.id).await?;
                    tracing::Span::current().record("user_id", user.id.0);
                    Some(Arc::new(CurrentUser { user, memberships }))
                }
            }
        }
    };
    parts.extensions.insert(loaded.clone());
    Ok(loaded)
}

pub async fn load_memberships(
    db: &sqlx::PgPool,
    user: UserId,
) -> Result<Vec<Membership>, sqlx::Error> {
    let rows = super::db::memberships(db, user).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Membership {
                region_id: r.region_id,
                region_slug: r.region_slug,
                region_name: r.region_name,
                role: Role::parse(&r.role)?,
                municipality: r.municipality_id.zip(r.municipality_name),
                organization: r.organization_id.zip(r.organization_name),
            })
        })
        .collect())
}

/// Present only when someone is signed in; otherwise the request goes to the sign-in page.
#[derive(Clone, Debug)]
pub struct SignedIn(pub Arc<CurrentUser>);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        load_current_user(parts, state)
            .await?
            .map(SignedIn)
            .ok_or(AppError::LoginRequired)
    }
}

/// Whoever is signed in, if anyone.
#[derive(Clone, Debug)]
pub struct MaybeUser(pub Option<Arc<CurrentUser>>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(MaybeUser(load_current_user(parts, state).await?))
    }
}

/// The platform operator: installation-wide screens only.
pub struct Operator(pub Arc<CurrentUser>);

impl FromRequestParts<AppState> for Operator {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        if user.user.is_operator {
            Ok(Operator(user))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Region {
    pub id: RegionId,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
}

/// The region named by `{region}` in the path; 404 when there is no such region.
pub async fn region_from_path(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<Region>, AppError> {
    if let Some(cached) = parts.extensions.get::<Option<Region>>() {
        return Ok(cached.clone());
    }
    let Ok(Path(params)) = Path::<HashMap<String, String>>::from_request_parts(parts, state).await
    else {
        return Ok(None);
    };
    let Some(slug) = params.get("region") else {
        return Ok(None);
    };
    // Read where the request's other reads go: with a replica, public pages keep answering
    // from it while the primary is down. A browser that has just written (a region created a
    // moment ago) reads from the primary until the replica has replayed it.
    let reads = super::reads::reads_of(parts, state).await;
    let region = super::db::region_by_slug(reads.pool(), slug).await?;
    let region = Some(region.ok_or(AppError::NotFound)?);
    parts.extensions.insert(region.clone());
    Ok(region)
}

/// A signed-in member of the region in the path, with their memberships there.
#[derive(Clone, Debug)]
pub struct RegionAccess {
    pub user: Arc<CurrentUser>,
    pub region: Region,
    pub memberships: Vec<Membership>,
}

impl FromRequestParts<AppState> for RegionAccess {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let region = region_from_path(parts, state)
            .await?
            .ok_or(AppError::NotFound)?;
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        let memberships = user.in_region(region.id);
        if memberships.is_empty() {
            // Someone else's region: it does not exist for this user.
            return Err(AppError::NotFound);
        }
        Ok(RegionAccess {
            user,
            region,
            memberships,
        })
    }
}

/// Where an organization sits, for deciding who may see or edit it.
#[derive(Clone, Debug)]
pub struct OrgPlacement {
    pub id: OrgId,
    pub municipality_id: Option<MunicipalityId>,
    /// The organization itself and every founder above it.
    pub lineage: Vec<OrgId>,
}

/// Which organizations a member may see, as SQL-ready lists (pushed into queries by the organizations store).
#[derive(Clone, Debug, Default)]
pub struct OrgScope {
    pub all: bool,
    pub municipalities: Vec<i64>,
    pub subtrees: Vec<i64>,
    pub organizations: Vec<i64>,
}

impl RegionAccess {
    pub fn user_id(&self) -> UserId {
        self.user.user.id
    }

    pub fn is_admin(&self) -> bool {
        self.memberships.iter().any(|m| m.role == Role::Admin)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.memberships.iter().any(|m| m.role == role)
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn org_scope(&self) -> OrgScope {
        let mut scope = OrgScope::default();
        for m in &self.memberships {
            match (m.role, &m.municipality, &m.organization) {
                (Role::Admin, _, _) | (Role::Coordinator, None, None) => scope.all = true,
                (Role::Coordinator, Some((mu, _)), _) => scope.municipalities.push(mu.0),
                (Role::Coordinator, None, Some((org, _))) => scope.subtrees.push(org.0),
                (Role::Editor | Role::Head, _, Some((org, _))) => scope.organizations.push(org.0),
                (Role::Editor | Role::Head, _, None) => {}
            }
        }
        scope
    }

    pub fn can_view_org(&self, org: &OrgPlacement) -> bool {
        self.memberships
            .iter()
            .any(|m| match (m.role, &m.municipality, &m.organization) {
                (Role::Admin, _, _) | (Role::Coordinator, None, None) => true,
                (Role::Coordinator, Some((mu, _)), _) => org.municipality_id == Some(*mu),
                (Role::Coordinator, None, Some((root, _))) => org.lineage.contains(root),
                (Role::Editor | Role::Head, _, Some((own, _))) => *own == org.id,
                (Role::Editor | Role::Head, _, None) => false,
            })
    }

    /// Admins edit every organization's pages; an editor those of their own organization.
    pub fn can_edit_pages_of(&self, org: &OrgPlacement) -> bool {
        self.memberships
            .iter()
            .any(|m| match (m.role, &m.organization) {
                (Role::Admin, _) => true,
                (Role::Editor | Role::Head, Some((own, _))) => *own == org.id,
                _ => false,
            })
    }

    /// Visible but not editable is 403; not visible at all is 404, like another region's.
    pub fn require_view_org(&self, org: &OrgPlacement) -> Result<(), AppError> {
        if self.can_view_org(org) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub fn require_edit_pages_of(&self, org: &OrgPlacement) -> Result<(), AppError> {
        self.require_view_org(org)?;
        if self.can_edit_pages_of(org) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl RegionAccess {
    /// Whether this region's admin may act on a person's account itself (reset, disable): only
    /// someone who works in this region alone and is not the operator. Returns their email.
    /// Memberships elsewhere are exactly what the tenant role cannot see, so this one read
    /// runs outside it, on purpose.
    pub async fn require_account_in_reach(
        &self,
        db: &sqlx::PgPool,
        user: UserId,
    ) -> Result<String, AppError> {
        let reach = super::db::account_reach(db, user, self.region.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if reach.memberships_here == 0 {
            return Err(AppError::NotFound);
        }
        self.require_admin()?;
        if reach.memberships_elsewhere > 0 || reach.is_operator {
            return Err(AppError::Forbidden);
        }
        Ok(reach.email)
    }
}

/// A region admin; any other member of the region gets 403.
pub struct RegionAdmin(pub RegionAccess);

impl FromRequestParts<AppState> for RegionAdmin {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let access = RegionAccess::from_request_parts(parts, state).await?;
        access.require_admin()?;
        Ok(RegionAdmin(access))
    }
}

/// An admin or coordinator of the region; editors get 403. The scope of what they see is
/// narrowed by `RegionAccess::org_scope`.
pub struct RegionOverseer(pub RegionAccess);

impl FromRequestParts<AppState> for RegionOverseer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let access = RegionAccess::from_request_parts(parts, state).await?;
        if access.is_admin() || access.has_role(Role::Coordinator) {
            Ok(RegionOverseer(access))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The client's address (absent behind an in-process test router): the peer's, or behind a
/// trusted load balancer the one it forwarded.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(peer.map(|peer| {
            client_behind(peer, &parts.headers, &state.settings.trusted_proxies)
        })))
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` that is not a trusted proxy. Addresses further left were
/// written by whoever sent the request and prove nothing.
pub fn client_behind(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in forwarded.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", forwarded.parse().unwrap());
        h
    }

    #[test]
    fn the_client_is_read_from_a_trusted_proxy_only() {
        let proxy: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let client: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let trusted = [proxy];
        // Behind the proxy: the address it appended, not what the client wrote before it.
        assert_eq!(
            client_behind(proxy, &headers("198.51.100.1, 203.0.113.7"), &trusted),
            client
        );
        // Two proxies deep: the nearest address that is not a proxy.
        assert_eq!(
            client_behind(proxy, &headers("203.0.113.7, 10.0.0.2"), &trusted),
            client
        );
        // Anyone else's header is ignored; a proxy without one is the client.
        assert_eq!(
            client_behind(client, &headers("198.51.100.1"), &trusted),
            client
        );
        assert_eq!(client_behind(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(
            client_behind(proxy, &headers("not an address"), &trusted),
            proxy
        );
    }
}
