//! The region's answer figures read from the daily and monthly summaries equal the same
//! figures counted from the questions, through every kind of change a question or an
//! organization goes through, for a week, a month, a quarter and a year.

mod common;

use chrono::{DateTime, Utc};
use common::{question, two_regions};
use gospublic::dashboard::responsiveness::{self, Calendar, Overview};
use gospublic::ids::RegionId;
use sqlx::PgPool;

async fn change(db: &PgPool, sql: &str, id: i64) {
    sqlx::query(sql)
        .bind(id)
        .execute(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Places in a stable order, since a screen ranks them itself; categories without
/// percentiles, which the summary does not keep (the dashboard shows their volume only).
fn comparable(mut o: Overview) -> Overview {
    o.by_municipality.sort_by_key(|m| m.id);
    for c in o.by_category.iter_mut().chain(&mut o.by_category_before) {
        (c.median_minutes, c.p90_minutes) = (None, None);
    }
    o
}

async fn both(db: &PgPool, region: i64, days: i64, now: DateTime<Utc>) -> (Overview, Overview) {
    let region = RegionId(region);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let tz: String = sqlx::query_scalar("select time_zone from regions where id = $1")
        .bind(region)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let calendar = Calendar::last(days, now, gospublic::regions::time::zone_of(&tz));
    let live = responsiveness::overview(&mut tx, &calendar.period(region, None, None, now))
        .await
        .unwrap();
    let summed = responsiveness::overview_from_days(&mut tx, region, &calendar, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (comparable(summed), comparable(live))
}

async fn assert_same(db: &PgPool, region: i64, when: &str) -> Overview {
    let now = Utc::now();
    for days in [7, 30, 90, 365] {
        let (summed, live) = both(db, region, days, now).await;
        assert_eq!(
            format!("{summed:?}"),
            format!("{live:?}"),
            "{days} days, {when}"
        );
    }
    both(db, region, 30, now).await.0
}

#[sqlx::test]
async fn daily_answer_figures_equal_a_live_count(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut ids = Vec::new();
    for (org, page, hours) in [
        (a.child, Some(a.child_page), 1),
        (a.child, Some(a.child_page), 3),
        (a.child, None, 30),
        (a.other, Some(a.other_page), 2),
        (a.other, Some(a.other_page), 24 * 5),
        (a.founder, None, 4),
        (a.founder, None, 24 * 9),
        (a.child, None, 24 * 12),
        (a.other, None, 24 * 20),
        (a.child, None, 24 * 40),
        (a.other, None, 24 * 61),
        // Whole months of the quarter and the year, and of the periods before them.
        (a.child, Some(a.child_page), 24 * 75),
        (a.other, None, 24 * 120),
        (a.founder, None, 24 * 150),
        (a.child, None, 24 * 200),
        (a.other, Some(a.other_page), 24 * 300),
        (a.child, None, 24 * 400),
        (a.other, None, 24 * 500),
        (a.founder, None, 24 * 700),
    ] {
        ids.push(question(&db, a.id, org, page, hours, "normal").await);
    }
    question(&db, b.id, b.child, Some(b.child_page), 2, "normal").await;
    let first = assert_same(&db, a.id, "after questions arrive").await;
    assert_eq!(first.now.received, 9, "the last 30 days hold nine of them");

    let answered = |minutes: i32, late: bool| {
        format!(
            "update questions set status = 'answered', answered_at = now(), first_response_at = now(),
                    first_response_minutes = {minutes}, first_response_due = now() {} interval '1 hour'
             where id = $1",
            if late { "-" } else { "+" }
        )
    };
    for (i, minutes, late) in [
        (0, 45, false),
        (2, 300, true),
        (3, 90, false),
        (4, 600, true),
        (6, 120, false),
        (7, 45, false),
        (8, 1000, true),
        (9, 200, false),
        (11, 30, false),
        (12, 500, true),
        (13, 75, false),
        (14, 2000, true),
        (16, 60, false),
        (17, 45, false),
        (18, 90, true),
    ] {
        change(&db, &answered(minutes, late), ids[i]).await;
    }
    let answered = assert_same(&db, a.id, "after answers on time and late").await;
    assert!(answered.now.median_minutes.is_some());
    assert!(answered.before.median_minutes.is_some());

    change(
        &db,
        "update questions set first_response_due = now() - interval '2 hours' where id = $1",
        ids[1],
    )
    .await;
    change(
        &db,
        "update questions set first_response_due = now() - interval '1 hour' where id = $1",
        ids[5],
    )
    .await;
    let waiting = assert_same(&db, a.id, "with questions waiting past their deadline").await;
    assert!(waiting.now.on_time_base > answered.now.on_time_base);
    change(
        &db,
        "update questions set paused_at = now() where id = $1",
        ids[5],
    )
    .await;
    let paused = assert_same(&db, a.id, "with a question paused, waiting on the resident").await;
    assert_eq!(paused.now.on_time_base, waiting.now.on_time_base - 1);
    change(
        &db,
        "update questions set paused_at = null where id = $1",
        ids[5],
    )
    .await;

    change(
        &db,
        "update questions set status = 'rejected', resolution_reason = 'spam', closed_at = now() where id = $1",
        ids[5],
    )
    .await;
    change(
        &db,
        "update questions set status = 'withdrawn', closed_at = now() where id = $1",
        ids[9],
    )
    .await;
    assert_same(&db, a.id, "after a rejection and a withdrawal").await;

    let transfer = format!(
        "update questions set organization_id = {}, transfer_count = transfer_count + 1 where id = $1",
        a.other
    );
    change(&db, &transfer, ids[1]).await;
    change(
        &db,
        "update questions set reopen_count = 1, status = 'in_progress', answered_at = null where id = $1",
        ids[0],
    )
    .await;
    change(
        &db,
        "update questions set category = 'ЖКХ' where id = $1",
        ids[3],
    )
    .await;
    let moved = assert_same(
        &db,
        a.id,
        "after a transfer, a reopening and a new category",
    )
    .await;
    assert_eq!(moved.now.transferred, 1);
    assert_eq!(moved.now.reopened, 1);
    assert_eq!(moved.by_category.len(), 2, "{:?}", moved.by_category);

    change(
        &db,
        "update questions set received_at = received_at - interval '10 days' where id = $1",
        ids[2],
    )
    .await;
    assert_same(&db, a.id, "after a question moves into the week before").await;
    for (hours, id) in [(24 * 31, ids[13]), (24 * 100, ids[16])] {
        let moved = format!(
            "update questions set received_at = received_at - interval '{hours} hours' where id = $1"
        );
        change(&db, &moved, id).await;
    }
    let kept: i64 = sqlx::query_scalar(
        "select count(*) from answer_months where region_id = $1 and municipality_id = -1 and category = ''",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(kept >= 10, "months are kept: {kept}");
    assert_same(&db, a.id, "after questions move into other months").await;

    let move_org = format!(
        "update organizations set municipality_id = {} where id = $1",
        a.other_municipality
    );
    change(&db, &move_org, a.child).await;
    change(
        &db,
        "update organizations set municipality_id = null where id = $1",
        a.other,
    )
    .await;
    let places = assert_same(&db, a.id, "after organizations move between municipalities").await;
    assert!(places.by_municipality.iter().any(|m| m.id.is_none()));

    change(
        &db,
        "delete from question_events where question_id = $1",
        ids[4],
    )
    .await;
    change(&db, "delete from questions where id = $1", ids[4]).await;
    assert_same(&db, a.id, "after a question is deleted").await;

    let other: i64 = sqlx::query_scalar("select sum(received) from answer_days where region_id = $1 and municipality_id = -1 and category = ''")
        .bind(b.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(other, 1, "the other region's summary is its own");
    assert_same(&db, b.id, "the other region").await;
}

#[sqlx::test]
async fn concurrent_answers_keep_the_daily_summary(db: PgPool) {
    let (a, _) = two_regions(&db).await;
    let first = question(&db, a.id, a.child, None, 1, "normal").await;
    let second = question(&db, a.id, a.other, None, 1, "normal").await;
    let region = RegionId(a.id);
    let mut one = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let mut two = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let answer =
        "update questions set first_response_at = now(), first_response_minutes = 30 where id = $1";
    sqlx::query(answer)
        .bind(first)
        .execute(&mut *one)
        .await
        .unwrap();
    let waiting = tokio::spawn(async move {
        sqlx::query(answer)
            .bind(second)
            .execute(&mut *two)
            .await
            .unwrap();
        two.commit().await.unwrap();
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    one.commit().await.unwrap();
    waiting.await.unwrap();
    let summed = assert_same(&db, a.id, "after two answers at once").await;
    assert_eq!(summed.now.median_minutes, Some(30.0));
}

/// The months' arrays change by splicing a few values in and out, and by sorting many: both
/// ways give what sorting the whole would, duplicates and values not there included.
#[sqlx::test]
async fn a_months_sorted_array_changes_as_a_sort_would(db: PgPool) {
    for (kept, gone, came) in [
        (0, 0, 3),
        (1, 1, 0),
        (10, 2, 1),
        (200, 5, 5),
        (200, 40, 40),
        (50, 0, 70),
        (30, 12, 0),
    ] {
        let (changed, sorted): (Vec<i32>, Vec<i32>) = sqlx::query_as(
            r#"with a as (
                   select array(select (random() * 20)::int x from generate_series(1, $1) order by 1) as kept,
                          array(select (random() * 25)::int from generate_series(1, $2)) as gone,
                          array(select (random() * 25)::int from generate_series(1, $3)) as came)
               select sorted_change(kept, gone, came),
                      array(select x from unnest(kept) x except all select y from unnest(gone) y
                            union all select z from unnest(came) z order by 1)
               from a"#,
        )
        .bind(kept)
        .bind(gone)
        .bind(came)
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(changed, sorted, "{kept} kept, {gone} gone, {came} came");
    }
}
