//! SQL of the organization view and the downloads: the organization's header, the page
//! workbook's rows streamed in its order, and the question rows read in chunks by id.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(sqlx::FromRow)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub municipality_id: Option<i64>,
    pub municipality: Option<String>,
    pub exempt: bool,
    pub archived: bool,
}

pub async fn organization(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.id, o.name, o.level, o.municipality_id, m.name as municipality, o.exempt,
                  o.archived_at is not null as archived
           from organizations o left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
           where o.region_id = $1 and o.id = $2"#,
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

#[derive(sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub received_at: DateTime<Utc>,
    pub organization: String,
    pub municipality: Option<String>,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub channel: String,
    pub first_response_at: Option<DateTime<Utc>>,
    pub first_response_minutes: Option<i32>,
    pub first_response_due: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer_minutes: Option<i32>,
    pub paused_minutes: i32,
    pub overdue: bool,
    pub transfer_count: i32,
    pub reopen_count: i32,
}

/// The next `limit` questions of the scope received since `from`, after the id `after`:
/// a download reads a chunk per short transaction instead of holding one open.
pub async fn question_rows(
    db: &mut PgConnection,
    region: RegionId,
    ids: Option<&[i64]>,
    from: DateTime<Utc>,
    after: i64,
    limit: i64,
) -> Result<Vec<QuestionRow>, sqlx::Error> {
    sqlx::query_as(
        r#"select q.id, q.received_at, o.name as organization, m.name as municipality, q.category, q.priority,
                  q.status, q.channel, q.first_response_at, q.first_response_minutes, q.first_response_due,
                  q.answered_at, q.answer_minutes, q.paused_minutes, coalesce(q.due_at <= now(), false) as overdue,
                  q.transfer_count, q.reopen_count
           from questions q
           join organizations o on o.region_id = q.region_id and o.id = q.organization_id
           left join municipalities m on m.region_id = q.region_id and m.id = o.municipality_id
           where q.region_id = $1 and ($2::bigint[] is null or q.organization_id = any($2))
             and q.received_at >= $3 and q.id > $4
           order by q.id limit $5"#,
    )
    .bind(region)
    .bind(ids)
    .bind(from)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A row of the page workbook: the page's card, where its organization belongs, and its
/// newest weekly figures (none recorded yet: all empty).
#[derive(sqlx::FromRow)]
pub struct PageRow {
    #[sqlx(flatten)]
    pub page: crate::pages::db::card::CardPage,
    pub municipality: Option<String>,
    pub inn: String,
    pub week: Option<chrono::NaiveDate>,
    pub followers: Option<i32>,
    pub posts: Option<i32>,
    pub views: Option<i64>,
    pub likes: Option<i32>,
    pub comments: Option<i32>,
    pub reposts: Option<i32>,
    pub reach: Option<i64>,
    pub last_post_on: Option<chrono::NaiveDate>,
}

impl PageRow {
    pub fn latest(&self) -> Option<crate::activity::derive::Week> {
        self.week.map(|week| crate::activity::derive::Week {
            week,
            followers: self.followers,
            posts: self.posts,
            views: self.views,
            likes: self.likes,
            comments: self.comments,
            reposts: self.reposts,
            reach: self.reach,
            last_post_on: self.last_post_on,
        })
    }
}

static PAGE_ROWS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use crate::pages::db::card::{CARD_COLUMNS, CARD_FROM};
    format!(
        r#"select {CARD_COLUMNS}, m.name as municipality, o.inn, l.week, l.followers, l.posts, l.views,
                  l.likes, l.comments, l.reposts, l.reach, l.last_post_on
           {CARD_FROM}
           left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
           left join page_latest l on l.page_id = p.id
           where p.region_id = $1 and o.archived_at is null and ($2::bigint[] is null or o.id = any($2))
             and ($3::text is null or p.platform = $3)
           order by m.name nulls first, o.name, p.platform, p.url, p.id"#
    )
});

/// Every page of the view (archived organizations left out) in the workbook's order —
/// municipality (the regional level first), organization, platform, address — as the rows
/// arrive from the server, so a file of any length is never held whole.
pub fn page_rows<'a>(
    db: &'a mut PgConnection,
    region: RegionId,
    ids: Option<&'a [i64]>,
    platform: Option<&'a str>,
) -> futures_util::stream::BoxStream<'a, Result<PageRow, sqlx::Error>> {
    sqlx::query_as(&PAGE_ROWS)
        .bind(region)
        .bind(ids)
        .bind(platform)
        .fetch(db)
}
