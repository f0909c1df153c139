//! Invitations by mail, against a real SMTP conversation on a loopback port.
mod common;

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::{TestApp, two_regions};
use gospublic::config::Settings;
use gospublic::mail::MailSettings;
use sqlx::PgPool;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server that accepts every message and keeps what it was sent.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(std::mem::take(body));
                            data = None;
                            write.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO")
                    {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if command.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if command.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

/// The text of a message whose body the client sent as base64.
fn decoded_body(message: &str) -> String {
    let (_, body) = message.split_once("\n\n").unwrap();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in body.bytes().filter(|c| alphabet.contains(c)) {
        bits = (bits << 6) | alphabet.iter().position(|a| *a == c).unwrap() as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).unwrap()
}

#[sqlx::test]
async fn with_mail_configured_the_invitation_is_sent_not_shown(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let (port, received) = smtp_sink().await;
    let settings = Settings {
        mail: Some(MailSettings {
            host: "127.0.0.1".into(),
            port,
            from: "gospublic@region-a.example".into(),
        }),
        ..Settings::for_tests()
    };
    let mut admin = TestApp::with_settings(db.clone(), settings);
    admin.login(&a.admin).await;
    admin.get("/r/region-a/people").await;
    admin
        .post_form(
            "/r/region-a/invitations",
            &[("email", "teacher@school.example"), ("role", "coordinator")],
        )
        .await
        .assert_redirect("/r/region-a/people");
    let page = admin.get("/r/region-a/people").await;
    page.assert_contains("Приглашение отправлено на teacher@school.example.")
        .assert_lacks("http://127.0.0.1:8080/invitations/");
    let mail = received.lock().unwrap().clone();
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].contains("To: teacher@school.example"),
        "{}",
        mail[0]
    );
    let body = decoded_body(&mail[0]);
    assert!(
        body.contains("http://127.0.0.1:8080/invitations/"),
        "{body}"
    );
    assert!(
        body.contains("Вас пригласили работать в разделе «Регион region-a»"),
        "{body}"
    );
}

#[sqlx::test]
async fn when_the_relay_is_down_the_admin_gets_the_link(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = Settings {
        mail: Some(MailSettings {
            host: "127.0.0.1".into(),
            port: closed,
            from: "x@y.example".into(),
        }),
        ..Settings::for_tests()
    };
    let mut admin = TestApp::with_settings(db, settings);
    admin.login(&a.admin).await;
    admin.get("/r/region-a/people").await;
    admin
        .post_form(
            "/r/region-a/invitations",
            &[("email", "teacher@school.example"), ("role", "coordinator")],
        )
        .await;
    let page = admin.get("/r/region-a/people").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("Письмо отправить не удалось")
        .assert_contains("http://127.0.0.1:8080/invitations/");
}
