//! Residents' questions from the public site: the form on a card, its protections, the
//! question in the organization's inbox with a working deadline, and the private status link.

mod common;

use axum::http::StatusCode;
use common::smtp::{decoded_body, smtp_sink};
use common::{RegionFixture, TestApp, answer_rev, region};
use gospublic::config::Settings;
use gospublic::mail::MailSettings;
use sqlx::PgPool;

const TEXT: &str = "Когда откроется запись в первый класс на следующий год?";

fn ask_url(r: &RegionFixture, org: i64) -> String {
    format!("/r/{}/directory/{org}/ask", r.slug)
}

async fn ask(app: &mut TestApp, url: &str, fields: &[(&str, &str)]) -> common::TestResponse {
    app.get(url).await.assert_status(StatusCode::OK);
    app.post_form(url, fields).await
}

fn good(contact: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", "Мария Петрова"),
        ("contact", contact),
        ("text", TEXT),
        ("category", "Образование"),
        ("consent", "yes"),
        ("website", ""),
    ]
}

/// The status link from the confirmation page, as a path.
fn status_path(body: &str) -> String {
    let at = body.find("/q/").expect("a status link");
    let start = body[..at].rfind("/r/").unwrap();
    body[start..at + 3 + 64].to_owned()
}

#[sqlx::test]
async fn a_resident_asks_a_school_and_reads_the_answer_through_the_link(db: PgPool) {
    let a = region(&db, "region-a", 1).await;
    let (port, mailbox) = smtp_sink().await;
    let relay = MailSettings {
        host: "127.0.0.1".into(),
        port,
        from: "noreply@gospublic.example".into(),
    };
    let settings = Settings {
        mail: Some(relay.clone()),
        ..Settings::for_tests()
    };
    let mut resident = TestApp::with_settings(db.clone(), settings);
    let card = resident
        .get(&format!("/r/{}/directory/{}", a.slug, a.child))
        .await;
    card.assert_status(StatusCode::OK)
        .assert_contains(&ask_url(&a, a.child));
    let form = resident.get(&ask_url(&a, a.child)).await;
    form.assert_status(StatusCode::OK).assert_contains("152-ФЗ");
    assert_eq!(form.headers["cache-control"], "no-store");
    let sent = resident
        .post_form(&ask_url(&a, a.child), &good("maria@example.ru"))
        .await;
    sent.assert_status(StatusCode::OK)
        .assert_contains("Ссылка отправлена на maria@example.ru");
    assert_eq!(sent.headers["cache-control"], "no-store");
    let path = status_path(&sent.body);

    // In the school's inbox, from the form, with deadlines by the region's rules.
    let (id, org, channel, contact, fr_due_later, final_later): (
        i64,
        i64,
        String,
        String,
        bool,
        bool,
    ) = sqlx::query_as(
        "select id, organization_id, channel, author_contact, first_response_due > received_at,
                    final_due > first_response_due from questions",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (
            org,
            channel.as_str(),
            contact.as_str(),
            fr_due_later,
            final_later
        ),
        (a.child, "form", "maria@example.ru", true, true)
    );
    let (consent, consented_recently): (String, bool) = sqlx::query_as(
        "select consent_text, consent_at > now() - interval '1 minute' from resident_submissions",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(consent.contains("152-ФЗ") && consent.contains("Школа № 1 региона 1"));
    assert!(consented_recently);
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get(&format!("/r/{}/questions", a.slug))
        .await
        .assert_contains(TEXT);
    editor
        .get(&format!("/r/{}/questions/{id}", a.slug))
        .await
        .assert_contains("форма на сайте")
        .assert_contains("Согласие на обработку ПДн")
        .assert_contains("152-ФЗ")
        .assert_contains("действует: житель видит состояние");

    // The letter carries the same link.
    let mail = mailbox.lock().unwrap().clone();
    assert_eq!(mail.len(), 1);
    assert!(
        decoded_body(&mail[0]).contains(&path),
        "{}",
        decoded_body(&mail[0])
    );

    let status = resident.get(&path).await;
    status
        .assert_status(StatusCode::OK)
        .assert_contains("Получен, ждёт рассмотрения")
        .assert_contains(TEXT);
    assert_eq!(status.headers["cache-control"], "no-store");

    // The school works on it: an internal note, an interim answer, a final one.
    let url = format!("/r/{}/questions/{id}", a.slug);
    editor.get(&url).await;
    editor
        .post_form(
            &format!("{url}/note"),
            &[("text", "СЛУЖЕБНО: уточнить у завуча")],
        )
        .await
        .assert_redirect(&url);
    for (kind, text) in [
        ("interim", "Уточняем график приёма документов."),
        ("final", "Запись откроется 1 апреля на портале госуслуг."),
    ] {
        let page = editor.get(&url).await;
        let rev = answer_rev(&page.body);
        editor
            .post_form(
                &format!("{url}/answer"),
                &[("kind", kind), ("answer_rev", &rev), ("text", text)],
            )
            .await
            .assert_redirect(&url);
    }
    // Each answer also went back by letter to the address the resident gave, once.
    assert_eq!(
        gospublic::public_questions::letters::send_due(&db, &relay)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        gospublic::public_questions::letters::send_due(&db, &relay)
            .await
            .unwrap(),
        0
    );
    let letters: Vec<String> = mailbox.lock().unwrap()[1..]
        .iter()
        .map(|m| decoded_body(m))
        .collect();
    assert_eq!(letters.len(), 2);
    assert!(
        letters[0].contains("Уточняем график приёма документов."),
        "{}",
        letters[0]
    );
    assert!(letters[1].contains("Запись откроется 1 апреля на портале госуслуг."));
    assert!(letters[1].contains("Школа № 1 региона 1"));
    assert!(!letters[1].contains("СЛУЖЕБНО"));
    let internal = editor.get(&url).await.body;
    let status = resident.get(&path).await;
    status
        .assert_contains("Дан ответ")
        .assert_contains("Уточняем график приёма документов.")
        .assert_contains("Запись откроется 1 апреля на портале госуслуг.");
    // Nothing the internal screen shows beyond the answers: no note, no one who worked on
    // it, no contact.
    for private in [
        "СЛУЖЕБНО: уточнить у завуча",
        "Пользователь editor@region-a.example",
    ] {
        assert!(
            internal.contains(private),
            "the internal screen shows {private}"
        );
        status.assert_lacks(private);
    }
    // Nor the resident's own name and contact: a link passed on shows no one's data.
    status
        .assert_lacks("maria@example.ru")
        .assert_lacks("Мария Петрова")
        .assert_lacks("editor@region-a.example");
}

#[sqlx::test]
async fn a_refused_form_says_why_and_keeps_what_was_typed(db: PgPool) {
    let a = region(&db, "region-a", 1).await;
    let url = ask_url(&a, a.child);
    let mut resident = TestApp::new(db.clone());
    // Without consent, with a broken contact: each field says what is wrong, the text stays.
    let res = ask(
        &mut resident,
        &url,
        &[
            ("name", "Мария"),
            ("contact", "позвоните мне"),
            ("text", TEXT),
            ("category", "Образование"),
            ("website", ""),
        ],
    )
    .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Без согласия на обработку персональных данных")
        .assert_contains("Укажите электронную почту")
        .assert_contains(TEXT)
        .assert_contains("value=\"позвоните мне\"");
    // A robot fills the hidden field: refused, and the field comes back empty.
    let mut robot = good("+7 913 000-00-01");
    robot.retain(|(k, _)| *k != "website");
    robot.push(("website", "http://spam.example"));
    let res = resident.post_form(&url, &robot).await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("не так, как её заполняет человек")
        .assert_contains(TEXT)
        .assert_lacks("spam.example");
    assert_eq!(resident.count("select count(*) from questions").await, 0);

    // Sent sooner than a person types: refused with the text kept; later it goes through.
    let slow = Settings {
        form_min_fill: std::time::Duration::from_secs(1),
        ..Settings::for_tests()
    };
    let mut hurried = TestApp::with_settings(db.clone(), slow);
    let res = ask(&mut hurried, &url, &good("+7 913 000-00-01")).await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("слишком быстро")
        .assert_contains(TEXT);
    assert_eq!(hurried.count("select count(*) from questions").await, 0);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    hurried
        .post_form(&url, &good("+7 913 000-00-01"))
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Сохраните ссылку сейчас");
    assert_eq!(hurried.count("select count(*) from questions").await, 1);
}

#[sqlx::test]
async fn one_address_and_one_contact_can_send_only_so_many(db: PgPool) {
    let a = region(&db, "region-a", 1).await;
    let url = ask_url(&a, a.child);
    let mut resident = TestApp::new(db.clone());
    resident.get(&url).await;
    for i in 0..10 {
        let contact = format!("neighbour{i}@example.ru");
        resident
            .post_form(&url, &good(&contact))
            .await
            .assert_status(StatusCode::OK);
    }
    let res = resident.post_form(&url, &good("eleventh@example.ru")).await;
    res.assert_status(StatusCode::TOO_MANY_REQUESTS)
        .assert_contains("Попробуйте позже")
        .assert_contains(TEXT);
    assert_eq!(resident.count("select count(*) from questions").await, 10);

    // One contact from many addresses: five a day.
    for i in 0..6 {
        let mut elsewhere = resident.fresh_browser();
        elsewhere.peer = format!("198.51.100.{i}:5000").parse().unwrap();
        let res = ask(&mut elsewhere, &url, &good("8 (913) 555-00-00")).await;
        let expected = if i < 5 {
            StatusCode::OK
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        res.assert_status(expected);
    }
    // The same number however typed.
    let mut another = resident.fresh_browser();
    another.peer = "198.51.100.77:5000".parse().unwrap();
    ask(&mut another, &url, &good("+79135550000"))
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resident.count("select count(*) from questions").await, 15);
    // Only hashes are kept.
    assert_eq!(
        resident
            .count("select count(*) from submission_limits where key like '%198.51%' or key like '%913%'")
            .await,
        0
    );
}

#[sqlx::test]
async fn the_link_follows_a_transfer_takes_a_reply_and_can_be_turned_off(db: PgPool) {
    let a = region(&db, "region-a", 1).await;
    let b = region(&db, "region-b", 2).await;
    let mut resident = TestApp::new(db.clone());
    let sent = ask(
        &mut resident,
        &ask_url(&a, a.child),
        &good("+7 913 000-00-02"),
    )
    .await;
    let path = status_path(&sent.body);
    let token = path.rsplit('/').next().unwrap().to_owned();
    let id: i64 = sqlx::query_scalar("select id from questions")
        .fetch_one(&db)
        .await
        .unwrap();

    // Another region's address with this token finds nothing.
    resident
        .get(&format!("/r/{}/q/{token}", b.slug))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    resident
        .get(&format!("/r/{}/q/{}", a.slug, "0".repeat(64)))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // The school asks for details: the resident sees the request and answers it.
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    let url = format!("/r/{}/questions/{id}", a.slug);
    editor.get(&url).await;
    editor
        .post_form(
            &format!("{url}/pause"),
            &[("text", "Уточните, в какую школу по прописке.")],
        )
        .await
        .assert_redirect(&url);
    // A resident who left a phone gets no letter: the request waits at the link.
    assert_eq!(
        resident
            .count("select count(*) from resident_letters")
            .await,
        0
    );
    let status = resident.get(&path).await;
    status
        .assert_contains("Организация просит уточнить вопрос")
        .assert_contains("Уточните, в какую школу по прописке.");
    resident
        .post_form(&path, &[("text", "  ")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    resident
        .post_form(&path, &[("text", "Прописаны на улице Мира, 5.")])
        .await
        .assert_redirect(&path);
    let paused: bool = sqlx::query_scalar("select paused_at is not null from questions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(!paused, "the resident's reply resumes the clock");
    resident
        .get(&path)
        .await
        .assert_contains("В работе")
        .assert_contains("Прописаны на улице Мира, 5.");
    editor
        .get(&url)
        .await
        .assert_contains("Прописаны на улице Мира, 5.");

    // Passed to the right organization: the link names it and where it came from.
    let admin_app = &mut TestApp::new(db.clone());
    admin_app.login(&a.admin).await;
    admin_app.get(&url).await;
    admin_app
        .post_form(
            &format!("{url}/transfer"),
            &[
                ("organization_id", &a.other.to_string()),
                ("text", "Запись ведёт другая организация"),
            ],
        )
        .await
        .assert_redirect(&url);
    resident
        .get(&path)
        .await
        .assert_contains("Больница региона 1")
        .assert_contains("передан из «Школа № 1 региона 1»");

    // Turned off: the link opens nothing, and turning it off again is not found.
    resident.get(&path).await;
    resident
        .post_form(&format!("{path}/revoke"), &[])
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Ссылка отключена");
    resident
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    resident
        .post_form(&format!("{path}/revoke"), &[])
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // The question itself stays with the organization, which sees the link is off.
    assert_eq!(resident.count("select count(*) from questions").await, 1);
    admin_app
        .get(&url)
        .await
        .assert_contains("отключена жителем");
}

#[sqlx::test]
async fn only_a_listed_organization_of_the_region_can_be_asked(db: PgPool) {
    let a = region(&db, "region-a", 1).await;
    let b = region(&db, "region-b", 2).await;
    let mut resident = TestApp::new(db.clone());
    resident
        .get(&ask_url(&a, b.child))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    sqlx::query("update organizations set archived_at = now() where id = $1")
        .bind(a.other)
        .execute(&db)
        .await
        .unwrap();
    resident
        .get(&ask_url(&a, a.other))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // A post to another region's organization files nothing.
    resident.get(&ask_url(&a, a.child)).await;
    resident
        .post_form(&ask_url(&a, b.child), &good("+7 913 000-00-03"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(resident.count("select count(*) from questions").await, 0);
}
