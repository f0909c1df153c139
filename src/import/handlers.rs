use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::db::{self, ImportRow, ImportSummary};
use super::mapping::{Dictionaries, FieldChoice};
use super::run::{self, CommitResult};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionAdmin};
use crate::web::chrome::Chrome;
use crate::web::forms::IdPath;
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "import/list.html")]
pub struct ImportListScreen {
    pub chrome: Chrome,
    pub imports: Vec<ImportSummary>,
    pub error: Option<String>,
    pub max_mib: usize,
    pub tz: chrono_tz::Tz,
}

impl ImportListScreen {
    /// A time as people of the region read it.
    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

#[derive(Template)]
#[template(path = "import/show.html")]
pub struct ImportScreen {
    pub chrome: Chrome,
    pub import: ImportRow,
    pub tz: chrono_tz::Tz,
    /// What an unfamiliar column may be mapped to.
    pub fields: Vec<FieldChoice>,
    /// What an unknown sector or municipality may be mapped to.
    pub dictionaries: Dictionaries,
}

impl ImportScreen {
    pub fn i(&self) -> &ImportSummary {
        &self.import.summary
    }

    /// Some problem is a value the admin may map to a sector or municipality.
    pub fn has_unknown_values(&self) -> bool {
        self.import
            .problem_groups
            .0
            .iter()
            .any(|g| g.unknown.is_some())
    }

    /// The problems not kept row by row, when the report stopped keeping them.
    pub fn problems_not_listed(&self) -> usize {
        (self.import.summary.error_count.max(0) as usize).saturating_sub(self.import.errors.0.len())
    }

    /// A time as people of the region read it.
    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

async fn list_page(
    state: &AppState,
    access: &RegionAccess,
    chrome: Chrome,
    error: Option<String>,
) -> AppResult<ImportListScreen> {
    let mut tx = state.tenant(access.region.id).await?;
    Ok(ImportListScreen {
        imports: db::list(&mut tx, access.region.id).await?,
        chrome,
        error,
        max_mib: super::MAX_FILE_BYTES / 1024 / 1024,
        tz: crate::regions::time::zone(&access.region),
    })
}

pub async fn list(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    render(&list_page(&state, &access, chrome, None).await?)
}

pub async fn template(RegionAdmin(_access): RegionAdmin) -> AppResult<Response> {
    xlsx(
        super::template::organizations(),
        "gospublic-organizations.xlsx",
    )
}

pub async fn pages_template(RegionAdmin(_access): RegionAdmin) -> AppResult<Response> {
    xlsx(super::template::pages(), "gospublic-pages.xlsx")
}

pub async fn municipalities_template(RegionAdmin(_access): RegionAdmin) -> AppResult<Response> {
    xlsx(
        super::template::municipalities(),
        "gospublic-municipalities.xlsx",
    )
}

pub async fn activity_template(RegionAdmin(_access): RegionAdmin) -> AppResult<Response> {
    xlsx(super::template::activity(), "gospublic-activity.xlsx")
}

fn xlsx(made: Result<Vec<u8>, rust_xlsxwriter::XlsxError>, file_name: &str) -> AppResult<Response> {
    let bytes = made.map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"{file_name}\"");
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut kind = run::KIND_ORGANIZATIONS;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        if field.name() == Some("kind") {
            let value = field
                .text()
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            kind = run::kind_of(&value);
        } else if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = file.filter(|(name, bytes)| !name.is_empty() || !bytes.is_empty())
    else {
        let message = chrome.t("import-choose-file");
        return render_invalid(&list_page(&state, &access, chrome, Some(message)).await?);
    };
    if bytes.len() > super::MAX_FILE_BYTES {
        let message = chrome.t1(
            "import-file-too-large",
            "mib",
            &(super::MAX_FILE_BYTES / 1024 / 1024).to_string(),
        );
        return render_invalid(&list_page(&state, &access, chrome, Some(message)).await?);
    }
    let mut tx = state.tenant(access.region.id).await?;
    let outcome = run::preview(
        &mut tx,
        access.region.id,
        Some(access.user_id()),
        kind,
        &name,
        &bytes,
        chrome.locale,
    )
    .await?;
    tx.commit().await?;
    drop(bytes);
    run::release_memory();
    Ok(redirect(&format!(
        "/r/{}/imports/{}",
        access.region.slug, outcome.id
    )))
}

pub async fn show(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let import = db::get(&mut tx, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let dictionaries = Dictionaries::load(&mut tx, access.region.id).await?;
    render(&ImportScreen {
        fields: super::mapping::field_choices(&import.summary.kind, chrome.locale),
        dictionaries,
        chrome,
        import,
        tz: crate::regions::time::zone(&access.region),
    })
}

pub async fn commit(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    if db::get(&mut tx, access.region.id, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    access.require_admin()?;
    let result = run::commit(
        &mut tx,
        access.region.id,
        Some(access.user_id()),
        id,
        chrome.locale,
    )
    .await?;
    let message = match &result {
        CommitResult::NotFound => return Err(AppError::NotFound),
        CommitResult::AlreadyDone => chrome.t("import-already-committed"),
        CommitResult::Refused(report) => {
            chrome.tn("import-refused-on-commit", &(report.total as i64))
        }
        CommitResult::Committed(_) => chrome.t("import-committed"),
    };
    tx.commit().await?;
    if let CommitResult::Committed(counts) = result {
        run::refresh_statistics(&state.db, counts).await;
    }
    run::release_memory();
    session.set_flash(message).await?;
    Ok(redirect(&format!("/r/{}/imports/{id}", access.region.slug)))
}

pub async fn delete(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let import = db::get(&mut tx, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    if !import.summary.can_delete() {
        let said = if import.summary.status == "committed" {
            "import-committed-stays"
        } else {
            "import-deleted"
        };
        session.set_flash(chrome.t(said)).await?;
        return Ok(redirect(&format!("/r/{}/imports/{id}", access.region.slug)));
    }
    db::delete_uncommitted(&mut tx, access.region.id, id).await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Entry::member(
            &access,
            crate::audit::Action::Delete,
            crate::audit::Object::Import,
        )
        .object_id(id)
        .details(serde_json::json!({ "file": import.summary.file_name })),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("import-deleted")).await?;
    Ok(redirect(&format!("/r/{}/imports", access.region.slug)))
}
