//! Answer approval per organization: its head or a region admin turns it on or off.

use axum::extract::{Form, Path, State};
use axum::response::Response;
use sqlx::PgConnection;

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::ids::{OrgId, RegionId};
use crate::state::AppState;
use crate::web::access::{RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::IdPath;
use crate::web::redirect;
use crate::web::session::Session;

/// Whether this member may switch approval for the organization.
pub fn may_switch(access: &RegionAccess, org: OrgId) -> bool {
    access.is_admin()
        || access.memberships.iter().any(|m| {
            m.role == Role::Head && m.organization.as_ref().is_some_and(|(o, _)| *o == org)
        })
}

pub async fn is_on(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<bool, sqlx::Error> {
    super::db::approval_on(db, region, org).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    /// "on" or "off".
    pub approval: String,
}

pub async fn switch(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<SwitchForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let placement = crate::orgs::db::placement(&mut tx, region, OrgId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_view_org(&placement)?;
    if !may_switch(&access, OrgId(id)) {
        return Err(AppError::Forbidden);
    }
    let on = form.approval == "on";
    let before = is_on(&mut tx, region, OrgId(id)).await?;
    super::db::set_approval(&mut tx, region, OrgId(id), on).await?;
    let details = serde_json::json!({ "before": { "answer_approval": before }, "after": { "answer_approval": on } });
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Organization)
            .object_id(id)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    session
        .set_flash(chrome.t(if on {
            "approval-turned-on"
        } else {
            "approval-turned-off"
        }))
        .await?;
    Ok(redirect(&format!("/r/{}/orgs/{id}", access.region.slug)))
}
