//! Managing people: roles, removal, disabling, invitations revoked and sent again.
mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, two_regions};
use sqlx::PgPool;

async fn membership_of(db: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar(
        "select m.id from memberships m join users u on u.id = m.user_id where u.email = $1",
    )
    .bind(email)
    .fetch_one(db)
    .await
    .unwrap()
}

async fn user_id(db: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn admin_changes_a_role_and_the_person_feels_it(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let m = membership_of(&db, &a.coordinator).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get(&format!("/r/region-a/memberships/{m}"))
        .await
        .assert_status(StatusCode::OK)
        .assert_contains(&a.coordinator);
    let res = admin
        .post_form(
            &format!("/r/region-a/memberships/{m}"),
            &[
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Укажите ОГРН организации редактора.");
    let ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.child)
        .fetch_one(&db)
        .await
        .unwrap();
    admin
        .post_form(
            &format!("/r/region-a/memberships/{m}"),
            &[
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", &ogrn),
            ],
        )
        .await
        .assert_redirect("/r/region-a/people");
    let mut person = TestApp::new(db.clone());
    person.login(&a.coordinator).await;
    person
        .get("/home")
        .await
        .assert_redirect("/r/region-a/questions");
    assert_eq!(
        person
            .get(&format!("/r/region-a/orgs/{}", a.other))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // An admin cannot demote themself.
    let own = membership_of(&db, &a.admin).await;
    admin.get(&format!("/r/region-a/memberships/{own}")).await;
    let res = admin
        .post_form(
            &format!("/r/region-a/memberships/{own}"),
            &[("role", "coordinator")],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Нельзя снять роль администратора с самого себя");
    // Removing the role takes the region away.
    admin.get("/r/region-a/people").await;
    admin
        .post_form(&format!("/r/region-a/memberships/{m}/delete"), &[])
        .await
        .assert_redirect("/r/region-a/people");
    assert_eq!(
        person.get("/r/region-a").await.status,
        StatusCode::NOT_FOUND
    );
    let log: i64 =
        sqlx::query_scalar("select count(*) from audit_log where object_type = 'membership'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(log, 2);
}

#[sqlx::test]
async fn a_disabled_person_is_signed_out_at_once(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let editor = user_id(&db, &a.editor).await;
    let mut session = TestApp::new(db.clone());
    session.login(&a.editor).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/people")
        .await
        .assert_contains(&format!("/r/region-a/people/{editor}/disable"));
    admin
        .post_form(&format!("/r/region-a/people/{editor}/disable"), &[])
        .await
        .assert_redirect("/r/region-a/people");
    session
        .get("/r/region-a")
        .await
        .assert_redirect("/login?next=%2Fr%2Fregion-a");
    let mut again = TestApp::new(db.clone());
    again.get("/login").await;
    assert_eq!(
        again
            .post_form(
                "/login",
                &[("email", &a.editor), ("password", PASSWORD), ("next", "")]
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    admin
        .get("/r/region-a/people")
        .await
        .assert_contains("отключён");
    admin
        .post_form(&format!("/r/region-a/people/{editor}/enable"), &[])
        .await
        .assert_redirect("/r/region-a/people");
    again.get("/login").await;
    again
        .post_form(
            "/login",
            &[("email", &a.editor), ("password", PASSWORD), ("next", "")],
        )
        .await
        .assert_redirect("/home");
    // Not themself, not someone who also works elsewhere, not another region's people.
    let me = user_id(&db, &a.admin).await;
    assert_eq!(
        admin
            .post_form(&format!("/r/region-a/people/{me}/disable"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let b_editor = user_id(&db, &b.editor).await;
    assert_eq!(
        admin
            .post_form(&format!("/r/region-a/people/{b_editor}/disable"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    sqlx::query(
        "insert into memberships (region_id, user_id, role) values ($1, $2, 'coordinator')",
    )
    .bind(b.id)
    .bind(editor)
    .execute(&db)
    .await
    .unwrap();
    assert_eq!(
        admin
            .post_form(&format!("/r/region-a/people/{editor}/disable"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test]
async fn invitations_can_be_revoked_and_sent_again(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/people").await;
    admin
        .post_form(
            "/r/region-a/invitations",
            &[("email", "new@x.example"), ("role", "coordinator")],
        )
        .await;
    let first = common::link_in("/invitations/", &admin.get("/r/region-a/people").await.body);
    let id: i64 = sqlx::query_scalar("select id from invitations where email = 'new@x.example'")
        .fetch_one(&db)
        .await
        .unwrap();
    admin
        .post_form(&format!("/r/region-a/invitations/{id}/revoke"), &[])
        .await
        .assert_redirect("/r/region-a/people");
    let mut invitee = TestApp::new(db.clone());
    invitee
        .get(&first)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    admin
        .get("/r/region-a/people")
        .await
        .assert_contains("отозвано");
    admin
        .post_form(&format!("/r/region-a/invitations/{id}/resend"), &[])
        .await
        .assert_redirect("/r/region-a/people");
    let second = common::link_in("/invitations/", &admin.get("/r/region-a/people").await.body);
    assert_ne!(first, second);
    invitee
        .get(&first)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    invitee.get(&second).await.assert_status(StatusCode::OK);
    let res = invitee
        .post_form(
            &second,
            &[
                ("name", "Новый"),
                ("password", "qwerty12345"),
                ("password_confirm", "qwerty12345"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("слишком распространён");
    invitee
        .post_form(
            &second,
            &[
                ("name", "Новый"),
                ("password", "горный Алтай 2026"),
                ("password_confirm", "горный Алтай 2026"),
            ],
        )
        .await
        .assert_redirect("/home");
}

#[sqlx::test]
async fn an_editor_is_invited_by_the_organizations_name_and_a_second_invitation_renews_the_first(
    db: PgPool,
) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/people")
        .await
        .assert_contains("Ссылки в приглашениях ведут на http://127.0.0.1:8080");
    // «региона 1» fits the school and the hospital: the admin is asked which one.
    let res = admin
        .post_form(
            "/r/region-a/invitations",
            &[
                ("email", "new.editor@region-a.example"),
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", "региона 1"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("выберите одну из списка")
        .assert_contains(&format!("value=\"{}\"", a.child))
        .assert_contains(&format!("value=\"{}\"", a.other))
        .assert_contains("value=\"региона 1\"");
    admin
        .post_form(
            "/r/region-a/invitations",
            &[
                ("email", "new.editor@region-a.example"),
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", "региона 1"),
                ("organization_id", &a.child.to_string()),
            ],
        )
        .await
        .assert_redirect("/r/region-a/people");
    // Part of the name, in another case, is enough when it fits one.
    admin
        .post_form(
            "/r/region-a/invitations",
            &[
                ("email", "NEW.editor@region-a.example"),
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", "школа № 1"),
            ],
        )
        .await
        .assert_redirect("/r/region-a/people");
    let page = admin.get("/r/region-a/people").await;
    page.assert_contains("ссылка обновлена");
    let (rows, organization): (i64, Option<i64>) = sqlx::query_as(
        "select count(*), max(organization_id) from invitations where email = 'new.editor@region-a.example'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((rows, organization), (1, Some(a.child)));
    let res = admin
        .post_form(
            "/r/region-a/invitations",
            &[
                ("email", "x@region-a.example"),
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", "Несуществующая"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("нет организации с таким названием");
}

#[sqlx::test]
async fn the_invitation_form_warns_when_links_lead_to_a_guessed_address(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let settings = gospublic::config::Settings {
        base_url: "http://127.0.0.1:9999".to_owned(),
        base_url_configured: false,
        ..gospublic::config::Settings::for_tests()
    };
    let mut admin = TestApp::with_settings(db.clone(), settings);
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/people")
        .await
        .assert_contains("Ссылки в приглашениях ведут на http://127.0.0.1:9999")
        .assert_contains("Публичный адрес сайта не настроен");
}
