mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, two_regions};
use sqlx::PgPool;

async fn user_id(db: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut laptop = TestApp::new(db.clone());
    laptop.login(&a.editor).await;
    let mut phone = laptop.fresh_browser();
    phone.login(&a.editor).await;
    laptop
        .get("/account/password")
        .await
        .assert_status(StatusCode::OK);
    let res = laptop
        .post_form(
            "/account/password",
            &[
                ("current", "wrong one"),
                ("password", "brand new password"),
                ("password_confirm", "brand new password"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Текущий пароль введён неверно.")
        .assert_lacks("brand new password");
    let res = laptop
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "brand new password"),
                ("password_confirm", "other"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Пароли не совпадают.");
    laptop
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "brand new password"),
                ("password_confirm", "brand new password"),
            ],
        )
        .await
        .assert_redirect("/home");
    // This browser goes on; the other session is over.
    laptop
        .get(&format!("/r/region-a/orgs/{}", a.child))
        .await
        .assert_status(StatusCode::OK);
    phone
        .get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
    let mut again = laptop.fresh_browser();
    again.get("/login").await;
    again
        .post_form(
            "/login",
            &[
                ("email", &a.editor),
                ("password", "brand new password"),
                ("next", ""),
            ],
        )
        .await
        .assert_redirect("/home");
}

#[sqlx::test]
async fn admin_issues_a_single_use_reset_link(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let editor = user_id(&db, &a.editor).await;
    let mut victim_session = TestApp::new(db.clone());
    victim_session.login(&a.editor).await;
    let mut admin = victim_session.fresh_browser();
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/people")
        .await
        .assert_contains(&format!("/r/region-a/people/{editor}/reset"));
    admin
        .post_form(&format!("/r/region-a/people/{editor}/reset"), &[])
        .await
        .assert_redirect("/r/region-a/people");
    let link = common::link_in(
        "/password-reset/",
        &admin.get("/r/region-a/people").await.body,
    );
    let mut person = admin.fresh_browser();
    person
        .get(&link)
        .await
        .assert_status(StatusCode::OK)
        .assert_contains(&a.editor);
    person
        .post_form(
            &link,
            &[("password", "short"), ("password_confirm", "short")],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    person
        .post_form(
            &link,
            &[
                ("password", "reset password 1"),
                ("password_confirm", "reset password 1"),
            ],
        )
        .await
        .assert_redirect("/home");
    // The old session ended, and the link works once.
    victim_session
        .get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
    let mut later = admin.fresh_browser();
    later
        .get(&link)
        .await
        .assert_status(StatusCode::NOT_FOUND)
        .assert_contains("Ссылка недействительна");
    later.get("/login").await;
    later
        .post_form(
            "/login",
            &[
                ("email", &a.editor),
                ("password", "reset password 1"),
                ("next", ""),
            ],
        )
        .await
        .assert_redirect("/home");
}

#[sqlx::test]
async fn reset_links_expire(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let editor = user_id(&db, &a.editor).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/people").await;
    admin
        .post_form(&format!("/r/region-a/people/{editor}/reset"), &[])
        .await;
    let link = common::link_in(
        "/password-reset/",
        &admin.get("/r/region-a/people").await.body,
    );
    sqlx::query("update password_resets set expires_at = now() - interval '1 second'")
        .execute(&db)
        .await
        .unwrap();
    let mut person = admin.fresh_browser();
    person.get(&link).await.assert_status(StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn resets_stay_inside_the_admins_region_and_role(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let b_editor = user_id(&db, &b.editor).await;
    let a_editor = user_id(&db, &a.editor).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/people").await;
    assert_eq!(
        admin
            .post_form(&format!("/r/region-a/people/{b_editor}/reset"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .post_form(&format!("/r/region-b/people/{b_editor}/reset"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Someone who also works in region B is out of region A's admin's reach.
    sqlx::query(
        "insert into memberships (region_id, user_id, role) values ($1, $2, 'coordinator')",
    )
    .bind(b.id)
    .bind(a_editor)
    .execute(&db)
    .await
    .unwrap();
    assert_eq!(
        admin
            .post_form(&format!("/r/region-a/people/{a_editor}/reset"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut coordinator = admin.fresh_browser();
    coordinator.login(&a.coordinator).await;
    let admin_id = user_id(&db, &a.admin).await;
    coordinator.get("/r/region-a").await;
    assert_eq!(
        coordinator
            .post_form(&format!("/r/region-a/people/{admin_id}/reset"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(admin.count("select count(*) from password_resets").await, 0);
}
