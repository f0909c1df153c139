//! Forms: validation messages per field, input kept, nothing written until valid.
mod common;

use axum::http::StatusCode;
use common::{TestApp, two_regions};
use sqlx::PgPool;

fn org_fields<'a>(name: &'a str, inn: &'a str, ogrn: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("short_name", "Краткое"),
        ("inn", inn),
        ("ogrn", ogrn),
        ("level", "municipal_institution"),
    ]
}

#[sqlx::test]
async fn organization_with_bad_check_digits_comes_back_with_input_and_messages(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    app.get("/r/region-a/orgs/new")
        .await
        .assert_status(StatusCode::OK);
    let before = app.count("select count(*) from organizations").await;
    let res = app
        .post_form(
            "/r/region-a/orgs",
            &org_fields("МБОУ «Гимназия № 42»", "7707083894", "1027700132196"),
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Контрольная цифра ИНН не сходится")
        .assert_contains("Контрольная цифра ОГРН не сходится")
        .assert_contains("value=\"МБОУ «Гимназия № 42»\"")
        .assert_contains("value=\"7707083894\"")
        .assert_contains("aria-invalid=\"true\"");
    let res = app
        .post_form("/r/region-a/orgs", &org_fields("", "12", "abc"))
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Заполните это поле.")
        .assert_contains("ИНН организации состоит из 10 цифр.")
        .assert_contains("ОГРН состоит из 13 цифр.");
    assert_eq!(
        before,
        app.count("select count(*) from organizations").await
    );
}

#[sqlx::test]
async fn admin_creates_and_edits_an_organization(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    app.get("/r/region-a/orgs/new").await;
    let founder_ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.founder)
        .fetch_one(&db)
        .await
        .unwrap();
    let municipality = a.municipality.to_string();
    let sector = a.sector.to_string();
    let mut fields = org_fields("МБОУ «Гимназия № 42»", "7707083893", "1027700132195");
    fields.extend([
        ("parent_ogrn", founder_ogrn.as_str()),
        ("municipality_id", &municipality),
        ("sector1", &sector),
    ]);
    let res = app.post_form("/r/region-a/orgs", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().unwrap().to_owned();
    let page = app.get(&location).await;
    page.assert_contains("Организация добавлена.")
        .assert_contains("МБОУ «Гимназия № 42»")
        .assert_contains("Министерство образования 1")
        .assert_contains("Образование");
    assert_eq!(app.count("select count(*) from audit_log where object_type = 'organization' and action = 'create'").await, 1);
    // The same OGRN again is refused, naming the holder.
    app.get("/r/region-a/orgs/new").await;
    let res = app
        .post_form(
            "/r/region-a/orgs",
            &org_fields("Другое имя", "7707083893", "1027700132195"),
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Организация с этим ОГРН уже есть: МБОУ «Гимназия № 42».");
    // Edit: archive it.
    let id = location.rsplit('/').next().unwrap();
    app.get(&format!("/r/region-a/orgs/{id}/edit"))
        .await
        .assert_contains("value=\"1027700132195\"");
    let mut fields = org_fields("МБОУ «Гимназия № 42»", "7707083893", "1027700132195");
    fields.push(("archived", "on"));
    app.post_form(&format!("/r/region-a/orgs/{id}"), &fields)
        .await
        .assert_redirect(&location);
    assert_eq!(
        app.count(&format!(
            "select count(*) from organizations where id = {id} and archived_at is not null"
        ))
        .await,
        1
    );
}

#[sqlx::test]
async fn organization_form_refuses_foreign_and_circular_references(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    // Region B's municipality and founder do not exist for region A.
    let b_ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(b.founder)
        .fetch_one(&db)
        .await
        .unwrap();
    let b_municipality = b.municipality.to_string();
    let b_sector = b.sector.to_string();
    app.get("/r/region-a/orgs/new").await;
    let mut fields = org_fields("Новая школа", "7707083893", "1027700132195");
    fields.extend([
        ("parent_ogrn", b_ogrn.as_str()),
        ("municipality_id", &b_municipality),
        ("sector1", &b_sector),
    ]);
    let res = app.post_form("/r/region-a/orgs", &fields).await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("В регионе нет организации с таким ОГРН.")
        .assert_contains("Выберите значение из списка.");
    // Making the founder subordinate to its own child closes a loop.
    let child_ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.child)
        .fetch_one(&db)
        .await
        .unwrap();
    let (name, inn, ogrn): (String, String, String) =
        sqlx::query_as("select name, inn, ogrn from organizations where id = $1")
            .bind(a.founder)
            .fetch_one(&db)
            .await
            .unwrap();
    app.get(&format!("/r/region-a/orgs/{}/edit", a.founder))
        .await;
    let res = app
        .post_form(
            &format!("/r/region-a/orgs/{}", a.founder),
            &[
                ("name", &name),
                ("inn", &inn),
                ("ogrn", &ogrn),
                ("level", "regional_body"),
                ("parent_ogrn", &child_ogrn),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("замкнутый круг");
    // Exempt without a basis.
    let res = app
        .post_form(
            &format!("/r/region-a/orgs/{}", a.founder),
            &[
                ("name", &name),
                ("inn", &inn),
                ("ogrn", &ogrn),
                ("level", "regional_body"),
                ("exempt", "on"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Укажите основание освобождения.");
    // The same sector twice.
    let sector = a.sector.to_string();
    let res = app
        .post_form(
            &format!("/r/region-a/orgs/{}", a.founder),
            &[
                ("name", &name),
                ("inn", &inn),
                ("ogrn", &ogrn),
                ("level", "regional_body"),
                ("sector1", &sector),
                ("sector2", &sector),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Эта отрасль уже выбрана.");
}

#[sqlx::test]
async fn a_page_is_registered_once_and_the_holder_is_named(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    let url = format!("/r/region-a/orgs/{}/pages", a.other);
    app.get(&format!("{url}/new"))
        .await
        .assert_status(StatusCode::OK);
    // vk.com/school1 belongs to the school; m.vk.com/School1/ is the same page.
    let res = app
        .post_form(
            &url,
            &[
                ("platform", "vk"),
                ("url", "https://m.vk.com/School1/"),
                ("title", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Эта страница уже зарегистрирована за организацией «Школа № 1 региона 1».")
        .assert_contains("value=\"https://m.vk.com/School1/\"");
    // Region B's page is taken too, but B's organization is not named.
    let res = app
        .post_form(
            &url,
            &[("platform", "vk"), ("url", "vk.com/school2"), ("title", "")],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("другого региона")
        .assert_lacks("региона 2");
    let res = app
        .post_form(
            &url,
            &[
                ("platform", "ok"),
                ("url", "https://vk.com/club1"),
                ("title", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Это адрес на площадке «ВКонтакте»");
    let res = app
        .post_form(
            &url,
            &[
                ("platform", "telegram"),
                ("url", "https://t.me/+AbCdEf"),
                ("title", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("ссылка-приглашение");
    let res = app
        .post_form(
            &url,
            &[
                ("platform", "telegram"),
                ("url", "@Hospital_Region_1"),
                ("title", "Больница"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let stored: String =
        sqlx::query_scalar("select url from pages where url_key = 't.me/hospital_region_1'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(stored, "https://t.me/hospital_region_1");
}

#[sqlx::test]
async fn municipalities_and_sectors_are_validated(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    app.get("/r/region-a/municipalities/new")
        .await
        .assert_status(StatusCode::OK);
    let res = app
        .post_form(
            "/r/region-a/municipalities",
            &[
                ("name", "Новый округ"),
                ("kind", "municipal_okrug"),
                ("oktmo", "01601000"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Муниципалитет с этим кодом ОКТМО уже есть.")
        .assert_contains("value=\"Новый округ\"");
    let res = app
        .post_form(
            "/r/region-a/municipalities",
            &[
                ("name", "Новый округ"),
                ("kind", "municipal_okrug"),
                ("oktmo", "0160"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("8 или 11 цифр");
    app.post_form(
        "/r/region-a/municipalities",
        &[
            ("name", "Новый округ"),
            ("kind", "municipal_okrug"),
            ("oktmo", "01699000"),
        ],
    )
    .await
    .assert_redirect("/r/region-a/municipalities");
    app.get("/r/region-a/municipalities")
        .await
        .assert_contains("Новый округ")
        .assert_contains("Муниципальный округ");
    app.get("/r/region-a/sectors/new").await;
    let res = app
        .post_form(
            "/r/region-a/sectors",
            &[("name", "Образование"), ("position", "5")],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Отрасль с таким наименованием уже есть.");
    let res = app
        .post_form(
            "/r/region-a/sectors",
            &[("name", "Туризм"), ("position", "пять")],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Введите целое число.");
    app.post_form(
        "/r/region-a/sectors",
        &[("name", "Туризм"), ("position", "150")],
    )
    .await
    .assert_redirect("/r/region-a/sectors");
    app.get(&format!("/r/region-a/sectors/{}", a.sector)).await;
    app.post_form(
        &format!("/r/region-a/sectors/{}", a.sector),
        &[("name", "Образование и наука"), ("position", "20")],
    )
    .await
    .assert_redirect("/r/region-a/sectors");
    app.get("/r/region-a/sectors")
        .await
        .assert_contains("Образование и наука")
        .assert_contains("Туризм");
}

#[sqlx::test]
async fn lists_are_searchable_and_paginated(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    for i in 0..60 {
        sqlx::query("insert into organizations (region_id, name, inn, ogrn, level) values ($1, $2, $3, $4, 'other')")
            .bind(a.id)
            .bind(format!("Детский сад № {i:02}"))
            .bind(gospublic::orgs::identifiers::complete_inn(&format!("229{i:06}")))
            .bind(gospublic::orgs::identifiers::complete_ogrn(&format!("10222{:07}", 9_000_000 + i)))
            .execute(&db)
            .await
            .unwrap();
    }
    let mut app = TestApp::new(db);
    app.login(&a.admin).await;
    let first = app
        .get("/r/region-a/orgs?q=%D0%B4%D0%B5%D1%82%D1%81%D0%BA%D0%B8%D0%B9")
        .await;
    first
        .assert_contains("60 организаций")
        .assert_contains("Детский сад № 00")
        .assert_lacks("Детский сад № 55")
        .assert_lacks("Школа");
    first.assert_contains("page=2");
    app.get("/r/region-a/orgs?q=%D0%B4%D0%B5%D1%82%D1%81%D0%BA%D0%B8%D0%B9&page=2")
        .await
        .assert_contains("Детский сад № 55");
    app.get("/r/region-a/orgs?q=%25")
        .await
        .assert_contains("Ничего не найдено.");
    app.get("/r/region-a/orgs?page=abc")
        .await
        .assert_status(StatusCode::OK);
}

#[sqlx::test]
async fn an_organization_card_shows_its_whole_subtree(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    sqlx::query("insert into organizations (region_id, name, inn, ogrn, level, parent_id) values ($1, 'Филиал школы', '7707083893', '1027700132195', 'other', $2)")
        .bind(a.id)
        .bind(a.child)
        .execute(&db)
        .await
        .unwrap();
    let mut app = TestApp::new(db);
    app.login(&a.admin).await;
    let card = app.get(&format!("/r/region-a/orgs/{}", a.founder)).await;
    card.assert_contains("Подведомственные организации")
        .assert_contains("class=\"depth-1\"><a href=\"/r/region-a/orgs/")
        .assert_contains("Школа № 1 региона 1")
        .assert_contains("class=\"depth-2\"")
        .assert_contains("Филиал школы");
}

#[sqlx::test]
async fn an_organizations_contacts_are_checked_and_shown_to_residents(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    app.get("/r/region-a/orgs/new").await;
    let mut fields = org_fields("МБОУ «Гимназия № 42»", "7707083893", "1027700132195");
    fields.extend([
        ("address", "г. Барнаул, ул. Мира, 42"),
        ("phone", "+7 3852 42-42-42"),
        ("email", "gymnasium42 at mail"),
        ("website", "gymnasium 42"),
    ]);
    let before = app.count("select count(*) from organizations").await;
    app.post_form("/r/region-a/orgs", &fields)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Введите адрес электронной почты")
        .assert_contains("Введите адрес сайта")
        .assert_contains("value=\"г. Барнаул, ул. Мира, 42\"")
        .assert_contains("value=\"gymnasium42 at mail\"");
    assert_eq!(
        before,
        app.count("select count(*) from organizations").await
    );
    fields.retain(|(k, _)| !matches!(*k, "email" | "website"));
    fields.extend([
        ("email", "info@gym42.example"),
        ("website", "gym42.example"),
    ]);
    let res = app.post_form("/r/region-a/orgs", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id: i64 = sqlx::query_scalar("select id from organizations where ogrn = '1027700132195'")
        .fetch_one(&db)
        .await
        .unwrap();
    // The edit form comes back with them, and residents find the school by its street.
    app.get(&format!("/r/region-a/orgs/{id}/edit"))
        .await
        .assert_contains("value=\"info@gym42.example\"");
    let mut resident = TestApp::new(db.clone());
    resident
        .get(&format!("/r/region-a/directory/{id}"))
        .await
        .assert_contains("г. Барнаул, ул. Мира, 42")
        .assert_contains("href=\"https://gym42.example\"")
        .assert_contains("mailto:info@gym42.example");
    resident
        .get("/r/region-a/directory?q=%D0%BC%D0%B8%D1%80%D0%B0")
        .await
        .assert_contains(&format!("/r/region-a/directory/{id}"));
}
