//! Weekly activity figures of pages.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::derive::Week;
use crate::ids::{PageId, RegionId, UserId};

/// A recorded week with the page it belongs to.
#[derive(sqlx::FromRow)]
pub struct PageWeek {
    pub page_id: PageId,
    #[sqlx(flatten)]
    pub week: Week,
}

/// The columns of `PageWeek`, for queries on `page_snapshots`.
const PAGE_WEEK_COLUMNS: &str =
    "page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on";

/// The most recent week of each page (of the given pages, or all of the region's).
pub async fn latest(
    db: &mut PgConnection,
    region: RegionId,
    pages: Option<&[i64]>,
) -> Result<std::collections::HashMap<PageId, Week>, sqlx::Error> {
    let rows: Vec<PageWeek> = sqlx::query_as(&format!(
        r#"select {PAGE_WEEK_COLUMNS} from page_latest
           where region_id = $1 and ($2::bigint[] is null or page_id = any($2))"#
    ))
    .bind(region)
    .bind(pages)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.page_id, r.week)).collect())
}

/// Every page's figures for the given weeks (Mondays), as recorded so far.
pub async fn region_weeks(
    db: &mut PgConnection,
    region: RegionId,
    weeks: &[NaiveDate],
) -> Result<Vec<PageWeek>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {PAGE_WEEK_COLUMNS} from page_snapshots where region_id = $1 and week = any($2)"
    ))
    .bind(region)
    .bind(weeks)
    .fetch_all(db)
    .await
}

/// The latest weeks of a page, newest first.
pub async fn weeks(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    limit: i64,
) -> Result<Vec<Week>, sqlx::Error> {
    sqlx::query_as(
        r#"select week, followers, posts, views, likes, comments, reposts, reach, last_post_on
           from page_snapshots where region_id = $1 and page_id = $2
           order by week desc limit $3"#,
    )
    .bind(region)
    .bind(page)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Who recorded a week and how.
pub struct Origin {
    pub source: &'static str,
    pub user: Option<UserId>,
    pub import_id: Option<i64>,
}

/// Records a week's figures, replacing what was there for that week. Returns whether a row
/// for the week existed before.
pub async fn upsert(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    w: &Week,
    origin: &Origin,
) -> Result<bool, sqlx::Error> {
    let existed: bool = sqlx::query_scalar(
        r#"insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts,
                                       reach, last_post_on, source, entered_by, import_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           on conflict (page_id, week) do update set followers = excluded.followers, posts = excluded.posts,
               views = excluded.views, likes = excluded.likes, comments = excluded.comments,
               reposts = excluded.reposts, reach = excluded.reach, last_post_on = excluded.last_post_on,
               source = excluded.source, entered_by = excluded.entered_by, import_id = excluded.import_id,
               updated_at = now()
           returning (xmax <> 0)"#,
    )
    .bind(region)
    .bind(page)
    .bind(w.week)
    .bind(w.followers)
    .bind(w.posts)
    .bind(w.views)
    .bind(w.likes)
    .bind(w.comments)
    .bind(w.reposts)
    .bind(w.reach)
    .bind(w.last_post_on)
    .bind(origin.source)
    .bind(origin.user)
    .bind(origin.import_id)
    .fetch_one(db)
    .await?;
    Ok(existed)
}

/// Records many weeks in one statement, each replacing what was there for its page and week:
/// the newer word wins, whoever said it (a file, another system, a person).
pub async fn upsert_many(
    db: &mut PgConnection,
    region: RegionId,
    weeks: &[(PageId, Week)],
    origin: &Origin,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts,
                                       reach, last_post_on, source, entered_by, import_id)
           select $1, u.page, u.week, u.followers, u.posts, u.views, u.likes, u.comments, u.reposts, u.reach, u.last_post,
                  $14, $2, $3
           from unnest($4::bigint[], $5::date[], $6::int[], $7::int[], $8::bigint[], $9::int[], $10::int[], $11::int[],
                       $12::bigint[], $13::date[])
                as u(page, week, followers, posts, views, likes, comments, reposts, reach, last_post)
           on conflict (page_id, week) do update set followers = excluded.followers, posts = excluded.posts,
               views = excluded.views, likes = excluded.likes, comments = excluded.comments, reposts = excluded.reposts,
               reach = excluded.reach, last_post_on = excluded.last_post_on, source = excluded.source,
               entered_by = excluded.entered_by, import_id = excluded.import_id, updated_at = now()"#,
    )
    .bind(region)
    .bind(origin.user)
    .bind(origin.import_id)
    .bind(weeks.iter().map(|(p, _)| p.0).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.week).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.followers).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.posts).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.views).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.likes).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.comments).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.reposts).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.reach).collect::<Vec<_>>())
    .bind(weeks.iter().map(|(_, w)| w.last_post_on).collect::<Vec<_>>())
    .bind(origin.source)
    .execute(db)
    .await?;
    Ok(())
}

/// The Monday of the week a date falls in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}
