//! Every page of the view one row each, in the column order of the regional monitoring
//! template: where it belongs, its mark, its setup score and its newest weekly figures. The
//! rows stream from the database into the file and the file into the response, so the
//! server's memory does not grow with the file's length.

use axum::body::Body;
use axum::extract::Query;
use axum::response::Response;
use chrono::NaiveDate;

use super::db::exports as db;
use super::export::{self, Cell};
use super::focus::{Focus, FocusQuery};
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::ids::RegionId;
use crate::pages::score::{facts, weights};
use crate::quality::score::{Weights, score};
use crate::settings::db::RegionSettings;
use crate::web::access::RegionOverseer;
use crate::web::chrome::Chrome;
use crate::web::reads::Reads;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FormatQuery {
    /// "csv"; anything else is XLSX.
    pub format: String,
}

/// Bytes of CSV sent at a time.
const CSV_CHUNK: usize = 64 * 1024;

const HEADER: [&str; 16] = [
    "field-municipality",
    "field-organization",
    "field-inn",
    "field-platform",
    "field-url",
    "field-category",
    "mark-title",
    "export-p-mark-since",
    "export-p-connected",
    "figure-week",
    "figure-followers",
    "figure-posts",
    "figure-views",
    "figure-reach",
    "figure-last-post",
    "score-title",
];

pub async fn export_pages(
    reads: Reads,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(format): Query<FormatQuery>,
    Query(focus): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&focus)?;
    let region = access.region.id;
    let today = crate::regions::time::today_in(&access.region);
    let mut tx = reads.tenant(region).await?;
    let view = super::handlers::view(&mut tx, &access, &focus).await?;
    tx.commit().await?;
    let l = chrome.locale;
    let rows = read_rows(reads.pool().clone(), region, view, focus.platform, today, l);
    let header: Vec<String> = HEADER.iter().map(|k| l.t(k)).collect();
    let stem = format!("{}-pages-{today}", access.region.slug);
    if format.format == "csv" {
        let mut first = "\u{feff}".as_bytes().to_vec();
        first.extend(crate::web::csv::line(&header));
        let head = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) });
        // Lines go out in chunks of about 64 KB: a chunk per line costs more than the line.
        let lines = futures_util::stream::unfold(rows, |mut rows| async move {
            let mut chunk = Vec::with_capacity(CSV_CHUNK + 1024);
            while chunk.len() < CSV_CHUNK {
                match rows.recv().await {
                    Some(Ok(cells)) => chunk.extend(export::csv_line(&cells)),
                    Some(Err(e)) => return Some((Err(std::io::Error::other(e)), rows)),
                    None if chunk.is_empty() => return None,
                    None => break,
                }
            }
            Some((Ok(chunk), rows))
        });
        let body = Body::from_stream(futures_util::StreamExt::chain(head, lines));
        return Ok(export::download(body, export::CSV, &format!("{stem}.csv")));
    }
    let sheet = l.t("export-pages-sheet");
    let (bytes, out) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(16);
    tokio::task::spawn_blocking(move || {
        let mut rows = rows;
        let writer = std::io::BufWriter::with_capacity(64 * 1024, Chunks(bytes.clone()));
        if let Err(e) = export::stream_xlsx(&sheet, &header, || rows.blocking_recv(), writer) {
            tracing::warn!(error = %e, "page workbook stopped");
            let _ = bytes.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let body = Body::from_stream(futures_util::stream::unfold(out, |mut out| async move {
        out.recv().await.map(|chunk| (chunk, out))
    }));
    Ok(export::download(
        body,
        export::XLSX,
        &format!("{stem}.xlsx"),
    ))
}

/// The view's pages as rows of cells, read and scored one at a time by a task of their own
/// and handed on through a short queue: the file is written as fast as it is read, and a
/// download given up stops the reading.
fn read_rows(
    pool: sqlx::PgPool,
    region: RegionId,
    view: super::handlers::View,
    platform: Option<&'static str>,
    today: NaiveDate,
    l: Locale,
) -> tokio::sync::mpsc::Receiver<Result<Vec<Cell>, String>> {
    let (rows, received) = tokio::sync::mpsc::channel(256);
    tokio::spawn(async move {
        let read: Result<(), sqlx::Error> = async {
            let weights = weights(&view.settings);
            let mut tx = crate::state::tenant_tx(&pool, region).await?;
            let mut pages = db::page_rows(&mut tx, region, view.ids.as_deref(), platform);
            while let Some(page) = futures_util::TryStreamExt::try_next(&mut pages).await? {
                let cells = cells(&page, &view.settings, &weights, today, l);
                if rows.send(Ok(cells)).await.is_err() {
                    break;
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = read {
            tracing::warn!(error = %e, "page workbook rows stopped");
            let _ = rows.send(Err(e.to_string())).await;
        }
    });
    received
}

/// A page's row in the template's columns, with its setup score as the screens compute it.
fn cells(
    row: &db::PageRow,
    settings: &RegionSettings,
    weights: &Weights,
    today: NaiveDate,
    l: Locale,
) -> Vec<Cell> {
    let p = &row.page;
    let w = row.latest();
    let weeks: Vec<_> = w.into_iter().collect();
    let percent = score(&facts(p, &weeks, settings, today), weights).percent;
    let date = |d: Option<NaiveDate>| {
        Cell::Text(
            d.map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_default(),
        )
    };
    let number = |n: Option<f64>| Cell::Number(n);
    vec![
        Cell::Text(
            row.municipality
                .clone()
                .unwrap_or_else(|| l.t("dashboard-regional-level")),
        ),
        Cell::Text(p.organization_name.clone()),
        Cell::Text(row.inn.clone()),
        Cell::Text(l.t(&format!("platform-{}", p.platform))),
        Cell::Text(p.url.clone()),
        Cell::Text(l.t(&format!("page-category-{}", p.category))),
        Cell::Text(l.t(&format!("mark-{}", p.mark_status))),
        date(p.mark_since),
        Cell::Text(l.t(if p.connected { "yes" } else { "no" })),
        date(w.map(|w| w.week)),
        number(w.and_then(|w| w.followers).map(f64::from)),
        number(w.and_then(|w| w.posts).map(f64::from)),
        number(w.and_then(|w| w.views).map(|v| v as f64)),
        number(w.and_then(|w| w.reach).map(|v| v as f64)),
        date(w.and_then(|w| w.last_post_on)),
        Cell::Share(percent.map(|p| f64::from(p) / 100.0)),
    ]
}

/// The workbook's bytes handed to the response as they are zipped. A download given up
/// makes the next write fail, which stops the writing.
struct Chunks(tokio::sync::mpsc::Sender<std::io::Result<Vec<u8>>>);

impl std::io::Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.blocking_send(Ok(buf.to_vec())).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "download given up")
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
