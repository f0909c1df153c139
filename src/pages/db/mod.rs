pub mod card;

use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::{OrgId, PageId, RegionId};
use crate::orgs::db::push_visible;
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
    let mut count = QueryBuilder::new(
        "select count(*) from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id",
    );
    push_list_filter(&mut count, region, scope, query);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *db).await?;
    let mut q = QueryBuilder::new(SELECT);
    push_list_filter(&mut q, region, scope, query);
    q.push(" order by o.name, p.platform, p.id limit ")
        .push_bind(PAGE_SIZE)
        .push(" offset ")
        .push_bind(query.offset());
    let rows = q.build_query_as::<PageRow>().fetch_all(&mut *db).await?;
    Ok((rows, total))
}

/// The page list's condition: the organization is visible, and the search matches its name,
/// the address or the title.
fn push_list_filter(
    q: &mut QueryBuilder<'_, Postgres>,
    region: RegionId,
    scope: &OrgScope,
    query: &ListQuery,
) {
    q.push(" where p.region_id = ")
        .push_bind(region)
        .push(" and ");
    push_visible(q, region, scope);
    let pattern = query.pattern();
    q.push(" and (lower(o.name) like ")
        .push_bind(pattern.clone())
        .push(" or lower(p.url) like ")
        .push_bind(pattern.clone())
        .push(" or lower(coalesce(p.title, '')) like ")
        .push_bind(pattern)
        .push(")");
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

/// The organization a page of this region belongs to.
pub async fn owner(
    db: &mut PgConnection,
    region: RegionId,
    id: PageId,
) -> Result<Option<OrgId>, sqlx::Error> {
    sqlx::query_scalar("select organization_id from pages where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}
