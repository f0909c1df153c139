use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::audit;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::MaybeUser;
use crate::web::chrome::Chrome;
use crate::web::render::render;
use crate::web::session::Session;
use crate::web::{redirect, safe_next};

use super::{db, password, throttle};
use crate::web::access::ClientAddr;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginScreen {
    pub chrome: Chrome,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_form(
    chrome: Chrome,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if user.is_some() {
        return Ok(redirect("/home"));
    }
    render(&LoginScreen {
        chrome,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

fn login_failed(
    chrome: Chrome,
    form: &LoginForm,
    status: StatusCode,
    message: String,
) -> AppResult<Response> {
    let page = LoginScreen {
        error: Some(message),
        email: form.email.trim().to_owned(),
        next: safe_next(Some(&form.next)),
        chrome,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let mut conn = state.db.acquire().await?;
    let keys = throttle::keys(&form.email, addr);
    if let Some(minutes) = db::throttle_locked_minutes(&mut conn, &keys).await? {
        tracing::warn!("sign-in refused: too many failures");
        let message = chrome.locale.tn("login-throttled", minutes);
        return login_failed(chrome, &form, StatusCode::TOO_MANY_REQUESTS, message);
    }
    let found = db::credentials(&mut conn, &form.email).await?;
    let (user_id, stored, disabled) = match found {
        Some(c) => (Some(c.id), Some(c.password_hash), c.disabled),
        None => (None, None, false),
    };
    let valid = password::verify(form.password.clone(), stored).await?;
    match user_id {
        Some(id) if valid && !disabled => {
            db::clear_throttle(&mut conn, &keys).await?;
            session.sign_in(id).await?;
            audit::record(
                &mut conn,
                audit::Entry::new(audit::Action::SignIn, audit::Object::User)
                    .user(id)
                    .object_id(id.0),
            )
            .await?;
            let next = safe_next(Some(&form.next));
            Ok(redirect(if next == "/" { "/home" } else { &next }))
        }
        _ => {
            tracing::info!("failed sign-in");
            db::record_throttle_failure(&mut conn, &keys).await?;
            let message = chrome.t("login-failed");
            login_failed(chrome, &form, StatusCode::UNAUTHORIZED, message)
        }
    }
}

pub async fn logout(session: Session) -> AppResult<Response> {
    session.sign_out().await?;
    Ok(redirect("/login"))
}
