//! The per-organization question counts by status (kept by delta) equal a live count through
//! every kind of change a question goes through, and the inbox's answered count reads them.

mod common;

use common::{TestApp, question, run_with, two_regions};
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

#[sqlx::test]
async fn the_inbox_counts_answered_questions_from_the_summary(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    for hours in [1, 20, 40] {
        question(&db, a.id, a.child, None, hours, "normal").await;
    }
    question(&db, a.id, a.other, None, 3, "normal").await;
    question(&db, a.id, a.other, None, 30, "normal").await;
    sqlx::query(
        "update questions set status = 'answered', answered_at = now() where region_id = $1 and received_at < now() - interval '10 hours'",
    )
    .bind(a.id)
    .execute(&db)
    .await
    .unwrap();
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
