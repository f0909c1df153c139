//! Journeys in a real browser, with an accessibility check on every screen they pass.
mod browser;
mod common;

use anyhow::{Context, ensure};
use browser::{journey, journey_with};
use common::{PASSWORD, operator, two_regions};
use sqlx::PgPool;

#[sqlx::test]
async fn each_role_signs_in_and_lands_on_its_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let op = operator(&db).await;
    let cases = vec![
        (
            a.admin.clone(),
            "/r/region-a".to_owned(),
            "Администрирование",
        ),
        (a.coordinator.clone(), "/r/region-a".to_owned(), "Обзор"),
        (
            a.municipal_coordinator.clone(),
            "/r/region-a".to_owned(),
            "Первый район 1",
        ),
        (
            a.editor.clone(),
            "/r/region-a/questions".to_owned(),
            "Обращения жителей",
        ),
        (op, "/operator/regions".to_owned(), "Регионы"),
    ];
    journey(db, "roles", async |b| {
        // Anonymous visitors land on the public entry; «Войти» leads to sign-in.
        b.visit("/").await?;
        ensure!(b.path().await? == "/", "the public entry stays at /");
        b.expect_text("Регионы").await?;
        b.check_accessibility().await?;
        b.click_link("Войти").await?;
        ensure!(b.path().await? == "/login", "«Войти» goes to sign-in");
        b.check_accessibility().await?;
        for (email, landing, text) in &cases {
            b.sign_in(email, PASSWORD).await?;
            let path = b.path().await?;
            ensure!(
                &path == landing,
                "{email} landed on {path}, expected {landing}"
            );
            b.expect_text(text).await?;
            b.check_accessibility().await?;
            b.sign_out().await?;
            ensure!(b.path().await? == "/login", "sign-out returns to sign-in");
        }
        // A wrong password keeps the email and says so.
        b.visit("/login").await?;
        b.fill("email", "admin@region-a.example").await?;
        b.fill("password", "wrong password").await?;
        b.submit().await?;
        b.expect_text("Неверная электронная почта или пароль.")
            .await?;
        ensure!(b.value_of("email").await? == "admin@region-a.example");
        b.check_accessibility().await
    })
    .await;
}

#[sqlx::test]
async fn admin_creates_an_organization_and_a_page_through_a_form_error(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let municipality = a.municipality.to_string();
    journey(db, "admin-creates", async |b| {
        b.sign_in(&a.admin, PASSWORD).await?;
        b.click_link("Организации").await?;
        b.check_accessibility().await?;
        b.click_link("Добавить организацию").await?;
        b.check_accessibility().await?;
        b.fill("name", "МБОУ «Гимназия № 5»").await?;
        b.fill("inn", "2225066622").await?;
        b.fill("ogrn", "1022200918376").await?;
        b.choose("level", "municipal_institution").await?;
        b.choose("municipality_id", &municipality).await?;
        b.submit().await?;
        b.expect_text("Контрольная цифра ИНН не сходится").await?;
        ensure!(
            b.value_of("name").await? == "МБОУ «Гимназия № 5»",
            "the name is kept"
        );
        ensure!(
            b.value_of("municipality_id").await? == municipality,
            "the municipality is kept"
        );
        b.check_accessibility().await?;
        b.fill("inn", "2225066621").await?;
        b.submit().await?;
        b.expect_text("Организация добавлена.").await?;
        b.expect_text("Первый район 1").await?;
        b.check_accessibility().await?;
        b.click_link("Добавить страницу").await?;
        b.choose("platform", "vk").await?;
        b.fill("url", "https://m.vk.com/school1").await?;
        b.submit().await?;
        b.expect_text("Эта страница уже зарегистрирована за организацией «Школа № 1 региона 1».")
            .await?;
        ensure!(b.value_of("url").await? == "https://m.vk.com/school1");
        b.check_accessibility().await?;
        b.fill("url", "https://vk.com/public5550555").await?;
        b.submit().await?;
        b.expect_text("Страница добавлена.").await?;
        b.expect_text("https://vk.com/club5550555").await?;
        b.check_accessibility().await
    })
    .await;
}

#[sqlx::test]
async fn the_language_switch_sticks(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    journey(db, "language", async |b| {
        b.visit("/login").await?;
        b.expect_text("Вход").await?;
        b.click_link("English").await?;
        ensure!(b.path().await? == "/login");
        b.expect_text("Sign in").await?;
        b.sign_in(&a.admin, PASSWORD).await?;
        b.expect_text("Administration").await?;
        b.click_link("Organizations").await?;
        b.expect_text("State institution").await?;
        b.check_accessibility().await?;
        b.click_link("Русский").await?;
        b.expect_text("Организации").await?;
        b.visit("/r/region-a").await?;
        b.expect_text("Администрирование").await
    })
    .await;
}

#[sqlx::test]
async fn main_screens_pass_the_accessibility_check(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let op = operator(&db).await;
    let admin_screens = vec![
        "/r/region-a/orgs".to_owned(),
        format!("/r/region-a/orgs/{}", a.founder),
        format!("/r/region-a/orgs/{}/edit", a.child),
        format!("/r/region-a/orgs/{}/pages/new", a.child),
        format!("/r/region-a/pages/{}", a.child_page),
        "/r/region-a/pages".to_owned(),
        "/r/region-a/municipalities".to_owned(),
        format!("/r/region-a/municipalities/{}", a.municipality),
        "/r/region-a/sectors".to_owned(),
        "/r/region-a/people".to_owned(),
        "/account/password".to_owned(),
        "/r/region-a/imports".to_owned(),
        "/r/region-a/audit".to_owned(),
        "/r/region-a/settings".to_owned(),
        format!("/r/region-a/pages/{}/card", a.child_page),
        "/r/region-a/dashboard?sort=covered".to_owned(),
        "/r/region-a/dashboard/orgs?flag=no_page".to_owned(),
        "/r/region-a/dashboard/pages?flag=no_mark".to_owned(),
        "/r/region-a/dashboard/digest".to_owned(),
        format!(
            "/r/region-a/dashboard?municipality={}&sector={}&platform=vk&days=30",
            a.municipality, a.sector
        ),
        format!("/r/region-a/dashboard/org/{}?days=30", a.child),
        "/r/region-a/nowhere".to_owned(),
    ];
    // A page with a few weeks of figures, so the card shows its charts.
    sqlx::query(
        r#"insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on, source)
           select $1, $2, date_trunc('week', now())::date - 7 * g, 1000 - 10 * g, 3 + g % 3, 3000, 90, 10, 5, 700,
                  date_trunc('week', now())::date - 7 * g + 3, 'manual'
           from generate_series(1, 8) g"#,
    )
    .bind(a.id)
    .bind(a.child_page)
    .execute(&db)
    .await
    .unwrap();
    journey(db, "accessibility", async |b| {
        b.sign_in(&a.admin, PASSWORD).await?;
        for screen in &admin_screens {
            b.visit(screen).await?;
            b.check_accessibility().await?;
        }
        // The scope switcher opened.
        b.sign_out().await?;
        b.sign_in(&op, PASSWORD).await?;
        for screen in [
            "/operator/regions",
            "/operator/regions/new",
            "/operator/overview",
        ] {
            b.visit(screen).await?;
            b.check_accessibility().await?;
        }
        b.visit("/operator/regions/new").await?;
        b.fill("name", "Тестовый край").await?;
        b.fill("slug", "x").await?;
        b.submit().await?;
        b.expect_text("строчная латиница").await?;
        b.check_accessibility().await
    })
    .await;
}

#[sqlx::test]
async fn admin_imports_a_registry_file_and_applies_it(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let file = format!(
        "{}/tests/fixtures/organizations-cp1251-semicolon.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    journey(db, "import", async |b| {
        b.sign_in(&a.admin, PASSWORD).await?;
        b.click_link("Загрузка реестра").await?;
        b.check_accessibility().await?;
        b.choose("kind", "organizations").await?;
        b.client
            .find(fantoccini::Locator::Css("input[type=file]"))
            .await?
            .send_keys(&file)
            .await?;
        b.submit().await?;
        b.expect_text("Будет создано").await?;
        b.expect_text("Ошибок нет").await?;
        b.check_accessibility().await?;
        b.submit().await?;
        b.expect_text("Изменения внесены.").await?;
        b.check_accessibility().await?;
        b.click_link("Организации").await?;
        b.expect_text("Гимназия № 2").await
    })
    .await;
}

#[sqlx::test]
async fn an_editor_works_the_mornings_questions_from_the_inbox(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let late = common::question(&db, a.id, a.child, Some(a.child_page), 24 * 10, "normal").await;
    let fresh = common::question(&db, a.id, a.child, None, 0, "urgent").await;
    let hospital = common::question(&db, a.id, a.other, None, 0, "normal").await;
    sqlx::query("insert into answer_templates (region_id, title, body) values ($1, 'Благодарность', 'Спасибо за обращение!')")
        .bind(a.id)
        .execute(&db)
        .await
        .unwrap();
    let coordinator = a.coordinator.clone();
    journey(db, "questions", async |b| {
        b.sign_in(&a.editor, PASSWORD).await?;
        ensure!(
            b.path().await? == "/r/region-a/questions",
            "the editor starts in the inbox"
        );
        let text = b.text().await?;
        ensure!(text.contains(&format!("#{late}")) && text.contains(&format!("#{fresh}")));
        ensure!(
            !text.contains(&format!("#{hospital}")),
            "another organization's question is not here"
        );
        b.expect_text("просрочено").await?;
        b.check_accessibility().await?;
        b.click_link(&format!("#{late}")).await?;
        b.check_accessibility().await?;
        b.press("Взять себе").await?;
        b.expect_text("Исполнитель назначен.").await?;
        // An empty answer comes back with a message; the template goes into the composer.
        b.press("Ответить по существу").await?;
        b.expect_text("Заполните это поле.").await?;
        b.check_accessibility().await?;
        b.fill_at("#f-answer-text", "Добрый день.").await?;
        b.press("Вставить шаблон").await?;
        ensure!(
            b.value_of("text")
                .await?
                .contains("Добрый день.\n\nСпасибо за обращение!"),
            "the template is appended to what was typed"
        );
        b.press("Ответить по существу").await?;
        b.expect_text("Ответ опубликован.").await?;
        b.press("Закрыть обращение").await?;
        b.expect_text("Обращение закрыто.").await?;
        b.check_accessibility().await?;
        // The urgent one was misaddressed: it goes to the hospital.
        b.visit(&format!("/r/region-a/questions/{fresh}?find=Больница"))
            .await?;
        b.click_at("label[for^=\"f-org-\"]").await?;
        b.fill_at("#f-transfer-text", "Вопрос о работе больницы")
            .await?;
        b.check_accessibility().await?;
        b.press("Передать").await?;
        b.expect_text("Обращение передано.").await?;
        b.expect_text("Больница региона 1").await?;
        b.visit("/r/region-a/questions/new").await?;
        b.check_accessibility().await?;
        b.visit("/r/region-a/answer-templates").await?;
        b.check_accessibility().await?;
        b.sign_out().await?;
        // The coordinator sees who is late.
        b.sign_in(&coordinator, PASSWORD).await?;
        b.visit("/r/region-a/questions/overdue").await?;
        b.expect_text("Просроченные обращения").await?;
        b.check_accessibility().await?;
        b.visit("/r/region-a/questions").await?;
        b.check_accessibility().await
    })
    .await;
}

#[sqlx::test]
async fn the_editors_screens_and_the_glance_fit_a_phone(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let question = common::question(&db, a.id, a.child, Some(a.child_page), 30, "urgent").await;
    sqlx::query(
        r#"insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on, source)
           select $1, $2, date_trunc('week', now())::date - 7 * g, 1000 - 10 * g, 3 + g % 3, 3000, 90, 10, 5, 700,
                  date_trunc('week', now())::date - 7 * g + 3, 'manual'
           from generate_series(1, 8) g"#,
    )
    .bind(a.id)
    .bind(a.child_page)
    .execute(&db)
    .await
    .unwrap();
    journey(db, "phone", async |b| {
        // The coordinator's first screen at a desktop size: coverage, who is behind and the
        // answers headline are all above the fold.
        b.sign_in(&a.coordinator, PASSWORD).await?;
        b.visit("/r/region-a/dashboard").await?;
        let (top, height) = b.top_of("#glance-end").await?;
        ensure!(
            top <= height,
            "the glance ends at {top} px, below the first screen of {height} px"
        );
        b.check_accessibility().await?;
        b.sign_out().await?;

        b.resize(360, 740).await?;
        b.sign_in(&a.editor, PASSWORD).await?;
        for screen in [
            "/r/region-a/questions".to_owned(),
            format!("/r/region-a/questions/{question}"),
            format!("/r/region-a/pages/{}/card", a.child_page),
            format!("/r/region-a/orgs/{}", a.child),
        ] {
            b.visit(&screen).await?;
            let (scroll, inner) = b.widths().await?;
            ensure!(
                scroll <= inner,
                "{screen} is {scroll} px wide in a {inner} px window"
            );
            b.check_accessibility().await?;
        }
        b.sign_out().await?;
        b.sign_in(&a.coordinator, PASSWORD).await?;
        b.visit("/r/region-a/dashboard").await?;
        let (scroll, inner) = b.widths().await?;
        ensure!(
            scroll <= inner,
            "the dashboard is {scroll} px wide in a {inner} px window"
        );
        Ok(())
    })
    .await;
}

#[sqlx::test]
async fn a_form_refused_for_pasted_control_characters_comes_back_as_typed(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    journey(db, "hostile-paste", async |b| {
        b.sign_in(&a.admin, PASSWORD).await?;
        b.visit("/r/region-a/orgs/new").await?;
        b.fill("inn", "2225066621").await?;
        b.fill("ogrn", "1022200918376").await?;
        b.paste("name", "МБОУ «Гимназия № 5»\u{0}").await?;
        b.submit().await?;
        b.expect_text("Недопустимые символы в форме").await?;
        b.expect_text("«name»").await?;
        b.check_accessibility().await?;
        b.press("Вернуться к форме").await?;
        ensure!(
            b.path().await? == "/r/region-a/orgs/new",
            "back at {}",
            b.path().await?
        );
        ensure!(
            b.value_of("inn").await? == "2225066621",
            "the INN typed is still there"
        );
        ensure!(
            b.value_of("name").await?.starts_with("МБОУ «Гимназия № 5»"),
            "the name pasted is still there"
        );
        Ok(())
    })
    .await;
}

/// The whole way of a resident's comment: the admin connects the page on its card, a comment
/// arrives through the webhook, the editor answers it from the inbox, and the answer appears
/// under the comment on VK (played by a local server).
#[sqlx::test]
async fn a_vk_comment_is_answered_from_the_inbox_and_delivered(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let platforms = common::platforms::Platforms::start().await;
    let settings = platforms.settings();
    let comment = std::fs::read_to_string(format!(
        "{}/tests/fixtures/vk/wall_reply_new.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("DATE", &(chrono::Utc::now().timestamp() - 60).to_string());
    let published = platforms.clone();
    let pool = db.clone();
    journey_with(db, settings, "channels", async |b| {
        b.sign_in(&a.admin, PASSWORD).await?;
        b.visit(&format!("/r/region-a/pages/{}/card", a.child_page))
            .await?;
        b.click_link("Подключение к площадке").await?;
        b.check_accessibility().await?;
        b.fill("group_id", "club218000001").await?;
        b.fill("confirmation", "a1b2c3d4").await?;
        b.fill("secret", "s3cret-from-vk").await?;
        b.fill("token", "vk1.a.community-token").await?;
        b.press("Подключить").await?;
        b.expect_text("Страница подключена.").await?;
        b.check_accessibility().await?;
        let text = b.text().await?;
        let hook = text
            .split_whitespace()
            .find(|w| w.contains("/hooks/vk/"))
            .ok_or_else(|| anyhow::anyhow!("no webhook address shown:\n{text}"))?;
        let path = &hook[hook.find("/hooks/").unwrap()..];
        ensure!(
            !text.contains("vk1.a.community-token"),
            "the token is never shown"
        );
        b.sign_out().await?;

        // VK delivers a resident's comment.
        let answer = reqwest::Client::new()
            .post(format!("{}{path}", b.base))
            .header("content-type", "application/json")
            .body(comment.clone())
            .send()
            .await?;
        ensure!(answer.status() == 200 && answer.text().await? == "ok");

        b.sign_in(&a.editor, PASSWORD).await?;
        let mut found = false;
        for _ in 0..40 {
            b.visit("/r/region-a/questions").await?;
            if b.text()
                .await?
                .contains("Когда во дворе школы починят освещение?")
            {
                found = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        ensure!(found, "the comment reached the inbox within 10 s");
        b.expect_text("Срок").await?;
        let id: i64 = sqlx::query_scalar("select id from questions")
            .fetch_one(&pool)
            .await?;
        b.visit(&format!("/r/region-a/questions/{id}")).await?;
        b.expect_text("Открыть на площадке").await?;
        b.fill_at("#f-answer-text", "Освещение починят до пятницы.")
            .await?;
        b.press("Ответить по существу").await?;
        b.expect_text("Ответ опубликован.").await?;
        let question = b.path().await?;
        let mut delivered = false;
        for _ in 0..40 {
            b.visit(&question).await?;
            if b.text().await?.contains("доставлено") {
                delivered = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        ensure!(delivered, "the answer was delivered within 10 s");
        b.expect_text("Ответ доставлен на площадку").await?;
        b.check_accessibility().await?;
        let sent = published.published();
        ensure!(sent.len() == 1, "published once: {sent:?}");
        ensure!(sent[0].text == "Освещение починят до пятницы." && sent[0].reply_to == "4512");
        Ok(())
    })
    .await;
}

#[sqlx::test]
async fn a_resident_finds_the_real_page_of_their_school_on_a_phone(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    sqlx::query(
        "update organizations set address = 'г. Барнаул, ул. Ленина, 5', phone = '+7 3852 00-00-00' where id = $1",
    )
    .bind(a.child)
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "update pages set mark_status = 'granted', mark_since = date '2025-03-14' where id = $1",
    )
    .bind(a.child_page)
    .execute(&db)
    .await
    .unwrap();
    journey(db, "resident", async |b| {
        b.resize(360, 740).await?;
        let fits = async |what: &str| -> anyhow::Result<()> {
            let (scroll, inner) = b.widths().await?;
            ensure!(
                scroll <= inner,
                "{what} is {scroll} px wide in a {inner} px window"
            );
            b.check_accessibility().await
        };
        b.visit("/").await?;
        fits("the entry").await?;
        b.click_link("Регион region-a").await?;
        b.fill("q", "школа ленина").await?;
        b.press("Найти").await?;
        fits("the results").await?;
        b.click_link("Школа № 1 региона 1").await?;
        b.expect_text("Проверенная страница").await?;
        b.expect_text("г. Барнаул, ул. Ленина, 5").await?;
        fits("the card").await?;
        b.visit("/r/region-a/check").await?;
        b.fill("url", "https://m.vk.com/school1").await?;
        b.press("Проверить").await?;
        b.expect_text("Это официальная страница организации")
            .await?;
        fits("the check").await?;
        b.visit("/r/region-a/summary").await?;
        fits("the summary").await?;
        b.visit("/r/region-a/opendata").await?;
        fits("the open data passport").await
    })
    .await;
}

#[sqlx::test]
async fn a_resident_asks_their_school_and_reads_the_answer_on_a_phone(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let staff = db.clone();
    journey(db, "asking", async |b| {
        b.resize(360, 740).await?;
        let fits = async |what: &str| -> anyhow::Result<()> {
            let (scroll, inner) = b.widths().await?;
            ensure!(
                scroll <= inner,
                "{what} is {scroll} px wide in a {inner} px window"
            );
            b.check_accessibility().await
        };
        b.visit(&format!("/r/region-a/directory/{}", a.child))
            .await?;
        b.click_link("Задать вопрос").await?;
        fits("the question form").await?;
        // Sent without consent: told so, and nothing typed is lost.
        b.fill("name", "Мария Петрова").await?;
        b.fill("contact", "+7 913 000-00-01").await?;
        b.choose("category", "Образование").await?;
        b.fill("text", "Когда откроется запись в первый класс?")
            .await?;
        b.press("Отправить вопрос").await?;
        b.expect_text("Без согласия на обработку персональных данных")
            .await?;
        fits("the refused form").await?;
        ensure!(
            b.value_of("text").await? == "Когда откроется запись в первый класс?",
            "the text was kept"
        );
        b.click_at("#f-consent").await?;
        b.press("Отправить вопрос").await?;
        b.expect_text("Вопрос отправлен").await?;
        fits("the confirmation").await?;
        let text = b.text().await?;
        let at = text.find("/r/region-a/q/").context("a status link")?;
        let path = text[at..at + "/r/region-a/q/".len() + 64].to_owned();

        // The school answers from its inbox.
        let id: i64 = sqlx::query_scalar("select id from questions")
            .fetch_one(&staff)
            .await?;
        let mut editor = common::TestApp::new(staff.clone());
        editor.login(&a.editor).await;
        let url = format!("/r/region-a/questions/{id}");
        let rev = common::answer_rev(&editor.get(&url).await.body);
        editor
            .post_form(
                &format!("{url}/answer"),
                &[
                    ("kind", "final"),
                    ("answer_rev", &rev),
                    ("text", "Запись откроется 1 апреля."),
                ],
            )
            .await
            .assert_redirect(&url);

        b.visit(&path).await?;
        b.expect_text("Дан ответ").await?;
        b.expect_text("Запись откроется 1 апреля.").await?;
        fits("the status link").await
    })
    .await;
}

#[sqlx::test]
async fn an_admin_opens_a_contest_and_a_resident_votes_on_a_phone(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let clock = db.clone();
    journey(db, "contest", async |b| {
        let tz: chrono_tz::Tz = "Asia/Barnaul".parse()?;
        let local = |minutes: i64| {
            (chrono::Utc::now() + chrono::Duration::minutes(minutes))
                .with_timezone(&tz)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        b.sign_in(&a.admin, PASSWORD).await?;
        b.visit("/r/region-a/contest-admin").await?;
        b.check_accessibility().await?;
        b.fill("title", "Лучшая страница школы").await?;
        b.paste("starts", &local(3)).await?;
        b.paste("ends", &local(600)).await?;
        b.press("Создать конкурс").await?;
        b.expect_text("Конкурс создан").await?;
        b.fill("title", "Школы").await?;
        b.fill("pages", "https://vk.com/school1\nhttps://vk.com/hospital1")
            .await?;
        b.press("Добавить номинацию").await?;
        b.expect_text("Номинация добавлена, участников: 2").await?;
        b.check_accessibility().await?;
        let contest = b
            .path()
            .await?
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        b.sign_out().await?;
        // The voting opens.
        sqlx::query("update contests set voting_starts_at = now() - interval '1 second'")
            .execute(&clock)
            .await?;

        b.resize(360, 740).await?;
        b.visit("/r/region-a/contests").await?;
        b.click_link("Лучшая страница школы").await?;
        ensure!(b.path().await? == format!("/r/region-a/contests/{contest}"));
        let (scroll, inner) = b.widths().await?;
        ensure!(
            scroll <= inner,
            "the contest is {scroll} px wide in {inner}"
        );
        b.check_accessibility().await?;
        b.click_at(&format!("input[name=\"page\"][value=\"{}\"]", a.child_page))
            .await?;
        b.press("Проголосовать").await?;
        b.expect_text("Спасибо! Ваш голос учтён.").await?;
        b.expect_text("ваш выбор").await?;
        b.check_accessibility().await
    })
    .await;
}
