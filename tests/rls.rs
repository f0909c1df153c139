//! Row-level security: the second wall behind the region filters in every query.
mod common;

use common::two_regions;
use gospublic::ids::RegionId;
use gospublic::state::tenant_tx;
use sqlx::PgPool;

#[sqlx::test]
async fn a_query_missing_its_region_filter_sees_only_its_region(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    for r in [&a, &b] {
        sqlx::query("insert into organization_sectors (region_id, organization_id, sector_id, slot) values ($1, $2, $3, 1)")
            .bind(r.id)
            .bind(r.child)
            .bind(r.sector)
            .execute(&db)
            .await
            .unwrap();
    }
    let mut tx = tenant_tx(&db, RegionId(a.id)).await.unwrap();
    for table in [
        "organizations",
        "pages",
        "municipalities",
        "memberships",
        "organization_sectors",
        "sectors",
    ] {
        let regions: Vec<i64> =
            sqlx::query_scalar(&format!("select distinct region_id from {table}"))
                .fetch_all(&mut *tx)
                .await
                .unwrap();
        assert_eq!(regions, vec![a.id], "{table}");
    }
    let foreign: Option<String> =
        sqlx::query_scalar("select name from organizations where id = $1")
            .bind(b.child)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
    assert_eq!(foreign, None);
    // Without the policy the same connection would see both regions.
    let all: i64 = sqlx::query_scalar("select count(distinct region_id) from organizations")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(all, 2);
}

#[sqlx::test]
async fn a_transaction_that_forgot_the_region_sees_nothing(db: PgPool) {
    two_regions(&db).await;
    let mut tx = db.begin().await.unwrap();
    sqlx::query("set local role gospublic_app")
        .execute(&mut *tx)
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("select count(*) from organizations")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0);
    // A pooled connection that had the setting before now holds '' in it: still nothing, no error.
    drop(tx);
    let mut conn = db.acquire().await.unwrap();
    let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
    sqlx::query("select set_config('app.region_id', '1', true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
    sqlx::query("set local role gospublic_app")
        .execute(&mut *tx)
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("select count(*) from pages")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[sqlx::test]
async fn writes_into_another_region_are_refused(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut tx = tenant_tx(&db, RegionId(a.id)).await.unwrap();
    let err = sqlx::query(
        "insert into municipalities (region_id, name, kind) values ($1, 'Чужой', 'city_okrug')",
    )
    .bind(b.id)
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(tx);
    let mut tx = tenant_tx(&db, RegionId(a.id)).await.unwrap();
    let changed = sqlx::query("update organizations set name = 'Захвачено' where id = $1")
        .bind(b.child)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(changed.rows_affected(), 0);
    let deleted = sqlx::query("delete from pages where region_id = $1")
        .bind(b.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(deleted.rows_affected(), 0);
}

#[sqlx::test]
async fn the_tenant_role_cannot_read_password_hashes_or_sessions(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut tx = tenant_tx(&db, RegionId(a.id)).await.unwrap();
    let err = sqlx::query("select password_hash from users")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    drop(tx);
    let mut tx = tenant_tx(&db, RegionId(a.id)).await.unwrap();
    let err = sqlx::query("select csrf_token from sessions")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
}

#[sqlx::test]
async fn every_table_with_a_region_has_row_level_security(db: PgPool) {
    let unprotected: Vec<String> = sqlx::query_scalar(
        r#"select c.relname from pg_class c
           join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
           where c.relkind = 'r'
             and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'region_id' and not a.attisdropped)
             and (not c.relrowsecurity or not exists (select 1 from pg_policy p where p.polrelid = c.oid))
           order by 1"#,
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(
        unprotected.is_empty(),
        "tables with region_id but no row-level security: {unprotected:?}"
    );
}
