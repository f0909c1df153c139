mod common;

use axum::http::StatusCode;
use common::{TestApp, two_regions};
use gospublic::ids::RegionId;
use gospublic::state::tenant_tx;
use sqlx::PgPool;

#[sqlx::test]
async fn the_audit_log_refuses_updates_and_deletes_from_everyone(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    let err = sqlx::query("update audit_log set action = 'forged'")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = sqlx::query("delete from audit_log")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = sqlx::query("truncate audit_log cascade")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let mut tx = tenant_tx(&db, RegionId(a.id)).await.unwrap();
    let err = sqlx::query("delete from audit_log")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
}

#[sqlx::test]
async fn admins_browse_their_regions_log_with_filters(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get(&format!("/r/region-a/municipalities/{}", a.municipality))
        .await;
    admin
        .post_form(
            &format!("/r/region-a/municipalities/{}", a.municipality),
            &[
                ("name", "Переименованный район"),
                ("kind", "municipal_okrug"),
                ("oktmo", "01601000"),
            ],
        )
        .await
        .assert_redirect("/r/region-a/municipalities");
    let mut other = TestApp::new(db.clone());
    other.login(&b.admin).await;
    other
        .get(&format!("/r/region-b/sectors/{}", b.sector))
        .await;
    other
        .post_form(
            &format!("/r/region-b/sectors/{}", b.sector),
            &[("name", "Чужая отрасль"), ("position", "1")],
        )
        .await;

    let details: serde_json::Value = sqlx::query_scalar(
        "select details from audit_log where object_type = 'municipality' and action = 'update'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(details["before"]["name"], "Первый район 1");
    assert_eq!(details["after"]["name"], "Переименованный район");
    let log = admin.get("/r/region-a/audit").await;
    log.assert_status(StatusCode::OK)
        .assert_contains("Переименованный район")
        .assert_contains("муниципалитет")
        .assert_lacks("Чужая отрасль");
    admin
        .get("/r/region-a/audit?action=create")
        .await
        .assert_lacks("Переименованный район");
    admin
        .get("/r/region-a/audit?action=update&object=municipality")
        .await
        .assert_contains("Переименованный район");
    admin
        .get("/r/region-a/audit?person=admin%40region-a")
        .await
        .assert_contains("Переименованный район");
    admin
        .get("/r/region-a/audit?person=nobody")
        .await
        .assert_contains("Ничего не найдено.");
    admin
        .get("/r/region-a/audit?from=2000-01-01&to=2000-01-02")
        .await
        .assert_contains("Ничего не найдено.");
    admin
        .get("/r/region-a/audit?from=yesterday")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("ГГГГ-ММ-ДД");
    let mut coordinator = TestApp::new(db);
    coordinator.login(&a.coordinator).await;
    assert_eq!(
        coordinator.get("/r/region-a/audit").await.status,
        StatusCode::FORBIDDEN
    );
}
