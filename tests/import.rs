//! Bulk import of organizations from the fixture files of tests/fixtures.
mod common;

use std::process::Command;

use axum::http::StatusCode;
use common::{RegionFixture, TestApp, fixture, region, two_regions};
use gospublic::i18n::Locale;
use gospublic::ids::RegionId;
use gospublic::import::run::{self, CommitResult, Outcome};
use gospublic::state::tenant_tx;
use sqlx::PgPool;

const GOOD_FILES: [&str; 5] = [
    "organizations-cp1251-semicolon.csv",
    "organizations-utf8-bom-comma.csv",
    "organizations-utf8-tab.csv",
    "organizations-english-headers.csv",
    "organizations.xlsx",
];

async fn preview(db: &PgPool, r: &RegionFixture, file: &str) -> Outcome {
    let mut tx = tenant_tx(db, RegionId(r.id)).await.unwrap();
    let outcome = run::preview(
        &mut tx,
        RegionId(r.id),
        None,
        "organizations",
        file,
        &fixture(file),
        Locale::Ru,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    outcome
}

async fn commit(db: &PgPool, r: &RegionFixture, id: i64) -> CommitResult {
    let mut tx = tenant_tx(db, RegionId(r.id)).await.unwrap();
    let result = run::commit(&mut tx, RegionId(r.id), None, id, Locale::Ru)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    result
}

async fn snapshot(db: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        r#"select concat_ws('|', o.name, o.short_name, o.inn, o.ogrn, o.level, p.ogrn, m.name, o.exempt, o.exemption_basis,
                  (select string_agg(s.name, ',' order by os.slot) from organization_sectors os join sectors s on s.id = os.sector_id where os.organization_id = o.id))
           from organizations o
           left join organizations p on p.id = o.parent_id
           left join municipalities m on m.id = o.municipality_id
           order by o.ogrn"#,
    )
    .fetch_all(db)
    .await
    .unwrap()
}

#[sqlx::test]
async fn every_encoding_delimiter_and_format_gives_the_same_plan(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    for file in GOOD_FILES {
        let outcome = preview(&db, &r, file).await;
        assert!(
            outcome.report.kept.is_empty(),
            "{file}: {:?}",
            outcome.report.kept
        );
        assert_eq!(
            (
                outcome.rows,
                outcome.counts.created,
                outcome.counts.updated,
                outcome.counts.unchanged
            ),
            (4, 4, 0, 0),
            "{file}"
        );
    }
    assert_eq!(
        common::TestApp::new(db)
            .count("select count(*) from organizations")
            .await,
        3,
        "a preview changes nothing"
    );
}

#[sqlx::test]
async fn commit_writes_everything_with_founders_named_later_in_the_file(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let outcome = preview(&db, &r, "organizations-cp1251-semicolon.csv").await;
    assert!(
        matches!(commit(&db, &r, outcome.id).await, CommitResult::Committed(c) if c.created == 4)
    );
    let rows = snapshot(&db).await;
    let find = |ogrn: &str| rows.iter().find(|r| r.contains(ogrn)).cloned().unwrap();
    assert_eq!(
        find("1042240000010"),
        "МБДОУ «Детский сад № 7 \"Ромашка\"»|Детский сад № 7|2240000015|1042240000010|municipal_institution|1042240000032|Первый район 1|f|Образование"
    );
    assert_eq!(
        find("1042240000021"),
        // The cell's line break is read (see the reader's tests) and the stored name has one
        // spelling: runs of white space are one space.
        "МБОУ «Гимназия № 2» имени А. С. Пушкина|Гимназия № 2|2240000022|1042240000021|municipal_institution|1022210000010|Первый район 1|f|Образование,Культура"
    );
    assert!(
        find("1042240000043")
            .ends_with("|t|Не взаимодействует с гражданами (письмо от 01.02.2026 № 12)")
    );
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'import_create'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(audited, 4);
    // Committed once only.
    assert!(matches!(
        commit(&db, &r, outcome.id).await,
        CommitResult::AlreadyDone
    ));
}

#[sqlx::test]
async fn importing_the_same_file_again_changes_nothing_and_a_changed_row_updates(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let first = preview(&db, &r, "organizations-cp1251-semicolon.csv").await;
    commit(&db, &r, first.id).await;
    let before = snapshot(&db).await;
    for file in GOOD_FILES {
        let again = preview(&db, &r, file).await;
        assert_eq!(
            (
                again.counts.created,
                again.counts.updated,
                again.counts.unchanged
            ),
            (0, 0, 4),
            "{file}"
        );
    }
    let again = preview(&db, &r, "organizations.xlsx").await;
    commit(&db, &r, again.id).await;
    assert_eq!(before, snapshot(&db).await);
    let changed = preview(&db, &r, "organizations-changed.csv").await;
    assert_eq!(
        (
            changed.counts.created,
            changed.counts.updated,
            changed.counts.unchanged
        ),
        (0, 1, 3)
    );
    commit(&db, &r, changed.id).await;
    let name: String =
        sqlx::query_scalar("select name from organizations where ogrn = '1042240000043'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(name, "Архивный отдел Первого района");
}

#[sqlx::test]
async fn every_kind_of_row_problem_is_reported_with_row_and_column(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let outcome = preview(&db, &r, "organizations-errors.csv").await;
    let found: Vec<(usize, String, String)> = outcome
        .report
        .kept
        .iter()
        .map(|e| {
            (
                e.row,
                e.column.clone().unwrap_or_default(),
                e.message.clone(),
            )
        })
        .collect();
    let expect = [
        (2, "Наименование", "Заполните это поле."),
        (3, "ИНН", "Контрольная цифра ИНН не сходится"),
        (4, "ОГРН", "Контрольная цифра ОГРН не сходится"),
        (5, "ОГРН", "Этот ОГРН уже встречается в строке 2."),
        (6, "Уровень", "Неизвестный уровень «Корпорация»"),
        (7, "Учредитель", "Учредитель «1027700132195» не найден"),
        (8, "Муниципалитет", "Муниципалитет «Нарния» не найден"),
        (9, "Отрасль 1", "Отрасль «Космонавтика» не найдена"),
        (10, "ИНН", "Заполните это поле."),
    ];
    for (row, column, message) in expect {
        assert!(
            found
                .iter()
                .any(|(r, c, m)| *r == row && c == column && m.contains(message)),
            "row {row} {column}: {message} not in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
}

#[sqlx::test]
async fn a_file_mixing_good_and_bad_rows_changes_nothing(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let before = snapshot(&db).await;
    let outcome = preview(&db, &r, "organizations-mixed.csv").await;
    assert_eq!(outcome.report.kept.len(), 1);
    assert_eq!(outcome.report.kept[0].row, 5);
    assert!(matches!(
        commit(&db, &r, outcome.id).await,
        CommitResult::AlreadyDone | CommitResult::Refused(_)
    ));
    assert_eq!(before, snapshot(&db).await);
}

#[sqlx::test]
async fn missing_columns_and_files_that_are_not_tables_are_refused(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let mut tx = tenant_tx(&db, RegionId(r.id)).await.unwrap();
    let outcome = run::preview(
        &mut tx,
        RegionId(r.id),
        None,
        "organizations",
        "x.csv",
        "Название;Примечание\nШкола;123\n".as_bytes(),
        Locale::Ru,
    )
    .await
    .unwrap();
    // The missing columns, and the column no field claims (it may be one of them by
    // another name).
    assert_eq!(outcome.report.kept.len(), 2, "{:?}", outcome.report.kept);
    assert!(
        outcome.report.kept[0]
            .message
            .contains("Нет обязательных столбцов: ИНН, ОГРН, Уровень"),
        "{:?}",
        outcome.report.kept
    );
    assert_eq!(
        outcome.report.kept[1].column.as_deref(),
        Some("Примечание"),
        "{:?}",
        outcome.report.kept
    );
    let outcome = run::preview(
        &mut tx,
        RegionId(r.id),
        None,
        "organizations",
        "photo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        Locale::Ru,
    )
    .await
    .unwrap();
    assert_eq!(
        outcome.report.kept[0].message,
        "Это не таблица XLSX или CSV."
    );
}

async fn preview_text(db: &PgPool, r: &RegionFixture, text: &str) -> Outcome {
    let mut tx = tenant_tx(db, RegionId(r.id)).await.unwrap();
    let outcome = run::preview(
        &mut tx,
        RegionId(r.id),
        None,
        "organizations",
        "contacts.csv",
        text.as_bytes(),
        Locale::Ru,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    outcome
}

#[sqlx::test]
async fn a_registry_file_brings_contacts_and_a_file_without_them_keeps_them(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let head = "Наименование;ИНН;ОГРН;Уровень;Адрес;Телефон;Электронная почта;Сайт\n";
    let bad = format!(
        "{head}Школа № 5;2240000015;1042240000010;Иное;г. Барнаул, ул. Мира, 5;+7 3852 55-55-55;school5 at mail;school5\n"
    );
    let outcome = preview_text(&db, &r, &bad).await;
    let messages: Vec<(Option<String>, String)> = outcome
        .report
        .kept
        .iter()
        .map(|e| (e.column.clone(), e.message.clone()))
        .collect();
    assert_eq!(outcome.report.total, 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|(_, m)| m.contains("Введите адрес электронной почты"))
    );
    assert!(
        messages
            .iter()
            .any(|(_, m)| m.contains("Введите адрес сайта"))
    );
    let good = bad
        .replace("school5 at mail", "info@school5.example")
        .replace(";school5\n", ";school5.example\n");
    let outcome = preview_text(&db, &r, &good).await;
    assert_eq!(outcome.report.total, 0);
    commit(&db, &r, outcome.id).await;
    let contacts: (String, String, String, String) = sqlx::query_as(
        "select address, phone, email, website from organizations where ogrn = '1042240000010'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        contacts,
        (
            "г. Барнаул, ул. Мира, 5".to_owned(),
            "+7 3852 55-55-55".to_owned(),
            "info@school5.example".to_owned(),
            "school5.example".to_owned()
        )
    );
    // A file without the contact columns changes nothing about them.
    let without = "Наименование;ИНН;ОГРН;Уровень\nШкола № 5;2240000015;1042240000010;Иное\n";
    let outcome = preview_text(&db, &r, without).await;
    assert_eq!(outcome.counts.unchanged, 1);
    commit(&db, &r, outcome.id).await;
    let kept: Option<String> =
        sqlx::query_scalar("select email from organizations where ogrn = '1042240000010'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(kept.as_deref(), Some("info@school5.example"));
}

#[sqlx::test]
async fn admin_previews_and_commits_an_upload_in_the_browser_flow(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/imports")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("enctype=\"multipart/form-data\"");
    let template = admin.get("/r/region-a/imports/template.xlsx").await;
    assert_eq!(
        template.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "реестр.csv",
            &fixture("organizations-errors.csv"),
        )
        .await;
    let errors_page = res.location().unwrap().to_owned();
    admin
        .get(&errors_page)
        .await
        .assert_contains("Контрольная цифра ИНН не сходится")
        .assert_lacks("Внести изменения");
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "реестр.csv",
            &fixture("organizations-cp1251-semicolon.csv"),
        )
        .await;
    let page = res.location().unwrap().to_owned();
    let preview = admin.get(&page).await;
    preview
        .assert_contains("Внести изменения")
        .assert_contains("<dd>4</dd>");
    admin
        .post_form(&format!("{page}/commit"), &[])
        .await
        .assert_redirect(&page);
    admin
        .get(&page)
        .await
        .assert_contains("Изменения внесены.")
        .assert_contains("внесён");
    assert_eq!(
        admin
            .count("select count(*) from organizations where ogrn like '104224%'")
            .await,
        4
    );
    admin
        .get("/r/region-a/imports")
        .await
        .assert_contains("реестр.csv");
    // Not a table: a page with the message, not an error.
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "photo.png",
            b"\x89PNG\r\n\x1a\n\0\0",
        )
        .await;
    let refused = res.location().unwrap().to_owned();
    admin
        .get(&refused)
        .await
        .assert_contains("Это не таблица XLSX или CSV.");
    // No file chosen.
    admin.get("/r/region-a/imports").await;
    admin
        .post_file("/r/region-a/imports", "file", "", b"")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Выберите файл");
}

#[sqlx::test]
async fn uploads_need_the_token_the_role_and_the_region(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    let token = admin.csrf.take();
    assert_eq!(
        admin
            .post_file(
                "/r/region-a/imports",
                "file",
                "r.csv",
                &fixture("organizations-mixed.csv")
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    admin.csrf = token;
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "r.csv",
            &fixture("organizations-mixed.csv"),
        )
        .await;
    let page = res.location().unwrap().to_owned();
    let mut coordinator = TestApp::new(db.clone());
    coordinator.login(&a.coordinator).await;
    assert_eq!(coordinator.get(&page).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        coordinator
            .post_file(
                "/r/region-a/imports",
                "file",
                "r.csv",
                &fixture("organizations-mixed.csv")
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut other = TestApp::new(db.clone());
    other.login(&b.admin).await;
    assert_eq!(other.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other
            .get(&page.replace("region-a", "region-b"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn database_url(db: &PgPool) -> String {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(db)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").unwrap();
    format!("{}/{name}", base.rsplit_once('/').unwrap().0)
}

#[sqlx::test]
async fn the_command_line_reports_the_same_and_commits_only_clean_files(db: PgPool) {
    let r = region(&db, "region-a", 1).await;
    let url = database_url(&db).await;
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gospublic"))
            .args(args)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let path = |f: &str| format!("{}/tests/fixtures/{f}", env!("CARGO_MANIFEST_DIR"));
    let out = run(&[
        "import",
        "organizations",
        &path("organizations-errors.csv"),
        "--region",
        &r.slug,
        "--commit",
    ]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("Строка 3\tИНН\tКонтрольная цифра ИНН не сходится"),
        "{report}"
    );
    let out = run(&[
        "import",
        "organizations",
        &path("organizations.xlsx"),
        "--region",
        &r.slug,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Будет создано: 4"));
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from organizations")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 3);
    let out = run(&[
        "import",
        "organizations",
        &path("organizations.xlsx"),
        "--region",
        &r.slug,
        "--commit",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count().await, 7);
    let imports: i64 = sqlx::query_scalar("select count(*) from imports where user_id is null")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(imports, 3);
}

async fn preview_pages(db: &PgPool, r: &RegionFixture, file: &str) -> Outcome {
    let mut tx = tenant_tx(db, RegionId(r.id)).await.unwrap();
    let outcome = run::preview(
        &mut tx,
        RegionId(r.id),
        None,
        run::KIND_PAGES,
        file,
        &fixture(file),
        Locale::Ru,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    outcome
}

#[sqlx::test]
async fn pages_import_matches_existing_pages_by_their_normalized_address(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let outcome = preview_pages(&db, &a, "pages-cp1251-semicolon.csv").await;
    assert!(outcome.report.kept.is_empty(), "{:?}", outcome.report.kept);
    // m.vk.com/School1 is the school's existing vk.com/school1: an update (mark, title), not a new page.
    assert_eq!(
        (
            outcome.counts.created,
            outcome.counts.updated,
            outcome.counts.unchanged
        ),
        (3, 1, 0)
    );
    let result = commit(&db, &a, outcome.id).await;
    assert!(matches!(result, CommitResult::Committed(_)), "{result:?}");
    let rows: Vec<(String, String, bool, i64)> =
        sqlx::query_as("select url_key, mark_status, connected, organization_id from pages where region_id = $1 order by url_key")
            .bind(a.id)
            .fetch_all(&db)
            .await
            .unwrap();
    assert!(rows.contains(&("vk.com/school1".into(), "granted".into(), true, a.child)));
    assert!(rows.contains(&(
        "t.me/school_one_region".into(),
        "none".into(),
        false,
        a.child
    )));
    assert!(rows.contains(&(
        "ok.ru/group/5550001".into(),
        "granted".into(),
        false,
        a.founder
    )));
    assert!(rows.contains(&("max.ru/hospital_one".into(), "none".into(), true, a.other)));
    let again = preview_pages(&db, &a, "pages-cp1251-semicolon.csv").await;
    assert_eq!(
        (
            again.counts.created,
            again.counts.updated,
            again.counts.unchanged
        ),
        (0, 0, 4)
    );
}

#[sqlx::test]
async fn every_kind_of_page_row_problem_is_reported(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let outcome = preview_pages(&db, &a, "pages-errors.csv").await;
    let found: Vec<(usize, String)> = outcome
        .report
        .kept
        .iter()
        .map(|e| (e.row, e.message.clone()))
        .collect();
    let expect = [
        (
            2,
            "уже зарегистрирована за организацией «Школа № 1 региона 1»",
        ),
        (3, "не найдена в реестре"),
        (4, "Неизвестная площадка «Фейсбук»"),
        (5, "Это адрес на площадке «ВКонтакте»"),
        (6, "ссылка-приглашение"),
        (7, "Ожидается «да» или «нет»"),
        (8, "Эта страница уже встречается в строке 7."),
        (9, "другого региона"),
    ];
    for (row, message) in expect {
        assert!(
            found.iter().any(|(r, m)| *r == row && m.contains(message)),
            "row {row}: {message} not in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
}

#[sqlx::test]
async fn a_file_over_the_limit_is_refused_with_a_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    let huge = vec![b'x'; gospublic::import::MAX_FILE_BYTES + 128 * 1024];
    let res = admin
        .post_file("/r/region-a/imports", "file", "huge.csv", &huge)
        .await;
    res.assert_status(StatusCode::PAYLOAD_TOO_LARGE)
        .assert_contains("Слишком большой запрос");
    assert_eq!(admin.count("select count(*) from imports").await, 0);
}

/// Imports show their times as the region reads them (Barnaul, UTC+7), like every other
/// screen, not in UTC.
#[sqlx::test]
async fn imports_show_the_regions_time(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let outcome = preview(&db, &a, "organizations-utf8-bom-comma.csv").await;
    let created: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select created_at from imports where id = $1")
            .bind(outcome.id)
            .fetch_one(&db)
            .await
            .unwrap();
    let local = gospublic::regions::time::local(&created, chrono_tz::Asia::Barnaul);
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    for url in [
        "/r/region-a/imports".to_owned(),
        format!("/r/region-a/imports/{}", outcome.id),
    ] {
        let res = app.get(&url).await;
        assert!(!res.body.contains(" UTC"), "{url} shows UTC");
        if url.ends_with("imports") {
            res.assert_contains(&local);
        }
    }
}

/// A registry as another region keeps it: its own names for the founder, sector and
/// exemption columns, and «Спорт» where the dictionary says «Физическая культура и спорт».
fn unfamiliar_registry(rows: usize, founder_ogrn: &str) -> Vec<u8> {
    use gospublic::orgs::identifiers::{complete_inn, complete_ogrn};
    let mut csv = String::from(
        "Наименование;ИНН;ОГРН;Уровень;Учредитель (ОГРН);Сфера;Страница не ведется на основании\n",
    );
    for i in 0..rows {
        let exemption = if i == 0 { "Приказ № 5" } else { "" };
        csv.push_str(&format!(
            "Спортивная школа № {i};{};{};Подведомственное учреждение;{founder_ogrn};Спорт;{exemption}\n",
            complete_inn(&format!("223{i:06}")),
            complete_ogrn(&format!("10223{i:07}")),
        ));
    }
    csv.into_bytes()
}

#[sqlx::test]
async fn an_unfamiliar_registry_is_mapped_once_and_loses_nothing(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let founder_ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.founder)
        .fetch_one(&db)
        .await
        .unwrap();
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    let file = unfamiliar_registry(3, &founder_ogrn);
    let res = admin
        .post_file("/r/region-a/imports", "file", "реестр.csv", &file)
        .await;
    let page = res.location().unwrap().to_owned();
    let preview = admin.get(&page).await;
    preview
        .assert_contains("Нераспознанные столбцы")
        .assert_contains("Учредитель (ОГРН)")
        .assert_contains("Страница не ведется на основании")
        .assert_lacks("Внести изменения");
    let id = page.rsplit('/').next().unwrap();

    // The columns: one mapping for the three, remembered for the region.
    admin
        .post_form(
            &format!("/r/region-a/imports/{id}/mapping"),
            &[
                ("column", "Учредитель (ОГРН)"),
                ("as", "founder"),
                ("column", "Сфера"),
                ("as", "sector1"),
                ("column", "Страница не ведется на основании"),
                ("as", "exemption"),
            ],
        )
        .await
        .assert_redirect(&page);
    // Now «Спорт» is the one problem: a single group of three rows, not three messages.
    let preview = admin.get(&page).await;
    preview
        .assert_contains("Значения, которых нет в справочниках")
        .assert_contains("<td class=\"num\">3</td>")
        .assert_contains("2, 3, 4")
        .assert_contains("<dt>Будет создано</dt><dd>0</dd>")
        .assert_lacks("Нераспознанные столбцы");
    let sport: i64 = sqlx::query_scalar(
        "select id from sectors where region_id = $1 and name = 'Физическая культура и спорт'",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    admin
        .post_form(
            &format!("/r/region-a/imports/{id}/mapping"),
            &[
                ("field", "sector"),
                ("value", "Спорт"),
                ("to", &sport.to_string()),
            ],
        )
        .await
        .assert_redirect(&page);
    admin
        .get(&page)
        .await
        .assert_contains("Внести изменения")
        .assert_contains("<dt>Будет создано</dt><dd>3</dd>");
    admin
        .post_form(&format!("/r/region-a/imports/{id}/commit"), &[])
        .await;
    let (with_founder, in_sport, exempt): (i64, i64, i64) = sqlx::query_as(
        r#"select count(*) filter (where o.parent_id = $2),
                  count(*) filter (where exists (select 1 from organization_sectors s where s.organization_id = o.id and s.sector_id = $3)),
                  count(*) filter (where o.exemption_basis = 'Приказ № 5')
           from organizations o where o.region_id = $1 and o.name like 'Спортивная школа%'"#,
    )
    .bind(a.id)
    .bind(a.founder)
    .bind(sport)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((with_founder, in_sport, exempt), (3, 3, 1));

    // The next file with the same headers needs no mapping at all.
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "реестр-2.csv",
            &unfamiliar_registry(4, &founder_ogrn),
        )
        .await;
    let next = admin.get(res.location().unwrap()).await;
    next.assert_contains("Внести изменения")
        .assert_contains("<dt>Будет создано</dt><dd>1</dd>");
}

#[sqlx::test]
async fn a_preview_never_committed_can_be_deleted_and_a_committed_one_cannot(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "реестр.csv",
            &fixture("organizations-errors.csv"),
        )
        .await;
    let page = res.location().unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    admin.get(&page).await.assert_contains("Удалить загрузку");
    admin
        .post_form(&format!("/r/region-a/imports/{id}/delete"), &[])
        .await
        .assert_redirect("/r/region-a/imports");
    // The record stays, for the history and the audit log's link; the file and report go.
    admin
        .get(&page)
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("<strong>удалён</strong>")
        .assert_lacks("Удалить загрузку")
        .assert_lacks("Контрольная цифра");
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "реестр.csv",
            &fixture("organizations-cp1251-semicolon.csv"),
        )
        .await;
    let page = res.location().unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    admin
        .post_form(&format!("/r/region-a/imports/{id}/commit"), &[])
        .await;
    admin
        .post_form(&format!("/r/region-a/imports/{id}/delete"), &[])
        .await
        .assert_redirect(&page);
    admin
        .get(&page)
        .await
        .assert_status(StatusCode::OK)
        .assert_lacks("Удалить загрузку");
}

#[sqlx::test]
async fn a_region_is_set_up_from_its_list_of_municipalities(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    admin
        .get("/r/region-a/imports/municipalities-template.xlsx")
        .await
        .assert_status(StatusCode::OK);
    let template = gospublic::import::template::municipalities().unwrap();
    let table = gospublic::import::reader::read(&template).unwrap();
    assert_eq!(table.headers, ["Наименование", "Вид", "ОКТМО"]);
    assert_eq!(
        table.rows[0],
        ["город Барнаул", "Городской округ", "01701000"]
    );

    let broken = "Наименование;Вид;ОКТМО\nг.  Новосибирск;Городской округ;50701000\nГ. НОВОСИБИРСК;;\nг. Hовосибирск;;\n";
    let res = admin
        .post_file_with(
            "/r/region-a/imports",
            &[("kind", "municipalities")],
            "file",
            "мо.csv",
            broken.as_bytes(),
        )
        .await;
    admin
        .get(res.location().unwrap())
        .await
        .assert_contains("уже встречается в строке 2")
        .assert_contains("латинская буква «H»")
        .assert_lacks("Внести изменения");

    let good = "Наименование;Вид;ОКТМО\nг.  Новосибирск;Городской округ;50701000\nИскитимский район;;50615000\nПервый район 1;Муниципальный район;01601000\n";
    let res = admin
        .post_file_with(
            "/r/region-a/imports",
            &[("kind", "municipalities")],
            "file",
            "мо.csv",
            good.as_bytes(),
        )
        .await;
    let page = res.location().unwrap().to_owned();
    admin
        .get(&page)
        .await
        .assert_contains("<dt>Будет создано</dt><dd>2</dd>")
        .assert_contains("<dt>Без изменений</dt><dd>1</dd>");
    admin
        .post_form(&format!("{page}/commit"), &[])
        .await
        .assert_redirect(&page);
    let names: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "select name, kind, oktmo from municipalities where region_id = $1 order by name",
    )
    .bind(a.id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(
        names.contains(&(
            "г. Новосибирск".into(),
            "city_okrug".into(),
            Some("50701000".into())
        )),
        "{names:?}"
    );
    assert!(
        names.contains(&(
            "Искитимский район".into(),
            "municipal_district".into(),
            Some("50615000".into())
        )),
        "{names:?}"
    );
    // A near-duplicate typed by hand is refused like the one imported.
    admin.get("/r/region-a/municipalities/new").await;
    let res = admin
        .post_form(
            "/r/region-a/municipalities",
            &[
                ("name", "Г.  НОВОСИБИРСК\u{200B}"),
                ("kind", "city_okrug"),
                ("oktmo", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("value=\"Г.  НОВОСИБИРСК");
    let res = admin
        .post_form(
            "/r/region-a/municipalities",
            &[
                ("name", "Hовосибирский район"),
                ("kind", "municipal_district"),
                ("oktmo", ""),
            ],
        )
        .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("латинская буква «H»");
    // And the registry finds the real one whatever the spelling.
    let registry = format!(
        "Наименование;ИНН;ОГРН;Уровень;Муниципалитет\nМБОУ «Школа № 9»;{};{};Подведомственное учреждение;Г. НОВОСИБИРСК\n",
        gospublic::orgs::identifiers::complete_inn("224000009"),
        gospublic::orgs::identifiers::complete_ogrn("104224000009"),
    );
    let res = admin
        .post_file(
            "/r/region-a/imports",
            "file",
            "реестр.csv",
            registry.as_bytes(),
        )
        .await;
    admin
        .get(res.location().unwrap())
        .await
        .assert_contains("Внести изменения");
}

#[sqlx::test]
async fn a_file_over_two_megabytes_is_accepted_through_the_web(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    let file = unfamiliar_registry(24_000, "1000000000001");
    assert!(file.len() > 3 * 1024 * 1024, "{}", file.len());
    let res = admin
        .post_file("/r/region-a/imports", "file", "большой.csv", &file)
        .await;
    res.assert_status(StatusCode::SEE_OTHER);
    let page = res.location().unwrap().to_owned();
    assert!(page.starts_with("/r/region-a/imports/"), "{page}");
    admin
        .get(&page)
        .await
        .assert_contains("<dt>Строк</dt><dd>24000</dd>");
}

#[sqlx::test]
async fn an_upload_with_control_characters_is_refused_and_stores_nothing(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/imports").await;
    for name in ["реестр\u{0}.csv", "реестр\u{7}\u{1b}.csv"] {
        let res = admin
            .post_file(
                "/r/region-a/imports",
                "file",
                name,
                &fixture("organizations-cp1251-semicolon.csv"),
            )
            .await;
        res.assert_status(StatusCode::BAD_REQUEST)
            .assert_contains("Запрос не удалось разобрать");
    }
    let res = admin
        .post_file_with(
            "/r/region-a/imports",
            &[("kind", "pages\u{0}")],
            "file",
            "реестр.csv",
            &fixture("organizations-cp1251-semicolon.csv"),
        )
        .await;
    res.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        admin
            .count("select count(*) from imports where kind = 'organizations'")
            .await,
        1
    );
}
