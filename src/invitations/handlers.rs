use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::db::{self, InvitationRow, MemberRow, NewInvitation, PendingInvitation};
use crate::audit;
use crate::auth::{email, password};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionAdmin};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, SelectOption};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "invitations/people.html")]
pub struct PeopleScreen {
    pub chrome: Chrome,
    pub members: Vec<MemberRow>,
    pub invitations: Vec<InvitationRow>,
    pub municipalities: Vec<SelectOption>,
    pub form: InviteForm,
    pub errors: FieldErrors,
    pub tz: chrono_tz::Tz,
    pub candidates: Vec<SelectOption>,
    pub link_base: super::LinkBase,
}

impl PeopleScreen {
    /// A time as people of the region read it.
    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

#[derive(Template)]
#[template(path = "invitations/accept.html")]
pub struct AcceptScreen {
    pub chrome: Chrome,
    pub invitation: Option<PendingInvitation>,
    pub existing_user: bool,
    pub person_name: String,
    pub errors: FieldErrors,
    pub token: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
    pub municipality_id: String,
    /// A name, OGRN or INN as typed.
    pub organization: String,
    /// One of the organizations offered when the name fits several.
    pub organization_id: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    pub name: String,
    pub password: String,
    pub password_confirm: String,
}

async fn people_page(
    state: &AppState,
    access: &RegionAccess,
    chrome: Chrome,
    form: InviteForm,
    errors: FieldErrors,
    candidates: Vec<SelectOption>,
) -> AppResult<PeopleScreen> {
    let mut conn = state.tenant(access.region.id).await?;
    Ok(PeopleScreen {
        members: db::members(&mut conn, access.region.id).await?,
        invitations: db::list(&mut conn, access.region.id).await?,
        municipalities: crate::municipalities::db::options(&mut conn, access.region.id).await?,
        chrome,
        form,
        errors,
        tz: crate::regions::time::zone(&access.region),
        candidates,
        link_base: super::LinkBase::of(state),
    })
}

pub async fn people(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let form = InviteForm {
        role: "editor".into(),
        ..Default::default()
    };
    let page = people_page(
        &state,
        &access,
        chrome,
        form,
        FieldErrors::default(),
        Vec::new(),
    );
    render(&page.await?)
}

pub async fn create(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let region = access.region.id;
    let mut tx = state.tenant(access.region.id).await?;
    let mut e = FieldErrors::default();
    if !email::looks_like_email(&form.email) {
        e.add("email", l.t("email-invalid"));
    }
    let (scope, candidates) = super::scope::validate(
        &mut tx,
        region,
        &super::scope::ScopeInput {
            role: &form.role,
            municipality: &form.municipality_id,
            organization: &form.organization,
            organization_id: &form.organization_id,
        },
        l,
        &mut e,
    )
    .await?;
    let (Some(scope), true) = (scope, e.is_empty()) else {
        drop(tx);
        let page = people_page(&state, &access, chrome, form, e, candidates);
        return render_invalid(&page.await?);
    };
    let new = NewInvitation {
        email: form.email.clone(),
        role: scope.role,
        municipality_id: scope.municipality,
        organization_id: scope.organization,
    };
    let sent = db::create(&mut tx, &state, region, &new, access.user_id()).await?;
    tx.commit().await?;
    let message = super::announce(&state, &form.email, &access.region.name, &sent, l).await;
    session.set_flash(message).await?;
    Ok(redirect(&format!("/r/{}/people", access.region.slug)))
}

async fn existing_user(state: &AppState, email: &str) -> AppResult<bool> {
    let mut conn = state.db.acquire().await?;
    Ok(crate::auth::db::find_by_email(&mut conn, email)
        .await?
        .is_some())
}

pub async fn accept_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let mut conn = state.db.acquire().await?;
    let invitation = db::pending(&mut conn, &token).await?;
    drop(conn);
    let Some(invitation) = invitation else {
        let page = AcceptScreen {
            chrome,
            invitation: None,
            existing_user: false,
            person_name: String::new(),
            errors: FieldErrors::default(),
            token,
        };
        return Ok((StatusCode::NOT_FOUND, Html(page.render()?)).into_response());
    };
    let existing_user = existing_user(&state, &invitation.email).await?;
    render(&AcceptScreen {
        chrome,
        invitation: Some(invitation),
        existing_user,
        person_name: String::new(),
        errors: FieldErrors::default(),
        token,
    })
}

pub async fn accept(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let mut tx = state.db.begin().await?;
    let Some(invitation) = db::pending(&mut tx, &token).await? else {
        drop(tx);
        let page = AcceptScreen {
            chrome,
            invitation: None,
            existing_user: false,
            person_name: String::new(),
            errors: FieldErrors::default(),
            token,
        };
        return Ok((StatusCode::NOT_FOUND, Html(page.render()?)).into_response());
    };
    let mut e = FieldErrors::default();
    let user_id = match crate::auth::db::credentials(&mut tx, &invitation.email).await? {
        Some(existing) => {
            if !password::verify(form.password.clone(), Some(existing.password_hash)).await?
                || existing.disabled
            {
                e.add("password", l.t("invitation-password-wrong"));
            }
            existing.id
        }
        None => {
            let name = form.name.trim();
            if name.is_empty() {
                e.add("name", l.t("field-required"));
            }
            password::check_new(&form.password, &form.password_confirm, l, &mut e);
            if !e.is_empty() {
                drop(tx);
                return render_invalid(&AcceptScreen {
                    chrome,
                    invitation: Some(invitation),
                    existing_user: false,
                    person_name: form.name,
                    errors: e,
                    token,
                });
            }
            let hash = password::hash(form.password.clone()).await?;
            crate::auth::db::create(&mut tx, &invitation.email, name, &hash, false, false).await?
        }
    };
    if !e.is_empty() {
        drop(tx);
        return render_invalid(&AcceptScreen {
            chrome,
            invitation: Some(invitation),
            existing_user: true,
            person_name: String::new(),
            errors: e,
            token,
        });
    }
    db::add_membership(
        &mut tx,
        invitation.region_id,
        user_id,
        &invitation.role,
        invitation.municipality_id,
        invitation.organization_id,
    )
    .await?;
    db::mark_accepted(&mut tx, invitation.id, user_id).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::Accept, audit::Object::Invitation)
            .region(invitation.region_id)
            .user(user_id)
            .object_id(invitation.id.0)
            .details(serde_json::json!({ "role": invitation.role })),
    )
    .await?;
    tx.commit().await?;
    session.sign_in(user_id).await?;
    session.set_flash(l.t("invitation-accepted")).await?;
    Ok(redirect("/home"))
}
