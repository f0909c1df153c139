//! «Доступ по API»: the region's admin makes tokens for the region's other systems (a name,
//! the scopes, an optional expiry), sees each token once, sees when each was last used, and
//! revokes them.

use askama::Template;
use axum::extract::{Form, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::db::{self, TokenRow};
use super::scopes::Scope;
use super::tokens;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::FieldErrors;
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
    pub questions_write: String,
    pub questions_read: String,
    pub registry_read: String,
    pub figures_write: String,
    pub figures_read: String,
    /// A date (YYYY-MM-DD) or nothing.
    pub expires: String,
}

impl TokenForm {
    fn ticked(&self, scope: Scope) -> bool {
        let v = match scope {
            Scope::QuestionsWrite => &self.questions_write,
            Scope::QuestionsRead => &self.questions_read,
            Scope::RegistryRead => &self.registry_read,
            Scope::FiguresWrite => &self.figures_write,
            Scope::FiguresRead => &self.figures_read,
        };
        !v.is_empty()
    }

    pub fn has(&self, code: &str) -> bool {
        Scope::parse(code).is_some_and(|s| self.ticked(s))
    }
}

/// A scope's form field name.
pub fn field(code: &str) -> String {
    code.replace(':', "_")
}

#[derive(Template)]
#[template(path = "api/tokens.html")]
pub struct TokensScreen {
    pub chrome: Chrome,
    pub tokens: Vec<TokenRow>,
    pub form: TokenForm,
    pub errors: FieldErrors,
    /// The token just made, shown this once.
    pub made: Option<String>,
    pub tz: chrono_tz::Tz,
}

impl TokensScreen {
    pub fn local(&self, t: &chrono::DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    pub fn scopes(&self) -> Vec<&'static str> {
        Scope::ALL.iter().map(|s| s.code()).collect()
    }

    pub fn field(&self, code: &str) -> String {
        field(code)
    }

    pub fn expired(&self, t: &TokenRow) -> bool {
        t.expires_at.is_some_and(|e| e <= Utc::now())
    }
}

async fn screen(
    state: &AppState,
    admin: &RegionAdmin,
    chrome: Chrome,
    form: TokenForm,
    errors: FieldErrors,
    made: Option<String>,
) -> AppResult<TokensScreen> {
    let access = &admin.0;
    let mut tx = state.tenant(access.region.id).await?;
    let tokens = db::list(&mut tx, access.region.id).await?;
    tx.commit().await?;
    Ok(TokensScreen {
        chrome,
        tokens,
        form,
        errors,
        made,
        tz: crate::regions::time::zone(&access.region),
    })
}

pub async fn show(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let form = TokenForm::default();
    render(&screen(&state, &admin, chrome, form, FieldErrors::default(), None).await?)
}

pub async fn create(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let mut e = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        e.add("name", l.t("field-required"));
    } else if name.chars().count() > 200 {
        e.add("name", l.t("api-token-name-long"));
    }
    let scopes: Vec<Scope> = Scope::ALL.into_iter().filter(|s| form.ticked(*s)).collect();
    if scopes.is_empty() {
        e.add("scopes", l.t("api-token-no-scopes"));
    }
    let expires = match form.expires.trim() {
        "" => None,
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) if day > Utc::now().date_naive() => {
                let tz = crate::regions::time::zone(&admin.0.region);
                day.and_hms_opt(0, 0, 0)
                    .and_then(|t| tz.from_local_datetime(&t).earliest())
                    .map(|t| t.with_timezone(&Utc))
            }
            _ => {
                e.add("expires", l.t("api-token-expires-bad"));
                None
            }
        },
    };
    if !e.is_empty() {
        return render_invalid(&screen(&state, &admin, chrome, form, e, None).await?);
    }
    let access = &admin.0;
    let mut tx = state.tenant(access.region.id).await?;
    let made = tokens::make(
        &mut tx,
        access.region.id,
        name,
        &scopes,
        expires,
        Some(access.user_id()),
    )
    .await?;
    tx.commit().await?;
    // Shown on this answer only: a reload or a visit later never shows it again.
    let page = screen(
        &state,
        &admin,
        chrome,
        TokenForm::default(),
        FieldErrors::default(),
        Some(made.token),
    )
    .await?;
    let mut response = render(&page)?;
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeForm {
    pub id: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    admin: RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let access = &admin.0;
    let mut tx = state.tenant(access.region.id).await?;
    let id: Option<i64> = form.id.trim().parse().ok();
    let revoked = match id {
        Some(id) => db::revoke(&mut tx, access.region.id, id).await?,
        None => None,
    };
    if let (Some(id), Some(name)) = (id, &revoked) {
        crate::audit::record(
            &mut tx,
            crate::audit::Entry::member(
                access,
                crate::audit::Action::Revoke,
                crate::audit::Object::ApiToken,
            )
            .object_id(id)
            .details(serde_json::json!({ "name": name })),
        )
        .await?;
    }
    tx.commit().await?;
    let said = if revoked.is_some() {
        "api-token-revoked"
    } else {
        "api-token-not-live"
    };
    session.set_flash(chrome.t(said)).await?;
    Ok(redirect(&format!("/r/{}/api-tokens", access.region.slug)))
}
