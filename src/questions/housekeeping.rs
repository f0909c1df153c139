//! Installation-wide jobs a scheduler runs: telling people once about questions that became
//! overdue, and erasing residents' contacts after the region's retention period. Both claim
//! their rows with one locking statement, so several instances running them at once neither
//! send twice nor trip over each other.

use std::collections::BTreeMap;

use sqlx::PgPool;

use super::db::housekeeping as db;
use crate::audit;
use crate::mail::MailSettings;

/// Questions claimed per run; the rest wait for the next run.
const BATCH: i64 = 500;

/// Mails every editor, head and coordinator responsible for a newly overdue question, one
/// message per person listing their questions. Returns how many questions were escalated.
/// Claim and mail succeed or fail together: when the relay refuses, nothing is marked and
/// the next run tries again.
pub async fn notify_overdue(
    db: &PgPool,
    mail: &MailSettings,
    base_url: &str,
) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    let claimed = db::claim_overdue(&mut tx, BATCH).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = claimed.iter().map(|(_, id)| *id).collect();
    let recipients = db::overdue_recipients(&mut tx, &ids).await?;
    let mut by_person: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for r in recipients {
        by_person
            .entry((r.email, r.locale))
            .or_default()
            .push(format!(
                "#{} — {} — {base_url}/r/{}/questions/{}",
                r.question_id, r.organization_name, r.region_slug, r.question_id
            ));
    }
    for ((email, locale), lines) in &by_person {
        let l = crate::i18n::Locale::parse(locale).unwrap_or_default();
        let body = format!("{}\n\n{}\n", l.t("overdue-mail-intro"), lines.join("\n"));
        crate::mail::send(mail, email, &l.t("overdue-mail-subject"), body).await?;
    }
    tx.commit().await?;
    tracing::info!(
        questions = claimed.len(),
        people = by_person.len(),
        "overdue questions escalated"
    );
    Ok(claimed.len())
}

/// Erases author names and contacts of questions finished longer ago than their region's
/// retention period. Returns how many questions were erased.
pub async fn erase_contacts(db: &PgPool) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let erased = db::erase_expired_contacts(&mut tx).await?;
    let mut per_region: BTreeMap<i64, i64> = BTreeMap::new();
    for (region, _) in &erased {
        *per_region.entry(*region).or_default() += 1;
    }
    for (region, count) in per_region {
        audit::record(
            &mut tx,
            audit::Entry::new(audit::Action::Erase, audit::Object::QuestionContacts)
                .region(crate::ids::RegionId(region))
                .details(serde_json::json!({ "questions": count })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(erased.len() as u64)
}
