//! The coverage dashboard against a small hand-computed region: exempt and archived
//! organizations left out, an optional platform not counting for coverage, and each
//! coordinator seeing only their scope.
mod common;

use axum::http::StatusCode;
use common::{RegionFixture, TestApp, run_with, two_regions};
use gospublic::dashboard::coverage::{self, Coverage, Params};
use gospublic::ids::RegionId;
use sqlx::PgPool;

/// On top of the fixture: the school on VK and OK with the mark, posting this week; the
/// hospital on VK (connected) and Telegram (optional); an exempt and an archived
/// organization without pages.
async fn setup(db: &PgPool, a: &RegionFixture) -> i64 {
    let health: i64 = sqlx::query_scalar(
        "insert into sectors (region_id, name) values ($1, 'Медицина') returning id",
    )
    .bind(a.id)
    .fetch_one(db)
    .await
    .unwrap();
    for (org, sector) in [(a.child, a.sector), (a.other, health)] {
        sqlx::query("insert into organization_sectors (region_id, organization_id, sector_id, slot) values ($1, $2, $3, 1)")
            .bind(a.id)
            .bind(org)
            .bind(sector)
            .execute(db)
            .await
            .unwrap();
    }
    let statements = [
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $2, 'ok', 'ok.ru/group/1', 'https://ok.ru/group/1')",
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $3, 'telegram', 't.me/hospital1', 'https://t.me/hospital1')",
        "update pages set mark_status = 'granted' where region_id = $1 and organization_id = $2 and platform = 'vk'",
        "update pages set connected = true where region_id = $1 and organization_id = $3 and platform = 'vk'",
        "insert into page_snapshots (region_id, page_id, week, posts, source)
           select $1, id, date_trunc('week', now())::date - 7, 5, 'manual' from pages where region_id = $1 and organization_id = $2 and platform = 'vk'",
        "insert into organizations (region_id, name, inn, ogrn, level, municipality_id, exempt, exemption_basis)
           select $1, 'Освобождённая школа', '2200000019', '1022200000019', 'municipal_institution', municipality_id, true, 'Приказ'
           from organizations where id = $2",
        "insert into organizations (region_id, name, inn, ogrn, level, municipality_id, archived_at)
           select $1, 'Закрытая школа', '2200000027', '1022200000027', 'municipal_institution', municipality_id, now()
           from organizations where id = $2",
    ];
    for sql in statements {
        run_with(db, sql, a).await;
    }
    health
}

fn figures(c: &Coverage) -> [i64; 6] {
    [
        c.obliged,
        c.with_page,
        c.covered,
        c.verified,
        c.active,
        c.connected,
    ]
}

#[sqlx::test]
async fn every_figure_matches_the_hand_count(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let health = setup(&db, &a).await;
    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let settings = gospublic::settings::db::get(&mut tx, region).await.unwrap();
    let params = Params {
        region,
        ids: None,
        settings: &settings,
        today: chrono::Utc::now().date_naive(),
        platform: None,
    };
    // Founder (no page), school (VK + OK, mark, active), hospital (VK connected + Telegram).
    let tables = coverage::tables(&mut tx, &params).await.unwrap();
    assert_eq!(figures(&tables.total), [3, 2, 1, 1, 1, 1]);
    let mut by_m: Vec<(Option<i64>, [i64; 6])> = tables
        .municipalities
        .iter()
        .map(|c| (c.id, figures(c)))
        .collect();
    by_m.sort();
    assert_eq!(
        by_m,
        [
            (None, [1, 0, 0, 0, 0, 0]),
            (Some(a.municipality), [1, 1, 1, 1, 1, 0]),
            (Some(a.other_municipality), [1, 1, 0, 0, 0, 1]),
        ]
    );
    let by_s: Vec<(Option<i64>, [i64; 6])> =
        tables.sectors.iter().map(|c| (c.id, figures(c))).collect();
    assert!(
        by_s.contains(&(Some(a.sector), [1, 1, 1, 1, 1, 0])),
        "{by_s:?}"
    );
    assert!(
        by_s.contains(&(Some(health), [1, 1, 0, 0, 0, 1])),
        "{by_s:?}"
    );
    assert_eq!(by_s.len(), 2);
    tx.commit().await.unwrap();

    // The same figures on the screen, each a link to the organizations behind it.
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let page = coordinator.get("/r/region-a/dashboard").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("href=\"/r/region-a/dashboard/orgs?flag=obliged&#38;days=7\">3</a>")
        .assert_contains("href=\"/r/region-a/dashboard/orgs?flag=covered&#38;days=7\">1</a>")
        .assert_contains(
            "href=\"/r/region-a/dashboard/orgs?flag=no_page&#38;days=7\">Нет ни одной страницы: 1</a>",
        )
        .assert_contains(&format!(
            "href=\"/r/region-a/dashboard/orgs?flag=connected&#38;municipality={}&#38;days=7\">1</a>",
            a.other_municipality
        ));
    coordinator
        .get("/r/region-a/dashboard/orgs?flag=no_page")
        .await
        .assert_contains("Министерство образования 1")
        .assert_lacks("Школа № 1 региона 1")
        .assert_lacks("Освобождённая школа")
        .assert_lacks("Закрытая школа");
    coordinator
        .get(&format!(
            "/r/region-a/dashboard/orgs?flag=not_covered&municipality={}",
            a.other_municipality
        ))
        .await
        .assert_contains("Больница региона 1")
        .assert_lacks("Министерство");
    // Sorted by coverage, the weakest municipality first.
    let sorted = coordinator.get("/r/region-a/dashboard?sort=covered").await;
    let second = sorted.body.find("Второй район 1").unwrap();
    let first = sorted.body.find("Первый район 1").unwrap();
    assert!(second < first, "the uncovered municipality comes first");
}

#[sqlx::test]
async fn a_municipal_coordinator_sees_only_their_municipality(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    setup(&db, &a).await;
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    let page = municipal.get("/r/region-a/dashboard").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("Первый район 1")
        .assert_lacks("Второй район 1")
        .assert_lacks("Региональный уровень")
        .assert_contains("href=\"/r/region-a/dashboard/orgs?flag=obliged&#38;days=7\">1</a>");
    // Another municipality cannot be filtered to, and nothing about it leaks.
    assert_eq!(
        municipal
            .get(&format!(
                "/r/region-a/dashboard/orgs?flag=obliged&municipality={}",
                a.other_municipality
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    municipal
        .get("/r/region-a/dashboard/orgs?flag=with_page")
        .await
        .assert_contains("Школа № 1 региона 1")
        .assert_lacks("Больница");
    // Editors have no dashboard; other regions do not exist.
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    assert_eq!(
        editor.get("/r/region-a/dashboard").await.status,
        StatusCode::FORBIDDEN
    );
    let mut foreign = TestApp::new(db.clone());
    foreign.login(&b.coordinator).await;
    assert_eq!(
        foreign.get("/r/region-a/dashboard").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        foreign
            .get(&format!(
                "/r/region-b/dashboard/orgs?municipality={}",
                a.municipality
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Sets a question's times and state by hand, so the figures can be counted on paper.
async fn shape(db: &PgPool, id: i64, sql: &str) {
    sqlx::query(&format!("update questions set {sql} where id = $1"))
        .bind(id)
        .execute(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[sqlx::test]
async fn answer_figures_match_the_hand_count(db: PgPool) {
    use gospublic::dashboard::responsiveness::{self, Period};
    let (a, b) = two_regions(&db).await;
    let q = |org, hours| common::question(&db, a.id, org, None, hours, "normal");
    let (qa, qb, qc, qd, qe, qf) = (
        q(a.child, 1).await,
        q(a.child, 1).await,
        q(a.other, 1).await,
        q(a.other, 1).await,
        q(a.child, 1).await,
        q(a.child, 24 * 10).await,
    );
    common::question(&db, b.id, b.child, None, 1, "normal").await;
    let answered =
        "status = 'answered', answered_at = now(), first_response_at = now() - interval '1 minute'";
    shape(
        &db,
        qa,
        &format!("{answered}, first_response_minutes = 60, first_response_due = now()"),
    )
    .await;
    shape(&db, qb, &format!("{answered}, first_response_minutes = 600, first_response_due = now() - interval '1 hour'")).await;
    shape(
        &db,
        qc,
        "first_response_due = now() - interval '1 hour', final_due = now() - interval '1 hour'",
    )
    .await;
    shape(
        &db,
        qd,
        "status = 'rejected', resolution_reason = 'spam', closed_at = now()",
    )
    .await;
    shape(
        &db,
        qe,
        "transfer_count = 1, first_response_due = now() + interval '1 day'",
    )
    .await;
    shape(
        &db,
        qf,
        &format!("{answered}, first_response_minutes = 120, first_response_due = now()"),
    )
    .await;
    sqlx::query("update region_settings set ranking_min_questions = 2 where region_id = $1")
        .bind(a.id)
        .execute(&db)
        .await
        .unwrap();

    let region = RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let now = chrono::Utc::now();
    let week = Period {
        region,
        ids: None,
        before: now - chrono::Duration::days(14),
        from: now - chrono::Duration::days(7),
        to: now,
        now,
        platform: None,
    };
    let overview = responsiveness::overview(&mut tx, &week).await.unwrap();
    let t = &overview.now;
    assert_eq!((t.received, t.considered, t.answered), (5, 4, 2));
    assert_eq!(
        (t.on_time, t.on_time_base),
        (1, 3),
        "the open overdue question counts against"
    );
    assert_eq!((t.transferred, t.reopened), (1, 0));
    assert_eq!(t.median_minutes, Some(330.0));
    assert_eq!(t.p90_minutes, Some(546.0));
    assert_eq!(overview.before.received, 1, "the week before");
    let categories: Vec<(Option<String>, i64)> = overview
        .by_category
        .iter()
        .map(|c| (c.name.clone(), c.received))
        .collect();
    assert_eq!(
        categories.iter().map(|c| c.1).sum::<i64>(),
        5,
        "{categories:?}"
    );
    let mut by_m = overview.by_municipality.clone();
    responsiveness::rank(&mut by_m, 2);
    type Row = (Option<i64>, i64, Option<i64>, Option<i64>);
    let rows: Vec<Row> = by_m
        .iter()
        .map(|r| (r.id, r.received, r.answered_percent(), r.on_time_percent()))
        .collect();
    assert_eq!(
        rows,
        [
            (Some(a.municipality), 3, Some(66), Some(50)),
            (Some(a.other_municipality), 2, Some(0), Some(0))
        ]
    );
    assert_eq!(
        responsiveness::overdue_now(&mut tx, &week).await.unwrap(),
        1
    );
    tx.commit().await.unwrap();

    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    coordinator
        .get("/r/region-a/dashboard?days=7")
        .await
        .assert_contains("5.5")
        .assert_contains("33%")
        .assert_contains("(1)");
    // The municipal coordinator's figures hold only their municipality.
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    municipal
        .get("/r/region-a/dashboard?days=7")
        .await
        .assert_contains("received_from")
        .assert_lacks("Второй район 1");
}

#[sqlx::test]
async fn the_first_response_is_timed_in_working_minutes_less_the_wait(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let id = common::question(&db, a.id, a.child, None, 24 * 3, "normal").await;
    sqlx::query("update questions set paused_minutes = 30 where id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    let url = format!("/r/region-a/questions/{id}");
    let page = editor.get(&url).await;
    let at = page.body.find("name=\"answer_rev\" value=\"").unwrap() + 25;
    let rev = page.body[at..at + page.body[at..].find('"').unwrap()].to_owned();
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "interim"),
                ("answer_rev", &rev),
                ("text", "Разбираемся"),
            ],
        )
        .await
        .assert_redirect(&url);
    let (received, responded, minutes): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>, i32) =
        sqlx::query_as("select received_at, first_response_at, first_response_minutes from questions where id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    let mut tx = gospublic::state::tenant_tx(&db, RegionId(a.id))
        .await
        .unwrap();
    let settings = gospublic::settings::db::get(&mut tx, RegionId(a.id))
        .await
        .unwrap();
    let rules = gospublic::questions::clock::Rules::from_settings("Asia/Barnaul", &settings);
    let expected = (rules.elapsed(received, responded) - 30).max(0);
    assert!(
        (i64::from(minutes) - expected).abs() <= 1,
        "{minutes} vs {expected}"
    );
    assert!(minutes > 0, "three days always hold working time");
}

#[sqlx::test]
async fn coverage_tables_download_as_xlsx_and_csv_within_scope(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let xlsx = coordinator
        .get("/r/region-a/dashboard/export?table=municipality&format=xlsx")
        .await;
    assert_eq!(
        xlsx.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let csv = coordinator
        .get("/r/region-a/dashboard/export?table=municipality&format=csv")
        .await;
    csv.assert_status(StatusCode::OK)
        .assert_contains("Первый район 1;1;1;100;1;100;1;100;1;100;0;0")
        .assert_contains("Итого;3;2;66,7;1;33,3");
    coordinator
        .get("/r/region-a/dashboard/export?table=sector&format=csv")
        .await
        .assert_contains("Медицина;1;1;100;0;0");
    // The municipal coordinator's file holds their municipality only.
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    municipal
        .get("/r/region-a/dashboard/export?table=municipality&format=csv")
        .await
        .assert_contains("Первый район 1")
        .assert_lacks("Второй район 1")
        .assert_contains("Итого;1;");
}

/// The dashboard counts red flags in SQL and the lists score pages in Rust: over pages of
/// every kind of figures and several regions' rules, both must flag the same pages.
#[sqlx::test]
async fn red_flags_counted_in_sql_agree_with_the_score(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    let generated = [
        "select setseed(0.17)",
        // 600 pages with every combination of known and unknown setup, marks of every status
        // and age, and each of the categories.
        "insert into pages (region_id, organization_id, platform, url_key, url, category, mark_status, mark_since,
                            connected, has_avatar, has_cover, has_description, widgets)
           select $1, case when i % 2 = 0 then $2 else $3 end, (array['vk','ok','telegram','max'])[1 + i % 4],
                  'gen/' || i, 'https://example.org/' || i, (array['flagship','active','card'])[1 + i % 3],
                  (array['none','requested','granted','rejected','revoked'])[1 + floor(random() * 5)::int],
                  case when random() < 0.9 then current_date - (random() * 90)::int end,
                  random() < 0.5,
                  (array[null, true, false])[1 + floor(random() * 3)::int],
                  case when random() < 0.85 then random() < 0.6 end,
                  case when random() < 0.85 then random() < 0.6 end,
                  (array[null, 0, 1, 2])[1 + floor(random() * 4)::int]
           from generate_series(1, 600) i",
        // Figures for most of them: fresh and stale weeks, pages nobody follows, missing
        // figures, reach on the thresholds, posts on the quota.
        "insert into page_snapshots (region_id, page_id, week, followers, posts, views, reach, last_post_on, source)
           select p.region_id, p.id, date_trunc('week', current_date)::date - 7 * (random() * 4)::int,
                  case when random() < 0.1 then null when random() < 0.1 then 0 else 100 end,
                  case when random() < 0.1 then null else (random() * 6)::int end,
                  case when random() < 0.1 then null else (random() * 500)::int end,
                  case when random() < 0.1 then null else (array[0, 29, 30, 49, 50, 69, 70, 71, 100, 150])[1 + floor(random() * 10)::int] end,
                  case when random() < 0.8 then current_date - (random() * 60)::int end,
                  'manual'
           from pages p where p.region_id = $1 and p.url_key like 'gen/%' and random() < 0.85",
    ];
    // On one connection: the seed is the session's, and a pooled statement may run on another.
    let mut conn = db.acquire().await.unwrap();
    for sql in generated {
        run_with(&mut *conn, sql, &a).await;
    }
    drop(conn);
    let rules = [
        "update region_settings set region_id = region_id where region_id = $1",
        "update region_settings set weight_reach = 0, weight_post_reach = 0, quota_active = 0, green_from = 60, red_below = 60 where region_id = $1",
        "update region_settings set weight_activity = 55, weight_setup = 7, weight_widgets = 3, quota_card = 5, quota_flagship = 0, red_below = 75, green_from = 90, mark_stuck_days = 10, dormant_days = 5 where region_id = $1",
        "update region_settings set weight_connected = 0, weight_mark = 0, weight_setup = 0, weight_widgets = 0, weight_activity = 0, weight_reach = 0, weight_post_reach = 0 where region_id = $1",
    ];
    for sql in rules {
        sqlx::query(sql).bind(a.id).execute(&db).await.unwrap();
        for (ids, platform) in [
            (None, None),
            (Some(vec![a.child]), None),
            (None, Some("telegram")),
        ] {
            let (counted, listed) = flags_both_ways(&db, a.id, ids.as_deref(), platform).await;
            assert_eq!(counted, listed, "{sql}, {ids:?}, {platform:?}");
            if !sql.contains("weight_connected = 0") {
                assert!(counted.iter().all(|(_, n)| *n > 0), "{sql}: {counted:?}");
            }
        }
        // Red below every threshold in turn: the counts then agree on every page's percent,
        // not only on which side of one threshold it falls.
        for red_below in 0..=100 {
            sqlx::query(
                "update region_settings set green_from = 100, red_below = $2 where region_id = $1",
            )
            .bind(a.id)
            .bind(red_below)
            .execute(&db)
            .await
            .unwrap();
            let (counted, listed) = flags_both_ways(&db, a.id, None, None).await;
            assert_eq!(counted, listed, "{sql}, red below {red_below}");
        }
    }
    // Every kind of change to what the flags read keeps the dashboard's counts right.
    let changes = [
        "update region_settings set weight_connected = 10, weight_mark = 10, weight_setup = 20, weight_widgets = 10,
           weight_activity = 30, weight_reach = 10, weight_post_reach = 5, green_from = 80, red_below = 50 where region_id = $1",
        "update pages set mark_status = 'granted' where region_id = $1 and id % 5 = 0",
        "update pages set mark_status = 'requested', mark_since = current_date - 45 where region_id = $1 and id % 7 = 0",
        "update pages set has_cover = true, has_avatar = true, has_description = true, widgets = 2 where region_id = $1 and id % 3 = 0",
        "update organizations set archived_at = now() where region_id = $1 and id = $2",
        "update pages set organization_id = $3 where region_id = $1 and organization_id = $2 and id % 11 = 0",
        "update organizations set archived_at = null where region_id = $1 and id = $2",
        "update page_snapshots set posts = 0, last_post_on = current_date - 50 where region_id = $1 and page_id % 4 = 0",
        "delete from page_snapshots where region_id = $1 and page_id % 6 = 0",
        "delete from pages where region_id = $1 and url_key like 'gen/%' and id % 9 = 0",
    ];
    for sql in changes {
        run_with(&db, sql, &a).await;
        let (counted, listed) = flags_both_ways(&db, a.id, None, None).await;
        assert_eq!(counted, listed, "after {sql}");
        assert!(counted.iter().all(|(_, n)| *n > 0), "{sql}: {counted:?}");
    }
}

/// The flag counts of a scope as the dashboard counts them, and as its lists flag the pages.
async fn flags_both_ways(
    db: &PgPool,
    region: i64,
    ids: Option<&[i64]>,
    platform: Option<&str>,
) -> (Vec<(&'static str, i64)>, Vec<(&'static str, i64)>) {
    use gospublic::dashboard::red_flags;
    let region = RegionId(region);
    let today = chrono::Utc::now().date_naive();
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let settings = gospublic::settings::db::get(&mut tx, region).await.unwrap();
    let listed = red_flags::pages(&mut tx, region, ids, platform, &settings, today)
        .await
        .unwrap();
    let counted = red_flags::count(&mut tx, region, ids, platform, &settings, today)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (counted, red_flags::counts(&listed))
}

#[sqlx::test]
async fn red_flag_lists_name_the_pages(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    let statements = [
        // The hospital's VK page: a request filed 40 days ago, and no post for 40 days.
        "update pages set mark_status = 'requested', mark_since = current_date - 40 where region_id = $1 and organization_id = $2 and platform = 'vk'",
        "insert into page_snapshots (region_id, page_id, week, followers, posts, last_post_on, source)
           select $1, id, date_trunc('week', now())::date - 7, 500, 0, current_date - 40, 'manual'
           from pages where region_id = $1 and organization_id = $2 and platform = 'vk'",
        // Its Telegram channel: nothing set up and nobody reads it.
        "update pages set has_avatar = false, has_cover = false, has_description = false, widgets = 0
           where region_id = $1 and organization_id = $2 and platform = 'telegram'",
        "insert into page_snapshots (region_id, page_id, week, followers, posts, views, reach, last_post_on, source)
           select $1, id, date_trunc('week', now())::date - 7, 100, 1, 10, 0, current_date - 3, 'manual'
           from pages where region_id = $1 and organization_id = $2 and platform = 'telegram'",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(a.id)
            .bind(a.other)
            .execute(&db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    // The dashboard's count and the lists' flagged pages agree.
    let (counted, listed) = flags_both_ways(&db, a.id, None, None).await;
    assert_eq!(counted, listed);
    assert!(counted.iter().all(|(_, n)| *n > 0), "{counted:?}");
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    coordinator
        .get("/r/region-a/dashboard")
        .await
        .assert_contains("flag=no_mark&#38;days=7\">Страницы без госметки: 3</a>")
        .assert_contains("flag=stuck&#38;days=7\">Заявка на госметку зависла: 1</a>")
        .assert_contains(
            "flag=dormant&#38;days=7\">Неактивные страницы (нет постов дольше срока): 1</a>",
        )
        .assert_contains("flag=red&#38;days=7\">Страницы в красной зоне оценки: 1</a>");
    coordinator
        .get("/r/region-a/dashboard/pages?flag=red")
        .await
        .assert_contains("https://t.me/hospital1")
        .assert_lacks("vk.com/school1");
    coordinator
        .get("/r/region-a/dashboard/pages?flag=stuck")
        .await
        .assert_contains("https://vk.com/hospital1");
    // The municipal coordinator of the school's municipality sees none of the hospital's.
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    municipal
        .get("/r/region-a/dashboard/pages?flag=no_mark")
        .await
        .assert_lacks("hospital")
        .assert_contains("ok.ru/group/1");
}

#[sqlx::test]
async fn the_operator_sees_one_row_per_region(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    setup(&db, &a).await;
    // One question overdue from ten days ago, one received this week.
    common::question(&db, a.id, a.child, None, 24 * 10, "normal").await;
    common::question(&db, a.id, a.child, None, 1, "normal").await;
    let op = common::operator(&db).await;
    let mut operator = TestApp::new(db.clone());
    operator.login(&op).await;
    let page = operator.get("/operator/overview").await;
    page.assert_status(StatusCode::OK);
    let row = |name: &str| {
        let start = page.body.find(name).unwrap_or_else(|| panic!("{name} row"));
        let end = start + page.body[start..].find("</tr>").unwrap();
        page.body[start..end]
            .split("<td class=\"num\">")
            .skip(1)
            .map(|c| c.split('<').next().unwrap().trim().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("Регион region-a"),
        [
            "3", "2 (66%)", "1 (33%)", "1 (33%)", "1 (33%)", "1", "—", "1"
        ]
    );
    assert_eq!(
        row("Регион region-b"),
        ["3", "2 (66%)", "0 (0%)", "0 (0%)", "0 (0%)", "0", "—", "0"]
    );
    let audited = operator
        .count("select count(*) from audit_log where object_type = 'federal_overview'")
        .await;
    assert_eq!(audited, 1);
    let mut admin = TestApp::new(db.clone());
    admin.login(&b.admin).await;
    assert_eq!(
        admin.get("/operator/overview").await.status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test]
async fn trends_tell_the_story_in_charts_and_words(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    sqlx::query(
        "insert into page_mark_events (region_id, page_id, from_status, status, happened_on) values ($1, $2, 'none', 'requested', current_date - 120), ($1, $2, 'requested', 'granted', current_date - 90)",
    )
    .bind(a.id)
    .bind(a.child_page)
    .execute(&db)
    .await
    .unwrap();
    common::question(&db, a.id, a.child, None, 0, "normal").await;
    common::question(&db, a.id, a.other, None, 0, "normal").await;
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let page = coordinator.get("/r/region-a/dashboard").await;
    page.assert_contains("<svg class=\"chart\"")
        .assert_contains("aria-labelledby=\"trend-verified-t trend-verified-d\"")
        .assert_contains("С госметкой было 0 страниц")
        .assert_contains(", стало 1 в ");
    let desc_start = page.body.find("<desc id=\"trend-questions-d\">").unwrap();
    let desc =
        &page.body[desc_start..desc_start + page.body[desc_start..].find("</desc>").unwrap()];
    assert!(desc.ends_with(": 2."), "{desc}");
    // The municipal coordinator's trend holds their municipality's question only.
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    let page = municipal.get("/r/region-a/dashboard").await;
    let desc_start = page.body.find("<desc id=\"trend-questions-d\">").unwrap();
    let desc =
        &page.body[desc_start..desc_start + page.body[desc_start..].find("</desc>").unwrap()];
    assert!(desc.ends_with(": 1."), "{desc}");
}

#[sqlx::test]
async fn questions_download_one_per_row_across_chunks_within_scope(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let answered = common::question(&db, a.id, a.child, None, 2, "urgent").await;
    sqlx::query(
        "update questions set status = 'answered', first_response_at = now(), first_response_minutes = 90, answered_at = now(), answer_minutes = 90 where id = $1",
    )
    .bind(answered)
    .execute(&db)
    .await
    .unwrap();
    // More than one chunk of the hospital's questions.
    sqlx::query(
        r#"insert into questions (region_id, organization_id, channel, body, category, priority, received_at,
                                  first_response_due, first_response_risk, final_due, final_risk)
           select $1, $2, 'manual', 'Вопрос ' || g, 'Дороги', 'normal', now() - interval '1 day',
                  now() + interval '1 day', now() + interval '1 day', now() + interval '7 days', now() + interval '6 days'
           from generate_series(1, 2100) g"#,
    )
    .bind(a.id)
    .bind(a.other)
    .execute(&db)
    .await
    .unwrap();
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let csv = coordinator
        .get("/r/region-a/dashboard/questions.csv?days=7")
        .await;
    csv.assert_status(StatusCode::OK);
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 1 + 1 + 2100, "header and every question once");
    assert!(
        lines[0].starts_with("Номер;Получено;Организация"),
        "{}",
        lines[0]
    );
    let row = lines
        .iter()
        .find(|l| l.starts_with(&format!("{answered};")))
        .unwrap();
    assert!(
        row.contains(";срочное;дан ответ;") && row.contains(";1,5;да;"),
        "{row}"
    );
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    let mine = municipal
        .get("/r/region-a/dashboard/questions.csv?days=7")
        .await;
    assert_eq!(
        mine.body.trim_start_matches('\u{feff}').lines().count(),
        2,
        "only the school's question"
    );
}

#[sqlx::test]
async fn the_weekly_digest_compares_weeks_and_names_who_is_behind(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    // Two questions this week, one last week; the hospital has the overdue one.
    common::question(&db, a.id, a.child, None, 1, "normal").await;
    common::question(&db, a.id, a.other, None, 24 * 10, "normal").await;
    common::question(&db, a.id, a.other, None, 2, "normal").await;
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let page = coordinator.get("/r/region-a/dashboard/digest").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("<tr><th scope=\"row\">Поступило обращений</th><td class=\"num\">2</td><td class=\"num\">1</td></tr>")
        .assert_contains("Больница региона 1</a>: 1 обращение")
        .assert_contains("Дороги: 2");
    // The municipal coordinator's digest is their municipality's.
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    municipal
        .get("/r/region-a/dashboard/digest")
        .await
        .assert_lacks("Больница")
        .assert_contains("<td class=\"num\">1</td><td class=\"num\">0</td>");
}
