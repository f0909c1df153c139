//! Answer templates: the region's, offered to every organization, and each organization's
//! own. Admins keep the region's; editors and heads their organization's.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use sqlx::PgConnection;

use super::db::templates::{self as db, TemplateOption};
use super::forms::{MAX_TEXT, required_text};
use crate::error::{AppError, AppResult};
use crate::ids::{OrgId, TemplateId};
use crate::state::AppState;
use crate::web::access::{RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, Unique, taken};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

/// A title is used once per owner (the region, or one organization).
const UNIQUE: &[Unique] = &[Unique {
    constraint: "answer_templates_title_key",
    field: "title",
    message_key: "template-title-taken",
}];

/// Organizations whose templates this member keeps; `None` in the list is the region's.
fn editable_scopes(access: &RegionAccess) -> Vec<(Option<OrgId>, String)> {
    let mut out = Vec::new();
    if access.is_admin() {
        out.push((None, String::new()));
    }
    for m in &access.memberships {
        if let (Role::Editor | Role::Head, Some((id, name))) = (m.role, &m.organization)
            && !out.iter().any(|(o, _)| *o == Some(*id))
        {
            out.push((Some(*id), name.clone()));
        }
    }
    out
}

fn may_edit(access: &RegionAccess, org: Option<OrgId>) -> bool {
    match org {
        None => access.is_admin(),
        Some(org) => {
            access.is_admin()
                || access.memberships.iter().any(|m| {
                    matches!(m.role, Role::Editor | Role::Head)
                        && m.organization.as_ref().is_some_and(|(o, _)| *o == org)
                })
        }
    }
}

/// The region's templates are visible to all and kept by admins (403 for others); another
/// organization's templates are not visible at all (404).
fn require_edit(access: &RegionAccess, owner: Option<OrgId>) -> AppResult<()> {
    match (may_edit(access, owner), owner) {
        (true, _) => Ok(()),
        (false, None) => Err(AppError::Forbidden),
        (false, Some(_)) => Err(AppError::NotFound),
    }
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    /// Empty for the region's template, else the organization's id.
    pub organization_id: String,
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "questions/templates.html")]
pub struct TemplatesScreen {
    pub chrome: Chrome,
    pub rows: Vec<TemplateOption>,
    pub scopes: Vec<(Option<OrgId>, String)>,
    pub form: TemplateForm,
    pub errors: FieldErrors,
    pub editing: Option<TemplateId>,
}

impl TemplatesScreen {
    /// Whether this member keeps the template: the others (the region's, for an editor) are
    /// shown to read, not linked to a form that would refuse them.
    pub fn can_edit(&self, t: &TemplateOption) -> bool {
        self.scopes.iter().any(|(o, _)| *o == t.organization_id)
    }

    pub fn scope_value(&self, org: &Option<OrgId>) -> String {
        org.map(|o| o.to_string()).unwrap_or_default()
    }
}

async fn visible_templates(
    conn: &mut PgConnection,
    access: &RegionAccess,
) -> Result<Vec<TemplateOption>, sqlx::Error> {
    let orgs: Vec<i64> = editable_scopes(access)
        .into_iter()
        .filter_map(|(o, _)| o.map(|o| o.0))
        .collect();
    db::visible(conn, access.region.id, access.is_admin(), &orgs).await
}

pub async fn list(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let rows = visible_templates(&mut tx, &access).await?;
    tx.commit().await?;
    let scopes = editable_scopes(&access);
    render(&TemplatesScreen {
        form: TemplateForm {
            organization_id: scopes
                .first()
                .and_then(|(o, _)| o.map(|o| o.to_string()))
                .unwrap_or_default(),
            ..Default::default()
        },
        chrome,
        rows,
        scopes,
        errors: FieldErrors::default(),
        editing: None,
    })
}

fn validate(
    form: &TemplateForm,
    access: &RegionAccess,
    l: crate::i18n::Locale,
) -> Result<(Option<OrgId>, String, String), FieldErrors> {
    let mut e = FieldErrors::default();
    let org = match form.organization_id.trim() {
        "" => None,
        v => v.parse().ok().map(OrgId),
    };
    if !may_edit(access, org) || (!form.organization_id.trim().is_empty() && org.is_none()) {
        e.add("organization_id", l.t("field-choose"));
    }
    let title = required_text(&form.title, "title", 200, l, &mut e);
    let body = required_text(&form.body, "body", MAX_TEXT, l, &mut e);
    e.into_result((org, title, body))
}

async fn save(
    state: &AppState,
    access: &RegionAccess,
    session: &Session,
    chrome: Chrome,
    form: TemplateForm,
    editing: Option<TemplateId>,
) -> AppResult<Response> {
    if editable_scopes(access).is_empty() {
        return Err(AppError::Forbidden);
    }
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    if let Some(id) = editing {
        let owner = db::lock_owner(&mut tx, region, id).await?;
        require_edit(access, owner.ok_or(AppError::NotFound)?)?;
    }
    let result = match validate(&form, access, chrome.locale) {
        Ok((org, title, body)) => {
            let saved = match editing {
                None => db::insert(&mut tx, region, org, &title, &body).await,
                Some(id) => db::update(&mut tx, region, id, org, &title, &body).await,
            };
            match saved {
                Ok(id) => Ok(id),
                Err(e) => Err(taken(e, UNIQUE, chrome.locale)?),
            }
        }
        Err(errors) => Err(errors),
    };
    match result {
        Ok(_) => {
            tx.commit().await?;
            session.set_flash(chrome.t("template-saved")).await?;
            Ok(redirect(&format!(
                "/r/{}/answer-templates",
                access.region.slug
            )))
        }
        Err(errors) => {
            drop(tx);
            let mut conn = state.tenant(region).await?;
            let rows = visible_templates(&mut conn, access).await?;
            conn.commit().await?;
            render_invalid(&TemplatesScreen {
                chrome,
                rows,
                scopes: editable_scopes(access),
                form,
                errors,
                editing,
            })
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    save(&state, &access, &session, chrome, form, None).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let rows = visible_templates(&mut tx, &access).await?;
    tx.commit().await?;
    let row = rows
        .iter()
        .find(|r| r.id.0 == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    require_edit(&access, row.organization_id)?;
    render(&TemplatesScreen {
        form: TemplateForm {
            organization_id: row
                .organization_id
                .map(|o| o.to_string())
                .unwrap_or_default(),
            title: row.title,
            body: row.body,
        },
        chrome,
        rows,
        scopes: editable_scopes(&access),
        errors: FieldErrors::default(),
        editing: Some(TemplateId(id)),
    })
}

pub async fn update(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    save(
        &state,
        &access,
        &session,
        chrome,
        form,
        Some(TemplateId(id)),
    )
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let owner = db::lock_owner(&mut tx, access.region.id, TemplateId(id)).await?;
    require_edit(&access, owner.ok_or(AppError::NotFound)?)?;
    db::delete(&mut tx, access.region.id, TemplateId(id)).await?;
    tx.commit().await?;
    session.set_flash(chrome.t("template-deleted")).await?;
    Ok(redirect(&format!(
        "/r/{}/answer-templates",
        access.region.slug
    )))
}
