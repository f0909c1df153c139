//! A resident's further message on their own question, however it came (a platform's chat,
//! the public status link). A question waiting on the resident resumes: their message is the
//! answer it waited for, and the deadlines move by the working time it waited.

use sqlx::PgConnection;

use super::clock::Rules;
use super::db;
use crate::ids::{QuestionId, RegionId};

pub async fn add(
    tx: &mut PgConnection,
    region: RegionId,
    rules: &Rules,
    question: QuestionId,
    text: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    if let Some(q) = db::lock(tx, region, question).await?
        && let Some(paused) = q.paused_at
    {
        let now = chrono::Utc::now();
        let (clocks, waited) = rules.resume(q.clocks(), paused, now);
        db::set_clocks(tx, region, question, &clocks).await?;
        db::changes::resume(tx, region, question, waited as i32).await?;
        let event = db::Event {
            details: serde_json::json!({ "waited_minutes": waited }),
            ..db::Event::new("resumed")
        };
        db::add_event(tx, region, question, None, event).await?;
    }
    db::add_event(
        tx,
        region,
        question,
        None,
        db::Event {
            public: true,
            body: Some(text),
            details,
            ..db::Event::new("follow_up")
        },
    )
    .await
}
