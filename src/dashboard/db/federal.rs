//! SQL of the operator's federal overview: every region at once, outside row-level
//! security on purpose (the operator only, each view audited by the screen).

use chrono::{Duration, Utc};
use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RegionFigures {
    pub id: RegionId,
    pub name: String,
    pub obliged: i64,
    pub with_page: i64,
    pub covered: i64,
    pub verified: i64,
    pub connected: i64,
    pub received: i64,
    pub on_time: i64,
    pub on_time_base: i64,
    pub overdue: i64,
}

/// Coverage per region (each by its own required platforms, from the summary the triggers
/// keep) and the last week's answers.
pub async fn figures(db: &mut PgConnection) -> Result<Vec<RegionFigures>, sqlx::Error> {
    let now = Utc::now();
    sqlx::query_as(
        r#"select r.id, r.name,
                  coalesce(c.obliged, 0)::bigint as obliged, coalesce(c.with_page, 0)::bigint as with_page,
                  coalesce(c.covered, 0)::bigint as covered, coalesce(c.verified, 0)::bigint as verified,
                  coalesce(c.connected, 0)::bigint as connected,
                  a.received, a.on_time,
                  a.responded + wl.late::bigint + wt.late as on_time_base,
                  od.overdue::bigint + ot.overdue as overdue
           from regions r
           -- Kept by triggers with every change of organizations, pages and settings.
           left join region_coverage c on c.region_id = r.id
           -- The last 7 days (today among them, UTC) from the daily summary the triggers keep.
           cross join lateral (
               select coalesce(sum(d.received), 0)::bigint as received,
                      coalesce(sum(d.on_time), 0)::bigint as on_time,
                      coalesce(sum(d.responded), 0)::bigint as responded
               from question_days d where d.region_id = r.id and d.day >= $1
           ) a
           -- Still waiting for a first response past its deadline, counted against the share:
           -- deadlines before today from the summary, today's read live.
           cross join lateral (
               select coalesce(sum(w.waiting), 0) as late from question_waiting_days w
               where w.region_id = r.id and w.received_day >= $1 and w.due_day < $3
           ) wl
           cross join lateral (
               select count(*) as late from questions q
               where q.region_id = r.id and q.first_response_at is null and q.status in ('new', 'in_progress')
                 and q.paused_at is null and q.first_response_due >= ($3::date::timestamp at time zone 'UTC')
                 and q.first_response_due <= $2 and q.received_at >= ($1::date::timestamp at time zone 'UTC')
           ) wt
           -- Open questions past their deadline (an open question has a due time only while it
           -- is being worked on): days before today from the summary, today's read live.
           cross join lateral (
               select coalesce(sum(d.due), 0) as overdue from question_due_days d
               where d.region_id = r.id and d.day < $3
           ) od
           cross join lateral (
               select count(*) as overdue from questions q
               where q.region_id = r.id and q.due_at >= ($3::date::timestamp at time zone 'UTC') and q.due_at <= $2
           ) ot
           order by r.name"#,
    )
    .bind((now - Duration::days(6)).date_naive())
    .bind(now)
    .bind(now.date_naive())
    .fetch_all(db)
    .await
}
