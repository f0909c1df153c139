//! Reads of the screens that only read go to the read pool (a replica in production), and a
//! person who has just written reads from the primary until the replica has replayed past
//! their write. The read pool here is the read-only double of `common::read_double`.

mod common;

use common::TestApp;
use gospublic::web::reads::{ReadFrom, WRITTEN_COOKIE, route};
use sqlx::PgPool;

#[sqlx::test]
async fn a_write_sent_to_the_read_pool_fails(db: PgPool) {
    let app = TestApp::new(db.clone());
    let read = app.state.read.clone().expect("tests run with a read pool");
    let refused = sqlx::query("create table written_on_the_replica (id int)")
        .execute(&read)
        .await
        .expect_err("the double refuses writes");
    assert!(refused.to_string().contains("read-only"), "{refused}");
    sqlx::query("select 1").execute(&read).await.unwrap();
}

#[sqlx::test]
async fn reads_wait_for_the_replica_to_replay_the_readers_own_write(db: PgPool) {
    let app = TestApp::new(db.clone());
    assert_eq!(route(&app.state, None).await, ReadFrom::Replica);
    let now: String = sqlx::query_scalar("select pg_current_wal_lsn()::text")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(route(&app.state, Some(&now)).await, ReadFrom::Replica);
    assert_eq!(
        route(&app.state, Some("FFFFFFFF/FFFFFFFF")).await,
        ReadFrom::Primary,
        "a write the replica has not replayed keeps the reader on the primary"
    );
    let without_replica = gospublic::state::AppState::new(db, app.state.settings.as_ref().clone());
    assert_eq!(route(&without_replica, None).await, ReadFrom::Primary);
}

#[sqlx::test]
async fn a_write_leaves_its_position_in_the_browser(db: PgPool) {
    let region = common::region(&db, "altai", 1).await;
    let mut app = TestApp::new(db.clone());
    let read = app.get("/login").await;
    assert!(
        !read
            .headers
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with(WRITTEN_COOKIE)),
        "a read leaves nothing to remember"
    );
    app.login(&region.admin).await;
    let position = app.cookies.get(WRITTEN_COOKIE).cloned();
    let position = position.expect("signing in is a write");
    assert!(position.contains('/'), "{position}");
    let after: bool = sqlx::query_scalar("select pg_current_wal_lsn() >= $1::text::pg_lsn")
        .bind(&position)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(after);
}

#[sqlx::test]
async fn public_pages_answer_from_the_replica_while_the_primary_is_down(db: PgPool) {
    let region = common::region(&db, "altai", 1).await;
    // A primary nobody answers at, and the replica the double stands for.
    let down = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy("postgres://postgres@127.0.0.1:9/gone")
        .unwrap();
    let settings = gospublic::config::Settings::for_tests();
    let state =
        gospublic::state::AppState::new(down, settings).with_reads(common::read_double(&db));
    let mut app = TestApp {
        router: gospublic::app(state.clone()),
        db: db.clone(),
        state,
        cookies: Default::default(),
        csrf: None,
        peer: "192.0.2.10:40000".parse().unwrap(),
    };
    app.get("/r/altai/directory?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0")
        .await
        .assert_status(axum::http::StatusCode::OK)
        .assert_contains("Школа № 1 региона 1");
    app.get(&format!("/r/altai/directory/{}", region.child))
        .await
        .assert_status(axum::http::StatusCode::OK)
        .assert_contains("Школа № 1 региона 1");
    // Signing in needs the primary (its session is written there): unavailable, not an error.
    app.get("/login")
        .await
        .assert_status(axum::http::StatusCode::SERVICE_UNAVAILABLE);
}
