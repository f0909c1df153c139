//! «Отправить ещё раз» on a question whose answer the platform refused: whoever may answer the
//! question sends the delivery again, from the part it stopped at.

use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::db::deliveries;
use crate::error::AppResult;
use crate::ids::QuestionId;
use crate::questions::workflow::Action;
use crate::state::AppState;
use crate::web::access::RegionAccess;
use crate::web::chrome::Chrome;
use crate::web::forms::IdPath;
use crate::web::redirect;
use crate::web::session::Session;

#[derive(Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    pub delivery: String,
}

pub async fn retry(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<RetryForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let (q, relation) =
        crate::questions::handlers::visible(&mut tx, &access, QuestionId(id), true).await?;
    relation.require(Action::Answer)?;
    // A delivery that is not this question's, or not waiting, is told so and left alone.
    let delivery: Option<i64> = form.delivery.trim().parse().ok();
    let retried = match delivery {
        Some(d) => deliveries::retry(&mut tx, region, q.id, d).await?,
        None => false,
    };
    let said = if retried {
        "delivery-retried"
    } else {
        "delivery-not-failed"
    };
    tx.commit().await?;
    state.answers_published.notify_one();
    session.set_flash(chrome.t(said)).await?;
    Ok(redirect(&format!(
        "/r/{}/questions/{id}",
        access.region.slug
    )))
}
