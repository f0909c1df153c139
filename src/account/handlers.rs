use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::audit;
use crate::auth::password;
use crate::error::{AppError, AppResult};
use crate::i18n::{LOCALE_COOKIE, Locale};
use crate::ids::UserId;
use crate::state::AppState;
use crate::web::access::{MaybeUser, RegionAccess, SignedIn};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath};
use crate::web::render::{render, render_invalid};
use crate::web::session::{Session, hash_token, random_token, secure_attr};
use crate::web::{redirect, safe_next};

#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordScreen {
    pub chrome: Chrome,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "account/reset.html")]
pub struct ResetScreen {
    pub chrome: Chrome,
    pub valid: bool,
    pub email: String,
    pub token: String,
    pub errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    password_confirm: String,
}

pub async fn password_form(_user: SignedIn, chrome: Chrome) -> AppResult<Response> {
    render(&PasswordScreen {
        chrome,
        errors: FieldErrors::default(),
    })
}

pub async fn change_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    session: Session,
    chrome: Chrome,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let mut tx = state.db.begin().await?;
    let stored = crate::auth::db::password_hash_of(&mut tx, user.user.id).await?;
    let mut e = FieldErrors::default();
    if !password::verify(form.current.clone(), stored).await? {
        e.add("current", l.t("password-current-wrong"));
    }
    password::check_new(&form.password, &form.password_confirm, l, &mut e);
    if !e.is_empty() {
        return render_invalid(&PasswordScreen { chrome, errors: e });
    }
    let hash = password::hash(form.password.clone()).await?;
    crate::auth::db::set_password(&mut tx, user.user.id, &hash).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::ChangePassword, audit::Object::User)
            .user(user.user.id)
            .object_id(user.user.id.0),
    )
    .await?;
    tx.commit().await?;
    // Every session ended with the change; this browser continues under a new one.
    session.sign_in(user.user.id).await?;
    session.set_flash(l.t("password-changed")).await?;
    Ok(redirect("/home"))
}

/// Issues a reset link for a member of this region. Someone who also works elsewhere (or
/// the operator) is out of this admin's reach: a regional admin must not take over an
/// account that holds power in another region.
pub async fn issue_reset(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let target = UserId(id);
    access.require_account_in_reach(&state.db, target).await?;
    let mut tx = state.tenant(access.region.id).await?;
    let token = random_token();
    super::db::insert_reset(
        &mut tx,
        access.region.id,
        target,
        &hash_token(&token),
        access.user_id(),
        super::RESET_TTL_HOURS,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Entry::member(
            &access,
            audit::Action::IssuePasswordReset,
            audit::Object::User,
        )
        .object_id(target.0),
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/password-reset/{token}", state.settings.base_url);
    tracing::info!(user = %target, %link, "password reset link issued");
    session
        .set_flash(chrome.t1("password-reset-issued", "link", &link))
        .await?;
    Ok(redirect(&format!("/r/{}/people", access.region.slug)))
}

fn invalid_link(chrome: Chrome, token: String) -> AppResult<Response> {
    let page = ResetScreen {
        chrome,
        valid: false,
        email: String::new(),
        token,
        errors: FieldErrors::default(),
    };
    Ok((StatusCode::NOT_FOUND, Html(page.render()?)).into_response())
}

pub async fn reset_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let mut conn = state.db.acquire().await?;
    match super::db::pending_reset(&mut conn, &hash_token(&token)).await? {
        Some(r) => render(&ResetScreen {
            chrome,
            valid: true,
            email: r.email,
            token,
            errors: FieldErrors::default(),
        }),
        None => invalid_link(chrome, token),
    }
}

pub async fn reset(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let l = chrome.locale;
    let mut tx = state.db.begin().await?;
    let Some(reset) = super::db::pending_reset(&mut tx, &hash_token(&token)).await? else {
        return invalid_link(chrome, token);
    };
    let mut e = FieldErrors::default();
    password::check_new(&form.password, &form.password_confirm, l, &mut e);
    if !e.is_empty() {
        return render_invalid(&ResetScreen {
            chrome,
            valid: true,
            email: reset.email,
            token,
            errors: e,
        });
    }
    let hash = password::hash(form.password.clone()).await?;
    crate::auth::db::set_password(&mut tx, reset.user_id, &hash).await?;
    super::db::mark_reset_used(&mut tx, reset.id).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::ResetPassword, audit::Object::User)
            .user(reset.user_id)
            .object_id(reset.user_id.0),
    )
    .await?;
    tx.commit().await?;
    session.sign_in(reset.user_id).await?;
    session.set_flash(l.t("password-changed")).await?;
    Ok(redirect("/home"))
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The language lives in a cookie for everyone and, for a signed-in person, on their account
/// too, so mail sent to them speaks it.
pub async fn switch_language(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let locale = Locale::parse(&code).ok_or(AppError::NotFound)?;
    if let Some(user) = user {
        let mut conn = state.db.acquire().await?;
        super::db::set_locale(&mut conn, user.user.id, locale.code()).await?;
    }
    let mut response = redirect(&safe_next(q.next.as_deref()));
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        locale.code(),
        secure_attr(state.settings.secure_cookies)
    );
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("ascii cookie"),
    );
    Ok(response)
}
