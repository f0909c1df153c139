//! Questions as the API shows them to the region's other systems: what a resident's question
//! became, never internal notes, drafts or who answered.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::ids::{OrgId, PageId, QuestionId, RegionId};

/// A question as other systems see it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = Question)]
pub struct ApiQuestion {
    #[schema(value_type = i64)]
    pub id: QuestionId,
    #[schema(value_type = i64)]
    pub organization_id: OrgId,
    #[schema(value_type = Option<i64>)]
    pub page_id: Option<PageId>,
    /// comment, message, form, api or manual.
    pub channel: String,
    /// The sender's own id (for questions from the API, the one it gave).
    pub external_id: Option<String>,
    /// new, in_progress, answered, closed, rejected, duplicate or withdrawn.
    pub status: String,
    pub category: String,
    pub priority: String,
    pub text: String,
    pub received_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub final_due: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    /// The published answer.
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = r#"select id, organization_id, page_id, channel, external_id, status, category, priority,
       body as text, received_at, first_response_due, final_due, first_response_at, answer, answered_at, updated_at
    from questions"#;

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
) -> Result<Option<ApiQuestion>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where region_id = $1 and id = $2"))
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// What a list asks for; the cursor is the (updated_at, id) of the last question returned.
pub struct ListFilter {
    pub status: Option<String>,
    pub organization: Option<OrgId>,
    pub updated_since: Option<DateTime<Utc>>,
    pub after: Option<(DateTime<Utc>, i64)>,
    pub limit: i64,
}

/// Oldest change first, so a system mirroring answers can poll with the last cursor.
pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
    f: &ListFilter,
) -> Result<Vec<ApiQuestion>, sqlx::Error> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(SELECT);
    q.push(" where region_id = ").push_bind(region);
    if let Some(status) = &f.status {
        q.push(" and status = ").push_bind(status.clone());
    }
    if let Some(org) = f.organization {
        q.push(" and organization_id = ").push_bind(org);
    }
    if let Some(since) = f.updated_since {
        q.push(" and updated_at >= ").push_bind(since);
    }
    if let Some((at, id)) = f.after {
        q.push(" and (updated_at, id) > (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" order by updated_at, id limit ").push_bind(f.limit);
    q.build_query_as().fetch_all(db).await
}
