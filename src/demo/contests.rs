//! The demo's contests and a resident's question from the site: last quarter's contest with
//! its results out (its winners carry the badge on their cards), this month's open for votes,
//! and one question asked through the form whose status link the README gives.

use chrono::{Duration, Utc};
use sqlx::PgConnection;

use crate::i18n::Locale;
use crate::ids::{OrgId, RegionId};
use crate::questions::clock::{Priority, Rules};

/// The demo question's status link is `/r/altai-krai/q/{DEMO_STATUS_TOKEN}`.
pub const DEMO_STATUS_TOKEN: &str = "demo-status-link";

pub async fn seed(
    db: &mut PgConnection,
    region: RegionId,
    time_zone: &str,
    school: OrgId,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let finished = contest(
        db,
        region,
        "Лучшая страница школы и больницы — осень 2026",
        "Жители выбирали самые полезные официальные страницы школ и больниц края.",
        (now - Duration::days(40), now - Duration::days(10)),
        true,
    )
    .await?;
    if let Some(id) = finished {
        nominations(db, region, id).await?;
        votes(db, region, id, now - Duration::days(40), 60).await?;
    }
    let open = contest(
        db,
        region,
        "#Знакомьтесь_Госпаблики: декабрь",
        "Голосуйте за страницы, которые отвечают быстро и пишут понятно.",
        (now - Duration::days(2), now + Duration::days(12)),
        false,
    )
    .await?;
    if let Some(id) = open {
        nominations(db, region, id).await?;
        votes(db, region, id, now - Duration::days(2), 6).await?;
    }
    asked_on_the_site(db, region, time_zone, school).await
}

/// A contest by its title, unless it exists; its id when made now.
async fn contest(
    db: &mut PgConnection,
    region: RegionId,
    title: &str,
    description: &str,
    (starts, ends): (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
    published: bool,
) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        r#"insert into contests (region_id, title, description, voting_starts_at, voting_ends_at,
               results_published_at, badge_until)
           select $1, $2, $3, $4, $5, case when $6 then $5 + interval '1 day' end,
                  case when $6 then (now() + interval '80 days')::date end
           where not exists (select 1 from contests where region_id = $1 and title = $2)
           returning id"#,
    )
    .bind(region)
    .bind(title)
    .bind(description)
    .bind(starts)
    .bind(ends)
    .bind(published)
    .fetch_optional(&mut *db)
    .await?)
}

/// Schools and hospitals: the first dozen VK pages of each sector, verified ones first.
async fn nominations(db: &mut PgConnection, region: RegionId, contest: i64) -> anyhow::Result<()> {
    for (position, (title, sector)) in [
        ("Школы", "Образование"),
        ("Больницы и поликлиники", "Здравоохранение"),
    ]
    .into_iter()
    .enumerate()
    {
        let nomination: i64 = sqlx::query_scalar(
            r#"insert into contest_nominations (region_id, contest_id, title, sector_id, position)
               select $1, $2, $3, id, $5 from sectors where region_id = $1 and name = $4
               returning id"#,
        )
        .bind(region)
        .bind(contest)
        .bind(title)
        .bind(sector)
        .bind(position as i32)
        .fetch_one(&mut *db)
        .await?;
        sqlx::query(
            r#"insert into contest_nominees (region_id, nomination_id, page_id)
               select p.region_id, $2, p.id from pages p
               join organization_sectors os on os.region_id = p.region_id and os.organization_id = p.organization_id
               join sectors s on s.region_id = os.region_id and s.id = os.sector_id and s.name = $3
               where p.region_id = $1 and p.platform = 'vk'
               order by (p.mark_status = 'granted') desc, p.id limit 12"#,
        )
        .bind(region)
        .bind(nomination)
        .bind(sector)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// Up to `most` votes per nominee, from many networks, one every few minutes.
async fn votes(
    db: &mut PgConnection,
    region: RegionId,
    contest: i64,
    from: chrono::DateTime<Utc>,
    most: i32,
) -> anyhow::Result<()> {
    sqlx::query(
        r#"insert into contest_votes (region_id, contest_id, nomination_id, page_id, voter_hash, address_block, cast_at)
           select x.region_id, $2, x.nomination_id, x.page_id,
                  sha256(convert_to('demo-' || x.nomination_id || '-' || x.page_id || '-' || g, 'UTF8')),
                  '100.64.' || ((x.page_id + g) % 250) || '.0/24',
                  $3 + make_interval(mins => (g * 7 + x.page_id % 60)::int)
           from contest_nominees x join contest_nominations n on n.id = x.nomination_id
           cross join lateral generate_series(1, 1 + (x.page_id * 37 % $4)::int) g
           where n.region_id = $1 and n.contest_id = $2"#,
    )
    .bind(region)
    .bind(contest)
    .bind(from)
    .bind(i64::from(most))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A resident asked the demo school through the form and it answered; the question is
/// followed by the README's status link.
async fn asked_on_the_site(
    db: &mut PgConnection,
    region: RegionId,
    time_zone: &str,
    school: OrgId,
) -> anyhow::Result<()> {
    let hash = crate::web::session::hash_token(DEMO_STATUS_TOKEN);
    let exists: bool = sqlx::query_scalar(
        "select exists (select 1 from resident_submissions where status_token_hash = $1)",
    )
    .bind(&hash)
    .fetch_one(&mut *db)
    .await?;
    if exists {
        return Ok(());
    }
    let settings = crate::settings::db::get(db, region).await?;
    let received = Utc::now() - Duration::hours(30);
    let clocks = Rules::from_settings(time_zone, &settings).start(Priority::Normal, received);
    let answered = received + Duration::hours(20);
    let answer = "Здравствуйте! Запись в первый класс откроется 1 апреля на Госуслугах. \
                  Документы можно принести в школу с 9:00 до 17:00, кабинет 104.";
    let question: i64 = sqlx::query_scalar(
        r#"insert into questions (region_id, organization_id, channel, author_name, author_contact, body,
               category, status, received_at, first_response_due, first_response_risk, final_due, final_risk,
               first_response_at, answered_at, answer)
           values ($1, $2, 'form', 'Ольга Смирнова', 'olga.smirnova@example.ru',
                   'Когда откроется запись в первый класс и какие документы нужны?', 'Образование', 'answered',
                   $3, $4, $5, $6, $7, $8, $8, $9)
           returning id"#,
    )
    .bind(region)
    .bind(school)
    .bind(received)
    .bind(clocks.first_response_due)
    .bind(clocks.first_response_risk)
    .bind(clocks.final_due)
    .bind(clocks.final_risk)
    .bind(answered)
    .bind(answer)
    .fetch_one(&mut *db)
    .await?;
    sqlx::query(
        r#"insert into question_events (region_id, question_id, at, kind, to_status, public, body)
           values ($1, $2, $3, 'received', 'new', false, null), ($1, $2, $4, 'answered', 'answered', true, $5)"#,
    )
    .bind(region)
    .bind(question)
    .bind(received)
    .bind(answered)
    .bind(answer)
    .execute(&mut *db)
    .await?;
    let school_name: String =
        sqlx::query_scalar("select name from organizations where region_id = $1 and id = $2")
            .bind(region)
            .bind(school)
            .fetch_one(&mut *db)
            .await?;
    sqlx::query(
        r#"insert into resident_submissions (region_id, question_id, consent_text, consent_at, status_token_hash)
           values ($1, $2, $3, $4, $5)"#,
    )
    .bind(region)
    .bind(question)
    .bind(Locale::Ru.t1("ask-consent", "organization", &school_name))
    .bind(received)
    .bind(&hash)
    .execute(&mut *db)
    .await?;
    Ok(())
}
