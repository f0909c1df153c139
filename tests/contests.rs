//! Page contests: the admin's contest with its nominations and period in the region's time,
//! one vote per voter and nomination, results hidden until published after the close, a
//! voided burst audited, the e-mail code, and the winners' badge on their cards.

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::smtp::{decoded_body, smtp_sink};
use common::{RegionFixture, TestApp, two_regions};
use gospublic::config::Settings;
use gospublic::mail::MailSettings;
use sqlx::PgPool;

/// A moment `minutes` from now as the admin types it in the region (Asia/Barnaul).
fn local(minutes: i64) -> String {
    let tz: chrono_tz::Tz = "Asia/Barnaul".parse().unwrap();
    (Utc::now() + Duration::minutes(minutes))
        .with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Creates a contest through the admin's form; returns its id.
async fn create(admin: &mut TestApp, r: &RegionFixture, fields: &[(&str, &str)]) -> i64 {
    admin.get(&format!("/r/{}/contest-admin", r.slug)).await;
    let res = admin
        .post_form(&format!("/r/{}/contest-admin", r.slug), fields)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn nominate(admin: &mut TestApp, r: &RegionFixture, contest: i64, title: &str, pages: &str) {
    let url = format!("/r/{}/contest-admin/{contest}", r.slug);
    admin.get(&url).await;
    admin
        .post_form(
            &format!("{url}/nominations"),
            &[("title", title), ("sector", ""), ("pages", pages)],
        )
        .await
        .assert_redirect(&url);
}

async fn vote(
    app: &mut TestApp,
    r: &RegionFixture,
    contest: i64,
    nomination: i64,
    page: i64,
) -> common::TestResponse {
    let url = format!("/r/{}/contests/{contest}", r.slug);
    if app.csrf.is_none() {
        // The page shows no form while voting is closed; a session's token comes from anywhere.
        app.get("/login").await;
    }
    app.get(&url).await;
    app.post_form(
        &format!("{url}/vote"),
        &[
            ("nomination", &nomination.to_string()),
            ("page", &page.to_string()),
        ],
    )
    .await
}

async fn nomination_of(db: &PgPool, contest: i64) -> i64 {
    sqlx::query_scalar(
        "select id from contest_nominations where contest_id = $1 order by id limit 1",
    )
    .bind(contest)
    .fetch_one(db)
    .await
    .unwrap()
}

/// A contest made through the admin's form, with one nomination of the school's and the
/// hospital's pages, and its voting open; returns the contest and the nomination.
async fn running(
    admin: &mut TestApp,
    db: &PgPool,
    r: &RegionFixture,
    nomination: &str,
    fields: &[(&str, &str)],
) -> (i64, i64) {
    let contest = create(admin, r, fields).await;
    nominate(
        admin,
        r,
        contest,
        nomination,
        "vk.com/hospital1\nvk.com/school1",
    )
    .await;
    let nomination = nomination_of(db, contest).await;
    open(db, contest).await;
    (contest, nomination)
}

/// The voting opens: the contest's start moves into the past, as time would move it.
async fn open(db: &PgPool, contest: i64) {
    sqlx::query("update contests set voting_starts_at = now() - interval '1 second' where id = $1")
        .bind(contest)
        .execute(db)
        .await
        .unwrap();
}

/// The voting ends: the contest's end moves into the past, as time would move it.
async fn close(db: &PgPool, contest: i64) {
    sqlx::query("update contests set voting_ends_at = now() - interval '1 second' where id = $1")
        .bind(contest)
        .execute(db)
        .await
        .unwrap();
}

#[sqlx::test]
async fn residents_vote_once_and_the_winner_shows_after_the_results(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    // Created before the voting opens, so nominations can still change.
    let badge = (Utc::now() + Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    let contest = create(
        &mut admin,
        &a,
        &[
            ("title", "Лучшая страница школы"),
            ("description", "Голосуйте за страницы школ."),
            ("starts", &local(2)),
            ("ends", &local(120)),
            ("badge_until", &badge),
        ],
    )
    .await;
    // The period is read in the region's time (UTC+7).
    let starts_in: f64 = sqlx::query_scalar(
        "select extract(epoch from voting_starts_at - now())::float8 from contests where id = $1",
    )
    .bind(contest)
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(
        (0.0..=120.0).contains(&starts_in),
        "starts in {starts_in} s"
    );

    // An address not in the registry is named; nothing is added.
    let url = format!("/r/{}/contest-admin/{contest}", a.slug);
    admin.get(&url).await;
    admin
        .post_form(
            &format!("{url}/nominations"),
            &[
                ("title", "Школы"),
                ("sector", ""),
                (
                    "pages",
                    "https://vk.com/school1\nhttps://vk.com/nobody_here",
                ),
            ],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("https://vk.com/nobody_here");
    nominate(
        &mut admin,
        &a,
        contest,
        "Школы",
        "https://vk.com/school1\nvk.com/hospital1",
    )
    .await;
    let nomination = nomination_of(&db, contest).await;

    // Before the start: no vote.
    let mut resident = TestApp::new(db.clone());
    vote(&mut resident, &a, contest, nomination, a.child_page)
        .await
        .assert_status(StatusCode::CONFLICT)
        .assert_contains("Голосование сейчас не идёт");
    open(&db, contest).await;

    // A vote counts once per voter.
    let res = vote(&mut resident, &a, contest, nomination, a.child_page).await;
    res.assert_redirect(&format!("/r/{}/contests/{contest}", a.slug));
    assert!(resident.cookies.contains_key("gp_voter"));
    resident
        .get(&format!("/r/{}/contests/{contest}", a.slug))
        .await
        .assert_contains("Ваш голос учтён")
        .assert_contains("ваш выбор");
    vote(&mut resident, &a, contest, nomination, a.other_page)
        .await
        .assert_status(StatusCode::CONFLICT)
        .assert_contains("уже проголосовали");
    // A cookie that was not signed here is not a voter: it is replaced by a new one.
    let mut forger = resident.fresh_browser();
    forger.peer = "198.51.100.20:4000".parse().unwrap();
    let own = resident.cookies["gp_voter"].clone();
    let (id, _) = own.split_once('.').unwrap();
    forger
        .cookies
        .insert("gp_voter".into(), format!("{id}.{}", "0".repeat(64)));
    vote(&mut forger, &a, contest, nomination, a.other_page)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_ne!(forger.cookies["gp_voter"], own);
    for i in 0..2 {
        let mut neighbour = TestApp::new(db.clone());
        neighbour.peer = format!("198.51.100.{}:4000", 30 + i).parse().unwrap();
        vote(&mut neighbour, &a, contest, nomination, a.child_page)
            .await
            .assert_status(StatusCode::SEE_OTHER);
    }
    assert_eq!(
        resident.count("select count(*) from contest_votes").await,
        4
    );

    // Results stay hidden while voting, even from the page of the one who voted.
    let public = format!("/r/{}/contests/{contest}", a.slug);
    resident
        .get(&public)
        .await
        .assert_lacks("голос</span>")
        .assert_lacks("Победитель");
    // Another region's address of the contest is not found.
    TestApp::new(db.clone())
        .get(&format!("/r/{}/contests/{contest}", b.slug))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Another region's contest is not found through this region's screens.
    let theirs: i64 = sqlx::query_scalar(
        "insert into contests (region_id, title, voting_starts_at, voting_ends_at) values ($1, 'Чужой', now(), now() + interval '1 day') returning id",
    )
    .bind(b.id)
    .fetch_one(&db)
    .await
    .unwrap();
    for path in [
        format!("/r/{}/contest-admin/{theirs}", a.slug),
        format!("/r/{}/contests/{theirs}", a.slug),
    ] {
        admin.get(&path).await.assert_status(StatusCode::NOT_FOUND);
    }
    admin.get(&url).await;
    admin
        .post_form(
            &format!("/r/{}/contest-admin/{theirs}/publish", a.slug),
            &[],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Publishing before the close is refused.
    admin.get(&url).await;
    admin
        .post_form(&format!("{url}/publish"), &[])
        .await
        .assert_status(StatusCode::CONFLICT);

    close(&db, contest).await;
    vote(
        &mut TestApp::new(db.clone()),
        &a,
        contest,
        nomination,
        a.child_page,
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    resident
        .get(&public)
        .await
        .assert_contains("Итоги будут опубликованы")
        .assert_lacks("Победитель");
    admin.get(&url).await;
    admin
        .post_form(&format!("{url}/publish"), &[])
        .await
        .assert_redirect(&url);
    resident
        .get(&public)
        .await
        .assert_contains("3 голоса")
        .assert_contains("1 голос")
        .assert_contains("Победитель");
    // The winner's card carries the badge; the other's does not.
    let card = |org: i64| format!("/r/{}/directory/{org}", a.slug);
    resident
        .get(&card(a.child))
        .await
        .assert_contains("Победитель")
        .assert_contains("Лучшая страница школы");
    resident
        .get(&card(a.other))
        .await
        .assert_lacks("Победитель");
    // Past the badge's last day, it is gone.
    sqlx::query("update contests set badge_until = current_date - 1 where id = $1")
        .bind(contest)
        .execute(&db)
        .await
        .unwrap();
    resident
        .get(&card(a.child))
        .await
        .assert_lacks("Победитель");
    let published: i64 = resident
        .count(
            "select count(*) from audit_log where action = 'publish' and object_type = 'contest'",
        )
        .await;
    assert_eq!(published, 1);
}

#[sqlx::test]
async fn a_burst_from_one_network_is_voided_with_a_reason(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    let (contest, nomination) = running(
        &mut admin,
        &db,
        &a,
        "Больницы",
        &[
            ("title", "Лучшая больница"),
            ("starts", &local(5)),
            ("ends", &local(600)),
        ],
    )
    .await;
    for i in 0..4 {
        let mut bot = TestApp::new(db.clone());
        bot.peer = format!("203.0.113.{}:4000", 10 + i).parse().unwrap();
        vote(&mut bot, &a, contest, nomination, a.other_page)
            .await
            .assert_status(StatusCode::SEE_OTHER);
    }
    let mut person = TestApp::new(db.clone());
    person.peer = "192.0.2.77:4000".parse().unwrap();
    vote(&mut person, &a, contest, nomination, a.child_page)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let url = format!("/r/{}/contest-admin/{contest}", a.slug);
    let screen = admin.get(&url).await;
    screen
        .assert_contains("203.0.113.0/24")
        .assert_contains("192.0.2.0/24");
    let (from, to) = (local(-5), local(1));
    // A void needs a reason.
    admin
        .post_form(
            &format!("{url}/void"),
            &[
                ("block", "203.0.113.0/24"),
                ("from", &from),
                ("to", &to),
                ("reason", " "),
            ],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Укажите причину");
    admin
        .post_form(
            &format!("{url}/void"),
            &[
                ("block", "203.0.113.0/24"),
                ("from", &from),
                ("to", &to),
                ("reason", "4 голоса за минуту из одной подсети"),
            ],
        )
        .await
        .assert_redirect(&url);
    admin
        .get(&url)
        .await
        .assert_contains("Аннулировано голосов: 4");
    let voided: i64 = admin
        .count("select count(*) from contest_votes where voided_at is not null and void_reason = '4 голоса за минуту из одной подсети'")
        .await;
    assert_eq!(voided, 4);
    let (details,): (serde_json::Value,) = sqlx::query_as(
        "select details from audit_log where action = 'void' and object_type = 'contest'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(details["votes"], 4);
    assert_eq!(details["block"], "203.0.113.0/24");
    // The results count what was not voided: the hospital's burst is gone.
    close(&db, contest).await;
    admin.get(&url).await;
    admin
        .post_form(&format!("{url}/publish"), &[])
        .await
        .assert_redirect(&url);
    let public = person
        .get(&format!("/r/{}/contests/{contest}", a.slug))
        .await;
    let winner_at = public.body.find("class=\"winner\"").unwrap();
    assert!(public.body[winner_at..].contains("Школа № 1 региона 1"));
    public.assert_contains("0 голосов");
}

#[sqlx::test]
async fn one_network_gets_only_so_many_new_voters_an_hour(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    let (contest, nomination) = running(
        &mut admin,
        &db,
        &a,
        "Все",
        &[
            ("title", "Конкурс"),
            ("starts", &local(5)),
            ("ends", &local(600)),
        ],
    )
    .await;
    let mut refused = 0;
    for i in 0..55 {
        // A robot that throws its cookie away each time.
        let mut bot = TestApp::new(db.clone());
        bot.peer = format!("203.0.113.{}:4000", i % 250).parse().unwrap();
        let res = vote(&mut bot, &a, contest, nomination, a.other_page).await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            res.assert_contains("слишком часто");
            refused += 1;
        }
    }
    assert_eq!(refused, 5);
    assert_eq!(admin.count("select count(*) from contest_votes").await, 50);
}

#[sqlx::test]
async fn a_vote_with_an_e_mail_code_counts_once_confirmed(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let (port, mailbox) = smtp_sink().await;
    let settings = Settings {
        mail: Some(MailSettings {
            host: "127.0.0.1".into(),
            port,
            from: "noreply@gospublic.example".into(),
        }),
        ..Settings::for_tests()
    };
    let mut admin = TestApp::with_settings(db.clone(), settings.clone());
    admin.login(&a.admin).await;
    let (contest, nomination) = running(
        &mut admin,
        &db,
        &a,
        "Все",
        &[
            ("title", "Конкурс с подтверждением"),
            ("starts", &local(5)),
            ("ends", &local(600)),
            ("email_confirmation", "yes"),
        ],
    )
    .await;
    let public = format!("/r/{}/contests/{contest}", a.slug);
    let mut voter = TestApp::with_settings(db.clone(), settings.clone());
    voter.get(&public).await.assert_contains("name=\"email\"");
    let fields = |email: &'static str| {
        vec![
            ("nomination", nomination.to_string()),
            ("page", a.child_page.to_string()),
            ("email", email.to_owned()),
        ]
    };
    let post = async |app: &mut TestApp, email: &'static str| {
        let f = fields(email);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.get(&public).await;
        app.post_form(&format!("{public}/vote"), &f).await
    };
    post(&mut voter, "не почта")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Укажите адрес электронной почты");
    post(&mut voter, "Voter@Example.ru")
        .await
        .assert_redirect(&format!("{public}/confirm"));
    let letter = decoded_body(&mailbox.lock().unwrap()[0]);
    let at =
        letter.find("«Конкурс с подтверждением»: ").unwrap() + "«Конкурс с подтверждением»: ".len();
    let code = letter[at..at + 6].to_owned();

    // Not counted until confirmed; a wrong code is refused.
    let counted = "select count(*) from contest_votes where confirmed_at is not null";
    assert_eq!(voter.count(counted).await, 0);
    voter.get(&format!("{public}/confirm")).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    voter
        .post_form(&format!("{public}/confirm"), &[("code", wrong)])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Код не подошёл");
    voter
        .post_form(&format!("{public}/confirm"), &[("code", &code)])
        .await
        .assert_redirect(&public);
    assert_eq!(voter.count(counted).await, 1);
    voter
        .get(&public)
        .await
        .assert_contains("Голос подтверждён");

    // The same address from another browser: one vote per address.
    let mut again = TestApp::with_settings(db.clone(), settings);
    again.peer = "198.51.100.99:4000".parse().unwrap();
    post(&mut again, "voter@example.ru")
        .await
        .assert_status(StatusCode::CONFLICT)
        .assert_contains("уже проголосовали");
}
