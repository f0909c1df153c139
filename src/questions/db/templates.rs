//! SQL of answer templates: the region's (no organization) and each organization's own.

use sqlx::PgConnection;

use crate::ids::{OrgId, RegionId, TemplateId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TemplateOption {
    pub id: TemplateId,
    pub title: String,
    pub body: String,
    pub organization_id: Option<OrgId>,
    pub organization_name: Option<String>,
}

/// The templates an answer to a question of `org` can start from.
pub async fn options(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<Vec<TemplateOption>, sqlx::Error> {
    sqlx::query_as(
        r#"select t.id, t.title, t.body, t.organization_id, o.name as organization_name
           from answer_templates t left join organizations o on o.region_id = t.region_id and o.id = t.organization_id
           where t.region_id = $1 and (t.organization_id is null or t.organization_id = $2)
           order by t.organization_id nulls last, t.title"#,
    )
    .bind(region)
    .bind(org)
    .fetch_all(db)
    .await
}

/// The region's templates and those of the given organizations, or every one for an admin.
pub async fn visible(
    db: &mut PgConnection,
    region: RegionId,
    all: bool,
    orgs: &[i64],
) -> Result<Vec<TemplateOption>, sqlx::Error> {
    sqlx::query_as(
        r#"select t.id, t.title, t.body, t.organization_id, o.name as organization_name
           from answer_templates t left join organizations o on o.region_id = t.region_id and o.id = t.organization_id
           where t.region_id = $1 and ($2 or t.organization_id is null or t.organization_id = any($3))
           order by t.organization_id nulls first, o.name, t.title"#,
    )
    .bind(region)
    .bind(all)
    .bind(orgs)
    .fetch_all(db)
    .await
}

/// Whose template it is (`Some(None)`: the region's), locked until the transaction ends.
pub async fn lock_owner(
    db: &mut PgConnection,
    region: RegionId,
    id: TemplateId,
) -> Result<Option<Option<OrgId>>, sqlx::Error> {
    sqlx::query_scalar(
        "select organization_id from answer_templates where region_id = $1 and id = $2 for update",
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Fails with `answer_templates_title_key` when the owner already has a template so titled.
pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    org: Option<OrgId>,
    title: &str,
    body: &str,
) -> Result<TemplateId, sqlx::Error> {
    sqlx::query_scalar(
        "insert into answer_templates (region_id, organization_id, title, body) values ($1, $2, $3, $4) returning id",
    )
    .bind(region)
    .bind(org)
    .bind(title)
    .bind(body)
    .fetch_one(db)
    .await
}

/// Fails with `answer_templates_title_key` like `insert`.
pub async fn update(
    db: &mut PgConnection,
    region: RegionId,
    id: TemplateId,
    org: Option<OrgId>,
    title: &str,
    body: &str,
) -> Result<TemplateId, sqlx::Error> {
    sqlx::query_scalar(
        "update answer_templates set organization_id = $3, title = $4, body = $5, updated_at = now() where region_id = $1 and id = $2 returning id",
    )
    .bind(region)
    .bind(id)
    .bind(org)
    .bind(title)
    .bind(body)
    .fetch_one(db)
    .await
}

pub async fn delete(
    db: &mut PgConnection,
    region: RegionId,
    id: TemplateId,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from answer_templates where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
