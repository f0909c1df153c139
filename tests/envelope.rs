//! The security envelope: headers on every response, request limits, audited cross-region reads.
mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{TestApp, operator, two_regions};
use gospublic::config::Settings;
use sqlx::PgPool;

#[sqlx::test]
async fn every_response_carries_the_security_headers(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    let mut responses = vec![
        app.get("/login").await,
        app.get("/no/such/page").await,
        app.get("/static/app.css").await,
    ];
    app.login(&a.admin).await;
    responses.push(app.get("/r/region-a/orgs").await);
    responses.push(app.get("/r/region-a/municipalities/999999").await);
    for res in &responses {
        let h = |name: &str| {
            res.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(h("referrer-policy"), "same-origin");
        assert!(
            h("strict-transport-security").starts_with("max-age="),
            "HSTS with Secure cookies"
        );
        assert!(!h("x-request-id").is_empty());
    }
    let mut plain = TestApp::with_settings(
        db,
        Settings {
            secure_cookies: false,
            ..Settings::for_tests()
        },
    );
    let res = plain.get("/login").await;
    assert!(
        res.headers.get("strict-transport-security").is_none(),
        "no HSTS in plain-HTTP mode"
    );
    let cookie = res.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[sqlx::test]
async fn no_page_carries_inline_script(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db);
    app.login(&a.admin).await;
    for url in [
        "/login",
        "/r/region-a",
        "/r/region-a/orgs",
        "/r/region-a/people",
        "/r/region-a/orgs/new",
    ] {
        let res = app.get(url).await;
        assert!(
            !res.body.contains("<script>")
                && !res.body.contains(" onclick=")
                && !res.body.contains("style=\""),
            "{url}"
        );
    }
}

#[sqlx::test]
async fn a_request_that_takes_too_long_gets_a_408_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let settings = Settings {
        request_timeout: Duration::from_secs(1),
        ..Settings::for_tests()
    };
    let mut app = TestApp::with_settings(db.clone(), settings);
    app.login(&a.admin).await;
    let mut blocker = db.begin().await.unwrap();
    sqlx::query("lock table municipalities in access exclusive mode")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let res = app.get("/r/region-a/municipalities").await;
    res.assert_status(StatusCode::REQUEST_TIMEOUT)
        .assert_contains("Время ожидания истекло");
    blocker.rollback().await.unwrap();
    app.get("/r/region-a/municipalities")
        .await
        .assert_status(StatusCode::OK);
}

#[sqlx::test]
async fn the_federal_overview_is_audited(db: PgPool) {
    two_regions(&db).await;
    let op = operator(&db).await;
    let mut app = TestApp::new(db);
    app.login(&op).await;
    app.get("/operator/regions")
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(app.count("select count(*) from audit_log where object_type = 'federal_overview' and region_id is null").await, 1);
}
