//! Who is late: overdue questions of everything a member oversees — a coordinator's scope,
//! and for the editors of a founder, every organization below it — grouped by organization.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::view;
use crate::error::AppResult;
use crate::ids::{OrgId, QuestionId};
use crate::orgs::db::{VISIBLE, bind_scope};
use crate::state::AppState;
use crate::web::access::{OrgScope, RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::render::render;

/// Shown at most; the inbox's "overdue" filter pages through all of them.
const LIMIT: i64 = 500;

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
        view::local(t, self.tz)
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
    let sql = format!(
        r#"with late as (
               select q.id, q.organization_id, o.name as organization_name, m.name as municipality_name,
                      q.category, q.priority, q.due_at, q.assignee_id,
                      count(*) over (partition by q.organization_id) as org_overdue
               from questions q
               join organizations o on o.region_id = q.region_id and o.id = q.organization_id
               left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
               where q.region_id = $1 and q.due_at <= now() and {VISIBLE}
           )
           select l.id, l.organization_id, l.organization_name, l.municipality_name, l.category, l.priority,
                  l.due_at, u.name as assignee_name, l.org_overdue
           from late l left join users u on u.id = l.assignee_id
           order by l.org_overdue desc, l.organization_name, l.organization_id, l.due_at
           limit $6"#
    );
    let rows: Vec<OverdueRow> = bind_scope(sqlx::query_as(&sql), access.region.id, &scope)
        .bind(LIMIT)
        .fetch_all(&mut *tx)
        .await?;
    let total: i64 = bind_scope(
        sqlx::query_as::<_, (i64,)>(&format!(
            "select count(*) from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id
             where q.region_id = $1 and q.due_at <= now() and {VISIBLE}"
        )),
        access.region.id,
        &scope,
    )
    .fetch_one(&mut *tx)
    .await?
    .0;
    tx.commit().await?;
    render(&OverduePage {
        chrome,
        rows,
        total,
        tz: view::tz_of(&access.region.time_zone),
    })
}
