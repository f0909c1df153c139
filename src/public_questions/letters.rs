//! Answers go back where the question was asked: for a question from the site with an
//! e-mail, each answer, interim answer and request for more is a letter. The letter is written
//! in the answer's own transaction (so one is never published without the other) and sent by
//! a worker any instance may run: letters are claimed with a lease, and a relay's refusal is
//! tried again later.

use sqlx::PgPool;

use super::db::{self, Letter};
use crate::i18n::Locale;
use crate::mail::MailSettings;

const BATCH: i64 = 100;
const LEASE_SECONDS: f64 = 300.0;
/// Tries before a letter is given up (about two days of backing off).
const MOST_ATTEMPTS: i32 = 12;

/// Sends the letters due; returns how many went.
pub async fn send_due(db: &PgPool, mail: &MailSettings) -> anyhow::Result<usize> {
    let letters = db::claim_letters(db, BATCH, LEASE_SECONDS).await?;
    let mut sent = 0;
    for letter in letters {
        let Some(to) = letter.email.clone().filter(|e| e.contains('@')) else {
            // The contact was erased after the retention period: nowhere to send it.
            db::letter_failed(db, letter.id, "no e-mail", 0.0, true).await?;
            continue;
        };
        let (subject, body) = compose(&letter);
        match crate::mail::send(mail, &to, &subject, body).await {
            Ok(()) => {
                db::letter_sent(db, letter.id).await?;
                sent += 1;
            }
            Err(e) => {
                let wait = (60.0 * 2f64.powi(letter.attempts.clamp(1, 12) - 1)).min(6.0 * 3600.0);
                tracing::warn!(letter = letter.id, error = %e, "letter to a resident not sent; will retry");
                db::letter_failed(
                    db,
                    letter.id,
                    &e.to_string(),
                    wait,
                    letter.attempts >= MOST_ATTEMPTS,
                )
                .await?;
            }
        }
    }
    Ok(sent)
}

fn compose(letter: &Letter) -> (String, String) {
    let l = Locale::parse(&letter.locale).unwrap_or_default();
    let number = letter.question_id.to_string();
    let subject = l.t1(
        &format!("letter-subject-{}", letter.kind),
        "number",
        &number,
    );
    let body = l.t_args(
        &format!("letter-body-{}", letter.kind),
        &[
            ("organization", letter.organization.clone().into()),
            ("number", number.into()),
            ("text", letter.body.clone().into()),
        ],
    );
    (subject, body)
}

/// Runs in `serve` when a relay is configured: every half minute.
pub fn spawn(db: PgPool, mail: MailSettings) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            if let Err(e) = send_due(&db, &mail).await {
                tracing::warn!(error = %e, "letters to residents failed; will retry");
            }
        }
    });
}
