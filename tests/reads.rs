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
