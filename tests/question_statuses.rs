//! The per-organization question counts by status (kept by delta) equal a live count through
//! every kind of change a question goes through, and the inbox's answered count reads them.

mod common;

use common::{RegionFixture, TestApp, question, run_with, two_regions};
use sqlx::PgPool;

async fn assert_same(db: &PgPool, when: &str) {
    let kept: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "select region_id, organization_id, status, questions::bigint from question_statuses
         where questions <> 0 order by 1, 2, 3",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let counted: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "select region_id, organization_id, status, count(*) from questions group by 1, 2, 3 order by 1, 2, 3",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(kept, counted, "{when}");
}

#[sqlx::test]
async fn status_counts_equal_a_live_count(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    for (org, hours) in [
        (a.child, 1),
        (a.child, 30),
        (a.other, 2),
        (a.other, 50),
        (a.founder, 3),
    ] {
        question(&db, a.id, org, None, hours, "normal").await;
    }
    question(&db, b.id, b.child, None, 5, "normal").await;
    assert_same(&db, "arrivals").await;
    let steps = [
        (
            "taken up",
            "update questions set status = 'in_progress' where region_id = $1 and organization_id = $2",
        ),
        (
            "answered",
            "update questions set status = 'answered', answered_at = now() where region_id = $1 and organization_id = $2 and received_at < now() - interval '10 hours'",
        ),
        (
            "a note changes nothing counted",
            "update questions set draft_answer = 'Черновик ответа' where region_id = $1",
        ),
        (
            "transferred",
            "update questions set organization_id = $3 where region_id = $1 and organization_id = $2 and status = 'in_progress'",
        ),
        (
            "closed",
            "update questions set status = 'closed', closed_at = now() where region_id = $1 and status = 'answered'",
        ),
        (
            "reopened",
            "update questions set status = 'in_progress' where region_id = $1 and status = 'closed'",
        ),
        (
            "deleted",
            "delete from questions where region_id = $1 and organization_id = $3",
        ),
    ];
    for (when, sql) in steps {
        run_with(&db, sql, &a).await;
        assert_same(&db, when).await;
    }
}

/// Three questions of `child` and two of `other`; `set` applied to those older than ten
/// hours (two of the child's, one of the other's).
async fn five_questions_older_ones(db: &PgPool, a: &RegionFixture, set: &str) {
    for hours in [1, 20, 40] {
        question(db, a.id, a.child, None, hours, "normal").await;
    }
    question(db, a.id, a.other, None, 3, "normal").await;
    question(db, a.id, a.other, None, 30, "normal").await;
    sqlx::query(&format!(
        "update questions set {set} where region_id = $1 and received_at < now() - interval '10 hours'"
    ))
    .bind(a.id)
    .execute(db)
    .await
    .unwrap();
}

#[sqlx::test]
async fn the_inbox_counts_answered_questions_from_the_summary(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    five_questions_older_ones(&db, &a, "status = 'answered', answered_at = now()").await;
    // The editor of one organization counts its answered questions, the coordinator the region's.
    for (who, answered) in [(&a.editor, 2), (&a.coordinator, 3)] {
        let mut app = TestApp::new(db.clone());
        app.login(who).await;
        app.get("/r/region-a/questions")
            .await
            .assert_contains(&format!(
                "С ответом <span class=\"count\">{answered}</span>"
            ));
    }
}

#[sqlx::test]
async fn the_inbox_counts_a_status_from_the_summary(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    five_questions_older_ones(&db, &a, "status = 'closed', closed_at = now()").await;
    let totals = [
        (&a.editor, "all", "3 обращения"),
        (&a.editor, "closed", "2 обращения"),
        (&a.editor, "open", "1 обращение"),
        (&a.coordinator, "all", "5 обращений"),
        (&a.coordinator, "closed", "3 обращения"),
    ];
    for (who, status, total) in totals {
        let mut app = TestApp::new(db.clone());
        app.login(who).await;
        app.get(&format!("/r/region-a/questions?status={status}"))
            .await
            .assert_contains(total);
    }
    // A summary off by ten shows in the total: it is read there, not counted from the list.
    sqlx::query(
        "update question_statuses set questions = questions + 10 where region_id = $1 and organization_id = $2 and status = 'closed'",
    )
    .bind(a.id)
    .bind(a.child)
    .execute(&db)
    .await
    .unwrap();
    let mut app = TestApp::new(db.clone());
    app.login(&a.editor).await;
    app.get("/r/region-a/questions?status=all")
        .await
        .assert_contains("13 обращений");
    // With another filter the list is counted.
    app.get("/r/region-a/questions?status=all&priority=normal")
        .await
        .assert_contains("3 обращения");
}

async fn assert_transfers_same(db: &PgPool, when: &str) {
    let kept: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select region_id, organization_id, questions::bigint from question_transfers_away
         where questions <> 0 order by 1, 2",
    )
    .fetch_all(db)
    .await
    .unwrap();
    // As the inbox's list of transferred questions selects them, for each organization.
    let counted: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select o.region_id, o.id, count(q.id) from organizations o
         join questions q on q.region_id = o.region_id and q.transfer_count > 0
          and q.previous_organization_ids && array[o.id] and q.organization_id <> o.id
         group by 1, 2 order by 1, 2",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(kept, counted, "{when}");
}

#[sqlx::test]
async fn transferred_away_counts_equal_a_live_count(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    for (org, hours) in [(a.child, 1), (a.child, 2), (a.child, 3), (a.other, 4)] {
        question(&db, a.id, org, None, hours, "normal").await;
    }
    question(&db, b.id, b.child, None, 5, "normal").await;
    assert_transfers_same(&db, "arrivals").await;
    // As `changes::transfer` writes it.
    let transfer = |to: &str, which: &str| {
        format!(
            "update questions set organization_id = {to},
                    previous_organization_ids = array_append(previous_organization_ids, organization_id),
                    transfer_count = transfer_count + 1
             where region_id = $1 and {which}"
        )
    };
    let steps = [
        ("school to the other", transfer("$3", "organization_id = $2 and received_at < now() - interval '90 minutes'")),
        ("one back to the school", transfer("$2", "id = (select min(id) from questions where region_id = $1 and organization_id = $3 and transfer_count > 0)")),
        ("on to the founder", transfer(&a.founder.to_string(), "organization_id = $3 and transfer_count > 0")),
        ("back to the school twice over", transfer("$2", "organization_id <> $2 and transfer_count > 0")),
        ("an edit of a transferred question", "update questions set draft_answer = 'Черновик' where region_id = $1 and transfer_count > 0".to_owned()),
        ("deleted", "delete from questions where region_id = $1 and id = (select max(id) from questions where region_id = $1 and transfer_count > 1)".to_owned()),
    ];
    for (when, sql) in steps {
        run_with(&db, &sql, &a).await;
        assert_transfers_same(&db, when).await;
    }
    // A question filed already transferred (as an import of history may).
    sqlx::query(
        "update questions set previous_organization_ids = array[$2::bigint], transfer_count = 1
         where region_id = $1 and organization_id = $3",
    )
    .bind(b.id)
    .bind(b.other)
    .bind(b.child)
    .execute(&db)
    .await
    .unwrap();
    assert_transfers_same(&db, "the other region").await;
}

#[sqlx::test]
async fn the_inbox_counts_transferred_questions_from_the_summary(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    for hours in [1, 2, 3] {
        question(&db, a.id, a.child, None, hours, "normal").await;
    }
    run_with(
        &db,
        "update questions set organization_id = $3, previous_organization_ids = array[$2::bigint], transfer_count = 1
         where region_id = $1 and organization_id = $2 and received_at < now() - interval '90 minutes'",
        &a,
    )
    .await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.editor).await;
    app.get("/r/region-a/questions")
        .await
        .assert_contains("Переданные в другие организации <span class=\"count\">2</span>");
    // Without the summary's rows the count is gone: it is read there.
    sqlx::query("delete from question_transfers_away")
        .execute(&db)
        .await
        .unwrap();
    let page = app.get("/r/region-a/questions").await;
    assert!(!page.body.contains("Переданные в другие организации <span"));
}
