//! Every page of the view one row each, in the column order of the regional monitoring
//! template: where it belongs, its mark, its setup score and its newest weekly figures. A
//! region has a few thousand pages, so the file is built whole; the questions export, with
//! millions of rows, is the one that streams.

use std::collections::HashMap;

use axum::extract::Query;
use axum::response::Response;

use super::export::{self, Cell};
use super::focus::{Focus, FocusQuery};
use crate::error::{AppError, AppResult};
use crate::web::access::RegionOverseer;
use crate::web::chrome::Chrome;
use crate::web::reads::Reads;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FormatQuery {
    /// "csv"; anything else is XLSX.
    pub format: String,
}

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
    let mut pages = super::red_flags::pages(
        &mut tx,
        region,
        view.ids.as_deref(),
        focus.platform,
        &view.settings,
        today,
    )
    .await?;
    let places: HashMap<i64, (Option<String>, String)> =
        super::db::exports::places(&mut tx, region, view.ids.as_deref())
            .await?
            .into_iter()
            .map(|(id, m, inn)| (id, (m, inn)))
            .collect();
    let page_ids: Vec<i64> = pages.iter().map(|f| f.page.id.0).collect();
    let latest = crate::activity::db::latest(&mut tx, region, Some(&page_ids)).await?;
    tx.commit().await?;
    let l = chrome.locale;
    let place = |org: i64| places.get(&org).cloned().unwrap_or((None, String::new()));
    pages.sort_by(|a, b| {
        let (pa, pb) = (
            place(a.page.organization_id.0),
            place(b.page.organization_id.0),
        );
        (
            &pa.0,
            &a.page.organization_name,
            &a.page.platform,
            &a.page.url,
        )
            .cmp(&(
                &pb.0,
                &b.page.organization_name,
                &b.page.platform,
                &b.page.url,
            ))
    });
    let date = |d: Option<chrono::NaiveDate>| {
        Cell::Text(
            d.map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_default(),
        )
    };
    let number = |n: Option<f64>| Cell::Number(n);
    let rows: Vec<Vec<Cell>> = pages
        .iter()
        .map(|f| {
            let p = &f.page;
            let (municipality, inn) = place(p.organization_id.0);
            let w = latest.get(&p.id);
            vec![
                Cell::Text(municipality.unwrap_or_else(|| l.t("dashboard-regional-level"))),
                Cell::Text(p.organization_name.clone()),
                Cell::Text(inn),
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
                Cell::Share(f.percent.map(|p| f64::from(p) / 100.0)),
            ]
        })
        .collect();
    let header: Vec<String> = HEADER.iter().map(|k| l.t(k)).collect();
    let stem = format!("{}-pages-{today}", access.region.slug);
    if format.format == "csv" {
        let bytes = export::csv(&header, &rows).map_err(|e| AppError::Internal(e.into()))?;
        return Ok(export::download(bytes, export::CSV, &format!("{stem}.csv")));
    }
    let bytes = export::xlsx(&l.t("export-pages-sheet"), &header, &rows)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(export::download(
        bytes,
        export::XLSX,
        &format!("{stem}.xlsx"),
    ))
}
