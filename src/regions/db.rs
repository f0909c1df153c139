use sqlx::PgConnection;

use crate::ids::RegionId;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RegionRow {
    pub id: RegionId,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub organizations: i64,
    pub pages: i64,
    pub members: i64,
}

const SELECT: &str = r#"select r.id, r.slug, r.name, r.time_zone,
       (select count(*) from organizations o where o.region_id = r.id and o.archived_at is null) as organizations,
       (select count(*) from pages p where p.region_id = r.id) as pages,
       (select count(distinct m.user_id) from memberships m where m.region_id = r.id) as members
    from regions r"#;

pub async fn list(db: &mut PgConnection) -> Result<Vec<RegionRow>, sqlx::Error> {
    sqlx::query_as::<_, RegionRow>(&format!("{SELECT} order by r.name"))
        .fetch_all(db)
        .await
}

pub async fn get(db: &mut PgConnection, id: RegionId) -> Result<Option<RegionRow>, sqlx::Error> {
    sqlx::query_as::<_, RegionRow>(&format!("{SELECT} where r.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn find_by_slug(
    db: &mut PgConnection,
    slug: &str,
) -> Result<Option<RegionId>, sqlx::Error> {
    sqlx::query_scalar("select id from regions where slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// Creates the region with the default sector list.
pub async fn insert(
    db: &mut PgConnection,
    slug: &str,
    name: &str,
    time_zone: &str,
) -> Result<RegionId, sqlx::Error> {
    let id: RegionId = sqlx::query_scalar(
        "insert into regions (slug, name, time_zone) values ($1, $2, $3) returning id",
    )
    .bind(slug)
    .bind(name)
    .bind(time_zone)
    .fetch_one(&mut *db)
    .await?;
    // Its settings row comes with it (a trigger on regions).
    crate::sectors::db::insert_defaults(db, id).await?;
    Ok(id)
}

pub fn valid_slug(slug: &str) -> bool {
    let b = slug.as_bytes();
    (3..=40).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// Every region, or only the one a slug names (none when it names no region).
pub async fn ids_and_slugs(
    db: &mut PgConnection,
    only: Option<&str>,
) -> Result<Vec<(RegionId, String)>, sqlx::Error> {
    sqlx::query_as("select id, slug from regions where $1::text is null or slug = $1 order by slug")
        .bind(only)
        .fetch_all(db)
        .await
}

pub async fn time_zone(db: &mut PgConnection, region: RegionId) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("select time_zone from regions where id = $1")
        .bind(region)
        .fetch_one(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_zones() {
        assert!(valid_slug("altai-krai"));
        assert!(!valid_slug("Altai"));
        assert!(!valid_slug("-altai"));
        assert!(!valid_slug("al"));
    }
}
