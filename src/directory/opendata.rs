//! Open data: the registry of official pages as CSV (UTF-8 with BOM, `;`) and JSON, for a
//! region (`/r/{region}/opendata/pages.csv`) and the whole installation (`/opendata/…`),
//! streamed a chunk of rows at a time, with a passport page per set as Russian open-data
//! practice describes one (identifier, title, owner, update frequency, structure version,
//! columns with their meaning). Each answer carries an `ETag` and `Last-Modified` made from
//! a fingerprint of the set's rows; a matching `If-None-Match` is answered 304.

use askama::Template;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::db::opendata::{self as db, Row, Version};
use crate::error::{AppError, AppResult};
use crate::ids::RegionId;
use crate::web::public::PublicChrome;
use crate::web::reads::Reads;
use crate::web::render::render;
use sqlx::PgPool;

/// The structure the sets are published in; a change of columns is a new version.
pub const STRUCTURE_VERSION: u32 = 1;
/// The columns of structure version 1, in order.
pub const COLUMNS: [&str; 13] = [
    "region",
    "organization",
    "ogrn",
    "inn",
    "level",
    "municipality",
    "oktmo",
    "sectors",
    "platform",
    "url",
    "verified",
    "verified_since",
    "page_id",
];
/// The JSON Schema the JSON sets of structure version 1 validate against, published at
/// `/opendata/pages-v1.schema.json`.
pub const SCHEMA: &str = include_str!("pages-v1.schema.json");
/// Rows read per chunk.
const CHUNK: i64 = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

fn tag(v: &Version) -> String {
    let changed = v.changed.map_or(0, |t| t.timestamp_micros());
    format!("\"v{STRUCTURE_VERSION}-{}-{}-{changed}\"", v.rows, v.ids)
}

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn csv_record(r: &Row) -> Vec<String> {
    vec![
        r.region.clone(),
        r.organization.clone(),
        r.ogrn.clone(),
        r.inn.clone(),
        r.level.clone(),
        r.municipality.clone().unwrap_or_default(),
        r.oktmo.clone().unwrap_or_default(),
        r.sectors.clone(),
        r.platform.clone(),
        r.url.clone(),
        r.verified.to_string(),
        r.verified_since.map(|d| d.to_string()).unwrap_or_default(),
        r.id.to_string(),
    ]
}

fn json_record(r: &Row) -> serde_json::Value {
    serde_json::json!({
        "region": r.region,
        "organization": r.organization,
        "ogrn": r.ogrn,
        "inn": r.inn,
        "level": r.level,
        "municipality": r.municipality,
        "oktmo": r.oktmo,
        "sectors": r.sectors,
        "platform": r.platform,
        "url": r.url,
        "verified": r.verified,
        "verified_since": r.verified_since,
        "page_id": r.id,
    })
}

struct Cursor {
    /// The pool the set is read from: the replica when there is one.
    db: PgPool,
    region: Option<RegionId>,
    format: Format,
    after: i64,
    wrote_row: bool,
    done: bool,
}

async fn read(db: &PgPool, region: Option<RegionId>, after: i64) -> Result<Vec<Row>, sqlx::Error> {
    match region {
        Some(region) => {
            let mut tx = crate::state::tenant_tx(db, region).await?;
            let rows = db::rows(&mut tx, Some(region), after, CHUNK).await?;
            tx.commit().await?;
            Ok(rows)
        }
        // Every region's rows: read as the schema's owner.
        None => db::rows(&mut *db.acquire().await?, None, after, CHUNK).await,
    }
}

async fn next_chunk(mut c: Cursor) -> Option<(Result<Vec<u8>, std::io::Error>, Cursor)> {
    if c.done {
        return None;
    }
    let rows = match read(&c.db, c.region, c.after).await {
        Ok(rows) => rows,
        Err(e) => {
            // The download is cut short; the log says why.
            tracing::warn!(error = %e, "open data stopped");
            c.done = true;
            return Some((Err(std::io::Error::other(e)), c));
        }
    };
    c.done = (rows.len() as i64) < CHUNK;
    if let Some(last) = rows.last() {
        c.after = last.id;
    }
    let mut out = Vec::new();
    for r in &rows {
        match c.format {
            Format::Csv => out.extend(crate::web::csv::line(&csv_record(r))),
            Format::Json => {
                if c.wrote_row {
                    out.extend(b",\n");
                }
                out.extend(json_record(r).to_string().into_bytes());
                c.wrote_row = true;
            }
        }
    }
    if c.done && c.format == Format::Json {
        out.extend(b"]\n");
    }
    Some((Ok(out), c))
}

async fn serve(
    pool: PgPool,
    region: Option<(RegionId, String)>,
    format: Format,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let id = region.as_ref().map(|r| r.0);
    let version = db::version(&mut *pool.acquire().await?, id).await?;
    let etag = tag(&version);
    let mut answer = HeaderMap::new();
    answer.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.into()))?,
    );
    answer.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if let Some(changed) = version.changed
        && let Ok(v) = HeaderValue::from_str(&http_date(changed))
    {
        answer.insert(header::LAST_MODIFIED, v);
    }
    let asked = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    if asked.is_some_and(|a| crate::web::cache::matches(a, &etag)) {
        return Ok((StatusCode::NOT_MODIFIED, answer).into_response());
    }
    let stem = region.map_or_else(|| "all".to_owned(), |r| r.1);
    let (content_type, head, extension) = match format {
        Format::Csv => {
            let mut head = "\u{feff}".as_bytes().to_vec();
            let names: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
            head.extend(crate::web::csv::line(&names));
            ("text/csv; charset=utf-8", head, "csv")
        }
        Format::Json => ("application/json", b"[\n".to_vec(), "json"),
    };
    answer.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "inline; filename=\"official-pages-{stem}-v{STRUCTURE_VERSION}.{extension}\""
    )) {
        answer.insert(header::CONTENT_DISPOSITION, v);
    }
    let cursor = Cursor {
        db: pool,
        region: id,
        format,
        after: 0,
        wrote_row: false,
        done: false,
    };
    let first = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) });
    let body =
        futures_util::StreamExt::chain(first, futures_util::stream::unfold(cursor, next_chunk));
    Ok((answer, Body::from_stream(body)).into_response())
}

fn region_of(chrome: &PublicChrome) -> AppResult<(RegionId, String)> {
    chrome
        .region
        .as_ref()
        .map(|r| (r.id, r.slug.clone()))
        .ok_or(AppError::NotFound)
}

pub async fn region_csv(
    reads: Reads,
    chrome: PublicChrome,
    headers: HeaderMap,
) -> AppResult<Response> {
    serve(
        reads.pool().clone(),
        Some(region_of(&chrome)?),
        Format::Csv,
        &headers,
    )
    .await
}

pub async fn region_json(
    reads: Reads,
    chrome: PublicChrome,
    headers: HeaderMap,
) -> AppResult<Response> {
    serve(
        reads.pool().clone(),
        Some(region_of(&chrome)?),
        Format::Json,
        &headers,
    )
    .await
}

pub async fn national_csv(reads: Reads, headers: HeaderMap) -> AppResult<Response> {
    serve(reads.pool().clone(), None, Format::Csv, &headers).await
}

pub async fn national_json(reads: Reads, headers: HeaderMap) -> AppResult<Response> {
    serve(reads.pool().clone(), None, Format::Json, &headers).await
}

#[derive(Template)]
#[template(path = "public/opendata.html")]
pub struct PassportScreen {
    pub chrome: PublicChrome,
    /// `{slug}-official-pages`, or `official-pages` for the installation.
    pub identifier: String,
    /// The region's name, or none for the installation.
    pub owner: Option<String>,
    /// Where the set's files are: `/r/{slug}/opendata` or `/opendata`.
    pub base: String,
    pub rows: i64,
    pub changed: Option<String>,
}

impl PassportScreen {
    pub fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    pub fn version(&self) -> u32 {
        STRUCTURE_VERSION
    }
}

async fn passport(
    pool: &PgPool,
    chrome: PublicChrome,
    region: Option<(RegionId, String, String)>,
) -> AppResult<Response> {
    let version = db::version(&mut *pool.acquire().await?, region.as_ref().map(|r| r.0)).await?;
    let (identifier, owner, base) = match region {
        Some((_, slug, name)) => (
            format!("{slug}-official-pages"),
            Some(name),
            format!("/r/{slug}/opendata"),
        ),
        None => ("official-pages".to_owned(), None, "/opendata".to_owned()),
    };
    render(&PassportScreen {
        chrome,
        identifier,
        owner,
        base,
        rows: version.rows,
        changed: version.changed.map(|t| t.format("%Y-%m-%d").to_string()),
    })
}

pub async fn region_passport(reads: Reads, chrome: PublicChrome) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    passport(
        reads.pool(),
        chrome,
        Some((region.id, region.slug, region.name)),
    )
    .await
}

pub async fn national_passport(reads: Reads, chrome: PublicChrome) -> AppResult<Response> {
    passport(reads.pool(), chrome, None).await
}

/// The published JSON Schema of the JSON sets.
pub async fn schema() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/schema+json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        SCHEMA,
    )
        .into_response()
}
