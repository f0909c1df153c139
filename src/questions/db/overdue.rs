//! SQL of the overdue list: organizations with the most overdue questions first, each with
//! its oldest few. Only open questions have a deadline (`due_at`), and they are read through
//! the index of open questions.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::ids::{OrgId, QuestionId, RegionId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OverdueRow {
    pub id: QuestionId,
    pub organization_id: OrgId,
    pub organization_name: String,
    pub municipality_name: Option<String>,
    pub category: String,
    pub priority: String,
    pub due_at: DateTime<Utc>,
    pub assignee_name: Option<String>,
    pub org_overdue: i64,
}

/// `orgs` narrows to the member's organizations; `None` is the whole region.
pub async fn by_organization(
    db: &mut PgConnection,
    region: RegionId,
    orgs: &Option<Vec<i64>>,
    organizations: i64,
    per_organization: i64,
) -> Result<Vec<OverdueRow>, sqlx::Error> {
    sqlx::query_as(
        r#"with per_org as (
               select q.organization_id, count(*) as org_overdue
               from questions q
               where q.region_id = $1 and q.due_at <= now() and q.status in ('new', 'in_progress')
                 and ($2::bigint[] is null or q.organization_id = any($2))
               group by q.organization_id
               order by org_overdue desc, q.organization_id
               limit $3
           )
           select l.id, p.organization_id, o.name as organization_name, m.name as municipality_name,
                  l.category, l.priority, l.due_at, u.name as assignee_name, p.org_overdue
           from per_org p
           join organizations o on o.region_id = $1 and o.id = p.organization_id
           left join municipalities m on m.region_id = $1 and m.id = o.municipality_id
           cross join lateral (
               select q.id, q.category, q.priority, q.due_at, q.assignee_id from questions q
               where q.region_id = $1 and q.organization_id = p.organization_id and q.due_at <= now()
               order by q.due_at limit $4
           ) l
           left join users u on u.id = l.assignee_id
           order by p.org_overdue desc, o.name, p.organization_id, l.due_at"#,
    )
    .bind(region)
    .bind(orgs)
    .bind(organizations)
    .bind(per_organization)
    .fetch_all(db)
    .await
}

pub async fn total(
    db: &mut PgConnection,
    region: RegionId,
    orgs: &Option<Vec<i64>>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        r#"select count(*) from questions q where q.region_id = $1 and q.due_at <= now()
             and q.status in ('new', 'in_progress')
             and ($2::bigint[] is null or q.organization_id = any($2))"#,
    )
    .bind(region)
    .bind(orgs)
    .fetch_one(db)
    .await
}
