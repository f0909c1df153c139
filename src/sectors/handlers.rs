use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, SectorRow};
use crate::error::{AppError, AppResult, constraint_of};
use crate::i18n::Locale;
use crate::ids::SectorId;
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionAdmin};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "sectors/list.html")]
pub struct SectorListPage {
    pub chrome: Chrome,
    pub rows: Vec<SectorRow>,
}

#[derive(Template)]
#[template(path = "sectors/form.html")]
pub struct SectorFormPage {
    pub chrome: Chrome,
    pub form: SectorForm,
    pub errors: FieldErrors,
    pub action: String,
    pub editing: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SectorForm {
    pub name: String,
    pub position: String,
}

impl SectorForm {
    fn validate(&self, l: Locale) -> Result<(String, i32), FieldErrors> {
        let mut e = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            e.add("name", l.t("field-required"));
        } else if name.chars().count() > 200 {
            e.add("name", l.t("field-too-long"));
        }
        let position = match self.position.trim() {
            "" => 0,
            p => p.parse::<i32>().unwrap_or_else(|_| {
                e.add("position", l.t("field-number"));
                0
            }),
        };
        e.into_result((name.to_owned(), position))
    }
}

fn name_taken(e: &sqlx::Error, l: Locale) -> Option<FieldErrors> {
    (constraint_of(e) == Some("sectors_name_key")).then(|| {
        let mut errors = FieldErrors::default();
        errors.add("name", l.t("sector-name-taken"));
        errors
    })
}

pub async fn list(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let rows = db::list(&mut conn, access.region.id).await?;
    render(&SectorListPage { chrome, rows })
}

pub async fn new_form(RegionAdmin(access): RegionAdmin, chrome: Chrome) -> AppResult<Response> {
    render(&SectorFormPage {
        chrome,
        form: SectorForm::default(),
        errors: FieldErrors::default(),
        action: format!("/r/{}/sectors", access.region.slug),
        editing: false,
    })
}

pub async fn create(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<SectorForm>,
) -> AppResult<Response> {
    let action = format!("/r/{}/sectors", access.region.slug);
    let invalid = |chrome, form, errors| {
        render_invalid(&SectorFormPage {
            chrome,
            form,
            errors,
            action: action.clone(),
            editing: false,
        })
    };
    let (name, position) = match form.validate(chrome.locale) {
        Ok(v) => v,
        Err(errors) => return invalid(chrome, form, errors),
    };
    let mut tx = state.tenant(access.region.id).await?;
    let id = match db::insert(&mut tx, access.region.id, &name, position).await {
        Ok(id) => id,
        Err(e) => match name_taken(&e, chrome.locale) {
            Some(errors) => return invalid(chrome, form, errors),
            None => return Err(e.into()),
        },
    };
    crate::audit::record(
        &mut tx,
        Some(access.region.id),
        Some(access.user_id()),
        "create",
        "sector",
        Some(id.0),
        serde_json::json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&action))
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let s = db::get(&mut conn, access.region.id, SectorId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    render(&SectorFormPage {
        chrome,
        form: SectorForm {
            name: s.name,
            position: s.position.to_string(),
        },
        errors: FieldErrors::default(),
        action: format!("/r/{}/sectors/{id}", access.region.slug),
        editing: true,
    })
}

pub async fn update(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<SectorForm>,
) -> AppResult<Response> {
    let action = format!("/r/{}/sectors/{id}", access.region.slug);
    let invalid = |chrome, form, errors| {
        render_invalid(&SectorFormPage {
            chrome,
            form,
            errors,
            action: action.clone(),
            editing: true,
        })
    };
    let mut tx = state.tenant(access.region.id).await?;
    let before = db::get(&mut tx, access.region.id, SectorId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    let (name, position) = match form.validate(chrome.locale) {
        Ok(v) => v,
        Err(errors) => return invalid(chrome, form, errors),
    };
    if let Err(e) = db::update(&mut tx, access.region.id, SectorId(id), &name, position).await {
        return match name_taken(&e, chrome.locale) {
            Some(errors) => invalid(chrome, form, errors),
            None => Err(e.into()),
        };
    }
    crate::audit::record(
        &mut tx,
        Some(access.region.id),
        Some(access.user_id()),
        "update",
        "sector",
        Some(id),
        serde_json::json!({ "before": { "name": before.name, "position": before.position }, "after": { "name": name, "position": position } }),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&format!("/r/{}/sectors", access.region.slug)))
}
