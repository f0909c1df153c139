//! SQL of the weekly figures import: the region's pages with their organizations' keys (the
//! weeks are written by `activity::db::upsert_many`).

use sqlx::PgConnection;

use crate::ids::{PageId, RegionId};

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
