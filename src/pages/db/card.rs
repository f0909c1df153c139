//! SQL of the page card: the page with its organization's name and its setup, read one,
//! many or a scope at a time; the checklist and the setup written.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::ids::{OrgId, PageId, RegionId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CardPage {
    pub id: PageId,
    pub organization_id: OrgId,
    pub organization_name: String,
    pub platform: String,
    pub url: String,
    pub title: Option<String>,
    pub mark_status: String,
    pub mark_since: Option<NaiveDate>,
    pub connected: bool,
    pub category: String,
    pub has_avatar: Option<bool>,
    pub has_cover: Option<bool>,
    pub has_description: Option<bool>,
    pub has_contacts: Option<bool>,
    pub widgets: Option<i16>,
    pub comments_open: Option<bool>,
    pub checklist: Vec<String>,
}

/// The columns of `CardPage`, from `pages p` joined to `organizations o` (`CARD_FROM`); each
/// reader adds its conditions, and may add columns of its own.
pub const CARD_COLUMNS: &str = r#"p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title,
       p.mark_status, p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover, p.has_description,
       p.has_contacts, p.widgets, p.comments_open, p.checklist"#;
pub const CARD_FROM: &str =
    "from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id";

static CARD_SELECT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("select {CARD_COLUMNS} {CARD_FROM}"));

pub async fn card(
    db: &mut PgConnection,
    region: RegionId,
    id: PageId,
) -> Result<Option<CardPage>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} where p.region_id = $1 and p.id = $2",
        *CARD_SELECT
    ))
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn cards(
    db: &mut PgConnection,
    region: RegionId,
    ids: &[i64],
) -> Result<Vec<CardPage>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} where p.region_id = $1 and p.id = any($2)",
        *CARD_SELECT
    ))
    .bind(region)
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Every page of the region's organizations that are not archived, of the given
/// organizations (`None`: all) and platform (`None`: any).
pub async fn cards_in_scope(
    db: &mut PgConnection,
    region: RegionId,
    orgs: Option<&[i64]>,
    platform: Option<&str>,
) -> Result<Vec<CardPage>, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"{}
           where p.region_id = $1 and o.archived_at is null and ($2::bigint[] is null or o.id = any($2))
             and ($3::text is null or p.platform = $3)"#,
        *CARD_SELECT
    ))
    .bind(region)
    .bind(orgs)
    .bind(platform)
    .fetch_all(db)
    .await
}

/// Every page of the region, archived organizations included.
pub async fn region_cards(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<CardPage>, sqlx::Error> {
    sqlx::query_as(&format!("{} where p.region_id = $1", *CARD_SELECT))
        .bind(region)
        .fetch_all(db)
        .await
}

pub async fn set_checklist(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    ticked: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update pages set checklist = $3, updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(page)
    .bind(ticked)
    .execute(db)
    .await?;
    Ok(())
}

/// How a page is set up; `None` is "not known".
pub struct Setup<'a> {
    pub category: &'a str,
    pub connected: bool,
    pub has_avatar: Option<bool>,
    pub has_cover: Option<bool>,
    pub has_description: Option<bool>,
    pub has_contacts: Option<bool>,
    pub widgets: Option<i16>,
    pub comments_open: Option<bool>,
}

pub async fn set_setup(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    s: &Setup<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update pages set category = $3, connected = $4, has_avatar = $5, has_cover = $6, has_description = $7,
                  has_contacts = $8, widgets = $9, comments_open = $10, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(page)
    .bind(s.category)
    .bind(s.connected)
    .bind(s.has_avatar)
    .bind(s.has_cover)
    .bind(s.has_description)
    .bind(s.has_contacts)
    .bind(s.widgets)
    .bind(s.comments_open)
    .execute(db)
    .await?;
    Ok(())
}
