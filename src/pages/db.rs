use sqlx::PgConnection;

use crate::ids::{OrgId, PageId, RegionId};
use crate::orgs::db::{VISIBLE, bind_scope};
use crate::web::access::OrgScope;
use crate::web::forms::{ListQuery, PAGE_SIZE};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PageRow {
    pub id: PageId,
    pub organization_id: OrgId,
    pub organization_name: String,
    pub platform: String,
    pub url: String,
    pub title: Option<String>,
}

const SELECT: &str = r#"select p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title
    from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id"#;

pub async fn for_org(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<Vec<PageRow>, sqlx::Error> {
    sqlx::query_as::<_, PageRow>(&format!(
        "{SELECT} where p.region_id = $1 and p.organization_id = $2 order by p.platform, p.url"
    ))
    .bind(region)
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
    scope: &OrgScope,
    query: &ListQuery,
) -> Result<(Vec<PageRow>, i64), sqlx::Error> {
    let filter = format!(
        r#"p.region_id = $1 and {VISIBLE}
           and (lower(o.name) like $6 or lower(p.url) like $6 or lower(coalesce(p.title, '')) like $6)"#
    );
    let total: (i64,) = bind_scope(
        sqlx::query_as(&format!(
            "select count(*) from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id where {filter}"
        )),
        region,
        scope,
    )
    .bind(query.pattern())
    .fetch_one(&mut *db)
    .await?;
    let rows = bind_scope(
        sqlx::query_as::<_, PageRow>(&format!(
            "{SELECT} where {filter} order by o.name, p.platform, p.id limit $7 offset $8"
        )),
        region,
        scope,
    )
    .bind(query.pattern())
    .bind(PAGE_SIZE)
    .bind(query.offset())
    .fetch_all(&mut *db)
    .await?;
    Ok((rows, total.0))
}

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: PageId,
) -> Result<Option<PageRow>, sqlx::Error> {
    sqlx::query_as::<_, PageRow>(&format!("{SELECT} where p.region_id = $1 and p.id = $2"))
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Who already holds this page anywhere in the installation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Holder {
    pub page_id: PageId,
    pub region_id: RegionId,
    pub organization_name: String,
}

pub async fn holder(
    db: &mut PgConnection,
    platform: &str,
    url_key: &str,
) -> Result<Option<Holder>, sqlx::Error> {
    sqlx::query_as::<_, Holder>(
        r#"select p.id as page_id, p.region_id, o.name as organization_name
           from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where p.platform = $1 and p.url_key = $2"#,
    )
    .bind(platform)
    .bind(url_key)
    .fetch_optional(db)
    .await
}

pub struct PageFields {
    pub platform: String,
    pub url_key: String,
    pub url: String,
    pub title: Option<String>,
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
    f: &PageFields,
) -> Result<PageId, sqlx::Error> {
    sqlx::query_scalar(
        "insert into pages (region_id, organization_id, platform, url_key, url, title) values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(region)
    .bind(org)
    .bind(&f.platform)
    .bind(&f.url_key)
    .bind(&f.url)
    .bind(&f.title)
    .fetch_one(db)
    .await
}

pub async fn update(
    db: &mut PgConnection,
    region: RegionId,
    id: PageId,
    f: &PageFields,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update pages set platform = $3, url_key = $4, url = $5, title = $6, updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(id)
    .bind(&f.platform)
    .bind(&f.url_key)
    .bind(&f.url)
    .bind(&f.title)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
