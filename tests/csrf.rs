//! Every state-changing form refuses a request without the session's token. The forms are
//! found by crawling the site as each role, so a form added later is covered too.
mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use common::{TestApp, operator, two_regions};
use sqlx::PgPool;

fn attr_values<'a>(body: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find(prefix) {
        let start = i + prefix.len();
        let end = rest[start..]
            .find('"')
            .map(|e| start + e)
            .unwrap_or(rest.len());
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// GETs every local link reachable from `start` (bounded), returning the POST form actions.
async fn crawl_forms(app: &mut TestApp, start: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start.to_owned()]);
    let mut actions = BTreeSet::new();
    while let Some(url) = queue.pop_front() {
        if seen.len() > 120 || !seen.insert(url.clone()) {
            continue;
        }
        let res = app.get(&url).await;
        assert!(
            res.status.as_u16() < 500,
            "GET {url} answered {}",
            res.status
        );
        for action in attr_values(&res.body, "method=\"post\" action=\"") {
            actions.insert(action.replace("&amp;", "&"));
        }
        for href in attr_values(&res.body, "href=\"") {
            let href = href.replace("&amp;", "&");
            if href.starts_with('/')
                && !href.starts_with("/static")
                && !href.starts_with("/lang")
                && !href.contains("page=")
            {
                queue.push_back(href);
            }
        }
    }
    actions
}

async fn state_of(db: &PgPool) -> (i64, i64) {
    let audit: i64 = sqlx::query_scalar("select count(*) from audit_log where action <> 'sign_in'")
        .fetch_one(db)
        .await
        .unwrap();
    let rows: i64 = sqlx::query_scalar(
        "select (select count(*) from organizations) + (select count(*) from pages) + (select count(*) from invitations) + (select count(*) from regions) + (select count(*) from municipalities) + (select count(*) from sectors)",
    )
    .fetch_one(db)
    .await
    .unwrap();
    (audit, rows)
}

#[sqlx::test]
async fn every_post_form_refuses_a_request_without_the_token(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let op = operator(&db).await;
    let mut all_actions = BTreeSet::new();
    for (email, start) in [
        (a.admin.clone(), "/r/region-a".to_owned()),
        (a.editor.clone(), "/home".into()),
        (op, "/operator/regions".into()),
    ] {
        let mut app = TestApp::new(db.clone());
        app.login(&email).await;
        let actions = crawl_forms(&mut app, &start).await;
        let before = state_of(&db).await;
        for action in &actions {
            let missing = app
                .post_raw(action, "name=x&email=x%40y.example", &[])
                .await;
            assert_eq!(
                missing.status,
                StatusCode::FORBIDDEN,
                "{email}: POST {action} without a token"
            );
            let wrong = app.post_raw(action, "csrf=0000&name=x", &[]).await;
            assert_eq!(
                wrong.status,
                StatusCode::FORBIDDEN,
                "{email}: POST {action} with a wrong token"
            );
            let token = app.csrf.clone().unwrap();
            let cross = app
                .post_raw(
                    action,
                    &format!("csrf={token}&name=x"),
                    &[
                        ("sec-fetch-site", "cross-site"),
                        ("origin", "https://evil.example"),
                    ],
                )
                .await;
            assert_eq!(
                cross.status,
                StatusCode::FORBIDDEN,
                "{email}: cross-site POST {action}"
            );
        }
        assert_eq!(
            before,
            state_of(&db).await,
            "{email}: a refused POST changed something"
        );
        all_actions.extend(actions);
    }
    // The crawl must actually reach the forms, or this test proves nothing.
    for expected in [
        "/logout",
        "/r/region-a/orgs",
        "/r/region-a/invitations",
        "/r/region-a/municipalities",
        "/r/region-a/sectors",
        "/operator/regions",
    ] {
        assert!(
            all_actions.contains(expected),
            "crawl did not find the form {expected}: {all_actions:?}"
        );
    }
    assert!(
        all_actions.iter().any(|a| a.ends_with("/pages")),
        "{all_actions:?}"
    );
    assert!(all_actions.len() >= 12, "{all_actions:?}");
}

#[sqlx::test]
async fn sign_in_without_the_token_is_refused(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db);
    app.get("/login").await;
    let res = app
        .post_raw(
            "/login",
            &common::encode(&[("email", &a.admin), ("password", common::PASSWORD)]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Недостаточно прав");
    assert!(app.get("/r/region-a").await.status == StatusCode::SEE_OTHER);
}
