//! Who is late: overdue questions of everything a member oversees — a coordinator's scope,
//! and for the editors of a founder, every organization below it — grouped by organization.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::error::AppResult;
use crate::ids::{OrgId, QuestionId};
use crate::state::AppState;
use crate::web::access::{OrgScope, RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::render::render;

/// Organizations shown, and questions per organization; the inbox's "overdue" filter for an
/// organization pages through all of them.
const ORGANIZATIONS: i64 = 50;
const PER_ORGANIZATION: i64 = 10;

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

#[derive(Template)]
#[template(path = "questions/overdue.html")]
pub struct OverduePage {
    pub chrome: Chrome,
    pub rows: Vec<OverdueRow>,
    pub total: i64,
    pub tz: Tz,
}

impl OverduePage {
    pub fn local(&self, t: &DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    /// A new organization starts at this row.
    pub fn first_of_org(&self, i: &usize) -> bool {
        *i == 0 || self.rows[*i - 1].organization_id != self.rows[*i].organization_id
    }
}

/// Coordinators oversee their scope; editors and heads the subtree of their organization.
fn oversight(access: &RegionAccess) -> OrgScope {
    let mut scope = OrgScope::default();
    for m in &access.memberships {
        match (m.role, &m.municipality, &m.organization) {
            (Role::Admin, _, _) | (Role::Coordinator, None, None) => scope.all = true,
            (Role::Coordinator, Some((mu, _)), _) => scope.municipalities.push(mu.0),
            (_, _, Some((org, _))) => scope.subtrees.push(org.0),
            _ => {}
        }
    }
    scope
}

pub async fn list(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
) -> AppResult<Response> {
    let scope = oversight(&access);
    let mut tx = state.tenant(access.region.id).await?;
    let ids = super::db::scope_ids(&mut tx, access.region.id, &scope).await?;
    // The organizations with the most overdue questions first, each with its oldest few;
    // the inbox's overdue filter has the rest.
    let rows: Vec<OverdueRow> = sqlx::query_as(
        r#"with per_org as (
               select q.organization_id, count(*) as org_overdue
               from questions q
               where q.region_id = $1 and q.due_at <= now() and q.status in ('new', 'in_progress', 'answered')
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
    .bind(access.region.id)
    .bind(&ids)
    .bind(ORGANIZATIONS)
    .bind(PER_ORGANIZATION)
    .fetch_all(&mut *tx)
    .await?;
    let total: i64 = sqlx::query_scalar(
        r#"select count(*) from questions q where q.region_id = $1 and q.due_at <= now()
             and q.status in ('new', 'in_progress', 'answered')
             and ($2::bigint[] is null or q.organization_id = any($2))"#,
    )
    .bind(access.region.id)
    .bind(&ids)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    render(&OverduePage {
        chrome,
        rows,
        total,
        tz: crate::regions::time::zone_of(&access.region.time_zone),
    })
}
