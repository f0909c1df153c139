mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, region};
use sqlx::PgPool;

async fn attempt(app: &mut TestApp, email: &str, password: &str) -> common::TestResponse {
    app.get("/login").await;
    app.post_form(
        "/login",
        &[("email", email), ("password", password), ("next", "")],
    )
    .await
}

#[sqlx::test]
async fn repeated_failures_lock_the_account_for_a_while(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db.clone());
    for _ in 0..5 {
        assert_eq!(
            attempt(&mut app, &r.admin, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Locked: even the right password is refused, with a clear message in the page.
    let res = attempt(&mut app, &r.admin, PASSWORD).await;
    res.assert_status(StatusCode::TOO_MANY_REQUESTS)
        .assert_contains("Слишком много неудачных попыток входа. Повторите через 15 минут.");
    // Another instance sees the same lock: it lives in the database.
    let mut other = TestApp::new(db.clone());
    other.peer = "198.51.100.7:1234".parse().unwrap();
    assert_eq!(
        attempt(&mut other, &r.admin, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Other accounts are not affected.
    assert_eq!(
        attempt(&mut other, &r.editor, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // When the lock lifts, the right password works and clears the count.
    sqlx::query("update login_throttle set locked_until = now() - interval '1 second'")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        attempt(&mut app.fresh_browser(), &r.admin, PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("select count(*) from login_throttle where key like 'account:%'")
            .await,
        0
    );
}

#[sqlx::test]
async fn one_address_trying_many_accounts_is_locked(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db.clone());
    for i in 0..20 {
        let res = attempt(
            &mut app,
            &format!("guess{i}@nowhere.example"),
            "password-guess",
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(
        attempt(&mut app, &r.admin, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut elsewhere = app.fresh_browser();
    elsewhere.peer = "203.0.113.9:5555".parse().unwrap();
    assert_eq!(
        attempt(&mut elsewhere, &r.admin, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[sqlx::test]
async fn success_clears_earlier_failures(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db.clone());
    for _ in 0..4 {
        attempt(&mut app, &r.admin, "wrong password").await;
    }
    assert_eq!(
        attempt(&mut app, &r.admin, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let mut next = app.fresh_browser();
    for _ in 0..4 {
        assert_eq!(
            attempt(&mut next, &r.admin, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt(&mut next, &r.admin, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

/// A sign-in attempt the proxy forwards for `client`.
async fn from(
    app: &mut TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> common::TestResponse {
    let token = app.csrf.clone().unwrap_or_default();
    let body = common::encode(&[
        ("email", email),
        ("password", password),
        ("next", ""),
        ("csrf", &token),
    ]);
    app.post_raw("/login", &body, &[("x-forwarded-for", client)])
        .await
}

#[sqlx::test]
async fn behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let settings = gospublic::config::Settings {
        trusted_proxies: vec!["192.0.2.10".parse().unwrap()],
        ..gospublic::config::Settings::for_tests()
    };
    let mut app = TestApp::with_settings(db.clone(), settings);
    // One client behind the proxy guesses 20 accounts: that client is locked out ...
    app.get("/login").await;
    for i in 0..20 {
        let email = format!("guess{i}@nowhere.example");
        let res = from(&mut app, "203.0.113.5", &email, "password-guess").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let locked = from(&mut app, "203.0.113.5", &r.admin, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    // ... while another client behind the same proxy signs in.
    let other = from(&mut app, "198.51.100.8", &r.admin, PASSWORD).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}
