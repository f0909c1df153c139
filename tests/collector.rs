//! The figures collector against the platform double: today's followers and this week's posts
//! of connected pages, once a day, keeping what people typed or uploaded, and saying why when
//! a platform refuses.
mod common;

use common::platforms::{Platforms, key};
use common::{RegionFixture, two_regions};
use gospublic::channels::apis::Apis;
use gospublic::channels::{self, VkCommunity, collector};
use gospublic::ids::{PageId, RegionId};
use serde_json::json;
use sqlx::PgPool;

async fn connect(db: &PgPool, r: &RegionFixture) {
    let region = RegionId(r.id);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    channels::connect_vk(
        &mut tx,
        region,
        PageId(r.child_page),
        &VkCommunity {
            group_id: 218000001,
            confirmation: "c",
            secret: Some("s"),
            token: Some("vk1.a.token"),
            events: channels::VK_EVENTS,
        },
        Some(&key()),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
}

async fn week(db: &PgPool) -> Option<(i32, i32, i64, String)> {
    sqlx::query_as("select followers, posts, views, source from page_snapshots")
        .fetch_optional(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_connected_page_gets_todays_figures_once_a_day(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    connect(&db, &a).await;
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());
    // Two collectors at once: the page is collected by one of them.
    let k = key();
    let (one, two) = tokio::join!(
        collector::collect_due(&db, &apis, Some(&k)),
        collector::collect_due(&db, &apis, Some(&k))
    );
    assert_eq!(one.unwrap() + two.unwrap(), 1);
    assert_eq!(
        week(&db).await,
        Some((1540, 2, 1000, "collected".to_owned()))
    );
    let methods: Vec<String> = platforms.calls().iter().map(|c| c.method.clone()).collect();
    assert_eq!(methods, ["groups.getById", "wall.get"]);
    assert_eq!(platforms.calls()[1].params["owner_id"], "-218000001");
    // Not twice a day.
    assert_eq!(
        collector::collect_due(&db, &apis, Some(&key()))
            .await
            .unwrap(),
        0
    );
    let (on, error): (Option<chrono::NaiveDate>, Option<String>) =
        sqlx::query_as("select collected_on, last_error from page_collection")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(on.is_some() && error.is_none());
}

#[sqlx::test]
async fn figures_people_gave_are_kept_and_refusals_are_said(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    connect(&db, &a).await;
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());
    // VK says too many requests: tried again later, the reason kept.
    platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 6, "error_msg": "Too many requests per second"}}),
    );
    collector::collect_due(&db, &apis, Some(&key()))
        .await
        .unwrap();
    let (error, later): (Option<String>, bool) =
        sqlx::query_as("select last_error, next_attempt_at > now() from page_collection")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(error.as_deref(), Some("VK 6: Too many requests per second"));
    assert!(later);
    assert_eq!(
        collector::collect_due(&db, &apis, Some(&key()))
            .await
            .unwrap(),
        0
    );
    assert_eq!(week(&db).await, None);

    // The week has uploaded figures: they stay, and the page's state says they were kept.
    let monday = gospublic::activity::db::monday_of(gospublic::regions::time::today(
        gospublic::regions::time::zone_of("Asia/Barnaul"),
    ));
    sqlx::query("insert into page_snapshots (region_id, page_id, week, followers, source) values ($1, $2, $3, 999, 'upload')")
        .bind(a.id)
        .bind(a.child_page)
        .bind(monday)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("update page_collection set next_attempt_at = now()")
        .execute(&db)
        .await
        .unwrap();
    collector::collect_due(&db, &apis, Some(&key()))
        .await
        .unwrap();
    let (followers, source): (i32, String) =
        sqlx::query_as("select followers, source from page_snapshots")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((followers, source.as_str()), (999, "upload"));
    let kept: bool = sqlx::query_scalar("select kept_existing from page_collection")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(kept);

    // Tomorrow the token is revoked: the page fails with VK's reason, the connection too.
    sqlx::query("update page_collection set collected_on = collected_on - 1")
        .execute(&db)
        .await
        .unwrap();
    platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 5, "error_msg": "User authorization failed: invalid access_token (4)."}}),
    );
    collector::collect_due(&db, &apis, Some(&key()))
        .await
        .unwrap();
    let error: Option<String> = sqlx::query_scalar("select last_error from page_collection")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(error.unwrap().starts_with("VK 5:"));
    let failing: Option<String> =
        sqlx::query_scalar("select failure from channel_connections where revoked_at is null")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(failing.unwrap().starts_with("VK 5:"));
    let mut editor = common::TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get(&format!("/r/region-a/pages/{}/channels", a.child_page))
        .await
        .assert_contains("Показатели с площадки")
        .assert_contains("Не удалось")
        .assert_contains("VK 5: User authorization failed")
        .assert_contains("они оставлены");
}

#[sqlx::test]
async fn a_telegram_channel_gets_its_followers(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());
    let page: i64 = sqlx::query_scalar(
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $2, 'telegram', 't.me/school1news', 'https://t.me/school1news') returning id",
    )
    .bind(a.id)
    .bind(a.child)
    .fetch_one(&db)
    .await
    .unwrap();
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    channels::connect_bot(
        &mut tx,
        region,
        PageId(page),
        "7000001:AAH",
        Some(&key()),
        None,
        &apis,
        "https://g.example",
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    collector::collect_due(&db, &apis, Some(&key()))
        .await
        .unwrap();
    let call = platforms.calls().pop().unwrap();
    assert_eq!(call.method, "getChatMemberCount");
    assert_eq!(call.params["chat_id"], "@school1news");
    let followers: i32 =
        sqlx::query_scalar("select followers from page_snapshots where page_id = $1")
            .bind(page)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(followers, 812);
}

#[sqlx::test]
async fn pages_of_different_communities_are_collected_in_one_pass(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    connect(&db, &a).await;
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    channels::connect_vk(
        &mut tx,
        region,
        PageId(a.other_page),
        &VkCommunity {
            group_id: 218000002,
            confirmation: "c",
            secret: None,
            token: Some("vk1.a.other-token"),
            events: channels::VK_EVENTS,
        },
        Some(&key()),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());
    assert_eq!(
        collector::collect_due(&db, &apis, Some(&key()))
            .await
            .unwrap(),
        2
    );
    let pages: Vec<i64> = sqlx::query_scalar("select page_id from page_snapshots order by page_id")
        .fetch_all(&db)
        .await
        .unwrap();
    let mut expected = vec![a.child_page, a.other_page];
    expected.sort();
    assert_eq!(pages, expected);
    // Each community was asked with its own token.
    let mut tokens: Vec<String> = platforms
        .calls()
        .iter()
        .filter(|c| c.method == "groups.getById")
        .map(|c| c.params["access_token"].as_str().unwrap().to_owned())
        .collect();
    tokens.sort();
    assert_eq!(tokens, ["vk1.a.other-token", "vk1.a.token"]);
}

#[sqlx::test]
async fn a_max_channel_gets_its_followers(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());
    let page: i64 = sqlx::query_scalar(
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $2, 'max', 'max.ru/school1news', 'https://max.ru/school1news') returning id",
    )
    .bind(a.id)
    .bind(a.child)
    .fetch_one(&db)
    .await
    .unwrap();
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    channels::connect_bot(
        &mut tx,
        region,
        PageId(page),
        "max-bot-token",
        Some(&key()),
        None,
        &apis,
        "https://g.example",
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    collector::collect_due(&db, &apis, Some(&key()))
        .await
        .unwrap();
    let call = platforms.calls().pop().unwrap();
    assert_eq!(call.method, "chats");
    assert_eq!(call.params["link"], "school1news");
    assert_eq!(call.authorization.as_deref(), Some("max-bot-token"));
    let followers: i32 =
        sqlx::query_scalar("select followers from page_snapshots where page_id = $1")
            .bind(page)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(followers, 433);
}

/// Adds a VK page to the region's first organization.
async fn vk_page(db: &PgPool, r: &RegionFixture, name: &str) -> i64 {
    sqlx::query_scalar(
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $2, 'vk', $3, 'https://' || $3) returning id",
    )
    .bind(r.id)
    .bind(r.child)
    .bind(format!("vk.com/{name}"))
    .fetch_one(db)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_regions_read_token_collects_every_vk_page_in_batches(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    // The school's page is connected: its own token reads it.
    connect(&db, &a).await;
    let numbered = vk_page(&db, &a, "club123").await;
    let gone = vk_page(&db, &a, "gone-community").await;
    let closed = vk_page(&db, &a, "closedwall").await;
    let platforms = Platforms::start().await;
    let apis = Apis::new(platforms.bases());

    // The admin sets the token on the screen; VK is asked before it is kept.
    let mut admin = common::TestApp::with_settings(db.clone(), platforms.settings());
    admin.login(&a.admin).await;
    platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 5, "error_msg": "User authorization failed: invalid access_token (4)."}}),
    );
    admin
        .post_form("/r/region-a/collection", &[("token", "bad-token")])
        .await
        .assert_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("VK не принял ключ: VK 5: User authorization failed");
    admin
        .post_form("/r/region-a/collection", &[("token", "service-token-1234")])
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where object_type = 'read_token' and details->>'token' = '…1234'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let calls_before = platforms.calls().len();

    assert_eq!(
        collector::collect_due(&db, &apis, Some(&key()))
            .await
            .unwrap(),
        5
    );
    // The connected page with its own two calls; the other four in one getById and one
    // execute, the two tokens side by side.
    let calls: Vec<_> = platforms.calls().split_off(calls_before);
    let by_token = |token: &str| -> Vec<_> {
        calls
            .iter()
            .filter(|c| c.params["access_token"] == token)
            .cloned()
            .collect()
    };
    let methods = |calls: &[common::platforms::Call]| -> Vec<String> {
        calls.iter().map(|c| c.method.clone()).collect()
    };
    assert_eq!(
        methods(&by_token("vk1.a.token")),
        ["groups.getById", "wall.get"]
    );
    let region_calls = by_token("service-token-1234");
    assert_eq!(methods(&region_calls), ["groups.getById", "execute"]);
    let mut named: Vec<&str> = region_calls[0].params["group_ids"]
        .as_str()
        .unwrap()
        .split(',')
        .collect();
    named.sort();
    assert_eq!(
        named,
        ["closedwall", "club123", "gone-community", "hospital1"]
    );
    let code = region_calls[1].params["code"].as_str().unwrap();
    assert_eq!(code.matches("API.wall.get(").count(), 3);

    let weeks: Vec<(i64, i32, i32, String)> = sqlx::query_as(
        "select page_id, followers, posts, source from page_snapshots order by page_id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let written: Vec<i64> = weeks.iter().map(|w| w.0).collect();
    let mut expected = vec![a.child_page, a.other_page, numbered];
    expected.sort();
    assert_eq!(written, expected);
    assert!(
        weeks
            .iter()
            .all(|(_, _, posts, source)| *posts == 2 && source == "collected")
    );
    let followers_of = |page: i64| weeks.iter().find(|w| w.0 == page).unwrap().1;
    assert_eq!(followers_of(a.child_page), 1540);
    assert_eq!(followers_of(numbered), 1123);
    let errors: Vec<(i64, String)> = sqlx::query_as(
        "select page_id, last_error from page_collection where last_error is not null order by page_id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        errors,
        [
            (gone, "VK: no such community".to_owned()),
            (closed, "VK 15: Access denied: wall is disabled".to_owned())
        ]
    );
    // The other region has no token: none of its pages is read.
    let other_region: i64 =
        sqlx::query_scalar("select count(*) from page_collection where region_id = $1")
            .bind(b.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(other_region, 0);

    admin
        .get("/r/region-a/collection")
        .await
        .assert_status(axum::http::StatusCode::OK)
        .assert_contains("Ключ сохранён (…1234)")
        .assert_contains("VK 15: Access denied: wall is disabled")
        .assert_contains("vk.com/gone-community");

    // Tomorrow VK refuses the token: the screen says so, and the admin removes it.
    sqlx::query(
        "update page_collection set collected_on = collected_on - 1, next_attempt_at = now()",
    )
    .execute(&db)
    .await
    .unwrap();
    platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 5, "error_msg": "User authorization failed: invalid access_token (4)."}}),
    );
    platforms.script(
        "vk",
        200,
        json!({"error": {"error_code": 5, "error_msg": "User authorization failed: invalid access_token (4)."}}),
    );
    collector::collect_due(&db, &apis, Some(&key()))
        .await
        .unwrap();
    admin
        .get("/r/region-a/collection")
        .await
        .assert_contains("VK не принимает ключ: VK 5: User authorization failed");
    admin
        .post_form("/r/region-a/collection/remove", &[])
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
    admin
        .get("/r/region-a/collection")
        .await
        .assert_contains("Ключ не задан");
}
