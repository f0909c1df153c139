//! For search engines: `/robots.txt` points at `/sitemap.xml`, an index of every region's
//! sitemap, and `/r/{region}/sitemap.xml` lists the region's public pages and each
//! organization's public card.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::public::PublicChrome;
use crate::web::reads::Reads;

fn base(state: &AppState) -> String {
    state.settings.base_url.trim_end_matches('/').to_owned()
}

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /login\nDisallow: /home\n\nSitemap: {}/sitemap.xml\n",
        base(&state)
    );
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn index(State(state): State<AppState>, reads: Reads) -> AppResult<Response> {
    let regions = db::regions(&mut *reads.pool().acquire().await?).await?;
    let base = base(&state);
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for r in regions {
        body.push_str(&format!(
            "<sitemap><loc>{base}/r/{}/sitemap.xml</loc></sitemap>\n",
            r.slug
        ));
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

pub async fn region(
    State(state): State<AppState>,
    reads: Reads,
    chrome: PublicChrome,
) -> AppResult<Response> {
    let region = chrome.region.ok_or(AppError::NotFound)?;
    let mut tx = reads.tenant(region.id).await?;
    let cards = db::card_ids(&mut tx, region.id).await?;
    let contests = crate::contests::db::list(&mut tx, region.id).await?;
    tx.commit().await?;
    let base = format!("{}/r/{}", base(&state), region.slug);
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in ["directory", "summary", "check", "opendata", "contests"] {
        body.push_str(&format!("<url><loc>{base}/{page}</loc></url>\n"));
    }
    for c in contests {
        body.push_str(&format!("<url><loc>{base}/contests/{}</loc></url>\n", c.id));
    }
    for (id, changed) in cards {
        body.push_str(&format!(
            "<url><loc>{base}/directory/{id}</loc><lastmod>{}</lastmod></url>\n",
            changed.format("%Y-%m-%d")
        ));
    }
    body.push_str("</urlset>\n");
    Ok(xml(body))
}
