//! Whole journeys: the operator opens a region, its admin invites people, they accept.
mod common;

use axum::http::StatusCode;
use common::{TestApp, operator, two_regions};
use sqlx::PgPool;

#[sqlx::test]
async fn operator_opens_a_region_and_its_first_admin_joins(db: PgPool) {
    let op = operator(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&op).await;
    app.get("/operator/regions/new")
        .await
        .assert_status(StatusCode::OK);
    let res = app
        .post_form(
            "/operator/regions",
            &[
                ("name", "Новосибирская область"),
                ("slug", "Novosibirsk!"),
                ("time_zone", "Asia/Nowhere"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("строчная латиница")
        .assert_contains("Неизвестный часовой пояс")
        .assert_contains("value=\"Новосибирская область\"");
    let res = app
        .post_form(
            "/operator/regions",
            &[
                ("name", "Новосибирская область"),
                ("slug", "novosibirsk"),
                ("time_zone", "Asia/Novosibirsk"),
            ],
        )
        .await;
    let region_url = res.location().unwrap().to_owned();
    assert!(region_url.starts_with("/operator/regions/"));
    assert_eq!(app.count("select count(*) from sectors s join regions r on r.id = s.region_id where r.slug = 'novosibirsk'").await, 14);
    app.get(&region_url).await.assert_contains("Регион создан");
    let res = app
        .post_form(
            &format!("{region_url}/invitations"),
            &[("email", "not-an-email")],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Введите адрес электронной почты");
    app.post_form(
        &format!("{region_url}/invitations"),
        &[("email", "Head@NSO.example")],
    )
    .await
    .assert_redirect(&region_url);
    let page = app.get(&region_url).await;
    let link = common::link_in("/invitations/", &page.body);
    page.assert_contains("head@nso.example")
        .assert_contains("ожидает");

    let mut invitee = app.fresh_browser();
    invitee
        .get(&link)
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Новосибирская область");
    let res = invitee
        .post_form(
            &link,
            &[
                ("name", "Елена Главная"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("не короче 10 символов")
        .assert_contains("value=\"Елена Главная\"");
    let res = invitee
        .post_form(
            &link,
            &[
                ("name", "Елена Главная"),
                ("password", "long enough pass"),
                ("password_confirm", "long enough pass"),
            ],
        )
        .await;
    res.assert_redirect("/home");
    invitee.get("/home").await.assert_redirect("/r/novosibirsk");
    invitee
        .get("/r/novosibirsk/people")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Елена Главная")
        .assert_contains("принято");
    // The link is single-use.
    let mut again = app.fresh_browser();
    again
        .get(&link)
        .await
        .assert_status(StatusCode::NOT_FOUND)
        .assert_contains("Ссылка недействительна");
}

#[sqlx::test]
async fn admin_invites_an_editor_who_lands_on_their_organization(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/people")
        .await
        .assert_status(StatusCode::OK);
    let res = admin
        .post_form(
            "/r/region-a/invitations",
            &[
                ("email", "teacher@school.example"),
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Укажите ОГРН организации редактора.")
        .assert_contains("value=\"teacher@school.example\"");
    let ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.child)
        .fetch_one(&db)
        .await
        .unwrap();
    admin
        .post_form(
            "/r/region-a/invitations",
            &[
                ("email", "teacher@school.example"),
                ("role", "editor"),
                ("municipality_id", ""),
                ("organization", &ogrn),
            ],
        )
        .await
        .assert_redirect("/r/region-a/people");
    let link = common::link_in("/invitations/", &admin.get("/r/region-a/people").await.body);
    let mut editor = admin.fresh_browser();
    editor.get(&link).await.assert_contains("редактор");
    editor
        .post_form(
            &link,
            &[
                ("name", "Учитель"),
                ("password", "long enough pass"),
                ("password_confirm", "long enough pass"),
            ],
        )
        .await
        .assert_redirect("/home");
    editor
        .get("/home")
        .await
        .assert_redirect("/r/region-a/questions");
    editor
        .get(&format!("/r/region-a/orgs/{}", a.child))
        .await
        .assert_contains("Добавить страницу");
}

#[sqlx::test]
async fn an_existing_user_joins_a_second_scope_and_gets_a_switcher(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut admin_b = TestApp::new(db.clone());
    admin_b.login(&b.admin).await;
    admin_b.get("/r/region-b/people").await;
    admin_b
        .post_form(
            "/r/region-b/invitations",
            &[("email", &a.coordinator), ("role", "coordinator")],
        )
        .await
        .assert_redirect("/r/region-b/people");
    let link = common::link_in(
        "/invitations/",
        &admin_b.get("/r/region-b/people").await.body,
    );
    let mut person = admin_b.fresh_browser();
    person
        .get(&link)
        .await
        .assert_contains("У вас уже есть учётная запись");
    person
        .post_form(&link, &[("password", "wrong password")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Неверный пароль.");
    person
        .post_form(&link, &[("password", common::PASSWORD)])
        .await
        .assert_redirect("/home");
    let home = person.get("/home").await;
    home.assert_status(StatusCode::OK)
        .assert_contains("href=\"/r/region-a\"")
        .assert_contains("href=\"/r/region-b\"");
    person
        .get("/r/region-b")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Мои разделы");
}

#[sqlx::test]
async fn expired_invitations_cannot_be_used(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/people").await;
    admin
        .post_form(
            "/r/region-a/invitations",
            &[("email", "late@x.example"), ("role", "coordinator")],
        )
        .await;
    let link = common::link_in("/invitations/", &admin.get("/r/region-a/people").await.body);
    sqlx::query("update invitations set expires_at = now() - interval '1 minute'")
        .execute(&db)
        .await
        .unwrap();
    let mut late = admin.fresh_browser();
    late.get(&link).await.assert_status(StatusCode::NOT_FOUND);
    late.get("/login").await;
    let res = late
        .post_form(
            &link,
            &[
                ("name", "Опоздавший"),
                ("password", "long enough pass"),
                ("password_confirm", "long enough pass"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        late.count("select count(*) from users where email = 'late@x.example'")
            .await,
        0
    );
}

#[sqlx::test]
async fn language_choice_sticks(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.get("/login")
        .await
        .assert_contains("<html lang=\"ru\">")
        .assert_contains("Вход");
    app.get("/lang/en?next=/login")
        .await
        .assert_redirect("/login");
    app.get("/login")
        .await
        .assert_contains("<html lang=\"en\">")
        .assert_contains("Sign in");
    app.get("/lang/en?next=https://evil.example/")
        .await
        .assert_redirect("/");
    app.login(&a.admin).await;
    app.get("/r/region-a/orgs")
        .await
        .assert_contains("Organizations")
        .assert_contains("organizations");
    let stored: String = sqlx::query_scalar("select locale from users where email = $1")
        .bind(&a.admin)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        stored, "ru",
        "switching before sign-in only sets the cookie"
    );
    app.get("/lang/ru?next=/r/region-a").await;
    app.get("/lang/en?next=/r/region-a").await;
    let stored: String = sqlx::query_scalar("select locale from users where email = $1")
        .bind(&a.admin)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(stored, "en");
    assert_eq!(app.get("/lang/de").await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn error_pages_use_the_layout_and_the_language(db: PgPool) {
    let mut app = TestApp::new(db);
    let res = app.get("/no/such/page").await;
    res.assert_status(StatusCode::NOT_FOUND)
        .assert_contains("Страница не найдена")
        .assert_contains("class=\"site-header\"");
    assert!(res.headers.get("content-security-policy").is_some());
    app.get("/lang/en?next=/").await;
    app.get("/r/nowhere/orgs")
        .await
        .assert_status(StatusCode::NOT_FOUND)
        .assert_contains("Page not found");
    let res = app.post_raw("/login", "email=x", &[]).await;
    res.assert_status(StatusCode::FORBIDDEN)
        .assert_contains("Not allowed");
}

#[sqlx::test]
async fn health_and_readiness(db: PgPool) {
    let mut app = TestApp::new(db.clone());
    app.get("/healthz").await.assert_status(StatusCode::OK);
    app.get("/readyz")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("ready");
    sqlx::query("delete from _sqlx_migrations")
        .execute(&db)
        .await
        .unwrap();
    app.get("/readyz")
        .await
        .assert_status(StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test]
async fn oversized_forms_get_a_413_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db);
    app.login(&a.admin).await;
    app.get("/r/region-a/orgs/new").await;
    let token = app.csrf.clone().unwrap();
    let body = format!("csrf={token}&name={}", "я".repeat(300_000));
    let res = app.post_raw("/r/region-a/orgs", &body, &[]).await;
    res.assert_status(StatusCode::PAYLOAD_TOO_LARGE)
        .assert_contains("Слишком большой запрос");
}

#[sqlx::test]
async fn internal_errors_show_a_request_id_and_no_internals(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    sqlx::query("alter table sectors rename to sectors_gone")
        .execute(&db)
        .await
        .unwrap();
    let res = app.get("/r/region-a/sectors").await;
    res.assert_status(StatusCode::INTERNAL_SERVER_ERROR)
        .assert_contains("Внутренняя ошибка")
        .assert_lacks("sectors_gone")
        .assert_lacks("does not exist");
    let id = res
        .headers
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    res.assert_contains(&format!("<code>{id}</code>"));
}
