//! The page card through HTTP: the mark's lifecycle and corrections, the checklist and setup,
//! weekly figures, and the quality score with its reasons.
mod common;

use axum::http::StatusCode;
use common::{TestApp, two_regions};
use sqlx::PgPool;

async fn signed_in(db: &PgPool, email: &str) -> TestApp {
    let mut app = TestApp::new(db.clone());
    app.login(email).await;
    app
}

fn days_ago(n: i64) -> String {
    let tz: chrono_tz::Tz = "Asia/Barnaul".parse().unwrap();
    (chrono::Utc::now().with_timezone(&tz).date_naive() - chrono::Duration::days(n))
        .format("%d.%m.%Y")
        .to_string()
}

async fn mark_of(db: &PgPool, page: i64) -> (String, Option<chrono::NaiveDate>) {
    sqlx::query_as("select mark_status, mark_since from pages where id = $1")
        .bind(page)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_mark_goes_through_its_steps_with_dates(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let card = format!("/r/region-a/pages/{}/card", a.child_page);
    let mark = format!("/r/region-a/pages/{}/mark", a.child_page);
    let mut editor = signed_in(&db, &a.editor).await;
    editor
        .get(&card)
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Госметка");
    // An editor cannot jump to "granted" without a request.
    editor
        .post_form(
            &mark,
            &[("status", "granted"), ("happened_on", &days_ago(1))],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Из статуса «нет» нельзя перейти в «присвоена».");
    editor
        .post_form(
            &mark,
            &[("status", "requested"), ("happened_on", "31.12.2099")],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Дата не может быть в будущем.");
    editor
        .post_form(
            &mark,
            &[
                ("status", "requested"),
                ("happened_on", "вчера"),
                ("note", "Подали заявку"),
            ],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Подали заявку");
    // The request was filed 40 days ago: the date that counts is when it happened.
    editor
        .post_form(
            &mark,
            &[
                ("status", "requested"),
                ("happened_on", &days_ago(40)),
                ("note", "Подали заявку"),
            ],
        )
        .await
        .assert_redirect(&card);
    let (status, since) = mark_of(&db, a.child_page).await;
    assert_eq!(status, "requested");
    assert_eq!(since.unwrap().format("%d.%m.%Y").to_string(), days_ago(40));
    editor.get(&card).await.assert_contains("заявка зависла");
    // Not before the last change.
    editor
        .post_form(
            &mark,
            &[("status", "granted"), ("happened_on", &days_ago(50))],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    editor
        .post_form(
            &mark,
            &[
                ("status", "granted"),
                ("happened_on", &days_ago(2)),
                ("evidence_url", "https://vk.com/school1?w=mark"),
            ],
        )
        .await
        .assert_redirect(&card);
    let page = editor.get(&card).await;
    page.assert_lacks("заявка зависла")
        .assert_contains("присвоена");
    // The coordinator confirms it, or corrects it only with a note.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    coordinator
        .post_form(
            &mark,
            &[("status", "granted"), ("happened_on", &days_ago(0))],
        )
        .await
        .assert_redirect(&card);
    coordinator
        .get(&card)
        .await
        .assert_contains(&format!("подтвердил(а): Пользователь {}", a.coordinator));
    coordinator
        .post_form(&mark, &[("status", "none"), ("happened_on", &days_ago(0))])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Объясните исправление в примечании.");
    coordinator
        .post_form(
            &mark,
            &[
                ("status", "none"),
                ("happened_on", &days_ago(0)),
                ("note", "Метка указана по ошибке"),
            ],
        )
        .await
        .assert_redirect(&card);
    assert_eq!(mark_of(&db, a.child_page).await.0, "none");
    let events: Vec<(String, String, bool)> =
        sqlx::query_as("select from_status, status, correction from page_mark_events order by id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        events,
        [
            ("none".to_owned(), "requested".to_owned(), false),
            ("requested".into(), "granted".into(), false),
            ("granted".into(), "none".into(), true),
        ]
    );
    let audited = editor
        .count("select count(*) from audit_log where object_type = 'page' and details ? 'after'")
        .await;
    assert_eq!(audited, 3);
}

#[sqlx::test]
async fn who_may_touch_a_page_card(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let card = format!("/r/region-a/pages/{}/card", a.child_page);
    let mut foreign = signed_in(&db, &b.admin).await;
    assert_eq!(foreign.get(&card).await.status, StatusCode::NOT_FOUND);
    // Another region's page id inside one's own region is not found either.
    let mut foreign_editor = signed_in(&db, &b.editor).await;
    assert_eq!(
        foreign_editor
            .post_form(
                &format!("/r/region-b/pages/{}/figures", a.child_page),
                &[("week", &days_ago(7)), ("posts", "3")]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The hospital's page is not the school editor's.
    let mut editor = signed_in(&db, &a.editor).await;
    assert_eq!(
        editor
            .get(&format!("/r/region-a/pages/{}/card", a.other_page))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A coordinator sees the card but does not edit setup or figures.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    coordinator
        .get(&card)
        .await
        .assert_status(StatusCode::OK)
        .assert_lacks("/setup\"");
    for (path, form) in [
        ("setup", vec![("category", "active"), ("connected", "yes")]),
        ("figures", vec![("week", "01.11.2026"), ("posts", "3")]),
        ("checklist", vec![("item_two_factor", "on")]),
    ] {
        assert_eq!(
            coordinator
                .post_form(&format!("/r/region-a/pages/{}/{path}", a.child_page), &form)
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        editor.count("select count(*) from page_snapshots").await,
        0,
        "nothing was written"
    );
}

#[sqlx::test]
async fn the_score_says_why_and_turns_green_when_fixed(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let card = format!("/r/region-a/pages/{}/card", a.child_page);
    let mut editor = signed_in(&db, &a.editor).await;
    // Nothing recorded: the score is unknown, and the card says what to enter.
    editor
        .get(&card)
        .await
        .assert_contains("данных недостаточно")
        .assert_contains("Внесите показатели за прошлую неделю.");
    // Bad figures come back with the input and a message per field.
    let figures = format!("/r/region-a/pages/{}/figures", a.child_page);
    editor
        .post_form(
            &figures,
            &[
                ("week", &days_ago(7)),
                ("followers", "тысяча"),
                ("posts", "-1"),
                ("reach", "700"),
            ],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("value=\"тысяча\"")
        .assert_contains("Введите целое неотрицательное число.");
    editor
        .post_form(
            &figures,
            &[
                ("week", &days_ago(7)),
                ("followers", "1 000"),
                ("posts", "3"),
                ("views", "2400"),
                ("likes", "90"),
                ("comments", "20"),
                ("reposts", "10"),
                ("reach", "750"),
                ("last_post_on", &days_ago(3)),
            ],
        )
        .await
        .assert_redirect(&card);
    editor
        .post_form(
            &format!("/r/region-a/pages/{}/setup", a.child_page),
            &[
                ("category", "active"),
                ("connected", "yes"),
                ("has_avatar", "yes"),
                ("has_cover", "no"),
                ("has_description", "yes"),
                ("has_contacts", "yes"),
                ("widgets", "1"),
                ("comments_open", "yes"),
            ],
        )
        .await
        .assert_redirect(&card);
    // 10 connected + 0 mark + 10 of 20 setup + 5 widgets + 30 activity + 10 reach + 5 post reach
    // (800 views a post ÷ 1000 followers) = 70 of 95 = 74%.
    let page = editor.get(&card).await;
    page.assert_contains("74%")
        .assert_contains("жёлтая зона")
        .assert_contains("Получите госметку")
        .assert_contains("Добавьте аватар, описание и обложку.")
        .assert_contains("<svg class=\"chart\"")
        .assert_contains("Подписчиков было 1000");
    // The pages list shows the mark and the score of every page at a glance.
    editor
        .get("/r/region-a/pages")
        .await
        .assert_contains("light-yellow\">74%</span>");
    // With the mark granted and a cover it is green.
    sqlx::query(
        "update pages set mark_status = 'granted', has_cover = true, widgets = 2 where id = $1",
    )
    .bind(a.child_page)
    .execute(&db)
    .await
    .unwrap();
    editor
        .get(&card)
        .await
        .assert_contains("100%")
        .assert_contains("зелёная зона");
    // The region's weights count: activity worth nothing, the score changes.
    sqlx::query("update region_settings set quota_active = 5 where region_id = $1")
        .bind(a.id)
        .execute(&db)
        .await
        .unwrap();
    editor
        .get(&card)
        .await
        .assert_contains("68%")
        .assert_contains("Публикуйте не реже нормы");
    // The checklist keeps what was ticked.
    editor
        .post_form(
            &format!("/r/region-a/pages/{}/checklist", a.child_page),
            &[
                ("item_two_factor", "on"),
                ("item_topic_set", "on"),
                ("item_bogus", "on"),
            ],
        )
        .await
        .assert_redirect(&card);
    let ticked: Vec<String> = sqlx::query_scalar("select checklist from pages where id = $1")
        .bind(a.child_page)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(ticked, ["two_factor", "topic_set"]);
}

#[sqlx::test]
async fn the_organization_card_shows_each_pages_mark_and_score(db: PgPool) {
    let r = common::region(&db, "altai", 1).await;
    sqlx::query("update pages set mark_status = 'granted' where id = $1")
        .bind(r.child_page)
        .execute(&db)
        .await
        .unwrap();
    let mut app = signed_in(&db, &r.coordinator).await;
    let card = app.get(&format!("/r/altai/orgs/{}", r.child)).await;
    card.assert_status(StatusCode::OK)
        .assert_contains("<th scope=\"col\">Госметка</th>")
        .assert_contains("<td>присвоена</td>")
        .assert_contains("class=\"light light-");
}

#[sqlx::test]
async fn a_page_number_past_the_last_leads_to_the_last_page(db: PgPool) {
    let r = common::region(&db, "altai", 1).await;
    let mut app = signed_in(&db, &r.admin).await;
    for list in ["orgs", "pages", "municipalities", "questions", "audit"] {
        let r = app.get(&format!("/r/altai/{list}?page=99999999999")).await;
        r.assert_status(StatusCode::SEE_OTHER);
        let to = r.location().unwrap();
        assert!(to.ends_with("page=1"), "{list}: {to}");
    }
    let r = app
        .get("/r/altai/dashboard/orgs?flag=obliged&page=500")
        .await;
    assert!(
        r.location().unwrap().ends_with("page=1"),
        "{:?}",
        r.location()
    );
}
