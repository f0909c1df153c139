//! Coverage per organization and per region, kept by triggers, equals a live recount after
//! every kind of change: pages added, marked, connected, moved and deleted; weekly figures;
//! organizations added, moved, archived and exempted; the region's rules changed. The
//! recount is written independently of the triggers' SQL, from the rules as the screens
//! state them.

mod common;

use common::two_regions;
use sqlx::PgPool;

type FactsRow = (
    i64,
    i64,
    Option<i64>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Option<chrono::NaiveDate>,
);

async fn stored_facts(db: &PgPool) -> Vec<FactsRow> {
    sqlx::query_as(
        r#"select region_id, organization_id, municipality_id, platforms, verified_on, connected_on, active_week
           from coverage_facts order by organization_id"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// Each organization that must run a page, its facts read page by page.
async fn counted_facts(db: &PgPool) -> Vec<FactsRow> {
    sqlx::query_as(
        r#"select o.region_id, o.id, o.municipality_id,
                  array(select distinct p.platform from pages p where p.organization_id = o.id order by 1),
                  array(select distinct p.platform from pages p
                        where p.organization_id = o.id and p.mark_status = 'granted' order by 1),
                  array(select distinct p.platform from pages p where p.organization_id = o.id and p.connected order by 1),
                  (select max(l.week) from pages p
                   join page_latest l on l.page_id = p.id
                   join region_settings s on s.region_id = p.region_id
                   where p.organization_id = o.id and coalesce(l.posts, 0) * s.active_days / 7.0 >= s.active_posts)
           from organizations o where o.archived_at is null and not o.exempt order by o.id"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

type RegionRow = (i64, i32, i32, i32, i32, i32);

async fn stored_regions(db: &PgPool) -> Vec<RegionRow> {
    sqlx::query_as(
        "select region_id, obliged, with_page, covered, verified, connected from region_coverage order by 1",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// Every region's totals counted from organizations and pages directly.
async fn counted_regions(db: &PgPool) -> Vec<RegionRow> {
    sqlx::query_as(
        r#"select r.id,
                  count(o.id)::int,
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id))::int,
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id)
                      and not exists (select 1 from unnest(s.required_platforms) need
                                      where not exists (select 1 from pages p where p.organization_id = o.id and p.platform = need)))::int,
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id and p.mark_status = 'granted'))::int,
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id and p.connected))::int
           from regions r join region_settings s on s.region_id = r.id
           left join organizations o on o.region_id = r.id and o.archived_at is null and not o.exempt
           group by r.id order by 1"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// A region's coverage per municipality, per sector and in total, as the dashboard reads it
/// from the kept groups and as it sums the organizations' facts, for every platform's view
/// and a few days on either side of today (an active page stops being active as days pass).
async fn assert_groups_current(db: &PgPool, when: &str) {
    use gospublic::dashboard::db::coverage::{Params, Sums, sums_kept, sums_of_facts};
    let sorted = |rows: Vec<Sums>| {
        let mut rows: Vec<_> = rows
            .into_iter()
            .map(|s| (s.group_kind, s.figures.id, s.figures))
            .collect();
        rows.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        rows
    };
    let regions: Vec<i64> = sqlx::query_scalar("select id from regions order by id")
        .fetch_all(db)
        .await
        .unwrap();
    let mut conn = db.acquire().await.unwrap();
    let today = chrono::Utc::now().date_naive();
    for region in regions.into_iter().map(gospublic::ids::RegionId) {
        let settings = gospublic::settings::db::get(&mut conn, region)
            .await
            .unwrap();
        for platform in [None, Some("vk"), Some("ok"), Some("telegram")] {
            for days in [-30, 0, 10, 20] {
                let p = Params {
                    region,
                    ids: None,
                    settings: &settings,
                    today: today + chrono::Duration::days(days),
                    platform,
                };
                assert_eq!(
                    sorted(sums_kept(&mut conn, &p).await.unwrap()),
                    sorted(sums_of_facts(&mut conn, &p).await.unwrap()),
                    "{when}: region {}, {platform:?}, {days} days on",
                    region.0
                );
            }
        }
    }
}

async fn assert_current(db: &PgPool, when: &str) {
    assert_eq!(stored_facts(db).await, counted_facts(db).await, "{when}");
    assert_eq!(
        stored_regions(db).await,
        counted_regions(db).await,
        "{when}"
    );
    assert_groups_current(db, when).await;
}

async fn run(db: &PgPool, sql: &str, a: &common::RegionFixture) {
    sqlx::query(sql)
        .bind(a.id)
        .bind(a.child)
        .bind(a.other)
        .execute(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[sqlx::test]
async fn coverage_summaries_follow_every_change(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    assert_current(&db, "from the start").await;
    let region_b: Vec<RegionRow> = stored_regions(&db)
        .await
        .into_iter()
        .filter(|r| r.0 == b.id)
        .collect();
    assert!(region_b[0].1 > 0, "{region_b:?}");

    let steps: [(&str, &str); 18] = [
        (
            "a sector for the school",
            "insert into organization_sectors (region_id, organization_id, sector_id, slot)
             select $1, $2, id, 1 from sectors where region_id = $1 and name = 'Образование' and $3 > 0",
        ),
        (
            "two sectors for the other",
            "insert into organization_sectors (region_id, organization_id, sector_id, slot)
             select $1, $3, id, row_number() over (order by id) from sectors
             where region_id = $1 and $2 > 0 order by id limit 2",
        ),
        (
            "a sector's slot changed",
            "update organization_sectors set slot = 3 where region_id = $1 and organization_id = $3 and slot = 2 and $2 > 0",
        ),
        (
            "a sector removed",
            "delete from organization_sectors where region_id = $1 and organization_id = $3 and slot = 1 and $2 > 0",
        ),
        (
            "a page on another platform",
            "insert into pages (region_id, organization_id, platform, url_key, url)
             values ($1, $2, 'ok', 'ok.ru/group/coverage' || $1, 'https://ok.ru/group/coverage' || $1)
             returning $3",
        ),
        (
            "a mark granted",
            "update pages set mark_status = 'granted' where region_id = $1 and organization_id = $2 and platform = 'ok' and $3 > 0",
        ),
        (
            "a page connected",
            "update pages set connected = true where region_id = $1 and organization_id = $3 and $2 > 0",
        ),
        (
            "an update that changes nothing counted",
            "update pages set title = 'Новое название' where region_id = $1 and $2 > 0 and $3 > 0",
        ),
        (
            "weekly figures posting to the rule",
            "insert into page_snapshots (region_id, page_id, week, posts, source)
             select $1, id, date_trunc('week', now())::date - 7, 5, 'manual' from pages
             where region_id = $1 and organization_id in ($2, $3)",
        ),
        (
            "a newer week that does not",
            "insert into page_snapshots (region_id, page_id, week, posts, source)
             select $1, id, date_trunc('week', now())::date, 1, 'manual' from pages
             where region_id = $1 and organization_id = $3 and $2 > 0",
        ),
        (
            "a stricter rule for an active page",
            "update region_settings set active_posts = 7 where region_id = $1 and $2 > 0 and $3 > 0",
        ),
        (
            "only VK required",
            "update region_settings set required_platforms = '{vk}' where region_id = $1 and $2 > 0 and $3 > 0",
        ),
        (
            "an organization moves",
            "update organizations set municipality_id = (select municipality_id from organizations where id = $3)
             where id = $2",
        ),
        (
            "a page moves to another organization",
            "update pages set organization_id = $3 where region_id = $1 and organization_id = $2 and platform = 'ok'",
        ),
        (
            "a page deleted",
            "delete from pages where region_id = $1 and organization_id = $3 and platform = 'ok' and $2 > 0",
        ),
        (
            "an organization exempted",
            "update organizations set exempt = true, exemption_basis = 'Приказ' where id = $2 and region_id = $1 and $3 > 0",
        ),
        (
            "an organization archived",
            "update organizations set archived_at = now() where id = $3 and region_id = $1 and $2 > 0",
        ),
        (
            "a new organization",
            "insert into organizations (region_id, name, inn, ogrn, level)
             select $1, 'Новая школа', '2200000035', '1022200000035', 'municipal_institution' where $2 > 0 and $3 > 0",
        ),
    ];
    for (when, sql) in steps {
        run(&db, sql, &a).await;
        assert_current(&db, when).await;
    }
    let after: Vec<RegionRow> = stored_regions(&db)
        .await
        .into_iter()
        .filter(|r| r.0 == b.id)
        .collect();
    assert_eq!(region_b, after, "another region untouched");
}

#[sqlx::test]
async fn the_summaries_are_written_inside_the_tenants_own_transaction(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut tx = gospublic::state::tenant_tx(&db, gospublic::ids::RegionId(a.id))
        .await
        .unwrap();
    sqlx::query("update pages set mark_status = 'granted' where id = $1")
        .bind(a.other_page)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_current(&db, "after a change made as the tenant").await;
}

/// Two marks granted in one region at the same moment: the region's total counts both.
#[sqlx::test]
async fn marks_granted_at_once_in_one_region_both_count(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let grant = |page: i64| {
        sqlx::query("update pages set mark_status = 'granted' where id = $1").bind(page)
    };
    let region = gospublic::ids::RegionId(a.id);
    let mut one = gospublic::state::tenant_tx(&db, region).await.unwrap();
    grant(a.child_page).execute(&mut *one).await.unwrap();
    let pool = db.clone();
    let other_page = a.other_page;
    let other = tokio::spawn(async move {
        let mut two = gospublic::state::tenant_tx(&pool, region).await?;
        grant(other_page).execute(&mut *two).await?;
        two.commit().await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    one.commit().await.unwrap();
    other.await.unwrap().expect("the second grant commits too");
    assert_current(&db, "after two marks at once").await;
}

type FederalRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

/// The federal overview's table, every region, counted from organizations, pages and
/// questions directly: the last 7 days are today and the 6 days before (UTC).
async fn federal_counted(db: &PgPool) -> Vec<FederalRow> {
    sqlx::query_as(
        r#"with w as (select ((now() at time zone 'UTC')::date - 6)::timestamp at time zone 'UTC' as since)
           select r.id,
                  count(o.id),
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id)),
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id)
                      and not exists (select 1 from unnest(s.required_platforms) need
                                      where not exists (select 1 from pages p where p.organization_id = o.id and p.platform = need))),
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id and p.mark_status = 'granted')),
                  count(o.id) filter (where exists (select 1 from pages p where p.organization_id = o.id and p.connected)),
                  (select count(*) from questions q, w where q.region_id = r.id and q.received_at >= w.since),
                  (select count(*) from questions q, w where q.region_id = r.id and q.received_at >= w.since
                      and q.first_response_at <= q.first_response_due),
                  (select count(*) from questions q, w where q.region_id = r.id and q.received_at >= w.since
                      and (q.first_response_at is not null
                           or (q.status in ('new', 'in_progress') and q.paused_at is null and q.first_response_due <= now()))),
                  (select count(*) from questions q where q.region_id = r.id and q.due_at <= now())
           from regions r join region_settings s on s.region_id = r.id
           left join organizations o on o.region_id = r.id and o.archived_at is null and not o.exempt
           group by r.id, s.required_platforms order by r.id"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

async fn federal_shown(db: &PgPool) -> Vec<FederalRow> {
    let mut conn = db.acquire().await.unwrap();
    let mut rows: Vec<FederalRow> = gospublic::dashboard::db::federal::figures(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|f| {
            (
                f.id.0,
                f.obliged,
                f.with_page,
                f.covered,
                f.verified,
                f.connected,
                f.received,
                f.on_time,
                f.on_time_base,
                f.overdue,
            )
        })
        .collect();
    rows.sort();
    rows
}

#[sqlx::test]
async fn the_federal_overview_equals_a_live_recount(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut ids = Vec::new();
    for (region, org, hours) in [
        (&a, a.child, 1),
        (&a, a.child, 30),
        (&a, a.other, 100),
        (&a, a.other, 24 * 6 + 20),
        (&a, a.child, 24 * 10),
        (&a, a.founder, 4),
        (&a, a.other, 50),
        (&b, b.child, 5),
    ] {
        ids.push(common::question(&db, region.id, org, None, hours, "normal").await);
    }
    assert_eq!(
        federal_shown(&db).await,
        federal_counted(&db).await,
        "questions arrived"
    );
    let statements = [
        // Answered on time, answered late, and one still waiting past its deadline.
        "update questions set first_response_at = received_at + interval '1 hour', first_response_due = received_at + interval '9 hours' where id = $1",
        "update questions set first_response_at = received_at + interval '2 days', first_response_due = received_at + interval '9 hours' where id = $1",
        "update questions set first_response_due = now() - interval '1 hour' where id = $1",
        "update questions set received_at = now() - interval '20 days' where id = $1",
        // Past their deadline before today (read from the summaries), and due just now (live).
        "update questions set first_response_due = now() - interval '2 days' where id = $1",
        "update questions set first_response_due = now() where id = $1",
    ];
    for (sql, id) in statements.iter().zip(&ids) {
        sqlx::query(sql).bind(id).execute(&db).await.unwrap();
        assert_eq!(
            federal_shown(&db).await,
            federal_counted(&db).await,
            "{sql}"
        );
    }
    let days: i64 = sqlx::query_scalar("select count(*) from question_days")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(
        days >= 4,
        "the overview read the daily summary: {days} rows"
    );
}
