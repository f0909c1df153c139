//! A VK community connected to its page: events delivered to the webhook as VK documents
//! them (tests/fixtures/vk, with `DATE` standing for the moment the test runs) become
//! questions in the organization's inbox, once.
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{RegionFixture, TestApp, TestResponse, database_url, two_regions};
use gospublic::channels::{self, VkCommunity, intake};
use gospublic::ids::{PageId, RegionId};
use sqlx::PgPool;

const GROUP: i64 = 218000001;
const SECRET: &str = "s3cret-from-vk";

fn event(name: &str) -> String {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/vk/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    text.replace("DATE", &(chrono::Utc::now().timestamp() - 600).to_string())
}

async fn connect(db: &PgPool, r: &RegionFixture) -> String {
    let region = RegionId(r.id);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let token = channels::connect_vk(
        &mut tx,
        region,
        PageId(r.child_page),
        &VkCommunity {
            group_id: GROUP,
            confirmation: "a1b2c3d4",
            secret: Some(SECRET),
            token: None,
            events: channels::VK_EVENTS,
        },
        None,
        None,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    format!("/hooks/vk/{token}")
}

async fn deliver(app: &mut TestApp, hook: &str, body: impl Into<Body>) -> TestResponse {
    app.send(
        Request::post(hook)
            .header("content-type", "application/json")
            .body(body.into())
            .unwrap(),
    )
    .await
}

async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

#[sqlx::test]
async fn vk_confirms_and_a_residents_comment_becomes_one_question(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());

    let res = deliver(&mut vk, &hook, event("confirmation")).await;
    res.assert_status(StatusCode::OK);
    assert_eq!(res.body, "a1b2c3d4");

    // VK retries until it hears «ok»: the same event twice is one event and one question.
    for _ in 0..2 {
        let res = deliver(&mut vk, &hook, event("wall_reply_new")).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.body, "ok");
    }
    assert_eq!(count(&db, "select count(*) from channel_events").await, 1);
    assert_eq!(intake::process_due(&db).await.unwrap(), 1);
    let (org, page, channel, external, source, contact, attachments, due_later): (
        i64,
        i64,
        String,
        String,
        String,
        String,
        Vec<String>,
        bool,
    ) = sqlx::query_as(
        r#"select organization_id, page_id, channel, external_id, source_url, author_contact, attachments,
                  first_response_due > received_at
           from questions"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((org, page), (a.child, a.child_page));
    assert_eq!(channel, "comment");
    assert_eq!(external, "wall-218000001_77_4512");
    assert_eq!(source, "https://vk.com/wall-218000001_77?reply=4512");
    assert_eq!(contact, "https://vk.com/id1234567");
    assert_eq!(attachments, ["https://vk.com/photo1234567_457239017"]);
    assert!(due_later, "the deadline is counted from the comment");

    // Delivered again under another event id, the comment is still one question.
    let again = event("wall_reply_new").replace("3a8f5b0e", "ffffffff");
    deliver(&mut vk, &hook, again)
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    assert_eq!(count(&db, "select count(*) from questions").await, 1);
    assert_eq!(
        count(
            &db,
            "select count(*) from channel_events where outcome = 'known'"
        )
        .await,
        1
    );

    // The editor sees it in the inbox; the other region does not.
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get("/r/region-a/questions")
        .await
        .assert_contains("Когда во дворе школы починят освещение?");
    let id: i64 = sqlx::query_scalar("select id from questions")
        .fetch_one(&db)
        .await
        .unwrap();
    editor
        .get(&format!("/r/region-a/questions/{id}"))
        .await
        .assert_contains("href=\"https://vk.com/wall-218000001_77?reply=4512\"")
        .assert_contains("Открыть на площадке");
}

#[sqlx::test]
async fn own_replies_messages_discussions_and_other_events(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());
    for name in [
        "wall_reply_new_own",
        "message_new",
        "board_post_new",
        "wall_reply_edit",
        "wall_reply_delete",
        "group_join",
    ] {
        let res = deliver(&mut vk, &hook, event(name)).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.body, "ok", "{name}");
    }
    assert_eq!(intake::process_due(&db).await.unwrap(), 6);
    let outcomes: Vec<(String, String)> =
        sqlx::query_as("select kind, outcome from channel_events order by id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        outcomes,
        [
            ("wall_reply_new", "own"),
            ("message_new", "filed"),
            ("board_post_new", "filed"),
            ("wall_reply_edit", "ignored"),
            ("wall_reply_delete", "ignored"),
            ("group_join", "ignored"),
        ]
        .map(|(k, o)| (k.to_owned(), o.to_owned()))
    );
    let channels: Vec<(String, String)> =
        sqlx::query_as("select channel, source_url from questions order by id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        channels,
        [
            ("message", "https://vk.com/gim218000001?sel=7654321"),
            ("comment", "https://vk.com/topic-218000001_40?post=3"),
        ]
        .map(|(c, u)| (c.to_owned(), u.to_owned()))
    );
}

#[sqlx::test]
async fn what_is_not_an_event_of_this_community_is_refused_and_stores_nothing(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());
    let wrong_secret = event("wall_reply_new").replace(SECRET, "guess");
    let no_secret = event("wall_reply_new").replace(&format!(", \"secret\": \"{SECRET}\""), "");
    let other_group = event("wall_reply_new").replace("\"group_id\": 218000001", "\"group_id\": 5");
    let cases: Vec<(&str, String, StatusCode)> = vec![
        ("wrong secret", wrong_secret, StatusCode::FORBIDDEN),
        ("no secret", no_secret, StatusCode::FORBIDDEN),
        ("another community", other_group, StatusCode::FORBIDDEN),
        (
            "not JSON",
            "type=wall_reply_new".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "not an event",
            "[1, 2, 3]".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "a raw NUL",
            "{\"type\": \"a\u{0}\"}".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "an escaped NUL",
            format!(
                "{{\"group_id\": {GROUP}, \"type\": \"x\\u0000\", \"event_id\": \"n\", \"secret\": \"{SECRET}\"}}"
            ),
            StatusCode::OK,
        ),
        (
            "over 1 MB",
            format!(
                "{{\"type\": \"message_new\", \"pad\": \"{}\"}}",
                "x".repeat(1_100_000)
            ),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (what, body, status) in cases {
        let res = deliver(&mut vk, &hook, body).await;
        assert_eq!(res.status, status, "{what}: {}", res.body);
        assert!(
            !res.body.contains("<html"),
            "{what}: plain text, not an error page"
        );
    }
    // An escaped NUL is JSON PostgreSQL cannot store: it is dropped, the event kept.
    assert_eq!(
        count(&db, "select count(*) from channel_events where kind = 'x'").await,
        1
    );
    assert_eq!(count(&db, "select count(*) from channel_events").await, 1);
    let unknown = format!("/hooks/vk/{}", "0".repeat(64));
    deliver(&mut vk, &unknown, event("wall_reply_new"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    deliver(&mut vk, "/hooks/vk/not-a-token", event("wall_reply_new"))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // Connecting the page again replaces the webhook: the old address stops at once.
    let new_hook = connect(&db, &a).await;
    deliver(&mut vk, &hook, event("wall_reply_new"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    deliver(&mut vk, &new_hook, event("wall_reply_new"))
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    // The question is region A's; region B has none.
    let regions: Vec<i64> = sqlx::query_scalar("select region_id from questions")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(regions, [a.id]);
    assert_ne!(a.id, b.id);
}

#[sqlx::test]
async fn a_token_is_stored_only_sealed_and_a_page_elsewhere_cannot_be_connected(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let with_token = VkCommunity {
        group_id: GROUP,
        confirmation: "x",
        secret: None,
        token: Some("vk1.a.community-token"),
        events: channels::VK_EVENTS,
    };
    let refused = channels::connect_vk(
        &mut tx,
        region,
        PageId(a.child_page),
        &with_token,
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(refused, Err(channels::ConnectError::NoKey));
    let key = channels::secrets::SecretKey::parse(&"ab".repeat(32)).unwrap();
    channels::connect_vk(
        &mut tx,
        region,
        PageId(a.child_page),
        &with_token,
        Some(&key),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let elsewhere = channels::connect_vk(
        &mut tx,
        region,
        PageId(b.child_page),
        &with_token,
        Some(&key),
        None,
    )
    .await
    .unwrap();
    assert_eq!(elsewhere, Err(channels::ConnectError::NoPage));
    tx.commit().await.unwrap();
    let sealed: Vec<u8> =
        sqlx::query_scalar("select token_sealed from channel_connections where revoked_at is null")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(key.open(&sealed).as_deref(), Some("vk1.a.community-token"));
    let in_audit = count(
        &db,
        "select count(*) from audit_log where details::text like '%community-token%' or details::text like '%s3cret%'",
    )
    .await;
    assert_eq!(in_audit, 0, "no token or secret in the audit log");
}

#[sqlx::test]
async fn a_failing_event_is_retried_later_and_its_reason_kept(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());
    deliver(&mut vk, &hook, event("message_new")).await;
    // A constraint stands in for a database that refuses the question for a while.
    sqlx::query("alter table questions add constraint refuse_messages check (channel <> 'message') not valid")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(intake::process_due(&db).await.unwrap(), 0);
    let (attempts, error, processed): (i32, Option<String>, bool) =
        sqlx::query_as("select attempts, error, processed_at is not null from channel_events")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((attempts, processed), (1, false));
    assert!(error.unwrap().contains("refuse_messages"));
    // Not due again yet: a retry waits.
    assert_eq!(intake::process_due(&db).await.unwrap(), 0);
    sqlx::query("alter table questions drop constraint refuse_messages")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("update channel_events set next_attempt_at = now()")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(intake::process_due(&db).await.unwrap(), 1);
    assert_eq!(count(&db, "select count(*) from questions").await, 1);
}

#[sqlx::test]
async fn pages_are_connected_from_the_command_line(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let url = database_url(&db).await;
    let run = |args: &[&str], key: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gospublic"));
        command
            .args(args)
            .env("DATABASE_URL", &url)
            .env("GOSPUBLIC_BASE_URL", "https://gospublic.example.ru/")
            .env_remove("GOSPUBLIC_SECRET_KEY");
        if let Some(key) = key {
            command.env("GOSPUBLIC_SECRET_KEY", key);
        }
        command.output().unwrap()
    };
    let page = a.child_page.to_string();
    let add = |token: Option<&'static str>| {
        let mut args = vec![
            "channel",
            "add",
            "vk",
            "--region",
            "region-a",
            "--page",
            &page,
            "--group-id",
            "218000001",
            "--confirmation",
            "a1b2c3d4",
            "--secret",
            SECRET,
        ];
        if let Some(t) = token {
            args.extend(["--token", t]);
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let args = add(Some("vk1.a.token"));
    let refused = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("GOSPUBLIC_SECRET_KEY"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let key = "cd".repeat(32);
    let out = run(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        Some(&key),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let hook = printed.trim();
    assert!(
        hook.starts_with("https://gospublic.example.ru/hooks/vk/") && !hook.contains('\n'),
        "{printed}"
    );
    // The address printed is the one VK reaches.
    let mut vk = TestApp::new(db.clone());
    let res = deliver(
        &mut vk,
        hook.trim_start_matches("https://gospublic.example.ru"),
        event("confirmation"),
    )
    .await;
    assert_eq!(res.body, "a1b2c3d4");
    let listed = run(&["channel", "list", "--region", "region-a"], None);
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listed.contains(hook) && listed.contains("last event:"),
        "{listed}"
    );
    assert!(
        !listed.contains("vk1.a.token") && !listed.contains(SECRET),
        "{listed}"
    );
    let wrong = run(
        &[
            "channel",
            "add",
            "vk",
            "--region",
            "region-a",
            "--page",
            "999999",
            "--group-id",
            "1",
            "--confirmation",
            "x",
        ],
        None,
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("does not exist"));
}

#[sqlx::test]
async fn an_editor_connects_the_page_on_its_screen_and_the_card_tells_the_state(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    let screen = format!("/r/region-a/pages/{}/channels", a.child_page);
    editor
        .get(&screen)
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Подключить сообщество ВКонтакте");
    let res = editor
        .post_form(
            &screen,
            &[
                ("group_id", "сообщество"),
                ("confirmation", ""),
                ("secret", SECRET),
                ("token", "vk1.a.token"),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Укажите номер сообщества")
        .assert_contains("Выберите хотя бы один вид событий")
        .assert_contains("GOSPUBLIC_SECRET_KEY")
        .assert_lacks(SECRET);
    editor
        .post_form(
            &screen,
            &[
                ("group_id", "club218000001"),
                ("confirmation", "a1b2c3d4"),
                ("secret", SECRET),
                ("token", ""),
                ("wall_reply_new", "on"),
                ("message_new", "on"),
            ],
        )
        .await
        .assert_redirect(&screen);
    // Discussions were left unticked: their posts will not become questions.
    let events: Vec<String> = sqlx::query_scalar(
        "select unnest(events) from channel_connections where revoked_at is null",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(events, ["wall_reply_new", "message_new"]);
    let page = editor.get(&screen).await;
    page.assert_contains("http://127.0.0.1:8080/hooks/vk/")
        .assert_contains("событий от площадки ещё не было");
    let hook = common::link_in("/hooks/vk/", &page.body);
    let mut vk = TestApp::new(db.clone());
    deliver(&mut vk, &hook, event("wall_reply_new"))
        .await
        .assert_status(StatusCode::OK);
    editor
        .get(&format!("/r/region-a/pages/{}/card", a.child_page))
        .await
        .assert_contains("ВКонтакте: последнее событие");

    // A coordinator sees the state, not the form; cannot connect.
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    coordinator
        .get(&screen)
        .await
        .assert_status(StatusCode::OK)
        .assert_lacks("Подключить сообщество ВКонтакте");
    coordinator
        .post_form(&screen, &[("group_id", "1"), ("confirmation", "x")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // Another organization's page is out of the editor's reach.
    let other = editor
        .get(&format!("/r/region-a/pages/{}/channels", a.other_page))
        .await;
    assert!(
        matches!(other.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        other.status
    );
}

#[sqlx::test]
async fn a_comment_delivered_twice_before_the_worker_runs_is_one_question(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());
    deliver(&mut vk, &hook, event("wall_reply_new")).await;
    let again = event("wall_reply_new").replace("3a8f5b0e", "eeeeeeee");
    deliver(&mut vk, &hook, again).await;
    deliver(&mut vk, &hook, event("message_new")).await;
    assert_eq!(intake::process_due(&db).await.unwrap(), 3);
    let outcomes: Vec<String> =
        sqlx::query_scalar("select outcome from channel_events order by id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(outcomes, ["filed", "known", "filed"]);
    assert_eq!(count(&db, "select count(*) from questions").await, 2);
    assert_eq!(
        count(
            &db,
            "select count(*) from question_events where kind = 'received'"
        )
        .await,
        2
    );
}

#[sqlx::test]
async fn disconnecting_a_page_stops_its_webhook_at_once(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let screen = format!("/r/region-a/pages/{}/channels", a.child_page);
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    coordinator.get(&screen).await.assert_lacks("Отключить");
    coordinator
        .post_form(&format!("{screen}/revoke"), &[("platform", "vk")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor.get(&screen).await.assert_contains("Отключить");
    editor
        .post_form(&format!("{screen}/revoke"), &[("platform", "vk")])
        .await
        .assert_redirect(&screen);
    editor
        .get(&screen)
        .await
        .assert_contains("Страница отключена")
        .assert_contains("Страница не подключена");
    let mut vk = TestApp::new(db.clone());
    deliver(&mut vk, &hook, event("wall_reply_new"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            &db,
            "select count(*) from audit_log where action = 'revoke' and object_type = 'channel'"
        )
        .await,
        1
    );
}

#[sqlx::test]
async fn edits_deletions_and_the_communitys_replies_on_vk_change_the_question(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());
    let second = event("wall_reply_new")
        .replace("\"id\": 4512", "\"id\": 4600")
        .replace("3a8f5b0e", "second00");
    for body in [event("wall_reply_new"), second] {
        deliver(&mut vk, &hook, body)
            .await
            .assert_status(StatusCode::OK);
    }
    intake::process_due(&db).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("select id from questions order by id")
        .fetch_all(&db)
        .await
        .unwrap();
    let (q, other) = (ids[0], ids[1]);

    // The resident corrects the comment: the text follows, the old one stays on the timeline.
    deliver(&mut vk, &hook, event("wall_reply_edit"))
        .await
        .assert_status(StatusCode::OK);
    // The community answers it right on VK: the question is answered, its clock stopped.
    deliver(&mut vk, &hook, event("wall_reply_new_own"))
        .await
        .assert_status(StatusCode::OK);
    // The resident deletes the other comment: that question is withdrawn.
    let delete = event("wall_reply_delete").replace("\"id\": 4512", "\"id\": 4600");
    deliver(&mut vk, &hook, delete)
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();

    let rows: Vec<(String, String)> = sqlx::query_as(
        "select kind, outcome from channel_events where outcome not in ('filed') order by id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            ("wall_reply_edit", "edited"),
            ("wall_reply_new", "answered"),
            ("wall_reply_delete", "withdrawn"),
        ]
        .map(|(k, o)| (k.to_owned(), o.to_owned()))
    );
    let (body, status, answer, answered_by, stopped): (String, String, String, Option<i64>, bool) =
        sqlx::query_as(
            "select body, status, answer, answered_by, first_response_at is not null and due_at is null from questions where id = $1",
        )
        .bind(q)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(body, "Когда во дворе школы починят освещение? (исправлено)");
    assert_eq!(status, "answered");
    assert_eq!(answer, "Здравствуйте! Освещение восстановят до пятницы.");
    assert_eq!(answered_by, None);
    assert!(stopped, "the clocks stopped");
    let status: String = sqlx::query_scalar("select status from questions where id = $1")
        .bind(other)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "withdrawn");

    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get(&format!("/r/region-a/questions/{q}"))
        .await
        .assert_contains("Житель изменил текст")
        .assert_contains("Вечером дети идут с кружков в темноте.</blockquote>")
        .assert_contains("Ответ дан прямо на площадке");
    editor
        .get(&format!("/r/region-a/questions/{other}"))
        .await
        .assert_contains("удалено жителем");
    // A withdrawn question is not in the open inbox.
    editor
        .get("/r/region-a/questions")
        .await
        .assert_lacks(&format!("#{other}<"));
}

#[sqlx::test]
async fn the_regions_words_guess_the_category_of_a_question_from_vk(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let hook = connect(&db, &a).await;
    let mut vk = TestApp::new(db.clone());
    // The region's catch-all without words of its own.
    deliver(&mut vk, &hook, event("message_new"))
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    sqlx::query(
        "update region_settings set category_keywords = 'Благоустройство: освещен, фонар, двор\nОбразование: школ' where region_id = $1",
    )
    .bind(a.id)
    .execute(&db)
    .await
    .unwrap();
    // «освещение», «двора», «школы»: two words of Благоустройство beat one of Образование.
    deliver(&mut vk, &hook, event("wall_reply_new"))
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    let categories: Vec<String> = sqlx::query_scalar("select category from questions order by id")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(categories, ["Другое", "Благоустройство"]);
}
