use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, RegionRow};
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::ids::RegionId;
use crate::invitations::db::{InvitationRow, NewInvitation};
use crate::state::AppState;
use crate::web::access::{Operator, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath};
use crate::web::forms::{Unique, taken};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "regions/list.html")]
pub struct RegionListScreen {
    pub chrome: Chrome,
    pub rows: Vec<RegionRow>,
}

#[derive(Template)]
#[template(path = "regions/form.html")]
pub struct RegionFormScreen {
    pub chrome: Chrome,
    pub form: RegionForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "regions/show.html")]
pub struct RegionScreen {
    pub chrome: Chrome,
    pub region: RegionRow,
    pub invitations: Vec<InvitationRow>,
    pub email: String,
    pub errors: FieldErrors,
    pub link_base: crate::invitations::LinkBase,
}

impl RegionScreen {
    /// A time as people of this region read it.
    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        super::time::local(t, super::time::zone_of(&self.region.time_zone))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegionForm {
    pub name: String,
    pub slug: String,
    pub time_zone: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteAdminForm {
    pub email: String,
}

/// The federal overview reads every region at once: outside row-level security on purpose,
/// for the operator only, and recorded in the audit log.
const UNIQUE: &[Unique] = &[Unique {
    constraint: "regions_slug_key",
    field: "slug",
    message_key: "region-slug-taken",
}];

pub async fn list(
    State(state): State<AppState>,
    Operator(op): Operator,
    chrome: Chrome,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let rows = db::list(&mut tx).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::View, audit::Object::FederalOverview)
            .user(op.user.id)
            .details(serde_json::json!({ "regions": rows.len() })),
    )
    .await?;
    tx.commit().await?;
    render(&RegionListScreen { chrome, rows })
}

pub async fn new_form(_op: Operator, chrome: Chrome) -> AppResult<Response> {
    let form = RegionForm {
        time_zone: "Europe/Moscow".into(),
        ..Default::default()
    };
    render(&RegionFormScreen {
        chrome,
        form,
        errors: FieldErrors::default(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    Operator(op): Operator,
    session: Session,
    chrome: Chrome,
    Form(form): Form<RegionForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let mut errors = FieldErrors::default();
    let name = form.name.trim().to_owned();
    let slug = form.slug.trim().to_lowercase();
    let tz = form.time_zone.trim().to_owned();
    if name.is_empty() {
        errors.add("name", l.t("field-required"));
    }
    if !db::valid_slug(&slug) {
        errors.add("slug", l.t("region-slug-format"));
    }
    if super::time::parse_zone(&tz).is_none() {
        errors.add("time_zone", l.t("region-time-zone-unknown"));
    }
    if !errors.is_empty() {
        return render_invalid(&RegionFormScreen {
            chrome,
            form,
            errors,
        });
    }
    let mut tx = state.db.begin().await?;
    let id = match db::insert(&mut tx, &slug, &name, &tz).await {
        Ok(id) => id,
        Err(e) => {
            let errors = taken(e, UNIQUE, l)?;
            return render_invalid(&RegionFormScreen {
                chrome,
                form,
                errors,
            });
        }
    };
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::Create, audit::Object::Region)
            .region(id)
            .user(op.user.id)
            .object_id(id.0)
            .details(serde_json::json!({ "slug": slug, "name": name })),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(l.t("region-created")).await?;
    Ok(redirect(&format!("/operator/regions/{id}")))
}

async fn region_page(
    state: &AppState,
    chrome: Chrome,
    id: RegionId,
    email: String,
    errors: FieldErrors,
) -> AppResult<RegionScreen> {
    let mut conn = state.db.acquire().await?;
    let region = db::get(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let invitations = crate::invitations::db::list(&mut conn, id).await?;
    Ok(RegionScreen {
        chrome,
        region,
        invitations,
        email,
        errors,
        link_base: crate::invitations::LinkBase::of(state),
    })
}

pub async fn show(
    State(state): State<AppState>,
    _op: Operator,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    render(
        &region_page(
            &state,
            chrome,
            RegionId(id),
            String::new(),
            FieldErrors::default(),
        )
        .await?,
    )
}

pub async fn invite_admin(
    State(state): State<AppState>,
    Operator(op): Operator,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<InviteAdminForm>,
) -> AppResult<Response> {
    let region = RegionId(id);
    let mut tx = state.db.begin().await?;
    let region_row = db::get(&mut tx, region).await?.ok_or(AppError::NotFound)?;
    if !crate::auth::email::looks_like_email(&form.email) {
        let mut errors = FieldErrors::default();
        errors.add("email", chrome.t("email-invalid"));
        drop(tx);
        return render_invalid(&region_page(&state, chrome, region, form.email, errors).await?);
    }
    let new = NewInvitation {
        email: form.email.clone(),
        role: Role::Admin,
        municipality_id: None,
        organization_id: None,
    };
    let sent = crate::invitations::db::create(&mut tx, &state, region, &new, op.user.id).await?;
    tx.commit().await?;
    let message =
        crate::invitations::announce(&state, &form.email, &region_row.name, &sent, chrome.locale)
            .await;
    session.set_flash(message).await?;
    Ok(redirect(&format!("/operator/regions/{id}")))
}
