//! Several identical instances of `serve` on one database, as behind a load balancer: a
//! session made on one is valid on the other, sign-in throttling counts attempts on both,
//! and a job both run (the letters to residents) is done once.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::http::StatusCode;
use common::smtp::{decoded_body, smtp_sink};
use common::{PASSWORD, TestApp, answer_rev, database_url, two_regions};
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Instance {
    child: Child,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(url: &str, smtp: u16) -> Instance {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_gospublic"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(["--secure-cookies=false"])
        .env("DATABASE_URL", url)
        .env("GOSPUBLIC_SMTP_HOST", "127.0.0.1")
        .env("GOSPUBLIC_SMTP_PORT", smtp.to_string())
        .env("GOSPUBLIC_BASE_URL", "http://127.0.0.1:8080")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let instance = Instance { child, port };
    for _ in 0..100 {
        if let Ok(r) = get(port, "/healthz", "").await
            && r.status == 200
        {
            return instance;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("instance on port {port} did not start");
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn cookie(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let v = l
                .strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))?;
            let first = v.split(';').next()?;
            first
                .starts_with(&format!("{name}="))
                .then(|| first.to_owned())
        })
    }
}

/// One HTTP/1.1 exchange on a fresh connection.
async fn exchange(port: u16, request: String) -> std::io::Result<Answer> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Answer {
        status,
        head: head.replace("\r\n", "\n"),
        body: body.to_owned(),
    })
}

async fn get(port: u16, path: &str, cookie: &str) -> std::io::Result<Answer> {
    exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

async fn post(port: u16, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
    let body = common::encode(form);
    exchange(
        port,
        format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await
    .unwrap()
}

fn csrf(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = body.find(marker).unwrap() + marker.len();
    body[at..at + body[at..].find('"').unwrap()].to_owned()
}

/// A sign-in attempt on an instance with a fresh anonymous session.
async fn sign_in(port: u16, email: &str, password: &str) -> Answer {
    let login = get(port, "/login", "").await.unwrap();
    let session = login.cookie("gp_session").unwrap();
    let token = csrf(&login.body);
    post(
        port,
        "/login",
        &session,
        &[
            ("email", email),
            ("password", password),
            ("next", ""),
            ("csrf", &token),
        ],
    )
    .await
}

#[sqlx::test]
async fn two_instances_share_sessions_throttling_and_jobs(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let (smtp, mailbox) = smtp_sink().await;

    // A resident asked with an e-mail and the school answered: one letter is due.
    let mut resident = TestApp::new(db.clone());
    let ask = format!("/r/{}/directory/{}/ask", a.slug, a.child);
    resident.get(&ask).await;
    resident
        .post_form(
            &ask,
            &[
                ("name", "Мария"),
                ("contact", "maria@example.ru"),
                ("text", "Когда откроется запись в первый класс?"),
                ("consent", "yes"),
            ],
        )
        .await
        .assert_status(StatusCode::OK);
    let id: i64 = sqlx::query_scalar("select id from questions")
        .fetch_one(&db)
        .await
        .unwrap();
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    let url = format!("/r/{}/questions/{id}", a.slug);
    let rev = answer_rev(&editor.get(&url).await.body);
    editor
        .post_form(
            &format!("{url}/answer"),
            &[
                ("kind", "final"),
                ("answer_rev", &rev),
                ("text", "Запись откроется 1 апреля."),
            ],
        )
        .await
        .assert_redirect(&url);

    let database = database_url(&db).await;
    let one = start(&database, smtp).await;
    let two = start(&database, smtp).await;

    // Both instances' letter workers woke at start; the letter went once. (Other mail, such
    // as a Monday's digests with their workbooks, is not what is counted here.)
    let letters = || -> Vec<String> {
        mailbox
            .lock()
            .unwrap()
            .iter()
            .filter(|m| !m.contains("multipart/"))
            .map(|m| decoded_body(m))
            .filter(|b| b.contains("Запись откроется 1 апреля."))
            .collect()
    };
    for _ in 0..100 {
        if !letters().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(letters().len(), 1, "{:?}", letters());

    // Signed in on one, the session works on the other.
    let signed = sign_in(one.port, &a.admin, PASSWORD).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let session = signed.cookie("gp_session").unwrap();
    let home = get(two.port, &format!("/r/{}", a.slug), &session)
        .await
        .unwrap();
    assert_eq!(home.status, 200, "{}", home.head);
    assert!(home.body.contains("Администрирование"));

    // Failed sign-ins count on both: three here and two there lock the account everywhere.
    for (port, n) in [(one.port, 3), (two.port, 2)] {
        for _ in 0..n {
            assert_eq!(
                sign_in(port, &a.coordinator, "wrong password").await.status,
                401
            );
        }
    }
    for port in [one.port, two.port] {
        assert_eq!(sign_in(port, &a.coordinator, PASSWORD).await.status, 429);
    }
}
