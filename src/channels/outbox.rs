//! An answer goes back where the question was asked: to the platform it came from, or, for a
//! question from the site, by letter to the resident's e-mail. The delivery (or the letter)
//! is written in the answer's own transaction, so an answer is never published without one
//! and never delivered without being published; the `delivery` and letter workers send them.

use sqlx::PgConnection;

use super::db::deliveries::{self, NewDelivery};
use super::target::{self, Target};
use crate::ids::{RegionId, UserId};
use crate::questions::db::Question;

/// Where an answer to the question would go: the connection and the resident's comment or
/// message. None for questions typed in by hand or from pages never connected.
pub struct Route {
    pub connection: i64,
    pub target: Target,
}

impl Route {
    /// How many comments or messages `text` makes on the platform.
    pub fn parts(&self, text: &str) -> usize {
        target::split(text, self.target.limit()).len()
    }
}

pub async fn route(
    db: &mut PgConnection,
    region: RegionId,
    q: &Question,
) -> Result<Option<Route>, sqlx::Error> {
    let (Some(page), Some(external)) = (q.page_id, q.external_id.as_deref()) else {
        return Ok(None);
    };
    if !matches!(q.channel.as_str(), "comment" | "message") {
        return Ok(None);
    }
    let Some(target) = Target::parse(external) else {
        return Ok(None);
    };
    Ok(deliveries::route(db, region, page, target.platform())
        .await?
        .map(|connection| Route { connection, target }))
}

/// What a published text is to the resident.
#[derive(Clone, Copy)]
pub enum Kind {
    Interim,
    Final,
    /// A request for more from the resident (the question waits on them).
    Request,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Interim => "interim",
            Kind::Final => "final",
            Kind::Request => "request",
        }
    }
}

/// Writes the delivery of a published answer, in the caller's transaction; returns its id,
/// or None when the question did not come from a connected platform.
pub async fn enqueue(
    db: &mut PgConnection,
    region: RegionId,
    q: &Question,
    text: &str,
    kind: Kind,
    by: Option<UserId>,
) -> Result<Option<i64>, sqlx::Error> {
    if q.channel == "form" {
        crate::public_questions::db::add_letter(db, region, q.id, kind.code(), text).await?;
        return Ok(None);
    }
    let Some(route) = route(db, region, q).await? else {
        return Ok(None);
    };
    let parts = target::split(text, route.target.limit());
    let kind = kind.code();
    let id = deliveries::insert(
        db,
        region,
        &NewDelivery {
            question: q.id,
            connection: route.connection,
            kind,
            parts: &parts,
            by,
        },
    )
    .await?;
    Ok(Some(id))
}
