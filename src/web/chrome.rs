//! What every page's layout needs — language, CSRF token, flash message, the signed-in user,
//! their scopes for the switcher, the current region — gathered by one extractor.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::AppError;
use crate::i18n::{LOCALE_COOKIE, Locale};
use crate::state::AppState;
use crate::web::access::{CurrentUser, MaybeUser, Region, Role, region_from_path};
use crate::web::session::{Session, cookie_value};

#[derive(Clone, Debug)]
pub struct ScopeLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Clone, Debug)]
pub struct Chrome {
    pub locale: Locale,
    pub csrf: String,
    pub flash: Option<String>,
    pub user_name: Option<String>,
    pub is_operator: bool,
    pub region: Option<Region>,
    /// The signed-in user administers the current region (shows the admin menu).
    pub is_region_admin: bool,
    /// An admin or coordinator of the current region (shows the monitoring dashboard).
    pub is_region_overseer: bool,
    pub scopes: Vec<ScopeLink>,
    /// Path and query of this page, for the language switch to come back to.
    pub here: String,
    pub request_id: Option<String>,
}

impl Chrome {
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.locale.t1(key, name, value)
    }

    /// A message with several text arguments.
    pub fn t_args_pairs(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<_> = args
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    fluent_templates::fluent_bundle::FluentValue::from(v.clone()),
                )
            })
            .collect();
        self.locale.t_args(key, &args)
    }

    pub fn tn(&self, key: &str, count: &i64) -> String {
        self.locale.tn(key, *count)
    }

    /// The label of a coded value: `label("level", "regional_body")` looks up `level-regional_body`.
    pub fn label(&self, prefix: &str, code: &str) -> String {
        self.locale.t(&format!("{prefix}-{code}"))
    }

    /// The roles an admin can give, most common first.
    pub fn role_options(&self) -> Vec<(&'static str, String)> {
        ["editor", "head", "coordinator", "admin"]
            .iter()
            .map(|r| (*r, self.label("role", r)))
            .collect()
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    pub fn other_locales(&self) -> Vec<(&'static str, String)> {
        Locale::ALL
            .into_iter()
            .filter(|l| *l != self.locale)
            .map(|l| (l.code(), l.t("language-name")))
            .collect()
    }

    pub fn here_encoded(&self) -> String {
        url::form_urlencoded::byte_serialize(self.here.as_bytes()).collect()
    }

    pub fn region_base(&self) -> String {
        self.region
            .as_ref()
            .map(|r| format!("/r/{}", r.slug))
            .unwrap_or_default()
    }

    pub fn is_signed_in(&self) -> bool {
        self.user_name.is_some()
    }

    /// For error pages, which are rendered outside any handler.
    pub fn minimal(locale: Locale, here: String, request_id: Option<String>) -> Chrome {
        Chrome {
            locale,
            csrf: String::new(),
            flash: None,
            user_name: None,
            is_operator: false,
            region: None,
            is_region_admin: false,
            is_region_overseer: false,
            scopes: Vec::new(),
            here,
            request_id,
        }
    }
}

pub fn locale_of(parts_headers: &axum::http::HeaderMap, user: Option<&CurrentUser>) -> Locale {
    cookie_value(parts_headers, LOCALE_COOKIE)
        .and_then(|c| Locale::parse(&c))
        .or_else(|| user.and_then(|u| Locale::parse(&u.user.locale)))
        .unwrap_or_default()
}

pub fn scope_label(locale: Locale, m: &crate::web::access::Membership) -> String {
    let role = locale.t(match m.role {
        Role::Admin => "role-admin",
        Role::Coordinator => "role-coordinator",
        Role::Editor => "role-editor",
        Role::Head => "role-head",
    });
    let place = match (&m.municipality, &m.organization) {
        (Some((_, name)), _) | (None, Some((_, name))) => format!(" — {name}"),
        (None, None) => String::new(),
    };
    format!("{}: {role}{place}", m.region_name)
}

pub fn scope_links(
    locale: Locale,
    user: &CurrentUser,
    current_region: Option<&Region>,
) -> Vec<ScopeLink> {
    let mut links = Vec::new();
    if user.user.is_operator {
        links.push(ScopeLink {
            href: "/operator/regions".into(),
            label: locale.t("scope-operator"),
            current: false,
        });
    }
    for m in &user.memberships {
        links.push(ScopeLink {
            href: m.landing(),
            label: scope_label(locale, m),
            current: current_region.is_some_and(|r| r.id == m.region_id),
        });
    }
    links
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await?;
        let region = region_from_path(parts, state).await?;
        let session = Session::from_request_parts(parts, state).await?;
        let record = session.ensure().await?;
        let flash = session.take_flash().await?;
        let locale = locale_of(&parts.headers, user.as_deref());
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let user: Option<Arc<CurrentUser>> = user;
        Ok(Chrome {
            locale,
            csrf: record.csrf_token,
            flash,
            user_name: user.as_ref().map(|u| u.user.name.clone()),
            is_operator: user.as_ref().is_some_and(|u| u.user.is_operator),
            scopes: user
                .as_deref()
                .map(|u| scope_links(locale, u, region.as_ref()))
                .unwrap_or_default(),
            is_region_admin: match (&user, &region) {
                (Some(u), Some(r)) => u.in_region(r.id).iter().any(|m| m.role == Role::Admin),
                _ => false,
            },
            is_region_overseer: match (&user, &region) {
                (Some(u), Some(r)) => u
                    .in_region(r.id)
                    .iter()
                    .any(|m| matches!(m.role, Role::Admin | Role::Coordinator)),
                _ => false,
            },
            region,
            here,
            request_id,
        })
    }
}
