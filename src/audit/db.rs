//! SQL of the audit log: the append-only rows every feature writes, and the admin's filtered
//! read of their region's part.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::{RegionId, UserId};

pub async fn insert(
    db: &mut PgConnection,
    region: Option<RegionId>,
    user: Option<UserId>,
    action: &str,
    object_type: &str,
    object_id: Option<i64>,
    details: Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into audit_log (region_id, user_id, action, object_type, object_id, details)
           values ($1, $2, $3, $4, $5, $6)"#,
    )
    .bind(region)
    .bind(user)
    .bind(action)
    .bind(object_type)
    .bind(object_id)
    .bind(details)
    .execute(db)
    .await?;
    Ok(())
}

/// Many rows of one object type in one statement, however many objects an import touched.
pub async fn insert_many(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    object_type: &str,
    actions: &[&str],
    objects: &[Option<i64>],
    details: &[&str],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into audit_log (region_id, user_id, action, object_type, object_id, details)
           select $1, $2, u.action, $3, u.object, u.details::jsonb
           from unnest($4::text[], $5::bigint[], $6::text[]) as u(action, object, details)"#,
    )
    .bind(region)
    .bind(user)
    .bind(object_type)
    .bind(actions)
    .bind(objects)
    .bind(details)
    .execute(db)
    .await?;
    Ok(())
}

/// What the admin narrowed the log to; empty parts are no filter.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// A LIKE pattern over the person's name and e-mail, wildcards escaped.
    pub person: Option<String>,
    pub object_type: Option<String>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl AuditFilter {
    fn push_where(&self, q: &mut QueryBuilder<'_, Postgres>, region: RegionId) {
        q.push(" where a.region_id = ").push_bind(region);
        if let Some(person) = &self.person {
            q.push(" and (lower(coalesce(u.name, '')) like ")
                .push_bind(person.clone())
                .push(" or lower(coalesce(u.email, '')) like ")
                .push_bind(person.clone())
                .push(")");
        }
        if let Some(object) = &self.object_type {
            q.push(" and a.object_type = ").push_bind(object.clone());
        }
        if let Some(action) = &self.action {
            q.push(" and a.action = ").push_bind(action.clone());
        }
        if let Some(from) = self.from {
            q.push(" and a.created_at >= ").push_bind(from);
        }
        if let Some(to) = self.to {
            q.push(" and a.created_at < ").push_bind(to);
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub created_at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub details: sqlx::types::Json<Value>,
}

pub async fn count(
    db: &mut PgConnection,
    region: RegionId,
    filter: &AuditFilter,
) -> Result<i64, sqlx::Error> {
    let mut q =
        QueryBuilder::new("select count(*) from audit_log a left join users u on u.id = a.user_id");
    filter.push_where(&mut q, region);
    q.build_query_scalar().fetch_one(db).await
}

/// Newest first.
pub async fn page(
    db: &mut PgConnection,
    region: RegionId,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        r#"select a.created_at, u.name as user_name, a.action, a.object_type, a.object_id, a.details
           from audit_log a left join users u on u.id = a.user_id"#,
    );
    filter.push_where(&mut q, region);
    q.push(" order by a.created_at desc, a.id desc limit ")
        .push_bind(limit)
        .push(" offset ")
        .push_bind(offset);
    q.build_query_as().fetch_all(db).await
}

/// The actions and object types the region's log holds, for the filter's choices.
pub async fn kinds(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let actions =
        sqlx::query_scalar("select distinct action from audit_log where region_id = $1 order by 1")
            .bind(region)
            .fetch_all(&mut *db)
            .await?;
    let objects = sqlx::query_scalar(
        "select distinct object_type from audit_log where region_id = $1 order by 1",
    )
    .bind(region)
    .fetch_all(db)
    .await?;
    Ok((actions, objects))
}
