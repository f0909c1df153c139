use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::KINDS;
use super::db::{self, MunicipalityRow};
use crate::error::{AppError, AppResult, constraint_of};
use crate::i18n::Locale;
use crate::ids::MunicipalityId;
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionAdmin};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, ListQuery, Pager, optional};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "municipalities/list.html")]
pub struct MunicipalityListPage {
    pub chrome: Chrome,
    pub rows: Vec<MunicipalityRow>,
    pub query: ListQuery,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "municipalities/form.html")]
pub struct MunicipalityFormPage {
    pub chrome: Chrome,
    pub form: MunicipalityForm,
    pub errors: FieldErrors,
    pub action: String,
    pub editing: bool,
}

impl MunicipalityFormPage {
    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        KINDS
            .iter()
            .map(|k| (*k, self.chrome.t(&format!("municipality-kind-{k}"))))
            .collect()
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MunicipalityForm {
    pub name: String,
    pub kind: String,
    pub oktmo: String,
}

struct Valid {
    name: String,
    kind: String,
    oktmo: Option<String>,
}

impl MunicipalityForm {
    fn validate(&self, l: Locale) -> Result<Valid, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            e.add("name", l.t("field-required"));
        } else if name.chars().count() > 200 {
            e.add("name", l.t("field-too-long"));
        }
        if !KINDS.contains(&self.kind.as_str()) {
            e.add("kind", l.t("field-choose"));
        }
        let oktmo = optional(&self.oktmo);
        if let Some(o) = &oktmo
            && !((o.len() == 8 || o.len() == 11) && o.bytes().all(|b| b.is_ascii_digit()))
        {
            e.add("oktmo", l.t("oktmo-format"));
        }
        e.into_result(Valid {
            name: name.to_owned(),
            kind: self.kind.clone(),
            oktmo,
        })
    }
}

fn conflict_errors(e: &sqlx::Error, l: Locale) -> Option<FieldErrors> {
    let mut errors = FieldErrors::default();
    match constraint_of(e) {
        Some("municipalities_name_key") => errors.add("name", l.t("municipality-name-taken")),
        Some("municipalities_oktmo_key") => errors.add("oktmo", l.t("oktmo-taken")),
        _ => return None,
    }
    Some(errors)
}

pub async fn list(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let (rows, total) = db::list(&mut conn, access.region.id, &query).await?;
    let pager = Pager::new(
        &format!("/r/{}/municipalities", access.region.slug),
        &query,
        total,
    );
    render(&MunicipalityListPage {
        chrome,
        rows,
        query,
        pager,
    })
}

pub async fn new_form(RegionAdmin(access): RegionAdmin, chrome: Chrome) -> AppResult<Response> {
    render(&MunicipalityFormPage {
        chrome,
        form: MunicipalityForm {
            kind: "municipal_district".into(),
            ..Default::default()
        },
        errors: FieldErrors::default(),
        action: format!("/r/{}/municipalities", access.region.slug),
        editing: false,
    })
}

pub async fn create(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<MunicipalityForm>,
) -> AppResult<Response> {
    let action = format!("/r/{}/municipalities", access.region.slug);
    let invalid = |chrome, form, errors| {
        render_invalid(&MunicipalityFormPage {
            chrome,
            form,
            errors,
            action: action.clone(),
            editing: false,
        })
    };
    let v = match form.validate(chrome.locale) {
        Ok(v) => v,
        Err(errors) => return invalid(chrome, form, errors),
    };
    let mut tx = state.tenant(access.region.id).await?;
    let id = match db::insert(
        &mut tx,
        access.region.id,
        &v.name,
        &v.kind,
        v.oktmo.as_deref(),
    )
    .await
    {
        Ok(id) => id,
        Err(e) => match conflict_errors(&e, chrome.locale) {
            Some(errors) => return invalid(chrome, form, errors),
            None => return Err(e.into()),
        },
    };
    crate::audit::record(
        &mut tx,
        Some(access.region.id),
        Some(access.user_id()),
        "create",
        "municipality",
        Some(id.0),
        serde_json::json!({ "name": v.name, "kind": v.kind, "oktmo": v.oktmo }),
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
    let m = db::get(&mut conn, access.region.id, MunicipalityId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    render(&MunicipalityFormPage {
        chrome,
        form: MunicipalityForm {
            name: m.name,
            kind: m.kind,
            oktmo: m.oktmo.unwrap_or_default(),
        },
        errors: FieldErrors::default(),
        action: format!("/r/{}/municipalities/{id}", access.region.slug),
        editing: true,
    })
}

pub async fn update(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<MunicipalityForm>,
) -> AppResult<Response> {
    let action = format!("/r/{}/municipalities/{id}", access.region.slug);
    let invalid = |chrome, form, errors| {
        render_invalid(&MunicipalityFormPage {
            chrome,
            form,
            errors,
            action: action.clone(),
            editing: true,
        })
    };
    let mut tx = state.tenant(access.region.id).await?;
    let before = db::get(&mut tx, access.region.id, MunicipalityId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    let v = match form.validate(chrome.locale) {
        Ok(v) => v,
        Err(errors) => return invalid(chrome, form, errors),
    };
    match db::update(
        &mut tx,
        access.region.id,
        MunicipalityId(id),
        &v.name,
        &v.kind,
        v.oktmo.as_deref(),
    )
    .await
    {
        Ok(_) => {}
        Err(e) => match conflict_errors(&e, chrome.locale) {
            Some(errors) => return invalid(chrome, form, errors),
            None => return Err(e.into()),
        },
    }
    crate::audit::record(
        &mut tx,
        Some(access.region.id),
        Some(access.user_id()),
        "update",
        "municipality",
        Some(id),
        serde_json::json!({ "before": { "name": before.name, "kind": before.kind, "oktmo": before.oktmo }, "after": { "name": v.name, "kind": v.kind, "oktmo": v.oktmo } }),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&format!(
        "/r/{}/municipalities",
        access.region.slug
    )))
}
