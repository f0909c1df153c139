//! Tenant isolation and authorization on every route that takes an id.
mod common;

use axum::http::StatusCode;
use common::{RegionFixture, TestApp, operator, two_regions};
use sqlx::PgPool;

/// Every GET route of a region that takes an id, filled with `ids` of region `of`.
fn id_gets(slug: &str, of: &RegionFixture) -> Vec<String> {
    vec![
        format!("/r/{slug}/orgs/{}", of.child),
        format!("/r/{slug}/orgs/{}/edit", of.child),
        format!("/r/{slug}/orgs/{}/pages/new", of.child),
        format!("/r/{slug}/pages/{}", of.child_page),
        format!("/r/{slug}/municipalities/{}", of.municipality),
        format!("/r/{slug}/sectors/{}", of.sector),
    ]
}

/// Every POST route of a region that takes an id, with a plausible valid body.
fn id_posts(slug: &str, of: &RegionFixture) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        (
            format!("/r/{slug}/orgs/{}", of.child),
            vec![
                ("name", "Захвачено".into()),
                ("inn", "7707083893".into()),
                ("ogrn", "1027700132195".into()),
                ("level", "state_institution".into()),
            ],
        ),
        (
            format!("/r/{slug}/orgs/{}/pages", of.child),
            vec![
                ("platform", "vk".into()),
                ("url", "vk.com/club999999".into()),
            ],
        ),
        (
            format!("/r/{slug}/pages/{}", of.child_page),
            vec![
                ("platform", "vk".into()),
                ("url", "vk.com/club888888".into()),
            ],
        ),
        (
            format!("/r/{slug}/municipalities/{}", of.municipality),
            vec![("name", "Захвачено".into()), ("kind", "city_okrug".into())],
        ),
        (
            format!("/r/{slug}/sectors/{}", of.sector),
            vec![("name", "Захвачено".into()), ("position", "1".into())],
        ),
    ]
}

fn roles(r: &RegionFixture) -> Vec<&str> {
    vec![
        &r.admin,
        &r.coordinator,
        &r.municipal_coordinator,
        &r.subtree_coordinator,
        &r.editor,
    ]
}

async fn fingerprint(db: &PgPool) -> String {
    sqlx::query_scalar(
        r#"select concat_ws('|',
             (select string_agg(name || inn || ogrn, ',' order by id) from organizations),
             (select string_agg(url_key, ',' order by id) from pages),
             (select string_agg(name, ',' order by id) from municipalities),
             (select string_agg(name, ',' order by id) from sectors))"#,
    )
    .fetch_one(db)
    .await
    .unwrap()
}

#[sqlx::test]
async fn another_regions_objects_are_not_found_for_every_role(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    for email in roles(&a) {
        let mut app = TestApp::new(db.clone());
        app.login(email).await;
        // B's ids under A's address, and B's own address: both simply do not exist.
        for url in id_gets(&a.slug, &b).into_iter().chain(id_gets(&b.slug, &b)) {
            let res = app.get(&url).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{email} GET {url}");
            res.assert_lacks(&b.slug.replace("region-", "Регион region-"));
        }
        for url in [
            format!("/r/{}", b.slug),
            format!("/r/{}/orgs", b.slug),
            format!("/r/{}/pages", b.slug),
        ] {
            assert_eq!(
                app.get(&url).await.status,
                StatusCode::NOT_FOUND,
                "{email} GET {url}"
            );
        }
    }
}

#[sqlx::test]
async fn posts_carrying_another_regions_ids_change_nothing(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let before = fingerprint(&db).await;
    for email in roles(&a) {
        let mut app = TestApp::new(db.clone());
        app.login(email).await;
        app.get(&format!("/r/{}/orgs", a.slug)).await;
        for (url, fields) in id_posts(&a.slug, &b)
            .into_iter()
            .chain(id_posts(&b.slug, &b))
        {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.post_form(&url, &fields).await;
            assert_eq!(
                res.status,
                StatusCode::NOT_FOUND,
                "{email} POST {url}: {}",
                res.body
            );
        }
    }
    assert_eq!(before, fingerprint(&db).await);
}

#[sqlx::test]
async fn members_without_the_role_are_forbidden(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let s = &a.slug;
    let admin_only = [
        format!("/r/{s}/orgs/new"),
        format!("/r/{s}/orgs/{}/edit", a.child),
        format!("/r/{s}/municipalities"),
        format!("/r/{s}/municipalities/new"),
        format!("/r/{s}/municipalities/{}", a.municipality),
        format!("/r/{s}/sectors"),
        format!("/r/{s}/sectors/new"),
        format!("/r/{s}/sectors/{}", a.sector),
        format!("/r/{s}/people"),
    ];
    for email in [
        &a.coordinator,
        &a.municipal_coordinator,
        &a.subtree_coordinator,
        &a.editor,
    ] {
        let mut app = TestApp::new(db.clone());
        app.login(email).await;
        for url in &admin_only {
            assert_eq!(
                app.get(url).await.status,
                StatusCode::FORBIDDEN,
                "{email} GET {url}"
            );
        }
        app.get(&format!("/r/{s}"))
            .await
            .assert_status(StatusCode::OK);
        let before = fingerprint(&db).await;
        let res = app
            .post_form(
                &format!("/r/{s}/orgs"),
                &[
                    ("name", "Новая"),
                    ("inn", "7707083893"),
                    ("ogrn", "1027700132195"),
                    ("level", "other"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{email} POST orgs");
        let res = app
            .post_form(
                &format!("/r/{s}/invitations"),
                &[("email", "x@y.example"), ("role", "admin")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{email} POST invitations"
        );
        assert_eq!(before, fingerprint(&db).await);
    }
    // A coordinator sees a page but may not edit it.
    let mut app = TestApp::new(db.clone());
    app.login(&a.coordinator).await;
    app.get(&format!("/r/{s}/orgs/{}", a.child))
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        app.get(&format!("/r/{s}/pages/{}", a.child_page))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/r/{s}/orgs/{}/pages/new", a.child))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test]
async fn coordinators_and_editors_see_only_their_scope(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let s = &a.slug;
    let visible = |email: &str, child: bool, other: bool, founder: bool| {
        (email.to_owned(), child, other, founder)
    };
    for (email, child, other, founder) in [
        visible(&a.admin, true, true, true),
        visible(&a.coordinator, true, true, true),
        visible(&a.municipal_coordinator, true, false, false),
        visible(&a.subtree_coordinator, true, false, true),
        visible(&a.editor, true, false, false),
    ] {
        let mut app = TestApp::new(db.clone());
        app.login(&email).await;
        for (org, expected) in [(a.child, child), (a.other, other), (a.founder, founder)] {
            let status = app.get(&format!("/r/{s}/orgs/{org}")).await.status;
            let want = if expected {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, want, "{email} org {org}");
        }
        let list = app.get(&format!("/r/{s}/orgs")).await;
        assert_eq!(
            list.body.contains("Больница региона 1"),
            other,
            "{email} list"
        );
        assert_eq!(
            list.body.contains("Школа № 1 региона 1"),
            child,
            "{email} list"
        );
        let pages = app.get(&format!("/r/{s}/pages")).await;
        assert_eq!(
            pages.body.contains("vk.com/hospital1"),
            other,
            "{email} pages"
        );
    }
}

#[sqlx::test]
async fn editor_edits_own_pages_only(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let s = &a.slug;
    let mut app = TestApp::new(db.clone());
    app.login(&a.editor).await;
    app.get(&format!("/r/{s}/pages/{}", a.child_page))
        .await
        .assert_status(StatusCode::OK);
    app.post_form(
        &format!("/r/{s}/pages/{}", a.child_page),
        &[
            ("platform", "vk"),
            ("url", "https://vk.com/public777"),
            ("title", "Школа"),
        ],
    )
    .await
    .assert_redirect(&format!("/r/{s}/orgs/{}", a.child));
    let key: String = sqlx::query_scalar("select url_key from pages where id = $1")
        .bind(a.child_page)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(key, "vk.com/club777");
    assert_eq!(
        app.get(&format!("/r/{s}/pages/{}", a.other_page))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.get(&format!("/r/{s}/orgs/{}", a.child)).await;
    let res = app
        .post_form(
            &format!("/r/{s}/orgs/{}/pages", a.other),
            &[("platform", "vk"), ("url", "vk.com/club1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn signed_out_visitors_are_sent_to_sign_in(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut app = TestApp::new(db);
    for url in id_gets(&a.slug, &a).into_iter().chain([
        format!("/r/{}/orgs", a.slug),
        "/home".into(),
        "/operator/regions".into(),
    ]) {
        let res = app.get(&url).await;
        let next: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
        res.assert_redirect(&format!("/login?next={next}"));
    }
}

#[sqlx::test]
async fn operator_screens_are_for_the_operator_and_regions_for_members(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let op = operator(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    assert_eq!(
        admin.get("/operator/regions").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin
            .get(&format!("/operator/regions/{}", a.id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut operator = TestApp::new(db);
    operator.login(&op).await;
    operator
        .get("/home")
        .await
        .assert_redirect("/operator/regions");
    operator
        .get("/operator/regions")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("region-a");
    // The operator is not a member: region screens are not theirs.
    assert_eq!(
        operator.get(&format!("/r/{}/orgs", a.slug)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        operator.get("/operator/regions/999999").await.status,
        StatusCode::NOT_FOUND
    );
}
