//! One row per question of a period, with its times in working hours, as CSV for Russian
//! Excel. Streamed in chunks read by id, each in its own short tenant transaction, so a
//! region's year of questions never sits in memory and no transaction stays open for the
//! whole download.

use axum::body::Body;
use axum::extract::Query;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::db::exports::{self as db, QuestionRow};
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::ids::RegionId;
use crate::web::access::RegionOverseer;
use crate::web::chrome::Chrome;
use crate::web::reads::Reads;

const CHUNK: i64 = 2_000;

fn header(l: Locale) -> Vec<String> {
    [
        "export-q-id",
        "export-q-received",
        "field-organization",
        "field-municipality",
        "field-category",
        "field-priority",
        "field-status",
        "field-channel",
        "export-q-first-response",
        "export-q-first-hours",
        "export-q-on-time",
        "export-q-answered",
        "export-q-answer-hours",
        "export-q-waited-hours",
        "export-q-overdue",
        "question-transfers",
        "question-reopens",
    ]
    .iter()
    .map(|k| l.t(k))
    .collect()
}

fn hours(minutes: Option<i32>) -> String {
    minutes
        .map(|m| format!("{:.1}", f64::from(m) / 60.0).replace('.', ","))
        .unwrap_or_default()
}

fn record(r: &QuestionRow, tz: Tz, l: Locale) -> Vec<String> {
    let local = |t: &DateTime<Utc>| crate::regions::time::local(t, tz);
    let yes_no = |b: bool| l.t(if b { "yes" } else { "no" });
    vec![
        r.id.to_string(),
        local(&r.received_at),
        r.organization.clone(),
        r.municipality.clone().unwrap_or_default(),
        r.category.clone(),
        l.t(&format!("priority-{}", r.priority)),
        l.t(&format!("status-{}", r.status)),
        l.t(&format!("channel-{}", r.channel)),
        r.first_response_at.as_ref().map(local).unwrap_or_default(),
        hours(r.first_response_minutes),
        r.first_response_at
            .map(|t| yes_no(t <= r.first_response_due))
            .unwrap_or_default(),
        r.answered_at.as_ref().map(local).unwrap_or_default(),
        hours(r.answer_minutes),
        hours(Some(r.paused_minutes)),
        yes_no(r.overdue),
        r.transfer_count.to_string(),
        r.reopen_count.to_string(),
    ]
}

struct Cursor {
    /// The pool the questions are read from: the replica when there is one.
    db: sqlx::PgPool,
    region: RegionId,
    ids: Option<Vec<i64>>,
    from: DateTime<Utc>,
    after: i64,
    tz: Tz,
    l: Locale,
    done: bool,
}

async fn next_chunk(mut c: Cursor) -> Option<(Result<Vec<u8>, std::io::Error>, Cursor)> {
    if c.done {
        return None;
    }
    let rows: Result<Vec<QuestionRow>, sqlx::Error> = async {
        let mut tx = crate::state::tenant_tx(&c.db, c.region).await?;
        let rows =
            db::question_rows(&mut tx, c.region, c.ids.as_deref(), c.from, c.after, CHUNK).await?;
        tx.commit().await?;
        Ok(rows)
    }
    .await;
    match rows {
        Err(e) => {
            // The download is cut short; the log says why.
            tracing::warn!(error = %e, "question export stopped");
            c.done = true;
            Some((Err(std::io::Error::other(e)), c))
        }
        Ok(rows) => {
            c.done = (rows.len() as i64) < CHUNK;
            if let Some(last) = rows.last() {
                c.after = last.id;
            }
            let mut out = Vec::new();
            for r in &rows {
                out.extend(crate::web::csv::line(&record(r, c.tz, c.l)));
            }
            Some((Ok(out), c))
        }
    }
}

pub async fn export(
    reads: Reads,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(focus): Query<super::focus::FocusQuery>,
) -> AppResult<Response> {
    // The view's organizations and period; the questions of a platform are not told apart
    // here: each row says its channel.
    let focus = super::focus::Focus::parse(&focus)?;
    let days = focus.days;
    let region = access.region.id;
    let mut tx = reads.tenant(region).await?;
    let ids = super::handlers::view(&mut tx, &access, &focus).await?.ids;
    tx.commit().await?;
    let l = chrome.locale;
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    let mut first = "\u{feff}".as_bytes().to_vec();
    first.extend(crate::web::csv::line(&header(l)));
    let cursor = Cursor {
        db: reads.pool().clone(),
        region,
        ids,
        from: super::responsiveness::Calendar::last(days, Utc::now(), tz).from,
        after: 0,
        tz,
        l,
        done: false,
    };
    let head = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) });
    let body =
        futures_util::StreamExt::chain(head, futures_util::stream::unfold(cursor, next_chunk));
    let file = format!("{}-questions-{days}d.csv", access.region.slug);
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}
