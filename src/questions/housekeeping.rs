//! Installation-wide jobs a scheduler runs: telling people once about questions that became
//! overdue, and erasing residents' contacts after the region's retention period. Both claim
//! their rows with one locking statement, so several instances running them at once neither
//! send twice nor trip over each other.

use std::collections::BTreeMap;

use sqlx::PgPool;

use crate::mail::MailSettings;

/// Questions claimed per run; the rest wait for the next run.
const BATCH: i64 = 500;

#[derive(sqlx::FromRow)]
struct Recipient {
    email: String,
    locale: String,
    question_id: i64,
    region_slug: String,
    organization_name: String,
}

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
    let claimed: Vec<(i64, i64)> = sqlx::query_as(
        r#"update questions set overdue_notified_at = now()
           where id in (select id from questions
                        where due_at <= now() and overdue_notified_at is null
                        order by due_at limit $1 for update skip locked)
           returning region_id, id"#,
    )
    .bind(BATCH)
    .fetch_all(&mut *tx)
    .await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = claimed.iter().map(|(_, id)| *id).collect();
    for (region, id) in &claimed {
        sqlx::query(
            "insert into question_events (region_id, question_id, kind) values ($1, $2, 'escalated')",
        )
        .bind(region)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    // Editors and heads of the organization; coordinators of the region, of its municipality,
    // or of any founder above it.
    let recipients: Vec<Recipient> = sqlx::query_as(
        r#"with recursive q as (
               select q.region_id, q.id, q.organization_id, o.municipality_id, o.name
               from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id
               where q.id = any($1)
           ), up(question_id, region_id, org_id, depth) as (
               select id, region_id, organization_id, 0 from q
               union all
               select up.question_id, up.region_id, o.parent_id, up.depth + 1
               from up join organizations o on o.region_id = up.region_id and o.id = up.org_id
               where o.parent_id is not null and up.depth < 64
           )
           select distinct u.email, u.locale, q.id as question_id, r.slug as region_slug, q.name as organization_name
           from q
           join regions r on r.id = q.region_id
           join memberships m on m.region_id = q.region_id
           join users u on u.id = m.user_id and u.disabled_at is null
           where (m.role in ('editor', 'head') and m.organization_id = q.organization_id)
              or (m.role = 'coordinator' and m.municipality_id is null and m.organization_id is null)
              or (m.role = 'coordinator' and m.municipality_id = q.municipality_id)
              or (m.role = 'coordinator' and m.organization_id in
                    (select org_id from up where up.question_id = q.id))
           order by u.email, q.id"#,
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
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
    let erased: Vec<(i64, i64)> = sqlx::query_as(
        r#"update questions q set author_name = null, author_contact = null, contacts_erased_at = now()
           from region_settings s
           where s.region_id = q.region_id and q.contacts_erased_at is null
             and q.status in ('closed', 'rejected', 'duplicate')
             and q.closed_at < now() - make_interval(days => s.contact_retention_days)
           returning q.region_id, q.id"#,
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut per_region: BTreeMap<i64, i64> = BTreeMap::new();
    for (region, _) in &erased {
        *per_region.entry(*region).or_default() += 1;
    }
    for (region, count) in per_region {
        crate::audit::record(
            &mut tx,
            Some(crate::ids::RegionId(region)),
            None,
            "erase",
            "question_contacts",
            None,
            serde_json::json!({ "questions": count }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(erased.len() as u64)
}
