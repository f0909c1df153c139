//! The registry as the API reads it: organizations and pages of a region, oldest change
//! first, a page at a time after a cursor.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::{OrgId, PageId, RegionId};

/// What a registry list asks for.
pub struct RegistryFilter {
    pub municipality: Option<i64>,
    pub sector: Option<i64>,
    pub organization: Option<i64>,
    pub updated_since: Option<DateTime<Utc>>,
    pub after: Option<(DateTime<Utc>, i64)>,
    pub limit: i64,
}

/// An organization of the region's registry.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = Organization)]
pub struct ApiOrganization {
    #[schema(value_type = i64)]
    pub id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub inn: String,
    pub ogrn: String,
    /// regional_body, local_government, state_institution, municipal_institution or other.
    pub level: String,
    /// The founder.
    pub parent_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub sector_ids: Vec<i64>,
    pub exempt: bool,
    pub exemption_basis: Option<String>,
    pub archived: bool,
    pub updated_at: DateTime<Utc>,
}

/// An official page of an organization.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = OfficialPage)]
pub struct ApiPage {
    #[schema(value_type = i64)]
    pub id: PageId,
    #[schema(value_type = i64)]
    pub organization_id: OrgId,
    /// vk, ok, telegram, max or other.
    pub platform: String,
    pub url: String,
    pub title: Option<String>,
    /// none, requested, granted, rejected or revoked.
    pub mark_status: String,
    pub updated_at: DateTime<Utc>,
}

/// The filters both lists share, on an organization aliased `o`, and the cursor on `t`.
fn push_filters(q: &mut QueryBuilder<'_, Postgres>, f: &RegistryFilter, table: &str) {
    if let Some(m) = f.municipality {
        q.push(" and o.municipality_id = ").push_bind(m);
    }
    if let Some(s) = f.sector {
        q.push(" and exists (select 1 from organization_sectors os where os.organization_id = o.id and os.sector_id = ")
            .push_bind(s)
            .push(")");
    }
    if let Some(org) = f.organization {
        q.push(" and o.id = ").push_bind(org);
    }
    if let Some(since) = f.updated_since {
        q.push(format!(" and {table}.updated_at >= "))
            .push_bind(since);
    }
    if let Some((at, id)) = f.after {
        q.push(format!(" and ({table}.updated_at, {table}.id) > ("))
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(format!(" order by {table}.updated_at, {table}.id limit "))
        .push_bind(f.limit);
}

pub async fn organizations(
    db: &mut PgConnection,
    region: RegionId,
    f: &RegistryFilter,
) -> Result<Vec<ApiOrganization>, sqlx::Error> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        r#"select o.id, o.name, o.short_name, o.inn, o.ogrn, o.level, o.parent_id, o.municipality_id,
                  array(select os.sector_id from organization_sectors os where os.organization_id = o.id order by os.slot) as sector_ids,
                  o.exempt, o.exemption_basis, o.archived_at is not null as archived, o.updated_at
           from organizations o where o.region_id = "#,
    );
    q.push_bind(region);
    push_filters(&mut q, f, "o");
    q.build_query_as().fetch_all(db).await
}

pub async fn pages(
    db: &mut PgConnection,
    region: RegionId,
    f: &RegistryFilter,
) -> Result<Vec<ApiPage>, sqlx::Error> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        r#"select p.id, p.organization_id, p.platform, p.url, p.title, p.mark_status, p.updated_at
           from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where p.region_id = "#,
    );
    q.push_bind(region);
    push_filters(&mut q, f, "p");
    q.build_query_as().fetch_all(db).await
}
