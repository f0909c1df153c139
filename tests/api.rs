//! The API for the region's other systems: tokens made on «Доступ по API» and on the command
//! line, questions handed in once whatever the retries, read back a page at a time, and every
//! refusal a JSON error.
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{TestApp, TestResponse, api_token, database_url, two_regions};
use gospublic::api::scopes::Scope;
use gospublic::config::Settings;
use serde_json::{Value, json};
use sqlx::PgPool;

async fn call(
    app: &mut TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> TestResponse {
    let mut req = Request::builder().method(method).uri(path);
    if !token.is_empty() {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let body = match body {
        Some(v) => {
            req = req.header("content-type", "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    app.send(req.body(body).unwrap()).await
}

fn json_of(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body)
        .unwrap_or_else(|_| panic!("not JSON: {} {}", res.status, res.body))
}

#[sqlx::test]
async fn a_question_is_handed_in_once_and_read_back(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let token = api_token(&db, a.id, &[Scope::QuestionsWrite, Scope::QuestionsRead]).await;
    let mut app = TestApp::new(db.clone());
    let question = json!({
        "page_id": a.child_page, "external_id": "INC-2026-0042",
        "text": "Не вывозят мусор третью неделю", "author_name": "Пётр", "author_contact": "+7 900 000-00-00",
        "category": "жкх", "priority": "high"
    });
    let first = call(
        &mut app,
        "POST",
        "/api/v1/questions",
        &token,
        Some(question.clone()),
    )
    .await;
    first.assert_status(StatusCode::CREATED);
    let made = json_of(&first);
    assert_eq!(made["channel"], "api");
    assert_eq!(
        made["category"], "ЖКХ",
        "the region's spelling of the category"
    );
    assert_eq!(made["priority"], "high");
    assert_eq!(made["status"], "new");
    assert_eq!(made["organization_id"], a.child);
    // A retry gets the same question with 200.
    let again = call(
        &mut app,
        "POST",
        "/api/v1/questions",
        &token,
        Some(question),
    )
    .await;
    again.assert_status(StatusCode::OK);
    assert_eq!(json_of(&again)["id"], made["id"]);
    assert_eq!(app.count("select count(*) from questions").await, 1);
    // The same by the page's address, in another shape.
    let by_url = json!({"page_url": "https://m.vk.com/school1/", "external_id": "INC-2026-0043", "text": "Вопрос"});
    let res = call(&mut app, "POST", "/api/v1/questions", &token, Some(by_url)).await;
    res.assert_status(StatusCode::CREATED);
    assert_eq!(json_of(&res)["page_id"], a.child_page);

    // Read back, and in the list, a page at a time with a cursor.
    let id = made["id"].as_i64().unwrap();
    let one = call(
        &mut app,
        "GET",
        &format!("/api/v1/questions/{id}"),
        &token,
        None,
    )
    .await;
    one.assert_status(StatusCode::OK);
    assert_eq!(json_of(&one)["text"], "Не вывозят мусор третью неделю");
    let page1 = json_of(&call(&mut app, "GET", "/api/v1/questions?limit=1", &token, None).await);
    assert_eq!(page1["items"].as_array().unwrap().len(), 1);
    let cursor = page1["next_cursor"].as_str().unwrap().to_owned();
    let page2 = json_of(
        &call(
            &mut app,
            "GET",
            &format!("/api/v1/questions?limit=1&cursor={cursor}"),
            &token,
            None,
        )
        .await,
    );
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert_ne!(page2["items"][0]["id"], page1["items"][0]["id"]);
    let page3 = json_of(
        &call(
            &mut app,
            "GET",
            &format!(
                "/api/v1/questions?limit=1&cursor={}",
                page2["next_cursor"].as_str().unwrap()
            ),
            &token,
            None,
        )
        .await,
    );
    assert_eq!(page3["items"].as_array().unwrap().len(), 0);
    assert_eq!(page3["next_cursor"], Value::Null);
    let answered = json_of(
        &call(
            &mut app,
            "GET",
            "/api/v1/questions?status=answered",
            &token,
            None,
        )
        .await,
    );
    assert_eq!(answered["items"].as_array().unwrap().len(), 0);

    // The question is in the inbox, received through the API, audited with the token's name.
    let audit: Value =
        sqlx::query_scalar("select details from audit_log where object_type = 'question'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(audit["api_token"], "Тестовая система");
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get("/r/region-a/questions")
        .await
        .assert_contains("Не вывозят мусор третью неделю");
}

#[sqlx::test]
async fn refusals_are_json_and_write_nothing(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let writer = api_token(&db, a.id, &[Scope::QuestionsWrite]).await;
    let reader = api_token(&db, a.id, &[Scope::QuestionsRead]).await;
    let other = api_token(&db, b.id, &[Scope::QuestionsWrite, Scope::QuestionsRead]).await;
    let mut app = TestApp::new(db.clone());
    let error = |res: &TestResponse, status: StatusCode, code: &str| {
        assert_eq!(res.status, status, "{}", res.body);
        assert_eq!(json_of(res)["error"]["code"], code, "{}", res.body);
    };
    // No token, a wrong one, a revoked one.
    error(
        &call(&mut app, "GET", "/api/v1/questions", "", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    error(
        &call(&mut app, "GET", "/api/v1/questions", "gp_0000", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    // The wrong scope.
    error(
        &call(&mut app, "GET", "/api/v1/questions", &writer, None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    error(
        &call(
            &mut app,
            "POST",
            "/api/v1/questions",
            &reader,
            Some(json!({})),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    // Every wrong field at once.
    let res = call(
        &mut app,
        "POST",
        "/api/v1/questions",
        &writer,
        Some(json!({
            "page_id": 99999999, "text": "", "category": "Космос", "priority": "asap",
            "received_at": "2099-01-01T00:00:00Z"
        })),
    )
    .await;
    error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    let fields = json_of(&res)["error"]["fields"].clone();
    for f in [
        "page_id",
        "external_id",
        "text",
        "category",
        "priority",
        "received_at",
    ] {
        assert!(fields.get(f).is_some(), "{f} in {fields}");
    }
    // Not JSON, the wrong type, an unknown field, too large.
    let res = app
        .send(
            Request::post("/api/v1/questions")
                .header("authorization", format!("Bearer {writer}"))
                .header("content-type", "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    error(&res, StatusCode::BAD_REQUEST, "bad_request");
    let res = app
        .send(
            Request::post("/api/v1/questions")
                .header("authorization", format!("Bearer {writer}"))
                .body(Body::from("text=x"))
                .unwrap(),
        )
        .await;
    error(
        &res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    error(
        &call(
            &mut app,
            "POST",
            "/api/v1/questions",
            &writer,
            Some(json!({"page_id": "один"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    );
    error(
        &call(
            &mut app,
            "POST",
            "/api/v1/questions",
            &writer,
            Some(json!({"pageid": 1})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    );
    let huge = json!({"page_id": a.child_page, "external_id": "big", "text": "я".repeat(700_000)});
    error(
        &call(&mut app, "POST", "/api/v1/questions", &writer, Some(huge)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    );
    // Another region's page and question are not there.
    let res = call(
        &mut app,
        "POST",
        "/api/v1/questions",
        &other,
        Some(json!({
        "page_id": a.child_page, "external_id": "x", "text": "Вопрос"})),
    )
    .await;
    error(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    let q = common::question(&db, a.id, a.child, Some(a.child_page), 1, "normal").await;
    error(
        &call(
            &mut app,
            "GET",
            &format!("/api/v1/questions/{q}"),
            &other,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let listed = json_of(&call(&mut app, "GET", "/api/v1/questions", &other, None).await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);
    // Unknown addresses and methods under /api/ answer JSON, never the HTML pages.
    error(
        &call(&mut app, "GET", "/api/v1/nothing", &writer, None).await,
        StatusCode::NOT_FOUND,
        "no_route",
    );
    error(
        &call(
            &mut app,
            "POST",
            &format!("/api/v1/questions/{q}"),
            &writer,
            None,
        )
        .await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    assert_eq!(
        app.count("select count(*) from questions").await,
        1,
        "nothing was written"
    );
}

#[sqlx::test]
async fn tokens_are_made_on_their_screen_seen_once_and_revoked_at_once(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin
        .get("/r/region-a/api-tokens")
        .await
        .assert_contains("Ключей ещё нет.");
    admin
        .post_form(
            "/r/region-a/api-tokens",
            &[("name", ""), ("expires", "2001-01-01")],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Отметьте хотя бы одно разрешение.")
        .assert_contains("Укажите будущую дату");
    let res = admin
        .post_form(
            "/r/region-a/api-tokens",
            &[
                ("name", "Инцидент-менеджмент"),
                ("questions_write", "on"),
                ("questions_read", "on"),
            ],
        )
        .await;
    res.assert_status(StatusCode::OK)
        .assert_contains("Скопируйте его сейчас");
    let token = res
        .body
        .split("<code id=\"new-token\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 67, "{token}");
    assert_eq!(res.headers.get("cache-control").unwrap(), "no-store");
    // Never shown again, in full.
    admin
        .get("/r/region-a/api-tokens")
        .await
        .assert_lacks(&token)
        .assert_contains("ещё не использовался");
    let hash: Vec<u8> = sqlx::query_scalar("select token_hash from api_tokens")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_ne!(hash, token.as_bytes());

    let mut system = TestApp::new(db.clone());
    call(&mut system, "GET", "/api/v1/questions", &token, None)
        .await
        .assert_status(StatusCode::OK);
    admin
        .get("/r/region-a/api-tokens")
        .await
        .assert_lacks("ещё не использовался");
    let id: i64 = sqlx::query_scalar("select id from api_tokens")
        .fetch_one(&db)
        .await
        .unwrap();
    admin.get("/r/region-a/api-tokens").await;
    admin
        .post_form("/r/region-a/api-tokens/revoke", &[("id", &id.to_string())])
        .await
        .assert_redirect("/r/region-a/api-tokens");
    call(&mut system, "GET", "/api/v1/questions", &token, None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where object_type = 'api_token' order by id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(actions, ["create", "revoke"]);
    // An editor may not see the screen.
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get("/r/region-a/api-tokens")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[sqlx::test]
async fn a_token_past_its_rate_waits_with_retry_after(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let token = api_token(&db, a.id, &[Scope::QuestionsRead]).await;
    let mut app = TestApp::with_settings(
        db.clone(),
        Settings {
            api_requests_per_minute: 3,
            ..Settings::for_tests()
        },
    );
    // Two servers share the count: the second app is another instance on the same database.
    let mut other = TestApp::with_settings(
        db.clone(),
        Settings {
            api_requests_per_minute: 3,
            ..Settings::for_tests()
        },
    );
    let mut statuses = Vec::new();
    for i in 0..4 {
        let server = if i % 2 == 0 { &mut app } else { &mut other };
        let res = call(server, "GET", "/api/v1/questions", &token, None).await;
        statuses.push(res.status.as_u16());
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = res
                .headers
                .get("retry-after")
                .unwrap()
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&wait));
            assert_eq!(json_of(&res)["error"]["code"], "rate_limited");
        }
    }
    // Unless the minute turned between the calls, the fourth is refused.
    let minute_turned = statuses[3] == 200;
    if !minute_turned {
        assert_eq!(statuses, [200, 200, 200, 429]);
    }
}

#[sqlx::test]
async fn tokens_are_made_and_revoked_from_the_command_line(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let url = database_url(&db).await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gospublic"))
            .args(args)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let wrong = run(&[
        "api-token",
        "create",
        "--region",
        "region-a",
        "--name",
        "ЕЦУР",
        "--scopes",
        "questions:write,admin",
    ]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("unknown scope admin"));
    let out = run(&[
        "api-token",
        "create",
        "--region",
        "region-a",
        "--name",
        "ЕЦУР",
        "--scopes",
        "questions:write,registry:read",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("gp_"));
    let mut app = TestApp::new(db.clone());
    let res = call(
        &mut app,
        "POST",
        "/api/v1/questions",
        &token,
        Some(json!({
        "page_id": a.child_page, "external_id": "1", "text": "Вопрос"})),
    )
    .await;
    res.assert_status(StatusCode::CREATED);
    let id: i64 = sqlx::query_scalar("select id from api_tokens")
        .fetch_one(&db)
        .await
        .unwrap();
    let out = run(&[
        "api-token",
        "revoke",
        "--region",
        "region-a",
        "--id",
        &id.to_string(),
    ]);
    assert!(out.status.success());
    call(&mut app, "GET", "/api/v1/questions", &token, None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

/// Follows `next_cursor` to the end and returns every item.
async fn all_pages(app: &mut TestApp, path: &str, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = path.to_owned();
    for _ in 0..100 {
        let res = call(app, "GET", &next, token, None).await;
        res.assert_status(StatusCode::OK);
        let page = json_of(&res);
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                let sep = if path.contains('?') { '&' } else { '?' };
                next = format!("{path}{sep}cursor={c}");
            }
            None => return items,
        }
    }
    panic!("the list never ended");
}

#[sqlx::test]
async fn the_registry_is_read_page_by_page_and_only_the_regions(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let token = api_token(&db, a.id, &[Scope::RegistryRead]).await;
    let mut app = TestApp::new(db.clone());
    let orgs = all_pages(&mut app, "/api/v1/organizations?limit=2", &token).await;
    let expected: i64 =
        sqlx::query_scalar("select count(*) from organizations where region_id = $1")
            .bind(a.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(orgs.len() as i64, expected);
    let mut ids: Vec<i64> = orgs.iter().map(|o| o["id"].as_i64().unwrap()).collect();
    ids.dedup();
    assert_eq!(
        ids.len() as i64,
        expected,
        "no organization twice across pages"
    );
    let child = orgs.iter().find(|o| o["id"] == a.child).unwrap();
    assert_eq!(child["parent_id"], a.founder);
    assert_eq!(child["municipality_id"], a.municipality);

    let in_municipality = all_pages(
        &mut app,
        &format!("/api/v1/organizations?municipality_id={}", a.municipality),
        &token,
    )
    .await;
    assert!(
        in_municipality
            .iter()
            .all(|o| o["municipality_id"] == a.municipality)
    );
    assert!(in_municipality.iter().any(|o| o["id"] == a.child));

    let pages = all_pages(&mut app, "/api/v1/pages?limit=1", &token).await;
    let expected: i64 = sqlx::query_scalar("select count(*) from pages where region_id = $1")
        .bind(a.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(pages.len() as i64, expected);
    assert!(
        pages
            .iter()
            .any(|p| p["id"] == a.child_page && p["platform"] == "vk")
    );
    let of_child = all_pages(
        &mut app,
        &format!("/api/v1/pages?organization_id={}", a.child),
        &token,
    )
    .await;
    assert!(of_child.iter().all(|p| p["organization_id"] == a.child));

    // Changed since a moment: only what changed after it.
    let later = json_of(
        &call(
            &mut app,
            "GET",
            "/api/v1/pages?updated_since=2999-01-01T00:00:00Z",
            &token,
            None,
        )
        .await,
    );
    assert_eq!(later["items"].as_array().unwrap().len(), 0);
    let res = call(
        &mut app,
        "GET",
        "/api/v1/pages?sector_id=один&limit=0",
        &token,
        None,
    )
    .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = json_of(&res)["error"]["fields"].clone();
    assert!(
        fields.get("sector_id").is_some() && fields.get("limit").is_some(),
        "{fields}"
    );
    // A questions token does not read the registry.
    let questions = api_token(&db, a.id, &[Scope::QuestionsRead]).await;
    call(&mut app, "GET", "/api/v1/pages", &questions, None)
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

/// The document and the routes are the same set: a route missing from the document, or a
/// documented path nothing answers, fails here.
#[test]
fn every_api_route_is_documented_and_every_documented_path_is_routed() {
    let doc = gospublic::api::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut routed: Vec<(String, String)> = gospublic::app::route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| (r.method.to_lowercase(), r.path.to_owned()))
        .collect();
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    routed.sort();
    documented.sort();
    assert!(!routed.is_empty());
    assert_eq!(routed, documented);
    // The checker used below does find a departure.
    let question = json!({"$ref": "#/components/schemas/Question"});
    let wrong = json!({"id": "one", "extra": true});
    let found = common::openapi::violations(&doc, &question, &wrong, "$");
    assert!(found.iter().any(|v| v.starts_with("$.id")), "{found:?}");
    assert!(found.iter().any(|v| v.contains("$.extra")), "{found:?}");
    assert!(
        found.iter().any(|v| v.contains("$.status: required")),
        "{found:?}"
    );
}

#[sqlx::test]
async fn real_answers_are_what_the_document_promises(db: PgPool) {
    use common::openapi::assert_conforms;
    let (a, _b) = two_regions(&db).await;
    let doc = gospublic::api::openapi::document();
    let all = api_token(&db, a.id, &Scope::ALL).await;
    let reader = api_token(&db, a.id, &[Scope::QuestionsRead]).await;
    let mut app = TestApp::new(db.clone());
    // The document itself is served.
    let served = app.get("/api/openapi.json").await;
    served.assert_status(StatusCode::OK);
    assert_eq!(json_of(&served), doc);

    let new = json!({"page_id": a.child_page, "external_id": "DOC-1", "text": "Вопрос", "received_at": "2026-11-01T10:00:00Z"});
    let mut check = async |method: &str,
                           template: &str,
                           path: &str,
                           token: &str,
                           body: Option<Value>,
                           status: u16| {
        let res = call(&mut app, method, path, token, body).await;
        assert_eq!(res.status.as_u16(), status, "{method} {path}: {}", res.body);
        assert_conforms(&doc, method, template, status, &res.body);
        res
    };
    let made = check(
        "POST",
        "/api/v1/questions",
        "/api/v1/questions",
        &all,
        Some(new.clone()),
        201,
    )
    .await;
    let id = json_of(&made)["id"].as_i64().unwrap();
    check(
        "POST",
        "/api/v1/questions",
        "/api/v1/questions",
        &all,
        Some(new),
        200,
    )
    .await;
    check(
        "POST",
        "/api/v1/questions",
        "/api/v1/questions",
        &all,
        Some(json!({"text": 5})),
        422,
    )
    .await;
    check(
        "POST",
        "/api/v1/questions",
        "/api/v1/questions",
        &reader,
        Some(json!({})),
        403,
    )
    .await;
    check(
        "POST",
        "/api/v1/questions",
        "/api/v1/questions",
        "",
        Some(json!({})),
        401,
    )
    .await;
    check(
        "GET",
        "/api/v1/questions/{id}",
        &format!("/api/v1/questions/{id}"),
        &all,
        None,
        200,
    )
    .await;
    check(
        "GET",
        "/api/v1/questions/{id}",
        "/api/v1/questions/999999",
        &all,
        None,
        404,
    )
    .await;
    check(
        "GET",
        "/api/v1/questions",
        "/api/v1/questions?limit=1",
        &all,
        None,
        200,
    )
    .await;
    check(
        "GET",
        "/api/v1/questions",
        "/api/v1/questions?limit=0",
        &all,
        None,
        422,
    )
    .await;
    check(
        "GET",
        "/api/v1/organizations",
        "/api/v1/organizations",
        &all,
        None,
        200,
    )
    .await;
    check("GET", "/api/v1/pages", "/api/v1/pages", &all, None, 200).await;
    check("GET", "/api/v1/pages", "/api/v1/pages", &reader, None, 403).await;

    // The reference page for people reads the same document.
    let page = app.get("/api/docs").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("API: справочник")
        .assert_contains("POST /api/v1/questions")
        .assert_contains("questions:write")
        .assert_contains("id=\"schema-Question\"");
}

#[sqlx::test]
async fn figures_are_written_all_or_nothing_and_read_back(db: PgPool) {
    use common::openapi::assert_conforms;
    let (a, _b) = two_regions(&db).await;
    let doc = gospublic::api::openapi::document();
    let writer = api_token(&db, a.id, &[Scope::FiguresWrite, Scope::FiguresRead]).await;
    let reader = api_token(&db, a.id, &[Scope::FiguresRead]).await;
    let mut app = TestApp::new(db.clone());
    let monday = |weeks_ago: i64| {
        let today = chrono::Utc::now().date_naive() - chrono::Duration::days(7 * weeks_ago);
        gospublic::activity::db::monday_of(today).to_string()
    };
    // One bad row spoils the request: nothing is written, each problem named.
    let bad = json!({"weeks": [
        {"page_id": a.child_page, "week": monday(2), "followers": 1200, "posts": 3},
        {"page_id": a.child_page, "week": monday(1), "followers": -5},
        {"page_id": 99999999, "week": monday(1)},
        {"page_id": a.child_page, "week": "2999-01-04"},
    ]});
    let res = call(&mut app, "POST", "/api/v1/figures", &writer, Some(bad)).await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_conforms(&doc, "POST", "/api/v1/figures", 422, &res.body);
    let fields = json_of(&res)["error"]["fields"].clone();
    for f in ["weeks[1].followers", "weeks[2].page_id", "weeks[3].week"] {
        assert!(fields.get(f).is_some(), "{f} in {fields}");
    }
    assert_eq!(app.count("select count(*) from page_snapshots").await, 0);

    let good = json!({"weeks": [
        {"page_id": a.child_page, "week": monday(2), "followers": 1200, "posts": 3, "views": 5400},
        {"page_url": "vk.com/school1", "week": monday(1), "followers": 1250, "posts": 4},
    ]});
    let res = call(&mut app, "POST", "/api/v1/figures", &writer, Some(good)).await;
    res.assert_status(StatusCode::OK);
    assert_conforms(&doc, "POST", "/api/v1/figures", 200, &res.body);
    assert_eq!(json_of(&res)["written"], 2);
    let sources: Vec<String> = sqlx::query_scalar("select distinct source from page_snapshots")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(sources, ["api"]);
    // Read back, newest week first.
    let path = format!("/api/v1/figures?page_id={}", a.child_page);
    let res = call(&mut app, "GET", &path, &reader, None).await;
    res.assert_status(StatusCode::OK);
    assert_conforms(&doc, "GET", "/api/v1/figures", 200, &res.body);
    let weeks = json_of(&res)["weeks"].clone();
    assert_eq!(weeks[0]["week"], monday(1));
    assert_eq!(weeks[0]["followers"], 1250);
    assert_eq!(weeks[1]["views"], 5400);
    // The page's card shows the figures the API wrote.
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get(&format!("/r/region-a/pages/{}/card", a.child_page))
        .await
        .assert_contains("стало 1250");
    // Reading needs figures:read, writing figures:write, a page of the region.
    call(
        &mut app,
        "POST",
        "/api/v1/figures",
        &reader,
        Some(json!({"weeks": []})),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let res = call(
        &mut app,
        "GET",
        "/api/v1/figures?page_id=99999999",
        &reader,
        None,
    )
    .await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_conforms(&doc, "GET", "/api/v1/figures", 422, &res.body);
}
