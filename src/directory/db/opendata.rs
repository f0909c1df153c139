//! SQL of the open data sets: the registry of official pages, a region's or the whole
//! installation's, read in chunks by page id, and a fingerprint that changes whenever a row
//! of the set would.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::ids::RegionId;

/// One row of the set, structure version 1.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub region: String,
    pub organization: String,
    pub ogrn: String,
    pub inn: String,
    pub level: String,
    pub municipality: Option<String>,
    pub oktmo: Option<String>,
    pub sectors: String,
    pub platform: String,
    pub url: String,
    pub verified: bool,
    pub verified_since: Option<NaiveDate>,
}

/// Up to `limit` rows after page `after`, of the region or (none) of every region.
pub async fn rows(
    db: &mut PgConnection,
    region: Option<RegionId>,
    after: i64,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as(
        r#"select p.id, r.slug as region, o.name as organization, o.ogrn, o.inn, o.level,
                  m.name as municipality, m.oktmo,
                  array_to_string(array(select s.name from organization_sectors os
                                        join sectors s on s.region_id = os.region_id and s.id = os.sector_id
                                        where os.region_id = o.region_id and os.organization_id = o.id
                                        order by os.slot), ', ') as sectors,
                  p.platform, p.url, p.mark_status = 'granted' as verified,
                  case when p.mark_status = 'granted' then p.mark_since end as verified_since
           from pages p
           join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           join regions r on r.id = p.region_id
           left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
           where ($1::bigint is null or p.region_id = $1) and o.archived_at is null and not o.exempt and p.id > $2
           order by p.id limit $3"#,
    )
    .bind(region)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// What the set's `ETag` and `Last-Modified` are made of.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Version {
    pub rows: i64,
    pub ids: i64,
    pub changed: Option<DateTime<Utc>>,
}

pub async fn version(
    db: &mut PgConnection,
    region: Option<RegionId>,
) -> Result<Version, sqlx::Error> {
    sqlx::query_as(
        r#"select count(*) as rows, coalesce(sum(p.id), 0)::bigint as ids,
                  greatest(max(p.updated_at), max(o.updated_at)) as changed
           from pages p
           join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where ($1::bigint is null or p.region_id = $1) and o.archived_at is null and not o.exempt"#,
    )
    .bind(region)
    .fetch_one(db)
    .await
}
