//! Telegram and MAX bots connected to their pages: the webhook is registered with the
//! platform (played by tests/common/platforms.rs), a resident's message becomes a question,
//! further messages from the same chat join it while it is open, and the answer goes back as
//! a reply in the chat.
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::platforms::{KEY, Platforms, Scripted, key};
use common::{RegionFixture, TestApp, TestResponse, database_url, two_regions};
use gospublic::channels::apis::Apis;
use gospublic::channels::{self, ConnectError, delivery, intake};
use gospublic::ids::{PageId, RegionId};
use serde_json::json;
use sqlx::PgPool;

const BOT_TOKEN: &str = "7000001:AAH-school-bot-token";

fn fixture(path: &str) -> String {
    let now = chrono::Utc::now().timestamp() - 600;
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("DATEMS", &(now * 1000).to_string())
    .replace("DATE", &now.to_string())
}

async fn bot_page(db: &PgPool, r: &RegionFixture, platform: &str) -> i64 {
    sqlx::query_scalar(
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $2, $3, $4, 'https://' || $4) returning id",
    )
    .bind(r.id)
    .bind(r.child)
    .bind(platform)
    .bind(format!("{platform}.example/school-bot"))
    .fetch_one(db)
    .await
    .unwrap()
}

struct Bot {
    region: RegionFixture,
    platforms: Platforms,
    apis: Apis,
    hook: String,
    /// The secret the platform was told to send back.
    secret: String,
    editor: TestApp,
}

async fn connect(db: &PgPool, platform: &str) -> Bot {
    let (a, _b) = two_regions(db).await;
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());
    let page = bot_page(db, &a, platform).await;
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let token = channels::connect_bot(
        &mut tx,
        region,
        PageId(page),
        BOT_TOKEN,
        Some(&key()),
        None,
        &apis,
        "https://gospublic.example.ru",
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    let registration = platforms.calls().pop().unwrap();
    let hook = format!("/hooks/{platform}/{token}");
    assert_eq!(
        registration.params["url"],
        format!("https://gospublic.example.ru{hook}")
    );
    let secret = registration.params[if platform == "max" {
        "secret"
    } else {
        "secret_token"
    }]
    .as_str()
    .unwrap()
    .to_owned();
    let settings = platforms.settings();
    let mut editor = TestApp::with_settings(db.clone(), settings);
    editor.login(&a.editor).await;
    Bot {
        region: a,
        platforms,
        apis,
        hook,
        secret,
        editor,
    }
}

impl Bot {
    async fn post(&mut self, header: &str, secret: &str, body: String) -> TestResponse {
        let mut platform = self.editor.fresh_browser();
        platform
            .send(
                Request::post(&self.hook)
                    .header("content-type", "application/json")
                    .header(header, secret)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
    }

    async fn answer(&mut self, q: i64, text: &str) {
        self.editor.get(&format!("/r/region-a/questions/{q}")).await;
        let rev: i32 = sqlx::query_scalar("select answer_rev from questions where id = $1")
            .bind(q)
            .fetch_one(&self.editor.db)
            .await
            .unwrap();
        self.editor
            .post_form(
                &format!("/r/region-a/questions/{q}/answer"),
                &[
                    ("text", text),
                    ("kind", "final"),
                    ("answer_rev", &rev.to_string()),
                ],
            )
            .await
            .assert_status(StatusCode::SEE_OTHER);
    }
}

async fn questions(db: &PgPool) -> Vec<(i64, String, String, String)> {
    sqlx::query_as("select id, external_id, conversation, author_name from questions order by id")
        .fetch_all(db)
        .await
        .unwrap()
}

const TG_SECRET: &str = "x-telegram-bot-api-secret-token";

#[sqlx::test]
async fn a_telegram_message_becomes_a_question_its_follow_ups_join_it_and_the_answer_replies(
    db: PgPool,
) {
    let mut bot = connect(&db, "telegram").await;
    let registration = &bot.platforms.calls()[0];
    assert_eq!(registration.method, "setWebhook");
    assert_eq!(registration.authorization.as_deref(), Some(BOT_TOKEN));
    assert_eq!(registration.params["allowed_updates"], json!(["message"]));

    // A wrong or missing secret is refused and stores nothing.
    let message = fixture("telegram/message");
    bot.post(TG_SECRET, "guess", message.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    bot.post("x-other", "none", message.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_eq!(
        bot.editor
            .count("select count(*) from channel_events")
            .await,
        0
    );

    // Delivered twice: one event, one question.
    let secret = bot.secret.clone();
    for _ in 0..2 {
        let res = bot.post(TG_SECRET, &secret, message.clone()).await;
        res.assert_status(StatusCode::OK);
    }
    assert_eq!(intake::process_due(&db).await.unwrap(), 1);
    let filed = questions(&db).await;
    assert_eq!(filed.len(), 1);
    assert_eq!(
        (
            filed[0].1.as_str(),
            filed[0].2.as_str(),
            filed[0].3.as_str()
        ),
        ("telegram5550123_7", "telegram:5550123", "Анна Петрова")
    );
    let q = filed[0].0;

    // The resident adds a line: it joins the open question.
    let more = message
        .replace("861234501", "861234502")
        .replace("\"message_id\": 7", "\"message_id\": 8")
        .replace(
            "Здравствуйте! Когда откроют запись в кружок робототехники?",
            "Ребёнку 9 лет.",
        );
    bot.post(TG_SECRET, &secret, more)
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    assert_eq!(questions(&db).await.len(), 1);
    bot.editor
        .get(&format!("/r/region-a/questions/{q}"))
        .await
        .assert_contains("Житель дописал")
        .assert_contains("Ребёнку 9 лет.");

    // The answer replies to the first message in the chat.
    bot.answer(q, "Запись откроется 1 сентября.").await;
    delivery::deliver_due(&db, &bot.apis, Some(&key()))
        .await
        .unwrap();
    let sent = bot.platforms.calls().pop().unwrap();
    assert_eq!(sent.method, "sendMessage");
    assert_eq!(sent.authorization.as_deref(), Some(BOT_TOKEN));
    assert_eq!(sent.params["chat_id"], 5550123);
    assert_eq!(sent.params["reply_parameters"]["message_id"], 7);
    assert_eq!(sent.params["text"], "Запись откроется 1 сентября.");
    bot.editor
        .get(&format!("/r/region-a/questions/{q}"))
        .await
        .assert_contains("доставлено");

    // Once answered, the chat's next message is a new question.
    let later = message
        .replace("861234501", "861234503")
        .replace("\"message_id\": 7", "\"message_id\": 9");
    bot.post(TG_SECRET, &secret, later)
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    assert_eq!(questions(&db).await.len(), 2);
}

#[sqlx::test]
async fn telegram_rate_limits_wait_and_a_blocked_bot_is_said(db: PgPool) {
    let mut bot = connect(&db, "telegram").await;
    let secret = bot.secret.clone();
    bot.post(TG_SECRET, &secret, fixture("telegram/message"))
        .await
        .assert_status(StatusCode::OK);
    intake::process_due(&db).await.unwrap();
    let q = questions(&db).await[0].0;
    bot.answer(q, "Ответ.").await;

    bot.platforms.script(
        "telegram",
        429,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 120", "parameters": {"retry_after": 120}}),
    );
    delivery::deliver_due(&db, &bot.apis, Some(&key()))
        .await
        .unwrap();
    let (status, wait): (String, f64) = sqlx::query_as(
        "select status, extract(epoch from next_attempt_at - now())::float8 from channel_deliveries",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(status, "pending");
    assert!(wait > 100.0, "Telegram's retry_after is kept: {wait}");

    sqlx::query("update channel_deliveries set next_attempt_at = now()")
        .execute(&db)
        .await
        .unwrap();
    bot.platforms.script_with(
        "telegram",
        Scripted {
            status: 403,
            body: json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
            retry_after: None,
        },
    );
    delivery::deliver_due(&db, &bot.apis, Some(&key()))
        .await
        .unwrap();
    bot.editor
        .get(&format!("/r/region-a/questions/{q}"))
        .await
        .assert_contains("не доставлено")
        .assert_contains("Telegram 403: Forbidden: bot was blocked by the user");
    assert!(bot.platforms.published().is_empty());
}

#[sqlx::test]
async fn a_max_message_becomes_a_question_and_the_answer_replies_in_the_dialog(db: PgPool) {
    let mut bot = connect(&db, "max").await;
    let registration = &bot.platforms.calls()[0];
    assert_eq!(registration.method, "subscriptions");
    assert_eq!(registration.authorization.as_deref(), Some(BOT_TOKEN));
    assert_eq!(
        registration.params["update_types"],
        json!(["message_created"])
    );

    let message = fixture("max/message_created");
    bot.post("x-max-bot-api-secret", "guess", message.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let secret = bot.secret.clone();
    for _ in 0..2 {
        bot.post("x-max-bot-api-secret", &secret, message.clone())
            .await
            .assert_status(StatusCode::OK);
    }
    bot.post("x-max-bot-api-secret", &secret, "{\"no\": 1}".into())
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(intake::process_due(&db).await.unwrap(), 1);
    let filed = questions(&db).await;
    assert_eq!(
        (
            filed[0].1.as_str(),
            filed[0].2.as_str(),
            filed[0].3.as_str()
        ),
        (
            "max7700512_mid.0000000000757c00000001a2b3c4d5e6",
            "max:7700512",
            "Иван Смирнов"
        )
    );
    bot.answer(filed[0].0, "Фонтан включат в мае.").await;
    delivery::deliver_due(&db, &bot.apis, Some(&key()))
        .await
        .unwrap();
    let sent = bot.platforms.calls().pop().unwrap();
    assert_eq!(sent.method, "messages");
    assert_eq!(sent.authorization.as_deref(), Some(BOT_TOKEN));
    assert_eq!(sent.params["chat_id"], "7700512");
    assert_eq!(
        sent.params["link"],
        json!({"type": "reply", "mid": "mid.0000000000757c00000001a2b3c4d5e6"})
    );
    assert_eq!(bot.platforms.published().len(), 1);
    let region = bot.region.id;
    let delivered: i64 = sqlx::query_scalar(
        "select count(*) from channel_deliveries where region_id = $1 and status = 'delivered'",
    )
    .bind(region)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(delivered, 1);
}

#[sqlx::test]
async fn bots_are_connected_from_the_command_line_and_refused_without_a_key(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let platforms = Platforms::start().await;
    let telegram_page = bot_page(&db, &a, "telegram").await.to_string();
    let url = database_url(&db).await;
    let run = |args: &[&str], key: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gospublic"));
        command
            .args(args)
            .env("DATABASE_URL", &url)
            .env("GOSPUBLIC_BASE_URL", "https://gospublic.example.ru")
            .env("GOSPUBLIC_TELEGRAM_API_BASE", platforms.bases().telegram)
            .env_remove("GOSPUBLIC_SECRET_KEY");
        if let Some(key) = key {
            command.env("GOSPUBLIC_SECRET_KEY", key);
        }
        // Off the test's runtime, which also serves the platform the command calls.
        tokio::task::spawn_blocking(move || command.output().unwrap())
    };
    let add = [
        "channel",
        "add",
        "telegram",
        "--region",
        "region-a",
        "--page",
        &telegram_page,
        "--bot-token",
        BOT_TOKEN,
    ];
    let refused = run(&add, None).await.unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("GOSPUBLIC_SECRET_KEY"));
    assert!(platforms.calls().is_empty(), "nothing was registered");

    let out = run(&add, Some(KEY)).await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let line = printed.lines().next().unwrap();
    assert!(line.starts_with("https://gospublic.example.ru/hooks/telegram/"));
    assert_eq!(platforms.calls()[0].params["url"], line);
    // The token is kept sealed, never as it was given.
    let sealed: Vec<u8> = sqlx::query_scalar("select token_sealed from channel_connections")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("AAH-school"));

    // A vk page is not a bot's.
    let mut tx = gospublic::state::tenant_tx(&db, RegionId(a.id))
        .await
        .unwrap();
    let wrong = channels::connect_bot(
        &mut tx,
        RegionId(a.id),
        PageId(a.child_page),
        BOT_TOKEN,
        Some(&key()),
        None,
        &Apis::new(platforms.bases()),
        "https://gospublic.example.ru",
    )
    .await
    .unwrap();
    assert_eq!(wrong, Err(ConnectError::WrongPlatform("vk".into())));
    // A token the platform refuses is said, and nothing is connected.
    platforms.script(
        "telegram",
        401,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
    );
    let refused = channels::connect_bot(
        &mut tx,
        RegionId(a.id),
        PageId(telegram_page.parse().unwrap()),
        "bad",
        Some(&key()),
        None,
        &Apis::new(platforms.bases()),
        "https://gospublic.example.ru",
    )
    .await
    .unwrap();
    assert_eq!(
        refused,
        Err(ConnectError::Registration(
            "Telegram 401: Unauthorized".into()
        ))
    );
}

#[sqlx::test]
async fn an_editor_connects_a_bot_on_the_page_screen_and_tests_it(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let platforms = Platforms::start().await;
    let page = bot_page(&db, &a, "telegram").await;
    let settings = platforms.settings();
    let mut editor = TestApp::with_settings(db.clone(), settings);
    editor.login(&a.editor).await;
    let screen = format!("/r/region-a/pages/{page}/channels");
    editor
        .get(&screen)
        .await
        .assert_contains("Подключить бота Telegram");

    // Telegram refuses the token: said by the field, nothing connected.
    platforms.script(
        "telegram",
        401,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
    );
    editor
        .post_form(&screen, &[("bot_token", "wrong")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Площадка не приняла адрес для событий: Telegram 401: Unauthorized")
        .assert_lacks("wrong");
    editor
        .post_form(&screen, &[("bot_token", "")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        editor
            .count("select count(*) from channel_connections")
            .await,
        0
    );

    editor
        .post_form(&screen, &[("bot_token", BOT_TOKEN)])
        .await
        .assert_redirect(&screen);
    editor
        .get(&screen)
        .await
        .assert_contains("/hooks/telegram/")
        .assert_contains("Бот подключён")
        .assert_lacks(BOT_TOKEN);

    // The test button asks Telegram who the token is.
    editor
        .post_form(&format!("{screen}/test"), &[("platform", "telegram")])
        .await
        .assert_redirect(&screen);
    editor
        .get(&screen)
        .await
        .assert_contains("Площадка приняла ключ доступа: «school_bot»")
        .assert_lacks("не работает с");
    assert_eq!(platforms.calls().last().unwrap().method, "getMe");

    // Revoked at Telegram: the connection is failing, with the reason, until it works again.
    platforms.script(
        "telegram",
        401,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
    );
    editor
        .post_form(&format!("{screen}/test"), &[("platform", "telegram")])
        .await
        .assert_redirect(&screen);
    editor
        .get(&screen)
        .await
        .assert_contains("Площадка отказала: Telegram 401: Unauthorized")
        .assert_contains("не работает с");

    // A coordinator sees the state but may not test or connect.
    let mut coordinator = editor.fresh_browser();
    coordinator.login(&a.coordinator).await;
    coordinator
        .get(&screen)
        .await
        .assert_contains("не работает с")
        .assert_lacks("Проверить</button>");
    coordinator
        .post_form(&format!("{screen}/test"), &[("platform", "telegram")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
}
