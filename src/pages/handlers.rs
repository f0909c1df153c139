use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sqlx::PgConnection;

use super::db::{self, PageFields, PageRow};
use super::url::{Platform, UrlError, normalize};
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{OrgId, PageId, RegionId};
use crate::orgs::db::OrgRef;
use crate::state::AppState;
use crate::web::access::RegionAccess;
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, ListQuery, Pager, optional};
use crate::web::forms::{Unique, taken};
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "pages/list.html")]
pub struct PageListScreen {
    pub chrome: Chrome,
    pub rows: Vec<PageRow>,
    /// Each page's mark status and score.
    pub scores: super::score::PageScores,
    pub query: ListQuery,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "pages/form.html")]
pub struct PageFormScreen {
    pub chrome: Chrome,
    pub org: OrgRef,
    pub form: PageForm,
    pub errors: FieldErrors,
    pub action: String,
    pub editing: bool,
}

impl PageFormScreen {
    pub fn platforms(&self) -> Vec<(&'static str, String)> {
        Platform::ALL
            .iter()
            .map(|p| (p.code(), self.chrome.t(p.label_key())))
            .collect()
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageForm {
    pub platform: String,
    pub url: String,
    pub title: String,
}

impl PageForm {
    async fn validate(
        &self,
        db: &mut PgConnection,
        region: RegionId,
        current: Option<PageId>,
        l: Locale,
    ) -> Result<Result<PageFields, FieldErrors>, sqlx::Error> {
        let mut e = FieldErrors::default();
        let Some(platform) = Platform::parse(&self.platform) else {
            e.add("platform", l.t("field-choose"));
            return Ok(Err(e));
        };
        let title = optional(&self.title);
        if title.as_ref().is_some_and(|t| t.chars().count() > 300) {
            e.add("title", l.t("field-too-long"));
        }
        let normalized = match normalize(platform, &self.url) {
            Ok(u) => u,
            Err(err) => {
                let message = match err {
                    UrlError::WrongPlatform(Some(found)) => {
                        l.t1(err.message_key(), "platform", &l.t(found.label_key()))
                    }
                    UrlError::WrongPlatform(None) => l.t("page-url-invalid"),
                    _ => l.t(err.message_key()),
                };
                e.add("url", message);
                return Ok(Err(e));
            }
        };
        if let Some(holder) = db::holder(db, platform.code(), &normalized.key).await?
            && Some(holder.page_id) != current
        {
            let message = if holder.region_id == region {
                l.t1("page-url-taken", "org", &holder.organization_name)
            } else {
                // Another region's organization is not named: tenants do not see each other.
                l.t("page-url-taken-elsewhere")
            };
            e.add("url", message);
        }
        Ok(e.into_result(PageFields {
            platform: platform.code().to_owned(),
            url_key: normalized.key,
            url: normalized.url,
            title,
        }))
    }
}

/// A page is registered once in the whole installation; another region's holder is not
/// named.
const UNIQUE: &[Unique] = &[Unique {
    constraint: "pages_url_key",
    field: "url",
    message_key: "page-url-taken-elsewhere",
}];

pub async fn list(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let (rows, total) = db::list(&mut conn, access.region.id, &access.org_scope(), &query).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
    let scores =
        super::score::scores(&mut conn, access.region.id, &access.region.time_zone, &ids).await?;
    let pager = query.pager(&format!("/r/{}/pages", access.region.slug), total);
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
    render(&PageListScreen {
        chrome,
        rows,
        query,
        pager,
        scores,
    })
}

/// The organization a page belongs to, once the user is allowed to edit its pages.
async fn editable_org(
    db: &mut PgConnection,
    access: &RegionAccess,
    org: OrgId,
) -> AppResult<OrgRef> {
    let placement = crate::orgs::db::placement(db, access.region.id, org)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_edit_pages_of(&placement)?;
    let detail = crate::orgs::db::get(db, access.region.id, org)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OrgRef {
        id: detail.id,
        name: detail.name,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let org = editable_org(&mut conn, &access, OrgId(id)).await?;
    render(&PageFormScreen {
        action: format!("/r/{}/orgs/{}/pages", access.region.slug, org.id),
        chrome,
        org,
        form: PageForm {
            platform: "vk".into(),
            ..Default::default()
        },
        errors: FieldErrors::default(),
        editing: false,
    })
}

pub async fn create(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<PageForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(access.region.id).await?;
    let org = editable_org(&mut tx, &access, OrgId(id)).await?;
    let action = format!("/r/{}/orgs/{}/pages", access.region.slug, org.id);
    let fields = match form.validate(&mut tx, region, None, chrome.locale).await? {
        Ok(f) => f,
        Err(errors) => {
            return render_invalid(&PageFormScreen {
                chrome,
                org,
                form,
                errors,
                action,
                editing: false,
            });
        }
    };
    let page_id = match db::insert(&mut tx, region, org.id, &fields).await {
        Ok(id) => id,
        Err(e) => {
            let errors = taken(e, UNIQUE, chrome.locale)?;
            return render_invalid(&PageFormScreen {
                chrome,
                org,
                form,
                errors,
                action,
                editing: false,
            });
        }
    };
    let details = serde_json::json!({ "organization_id": org.id, "platform": fields.platform, "url": fields.url });
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Create, audit::Object::Page)
            .object_id(page_id.0)
            .details(details),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("page-created")).await?;
    Ok(redirect(&format!(
        "/r/{}/orgs/{}",
        access.region.slug, org.id
    )))
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let page = db::get(&mut conn, access.region.id, PageId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let org = editable_org(&mut conn, &access, page.organization_id).await?;
    render(&PageFormScreen {
        action: format!("/r/{}/pages/{}", access.region.slug, page.id),
        chrome,
        org,
        form: PageForm {
            platform: page.platform,
            url: page.url,
            title: page.title.unwrap_or_default(),
        },
        errors: FieldErrors::default(),
        editing: true,
    })
}

pub async fn update(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<PageForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(access.region.id).await?;
    let page = db::get(&mut tx, region, PageId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let org = editable_org(&mut tx, &access, page.organization_id).await?;
    let action = format!("/r/{}/pages/{}", access.region.slug, page.id);
    let fields = match form
        .validate(&mut tx, region, Some(page.id), chrome.locale)
        .await?
    {
        Ok(f) => f,
        Err(errors) => {
            return render_invalid(&PageFormScreen {
                chrome,
                org,
                form,
                errors,
                action,
                editing: true,
            });
        }
    };
    match db::update(&mut tx, region, page.id, &fields).await {
        Ok(_) => {}
        Err(e) => {
            let errors = taken(e, UNIQUE, chrome.locale)?;
            return render_invalid(&PageFormScreen {
                chrome,
                org,
                form,
                errors,
                action,
                editing: true,
            });
        }
    }
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Page)
            .object_id(page.id.0)
            .details(serde_json::json!({
                "before": { "platform": page.platform, "url": page.url, "title": page.title },
                "after": { "platform": fields.platform, "url": fields.url, "title": fields.title },
            })),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&format!(
        "/r/{}/orgs/{}",
        access.region.slug, org.id
    )))
}
