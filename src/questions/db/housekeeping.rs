//! SQL of the installation-wide jobs: claiming newly overdue questions and erasing contacts
//! past retention. Outside row-level security on purpose: they serve every region at once.

use sqlx::PgConnection;

#[derive(sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub locale: String,
    pub question_id: i64,
    pub region_slug: String,
    pub organization_name: String,
}

/// Marks up to `batch` newly overdue questions as notified and writes their timeline entry.
/// Rows another instance holds are skipped, so two runs never claim the same question.
pub async fn claim_overdue(
    db: &mut PgConnection,
    batch: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let claimed: Vec<(i64, i64)> = sqlx::query_as(
        r#"update questions set overdue_notified_at = now()
           where id in (select id from questions
                        where due_at <= now() and overdue_notified_at is null
                        order by due_at limit $1 for update skip locked)
           returning region_id, id"#,
    )
    .bind(batch)
    .fetch_all(&mut *db)
    .await?;
    sqlx::query(
        r#"insert into question_events (region_id, question_id, kind)
           select u.region, u.id, 'escalated' from unnest($1::bigint[], $2::bigint[]) as u(region, id)"#,
    )
    .bind(claimed.iter().map(|(r, _)| *r).collect::<Vec<_>>())
    .bind(claimed.iter().map(|(_, q)| *q).collect::<Vec<_>>())
    .execute(db)
    .await?;
    Ok(claimed)
}

/// Editors and heads of each question's organization; coordinators of the region, of its
/// municipality, or of any founder above it.
pub async fn overdue_recipients(
    db: &mut PgConnection,
    questions: &[i64],
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
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
    .bind(questions)
    .fetch_all(db)
    .await
}

/// Erases author names and contacts of questions finished longer ago than their region's
/// retention period; returns (region, question) of each.
pub async fn erase_expired_contacts(db: &mut PgConnection) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        r#"update questions q set author_name = null, author_contact = null, contacts_erased_at = now()
           from region_settings s
           where s.region_id = q.region_id and q.contacts_erased_at is null
             and q.status in ('closed', 'rejected', 'duplicate', 'withdrawn')
             and q.closed_at < now() - make_interval(days => s.contact_retention_days)
           returning q.region_id, q.id"#,
    )
    .fetch_all(db)
    .await
}
