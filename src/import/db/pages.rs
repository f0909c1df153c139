//! SQL of the pages import: the region's organizations and pages as the plan compares against
//! them, the addresses other regions hold, and the plan written in bulk with its mark history.

use sqlx::PgConnection;

use crate::ids::{OrgId, PageId, RegionId, UserId};
use crate::import::pages::PlannedPage;

#[derive(sqlx::FromRow)]
pub struct OrgKey {
    pub id: OrgId,
    pub name: String,
    pub inn: String,
    pub ogrn: String,
}

#[derive(sqlx::FromRow)]
pub struct ExistingPage {
    pub id: PageId,
    pub organization_id: OrgId,
    pub platform: String,
    pub url_key: String,
    pub url: String,
    pub title: Option<String>,
    pub mark_status: String,
    pub connected: bool,
}

pub async fn org_keys(db: &mut PgConnection, region: RegionId) -> Result<Vec<OrgKey>, sqlx::Error> {
    sqlx::query_as::<_, OrgKey>(
        "select id, name, inn, ogrn from organizations where region_id = $1",
    )
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn existing_pages(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<ExistingPage>, sqlx::Error> {
    sqlx::query_as::<_, ExistingPage>(
        "select id, organization_id, platform, url_key, url, title, mark_status, connected from pages where region_id = $1",
    )
    .bind(region)
    .fetch_all(db)
    .await
}

/// Which (platform, address key) pairs another region already holds. Pages of other regions
/// are invisible to the tenant role; the security-definer function behind the unique index
/// answers yes or no without showing them.
pub async fn taken_elsewhere(
    db: &mut PgConnection,
    keys: &[(&'static str, String)],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        r#"select platform, url_key from unnest($1::text[], $2::text[]) as k(platform, url_key)
           where exists (select 1 from pages_registered(k.platform, k.url_key))"#,
    )
    .bind(keys.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>())
    .bind(keys.iter().map(|(_, k)| k.clone()).collect::<Vec<_>>())
    .fetch_all(db)
    .await
}

fn existing_ids(rows: &[&PlannedPage]) -> Vec<Option<i64>> {
    rows.iter().map(|r| r.existing.map(|id| id.0)).collect()
}

fn marks(rows: &[&PlannedPage]) -> Vec<String> {
    rows.iter().map(|r| r.values.mark_status.clone()).collect()
}

/// Returns each new page's id with its platform and address key.
pub async fn insert_created(
    db: &mut PgConnection,
    region: RegionId,
    creates: &[&PlannedPage],
) -> Result<Vec<(PageId, String, String)>, sqlx::Error> {
    sqlx::query_as(
        r#"insert into pages (region_id, organization_id, platform, url_key, url, title, mark_status, connected, mark_since)
           select $1, u.org, u.platform, u.url_key, u.url, u.title, u.mark, u.connected,
                  case when u.mark <> 'none' then (select (now() at time zone r.time_zone)::date from regions r where r.id = $1) end
           from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[])
                as u(org, platform, url_key, url, title, mark, connected)
           returning id, platform, url_key"#,
    )
    .bind(region)
    .bind(creates.iter().map(|r| r.values.organization.0).collect::<Vec<_>>())
    .bind(creates.iter().map(|r| r.values.platform).collect::<Vec<_>>())
    .bind(creates.iter().map(|r| r.values.url_key.clone()).collect::<Vec<_>>())
    .bind(creates.iter().map(|r| r.values.url.clone()).collect::<Vec<_>>())
    .bind(creates.iter().map(|r| r.values.title.clone()).collect::<Vec<_>>())
    .bind(marks(creates))
    .bind(creates.iter().map(|r| r.values.connected).collect::<Vec<_>>())
    .fetch_all(db)
    .await
}

/// The mark changes of updated pages, dated the day of the import in the region; run before
/// the update, while the pages still hold their old status.
pub async fn record_mark_changes(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    updates: &[&PlannedPage],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into page_mark_events (region_id, page_id, from_status, status, happened_on, recorded_by)
           select $1, p.id, p.mark_status, u.mark, (now() at time zone r.time_zone)::date, $2
           from unnest($3::bigint[], $4::text[]) as u(id, mark)
           join pages p on p.region_id = $1 and p.id = u.id
           join regions r on r.id = $1
           where p.mark_status <> u.mark"#,
    )
    .bind(region)
    .bind(user)
    .bind(existing_ids(updates))
    .bind(marks(updates))
    .execute(db)
    .await?;
    Ok(())
}

/// New pages that arrive with a mark get its first history entry.
pub async fn record_new_marks(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    created: &[(PageId, String, String)],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into page_mark_events (region_id, page_id, from_status, status, happened_on, recorded_by)
           select $1, p.id, 'none', p.mark_status, (now() at time zone r.time_zone)::date, $2
           from pages p join regions r on r.id = p.region_id
           where p.region_id = $1 and p.id = any($3) and p.mark_status <> 'none'"#,
    )
    .bind(region)
    .bind(user)
    .bind(created.iter().map(|(id, _, _)| id.0).collect::<Vec<_>>())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update_changed(
    db: &mut PgConnection,
    region: RegionId,
    updates: &[&PlannedPage],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update pages p set url = u.url, title = u.title, mark_status = u.mark, connected = u.connected,
                  mark_since = case when p.mark_status <> u.mark
                      then (select (now() at time zone r.time_zone)::date from regions r where r.id = $1)
                      else p.mark_since end,
                  updated_at = now()
           from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bool[]) as u(id, url, title, mark, connected)
           where p.region_id = $1 and p.id = u.id"#,
    )
    .bind(region)
    .bind(existing_ids(updates))
    .bind(updates.iter().map(|r| r.values.url.clone()).collect::<Vec<_>>())
    .bind(updates.iter().map(|r| r.values.title.clone()).collect::<Vec<_>>())
    .bind(marks(updates))
    .bind(updates.iter().map(|r| r.values.connected).collect::<Vec<_>>())
    .execute(db)
    .await?;
    Ok(())
}
