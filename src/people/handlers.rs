use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::db::MembershipDetail;
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::invitations::{self, scope};
use crate::state::AppState;
use crate::web::access::{RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, SelectOption, Unique, taken};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::{Session, hash_token, random_token};

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MembershipForm {
    pub role: String,
    pub municipality_id: String,
    /// A name, OGRN or INN as typed; the membership's OGRN when the form opens.
    pub organization: String,
    /// One of the organizations offered when the name fits several.
    pub organization_id: String,
}

#[derive(Template)]
#[template(path = "people/membership.html")]
pub struct MembershipScreen {
    pub chrome: Chrome,
    pub membership: MembershipDetail,
    pub form: MembershipForm,
    pub errors: FieldErrors,
    pub municipalities: Vec<SelectOption>,
    pub candidates: Vec<SelectOption>,
}

async fn membership(
    db: &mut sqlx::PgConnection,
    access: &RegionAccess,
    id: i64,
) -> AppResult<MembershipDetail> {
    let found = super::db::membership(db, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    Ok(found)
}

/// A person holds a role with one scope once.
const UNIQUE: &[Unique] = &[Unique {
    constraint: "memberships_scope_key",
    field: "role",
    message_key: "people-membership-exists",
}];

fn people(access: &RegionAccess) -> String {
    format!("/r/{}/people", access.region.slug)
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let m = membership(&mut tx, &access, id).await?;
    let form = MembershipForm {
        role: m.role.clone(),
        municipality_id: m.municipality_id.map(|i| i.to_string()).unwrap_or_default(),
        organization: m.organization_ogrn.clone().unwrap_or_default(),
        organization_id: String::new(),
    };
    let municipalities = crate::municipalities::db::options(&mut tx, access.region.id).await?;
    render(&MembershipScreen {
        chrome,
        membership: m,
        form,
        errors: FieldErrors::default(),
        municipalities,
        candidates: Vec::new(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<MembershipForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let m = membership(&mut tx, &access, id).await?;
    let mut e = FieldErrors::default();
    let (chosen, candidates) = scope::validate(
        &mut tx,
        region,
        &scope::ScopeInput {
            role: &form.role,
            municipality: &form.municipality_id,
            organization: &form.organization,
            organization_id: &form.organization_id,
        },
        l,
        &mut e,
    )
    .await?;
    if m.user_id == access.user_id()
        && m.role == "admin"
        && chosen.is_some_and(|s| s.role != Role::Admin)
    {
        e.add("role", l.t("people-own-admin-role"));
    }
    let municipalities = crate::municipalities::db::options(&mut tx, region).await?;
    let (Some(chosen), true) = (chosen, e.is_empty()) else {
        return render_invalid(&MembershipScreen {
            chrome,
            membership: m,
            form,
            errors: e,
            municipalities,
            candidates,
        });
    };
    let updated = super::db::update_membership(
        &mut tx,
        region,
        id,
        chosen.role.code(),
        chosen.municipality,
        chosen.organization,
    )
    .await;
    if let Err(e) = updated {
        let errors = taken(e, UNIQUE, l)?;
        drop(tx);
        return render_invalid(&MembershipScreen {
            chrome,
            membership: m,
            form,
            errors,
            municipalities,
            candidates: Vec::new(),
        });
    }
    let details = serde_json::json!({ "user": m.email, "before": { "role": m.role, "municipality": m.municipality_id, "organization": m.organization_ogrn },
                            "after": { "role": chosen.role.code(), "municipality": chosen.municipality, "organization_id": chosen.organization } });
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Membership)
            .object_id(id)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(l.t("saved")).await?;
    Ok(redirect(&people(&access)))
}

pub async fn delete(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let m = membership(&mut tx, &access, id).await?;
    if m.user_id == access.user_id() && m.role == "admin" {
        session.set_flash(chrome.t("people-own-admin-role")).await?;
        return Ok(redirect(&people(&access)));
    }
    super::db::delete_membership(&mut tx, access.region.id, id).await?;
    let details = serde_json::json!({ "user": m.email, "role": m.role, "municipality": m.municipality_id, "organization": m.organization_ogrn });
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Delete, audit::Object::Membership)
            .object_id(id)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    session
        .set_flash(chrome.t("people-membership-removed"))
        .await?;
    Ok(redirect(&people(&access)))
}

/// Like a password reset, but an admin cannot disable themself.
async fn require_own_member(
    state: &AppState,
    access: &RegionAccess,
    user: UserId,
) -> AppResult<String> {
    let email = access.require_account_in_reach(&state.db, user).await?;
    if user == access.user_id() {
        return Err(AppError::Forbidden);
    }
    Ok(email)
}

async fn set_disabled(
    state: &AppState,
    access: &RegionAccess,
    user: UserId,
    disabled: bool,
) -> AppResult<()> {
    let email = require_own_member(state, access, user).await?;
    let mut tx = state.db.begin().await?;
    super::db::set_disabled(&mut tx, user, disabled).await?;
    audit::record(
        &mut tx,
        audit::Entry::member(
            access,
            if disabled {
                audit::Action::Disable
            } else {
                audit::Action::Enable
            },
            audit::Object::User,
        )
        .object_id(user.0)
        .details(serde_json::json!({ "user": email })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn disable(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    set_disabled(&state, &access, UserId(id), true).await?;
    session.set_flash(chrome.t("people-disabled")).await?;
    Ok(redirect(&people(&access)))
}

pub async fn enable(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    set_disabled(&state, &access, UserId(id), false).await?;
    session.set_flash(chrome.t("people-enabled")).await?;
    Ok(redirect(&people(&access)))
}

async fn pending_invitation(
    db: &mut sqlx::PgConnection,
    access: &RegionAccess,
    id: i64,
) -> AppResult<Option<String>> {
    let (email, pending) = invitations::db::email_and_pending(db, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    Ok(pending.then_some(email))
}

/// An accepted invitation cannot be revoked or sent again: back to the list, saying so.
async fn already_accepted(
    session: &Session,
    chrome: &Chrome,
    access: &RegionAccess,
) -> AppResult<Response> {
    session
        .set_flash(chrome.t("people-invitation-already-accepted"))
        .await?;
    Ok(redirect(&people(access)))
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let Some(email) = pending_invitation(&mut tx, &access, id).await? else {
        return already_accepted(&session, &chrome, &access).await;
    };
    invitations::db::revoke(&mut tx, access.region.id, id).await?;
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Revoke, audit::Object::Invitation)
            .object_id(id)
            .details(serde_json::json!({ "email": email })),
    )
    .await?;
    tx.commit().await?;
    session
        .set_flash(chrome.t("people-invitation-revoked"))
        .await?;
    Ok(redirect(&people(&access)))
}

/// A new link with a new expiry; the old link stops working.
pub async fn resend_invitation(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let Some(email) = pending_invitation(&mut tx, &access, id).await? else {
        return already_accepted(&session, &chrome, &access).await;
    };
    let token = random_token();
    invitations::db::renew(
        &mut tx,
        access.region.id,
        id,
        &hash_token(&token),
        state.settings.invitation_ttl,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Resend, audit::Object::Invitation)
            .object_id(id)
            .details(serde_json::json!({ "email": email })),
    )
    .await?;
    tx.commit().await?;
    let sent = invitations::db::Sent {
        link: format!("{}/invitations/{token}", state.settings.base_url),
        renewed: false,
    };
    // The link carries the token: it is logged without it.
    tracing::info!(invitation = id, "invitation link issued again");
    let message =
        invitations::announce(&state, &email, &access.region.name, &sent, chrome.locale).await;
    session.set_flash(message).await?;
    Ok(redirect(&people(&access)))
}
