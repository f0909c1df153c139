//! The test app: the real router over a fresh database from `#[sqlx::test]`, with a cookie
//! jar and the CSRF token of the last page, like a browser.
#![allow(dead_code)]

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use gospublic::config::Settings;
use gospublic::state::AppState;
use http_body_util::BodyExt;
use sqlx::PgPool;
use tokio::sync::OnceCell;
use tower::ServiceExt;

pub mod openapi;
pub mod platforms;
pub mod smtp;

pub const PASSWORD: &str = "test-password-1";

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for files that are not text.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, status: StatusCode) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body:\n{}",
            self.body
        );
        self
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) {
        assert_eq!(
            self.status,
            StatusCode::SEE_OTHER,
            "expected a redirect; body:\n{}",
            self.body
        );
        assert_eq!(self.location(), Some(to));
    }

    #[track_caller]
    pub fn assert_contains(&self, fragment: &str) -> &Self {
        assert!(
            self.body.contains(fragment),
            "expected {fragment:?} in:\n{}",
            self.body
        );
        self
    }

    #[track_caller]
    pub fn assert_lacks(&self, fragment: &str) -> &Self {
        assert!(
            !self.body.contains(fragment),
            "did not expect {fragment:?} in:\n{}",
            self.body
        );
        self
    }
}

/// The read replica's stand-in: a second pool on the same database whose transactions are
/// read-only, so a write a screen sends to its read pool fails the test that opens it.
pub fn read_double(db: &PgPool) -> PgPool {
    let options = (*db.connect_options())
        .clone()
        .options([("default_transaction_read_only", "on")]);
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect_lazy_with(options)
}

pub struct TestApp {
    pub router: Router,
    pub db: PgPool,
    pub state: AppState,
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    /// The client address the server sees, as `serve` reports it through ConnectInfo.
    pub peer: std::net::SocketAddr,
}

impl TestApp {
    pub fn new(db: PgPool) -> TestApp {
        Self::with_settings(db, Settings::for_tests())
    }

    pub fn with_settings(db: PgPool, settings: Settings) -> TestApp {
        let state = AppState::new(db.clone(), settings).with_reads(read_double(&db));
        TestApp {
            router: gospublic::app(state.clone()),
            db,
            state,
            cookies: HashMap::new(),
            csrf: None,
            peer: "192.0.2.10:40000".parse().unwrap(),
        }
    }

    /// A second browser on the same server and database.
    pub fn fresh_browser(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            db: self.db.clone(),
            state: self.state.clone(),
            cookies: HashMap::new(),
            csrf: None,
            peer: self.peer,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> TestResponse {
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(self.peer));
        let response = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let first = text.split(';').next().unwrap();
            let (name, val) = first.split_once('=').unwrap();
            if text.contains("Max-Age=0") || val.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), val.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = extract_csrf(&body) {
            self.csrf = Some(token);
        }
        TestResponse {
            status,
            headers,
            body,
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let req = Request::get(path)
            .header("cookie", self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// Posts a form with the CSRF token of the last page seen.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone();
        if let Some(t) = &token {
            all.push(("csrf", t));
        }
        self.post_raw(path, &encode(&all), &[]).await
    }

    pub async fn post_raw(
        &mut self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::post(path)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    /// Signs in through the real form; panics unless it succeeds.
    pub async fn login(&mut self, email: &str) {
        self.get("/login").await.assert_status(StatusCode::OK);
        let r = self
            .post_form(
                "/login",
                &[("email", email), ("password", PASSWORD), ("next", "")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed:\n{}",
            r.body
        );
        // The session changed at sign-in; pick up its CSRF token like a browser would.
        self.get("/account/password")
            .await
            .assert_status(StatusCode::OK);
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db).await.unwrap()
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

fn extract_csrf(body: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

static HASH: OnceCell<String> = OnceCell::const_new();

pub async fn password_hash() -> String {
    HASH.get_or_init(|| async {
        gospublic::auth::password::hash(PASSWORD.to_owned())
            .await
            .unwrap()
    })
    .await
    .clone()
}

/// One region's worth of objects, for isolation and role tests.
#[derive(Clone, Debug)]
pub struct RegionFixture {
    pub id: i64,
    pub slug: String,
    pub municipality: i64,
    pub other_municipality: i64,
    pub sector: i64,
    /// A ministry (no municipality), founder of `child`.
    pub founder: i64,
    /// A school in `municipality`, founded by `founder`.
    pub child: i64,
    /// An organization in `other_municipality` outside the founder's subtree.
    pub other: i64,
    pub child_page: i64,
    pub other_page: i64,
    pub admin: String,
    pub coordinator: String,
    pub municipal_coordinator: String,
    pub subtree_coordinator: String,
    pub editor: String,
    /// Head of `child`: approves its answers.
    pub head: String,
}

pub async fn user(db: &PgPool, email: &str, operator: bool) -> i64 {
    sqlx::query_scalar("insert into users (email, name, password_hash, is_operator) values ($1, $2, $3, $4) returning id")
        .bind(email)
        .bind(format!("Пользователь {email}"))
        .bind(password_hash().await)
        .bind(operator)
        .fetch_one(db)
        .await
        .unwrap()
}

pub async fn member(
    db: &PgPool,
    region: i64,
    user: i64,
    role: &str,
    municipality: Option<i64>,
    org: Option<i64>,
) {
    sqlx::query("insert into memberships (region_id, user_id, role, municipality_id, organization_id) values ($1, $2, $3, $4, $5)")
        .bind(region)
        .bind(user)
        .bind(role)
        .bind(municipality)
        .bind(org)
        .execute(db)
        .await
        .unwrap();
}

pub async fn operator(db: &PgPool) -> String {
    let email = "operator@test.example".to_owned();
    user(db, &email, true).await;
    email
}

/// `n` distinguishes the regions' numbers and addresses (1 or 2).
pub async fn region(db: &PgPool, slug: &str, n: u32) -> RegionFixture {
    use gospublic::orgs::identifiers::{complete_inn, complete_ogrn};
    let mut conn = db.acquire().await.unwrap();
    let id =
        gospublic::regions::db::insert(&mut conn, slug, &format!("Регион {slug}"), "Asia/Barnaul")
            .await
            .unwrap()
            .0;
    let muni = |name: String, oktmo: String| {
        sqlx::query_scalar::<_, i64>("insert into municipalities (region_id, name, kind, oktmo) values ($1, $2, 'municipal_district', $3) returning id")
            .bind(id)
            .bind(name)
            .bind(oktmo)
    };
    let municipality = muni(format!("Первый район {n}"), format!("0{n}601000"))
        .fetch_one(db)
        .await
        .unwrap();
    let other_municipality = muni(format!("Второй район {n}"), format!("0{n}602000"))
        .fetch_one(db)
        .await
        .unwrap();
    let sector: i64 =
        sqlx::query_scalar("select id from sectors where region_id = $1 and name = 'Образование'")
            .bind(id)
            .fetch_one(db)
            .await
            .unwrap();
    let org = |name: &str, k: u32, parent: Option<i64>, m: Option<i64>| {
        sqlx::query_scalar::<_, i64>(
            "insert into organizations (region_id, name, inn, ogrn, level, parent_id, municipality_id) values ($1, $2, $3, $4, 'state_institution', $5, $6) returning id",
        )
        .bind(id)
        .bind(name.to_owned())
        .bind(complete_inn(&format!("22{n}{k:06}")))
        .bind(complete_ogrn(&format!("10222{n}{k:06}")))
        .bind(parent)
        .bind(m)
    };
    let founder = org(&format!("Министерство образования {n}"), 1, None, None)
        .fetch_one(db)
        .await
        .unwrap();
    let child = org(
        &format!("Школа № 1 региона {n}"),
        2,
        Some(founder),
        Some(municipality),
    )
    .fetch_one(db)
    .await
    .unwrap();
    let other = org(
        &format!("Больница региона {n}"),
        3,
        None,
        Some(other_municipality),
    )
    .fetch_one(db)
    .await
    .unwrap();
    let page = |org: i64, key: String| {
        sqlx::query_scalar::<_, i64>("insert into pages (region_id, organization_id, platform, url_key, url) values ($1, $2, 'vk', $3, 'https://' || $3) returning id")
            .bind(id)
            .bind(org)
            .bind(key)
    };
    let child_page = page(child, format!("vk.com/school{n}"))
        .fetch_one(db)
        .await
        .unwrap();
    let other_page = page(other, format!("vk.com/hospital{n}"))
        .fetch_one(db)
        .await
        .unwrap();
    let email = |role: &str| format!("{role}@{slug}.example");
    let f = RegionFixture {
        id,
        slug: slug.to_owned(),
        municipality,
        other_municipality,
        sector,
        founder,
        child,
        other,
        child_page,
        other_page,
        admin: email("admin"),
        coordinator: email("coordinator"),
        municipal_coordinator: email("municipal"),
        subtree_coordinator: email("subtree"),
        editor: email("editor"),
        head: email("head"),
    };
    let u = user(db, &f.admin, false).await;
    member(db, id, u, "admin", None, None).await;
    let u = user(db, &f.coordinator, false).await;
    member(db, id, u, "coordinator", None, None).await;
    let u = user(db, &f.municipal_coordinator, false).await;
    member(db, id, u, "coordinator", Some(municipality), None).await;
    let u = user(db, &f.subtree_coordinator, false).await;
    member(db, id, u, "coordinator", None, Some(founder)).await;
    let u = user(db, &f.editor, false).await;
    member(db, id, u, "editor", None, Some(child)).await;
    let u = user(db, &f.head, false).await;
    member(db, id, u, "head", None, Some(child)).await;
    f
}

/// A question received `hours_ago` hours ago on an organization's page (or none), with its
/// clocks set by the region's rules, as an editor would file it.
pub async fn question(
    db: &PgPool,
    region: i64,
    org: i64,
    page: Option<i64>,
    hours_ago: i64,
    priority: &str,
) -> i64 {
    use gospublic::ids::{OrgId, PageId, RegionId};
    use gospublic::questions::{clock, db as q};
    let region_id = RegionId(region);
    let mut tx = gospublic::state::tenant_tx(db, region_id).await.unwrap();
    let time_zone: String = sqlx::query_scalar("select time_zone from regions where id = $1")
        .bind(region)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let settings = gospublic::settings::db::get(&mut tx, region_id)
        .await
        .unwrap();
    let rules = clock::Rules::from_settings(&time_zone, &settings);
    let received = chrono::Utc::now() - chrono::Duration::hours(hours_ago);
    let p = clock::Priority::parse(priority).unwrap();
    let new = q::NewQuestion {
        organization_id: OrgId(org),
        page_id: page.map(PageId),
        channel: "comment".into(),
        external_id: None,
        author_name: Some("Иван Петров".into()),
        author_contact: Some("+7 900 123-45-67".into()),
        body: format!("Когда отремонтируют дорогу? ({hours_ago} ч назад)"),
        attachments: vec![],
        category: "Дороги".into(),
        priority: p,
        received_at: received,
    };
    let id = q::insert(&mut tx, region_id, &new, &rules.start(p, received))
        .await
        .unwrap();
    q::add_event(&mut tx, region_id, id, None, q::Event::new("received"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id.0
}

/// An API token of the region with these scopes.
pub async fn api_token(
    db: &PgPool,
    region: i64,
    scopes: &[gospublic::api::scopes::Scope],
) -> String {
    let region = gospublic::ids::RegionId(region);
    let mut tx = gospublic::state::tenant_tx(db, region).await.unwrap();
    let made =
        gospublic::api::tokens::make(&mut tx, region, "Тестовая система", scopes, None, None)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    made.token
}

/// The connection string of this test's own database, for a second process.
pub async fn database_url(db: &PgPool) -> String {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(db)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").unwrap();
    format!("{}/{name}", base.rsplit_once('/').unwrap().0)
}

/// Runs fixture SQL whose parameters are `$1` the region, `$2` its `child` and `$3` its
/// `other` organization (a statement may stop before `$3`).
pub async fn run_with<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Postgres>,
    sql: &str,
    a: &RegionFixture,
) {
    let used = (1..=3)
        .rev()
        .find(|n| sql.contains(&format!("${n}")))
        .unwrap_or(0);
    let mut q = sqlx::query(sql);
    for value in [a.id, a.child, a.other].into_iter().take(used) {
        q = q.bind(value);
    }
    q.execute(db).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Two regions, as every isolation test needs.
pub async fn two_regions(db: &PgPool) -> (RegionFixture, RegionFixture) {
    (
        region(db, "region-a", 1).await,
        region(db, "region-b", 2).await,
    )
}

impl TestApp {
    /// Posts a multipart form with one file, the CSRF token first as a browser sends it.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        self.post_file_with(path, &[], field, file_name, bytes)
            .await
    }

    /// A multipart form with text fields and one file.
    pub async fn post_file_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        let boundary = "----gospublic-test-boundary";
        let mut body = Vec::new();
        if let Some(token) = &self.csrf {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n").as_bytes());
        }
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header("cookie", self.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The site-local part of a link the page shows as text (invitation or reset links in the
/// flash message), found by its path prefix.
pub fn link_in(prefix: &str, body: &str) -> String {
    let base = "http://127.0.0.1:8080";
    let start = body
        .find(&format!("{base}{prefix}"))
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{body}"));
    let rest = &body[start + base.len()..];
    rest[..rest
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(rest.len())]
        .to_owned()
}

/// The answer revision the question screen's composer was rendered with.
pub fn answer_rev(body: &str) -> String {
    let at = body
        .find("name=\"answer_rev\" value=\"")
        .expect("the composer is shown")
        + 25;
    body[at..at + body[at..].find('"').unwrap()].to_owned()
}
