//! Every internal link on every page each demo role reaches leads somewhere: a crawler signs
//! in as each demo account, follows the links it is shown, and finds no 403, 404 or 5xx.
mod common;

use std::collections::{HashMap, HashSet, VecDeque};

use axum::http::StatusCode;
use common::TestApp;
use sqlx::PgPool;

/// Pages one role's crawl visits at most, and addresses of one shape (the same path with ids
/// in place of numbers and the same query keys): enough to reach every screen and every kind
/// of link, not every organization of the demo.
const MAX_PAGES: usize = 400;
const PER_SHAPE: usize = 3;

/// The internal links of a page, without fragments, as the browser would request them.
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = rest[..end].replace("&amp;", "&");
        rest = &rest[end..];
        let href = href.split('#').next().unwrap_or("").to_owned();
        if href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/static/") {
            out.push(href);
        }
    }
    out
}

/// The address with numbers as `{id}` and only the query's keys: pages of one kind share it.
fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                s
            }
        })
        .collect();
    let mut keys: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

async fn signed_in(db: &PgPool, email: &str) -> TestApp {
    let mut app = TestApp::new(db.clone());
    app.get("/login").await;
    app.post_form(
        "/login",
        &[
            ("email", email),
            ("password", gospublic::demo::PASSWORD),
            ("next", ""),
        ],
    )
    .await
    .assert_redirect("/home");
    app
}

/// Crawls from `/home`; returns the pages visited and every broken link with the page
/// that showed it.
async fn crawl(app: &mut TestApp) -> (usize, Vec<String>) {
    let mut queue: VecDeque<(String, String)> =
        VecDeque::from([("/home".to_owned(), "—".to_owned())]);
    let mut seen: HashSet<String> = HashSet::from(["/home".to_owned()]);
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut broken = Vec::new();
    let mut visited = 0;
    while let Some((url, from)) = queue.pop_front() {
        if visited >= MAX_PAGES {
            break;
        }
        visited += 1;
        let mut res = app.get(&url).await;
        let mut at = url.clone();
        // Follow redirects the way a browser does, a few at most.
        for _ in 0..3 {
            if !res.status.is_redirection() {
                break;
            }
            let Some(to) = res.location().map(str::to_owned) else {
                break;
            };
            at = to;
            res = app.get(&at).await;
        }
        if matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
            || res.status.is_server_error()
        {
            broken.push(format!("{} {url} (linked from {from})", res.status));
            continue;
        }
        let is_html = res
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            continue;
        }
        for link in links(&res.body) {
            // Signing out or switching language would end or change the crawl, not test a link.
            if link.starts_with("/logout") || link.starts_with("/lang/") {
                continue;
            }
            if seen.contains(&link) {
                continue;
            }
            let n = shapes.entry(shape(&link)).or_insert(0);
            if *n >= PER_SHAPE {
                continue;
            }
            *n += 1;
            seen.insert(link.clone());
            queue.push_back((link, at.clone()));
        }
    }
    (visited, broken)
}

#[sqlx::test]
async fn no_page_any_demo_role_reaches_links_to_an_error(db: PgPool) {
    gospublic::demo::seed(&db).await.unwrap();
    for account in [
        gospublic::demo::OPERATOR,
        gospublic::demo::ADMIN,
        gospublic::demo::COORDINATOR,
        gospublic::demo::MUNICIPAL,
        gospublic::demo::EDITOR,
        gospublic::demo::HEAD,
    ] {
        let mut app = signed_in(&db, account.email).await;
        let (visited, broken) = crawl(&mut app).await;
        eprintln!("{}: {visited} pages followed", account.email);
        assert!(
            visited >= 5,
            "{} reached only {visited} pages",
            account.email
        );
        assert!(
            broken.is_empty(),
            "{} meets broken links:\n{}",
            account.email,
            broken.join("\n")
        );
    }
}

#[test]
fn the_crawler_reads_links_and_shapes_as_meant() {
    let body = r#"<a href="/r/x/orgs/12?page=2&amp;q=a#top">a</a> <a href="https://vk.com/x">b</a> <a href="/static/app.css">c</a> <a href="//cdn">d</a>"#;
    assert_eq!(links(body), vec!["/r/x/orgs/12?page=2&q=a"]);
    assert_eq!(
        shape("/r/x/orgs/12?q=a&page=2"),
        shape("/r/x/orgs/7?page=9&q=")
    );
    assert_ne!(shape("/r/x/orgs/12"), shape("/r/x/pages/12"));
}
