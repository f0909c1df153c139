mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, region};
use sqlx::PgPool;

#[sqlx::test]
async fn sign_in_lands_on_home_and_rotates_the_session_id(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db);
    app.get("/login").await.assert_status(StatusCode::OK);
    let anonymous = app
        .cookies
        .get("gp_session")
        .cloned()
        .expect("login page starts a session");
    let res = app
        .post_form(
            "/login",
            &[("email", &r.admin), ("password", PASSWORD), ("next", "")],
        )
        .await;
    res.assert_redirect("/home");
    let signed_in = app.cookies.get("gp_session").cloned().unwrap();
    assert_ne!(
        anonymous, signed_in,
        "the session id must change at sign-in"
    );
    let cookie = res
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"),
        "{cookie}"
    );
    // One scope: /home forwards to the region.
    app.get("/home").await.assert_redirect("/r/region-a");
    app.get("/r/region-a")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Обзор");
    // The anonymous session is gone from the server.
    let old = app
        .count(&format!(
            "select count(*) from sessions where id_hash = sha256('{anonymous}'::bytea)"
        ))
        .await;
    assert_eq!(old, 0);
}

#[sqlx::test]
async fn wrong_password_and_unknown_email_get_the_same_answer(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db);
    app.get("/login").await;
    let wrong = app
        .post_form(
            "/login",
            &[
                ("email", &r.admin),
                ("password", "not-the-password"),
                ("next", ""),
            ],
        )
        .await;
    app.get("/login").await;
    let unknown = app
        .post_form(
            "/login",
            &[
                ("email", "nobody@nowhere.example"),
                ("password", "whatever-123"),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    wrong.assert_contains("Неверная электронная почта или пароль.");
    unknown.assert_contains("Неверная электронная почта или пароль.");
    // The email is kept, the password is never echoed.
    wrong
        .assert_contains(&format!("value=\"{}\"", r.admin))
        .assert_lacks("not-the-password");
    app.get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
}

#[sqlx::test]
async fn sign_out_ends_the_session_on_the_server(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db);
    app.login(&r.admin).await;
    let stolen = app.cookies.get("gp_session").cloned().unwrap();
    app.get("/r/region-a").await.assert_status(StatusCode::OK);
    app.post_form("/logout", &[])
        .await
        .assert_redirect("/login");
    assert!(
        !app.cookies.contains_key("gp_session"),
        "sign-out clears the cookie"
    );
    // Replaying the old cookie no longer works: the session is gone from the database.
    let mut replay = app.fresh_browser();
    replay.cookies.insert("gp_session".into(), stolen);
    replay
        .get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
}

#[sqlx::test]
async fn idle_session_expires(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db.clone());
    app.login(&r.admin).await;
    app.get("/r/region-a").await.assert_status(StatusCode::OK);
    sqlx::query("update sessions set last_seen_at = now() - interval '3 hours'")
        .execute(&db)
        .await
        .unwrap();
    app.get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
}

#[sqlx::test]
async fn session_expires_after_the_absolute_limit_even_when_active(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db.clone());
    app.login(&r.admin).await;
    sqlx::query("update sessions set created_at = now() - interval '13 hours'")
        .execute(&db)
        .await
        .unwrap();
    app.get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
}

#[sqlx::test]
async fn disabled_user_cannot_sign_in_and_loses_open_sessions(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut open = TestApp::new(db.clone());
    open.login(&r.editor).await;
    sqlx::query("update users set disabled_at = now() where email = $1")
        .bind(&r.editor)
        .execute(&db)
        .await
        .unwrap();
    open.get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
    let mut app = open.fresh_browser();
    app.get("/login").await;
    let res = app
        .post_form(
            "/login",
            &[("email", &r.editor), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_contains("Неверная электронная почта или пароль.");
}

#[sqlx::test]
async fn sign_in_follows_a_local_next_and_ignores_a_foreign_one(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db);
    app.get("/login?next=/r/region-a/orgs")
        .await
        .assert_contains("value=\"/r/region-a/orgs\"");
    app.post_form(
        "/login",
        &[
            ("email", &r.admin),
            ("password", PASSWORD),
            ("next", "/r/region-a/orgs"),
        ],
    )
    .await
    .assert_redirect("/r/region-a/orgs");
    let mut other = app.fresh_browser();
    other.get("/login").await;
    other
        .post_form(
            "/login",
            &[
                ("email", &r.admin),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await
        .assert_redirect("/home");
}

#[sqlx::test]
async fn sessions_survive_a_new_app_instance(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut first = TestApp::new(db.clone());
    first.login(&r.admin).await;
    // A second instance over the same database accepts the cookie issued by the first.
    let mut second = TestApp::new(db);
    second.cookies = first.cookies.clone();
    second
        .get("/r/region-a")
        .await
        .assert_status(StatusCode::OK);
}

#[sqlx::test]
async fn sign_in_is_audited(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut app = TestApp::new(db);
    app.login(&r.admin).await;
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'sign_in'")
            .await,
        1
    );
}
