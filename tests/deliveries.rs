//! Answers go back where residents asked, exactly once: the delivery is written with the
//! answer, a worker sends it to a local server playing VK (tests/common/platforms.rs), and
//! neither two workers at once nor a worker killed mid-send publishes it twice.
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::platforms::{KEY, Platforms, Scripted, key};
use common::{RegionFixture, TestApp, database_url, two_regions};
use gospublic::channels::apis::Apis;
use gospublic::channels::{self, VkCommunity, delivery, intake};
use gospublic::ids::{PageId, RegionId};
use serde_json::json;
use sqlx::PgPool;

const GROUP: i64 = 218000001;
const SECRET: &str = "s3cret-from-vk";
const TOKEN: &str = "vk1.a.community-token";

fn comment(comment_id: i64) -> String {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/vk/wall_reply_new.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    text.replace("DATE", &(chrono::Utc::now().timestamp() - 600).to_string())
        .replace("\"id\": 4512", &format!("\"id\": {comment_id}"))
        .replace("3a8f5b0e", &format!("ev{comment_id}"))
}

/// The region's page connected to its VK community with a token to answer with, a server
/// that calls the platform double, and the editor signed in.
struct Setup {
    region: RegionFixture,
    other: RegionFixture,
    platforms: Platforms,
    hook: String,
    editor: TestApp,
    apis: Apis,
}

async fn setup(db: &PgPool) -> Setup {
    let (a, b) = two_regions(db).await;
    let platforms = Platforms::start().await;
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let token = channels::connect_vk(
        &mut tx,
        region,
        PageId(a.child_page),
        &VkCommunity {
            group_id: GROUP,
            confirmation: "a1b2c3d4",
            secret: Some(SECRET),
            token: Some(TOKEN),
            events: channels::VK_EVENTS,
        },
        Some(&key()),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    let settings = platforms.settings();
    let mut editor = TestApp::with_settings(db.clone(), settings);
    editor.login(&a.editor).await;
    Setup {
        apis: Apis::new(platforms.bases()),
        region: a,
        other: b,
        platforms,
        hook: format!("/hooks/vk/{token}"),
        editor,
    }
}

impl Setup {
    /// A resident comments; the question's id.
    async fn comment(&mut self, db: &PgPool, comment_id: i64) -> i64 {
        let mut vk = self.editor.fresh_browser();
        vk.send(
            Request::post(&self.hook)
                .header("content-type", "application/json")
                .body(Body::from(comment(comment_id)))
                .unwrap(),
        )
        .await
        .assert_status(StatusCode::OK);
        intake::process_due(db).await.unwrap();
        sqlx::query_scalar("select id from questions where external_id like $1")
            .bind(format!("%\\_{comment_id}"))
            .fetch_one(db)
            .await
            .unwrap()
    }

    async fn answer(&mut self, q: i64, text: &str, confirmed: &str) -> common::TestResponse {
        self.editor.get(&format!("/r/region-a/questions/{q}")).await;
        self.editor
            .post_form(
                &format!("/r/region-a/questions/{q}/answer"),
                &[
                    ("text", text),
                    ("kind", "final"),
                    ("answer_rev", "0"),
                    ("split_confirmed", confirmed),
                ],
            )
            .await
    }

    async fn deliver(&self, db: &PgPool) -> usize {
        delivery::deliver_due(db, &self.apis, Some(&key()))
            .await
            .unwrap()
    }
}

async fn status_of(db: &PgPool, q: i64) -> (String, Option<String>, i32) {
    sqlx::query_as(
        "select status, error, sent_parts from channel_deliveries where question_id = $1",
    )
    .bind(q)
    .fetch_one(db)
    .await
    .unwrap()
}

#[sqlx::test]
async fn an_answer_goes_back_under_the_residents_comment_once(db: PgPool) {
    let mut s = setup(&db).await;
    let q = s.comment(&db, 4512).await;
    s.answer(q, "Освещение починят до пятницы.", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    // Written with the answer, before anything was sent.
    assert_eq!(status_of(&db, q).await.0, "pending");
    assert_eq!(s.deliver(&db).await, 1);
    assert_eq!(s.deliver(&db).await, 0, "nothing is left to send");

    let calls = s.platforms.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.method, "wall.createComment");
    assert_eq!(call.params["owner_id"], "-218000001");
    assert_eq!(call.params["post_id"], "77");
    assert_eq!(call.params["reply_to_comment"], "4512");
    assert_eq!(call.params["from_group"], "218000001");
    assert_eq!(call.params["access_token"], TOKEN);
    assert_eq!(call.params["message"], "Освещение починят до пятницы.");
    assert!(
        call.params["guid"]
            .as_str()
            .unwrap()
            .starts_with("gospublic-")
    );

    let published = s.platforms.published();
    assert_eq!(published.len(), 1);
    let page = s.editor.get(&format!("/r/region-a/questions/{q}")).await;
    page.assert_contains("доставлено")
        .assert_contains(&format!(
            "href=\"https://vk.com/wall-218000001_77?reply={}\"",
            published[0].id
        ))
        .assert_contains("Ответ доставлен на площадку");
}

#[sqlx::test]
async fn two_workers_at_once_send_each_answer_once(db: PgPool) {
    let mut s = setup(&db).await;
    let mut questions = Vec::new();
    for c in 0..6 {
        let q = s.comment(&db, 5000 + c).await;
        s.answer(q, &format!("Ответ на {c}"), "")
            .await
            .assert_status(StatusCode::SEE_OTHER);
        questions.push(q);
    }
    let (one, two) = tokio::join!(s.deliver(&db), s.deliver(&db));
    assert_eq!(one + two, 6);
    // Not one call was repeated: VK never had to drop anything by its guid.
    let calls = s.platforms.calls();
    assert_eq!(calls.len(), 6, "{calls:?}");
    let mut guids: Vec<_> = calls.iter().map(|c| c.params["guid"].clone()).collect();
    guids.dedup();
    assert_eq!(guids.len(), 6);
    for q in questions {
        assert_eq!(status_of(&db, q).await.0, "delivered");
    }
}

#[sqlx::test]
async fn a_worker_killed_after_sending_does_not_make_the_answer_appear_twice(db: PgPool) {
    let mut s = setup(&db).await;
    let q = s.comment(&db, 4512).await;
    s.answer(q, "Ответ, который отправят дважды.", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    // VK publishes the comment, and the worker dies before it hears back.
    s.platforms.hang_next();
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_gospublic"))
        .arg("deliver-answers")
        .env("DATABASE_URL", database_url(&db).await)
        .env("GOSPUBLIC_SECRET_KEY", KEY)
        .env("GOSPUBLIC_VK_API_BASE", &s.platforms.bases().vk)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    s.platforms.wait_for_calls(1).await;
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert_eq!(s.platforms.published().len(), 1);
    let (status, _, sent) = status_of(&db, q).await;
    assert_eq!(
        (status.as_str(), sent),
        ("pending", 0),
        "nothing was recorded"
    );

    // Its lease runs out; the next worker sends again with the same guid, and VK drops the
    // repeat, answering with the comment it already has.
    sqlx::query("update channel_deliveries set claimed_until = now() - interval '1 second'")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(s.deliver(&db).await, 1);
    let calls = s.platforms.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].params["guid"], calls[1].params["guid"]);
    let published = s.platforms.published();
    assert_eq!(published.len(), 1, "the resident sees one answer");
    let remote: Vec<String> =
        sqlx::query_scalar("select unnest(remote_ids) from channel_deliveries")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(remote, [published[0].id.clone()]);
    assert_eq!(status_of(&db, q).await.0, "delivered");
}

#[sqlx::test]
async fn the_platforms_errors_show_on_the_question_and_a_refusal_can_be_retried(db: PgPool) {
    let mut s = setup(&db).await;
    let q = s.comment(&db, 4512).await;
    s.answer(q, "Ответ.", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);

    // Too many requests: tried again later, the reason shown meanwhile.
    s.platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 6, "error_msg": "Too many requests per second"}}),
    );
    s.deliver(&db).await;
    let (status, error, _) = status_of(&db, q).await;
    assert_eq!(status, "pending");
    assert_eq!(error.as_deref(), Some("VK 6: Too many requests per second"));
    s.editor
        .get(&format!("/r/region-a/questions/{q}"))
        .await
        .assert_contains("отправляется")
        .assert_contains("повторим");
    assert_eq!(s.deliver(&db).await, 0, "not before its time");

    // Access denied is for good: not delivered, with VK's reason, and a retry button.
    sqlx::query("update channel_deliveries set next_attempt_at = now()")
        .execute(&db)
        .await
        .unwrap();
    s.platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 15, "error_msg": "Access denied: no access to call this method"}}),
    );
    s.deliver(&db).await;
    assert_eq!(status_of(&db, q).await.0, "failed");
    let page = s.editor.get(&format!("/r/region-a/questions/{q}")).await;
    page.assert_contains("не доставлено")
        .assert_contains("VK 15: Access denied: no access to call this method")
        .assert_contains("Отправить ещё раз");
    let delivery: i64 = sqlx::query_scalar("select id from channel_deliveries")
        .fetch_one(&db)
        .await
        .unwrap();
    s.editor
        .post_form(
            &format!("/r/region-a/questions/{q}/deliveries/retry"),
            &[("delivery", &delivery.to_string())],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(s.deliver(&db).await, 1);
    assert_eq!(status_of(&db, q).await.0, "delivered");
    assert_eq!(s.platforms.published().len(), 1);

    // A revoked token is for good too.
    let q2 = s.comment(&db, 4513).await;
    s.answer(q2, "Второй ответ.", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    s.platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 5, "error_msg": "User authorization failed: access_token has expired."}}),
    );
    s.deliver(&db).await;
    let (status, error, _) = status_of(&db, q2).await;
    assert_eq!(status, "failed");
    assert!(error.unwrap().starts_with("VK 5:"));

    // VK's own trouble (HTTP 502) is tried again.
    let q3 = s.comment(&db, 4514).await;
    s.answer(q3, "Третий ответ.", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    s.platforms.script_with(
        "vk",
        Scripted {
            status: 502,
            body: json!({}),
            retry_after: None,
        },
    );
    s.deliver(&db).await;
    assert_eq!(
        status_of(&db, q3).await,
        ("pending".to_owned(), Some("HTTP 502".to_owned()), 0)
    );
}

#[sqlx::test]
async fn a_long_answer_is_announced_then_sent_in_numbered_parts(db: PgPool) {
    let mut s = setup(&db).await;
    let q = s.comment(&db, 4512).await;
    let long = "Мы проверили освещение во дворе школы. ".repeat(120);
    let res = s.answer(q, &long, "").await;
    res.assert_status(StatusCode::OK);
    res.assert_contains("3 частями")
        .assert_contains("name=\"split_confirmed\" value=\"3\"");
    let answered: Option<String> = sqlx::query_scalar("select answer from questions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        answered, None,
        "nothing is published before the editor agrees"
    );

    s.answer(q, &long, "3")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    s.deliver(&db).await;
    let published = s.platforms.published();
    assert_eq!(published.len(), 3);
    for (i, p) in published.iter().enumerate() {
        assert!(p.text.chars().count() <= 2000);
        assert!(p.text.ends_with(&format!("({}/3)", i + 1)), "{}", p.text);
        assert_eq!(p.reply_to, "4512");
    }
    assert_eq!(status_of(&db, q).await, ("delivered".to_owned(), None, 3));
}

#[sqlx::test]
async fn retrying_is_for_those_who_answer_and_only_in_their_region(db: PgPool) {
    let mut s = setup(&db).await;
    let q = s.comment(&db, 4512).await;
    s.answer(q, "Ответ.", "").await;
    s.platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 15, "error_msg": "Access denied"}}),
    );
    s.deliver(&db).await;
    let delivery: String = sqlx::query_scalar("select id::text from channel_deliveries")
        .fetch_one(&db)
        .await
        .unwrap();
    // A coordinator oversees the question but does not answer it.
    let mut coordinator = s.editor.fresh_browser();
    coordinator.login(&s.region.coordinator).await;
    coordinator.get(&format!("/r/region-a/questions/{q}")).await;
    coordinator
        .post_form(
            &format!("/r/region-a/questions/{q}/deliveries/retry"),
            &[("delivery", &delivery)],
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // The other region's editor, in their own region, finds no such question.
    let mut other = s.editor.fresh_browser();
    other.login(&s.other.editor).await;
    other.get("/r/region-b/questions").await;
    other
        .post_form(
            &format!("/r/region-b/questions/{q}/deliveries/retry"),
            &[("delivery", &delivery)],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(status_of(&db, q).await.0, "failed");
}

fn vk_event(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/vk/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("DATE", &(chrono::Utc::now().timestamp() - 600).to_string())
}

fn community_message(id: i64, text: &str) -> String {
    json!({"group_id": GROUP, "type": "message_reply", "event_id": format!("reply{id}"), "v": "5.199",
           "object": {"date": chrono::Utc::now().timestamp(), "from_id": -GROUP, "id": id, "out": 1,
                      "peer_id": 7654321, "text": text}, "secret": SECRET})
    .to_string()
}

#[sqlx::test]
async fn vk_authors_are_named_and_a_conversation_is_one_question_until_answered(db: PgPool) {
    let mut s = setup(&db).await;
    let namer = gospublic::channels::names::Namer {
        apis: s.apis.clone(),
        key: Some(key()),
    };
    let mut vk = s.editor.fresh_browser();
    let mut post = async |body: String| {
        vk.send(
            Request::post(&s.hook)
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .assert_status(StatusCode::OK);
        intake::process_and_name(&db, &namer).await.unwrap();
    };
    post(vk_event("message_new")).await;
    let (q, author, conversation): (i64, String, String) =
        sqlx::query_as("select id, author_name, conversation from questions")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(author, "Житель 7654321", "VK named the author");
    assert_eq!(conversation, "vk:7654321");
    let asked = s.platforms.calls().pop().unwrap();
    assert_eq!(
        (asked.method.as_str(), asked.params["user_ids"].as_str()),
        ("users.get", Some("7654321"))
    );

    // The resident writes again: the same question.
    post(
        vk_event("message_new")
            .replace("\"id\": 91", "\"id\": 92")
            .replace("5c0a7d2a", "5c0a7d2b")
            .replace(
                "Подскажите, когда начнётся запись в первый класс?",
                "Ребёнку 6 лет.",
            ),
    )
    .await;
    assert_eq!(s.editor.count("select count(*) from questions").await, 1);

    // The editor asks for more: the request goes to the conversation, the clock waits.
    s.editor.get(&format!("/r/region-a/questions/{q}")).await;
    s.editor
        .post_form(
            &format!("/r/region-a/questions/{q}/pause"),
            &[("text", "Уточните, пожалуйста, номер школы.")],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    s.deliver(&db).await;
    let sent = s.platforms.calls().pop().unwrap();
    assert_eq!(sent.method, "messages.send");
    assert_eq!(sent.params["message"], "Уточните, пожалуйста, номер школы.");
    assert_eq!(sent.params["peer_id"], "7654321");
    // It comes back from VK as the community's message: that is not an answer.
    post(community_message(93, "Уточните, пожалуйста, номер школы.")).await;
    // The resident answers: the question resumes.
    post(
        vk_event("message_new")
            .replace("\"id\": 91", "\"id\": 94")
            .replace("5c0a7d2a", "5c0a7d2c")
            .replace(
                "Подскажите, когда начнётся запись в первый класс?",
                "Школа № 5.",
            ),
    )
    .await;
    let (status, paused): (String, bool) =
        sqlx::query_as("select status, paused_at is not null from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), paused), ("in_progress", false));

    // The community answers in VK's own interface: the question is answered there.
    post(community_message(95, "Запись начнётся 1 апреля.")).await;
    let (status, answer): (String, String) =
        sqlx::query_as("select status, answer from questions where id = $1")
            .bind(q)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(status, "answered");
    assert_eq!(answer, "Запись начнётся 1 апреля.");
    let outcomes: Vec<String> =
        sqlx::query_scalar("select outcome from channel_events order by id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        outcomes,
        ["filed", "follow_up", "own", "follow_up", "answered"]
    );
    s.editor
        .get(&format!("/r/region-a/questions/{q}"))
        .await
        .assert_contains("Работа возобновлена")
        .assert_contains("запрос уточнения");
}
