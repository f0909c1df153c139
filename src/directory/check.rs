//! «Проверить страницу»: a resident pastes any address of a VK, OK, Telegram or MAX page, in
//! any of the shapes the importer reads, and learns whether it is a registered official page,
//! of which organization, and whether it carries the verified mark.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, Registered};
use crate::error::{AppError, AppResult};
use crate::pages::url::{self, Platform};
use crate::web::public::PublicChrome;
use crate::web::reads::Reads;
use crate::web::render::render;

/// Longer than any page address: the rest is not read.
const LONGEST_ADDRESS: usize = 2000;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckQuery {
    pub url: String,
}

/// What the address turned out to be.
pub enum Verdict {
    /// Nothing asked yet.
    Nothing,
    /// Not an address of a community on a known platform: the catalog key that says why.
    NotAPage(&'static str),
    /// A community the registry does not have.
    Unregistered {
        platform: &'static str,
    },
    Registered(Registered),
}

#[derive(Template)]
#[template(path = "public/check.html")]
pub struct CheckScreen {
    pub chrome: PublicChrome,
    pub region_slug: String,
    pub typed: String,
    pub verdict: Verdict,
}

/// What the typed address is, read as the importer reads addresses.
fn read(typed: &str) -> Result<(Platform, String), &'static str> {
    let platform = url::detect(typed).ok_or("page-url-invalid")?;
    if platform == Platform::Other {
        return Err("public-check-not-a-platform");
    }
    url::normalize(platform, typed)
        .map(|u| (platform, u.key))
        .map_err(|e| e.message_key())
}

pub async fn check(
    reads: Reads,
    chrome: PublicChrome,
    Query(query): Query<CheckQuery>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let typed: String = query.url.trim().chars().take(LONGEST_ADDRESS).collect();
    let verdict = if typed.is_empty() {
        Verdict::Nothing
    } else {
        match read(&typed) {
            Err(key) => Verdict::NotAPage(key),
            Ok((platform, key)) => {
                let mut conn = reads.pool().acquire().await?;
                match db::registered(&mut conn, platform.code(), &key).await? {
                    Some(found) => Verdict::Registered(found),
                    None => Verdict::Unregistered {
                        platform: platform.code(),
                    },
                }
            }
        }
    };
    render(&CheckScreen {
        chrome,
        region_slug: region.slug,
        typed,
        verdict,
    })
}
