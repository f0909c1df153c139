//! Citizen questions through HTTP: filing, every transition (and the forbidden ones), who
//! sees what, deadlines in working time, conflicts, contacts and the housekeeping jobs.
mod common;

use axum::http::StatusCode;
use common::{RegionFixture, TestApp, answer_rev, question, two_regions};
use sqlx::PgPool;

async fn status_of(db: &PgPool, id: i64) -> String {
    sqlx::query_scalar("select status from questions where id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn signed_in(db: &PgPool, email: &str) -> TestApp {
    let mut app = TestApp::new(db.clone());
    app.login(email).await;
    app
}

async fn event_kinds(db: &PgPool, id: i64) -> Vec<String> {
    sqlx::query_scalar("select kind from question_events where question_id = $1 order by at, id")
        .bind(id)
        .fetch_all(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn an_editor_files_a_question_and_bad_input_comes_back_whole(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut editor = signed_in(&db, &a.editor).await;
    editor
        .get("/r/region-a/questions/new")
        .await
        .assert_status(StatusCode::OK);
    let page = a.child_page.to_string();
    let child = a.child.to_string();
    let mut form = vec![
        ("organization_id", child.as_str()),
        ("page_id", page.as_str()),
        ("channel", "comment"),
        ("external_id", "wall-1_77"),
        ("author_name", "Мария"),
        ("author_contact", "maria@example.org"),
        ("body", "Во дворе не убран снег"),
        ("attachments", "не ссылка"),
        ("category", "Благоустройство"),
        ("priority", "urgent"),
        ("received_at", ""),
    ];
    editor
        .post_form("/r/region-a/questions", &form)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("«не ссылка» — не ссылка на веб-страницу.")
        .assert_contains("Во дворе не убран снег")
        .assert_contains("maria@example.org");
    assert_eq!(editor.count("select count(*) from questions").await, 0);
    form[7] = ("attachments", "https://vk.com/photo-1_2");
    let res = editor.post_form("/r/region-a/questions", &form).await;
    let location = res.location().unwrap().to_owned();
    assert!(location.starts_with("/r/region-a/questions/"), "{location}");
    let (priority, due_hours): (String, f64) = sqlx::query_as(
        "select priority, extract(epoch from first_response_due - received_at)::float8 / 3600 from questions",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(priority, "urgent");
    assert!(
        due_hours >= 4.0,
        "the urgent clock is 4 working hours: {due_hours}"
    );
    // The same message of the same page never becomes two questions.
    editor
        .post_form("/r/region-a/questions", &form)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Это сообщение уже зарегистрировано");
    assert_eq!(editor.count("select count(*) from questions").await, 1);
    // A page of another organization is refused.
    let other_page = a.other_page.to_string();
    form[1] = ("page_id", other_page.as_str());
    form[3] = ("external_id", "");
    editor
        .post_form("/r/region-a/questions", &form)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Эта страница принадлежит другой организации.");
    // Coordinators steer questions but do not file them for an organization.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    assert_eq!(
        coordinator.get("/r/region-a/questions/new").await.status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test]
async fn a_question_goes_from_new_to_closed_and_back(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let q = question(&db, a.id, a.child, Some(a.child_page), 1, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    let mut editor = signed_in(&db, &a.editor).await;
    editor.get(&url).await;
    editor
        .post_form(&format!("{url}/assign"), &[("assignee", "me")])
        .await
        .assert_redirect(&url);
    assert_eq!(status_of(&db, q).await, "in_progress");
    editor
        .post_form(&format!("{url}/note"), &[("text", "Уточнить у подрядчика")])
        .await
        .assert_redirect(&url);
    let page = editor.get(&url).await;
    page.assert_contains("Уточнить у подрядчика")
        .assert_contains("внутреннее");
    let rev = answer_rev(&page.body);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "interim"),
                ("answer_rev", &rev),
                ("text", "Передали подрядчику, ответим до пятницы."),
            ],
        )
        .await
        .assert_redirect(&url);
    let (status, first): (String, bool) =
        sqlx::query_as("select status, first_response_at is not null from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), first),
        ("in_progress", true),
        "an interim answer keeps it open"
    );
    let rev = answer_rev(&editor.get(&url).await.body);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "final"),
                ("answer_rev", &rev),
                ("text", "Дорогу отремонтируют в мае."),
            ],
        )
        .await
        .assert_redirect(&url);
    assert_eq!(status_of(&db, q).await, "answered");
    editor
        .post_form(&format!("{url}/close"), &[])
        .await
        .assert_redirect(&url);
    assert_eq!(status_of(&db, q).await, "closed");
    // Answering a closed question is refused and changes nothing.
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "final"),
                ("answer_rev", &rev),
                ("text", "Ещё ответ"),
            ],
        )
        .await
        .assert_status(StatusCode::CONFLICT);
    // A repeat complaint reopens it with new clocks, and is counted.
    editor
        .post_form(&format!("{url}/reopen"), &[("text", "")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    editor
        .post_form(
            &format!("{url}/reopen"),
            &[("text", "Дорогу так и не отремонтировали")],
        )
        .await
        .assert_redirect(&url);
    let (status, reopened, answer): (String, i32, Option<String>) =
        sqlx::query_as("select status, reopen_count, answer from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reopened, answer),
        ("in_progress", 1, None)
    );
    assert_eq!(
        event_kinds(&db, q).await,
        [
            "received", "assigned", "note", "interim", "answered", "closed", "reopened"
        ]
    );
    editor
        .get(&url)
        .await
        .assert_contains("Дорогу отремонтируют в мае.")
        .assert_contains("Открыто повторно");
}

#[sqlx::test]
async fn rejected_and_duplicate_questions_take_no_answers(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let spam = question(&db, a.id, a.child, None, 1, "normal").await;
    let original = question(&db, a.id, a.child, None, 2, "normal").await;
    let repeat = question(&db, a.id, a.child, None, 1, "normal").await;
    let foreign = question(&db, b.id, b.child, None, 1, "normal").await;
    let mut editor = signed_in(&db, &a.editor).await;
    let url = format!("/r/region-a/questions/{spam}");
    let rev = answer_rev(&editor.get(&url).await.body);
    editor
        .post_form(&format!("{url}/reject"), &[("reason", "")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    editor
        .post_form(
            &format!("{url}/reject"),
            &[("reason", "spam"), ("text", "Реклама")],
        )
        .await
        .assert_redirect(&url);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[("kind", "final"), ("answer_rev", &rev), ("text", "Ответ")],
        )
        .await
        .assert_status(StatusCode::CONFLICT)
        .assert_contains("Это действие недоступно");
    assert_eq!(status_of(&db, spam).await, "rejected");

    let url = format!("/r/region-a/questions/{repeat}");
    for (value, message) in [
        ("abc", "Введите номер обращения."),
        (
            repeat.to_string().as_str(),
            "не может быть дубликатом самого себя",
        ),
        (foreign.to_string().as_str(), "нет в регионе"),
    ] {
        editor
            .post_form(&format!("{url}/duplicate"), &[("original", value)])
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
            .assert_contains(message);
    }
    editor
        .post_form(
            &format!("{url}/duplicate"),
            &[("original", &format!("#{original}"))],
        )
        .await
        .assert_redirect(&url);
    let linked: Option<i64> =
        sqlx::query_scalar("select duplicate_of from questions where id = $1")
            .bind(repeat)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(linked, Some(original));
    editor
        .post_form(&format!("{url}/pause"), &[("text", "Уточните адрес")])
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[sqlx::test]
async fn who_sees_and_steers_a_question(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let q = question(&db, a.id, a.child, None, 1, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    // Another region: not found, for the page and every action.
    let mut foreign = signed_in(&db, &b.admin).await;
    assert_eq!(foreign.get(&url).await.status, StatusCode::NOT_FOUND);
    let mut foreign_editor = signed_in(&db, &b.editor).await;
    assert_eq!(
        foreign_editor
            .get(&format!("/r/region-b/questions/{q}"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a question id of another region is not found in one's own"
    );
    // An editor of another organization of the region does not see it.
    let stranger = common::user(&db, "hospital-editor@region-a.example", false).await;
    common::member(&db, a.id, stranger, "editor", None, Some(a.other)).await;
    let mut hospital = signed_in(&db, "hospital-editor@region-a.example").await;
    assert_eq!(hospital.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hospital
            .post_form(&format!("{url}/note"), &[("text", "x")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    hospital
        .get("/r/region-a/questions")
        .await
        .assert_lacks(&format!("#{q}<"));
    // The municipal coordinator of the other municipality does not see it either.
    let mut other_municipality = signed_in(&db, &a.municipal_coordinator).await;
    assert_eq!(other_municipality.get(&url).await.status, StatusCode::OK);
    sqlx::query("update organizations set municipality_id = $1 where id = $2")
        .bind(a.other_municipality)
        .bind(a.child)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        other_municipality.get(&url).await.status,
        StatusCode::NOT_FOUND
    );
    // A coordinator in scope sees it, reassigns and notes, but does not answer or see contacts.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    let page = coordinator.get(&url).await;
    page.assert_status(StatusCode::OK)
        .assert_lacks("+7 900 123-45-67")
        .assert_lacks("name=\"answer_rev\"");
    assert_eq!(
        coordinator
            .post_form(
                &format!("{url}/answer"),
                &[("kind", "final"), ("answer_rev", "0"), ("text", "Ответ")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator
            .post_form(&format!("{url}/contacts"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator
            .post_form(&format!("{url}/close"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let editor_id: i64 = sqlx::query_scalar("select id from users where email = $1")
        .bind(&a.editor)
        .fetch_one(&db)
        .await
        .unwrap();
    coordinator
        .post_form(
            &format!("{url}/assign"),
            &[("assignee", &editor_id.to_string())],
        )
        .await
        .assert_redirect(&url);
    // Only people of the organization can be assigned.
    coordinator
        .post_form(
            &format!("{url}/assign"),
            &[("assignee", &stranger.to_string())],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test]
async fn contacts_are_shown_on_request_and_every_view_is_logged(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let q = question(&db, a.id, a.child, None, 1, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    let mut editor = signed_in(&db, &a.editor).await;
    editor.get(&url).await.assert_lacks("+7 900 123-45-67");
    editor
        .post_form(&format!("{url}/contacts"), &[])
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("+7 900 123-45-67")
        .assert_contains("Иван Петров");
    let logged = editor
        .count("select count(*) from audit_log where action = 'view' and object_type = 'question_contacts'")
        .await;
    assert_eq!(logged, 1);
}

#[sqlx::test]
async fn a_transfer_moves_the_question_and_both_sides_see_it(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    // Received five days ago, so a new clock from now must end later whatever today is.
    let q = question(&db, a.id, a.child, None, 24 * 5, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    let hospital_editor = common::user(&db, "hospital-editor@region-a.example", false).await;
    common::member(&db, a.id, hospital_editor, "editor", None, Some(a.other)).await;
    let mut editor = signed_in(&db, &a.editor).await;
    // Finding the organization to transfer to.
    editor
        .get(&format!("{url}?find=Больница"))
        .await
        .assert_contains("Больница региона 1")
        .assert_lacks("Больница региона 2");
    // Another region's organization does not exist here.
    assert_eq!(
        editor
            .post_form(
                &format!("{url}/transfer"),
                &[
                    ("organization_id", &b.other.to_string()),
                    ("text", "Не наш вопрос")
                ]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    editor
        .post_form(
            &format!("{url}/transfer"),
            &[
                ("organization_id", &a.child.to_string()),
                ("text", "Не наш"),
            ],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Обращение уже в этой организации.");
    editor
        .post_form(
            &format!("{url}/transfer"),
            &[("organization_id", &a.other.to_string()), ("text", "")],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let before: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select first_response_due from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    editor
        .post_form(
            &format!("{url}/transfer"),
            &[
                ("organization_id", &a.other.to_string()),
                ("text", "Вопрос о больнице"),
            ],
        )
        .await
        .assert_redirect(&url);
    let (org, status, transfers, after): (i64, String, i32, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "select organization_id, status, transfer_count, first_response_due from questions where id = $1",
    )
    .bind(q)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((org, status.as_str(), transfers), (a.other, "new", 1));
    assert!(
        after > before,
        "by default the receiving organization gets a new clock"
    );
    // The sender still sees it, read-only, among its transferred questions.
    let page = editor.get(&url).await;
    page.assert_status(StatusCode::OK)
        .assert_contains("передано в другую организацию")
        .assert_contains("Вопрос о больнице");
    assert_eq!(
        editor
            .post_form(&format!("{url}/note"), &[("text", "ещё")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    editor
        .get("/r/region-a/questions?view=transferred")
        .await
        .assert_contains(&format!("#{q}<"));
    // The receiver works it.
    let mut hospital = signed_in(&db, "hospital-editor@region-a.example").await;
    hospital
        .get("/r/region-a/questions")
        .await
        .assert_contains(&format!("#{q}<"));
    hospital
        .get(&url)
        .await
        .assert_contains("из «Школа № 1 региона 1» в «Больница региона 1», срок начат заново");

    // With the region's rule "keep the clock", the deadline stays.
    sqlx::query("update region_settings set transfer_keeps_clock = true where region_id = $1")
        .bind(a.id)
        .execute(&db)
        .await
        .unwrap();
    hospital
        .post_form(
            &format!("{url}/transfer"),
            &[
                ("organization_id", &a.child.to_string()),
                ("text", "Всё же школа"),
            ],
        )
        .await
        .assert_redirect(&url);
    let kept: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select first_response_due from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(kept, after);
}

#[sqlx::test]
async fn waiting_on_the_resident_stops_the_clock(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let q = question(&db, a.id, a.child, None, 1, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    let mut editor = signed_in(&db, &a.editor).await;
    editor
        .post_form(&format!("{url}/pause"), &[("text", "")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    editor
        .post_form(
            &format!("{url}/pause"),
            &[("text", "Уточните, пожалуйста, адрес")],
        )
        .await
        .assert_redirect(&url);
    let due: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select due_at from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(due, None, "no deadline runs while the resident is asked");
    editor
        .get("/r/region-a/questions?view=waiting")
        .await
        .assert_contains(&format!("#{q}<"));
    // Answering waits for the resident; resuming moves the deadline by the time waited.
    let before: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select first_response_due from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    sqlx::query("update questions set paused_at = paused_at - interval '3 days' where id = $1")
        .bind(q)
        .execute(&db)
        .await
        .unwrap();
    editor
        .post_form(&format!("{url}/resume"), &[("text", "ул. Ленина, 5")])
        .await
        .assert_redirect(&url);
    let (after, paused): (chrono::DateTime<chrono::Utc>, i32) =
        sqlx::query_as("select first_response_due, paused_minutes from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(paused > 0, "three days of waiting hold working time");
    assert!(after > before);
    editor.get(&url).await.assert_contains("ул. Ленина, 5");
}

/// The head turns approval on from the organization's card; an editor cannot.
async fn turn_on_approval(db: &PgPool, a: &RegionFixture) {
    let card = format!("/r/region-a/orgs/{}", a.child);
    let mut editor = signed_in(db, &a.editor).await;
    editor
        .get(&card)
        .await
        .assert_contains("выключено")
        .assert_lacks("answer-approval");
    assert_eq!(
        editor
            .post_form(&format!("{card}/answer-approval"), &[("approval", "on")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut head = signed_in(db, &a.head).await;
    head.get(&card).await.assert_contains("answer-approval");
    head.post_form(&format!("{card}/answer-approval"), &[("approval", "on")])
        .await
        .assert_redirect(&card);
    head.get(&card)
        .await
        .assert_contains("Согласование ответов включено.");
}

#[sqlx::test]
async fn with_approval_on_the_head_publishes_or_returns_the_answer(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    turn_on_approval(&db, &a).await;
    let q = question(&db, a.id, a.child, None, 1, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    let mut editor = signed_in(&db, &a.editor).await;
    let rev = answer_rev(&editor.get(&url).await.body);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "final"),
                ("answer_rev", &rev),
                ("text", "Черновик ответа"),
            ],
        )
        .await
        .assert_redirect(&url);
    let (status, answer, draft): (String, Option<String>, Option<String>) =
        sqlx::query_as("select status, answer, draft_answer from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), answer, draft.as_deref()),
        ("in_progress", None, Some("Черновик ответа"))
    );
    // The editor cannot approve their own draft.
    assert_eq!(
        editor
            .post_form(&format!("{url}/approve"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut head = signed_in(&db, &a.head).await;
    head.get("/r/region-a/questions?view=approval")
        .await
        .assert_contains(&format!("#{q}<"));
    head.post_form(&format!("{url}/return"), &[("text", "")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    head.post_form(&format!("{url}/return"), &[("text", "Добавьте сроки")])
        .await
        .assert_redirect(&url);
    // The editor finds the draft in the composer with the head's comment.
    let page = editor.get(&url).await;
    page.assert_contains("Добавьте сроки")
        .assert_contains(">Черновик ответа</textarea>");
    let rev = answer_rev(&page.body);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "final"),
                ("answer_rev", &rev),
                ("text", "Отремонтируем до 1 июня"),
            ],
        )
        .await
        .assert_redirect(&url);
    head.post_form(&format!("{url}/approve"), &[])
        .await
        .assert_redirect(&url);
    let (status, answer): (String, Option<String>) =
        sqlx::query_as("select status, answer from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), answer.as_deref()),
        ("answered", Some("Отремонтируем до 1 июня"))
    );
    assert_eq!(
        event_kinds(&db, q).await,
        [
            "received", "draft", "returned", "draft", "approved", "answered"
        ]
    );
}

#[sqlx::test]
async fn two_editors_answering_at_once_do_not_overwrite_each_other(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let second = common::user(&db, "second-editor@region-a.example", false).await;
    common::member(&db, a.id, second, "editor", None, Some(a.child)).await;
    let q = question(&db, a.id, a.child, None, 1, "normal").await;
    let url = format!("/r/region-a/questions/{q}");
    let mut first_editor = signed_in(&db, &a.editor).await;
    let mut second_editor = signed_in(&db, "second-editor@region-a.example").await;
    let rev_first = answer_rev(&first_editor.get(&url).await.body);
    let rev_second = answer_rev(&second_editor.get(&url).await.body);
    first_editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "interim"),
                ("answer_rev", &rev_first),
                ("text", "Ответ первого"),
            ],
        )
        .await
        .assert_redirect(&url);
    second_editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "interim"),
                ("answer_rev", &rev_second),
                ("text", "Ответ второго"),
            ],
        )
        .await
        .assert_status(StatusCode::CONFLICT)
        .assert_contains("Пока вы писали, на обращение уже ответили.")
        .assert_contains(">Ответ второго</textarea>");
    // Empty answers come back too, with the message at the field.
    let rev = answer_rev(&second_editor.get(&url).await.body);
    second_editor
        .post_form(
            &format!("{url}/answer"),
            &[("kind", "final"), ("answer_rev", &rev), ("text", "  ")],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Заполните это поле.");
    let interim: i64 = second_editor
        .count(&format!(
            "select count(*) from question_events where question_id = {q} and kind = 'interim'"
        ))
        .await;
    assert_eq!(interim, 1);
}

#[sqlx::test]
async fn templates_are_inserted_into_the_answer_without_sending_it(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let q = question(&db, a.id, a.child, None, 1, "normal").await;
    let mut admin = signed_in(&db, &a.admin).await;
    admin.get("/r/region-a/answer-templates").await;
    admin
        .post_form(
            "/r/region-a/answer-templates",
            &[
                ("organization_id", ""),
                ("title", "Благодарность"),
                ("body", "Спасибо за обращение!"),
            ],
        )
        .await
        .assert_redirect("/r/region-a/answer-templates");
    let mut editor = signed_in(&db, &a.editor).await;
    editor.get("/r/region-a/answer-templates").await;
    // An editor cannot write the region's templates, only their organization's.
    editor
        .post_form(
            "/r/region-a/answer-templates",
            &[("organization_id", ""), ("title", "Моё"), ("body", "Текст")],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let template: i64 = sqlx::query_scalar("select id from answer_templates")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        editor
            .post_form(
                &format!("/r/region-a/answer-templates/{template}"),
                &[("title", "x"), ("body", "y")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let url = format!("/r/region-a/questions/{q}");
    let rev = answer_rev(&editor.get(&url).await.body);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("intent", "insert"),
                ("template_id", &template.to_string()),
                ("answer_rev", &rev),
                ("text", "Добрый день."),
            ],
        )
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Добрый день.\n\nСпасибо за обращение!</textarea>");
    assert_eq!(
        status_of(&db, q).await,
        "new",
        "inserting a template sends nothing"
    );
}

#[sqlx::test]
async fn the_inbox_sorts_by_deadline_filters_and_counts(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let late = question(&db, a.id, a.child, Some(a.child_page), 24 * 10, "normal").await;
    let fresh = question(&db, a.id, a.child, None, 0, "normal").await;
    let urgent = question(&db, a.id, a.child, None, 0, "urgent").await;
    let elsewhere = question(&db, a.id, a.other, None, 24 * 10, "normal").await;
    let foreign = question(&db, b.id, b.child, None, 24 * 10, "normal").await;
    let mut editor = signed_in(&db, &a.editor).await;
    let inbox = editor.get("/r/region-a/questions").await;
    inbox.assert_status(StatusCode::OK);
    let pos = |id: i64| inbox.body.find(&format!(">#{id}<"));
    assert!(
        pos(elsewhere).is_none() && pos(foreign).is_none(),
        "only the editor's organization"
    );
    assert!(
        pos(late).unwrap() < pos(urgent).unwrap(),
        "the overdue one first"
    );
    assert!(
        pos(urgent).unwrap() < pos(fresh).unwrap(),
        "urgent is due sooner"
    );
    inbox.assert_contains("просрочено");
    let overdue = editor.get("/r/region-a/questions?due=overdue").await;
    overdue
        .assert_contains(&format!(">#{late}<"))
        .assert_lacks(&format!(">#{fresh}<"));
    editor
        .get("/r/region-a/questions?priority=urgent")
        .await
        .assert_contains(&format!(">#{urgent}<"))
        .assert_lacks(&format!(">#{fresh}<"));
    editor
        .get(&format!("/r/region-a/questions?page_id={}", a.child_page))
        .await
        .assert_contains(&format!(">#{late}<"))
        .assert_lacks(&format!(">#{urgent}<"));
    editor
        .get(&format!("/r/region-a/questions?q=%23{urgent}"))
        .await
        .assert_contains(&format!(">#{urgent}<"))
        .assert_lacks(&format!(">#{late}<"));
    editor
        .post_form(
            &format!("/r/region-a/questions/{fresh}/assign"),
            &[("assignee", "me")],
        )
        .await;
    editor
        .get("/r/region-a/questions?assignee=me")
        .await
        .assert_contains(&format!(">#{fresh}<"))
        .assert_lacks(&format!(">#{urgent}<"));
    // Nonsense in the URL is not an error.
    editor
        .get("/r/region-a/questions?status=zzz&page_id=x&assignee=y&page=-3&due=when")
        .await
        .assert_status(StatusCode::OK);
    // The coordinator sees who is late across the region, by organization, from the overview.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    coordinator
        .get("/r/region-a")
        .await
        .assert_contains("/r/region-a/questions/overdue\" class=\"bad\">2</a>");
    coordinator
        .get("/r/region-a/questions/overdue")
        .await
        .assert_contains(&format!(">#{late}<"))
        .assert_contains(&format!(">#{elsewhere}<"))
        .assert_lacks(&format!(">#{foreign}<"))
        .assert_lacks(&format!(">#{fresh}<"));
    // The founder's subtree coordinator, and the founder's own editor, see the school's but
    // not the hospital's.
    let ministry = common::user(&db, "ministry-editor@region-a.example", false).await;
    common::member(&db, a.id, ministry, "editor", None, Some(a.founder)).await;
    for email in [
        a.subtree_coordinator.as_str(),
        "ministry-editor@region-a.example",
    ] {
        let mut founder = signed_in(&db, email).await;
        founder
            .get("/r/region-a/questions/overdue")
            .await
            .assert_contains(&format!(">#{late}<"))
            .assert_lacks(&format!(">#{elsewhere}<"));
    }
}

#[sqlx::test]
async fn the_quick_filters_and_the_status_totals_count_the_same_questions(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let late = question(&db, a.id, a.child, Some(a.child_page), 24 * 10, "normal").await;
    let mine = question(&db, a.id, a.child, None, 0, "normal").await;
    let waiting = question(&db, a.id, a.child, None, 0, "normal").await;
    let drafted = question(&db, a.id, a.child, None, 0, "normal").await;
    let answered = question(&db, a.id, a.child, None, 0, "normal").await;
    question(&db, a.id, a.other, None, 0, "normal").await;
    question(&db, b.id, b.child, None, 24 * 10, "normal").await;
    for (sql, id) in [
        (
            "update questions set paused_at = now() where id = $1",
            waiting,
        ),
        (
            "update questions set draft_answer = 'Черновик ответа' where id = $1",
            drafted,
        ),
        (
            "update questions set status = 'answered', answered_at = now() where id = $1",
            answered,
        ),
    ] {
        sqlx::query(sql).bind(id).execute(&db).await.unwrap();
    }
    let mut editor = signed_in(&db, &a.editor).await;
    editor
        .post_form(
            &format!("/r/region-a/questions/{mine}/assign"),
            &[("assignee", "me")],
        )
        .await;
    let count = |label: &str, n: i64| format!("{label} <span class=\"count\">{n}</span>");
    let inbox = editor.get("/r/region-a/questions").await;
    inbox
        .assert_contains(&count("Открытые", 4))
        .assert_contains("Просроченные <span class=\"count bad\">1</span>")
        .assert_contains(&count("Назначенные мне", 1))
        .assert_contains(&count("Без исполнителя", 3))
        .assert_contains(&count("Ждут ответа жителя", 1))
        .assert_contains(&count("На согласовании", 1))
        .assert_contains(&count("С ответом", 1))
        .assert_contains("4 обращения")
        // The page filter offers the editor's own pages.
        .assert_contains(&format!("<option value=\"{}\"", a.child_page));
    assert!(inbox.body.contains(&format!(">#{late}<")));
    // Taking a question up moves it between the open statuses, and the totals follow.
    sqlx::query("update questions set status = 'in_progress' where id = $1")
        .bind(mine)
        .execute(&db)
        .await
        .unwrap();
    for (status, total) in [
        ("open", "4 обращения"),
        ("new", "3 обращения"),
        ("in_progress", "1 обращение"),
        ("answered", "1 обращение"),
    ] {
        editor
            .get(&format!("/r/region-a/questions?status={status}"))
            .await
            .assert_contains(total);
    }
    // The coordinator counts the region's and files nothing: no page of anyone's to offer.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    coordinator
        .get("/r/region-a/questions")
        .await
        .assert_contains(&count("Открытые", 5))
        .assert_contains(&count("Без исполнителя", 4))
        .assert_contains(&count("Назначенные мне", 0))
        .assert_contains("5 обращений")
        .assert_lacks(&format!("<option value=\"{}\"", a.child_page));
    coordinator
        .get("/r/region-a/questions?status=new")
        .await
        .assert_contains("4 обращения");
}

#[sqlx::test]
async fn overdue_questions_are_mailed_once_even_from_two_instances(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let late = question(&db, a.id, a.child, None, 24 * 10, "normal").await;
    question(&db, a.id, a.child, None, 0, "normal").await;
    let (port, received) = common::smtp::smtp_sink().await;
    let mail = gospublic::mail::MailSettings {
        host: "127.0.0.1".into(),
        port,
        from: "gospublic@region-a.example".into(),
    };
    let (one, two) = tokio::join!(
        gospublic::questions::housekeeping::notify_overdue(&db, &mail, "https://gospublic.example"),
        gospublic::questions::housekeeping::notify_overdue(&db, &mail, "https://gospublic.example"),
    );
    assert_eq!(
        one.unwrap() + two.unwrap(),
        1,
        "one question escalated once"
    );
    let messages = received.lock().unwrap().clone();
    let recipients: Vec<String> = messages
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("To:")).map(str::to_owned))
        .collect();
    // The editor, the head, the region's coordinator, the municipal one and the founder's one.
    assert_eq!(messages.len(), 5, "{recipients:?}");
    assert!(recipients.iter().any(|r| r.contains(&a.editor)));
    assert!(
        recipients
            .iter()
            .any(|r| r.contains(&a.subtree_coordinator))
    );
    assert!(!recipients.iter().any(|r| r.contains(&a.admin)));
    let body = common::smtp::decoded_body(&messages[0]);
    assert!(
        body.contains(&format!(
            "https://gospublic.example/r/region-a/questions/{late}"
        )),
        "{body}"
    );
    let again =
        gospublic::questions::housekeeping::notify_overdue(&db, &mail, "https://gospublic.example")
            .await;
    assert_eq!(again.unwrap(), 0);
    assert_eq!(received.lock().unwrap().len(), 5);
}

#[sqlx::test]
async fn contacts_of_closed_questions_are_erased_after_the_retention_period(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let old = question(&db, a.id, a.child, None, 1, "normal").await;
    let recent = question(&db, a.id, a.child, None, 1, "normal").await;
    let open = question(&db, a.id, a.child, None, 1, "normal").await;
    let other_region = question(&db, b.id, b.child, None, 1, "normal").await;
    sqlx::query("update region_settings set contact_retention_days = 30 where region_id = $1")
        .bind(a.id)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("update questions set status = 'closed', closed_at = now() - interval '31 days' where id = any($1)")
        .bind(vec![old, other_region])
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("update questions set status = 'closed', closed_at = now() - interval '5 days' where id = $1")
        .bind(recent)
        .execute(&db)
        .await
        .unwrap();
    let (one, two) = tokio::join!(
        gospublic::questions::housekeeping::erase_contacts(&db),
        gospublic::questions::housekeeping::erase_contacts(&db),
    );
    assert_eq!(
        one.unwrap() + two.unwrap(),
        1,
        "region-b keeps contacts for a year by default"
    );
    let kept: Vec<(i64, Option<String>)> =
        sqlx::query_as("select id, author_contact from questions order by id")
            .fetch_all(&db)
            .await
            .unwrap();
    for (id, contact) in kept {
        assert_eq!(
            contact.is_none(),
            id == old,
            "question {id} ({open}, {recent}, {other_region})"
        );
    }
    let mut editor = signed_in(&db, &a.editor).await;
    editor
        .get(&format!("/r/region-a/questions/{old}"))
        .await
        .assert_contains("Контакты удалены по истечении срока хранения.");
}

#[sqlx::test]
async fn an_admin_loads_the_production_calendar(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = signed_in(&db, &a.admin).await;
    admin.get("/r/region-a/settings").await;
    let file = "Дата;Тип\n01.01.2027;праздник\n08.01.2027;праздник\n06.11.2027;рабочий\n";
    let res = admin
        .post_file(
            "/r/region-a/settings/calendar",
            "file",
            "calendar.csv",
            file.as_bytes(),
        )
        .await;
    // The year field is missing: message per field, nothing saved.
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post_file_with(
            "/r/region-a/settings/calendar",
            &[("calendar_year", "2027")],
            "file",
            "calendar.csv",
            "Дата;Тип\n01.01.2027;отгул\n".as_bytes(),
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Строка 2: тип дня «отгул» не понятен");
    admin
        .post_file_with(
            "/r/region-a/settings/calendar",
            &[("calendar_year", "2027")],
            "file",
            "calendar.csv",
            file.as_bytes(),
        )
        .await
        .assert_redirect("/r/region-a/settings");
    let (holidays, saturdays): (Vec<chrono::NaiveDate>, Vec<chrono::NaiveDate>) = sqlx::query_as(
        "select holidays, working_saturdays from region_settings where region_id = $1",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(holidays.len(), 2);
    assert_eq!(
        saturdays,
        [chrono::NaiveDate::from_ymd_opt(2027, 11, 6).unwrap()]
    );
    let audited = admin
        .count("select count(*) from audit_log where object_type = 'settings' and details ? 'calendar_year'")
        .await;
    assert_eq!(audited, 1);
}

#[sqlx::test]
async fn the_inbox_finds_questions_by_words_in_their_forms(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let road = question(&db, a.id, a.child, None, 1, "normal").await;
    let rubbish = question(&db, a.id, a.child, None, 2, "normal").await;
    let tree = question(&db, a.id, a.child, None, 3, "normal").await;
    let theirs = question(&db, b.id, b.child, None, 1, "normal").await;
    for (id, text) in [
        (road, "Когда отремонтируют дорогу на улице Ленина, 12?"),
        (rubbish, "Третью неделю не вывозят мусор во дворе"),
        (tree, "Новогодняя ёлка на площади не горит"),
        (theirs, "Когда отремонтируют дорогу в соседнем районе?"),
    ] {
        sqlx::query("update questions set body = $2 where id = $1")
            .bind(id)
            .bind(text)
            .execute(&db)
            .await
            .unwrap();
    }
    let mut editor = signed_in(&db, &a.editor).await;
    let found = async |editor: &mut TestApp, q: &str| -> Vec<i64> {
        let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let body = editor
            .get(&format!("/r/region-a/questions?status=all&q={q}"))
            .await
            .body;
        [road, rubbish, tree, theirs]
            .into_iter()
            .filter(|id| body.contains(&format!(">#{id}<")))
            .collect()
    };
    // Another form of the word, a prefix as typed, «ё» as «е», several words, the number.
    assert_eq!(found(&mut editor, "дороги").await, [road]);
    assert_eq!(found(&mut editor, "ленин").await, [road]);
    assert_eq!(found(&mut editor, "елка").await, [tree]);
    assert_eq!(found(&mut editor, "мусор двор").await, [rubbish]);
    assert_eq!(found(&mut editor, "мусор дорога").await, Vec::<i64>::new());
    assert_eq!(found(&mut editor, &format!("#{tree}")).await, [tree]);
    assert_eq!(found(&mut editor, "12").await, [road]);
    // Another region's question is never found, by number or by its words.
    assert_eq!(
        found(&mut editor, &format!("#{theirs}")).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        found(&mut editor, "соседнем районе").await,
        Vec::<i64>::new()
    );
    // The region's coordinator searches every organization of the region, and only those.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    assert_eq!(found(&mut coordinator, "отремонтируют").await, [road]);
}

/// `count` questions of region `a`, numbered `g` from 1 in the order they were received (one
/// every 7 minutes, the newest first): `org` chooses the school (`$2`) or the other
/// organization (`$3`), `body` writes the text and `status` the status, the answered ones
/// answered. Analyzed, as every bulk load must be.
async fn generated_questions(
    db: &PgPool,
    a: &RegionFixture,
    count: i64,
    org: &str,
    body: &str,
    status: &str,
) {
    sqlx::query(&format!(
        r#"insert into questions (region_id, organization_id, channel, body, category, priority, status,
                                  received_at, first_response_due, first_response_risk, final_due, final_risk,
                                  first_response_at, answered_at)
           select $1, {org}, 'manual', {body}, 'Дороги', 'normal', s.status,
                  now() - g * interval '7 minutes', now() + (g % 97) * interval '1 hour',
                  now() + (g % 97) * interval '1 hour', now() + interval '30 days', now() + interval '29 days',
                  case when s.status = 'answered' then now() - g * interval '6 minutes' end,
                  case when s.status = 'answered' then now() - g * interval '6 minutes' end
           from generate_series(1, $4) g cross join lateral (select {status} as status) s"#
    ))
    .bind(a.id)
    .bind(a.child)
    .bind(a.other)
    .bind(count)
    .execute(db)
    .await
    .unwrap();
    sqlx::query("analyze questions").execute(db).await.unwrap();
}

#[sqlx::test]
async fn a_phrase_in_most_questions_is_found_walking_the_inbox(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    // The school: 2,500 questions about the road, 300 about rubbish, a fifth of them open;
    // another organization's 12,000 make the table large enough that walking the school's
    // questions costs less than reading every match from the text index.
    generated_questions(
        &db,
        &a,
        14_800,
        "case when g <= 2800 then $2 else $3 end",
        "case when g <= 2500 then 'Когда отремонтируют дорогу у дома ' || g else 'Не вывозят мусор у дома ' || g end",
        "case when g % 5 = 0 then 'new' else 'answered' end",
    )
    .await;

    use gospublic::directory::query::SearchText;
    use gospublic::questions::db::search::{Found, matching};
    let region = gospublic::ids::RegionId(a.id);
    let mut conn = db.acquire().await.unwrap();
    let school = [a.child];
    let road = SearchText::parse("отремонтируют дорогу").unwrap();
    let rubbish = SearchText::parse("мусор").unwrap();
    let walked = matching(&mut conn, region, Some(&school), &road, 0);
    assert_eq!(
        walked.await.unwrap(),
        Found::Common,
        "the school's inbox is walked and counted"
    );
    match matching(&mut conn, region, Some(&school), &rubbish, 0)
        .await
        .unwrap()
    {
        Found::Listed(ids) => assert_eq!(ids.len(), 300, "rarer words are listed"),
        other => panic!("{other:?}"),
    }
    // Rubbish in the region: 12,300 matches, more than an exact count is worth on the first
    // pages. The sample spans the region's history (its first 2,500 questions are about the
    // road), so the estimate is near.
    match matching(&mut conn, region, None, &rubbish, 0)
        .await
        .unwrap()
    {
        Found::About(about) => assert!((11_000..=13_000).contains(&about), "{about}"),
        other => panic!("{other:?}"),
    }
    // Deep in the list the page needs the exact count, walked.
    let deep = matching(&mut conn, region, None, &rubbish, 10_000);
    assert_eq!(deep.await.unwrap(), Found::Common);

    let expected = async |condition: &str, offset: i64| -> Vec<i64> {
        sqlx::query_scalar(&format!(
            "select id from questions where {condition} \
             order by due_at nulls last, received_at desc, id desc limit 50 offset $1"
        ))
        .bind(offset)
        .fetch_all(&db)
        .await
        .unwrap()
    };
    let roads = format!("organization_id = {} and body like '%дорогу%'", a.child);
    let mut editor = signed_in(&db, &a.editor).await;
    // The question numbers shown, in the order shown.
    let shown = |body: &str| -> Vec<i64> {
        body.match_indices(">#")
            .filter_map(|(at, _)| {
                let rest = &body[at + 2..];
                let digits = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                rest[digits..]
                    .starts_with('<')
                    .then(|| rest[..digits].parse().ok())
                    .flatten()
            })
            .collect()
    };
    let phrase = "q=%D0%BE%D1%82%D1%80%D0%B5%D0%BC%D0%BE%D0%BD%D1%82%D0%B8%D1%80%D1%83%D1%8E%D1%82+%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D1%83";
    let all = editor
        .get(&format!("/r/region-a/questions?status=all&{phrase}"))
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(shown(&all.body), expected(&roads, 0).await);
    assert!(
        all.body.contains("2\u{a0}500") || all.body.contains("2500"),
        "the exact count"
    );
    let later = editor
        .get(&format!(
            "/r/region-a/questions?status=all&{phrase}&page=45"
        ))
        .await;
    assert_eq!(shown(&later.body), expected(&roads, 44 * 50).await);
    let open = editor.get(&format!("/r/region-a/questions?{phrase}")).await;
    assert_eq!(
        shown(&open.body),
        expected(&format!("{roads} and status = 'new'"), 0).await
    );
    assert!(open.body.contains(">500 "), "500 of them open");

    // The school's 300 questions about rubbish are listed in the inbox's order: each page
    // reads its own.
    let rubbish_q = "q=%D0%BC%D1%83%D1%81%D0%BE%D1%80";
    let rubbish_at_school = format!("organization_id = {} and body like '%мусор%'", a.child);
    for page in [1, 6] {
        let listed = editor
            .get(&format!(
                "/r/region-a/questions?status=all&{rubbish_q}&page={page}"
            ))
            .await;
        assert_eq!(
            shown(&listed.body),
            expected(&rubbish_at_school, (page - 1) * 50).await
        );
        assert!(listed.body.contains(">300 "), "the exact count");
    }

    // The coordinator's 12,300 questions about rubbish are estimated; with a filter they are
    // counted.
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    let all = coordinator
        .get(&format!("/r/region-a/questions?status=all&{rubbish_q}"))
        .await;
    assert_eq!(shown(&all.body), expected("body like '%мусор%'", 0).await);
    assert!(all.body.contains("около 1"), "estimated");
    let open = coordinator
        .get("/r/region-a/questions?q=%D0%BC%D1%83%D1%81%D0%BE%D1%80")
        .await;
    assert_eq!(
        shown(&open.body),
        expected("body like '%мусор%' and status = 'new'", 0).await
    );
    assert!(
        open.body.contains("2\u{a0}460") || open.body.contains("2460"),
        "a fifth of them open, counted"
    );

    // The road in the region: 2,500 matches, more than an exact count is worth on the first
    // page, which walks the inbox's order testing the words. A page deep in the list counts
    // them exactly.
    let roads = format!("body like '%дорогу%' and region_id = {}", a.id);
    let first = coordinator
        .get(&format!("/r/region-a/questions?status=all&{phrase}"))
        .await;
    assert_eq!(shown(&first.body), expected(&roads, 0).await);
    assert!(first.body.contains("около "), "estimated");
    let deep = coordinator
        .get(&format!(
            "/r/region-a/questions?status=all&{phrase}&page=45"
        ))
        .await;
    assert_eq!(shown(&deep.body), expected(&roads, 44 * 50).await);
    assert!(
        deep.body.contains("2\u{a0}500") || deep.body.contains("2500"),
        "the exact count"
    );
}

#[sqlx::test]
async fn words_are_stored_and_searched_with_their_region(db: PgPool) {
    let query: String = sqlx::query_scalar(
        "select region_query(5, $$'o''neil':* & (dom | !park)$$::tsquery)::text",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(query, "'5.o''neil':* & ( '5.dom' | !'5.park' )");
    let matches = async |region: i64, words: &[&str]| -> bool {
        sqlx::query_scalar(
            "select region_words(5, array_to_tsvector($2)) @@ region_query($1, $$'o''neil':* & dom$$::tsquery)",
        )
        .bind(region)
        .bind(words)
        .fetch_one(&db)
        .await
        .unwrap()
    };
    assert!(matches(5, &["o'neilson", "dom"]).await);
    assert!(!matches(5, &["o'neilson"]).await, "every word");
    assert!(
        !matches(55, &["o'neilson", "dom"]).await,
        "another region's words"
    );
}

#[sqlx::test]
async fn an_estimated_count_learns_the_end_from_a_short_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    // 20,000 questions of the region; the first 20 of every 1,000 are about a traffic light.
    // The sample (the first 50 of 20 equal stretches of the region's numbers) finds it in two
    // questions of five, so the inbox estimates 8,000 where there are 400.
    generated_questions(
        &db,
        &a,
        20_000,
        "case when g % 2 = 0 then $2 else $3 end",
        "case when (g - 1) % 1000 < 20 then 'Сломан светофор у дома ' || g else 'Яма на дороге у дома ' || g end",
        "'new'",
    )
    .await;
    let mut coordinator = signed_in(&db, &a.coordinator).await;
    let light =
        "/r/region-a/questions?status=all&q=%D1%81%D0%B2%D0%B5%D1%82%D0%BE%D1%84%D0%BE%D1%80";
    let first = coordinator.get(light).await;
    first.assert_status(StatusCode::OK);
    assert!(first.body.contains("около "), "estimated");
    // Page 9 starts after the 400th: it comes back empty, so the list ends at page 8.
    coordinator
        .get(&format!("{light}&page=9"))
        .await
        .assert_redirect(&format!("{light}&page=8"));
    let last = coordinator.get(&format!("{light}&page=8")).await;
    last.assert_status(StatusCode::OK);
    assert!(
        last.body.contains("около "),
        "a full page keeps the estimate"
    );
    // Deep in the list the count is exact.
    coordinator
        .get(&format!("{light}&page=30"))
        .await
        .assert_redirect(&format!("{light}&page=8"));
}
