//! The whole region's monthly page trends read from the monthly summary equal the same
//! series counted from the pages and their mark events, through every kind of change a page
//! and its mark history go through.

mod common;

use common::two_regions;
use gospublic::dashboard::db::trends::{Monthly, by_month};
use gospublic::ids::RegionId;
use sqlx::PgPool;

async fn change(db: &PgPool, sql: &str, region: i64, org: i64) {
    sqlx::query(sql)
        .bind(region)
        .bind(org)
        .execute(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The series from the summary (no organizations named) and counted live (every organization
/// of the region named, archived ones too), for both series and a platform or none.
async fn assert_same(db: &PgPool, region: i64, when: &str) -> Vec<f64> {
    let region_id = RegionId(region);
    let mut tx = gospublic::state::tenant_tx(db, region_id).await.unwrap();
    let all: Vec<i64> = sqlx::query_scalar("select id from organizations where region_id = $1")
        .bind(region)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let tz: String = sqlx::query_scalar("select time_zone from regions where id = $1")
        .bind(region)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let mut shown = Vec::new();
    for which in [Monthly::Registered, Monthly::Verified] {
        for platform in [None, Some("vk"), Some("telegram")] {
            let summed = by_month(&mut tx, which, region_id, None, platform, &tz, 36)
                .await
                .unwrap();
            let live = by_month(&mut tx, which, region_id, Some(&all), platform, &tz, 36)
                .await
                .unwrap();
            assert_eq!(
                format!("{summed:?}"),
                format!("{live:?}"),
                "{which:?} {platform:?}, {when}"
            );
            if platform.is_none() {
                shown.extend(summed.iter().filter_map(|p| p.value));
            }
        }
    }
    tx.commit().await.unwrap();
    shown
}

#[sqlx::test]
async fn monthly_page_trends_equal_a_live_count(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let steps = [
        (
            "pages registered over two years, at a month's edge in the region's time zone",
            "insert into pages (region_id, organization_id, platform, url_key, url, created_at)
               select $1, $2, (array['vk','ok','telegram'])[1 + i % 3], 'months/' || i, 'https://example.org/m' || i,
                      date_trunc('month', now()) - make_interval(months => i % 24) + interval '17 hours'
               from generate_series(1, 40) i",
        ),
        (
            "marks granted, requested and revoked over the months",
            "insert into page_mark_events (region_id, page_id, from_status, status, happened_on)
               select p.region_id, p.id, 'none', 'granted', (date_trunc('month', now()) - make_interval(months => (p.id % 20)::int))::date + 3
               from pages p where p.region_id = $1 and p.url_key like 'months/%'",
        ),
        (
            "a revocation",
            "insert into page_mark_events (region_id, page_id, from_status, status, happened_on)
               select p.region_id, p.id, 'granted', 'revoked', current_date
               from pages p where p.region_id = $1 and p.url_key like 'months/%' and p.id % 4 = 0",
        ),
        (
            "a mark event's date corrected into another month",
            "update page_mark_events set happened_on = happened_on - 40
               where region_id = $1 and status = 'granted' and page_id % 3 = 0",
        ),
        (
            "an event corrected into a request",
            "update page_mark_events set status = 'requested'
               where region_id = $1 and status = 'granted' and page_id % 5 = 0",
        ),
        (
            "an event deleted",
            "delete from page_mark_events where region_id = $1 and page_id % 7 = 0",
        ),
        (
            "pages moved to another platform",
            "update pages set platform = 'telegram' where region_id = $1 and platform = 'vk' and id % 2 = 0",
        ),
        (
            "a registration date corrected",
            "update pages set created_at = created_at - interval '70 days' where region_id = $1 and id % 6 = 0",
        ),
        (
            "an update that changes nothing counted",
            "update pages set title = 'Новое название' where region_id = $1",
        ),
        (
            "the organization archived",
            "update organizations set archived_at = now() where region_id = $1 and id = $2",
        ),
        (
            "pages deleted with their mark history",
            "delete from pages where region_id = $1 and url_key like 'months/%' and id % 8 = 0",
        ),
    ];
    for (when, sql) in steps {
        change(&db, sql, a.id, a.child).await;
        assert_same(&db, a.id, when).await;
    }
    let before = assert_same(&db, b.id, "the other region untouched").await;
    change(
        &db,
        "insert into pages (region_id, organization_id, platform, url_key, url)
           values ($1, $2, 'vk', 'months/other', 'https://example.org/other')",
        b.id,
        b.child,
    )
    .await;
    let after = assert_same(&db, b.id, "the other region's page").await;
    assert_ne!(
        before, after,
        "a page registered in the other region counts there"
    );
    let shown = assert_same(&db, a.id, "after the other region's page").await;
    assert!(shown.iter().any(|v| *v > 10.0), "{shown:?}");
}
