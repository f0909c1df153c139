//! The demo data, the accounts it creates, and the binary's commands.
mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use common::TestApp;
use sqlx::PgPool;

async fn counts(db: &PgPool) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "regions",
        "municipalities",
        "sectors",
        "organizations",
        "organization_sectors",
        "pages",
        "users",
        "memberships",
    ] {
        out.push(
            sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(db)
                .await
                .unwrap(),
        );
    }
    out
}

#[sqlx::test]
async fn demo_data_is_realistic_and_loading_it_twice_changes_nothing(db: PgPool) {
    gospublic::demo::seed(&db).await.unwrap();
    // The planner knows what was loaded, even where autovacuum is off.
    let unanalyzed: Vec<String> = sqlx::query_scalar(
        r#"select relname::text from pg_stat_user_tables
           where relname in ('organizations', 'pages', 'page_snapshots', 'questions', 'question_events')
             and last_analyze is null"#,
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(
        unanalyzed.is_empty(),
        "not analysed after seeding: {unanalyzed:?}"
    );
    let first = counts(&db).await;
    let questions = "select count(*)::bigint + (select count(*) from question_events) + (select count(*) from page_snapshots) + (select count(*) from page_mark_events) from questions";
    let first_questions: i64 = sqlx::query_scalar(questions).fetch_one(&db).await.unwrap();
    gospublic::demo::seed(&db).await.unwrap();
    assert_eq!(first, counts(&db).await);
    let again: i64 = sqlx::query_scalar(questions).fetch_one(&db).await.unwrap();
    assert_eq!(first_questions, again);
    let [
        regions,
        municipalities,
        _sectors,
        organizations,
        _,
        pages,
        users,
        _,
    ] = first[..]
    else {
        unreachable!()
    };
    assert_eq!(regions, 1);
    assert_eq!(municipalities, 69);
    assert!((300..1000).contains(&organizations), "{organizations}");
    assert!(pages > organizations, "{pages}");
    assert_eq!(users, 6);
    let marks: Vec<String> =
        sqlx::query_scalar("select distinct mark_status from pages order by mark_status")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        marks,
        ["granted", "none", "rejected", "requested", "revoked"]
    );
    let (weeks, stuck, dormant): (i64, i64, i64) = sqlx::query_as(
        r#"select (select count(*) from page_snapshots),
                  (select count(*) from pages where mark_status = 'requested' and mark_since < current_date - 30),
                  (select count(distinct page_id) from page_snapshots s
                    where s.week = (select max(week) from page_snapshots) and s.posts = 0
                      and s.last_post_on < current_date - 30)"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(weeks, pages * 52, "a year of weeks for every page");
    assert!(stuck > 0 && dormant > 0, "stuck {stuck}, dormant {dormant}");
    // The scores spread over every traffic light, as a real region's do.
    let region: gospublic::ids::RegionId = sqlx::query_scalar("select id from regions")
        .fetch_one(&db)
        .await
        .unwrap();
    let mut tx = gospublic::state::tenant_tx(&db, region).await.unwrap();
    let settings = gospublic::settings::db::get(&mut tx, region).await.unwrap();
    let cards = gospublic::pages::db::card::region_cards(&mut tx, region)
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let mut lights = std::collections::BTreeMap::new();
    for card in &cards {
        let weeks = gospublic::activity::db::weeks(&mut tx, region, card.id, 4)
            .await
            .unwrap();
        let facts = gospublic::pages::score::facts(card, &weeks, &settings, today);
        let score =
            gospublic::quality::score::score(&facts, &gospublic::pages::score::weights(&settings));
        *lights.entry(score.light.code()).or_insert(0) += 1;
    }
    for light in ["green", "yellow", "red"] {
        let n = lights.get(light).copied().unwrap_or(0);
        assert!(n * 10 >= cards.len(), "{light}: {lights:?}");
    }
    let platforms: i64 = sqlx::query_scalar("select count(distinct platform) from pages")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(platforms, 4);
    // Every identifier passes its check digit.
    let ids: Vec<(String, String)> = sqlx::query_as("select inn, ogrn from organizations")
        .fetch_all(&db)
        .await
        .unwrap();
    for (inn, ogrn) in ids {
        assert!(
            gospublic::orgs::identifiers::validate_inn(&inn).is_ok(),
            "{inn}"
        );
        assert!(
            gospublic::orgs::identifiers::validate_ogrn(&ogrn).is_ok(),
            "{ogrn}"
        );
    }
    assert!(gospublic::demo::accounts_exist(&db).await.unwrap());
}

#[sqlx::test]
async fn each_demo_account_lands_on_a_page_for_its_role(db: PgPool) {
    gospublic::demo::seed(&db).await.unwrap();
    let sign_in = |email: &'static str| {
        let db = db.clone();
        async move {
            let mut app = TestApp::new(db);
            app.get("/login").await;
            let res = app
                .post_form(
                    "/login",
                    &[
                        ("email", email),
                        ("password", gospublic::demo::PASSWORD),
                        ("next", ""),
                    ],
                )
                .await;
            res.assert_redirect("/home");
            let home = app.get("/home").await;
            (app, home.location().map(str::to_owned))
        }
    };
    let (mut op, to) = sign_in(gospublic::demo::OPERATOR.email).await;
    assert_eq!(to.as_deref(), Some("/operator/regions"));
    op.get("/operator/regions")
        .await
        .assert_contains("Алтайский край");

    let (mut admin, to) = sign_in(gospublic::demo::ADMIN.email).await;
    assert_eq!(to.as_deref(), Some("/r/altai-krai"));
    admin
        .get("/r/altai-krai")
        .await
        .assert_contains("Администрирование")
        .assert_contains("Пользователи");

    let (mut coordinator, to) = sign_in(gospublic::demo::COORDINATOR.email).await;
    assert_eq!(to.as_deref(), Some("/r/altai-krai"));
    let overview = coordinator.get("/r/altai-krai").await;
    overview.assert_lacks("Администрирование");
    coordinator
        .get("/r/altai-krai/orgs?q=%D0%91%D0%B8%D0%B9%D1%81%D0%BA")
        .await
        .assert_contains("Бийск");

    let (mut municipal, to) = sign_in(gospublic::demo::MUNICIPAL.email).await;
    assert_eq!(to.as_deref(), Some("/r/altai-krai"));
    let list = municipal.get("/r/altai-krai/orgs").await;
    list.assert_contains("г. Барнаул")
        .assert_lacks("г. Бийск")
        .assert_lacks("Министерство");

    // The editor starts the day in the school's inbox, with questions in every state.
    let (mut editor, to) = sign_in(gospublic::demo::EDITOR.email).await;
    assert_eq!(to.as_deref(), Some("/r/altai-krai/questions"));
    editor
        .get("/r/altai-krai/questions?status=all")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Средняя общеобразовательная школа № 1");
    let (mut head, to) = sign_in(gospublic::demo::HEAD.email).await;
    assert_eq!(to.as_deref(), Some("/r/altai-krai/questions"));
    head.get("/r/altai-krai/questions")
        .await
        .assert_status(StatusCode::OK);
    let states: Vec<String> =
        sqlx::query_scalar("select distinct status from questions order by status")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        states,
        [
            "answered",
            "closed",
            "duplicate",
            "in_progress",
            "new",
            "rejected"
        ]
    );
    let (total, overdue, transferred, waiting, reopened): (i64, i64, i64, i64, i64) = sqlx::query_as(
        r#"select count(*), count(*) filter (where due_at <= now()), count(*) filter (where transfer_count > 0),
                  count(*) filter (where paused_at is not null), count(*) filter (where reopen_count > 0)
           from questions"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(total >= 300, "{total}");
    assert!(overdue > 0 && transferred > 0 && waiting > 0 && reopened > 0);
    let mut coordinator = sign_in(gospublic::demo::COORDINATOR.email).await.0;
    coordinator
        .get("/r/altai-krai/questions/overdue")
        .await
        .assert_status(StatusCode::OK)
        .assert_lacks("Просроченных обращений нет.");
}

async fn url_of(db: &PgPool) -> String {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(db)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    format!("{prefix}/{name}")
}

#[sqlx::test]
async fn create_admin_reads_the_password_from_stdin(db: PgPool) {
    let url = url_of(&db).await;
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gospublic"))
            .args(args)
            .env("DATABASE_URL", &url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(
        &[
            "create-admin",
            "--email",
            "Ops@Example.org",
            "--name",
            "Оператор",
        ],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));
    let out = run(
        &[
            "create-admin",
            "--email",
            "Ops@Example.org",
            "--name",
            "Оператор",
        ],
        "a long operator password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (operator, hash): (bool, String) = sqlx::query_as(
        "select is_operator, password_hash from users where email = 'ops@example.org'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(operator && hash.starts_with("$argon2id$"));
    let out = run(
        &[
            "create-admin",
            "--email",
            "ops@example.org",
            "--name",
            "Again",
        ],
        "a long operator password\n",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = run(
        &[
            "create-admin",
            "--email",
            "head@example.org",
            "--name",
            "Глава",
            "--region",
            "nowhere",
        ],
        "a long operator password\n",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no region with the slug nowhere"));

    let mut app = TestApp::new(db);
    app.get("/login").await;
    app.post_form(
        "/login",
        &[
            ("email", "ops@example.org"),
            ("password", "a long operator password"),
            ("next", ""),
        ],
    )
    .await
    .assert_redirect("/home");
}

#[test]
fn unreachable_database_is_explained_in_one_sentence() {
    let out = Command::new(env!("CARGO_BIN_EXE_gospublic"))
        .arg("migrate")
        .env(
            "DATABASE_URL",
            "postgres://postgres:secret@127.0.0.1:1/gospublic",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/gospublic"),
        "{stderr}"
    );
    assert!(stderr.contains("docker compose up -d db"), "{stderr}");
    assert!(
        !stderr.contains("secret") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn help_documents_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_gospublic"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for var in [
        "DATABASE_URL",
        "GOSPUBLIC_BIND",
        "GOSPUBLIC_SECURE_COOKIES",
        "GOSPUBLIC_LOG_FORMAT",
        "GOSPUBLIC_SESSION_IDLE_MINUTES",
    ] {
        assert!(help.contains(var), "{var} missing from:\n{help}");
    }
}

#[sqlx::test]
async fn the_demo_has_contests_winners_and_a_resident_status_link(db: PgPool) {
    gospublic::demo::seed(&db).await.unwrap();
    let votes = "select count(*) from contest_votes";
    let cast: i64 = sqlx::query_scalar(votes).fetch_one(&db).await.unwrap();
    assert!(cast > 100, "{cast} votes");
    gospublic::demo::seed(&db).await.unwrap();
    let again: i64 = sqlx::query_scalar(votes).fetch_one(&db).await.unwrap();
    assert_eq!(cast, again, "seeding twice adds no votes");

    let mut resident = TestApp::new(db.clone());
    resident
        .get("/r/altai-krai/contests")
        .await
        .assert_contains("осень 2026")
        .assert_contains("#Знакомьтесь_Госпаблики: декабрь");
    // The finished contest's winners carry the badge on their cards.
    let winner: i64 = sqlx::query_scalar(
        r#"select p.organization_id from contest_votes v join pages p on p.id = v.page_id
           join contests c on c.id = v.contest_id where c.results_published_at is not null
           group by v.nomination_id, p.organization_id order by count(*) desc limit 1"#,
    )
    .fetch_one(&db)
    .await
    .unwrap();
    resident
        .get(&format!("/r/altai-krai/directory/{winner}"))
        .await
        .assert_contains("Победитель");
    resident
        .get(&format!(
            "/r/altai-krai/q/{}",
            gospublic::demo::contests::DEMO_STATUS_TOKEN
        ))
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("Дан ответ")
        .assert_contains("Запись в первый класс откроется 1 апреля");
}
