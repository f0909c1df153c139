use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;

use super::db::{self, OrgDetail, OrgListRow};
use super::forms::{LEVELS, OrgForm};
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::ids::OrgId;
use crate::pages::db::PageRow;
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionAdmin};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, ListQuery, Pager, SelectOption};
use crate::web::forms::{Unique, taken};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "orgs/list.html")]
pub struct OrgListScreen {
    pub chrome: Chrome,
    pub rows: Vec<OrgListRow>,
    pub query: ListQuery,
    pub pager: Pager,
    pub can_create: bool,
}

#[derive(Template)]
#[template(path = "orgs/show.html")]
pub struct OrgScreen {
    pub chrome: Chrome,
    pub org: OrgDetail,
    pub pages: Vec<PageRow>,
    pub scores: crate::pages::score::PageScores,
    pub children: Vec<db::SubordinateRow>,
    pub can_edit: bool,
    pub can_add_pages: bool,
    pub answer_approval: bool,
    pub can_switch_approval: bool,
    /// The founder's card is in this member's reach; otherwise its name is shown alone.
    pub can_view_founder: bool,
}

#[derive(Template)]
#[template(path = "orgs/form.html")]
pub struct OrgFormScreen {
    pub chrome: Chrome,
    pub form: OrgForm,
    pub errors: FieldErrors,
    pub action: String,
    pub editing: bool,
    pub municipalities: Vec<SelectOption>,
    pub sectors: Vec<SelectOption>,
}

impl OrgFormScreen {
    pub fn levels(&self) -> Vec<(&'static str, String)> {
        LEVELS
            .iter()
            .map(|(code, key)| (*code, self.chrome.t(key)))
            .collect()
    }
}

/// The organization's OGRN is unique in the region.
const UNIQUE: &[Unique] = &[Unique {
    constraint: "organizations_ogrn_key",
    field: "ogrn",
    message_key: "ogrn-taken-plain",
}];

pub async fn list(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let (rows, total) = db::list(&mut conn, access.region.id, &access.org_scope(), &query).await?;
    let pager = query.pager(&format!("/r/{}/orgs", access.region.slug), total);
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
    render(&OrgListScreen {
        chrome,
        rows,
        query,
        pager,
        can_create: access.is_admin(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let region = access.region.id;
    let placement = db::placement(&mut conn, region, OrgId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_view_org(&placement)?;
    let org = db::get(&mut conn, region, OrgId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let pages = crate::pages::db::for_org(&mut conn, region, org.id).await?;
    let ids: Vec<i64> = pages.iter().map(|p| p.id.0).collect();
    let scores =
        crate::pages::score::scores(&mut conn, region, &access.region.time_zone, &ids).await?;
    let children = db::subordinates(&mut conn, region, org.id).await?;
    let answer_approval = crate::questions::approval::is_on(&mut conn, region, org.id).await?;
    let can_view_founder = match org.parent_id {
        Some(parent) => db::placement(&mut conn, region, parent)
            .await?
            .is_some_and(|p| access.can_view_org(&p)),
        None => false,
    };
    render(&OrgScreen {
        can_view_founder,
        can_switch_approval: crate::questions::approval::may_switch(&access, org.id),
        answer_approval,
        can_edit: access.is_admin(),
        can_add_pages: access.can_edit_pages_of(&placement),
        chrome,
        org,
        pages,
        scores,
        children,
    })
}

async fn form_page(
    state: &AppState,
    access: &RegionAccess,
    chrome: Chrome,
    form: OrgForm,
    errors: FieldErrors,
    editing: Option<OrgId>,
) -> AppResult<OrgFormScreen> {
    let mut conn = state.tenant(access.region.id).await?;
    let slug = &access.region.slug;
    Ok(OrgFormScreen {
        action: match editing {
            Some(id) => format!("/r/{slug}/orgs/{id}"),
            None => format!("/r/{slug}/orgs"),
        },
        editing: editing.is_some(),
        municipalities: crate::municipalities::db::options(&mut conn, access.region.id).await?,
        sectors: crate::sectors::db::options(&mut conn, access.region.id).await?,
        chrome,
        form,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let form = OrgForm {
        level: "state_institution".into(),
        ..OrgForm::default()
    };
    render(&form_page(&state, &access, chrome, form, FieldErrors::default(), None).await?)
}

pub async fn create(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(access.region.id).await?;
    let fields = match form.validate(&mut tx, region, None, chrome.locale).await? {
        Ok(f) => f,
        Err(errors) => {
            drop(tx);
            return render_invalid(&form_page(&state, &access, chrome, form, errors, None).await?);
        }
    };
    let id = match db::insert(&mut tx, region, &fields).await {
        Ok(id) => id,
        Err(e) => {
            let errors = taken(e, UNIQUE, chrome.locale)?;
            drop(tx);
            return render_invalid(&form_page(&state, &access, chrome, form, errors, None).await?);
        }
    };
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Create, audit::Object::Organization)
            .object_id(id.0)
            .details(serde_json::json!({ "name": fields.name, "ogrn": fields.ogrn })),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("org-created")).await?;
    Ok(redirect(&format!("/r/{}/orgs/{id}", access.region.slug)))
}

/// The object is looked up before the role is checked: another region's id is 404 for
/// everyone, and only then is a member without the admin role refused with 403.
async fn require_admin_over(
    db: &mut sqlx::PgConnection,
    access: &RegionAccess,
    id: OrgId,
) -> AppResult<()> {
    let placement = db::placement(db, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_view_org(&placement)?;
    access.require_admin()
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    require_admin_over(&mut conn, &access, OrgId(id)).await?;
    let org = db::get(&mut conn, access.region.id, OrgId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let form = OrgForm::from_detail(&org);
    render(
        &form_page(
            &state,
            &access,
            chrome,
            form,
            FieldErrors::default(),
            Some(org.id),
        )
        .await?,
    )
}

pub async fn update(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let id = OrgId(id);
    let mut tx = state.tenant(access.region.id).await?;
    require_admin_over(&mut tx, &access, id).await?;
    let before = db::get(&mut tx, region, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = match form
        .validate(&mut tx, region, Some(id), chrome.locale)
        .await?
    {
        Ok(f) => f,
        Err(errors) => {
            drop(tx);
            return render_invalid(
                &form_page(&state, &access, chrome, form, errors, Some(id)).await?,
            );
        }
    };
    match db::update(&mut tx, region, id, &fields).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        Err(e) => {
            let errors = taken(e, UNIQUE, chrome.locale)?;
            drop(tx);
            return render_invalid(
                &form_page(&state, &access, chrome, form, errors, Some(id)).await?,
            );
        }
    }
    let details = serde_json::json!({
        "before": { "name": before.name, "short_name": before.short_name, "inn": before.inn, "ogrn": before.ogrn,
                    "level": before.level, "parent_id": before.parent_id, "municipality_id": before.municipality_id,
                    "sectors": before.sector_ids, "exempt": before.exempt, "exemption_basis": before.exemption_basis,
                    "archived": before.archived },
        "after": { "name": fields.name, "short_name": fields.short_name, "inn": fields.inn, "ogrn": fields.ogrn,
                   "level": fields.level, "parent_id": fields.parent_id, "municipality_id": fields.municipality_id,
                   "sectors": fields.sectors, "exempt": fields.exempt, "exemption_basis": fields.exemption_basis,
                   "archived": fields.archived },
    });
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Organization)
            .object_id(id.0)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("org-saved")).await?;
    Ok(redirect(&format!("/r/{}/orgs/{id}", access.region.slug)))
}
