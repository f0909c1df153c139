//! SQL of the answer figures: a period and the one before in one grouping pass, open
//! questions overdue now, and the period per organization.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::RegionId;

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Responsiveness {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub received: i64,
    /// Received less rejected, duplicates and withdrawn: what needed an answer.
    pub considered: i64,
    pub answered: i64,
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub on_time: i64,
    /// Responded, plus still open and already past the first-response deadline.
    pub on_time_base: i64,
    pub transferred: i64,
    pub reopened: i64,
}

pub struct Period<'a> {
    pub region: RegionId,
    pub ids: Option<&'a [i64]>,
    /// Where the period before, compared with this one, begins.
    pub before: DateTime<Utc>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// Only questions that came through a page of this platform.
    pub platform: Option<&'a str>,
}

/// The columns of `Responsiveness` but `id` and `name`, aggregated over questions `q`.
fn push_figures(q: &mut QueryBuilder<'_, Postgres>, now: DateTime<Utc>) {
    q.push(
        r#"count(*) as received,
    count(*) filter (where q.status not in ('rejected', 'duplicate', 'withdrawn')) as considered,
    count(*) filter (where q.answered_at is not null) as answered,
    percentile_cont(0.5) within group (order by q.first_response_minutes) as median_minutes,
    percentile_cont(0.9) within group (order by q.first_response_minutes) as p90_minutes,
    count(*) filter (where q.first_response_at is not null and q.first_response_at <= q.first_response_due) as on_time,
    count(*) filter (where q.first_response_at is not null
                     or (q.status in ('new', 'in_progress') and q.paused_at is null and q.first_response_due <= "#,
    )
    .push_bind(now)
    .push(
        r#")) as on_time_base,
    count(*) filter (where q.transfer_count > 0) as transferred,
    count(*) filter (where q.reopen_count > 0) as reopened"#,
    );
}

/// Questions `q` of the region, of the organizations in scope and, when the view looks at
/// one platform, that came through a page of it.
fn push_scope(q: &mut QueryBuilder<'_, Postgres>, p: &Period<'_>) {
    q.push(" where q.region_id = ").push_bind(p.region);
    if let Some(ids) = p.ids {
        q.push(" and q.organization_id = any(")
            .push_bind(ids.to_vec())
            .push(")");
    }
    if let Some(platform) = p.platform {
        q.push(
            " and exists (select 1 from pages pp where pp.region_id = q.region_id and pp.id = q.page_id and pp.platform = ",
        )
        .push_bind(platform.to_owned())
        .push(")");
    }
}

#[derive(sqlx::FromRow)]
pub struct GroupRow {
    /// In this period (not the one before).
    pub current: bool,
    /// The period's total.
    pub whole: bool,
    /// One municipality's figures; otherwise, neither whole nor per municipality, a category's.
    pub per_municipality: bool,
    #[sqlx(flatten)]
    pub figures: Responsiveness,
}

/// Both periods in one pass over their questions, grouped three ways at once.
pub async fn grouped(db: &mut PgConnection, p: &Period<'_>) -> Result<Vec<GroupRow>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        r#"select c.current,
                  grouping(o.municipality_id, m.name) = 3 and grouping(q.category) = 1 as whole,
                  grouping(o.municipality_id, m.name) = 0 as per_municipality,
                  o.municipality_id as id, coalesce(m.name, q.category) as name, "#,
    );
    push_figures(&mut q, p.now);
    q.push(
        r#" from questions q
           join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           left join municipalities m on m.region_id = q.region_id and m.id = o.municipality_id
           cross join lateral (select q.received_at >= "#,
    )
    .push_bind(p.from)
    .push(" as current) c");
    push_scope(&mut q, p);
    q.push(" and q.received_at >= ")
        .push_bind(p.before)
        .push(" and q.received_at < ")
        .push_bind(p.to)
        .push(
            r#" group by grouping sets ((c.current), (c.current, o.municipality_id, m.name),
                                       (c.current, q.category))"#,
        );
    q.build_query_as().fetch_all(db).await
}

/// Open questions past their deadline now, whatever the period. An open question has a due
/// time only while it is being worked on; saying it is open lets the index of open questions
/// answer alone.
pub async fn overdue_now(db: &mut PgConnection, p: &Period<'_>) -> Result<i64, sqlx::Error> {
    let mut q = QueryBuilder::new("select count(*) from questions q");
    push_scope(&mut q, p);
    q.push(" and q.status in ('new', 'in_progress') and q.due_at <= ")
        .push_bind(p.now);
    q.build_query_scalar().fetch_one(db).await
}

/// This period per organization of the view.
pub async fn by_organization(
    db: &mut PgConnection,
    p: &Period<'_>,
) -> Result<Vec<Responsiveness>, sqlx::Error> {
    let mut q = QueryBuilder::new("select o.id, o.name, ");
    push_figures(&mut q, p.now);
    q.push(" from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id");
    push_scope(&mut q, p);
    q.push(" and q.received_at >= ")
        .push_bind(p.from)
        .push(" and q.received_at < ")
        .push_bind(p.to)
        .push(" group by o.id, o.name");
    q.build_query_as().fetch_all(db).await
}
