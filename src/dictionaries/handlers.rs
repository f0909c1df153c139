//! The dictionaries' shared handlers: a new entry, an edited one, each re-rendered with the
//! admin's input and a message per field when it fails.

use axum::extract::{Form, Path, State};
use axum::response::Response;

use super::Dictionary;
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionAdmin};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, taken};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

fn collection<D: Dictionary>(access: &RegionAccess) -> String {
    format!("/r/{}/{}", access.region.slug, D::PATH)
}

pub async fn new_form<D: Dictionary>(
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let action = collection::<D>(&access);
    render(&D::screen(
        chrome,
        D::blank(),
        FieldErrors::default(),
        action,
        false,
    ))
}

pub async fn create<D: Dictionary>(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<D::Form>,
) -> AppResult<Response> {
    let action = collection::<D>(&access);
    let entry = match D::validate(&form, chrome.locale) {
        Ok(entry) => entry,
        Err(errors) => return render_invalid(&D::screen(chrome, form, errors, action, false)),
    };
    let mut tx = state.tenant(access.region.id).await?;
    let id = match D::insert(&mut tx, access.region.id, &entry).await {
        Ok(id) => id,
        Err(e) => {
            let errors = taken(e, D::UNIQUE, chrome.locale)?;
            return render_invalid(&D::screen(chrome, form, errors, action, false));
        }
    };
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Create, D::OBJECT)
            .object_id(id)
            .details(D::details(&entry)),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&action))
}

/// Another region's entry is 404 like one that does not exist; a member who is not an admin
/// of this region gets 403.
pub async fn edit_form<D: Dictionary>(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let row = D::get(&mut conn, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    let action = format!("{}/{id}", collection::<D>(&access));
    render(&D::screen(
        chrome,
        D::form_of(row),
        FieldErrors::default(),
        action,
        true,
    ))
}

pub async fn update<D: Dictionary>(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<D::Form>,
) -> AppResult<Response> {
    let action = format!("{}/{id}", collection::<D>(&access));
    let mut tx = state.tenant(access.region.id).await?;
    let before = D::get(&mut tx, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    let entry = match D::validate(&form, chrome.locale) {
        Ok(entry) => entry,
        Err(errors) => return render_invalid(&D::screen(chrome, form, errors, action, true)),
    };
    if let Err(e) = D::update(&mut tx, access.region.id, id, &entry).await {
        let errors = taken(e, D::UNIQUE, chrome.locale)?;
        return render_invalid(&D::screen(chrome, form, errors, action, true));
    }
    let details =
        serde_json::json!({ "before": D::row_details(&before), "after": D::details(&entry) });
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Update, D::OBJECT)
            .object_id(id)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&collection::<D>(&access)))
}
