//! Invitations by mail, against a real SMTP conversation on a loopback port.
mod common;

use axum::http::StatusCode;
use common::smtp::{decoded_body, smtp_sink};
use common::{TestApp, two_regions};
use gospublic::config::Settings;
use gospublic::mail::MailSettings;
use sqlx::PgPool;

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
