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
