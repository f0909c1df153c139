//! The weekly digest by mail: every Monday from 08:00 in each region's time zone, each of its
//! coordinators gets the digest of what they coordinate, with the workbook attached. The
//! (region, week) row is claimed in the same transaction as the sending, so several servers
//! send it once; a failed send rolls the claim back and the next run tries again.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use sqlx::PgPool;

use super::db::digest as db;
use crate::i18n::Locale;
use crate::mail::MailSettings;
use crate::web::access::OrgScope;

/// The hour of Monday, local time, from which the week's digest goes out.
const SEND_FROM: u32 = 8;

/// This week's Monday in the region, if its digest is due at `now`.
fn due_week(time_zone: &str, now: DateTime<Utc>) -> Option<chrono::NaiveDate> {
    let tz = crate::regions::time::zone_of(time_zone);
    let local = now.with_timezone(&tz);
    let monday =
        local.date_naive() - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    let from = tz
        .from_local_datetime(&monday.and_time(NaiveTime::from_hms_opt(SEND_FROM, 0, 0)?))
        .earliest()?;
    (local >= from).then_some(monday)
}

/// Sends the digests due at `now`; returns how many messages went out.
pub async fn send_digests(
    db: &PgPool,
    mail: &MailSettings,
    base_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let regions = db::regions(&mut *db.acquire().await?).await?;
    let mut sent = 0;
    for region in regions {
        let Some(week) = due_week(&region.time_zone, now) else {
            continue;
        };
        let mut tx = db.begin().await?;
        if !db::claim(&mut tx, region.id, week).await? {
            continue;
        }
        let rows = db::coordinators(&mut tx, region.id).await?;
        // One message per person, for everything they coordinate.
        let mut people: BTreeMap<(String, String), OrgScope> = BTreeMap::new();
        for r in rows {
            let scope = people.entry((r.email, r.locale)).or_default();
            match (r.municipality_id, r.organization_id) {
                (None, None) => scope.all = true,
                (Some(m), _) => scope.municipalities.push(m),
                (None, Some(o)) => scope.subtrees.push(o),
            }
        }
        for ((email, locale), scope) in &people {
            let l = Locale::parse(locale).unwrap_or_default();
            let digest =
                super::digest::build(&mut tx, region.id, &region.time_zone, scope, now).await?;
            let link = format!("{base_url}/r/{}/dashboard/digest", region.slug);
            let bytes = super::digest::workbook(&digest, l)?;
            crate::mail::send_with_attachment(
                mail,
                email,
                &format!("{} {} — {}", l.t("digest-title"), digest.from, digest.to),
                super::digest::mail_text(&digest, l, &link),
                &format!("{}-digest-{week}.xlsx", region.slug),
                super::export::XLSX,
                bytes,
            )
            .await?;
            sent += 1;
        }
        db::set_recipients(&mut tx, region.id, week, people.len() as i32).await?;
        tx.commit().await?;
        tracing::info!(region = %region.slug, %week, people = people.len(), "weekly digest sent");
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_due_from_monday_eight_local_time() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Barnaul is UTC+7: Monday 30 Nov 2026 08:00 there is 01:00 UTC.
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(due_week("Asia/Barnaul", at("2026-11-30T00:59:00Z")), None);
        assert_eq!(
            due_week("Asia/Barnaul", at("2026-11-30T01:00:00Z")),
            Some(monday)
        );
        // Missed on Monday (the server was down): sent later that week, for that week.
        assert_eq!(
            due_week("Asia/Barnaul", at("2026-12-03T12:00:00Z")),
            Some(monday)
        );
        // Sunday night in Moscow is still the week before.
        assert_eq!(
            due_week("Europe/Moscow", at("2026-11-29T20:00:00Z")),
            Some(monday - Duration::days(7))
        );
    }
}
