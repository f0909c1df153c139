//! The drill-down from the region to a page keeps its filters in the URL; the page list and
//! the weekly digest download as spreadsheets; the Monday digest is mailed once.
mod common;

use axum::http::StatusCode;
use calamine::Reader;
use common::{RegionFixture, TestApp, two_regions};
use sqlx::PgPool;

/// The school in the education sector; the hospital also on Telegram; the ministry a
/// regional body.
async fn setup(db: &PgPool, a: &RegionFixture) {
    let statements = [
        "insert into organization_sectors (region_id, organization_id, sector_id, slot) values ($1, $2, $4, 1)",
        "insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $3, 'telegram', 't.me/hospital_a', 'https://t.me/hospital_a')",
        "update organizations set level = 'regional_body' where region_id = $1 and municipality_id is null",
        "update pages set mark_status = 'granted', mark_since = current_date - 10 where region_id = $1 and organization_id = $2",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(a.id)
            .bind(a.child)
            .bind(a.other)
            .bind(a.sector)
            .execute(db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

#[sqlx::test]
async fn the_drill_down_keeps_its_filters_down_to_the_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;

    // Region → municipality: the municipality's name links one level down, filters kept.
    let region = coordinator
        .get("/r/region-a/dashboard?platform=vk&days=30")
        .await;
    region.assert_status(StatusCode::OK).assert_contains(&format!(
        "href=\"/r/region-a/dashboard?municipality={}&#38;platform=vk&#38;days=30\">Первый район 1</a>",
        a.municipality
    ));
    // Municipality → sector.
    let municipality = coordinator
        .get(&format!(
            "/r/region-a/dashboard?municipality={}&platform=vk&days=30",
            a.municipality
        ))
        .await;
    municipality
        .assert_status(StatusCode::OK)
        .assert_contains("— Первый район 1</h1>")
        .assert_lacks("Второй район 1</a>")
        .assert_contains(&format!(
            "href=\"/r/region-a/dashboard?municipality={}&#38;sector={}&#38;platform=vk&#38;days=30\">Образование</a>",
            a.municipality, a.sector
        ));
    // Municipality and sector → the organizations behind a figure → one organization.
    let sector = coordinator
        .get(&format!(
            "/r/region-a/dashboard?municipality={}&sector={}&platform=vk&days=30",
            a.municipality, a.sector
        ))
        .await;
    let orgs_link = format!(
        "/r/region-a/dashboard/orgs?flag=verified&municipality={}&sector={}&platform=vk&days=30",
        a.municipality, a.sector
    );
    sector
        .assert_status(StatusCode::OK)
        .assert_contains("— Первый район 1 — Образование</h1>")
        .assert_contains(&format!(
            "href=\"{}\">1</a>",
            orgs_link.replace('&', "&#38;")
        ));
    let list = coordinator.get(&orgs_link).await;
    let org_link = format!(
        "/r/region-a/dashboard/org/{}?municipality={}&sector={}&platform=vk&days=30",
        a.child, a.municipality, a.sector
    );
    list.assert_status(StatusCode::OK)
        .assert_contains("Школа № 1 региона 1")
        .assert_lacks("Больница")
        .assert_contains(&org_link.replace('&', "&#38;"));
    // The organization → its page's card.
    coordinator
        .get(&org_link)
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("<h1>Школа № 1 региона 1</h1>")
        .assert_contains(&format!(
            "href=\"/r/region-a/pages/{}/card\">https://vk.com/school1</a>",
            a.child_page
        ));
}

#[sqlx::test]
async fn level_and_platform_filters_narrow_every_figure(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    // Three organizations must run a page; two have one.
    coordinator
        .get("/r/region-a/dashboard")
        .await
        .assert_contains("href=\"/r/region-a/dashboard/orgs?flag=obliged&#38;days=7\">3</a>")
        .assert_contains("href=\"/r/region-a/dashboard/orgs?flag=with_page&#38;days=7\">2</a>");
    // On Telegram only the hospital has a page.
    coordinator
        .get("/r/region-a/dashboard?platform=telegram")
        .await
        .assert_contains(
            "href=\"/r/region-a/dashboard/orgs?flag=with_page&#38;platform=telegram&#38;days=7\">1</a>",
        );
    coordinator
        .get("/r/region-a/dashboard/orgs?flag=with_page&platform=telegram")
        .await
        .assert_contains("Больница региона 1")
        .assert_lacks("Школа № 1 региона 1");
    // The regional bodies: the ministry alone, without a page.
    coordinator
        .get("/r/region-a/dashboard?level=regional_body")
        .await
        .assert_contains(
            "href=\"/r/region-a/dashboard/orgs?flag=obliged&#38;level=regional_body&#38;days=7\">1</a>",
        )
        .assert_contains(
            "href=\"/r/region-a/dashboard/orgs?flag=with_page&#38;level=regional_body&#38;days=7\">0</a>",
        );
    // Unknown filter values are no filter; a place that is not a number does not exist.
    coordinator
        .get("/r/region-a/dashboard?level=king&platform=myspace&days=8")
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        coordinator
            .get("/r/region-a/dashboard?municipality=first")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test]
async fn the_organization_view_is_scoped(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    setup(&db, &a).await;
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    municipal
        .get(&format!("/r/region-a/dashboard/org/{}", a.child))
        .await
        .assert_status(StatusCode::OK);
    // Another municipality's organization, or a municipality outside the scope: none exists.
    for path in [
        format!("/r/region-a/dashboard/org/{}", a.other),
        format!(
            "/r/region-a/dashboard?municipality={}",
            a.other_municipality
        ),
        format!(
            "/r/region-a/dashboard/pages.xlsx?municipality={}",
            a.other_municipality
        ),
    ] {
        assert_eq!(
            municipal.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    assert_eq!(
        editor
            .get(&format!("/r/region-a/dashboard/org/{}", a.child))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut foreign = TestApp::new(db.clone());
    foreign.login(&b.coordinator).await;
    assert_eq!(
        foreign
            .get(&format!("/r/region-b/dashboard/org/{}", a.child))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test]
async fn every_page_downloads_in_the_template_columns_within_scope(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    sqlx::query(
        "insert into page_snapshots (region_id, page_id, week, followers, posts, views, reach, last_post_on, source)
         values ($1, $2, date_trunc('week', now())::date - 7, 1200, 4, 5000, 900, current_date - 2, 'manual')",
    )
    .bind(a.id)
    .bind(a.child_page)
    .execute(&db)
    .await
    .unwrap();
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let xlsx = coordinator.get("/r/region-a/dashboard/pages.xlsx").await;
    xlsx.assert_status(StatusCode::OK);
    assert_eq!(
        xlsx.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    // The streamed workbook opens as a spreadsheet does, with the same rows as the CSV.
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 4, "three pages and the header: {rows:?}");
    assert_eq!(rows[0][0], "Муниципалитет");
    let school = rows
        .iter()
        .find(|r| r[4] == "https://vk.com/school1")
        .unwrap();
    assert_eq!(school[0], "Первый район 1");
    assert_eq!(school[10], "1200", "{school:?}");
    let csv = coordinator
        .get("/r/region-a/dashboard/pages.xlsx?format=csv")
        .await;
    let text = csv.body.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with(
            "Муниципалитет;Организация;ИНН;Площадка;Адрес страницы;Категория;Госметка;Дата статуса метки;Подключена к «Госпабликам»;Неделя с;Подписчики;Посты"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 4, "three pages and the header: {text}");
    let school = lines
        .iter()
        .find(|l| l.contains("https://vk.com/school1"))
        .unwrap();
    assert!(
        school.starts_with("Первый район 1;Школа № 1 региона 1;"),
        "{school}"
    );
    assert!(school.contains(";ВКонтакте;"), "{school}");
    assert!(school.contains(";1200;4;5000;900;"), "{school}");
    // The municipal coordinator's file: their municipality's one page.
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    let theirs = municipal
        .get("/r/region-a/dashboard/pages.xlsx?format=csv")
        .await;
    theirs
        .assert_contains("https://vk.com/school1")
        .assert_lacks("hospital");
}

#[sqlx::test]
async fn the_digest_downloads_as_a_workbook(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    common::question(&db, a.id, a.child, Some(a.child_page), 30, "normal").await;
    let region = gospublic::ids::RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let scope = gospublic::web::access::OrgScope {
        all: true,
        ..Default::default()
    };
    let d = gospublic::dashboard::digest::build(
        &mut tx,
        region,
        "Asia/Barnaul",
        &scope,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((d.week.received, d.coverage.obliged), (1, 3));
    let bytes = gospublic::dashboard::digest::workbook(&d, gospublic::i18n::Locale::Ru).unwrap();
    let first = gospublic::import::reader::read(&bytes).unwrap();
    assert_eq!(first.headers[1], "Эта неделя");
    assert_eq!(first.rows[0][0], "Поступило обращений");
    assert_eq!(first.rows[0][1], "1");
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let file = coordinator.get("/r/region-a/dashboard/digest.xlsx").await;
    file.assert_status(StatusCode::OK);
    assert!(
        file.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("region-a-digest-")
    );
}

#[sqlx::test]
async fn the_monday_digest_is_mailed_once_to_each_coordinator(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    common::question(&db, a.id, a.child, Some(a.child_page), 3, "normal").await;
    let (port, received) = common::smtp::smtp_sink().await;
    let mail = gospublic::mail::MailSettings {
        host: "127.0.0.1".into(),
        port,
        from: "gospublic@region-a.example".into(),
    };
    use gospublic::dashboard::digest_mail::send_digests;
    let tz: chrono_tz::Tz = "Asia/Barnaul".parse().unwrap();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    use chrono::{Datelike, TimeZone};
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let at = |h: u32| {
        tz.from_local_datetime(&monday.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    // Both fixture regions keep Barnaul time: nothing before eight on Monday.
    assert_eq!(
        send_digests(&db, &mail, "https://gospublic.example", at(7))
            .await
            .unwrap(),
        0
    );
    let (one, two) = tokio::join!(
        send_digests(&db, &mail, "https://gospublic.example", at(9)),
        send_digests(&db, &mail, "https://gospublic.example", at(9)),
    );
    // Region, municipal and subtree coordinators of each of the two regions.
    assert_eq!(one.unwrap() + two.unwrap(), 6);
    let messages = received.lock().unwrap().clone();
    assert_eq!(messages.len(), 6);
    let to_municipal = messages
        .iter()
        .find(|m| m.contains(&format!("To: {}", a.municipal_coordinator)))
        .expect("the municipal coordinator's digest");
    assert!(
        to_municipal.contains("region-a-digest-"),
        "the workbook is attached"
    );
    assert!(to_municipal.contains("multipart/mixed"));
    assert_eq!(
        send_digests(&db, &mail, "https://gospublic.example", at(11))
            .await
            .unwrap(),
        0,
        "once a week"
    );
    let recorded: i64 =
        sqlx::query_scalar("select sum(recipients) from digest_mailings where week = $1")
            .bind(monday)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(recorded, 6);
}

#[sqlx::test]
async fn answer_tables_download_within_scope(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    setup(&db, &a).await;
    common::question(&db, a.id, a.child, Some(a.child_page), 3, "normal").await;
    common::question(&db, a.id, a.other, Some(a.other_page), 5, "normal").await;
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    let answers = coordinator
        .get("/r/region-a/dashboard/export?table=answers&format=csv")
        .await;
    answers
        .assert_status(StatusCode::OK)
        .assert_contains("Муниципалитет;Поступило обращений;Требовали ответа")
        .assert_contains("Первый район 1;1;1;0;0")
        .assert_contains("Второй район 1;1;1;0;0")
        .assert_contains("Итого;2;2;0;0");
    coordinator
        .get("/r/region-a/dashboard/export?table=categories&format=csv")
        .await
        .assert_contains("Дороги;2;2;0;0");
    // Within a municipality the rows are its organizations.
    coordinator
        .get(&format!(
            "/r/region-a/dashboard/export?table=answers&format=csv&municipality={}",
            a.municipality
        ))
        .await
        .assert_contains("Организация;Поступило обращений")
        .assert_contains("Школа № 1 региона 1;1;")
        .assert_lacks("Больница");
    let mut municipal = TestApp::new(db.clone());
    municipal.login(&a.municipal_coordinator).await;
    municipal
        .get("/r/region-a/dashboard/export?table=answers&format=csv")
        .await
        .assert_contains("Первый район 1;1;")
        .assert_lacks("Второй район 1")
        .assert_contains("Итого;1;");
}
