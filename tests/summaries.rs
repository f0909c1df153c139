//! The summaries the monitoring screens read (questions per week, each page's newest week of
//! figures) follow every change in the same transaction, and the national data generator is
//! deterministic.

mod common;

use common::{question, two_regions};
use sqlx::PgPool;

type WeekRow = (i64, i64, chrono::NaiveDate, i32, i32, Option<f64>);

/// The weekly summary as stored.
async fn stored(db: &PgPool) -> Vec<WeekRow> {
    sqlx::query_as(
        r#"select region_id, municipality_id, week, received, responded, median_first_response_minutes
           from question_weeks order by 1, 2, 3"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// The same counted from the questions, written differently on purpose: each question once
/// for the region (0) and once for its organization's municipality.
async fn counted(db: &PgPool) -> Vec<WeekRow> {
    sqlx::query_as(
        r#"select q.region_id, s.scope, date_trunc('week', q.received_at at time zone r.time_zone)::date,
                  count(*)::int, count(q.first_response_minutes)::int,
                  percentile_cont(0.5) within group (order by q.first_response_minutes)
           from questions q join regions r on r.id = q.region_id
           join organizations o on o.id = q.organization_id
           cross join lateral (values (0::bigint), (o.municipality_id)) s(scope)
           where s.scope is not null
           group by 1, 2, 3 order by 1, 2, 3"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

async fn assert_summary_current(db: &PgPool, when: &str) {
    assert_eq!(stored(db).await, counted(db).await, "{when}");
}

#[sqlx::test]
async fn weekly_question_summary_follows_every_change(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut ids = Vec::new();
    for (org, page, hours) in [
        (a.child, Some(a.child_page), 2),
        (a.child, Some(a.child_page), 30),
        (a.other, Some(a.other_page), 200),
        (a.founder, None, 5),
        (a.child, None, 24 * 20),
    ] {
        ids.push(question(&db, a.id, org, page, hours, "normal").await);
    }
    question(&db, b.id, b.child, Some(b.child_page), 3, "normal").await;
    assert_summary_current(&db, "after questions arrive").await;
    let region_b_before: Vec<WeekRow> = stored(&db)
        .await
        .into_iter()
        .filter(|r| r.0 == b.id)
        .collect();
    assert!(!region_b_before.is_empty());

    let mut tx = gospublic::state::tenant_tx(&db, gospublic::ids::RegionId(a.id))
        .await
        .unwrap();
    for (id, minutes) in [(ids[0], 90), (ids[1], 300), (ids[2], 45)] {
        sqlx::query("update questions set first_response_minutes = $2, first_response_at = now() where id = $1")
            .bind(id)
            .bind(minutes)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    assert_summary_current(&db, "after answers").await;

    let mut tx = gospublic::state::tenant_tx(&db, gospublic::ids::RegionId(a.id))
        .await
        .unwrap();
    sqlx::query("update questions set organization_id = $2, transfer_count = 1 where id = $1")
        .bind(ids[0])
        .bind(a.other)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("update questions set assignee_id = null, answer_rev = answer_rev + 1")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_summary_current(&db, "after a transfer to another municipality").await;

    sqlx::query("update organizations set municipality_id = $2 where id = $1")
        .bind(a.child)
        .bind(a.other_municipality)
        .execute(&db)
        .await
        .unwrap();
    assert_summary_current(&db, "after an organization moves").await;

    sqlx::query("delete from question_events where question_id = $1")
        .bind(ids[4])
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("delete from questions where id = $1")
        .bind(ids[4])
        .execute(&db)
        .await
        .unwrap();
    assert_summary_current(&db, "after a question is deleted").await;
    let region_b_after: Vec<WeekRow> = stored(&db)
        .await
        .into_iter()
        .filter(|r| r.0 == b.id)
        .collect();
    assert_eq!(region_b_before, region_b_after, "another region untouched");
}

#[sqlx::test]
async fn the_newest_week_of_each_page_follows_its_figures(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let latest = |db: PgPool| async move {
        sqlx::query_as::<_, (chrono::NaiveDate, Option<i32>)>(
            "select week, posts from page_latest where page_id = $1",
        )
        .bind(a.child_page)
        .fetch_optional(&db)
        .await
        .unwrap()
    };
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let before = monday - chrono::Duration::days(7);
    for (week, posts) in [(before, 3), (monday, 5)] {
        sqlx::query("insert into page_snapshots (region_id, page_id, week, posts, source) values ($1, $2, $3, $4, 'manual')")
            .bind(a.id)
            .bind(a.child_page)
            .bind(week)
            .bind(posts)
            .execute(&db)
            .await
            .unwrap();
    }
    assert_eq!(latest(db.clone()).await, Some((monday, Some(5))));
    sqlx::query("update page_snapshots set posts = 9 where page_id = $1 and week = $2")
        .bind(a.child_page)
        .bind(monday)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(latest(db.clone()).await, Some((monday, Some(9))));
    sqlx::query("delete from page_snapshots where page_id = $1 and week = $2")
        .bind(a.child_page)
        .bind(monday)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(latest(db.clone()).await, Some((before, Some(3))));
    sqlx::query("delete from page_snapshots where page_id = $1")
        .bind(a.child_page)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(latest(db.clone()).await, None);
}

#[sqlx::test]
async fn trend_charts_from_the_summary_match_those_counted_live(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    for (org, hours) in [
        (a.child, 2),
        (a.child, 24 * 9),
        (a.other, 24 * 30),
        (a.founder, 4),
    ] {
        let id = question(&db, a.id, org, None, hours, "normal").await;
        sqlx::query("update questions set first_response_minutes = $2 where id = $1")
            .bind(id)
            .bind(hours * 7)
            .execute(&db)
            .await
            .unwrap();
    }
    let region = gospublic::ids::RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let l = gospublic::i18n::Locale::Ru;
    let tz = "Asia/Barnaul";
    let chart = |c: gospublic::dashboard::trends::Charts| (c.questions, c.median);
    let whole_summary =
        gospublic::dashboard::trends::charts(&mut tx, region, None, None, Some(0), tz, l)
            .await
            .unwrap();
    let whole_live = gospublic::dashboard::trends::charts(&mut tx, region, None, None, None, tz, l)
        .await
        .unwrap();
    assert_eq!(chart(whole_summary), chart(whole_live));
    let ids: Vec<i64> = sqlx::query_scalar(
        "select id from organizations where region_id = $1 and municipality_id = $2",
    )
    .bind(a.id)
    .bind(a.municipality)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    let one_summary = gospublic::dashboard::trends::charts(
        &mut tx,
        region,
        Some(&ids),
        None,
        Some(a.municipality),
        tz,
        l,
    )
    .await
    .unwrap();
    let one_live =
        gospublic::dashboard::trends::charts(&mut tx, region, Some(&ids), None, None, tz, l)
            .await
            .unwrap();
    let (questions, median) = chart(one_summary);
    assert_eq!((questions.clone(), median), chart(one_live));
    assert!(questions.contains("<svg"), "{questions}");
}

async fn url_of(db: &PgPool, suffix: &str) -> String {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(db)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    // Names longer than 63 bytes are cut by PostgreSQL: the twin must not become the original.
    format!("{prefix}/{}{suffix}", &name[..name.len().min(50)])
}

/// What must come out the same from the same seed (timestamps move with the clock). The demo
/// region is left out: its questions are timed in working minutes from the moment of seeding.
async fn fingerprint(url: &str) -> (Vec<i64>, String) {
    let db = PgPool::connect(url).await.unwrap();
    let counts: Vec<i64> = sqlx::query_scalar(
        r#"select n from (values (1, (select count(*) from regions)), (2, (select count(*) from municipalities)),
                                 (3, (select count(*) from organizations)), (4, (select count(*) from pages)),
                                 (5, (select count(*) from page_snapshots)), (6, (select count(*) from questions)),
                                 (7, (select count(*) from page_mark_events)), (8, (select count(*) from organization_sectors))) c(k, n)
           order by k"#,
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let digest: String = sqlx::query_scalar(
        r#"select md5(concat_ws('|',
               (select string_agg(concat_ws(',', o.name, o.inn, o.ogrn, o.level, m.name, o.exempt), ';' order by o.id)
                from organizations o left join municipalities m on m.id = o.municipality_id where o.region_id <> demo.id),
               (select string_agg(concat_ws(',', p.url_key, p.category, p.mark_status, p.connected, p.widgets), ';' order by p.id)
                from pages p where p.region_id <> demo.id),
               (select string_agg(concat_ws(',', q.organization_id, q.category, q.priority, q.status, q.first_response_minutes), ';' order by q.id)
                from questions q where q.region_id <> demo.id),
               (select sum(s.posts::bigint * 7 + s.followers) from page_snapshots s where s.region_id <> demo.id)))
           from (select id from regions where slug = 'altai-krai') demo"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    db.close().await;
    (counts, digest)
}

#[sqlx::test]
async fn the_national_data_set_is_valid_and_the_same_for_the_same_seed(db: PgPool) {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(&db)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let twin = url_of(&db, "_twin").await;
    let twin_name = twin.rsplit_once('/').unwrap().1.to_owned();
    sqlx::query(&format!("drop database if exists \"{twin_name}\""))
        .execute(&db)
        .await
        .unwrap();
    let seed = |url: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gospublic"))
            .args([
                "seed-scale",
                "--seed",
                "7",
                "--regions",
                "4",
                "--organizations",
                "1800",
                "--pages",
                "3000",
                "--questions",
                "9000",
                "--weeks",
                "6",
            ])
            .env("DATABASE_URL", url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{url}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let printed = seed(&url);
    assert!(
        printed.contains("4 regions, 1800 organizations"),
        "{printed}"
    );
    seed(&twin);
    let (counts, digest) = fingerprint(&url).await;
    assert_eq!(fingerprint(&twin).await, (counts.clone(), digest));
    assert_eq!(counts[0], 4);
    assert_eq!(counts[2], 1800);
    assert!((2800..=3200).contains(&counts[3]), "pages {counts:?}");
    assert_eq!(counts[5], 9000);

    // Every identifier passes the same check digits the forms apply.
    let ids: Vec<(String, String)> = sqlx::query_as("select inn, ogrn from organizations")
        .fetch_all(&db)
        .await
        .unwrap();
    for (inn, ogrn) in &ids {
        gospublic::orgs::identifiers::validate_inn(inn).unwrap();
        gospublic::orgs::identifiers::validate_ogrn(ogrn).unwrap();
    }
    // The summaries came out as if every row had been written one by one.
    assert_eq!(stored(&db).await, counted(&db).await);
    for (kept, live) in [
        (
            "select region_id, day, received::int8, responded::int8, on_time::int8 from question_days order by 1, 2",
            "select region_id, (received_at at time zone 'UTC')::date, count(*), count(first_response_at),
                    count(*) filter (where first_response_at <= first_response_due)
             from questions group by 1, 2 order by 1, 2",
        ),
        (
            "select region_id, day, due::int8, 0::int8, 0::int8 from question_due_days where due > 0 order by 1, 2",
            "select region_id, (due_at at time zone 'UTC')::date, count(*), 0::int8, 0::int8
             from questions where due_at is not null group by 1, 2 order by 1, 2",
        ),
        (
            "select region_id, received_day, waiting::int8, extract(epoch from due_day::timestamp)::int8, 0::int8
             from question_waiting_days where waiting > 0 order by 1, 2, 4",
            "select region_id, (received_at at time zone 'UTC')::date, count(*),
                    extract(epoch from (first_response_due at time zone 'UTC')::date::timestamp)::int8, 0::int8
             from questions
             where first_response_at is null and status in ('new', 'in_progress') and paused_at is null
               and first_response_due is not null
             group by 1, 2, 4 order by 1, 2, 4",
        ),
        (
            "select region_id, current_date, questions::int8, organization_id, 0::int8
             from question_transfers_away where questions <> 0 order by 1, 4",
            "select q.region_id, current_date, count(*), p.org, 0::int8
             from questions q cross join lateral (select distinct unnest(q.previous_organization_ids) as org) p
             where q.transfer_count > 0 and p.org <> q.organization_id group by 1, 4 order by 1, 4",
        ),
    ] {
        type DayRow = (i64, chrono::NaiveDate, i64, i64, i64);
        let kept: Vec<DayRow> = sqlx::query_as(kept).fetch_all(&db).await.unwrap();
        let live: Vec<DayRow> = sqlx::query_as(live).fetch_all(&db).await.unwrap();
        assert!(!kept.is_empty());
        assert_eq!(kept, live);
    }
    let stale: i64 = sqlx::query_scalar(
        r#"select count(*) from pages p where (select max(week) from page_snapshots s where s.page_id = p.id)
             is distinct from (select week from page_latest l where l.page_id = p.id)"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(stale, 0);
    // Seeding twice is refused rather than doubling the country.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_gospublic"))
        .args(["seed-scale", "--regions", "4"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"));
    sqlx::query(&format!("drop database \"{twin_name}\" with (force)"))
        .execute(&db)
        .await
        .unwrap();
}

/// Two editors answering in one region at the same moment: the second recount waits for the
/// first and reads what it committed (before, it failed on a duplicate week row).
#[sqlx::test]
async fn answers_committed_at_once_in_one_region_both_count(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let first = question(&db, a.id, a.child, Some(a.child_page), 2, "normal").await;
    let second = question(&db, a.id, a.other, Some(a.other_page), 3, "normal").await;
    let answer = |id: i64, minutes: i32| {
        sqlx::query("update questions set first_response_minutes = $2, first_response_at = now() where id = $1")
            .bind(id)
            .bind(minutes)
    };
    let region = gospublic::ids::RegionId(a.id);
    let mut one = gospublic::state::tenant_tx(&db, region).await.unwrap();
    answer(first, 30).execute(&mut *one).await.unwrap();
    let pool = db.clone();
    let other = tokio::spawn(async move {
        let mut two = gospublic::state::tenant_tx(&pool, region).await?;
        answer(second, 50).execute(&mut *two).await?;
        two.commit().await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    one.commit().await.unwrap();
    other.await.unwrap().expect("the second answer commits too");
    assert_summary_current(&db, "after two answers at once").await;
}
