//! Walks every route of the router's access table and checks that each method keeps the
//! access it promises: signed-out visitors, members of another region, members without the
//! role, and the right role. A route added later is in the table by construction and is
//! walked too; a new kind of id in a path fails here until it gets a sample.
mod common;

use axum::http::StatusCode;
use common::{RegionFixture, TestApp, TestResponse, operator, two_regions};
use gospublic::web::routes::{Access, RouteInfo};
use sqlx::PgPool;

/// Ids of objects of region A that routes act on; the people routes act on spare members so
/// that the walk does not disable or demote the users it signs in with.
struct Samples {
    person: i64,
    membership: i64,
    invitation: i64,
    import: i64,
    question: i64,
    template: i64,
    contest: i64,
}

async fn samples(db: &PgPool, a: &RegionFixture) -> Samples {
    let person = common::user(db, "spare1@region-a.example", false).await;
    common::member(db, a.id, person, "coordinator", None, None).await;
    let other = common::user(db, "spare2@region-a.example", false).await;
    common::member(db, a.id, other, "coordinator", None, None).await;
    let membership = sqlx::query_scalar("select id from memberships where user_id = $1")
        .bind(other)
        .fetch_one(db)
        .await
        .unwrap();
    let invitation = sqlx::query_scalar(
        "insert into invitations (region_id, email, role, token_hash, expires_at) values ($1, 'x@y.example', 'coordinator', 'sample', now() + interval '1 day') returning id",
    )
    .bind(a.id)
    .fetch_one(db)
    .await
    .unwrap();
    Samples {
        person,
        membership,
        invitation,
        import: sample_import(db, a).await,
        question: common::question(db, a.id, a.child, Some(a.child_page), 1, "normal").await,
        template: sqlx::query_scalar(
            "insert into answer_templates (region_id, organization_id, title, body) values ($1, $2, 'Спасибо', 'Спасибо за обращение.') returning id",
        )
        .bind(a.id)
        .bind(a.child)
        .fetch_one(db)
        .await
        .unwrap(),
        contest: sqlx::query_scalar(
            "insert into contests (region_id, title, voting_starts_at, voting_ends_at) values ($1, 'Лучшая страница', now() - interval '1 day', now() + interval '1 day') returning id",
        )
        .bind(a.id)
        .fetch_one(db)
        .await
        .unwrap(),
    }
}

fn fill(path: &str, a: &RegionFixture, s: &Samples) -> String {
    let id = if path.contains("{id}") {
        let sample = if path.starts_with("/r/{region}/orgs/{id}")
            || path.starts_with("/r/{region}/dashboard/org/{id}")
            || path.starts_with("/r/{region}/directory/{id}")
        {
            a.child
        } else if path.starts_with("/r/{region}/pages/{id}") {
            a.child_page
        } else if path.starts_with("/r/{region}/municipalities/{id}") {
            a.municipality
        } else if path.starts_with("/r/{region}/sectors/{id}") {
            a.sector
        } else if path.starts_with("/r/{region}/people/{id}") {
            s.person
        } else if path.starts_with("/r/{region}/memberships/{id}") {
            s.membership
        } else if path.starts_with("/r/{region}/invitations/{id}") {
            s.invitation
        } else if path.starts_with("/r/{region}/imports/{id}") {
            s.import
        } else if path.starts_with("/r/{region}/questions/{id}")
            || path.starts_with("/api/v1/questions/{id}")
        {
            s.question
        } else if path.starts_with("/r/{region}/answer-templates/{id}") {
            s.template
        } else if path.starts_with("/r/{region}/contests/{id}")
            || path.starts_with("/r/{region}/contest-admin/{id}")
        {
            s.contest
        } else if path.starts_with("/operator/regions/{id}") {
            a.id
        } else {
            panic!("no sample id for {path}: teach tests/authorization.rs what {{id}} means there");
        };
        sample.to_string()
    } else {
        String::new()
    };
    let filled = path
        .replace("{region}", &a.slug)
        .replace("{id}", &id)
        .replace("{token}", "0000")
        .replace("{code}", "en");
    assert!(!filled.contains('{'), "unknown parameter in {path}");
    filled
}

async fn sample_import(db: &PgPool, a: &RegionFixture) -> i64 {
    let region = gospublic::ids::RegionId(a.id);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let bytes = "Наименование;ИНН;ОГРН;Уровень\nШкола;2225066621;1022200918376;Иное\n";
    let outcome = gospublic::import::run::preview(
        &mut tx,
        region,
        None,
        "organizations",
        "sample.csv",
        bytes.as_bytes(),
        gospublic::i18n::Locale::Ru,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    outcome.id
}

async fn call(app: &mut TestApp, method: &str, url: &str) -> TestResponse {
    match method {
        "GET" => app.get(url).await,
        "POST" => app.post_form(url, &[]).await,
        other => panic!("unexpected method {other}"),
    }
}

fn is_login_redirect(res: &TestResponse) -> bool {
    res.status == StatusCode::SEE_OTHER && res.location().is_some_and(|l| l.starts_with("/login"))
}

fn allowed(res: &TestResponse) -> bool {
    !matches!(
        res.status,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    ) && !is_login_redirect(res)
        && res.status.as_u16() < 500
}

#[sqlx::test]
async fn every_route_keeps_its_access_rule(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let op = operator(&db).await;
    let samples = samples(&db, &a).await;
    let table: Vec<RouteInfo> = gospublic::app::route_table();
    assert!(table.len() >= 35, "the table lost routes: {}", table.len());

    let mut anonymous = TestApp::new(db.clone());
    anonymous.get("/login").await;
    let mut sessions = Vec::new();
    for email in [&a.admin, &a.coordinator, &a.editor, &b.admin, &op, &a.head] {
        let mut app = TestApp::new(db.clone());
        app.login(email).await;
        app.get("/home").await;
        sessions.push(app);
    }
    let [
        admin,
        coordinator,
        editor,
        foreign_admin,
        operator_app,
        head,
    ] = &mut sessions[..]
    else {
        unreachable!()
    };

    for route in &table {
        let url = fill(route.path, &a, &samples);
        let what = format!("{} {} ({:?})", route.method, route.path, route.access);

        // Signed out (with a fresh anonymous session, so the CSRF check is not what refuses).
        anonymous.get("/login").await;
        let res = call(&mut anonymous, route.method, &url).await;
        match route.access {
            // "/" and sign-out lead to the sign-in page by design.
            Access::Public => assert!(
                res.status != StatusCode::FORBIDDEN
                    && res.status.as_u16() < 500
                    && (!is_login_redirect(&res) || ["/", "/logout"].contains(&route.path)),
                "{what}: public route answered {}",
                res.status
            ),
            // A platform's call carries no session: an empty body is not an event (400), an
            // unknown address 404, never a sign-in page or a 5xx.
            Access::Platform => assert!(
                res.status.is_client_error() && !is_login_redirect(&res),
                "{what}: a platform's call answered {}",
                res.status
            ),
            // Another system without a token: 401 in JSON, never a page (tests/api.rs covers
            // tokens, scopes and regions).
            Access::ApiToken => assert!(
                res.status == StatusCode::UNAUTHORIZED
                    && res
                        .body
                        .starts_with("{\"error\":{\"code\":\"unauthorized\""),
                "{what}: a call without a token answered {} {}",
                res.status,
                res.body
            ),
            _ => assert!(
                is_login_redirect(&res),
                "{what}: signed-out visitor got {}",
                res.status
            ),
        }

        if matches!(
            route.access,
            Access::Public | Access::Platform | Access::ApiToken
        ) {
            continue;
        }

        // A member of another region only.
        let res = call(foreign_admin, route.method, &url).await;
        match route.access {
            Access::RegionMember
            | Access::RegionAdmin
            | Access::OrgHead
            | Access::RegionOverseer => assert_eq!(
                res.status,
                StatusCode::NOT_FOUND,
                "{what}: other region's admin"
            ),
            Access::Operator => {
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}: non-operator")
            }
            Access::SignedIn => assert!(
                allowed(&res),
                "{what}: signed-in user got {} {:?}",
                res.status,
                res.location()
            ),
            Access::Public | Access::Platform | Access::ApiToken => {}
        }

        // Members of this region without the admin role.
        if route.access == Access::RegionAdmin {
            for (who, app) in [("coordinator", &mut *coordinator), ("editor", &mut *editor)] {
                let res = call(app, route.method, &url).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}: {who}");
            }
        }

        // Editors do not see the monitoring screens.
        if route.access == Access::RegionOverseer {
            let res = call(editor, route.method, &url).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}: editor");
        }

        // Members who work with the organization but are not its head.
        if route.access == Access::OrgHead {
            for (who, app) in [("coordinator", &mut *coordinator), ("editor", &mut *editor)] {
                let res = call(app, route.method, &url).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}: {who}");
            }
        }

        // The right role gets through.
        let res = match route.access {
            Access::OrgHead => call(head, route.method, &url).await,
            Access::RegionOverseer => call(coordinator, route.method, &url).await,
            Access::RegionMember => call(editor, route.method, &url).await,
            Access::RegionAdmin => call(admin, route.method, &url).await,
            Access::Operator => call(operator_app, route.method, &url).await,
            Access::SignedIn => call(coordinator, route.method, &url).await,
            Access::Public | Access::Platform | Access::ApiToken => continue,
        };
        assert!(
            allowed(&res),
            "{what}: the right role got {}:\n{}",
            res.status,
            res.body
        );
    }
}

#[sqlx::test]
async fn methods_outside_the_table_are_not_allowed(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let samples = samples(&db, &a).await;
    let table = gospublic::app::route_table();
    let mut app = TestApp::new(db.clone());
    app.login(&a.admin).await;
    app.get("/home").await;
    for route in &table {
        for method in ["GET", "POST"] {
            if table
                .iter()
                .any(|r| r.path == route.path && r.method == method)
            {
                continue;
            }
            let url = fill(route.path, &a, &samples);
            let res = call(&mut app, method, &url).await;
            assert_eq!(
                res.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {} answers although the table does not list it",
                route.path
            );
        }
    }
}

/// Text pasted from another program can carry a NUL byte, which PostgreSQL refuses to store:
/// every route, as the role that may use it, answers 400 to such a query and 422 to such a
/// form, naming the field, and never 500.
#[sqlx::test]
async fn hostile_text_is_refused_on_every_route_never_a_500(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let op = operator(&db).await;
    let samples = samples(&db, &a).await;
    let table = gospublic::app::route_table();
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    let mut operator_app = TestApp::new(db.clone());
    operator_app.login(&op).await;
    let mut head = TestApp::new(db.clone());
    head.login(&a.head).await;
    let long = "я".repeat(gospublic::web::input::MAX_QUERY_VALUE + 1);
    let token = common::api_token(&db, a.id, &gospublic::api::scopes::Scope::ALL).await;
    let queries = [
        ("q=a%00b&page=2".to_owned(), "q"),
        ("category=%07".to_owned(), "category"),
        ("action=%ZZ".to_owned(), "action"),
        ("find=%FF%FE".to_owned(), "find"),
        (format!("q={long}"), "q"),
    ];
    let forms: [&[(&str, &str)]; 3] = [
        &[("name", "Школа\0№ 1"), ("title", "x")],
        &[("text", "ответ\u{1}"), ("body", "x")],
        &[("email", "a@b.example"), ("q", "\u{1b}[31m")],
    ];
    for route in &table {
        let url = fill(route.path, &a, &samples);
        let app = match route.access {
            Access::Operator => &mut operator_app,
            Access::OrgHead => &mut head,
            _ => &mut admin,
        };
        app.get("/home").await;
        let what = format!("{} {}", route.method, route.path);
        if route.access == Access::ApiToken {
            // Other systems send JSON with a token: hostile text is a JSON error, never a 500
            // and never a page.
            let bearer = format!("Bearer {token}");
            let res = if route.method == "GET" {
                app.send(
                    axum::http::Request::get(format!("{url}?status=%00&cursor=%FF"))
                        .header("authorization", &bearer)
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
            } else {
                let body = serde_json::json!({"page_id": a.child_page, "external_id": "x\u{0}",
                                              "text": "ответ\u{1}", "author_name": "\u{1b}[31m"});
                app.send(
                    axum::http::Request::post(&url)
                        .header("authorization", &bearer)
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body.to_string()))
                        .unwrap(),
                )
                .await
            };
            // A query a route does not read is ignored; one it reads is a JSON error.
            let refused = res.status.is_client_error() && res.body.starts_with("{\"error\"");
            let ignored =
                route.method == "GET" && res.status == StatusCode::OK && res.body.starts_with('{');
            assert!(refused || ignored, "{what}: {} {}", res.status, res.body);
            continue;
        }
        if route.access == Access::Platform {
            // Platforms send JSON, not forms: text no one types is not an event, a 400 in
            // plain text.
            for fields in forms {
                let res = app.post_form(&url, fields).await;
                assert_eq!(res.status, StatusCode::BAD_REQUEST, "{what} {fields:?}");
                assert!(!res.body.contains("<html"), "{what}: {}", res.body);
            }
        } else if route.method == "GET" {
            for (query, field) in &queries {
                let sep = if url.contains('?') { '&' } else { '?' };
                let res = app.get(&format!("{url}{sep}{query}")).await;
                assert_eq!(res.status, StatusCode::BAD_REQUEST, "{what}?{query}");
                res.assert_contains(&format!("«{field}»"));
            }
        } else {
            for fields in forms {
                let res = app.post_form(&url, fields).await;
                assert_eq!(
                    res.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{what} {fields:?}"
                );
                assert!(
                    res.body.contains("Недопустимые символы"),
                    "{what}: {}",
                    res.body
                );
            }
        }
    }
}

/// Every link of the region menu leads to a page for every role that sees it.
#[sqlx::test]
async fn the_region_menu_leads_somewhere_for_every_role(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    for email in [&a.admin, &a.coordinator, &a.editor, &a.head] {
        let mut app = TestApp::new(db.clone());
        app.login(email).await;
        let page = app.get(&format!("/r/{}/orgs", a.slug)).await;
        let menu = page
            .body
            .split("class=\"region-nav\"")
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .unwrap_or_else(|| panic!("{email}: no region menu"))
            .to_owned();
        let links: Vec<String> = menu
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next().map(str::to_owned))
            .collect();
        assert!(links.len() >= 4, "{email}: {links:?}");
        for link in links {
            let res = app.get(&link).await;
            assert_eq!(res.status, StatusCode::OK, "{email}: {link}");
        }
    }
}

/// An editor's organization card and the templates screen link only to what the editor may
/// open: the founder is named without a link, the region's templates are shown to read.
#[sqlx::test]
async fn an_editor_meets_no_dead_ends_on_the_card_and_the_templates(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    sqlx::query(
        "insert into answer_templates (region_id, organization_id, title, body) values ($1, null, 'Региональный', 'Текст')",
    )
    .bind(a.id)
    .execute(&db)
    .await
    .unwrap();
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    let base = format!("/r/{}", a.slug);
    for screen in [
        format!("{base}/orgs/{}", a.child),
        format!("{base}/answer-templates"),
    ] {
        let page = editor.get(&screen).await;
        assert_eq!(page.status, StatusCode::OK, "{screen}");
        let main = page
            .body
            .split("<main")
            .nth(1)
            .unwrap_or(&page.body)
            .to_owned();
        let links: Vec<String> = main
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next().map(str::to_owned))
            .filter(|l| l.starts_with(&base) && !l.ends_with(".xlsx"))
            .collect();
        if screen.contains("/orgs/") {
            assert!(!links.is_empty(), "{screen}: no links");
        }
        for link in links {
            let res = editor.get(&link).await;
            assert!(
                !matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{screen} links to {link}, which answers {}",
                res.status
            );
        }
    }
    editor
        .get(&format!("{base}/orgs/{}", a.child))
        .await
        .assert_contains("Министерство");
    editor
        .get(&format!("{base}/answer-templates"))
        .await
        .assert_contains("Региональный");
}
