//! The platform operator's federal overview: one row per region with its coverage and how
//! fast its residents are answered. It reads every region at once, so it runs outside
//! row-level security, for the operator only, and every view is in the audit log.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub use super::db::federal::RegionFigures;
use crate::audit;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::access::Operator;
use crate::web::chrome::Chrome;
use crate::web::reads::Reads;
use crate::web::render::render;

impl RegionFigures {
    pub fn share(&self, part: &i64) -> String {
        if self.obliged == 0 {
            "—".into()
        } else {
            format!("{}%", part * 100 / self.obliged)
        }
    }

    pub fn on_time_share(&self) -> String {
        if self.on_time_base == 0 {
            "—".into()
        } else {
            format!("{}%", self.on_time * 100 / self.on_time_base)
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard/federal.html")]
pub struct FederalScreen {
    pub chrome: Chrome,
    pub rows: Vec<RegionFigures>,
}

pub async fn overview(
    State(state): State<AppState>,
    reads: Reads,
    Operator(op): Operator,
    chrome: Chrome,
) -> AppResult<Response> {
    let rows = super::db::federal::figures(&mut *reads.pool().acquire().await?).await?;
    // The view is recorded on the primary; the figures may come from the replica.
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::View, audit::Object::FederalOverview)
            .user(op.user.id)
            .details(serde_json::json!({ "screen": "monitoring", "regions": rows.len() })),
    )
    .await?;
    tx.commit().await?;
    render(&FederalScreen { chrome, rows })
}
