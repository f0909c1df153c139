//! SQL of the weekly figures import: the region's pages with their organizations' keys, and
//! the planned weeks written in one statement.

use sqlx::PgConnection;

use crate::ids::{PageId, RegionId, UserId};
use crate::import::activity::PlannedWeek;

#[derive(sqlx::FromRow)]
pub struct PageKey {
    pub id: PageId,
    pub platform: String,
    pub url_key: String,
    pub inn: String,
    pub ogrn: String,
}

pub async fn page_keys(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<PageKey>, sqlx::Error> {
    sqlx::query_as(
        r#"select p.id, p.platform, p.url_key, o.inn, o.ogrn
           from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where p.region_id = $1"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}

/// A week already recorded for a page is replaced: the file is the newer word.
pub async fn upsert_weeks(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    import: i64,
    rows: &[&PlannedWeek],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts,
                                       reach, last_post_on, source, entered_by, import_id)
           select $1, u.page, u.week, u.followers, u.posts, u.views, u.likes, u.comments, u.reposts, u.reach, u.last_post,
                  'upload', $2, $3
           from unnest($4::bigint[], $5::date[], $6::int[], $7::int[], $8::bigint[], $9::int[], $10::int[], $11::int[],
                       $12::bigint[], $13::date[])
                as u(page, week, followers, posts, views, likes, comments, reposts, reach, last_post)
           on conflict (page_id, week) do update set followers = excluded.followers, posts = excluded.posts,
               views = excluded.views, likes = excluded.likes, comments = excluded.comments, reposts = excluded.reposts,
               reach = excluded.reach, last_post_on = excluded.last_post_on, source = 'upload',
               entered_by = excluded.entered_by, import_id = excluded.import_id, updated_at = now()"#,
    )
    .bind(region)
    .bind(user)
    .bind(import)
    .bind(rows.iter().map(|r| r.page.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.week).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.followers).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.posts).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.views).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.likes).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.comments).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.reposts).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.reach).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.week.last_post_on).collect::<Vec<_>>())
    .execute(db)
    .await?;
    Ok(())
}
