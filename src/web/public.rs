//! What every public page knows about its visitor: the language and whether a session cookie
//! was sent (for the «Войти» / «Рабочее место» link), and never more: a public page touches no
//! session, so it makes no session row for each passer-by, sets no cookie, and can be cached.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::AppState;
use crate::web::access::{Region, region_from_path};
use crate::web::session::{SESSION_COOKIE, cookie_value};

#[derive(Clone, Debug)]
pub struct PublicChrome {
    pub locale: Locale,
    /// The region in the path, if any (404 when there is no such region).
    pub region: Option<Region>,
    /// A session cookie came with the request: offer the way back to work.
    pub has_session: bool,
    /// Path and query of this page, for the language switch and the canonical link.
    pub here: String,
    pub path: String,
    /// The page's address without its query, under the public base URL.
    pub canonical: String,
}

impl PublicChrome {
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.locale.t1(key, name, value)
    }

    pub fn t_args2(&self, key: &str, a: &'static str, x: &str, b: &'static str, y: &str) -> String {
        self.locale
            .t_args(key, &[(a, x.to_owned().into()), (b, y.to_owned().into())])
    }

    pub fn tn(&self, key: &str, count: &i64) -> String {
        self.locale.tn(key, *count)
    }

    pub fn label(&self, prefix: &str, code: &str) -> String {
        self.locale.t(&format!("{prefix}-{code}"))
    }

    /// A day as residents read it: 14.03.2025.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%d.%m.%Y").to_string()
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
}

impl FromRequestParts<AppState> for PublicChrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let region = region_from_path(parts, state).await?;
        Ok(PublicChrome {
            locale: crate::web::chrome::locale_of(&parts.headers, None),
            region,
            has_session: cookie_value(&parts.headers, SESSION_COOKIE).is_some(),
            here: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
            path: parts.uri.path().to_owned(),
            canonical: format!(
                "{}{}",
                state.settings.base_url.trim_end_matches('/'),
                parts.uri.path()
            ),
        })
    }
}
