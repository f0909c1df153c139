//! The public directory: residents find organizations by what they type (word forms, prefixes,
//! «ё», typos), see official pages with the verified badge only while the mark is granted,
//! check whether an address is an official page, and every public page is cacheable.
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{RegionFixture, TestApp, two_regions};
use sqlx::PgPool;

async fn org(db: &PgPool, r: &RegionFixture, name: &str, address: &str, k: u32) -> i64 {
    sqlx::query_scalar(
        "insert into organizations (region_id, name, inn, ogrn, level, municipality_id, address, phone, email, website)
         values ($1, $2, $3, $4, 'municipal_institution', $5, $6, '+7 3852 00-00-00', 'info@school.example', 'school.example')
         returning id",
    )
    .bind(r.id)
    .bind(name)
    .bind(format!("22{:08}", r.id * 100 + i64::from(k)))
    .bind(format!("10222{:08}", r.id * 100 + i64::from(k)))
    .bind(r.municipality)
    .bind(address)
    .fetch_one(db)
    .await
    .unwrap()
}

async fn page(db: &PgPool, r: &RegionFixture, org: i64, key: &str, granted: bool) -> i64 {
    sqlx::query_scalar(
        "insert into pages (region_id, organization_id, platform, url_key, url, mark_status, mark_since)
         values ($1, $2, 'vk', $3, 'https://' || $3, $4, case when $5 then date '2025-03-14' end) returning id",
    )
    .bind(r.id)
    .bind(org)
    .bind(key)
    .bind(if granted { "granted" } else { "none" })
    .bind(granted)
    .fetch_one(db)
    .await
    .unwrap()
}

struct Town {
    school: i64,
    clinic: i64,
    hospital: i64,
    kindergarten: i64,
}

async fn town(db: &PgPool, a: &RegionFixture) -> Town {
    let school = org(
        db,
        a,
        "МБОУ «Средняя общеобразовательная школа № 5»",
        "г. Барнаул, ул. Ленина, 5",
        11,
    )
    .await;
    let clinic = org(
        db,
        a,
        "КГБУЗ «Городская поликлиника № 3»",
        "г. Барнаул, пр. Строителей, 12",
        12,
    )
    .await;
    let hospital = org(
        db,
        a,
        "КГБУЗ «Краевая клиническая больница»",
        "г. Барнаул, ул. Ляпидевского, 1",
        13,
    )
    .await;
    let kindergarten = org(db, a, "МБДОУ «Детский сад «Ёлочка»»", "с. Зональное", 14).await;
    page(db, a, school, "vk.com/school5brn", true).await;
    page(db, a, clinic, "vk.com/clinic3", false).await;
    Town {
        school,
        clinic,
        hospital,
        kindergarten,
    }
}

/// The organizations' ids in the order the directory lists them.
fn listed(body: &str) -> Vec<i64> {
    body.split("/directory/")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

#[sqlx::test]
async fn residents_find_what_they_mean(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let t = town(&db, &a).await;
    let other_school = org(
        &db,
        &b,
        "Средняя общеобразовательная школа № 5",
        "г. Другой",
        11,
    )
    .await;
    let mut resident = TestApp::new(db.clone());
    let search = |q: &str| format!("/r/region-a/directory?q={}", urlencoding(q));

    let found = resident.get(&search("школа 5 барнаул")).await;
    found.assert_status(StatusCode::OK);
    assert_eq!(
        listed(&found.body).first(),
        Some(&t.school),
        "{}",
        found.body
    );
    found.assert_contains("есть проверенная страница");
    // Another region's school of the same name is not in this region's directory.
    assert_eq!(listed(&found.body).len(), 1);

    // A whole number before the numbers it begins: № 5 before № 50.
    let fifty = org(
        &db,
        &a,
        "МБОУ «Средняя общеобразовательная школа № 50»",
        "г. Барнаул, ул. Мира, 50",
        15,
    )
    .await;
    // № 50 even has a verified page: only the whole word can put № 5 first.
    page(&db, &a, fifty, "vk.com/school50brn", true).await;
    let both = listed(&resident.get(&search("школа 5")).await.body);
    assert_eq!(both.first(), Some(&t.school), "{both:?}");
    assert!(both.contains(&fifty));
    let typo = resident.get(&search("поликлинника")).await;
    assert_eq!(listed(&typo.body).first(), Some(&t.clinic), "{}", typo.body);
    typo.assert_contains("показано по запросу «поликлиника»");
    let typos = resident.get(&search("краевя клиническя больница")).await;
    assert_eq!(listed(&typos.body), [t.hospital], "{}", typos.body);
    let forms = resident.get(&search("Краевая клиническая больница")).await;
    assert_eq!(listed(&forms.body).first(), Some(&t.hospital));
    let prefix = resident.get(&search("больниц")).await;
    assert!(listed(&prefix.body).contains(&t.hospital));
    let yo = resident.get(&search("елочка")).await;
    assert_eq!(listed(&yo.body), [t.kindergarten]);
    let street = resident.get(&search("ляпидевского")).await;
    assert_eq!(listed(&street.body), [t.hospital]);
    resident
        .get(&search("зоопарк"))
        .await
        .assert_contains("Ничего не найдено");

    // A municipality alone lists its organizations, those with verified pages first.
    let municipality = resident
        .get(&format!(
            "/r/region-a/directory?municipality={}",
            a.municipality
        ))
        .await;
    let ids = listed(&municipality.body);
    let mut verified_first: Vec<i64> = ids.iter().take(2).copied().collect();
    verified_first.sort();
    let mut verified = vec![t.school, fifty];
    verified.sort();
    assert_eq!(verified_first, verified);
    assert!(ids.contains(&t.kindergarten));
    assert!(
        !ids.contains(&a.other),
        "the hospital is in the other municipality"
    );

    // The national entry searches every region and names each result's region.
    let national = resident
        .get(&format!("/?q={}", urlencoding("школа 5")))
        .await;
    national.assert_status(StatusCode::OK);
    let mut best: Vec<i64> = listed(&national.body).into_iter().take(2).collect();
    best.sort();
    let mut schools = vec![t.school, other_school];
    schools.sort();
    assert_eq!(best, schools, "{}", national.body);
    national.assert_contains(&format!("/r/region-b/directory/{other_school}"));
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[sqlx::test]
async fn a_card_shows_the_badge_only_while_the_mark_is_granted(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let t = town(&db, &a).await;
    sqlx::query("update organizations set parent_id = $2 where id = $1")
        .bind(t.school)
        .bind(a.founder)
        .execute(&db)
        .await
        .unwrap();
    let mut resident = TestApp::new(db.clone());
    let card = format!("/r/region-a/directory/{}", t.school);
    let shown = resident.get(&card).await;
    shown
        .assert_status(StatusCode::OK)
        .assert_contains("МБОУ «Средняя общеобразовательная школа № 5»")
        .assert_contains("Проверенная страница")
        .assert_contains("с 14.03.2025")
        .assert_contains("https://vk.com/school5brn")
        .assert_contains("г. Барнаул, ул. Ленина, 5")
        .assert_contains("info@school.example")
        .assert_contains("Министерство образования")
        .assert_contains(&format!(
            "<link rel=\"canonical\" href=\"http://127.0.0.1:8080{card}\">"
        ))
        .assert_contains("og:title")
        // Nothing internal: no people, no sign-in forms.
        .assert_lacks(&a.editor)
        .assert_lacks("csrf");
    assert!(shown.headers.get("set-cookie").is_none());

    // The founder's card lists the school among its subordinates.
    resident
        .get(&format!("/r/region-a/directory/{}", a.founder))
        .await
        .assert_contains(&format!("/r/region-a/directory/{}", t.school));

    // The mark is revoked: the badge is gone at once.
    sqlx::query("update pages set mark_status = 'revoked' where url_key = 'vk.com/school5brn'")
        .execute(&db)
        .await
        .unwrap();
    resident
        .get(&card)
        .await
        .assert_lacks("Проверенная страница<")
        .assert_contains("https://vk.com/school5brn");

    // Another region's organization, an archived one and an unknown region are not found.
    resident
        .get(&format!("/r/region-b/directory/{}", t.school))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    resident
        .get(&format!("/r/region-a/directory/{}", b.child))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    sqlx::query("update organizations set archived_at = now() where id = $1")
        .bind(t.clinic)
        .execute(&db)
        .await
        .unwrap();
    resident
        .get(&format!("/r/region-a/directory/{}", t.clinic))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    resident
        .get("/r/no-such-region/directory")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // An organization exempt from running a page is not shown: not found, not listed.
    resident
        .get("/r/region-a/directory?q=елочка")
        .await
        .assert_contains(&format!("/r/region-a/directory/{}\"", t.kindergarten));
    sqlx::query(
        "update organizations set exempt = true, exemption_basis = 'Режимный объект' where id = $1",
    )
    .bind(t.kindergarten)
    .execute(&db)
    .await
    .unwrap();
    resident
        .get(&format!("/r/region-a/directory/{}", t.kindergarten))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    resident
        .get("/r/region-a/directory?q=елочка")
        .await
        .assert_lacks(&format!("/r/region-a/directory/{}\"", t.kindergarten));
    resident
        .get("/r/region-a/sitemap.xml")
        .await
        .assert_lacks(&format!("/directory/{}<", t.kindergarten));
}

#[sqlx::test]
async fn a_resident_checks_whether_a_page_is_official(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let t = town(&db, &a).await;
    let mut resident = TestApp::new(db.clone());
    let check = |url: &str| format!("/r/region-a/check?url={}", urlencoding(url));
    for shape in [
        "https://m.vk.com/school5brn",
        "vk.com/school5brn/",
        "http://vk.ru/School5brn",
    ] {
        resident
            .get(&check(shape))
            .await
            .assert_status(StatusCode::OK)
            .assert_contains("Проверенная страница")
            .assert_contains(&format!("/r/region-a/directory/{}", t.school));
    }
    resident
        .get(&check("vk.com/clinic3"))
        .await
        .assert_contains("площадка ещё не подтвердила")
        .assert_contains(&format!("/r/region-a/directory/{}", t.clinic));
    resident
        .get(&check("https://vk.com/fake_school5"))
        .await
        .assert_contains("Этой страницы нет в реестре");
    resident
        .get(&check("https://example.org/page"))
        .await
        .assert_contains("Это не адрес страницы ВКонтакте");
    resident
        .get(&check("vk.com/feed"))
        .await
        .assert_contains("адрес раздела сайта");
    // A page of another region is found there, and says which region.
    resident
        .get(&check(&format!("vk.com/school{}", 2)))
        .await
        .assert_contains("/r/region-b/directory/")
        .assert_contains(&format!("/r/region-b/directory/{}", b.child));
}

#[sqlx::test]
async fn public_pages_are_tagged_and_answered_304_when_unchanged(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let t = town(&db, &a).await;
    let mut resident = TestApp::new(db.clone());
    let card = format!("/r/region-a/directory/{}", t.school);
    let first = resident.get(&card).await;
    let tag = first
        .headers
        .get("etag")
        .expect("an ETag")
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        first.headers.get("cache-control").unwrap(),
        "public, max-age=60"
    );
    let again = resident
        .send(
            Request::get(&card)
                .header("if-none-match", &tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    again.assert_status(StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // Changed: a new tag, and the page again.
    sqlx::query("update organizations set phone = '+7 3852 11-11-11' where id = $1")
        .bind(t.school)
        .execute(&db)
        .await
        .unwrap();
    let changed = resident
        .send(
            Request::get(&card)
                .header("if-none-match", &tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    changed
        .assert_status(StatusCode::OK)
        .assert_contains("11-11-11");
    for path in [
        "/",
        "/r/region-a/directory?q=школа",
        "/r/region-a/check?url=vk.com/x",
    ] {
        let r = resident.get(path).await;
        r.assert_status(StatusCode::OK);
        assert!(r.headers.get("etag").is_some(), "{path}");
        assert!(r.headers.get("set-cookie").is_none(), "{path}");
    }
}

#[sqlx::test]
async fn a_signed_in_person_opening_the_root_lands_on_their_start_page(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut editor = TestApp::new(db.clone());
    editor.get("/").await.assert_contains("Регионы");
    editor.login(&a.editor).await;
    editor.get("/").await.assert_redirect("/home");
    // Searching from the entry page still works for them.
    editor
        .get("/?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0")
        .await
        .assert_status(StatusCode::OK);
}

#[sqlx::test]
async fn the_public_summary_counts_what_the_coordinator_counts(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    town(&db, &a).await;
    let (obliged, with_page, verified): (i64, i64, i64) = sqlx::query_as(
        "select count(*),
                count(*) filter (where exists (select 1 from pages p where p.organization_id = o.id)),
                count(*) filter (where exists (select 1 from pages p where p.organization_id = o.id and p.mark_status = 'granted'))
         from organizations o where o.region_id = $1 and not o.exempt and o.archived_at is null",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(verified > 0 && with_page > verified && obliged > with_page);
    let mut resident = TestApp::new(db.clone());
    let summary = resident.get("/r/region-a/summary").await;
    summary.assert_status(StatusCode::OK);
    let total = summary
        .body
        .split("id=\"summary-total\"")
        .nth(1)
        .unwrap()
        .split("</dl>")
        .next()
        .unwrap()
        .to_owned();
    for figure in [obliged, with_page, verified] {
        assert!(
            total.contains(&format!("<dd>{figure}")),
            "{figure} in {total}"
        );
    }
    summary.assert_contains(&format!(
        "/r/region-a/directory?municipality={}",
        a.municipality
    ));
}

#[sqlx::test]
async fn open_data_streams_the_registry_and_answers_304_when_unchanged(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    town(&db, &a).await;
    // A name with the separator and quotes in it stays one column.
    sqlx::query("update organizations set name = 'Центр \"Семья; дети\"' where id = $1")
        .bind(a.other)
        .execute(&db)
        .await
        .unwrap();
    let mut resident = TestApp::new(db.clone());
    let csv = resident.get("/r/region-a/opendata/pages.csv").await;
    csv.assert_status(StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "a BOM for spreadsheets");
    let mut lines = csv.body.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "region;organization;ogrn;inn;level;municipality;oktmo;sectors;platform;url;verified;verified_since;page_id"
    );
    let rows: Vec<&str> = lines.collect();
    // As a spreadsheet reads it (Russian Excel: UTF-8 by the BOM, «;» between columns,
    // quotes around a value that holds one): every row has every column.
    for row in &rows {
        assert_eq!(spreadsheet_cells(row).len(), 13, "{row}");
    }
    let centre = rows.iter().find(|r| r.contains("Семья")).unwrap();
    assert_eq!(spreadsheet_cells(centre)[1], "Центр \"Семья; дети\"");
    let pages_a: i64 = sqlx::query_scalar("select count(*) from pages where region_id = $1")
        .bind(a.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(rows.len() as i64, pages_a);
    let school = rows
        .iter()
        .find(|r| r.contains("https://vk.com/school5brn"))
        .unwrap();
    assert!(
        school.contains(";vk;https://vk.com/school5brn;true;2025-03-14;"),
        "{school}"
    );
    assert!(
        school.starts_with("region-a;МБОУ «Средняя общеобразовательная школа № 5»;"),
        "{school}"
    );
    assert!(
        !csv.body.contains("region-b"),
        "another region's pages are not in this set"
    );

    // JSON: the same rows, parseable as a whole.
    let json = resident.get("/r/region-a/opendata/pages.json").await;
    let parsed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    let items = parsed.as_array().unwrap();
    assert_eq!(items.len() as i64, pages_a);
    let clinic = items
        .iter()
        .find(|i| i["url"] == "https://vk.com/clinic3")
        .unwrap();
    assert_eq!(clinic["verified"], false);
    assert_eq!(clinic["verified_since"], serde_json::Value::Null);

    // Both sets validate against the published schema.
    let schema = resident.get("/opendata/pages-v1.schema.json").await;
    schema.assert_status(StatusCode::OK);
    let schema: serde_json::Value = serde_json::from_str(&schema.body).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&parsed)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let all = resident.get("/opendata/pages.json").await;
    let all: serde_json::Value = serde_json::from_str(&all.body).unwrap();
    assert!(validator.is_valid(&all));
    // The schema is strict enough to catch a broken row.
    let mut broken = all.clone();
    broken[0]["verified"] = serde_json::json!("yes");
    assert!(!validator.is_valid(&broken));

    // The installation's set holds both regions.
    let regions: std::collections::BTreeSet<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["region"].as_str().unwrap())
        .collect();
    assert_eq!(
        regions.into_iter().collect::<Vec<_>>(),
        ["region-a", "region-b"]
    );

    // Unchanged: 304. A mark revoked: a new tag and the new value.
    let tag = csv
        .headers
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csv.headers.get("last-modified").is_some());
    let again = resident
        .send(
            Request::get("/r/region-a/opendata/pages.csv")
                .header("if-none-match", &tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    again.assert_status(StatusCode::NOT_MODIFIED);
    sqlx::query("update pages set mark_status = 'revoked', updated_at = now() where url_key = 'vk.com/school5brn'")
        .execute(&db)
        .await
        .unwrap();
    let changed = resident
        .send(
            Request::get("/r/region-a/opendata/pages.csv")
                .header("if-none-match", &tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    changed.assert_status(StatusCode::OK);
    assert!(
        changed
            .body
            .contains(";vk;https://vk.com/school5brn;false;;")
    );

    // The passport describes the set.
    resident
        .get("/r/region-a/opendata")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("region-a-official-pages")
        .assert_contains("verified_since")
        .assert_contains("/r/region-a/opendata/pages.csv");
    resident
        .get("/opendata")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("/opendata/pages.json");
}

#[sqlx::test]
async fn search_engines_find_every_public_card(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let t = town(&db, &a).await;
    sqlx::query("update organizations set archived_at = now() where id = $1")
        .bind(t.clinic)
        .execute(&db)
        .await
        .unwrap();
    let mut robot = TestApp::new(db.clone());
    robot
        .get("/robots.txt")
        .await
        .assert_contains("Sitemap: http://127.0.0.1:8080/sitemap.xml")
        .assert_contains("Disallow: /api/");
    robot
        .get("/sitemap.xml")
        .await
        .assert_contains("<loc>http://127.0.0.1:8080/r/region-a/sitemap.xml</loc>")
        .assert_contains("/r/region-b/sitemap.xml");
    robot
        .get("/r/region-a/sitemap.xml")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains(&format!(
            "<loc>http://127.0.0.1:8080/r/region-a/directory/{}</loc>",
            t.school
        ))
        .assert_lacks(&format!("/directory/{}<", t.clinic));
    // The region's contests are public pages too.
    let contest: i64 = sqlx::query_scalar(
        "insert into contests (region_id, title, voting_starts_at, voting_ends_at) values ($1, 'Лучшая страница', now(), now() + interval '1 day') returning id",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    robot
        .get("/r/region-a/sitemap.xml")
        .await
        .assert_contains(&format!(
            "<loc>http://127.0.0.1:8080/r/region-a/contests/{contest}</loc>"
        ));
}

/// The cells of one CSV line as a spreadsheet splits it: `;` between cells, a quoted cell may
/// hold `;`, and a doubled quote inside it is one quote.
fn spreadsheet_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (';', false) => cells.push(String::new()),
            (c, _) => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

#[sqlx::test]
async fn a_search_of_every_region_too_broad_to_rank_asks_for_a_region(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    town(&db, &a).await;
    // 1,001 kindergartens across two regions.
    sqlx::query(
        r#"insert into organizations (region_id, name, inn, ogrn, level)
           select case when g % 2 = 0 then $1 else $2 end, 'МБДОУ «Детский сад № ' || g || '»',
                  lpad((3000000000 + g)::text, 10, '0'), lpad((3000000000000 + g)::text, 13, '0'), 'municipal_institution'
           from generate_series(1, 1001) g"#,
    )
    .bind(a.id)
    .bind(b.id)
    .execute(&db)
    .await
    .unwrap();
    let mut resident = TestApp::new(db.clone());
    let broad = resident.get("/?q=детский+сад").await;
    broad
        .assert_status(StatusCode::OK)
        .assert_contains("больше 1000 организаций")
        .assert_contains(
            "/r/region-a/directory?q=%D0%B4%D0%B5%D1%82%D1%81%D0%BA%D0%B8%D0%B9+%D1%81%D0%B0%D0%B4",
        )
        .assert_lacks("id=\"no-results\"");
    // The same words in a region are ranked; a narrower search of every region is too.
    resident
        .get("/r/region-a/directory?q=детский+сад")
        .await
        .assert_contains("Детский сад № ");
    resident
        .get("/?q=детский+сад+1001")
        .await
        .assert_lacks("больше 1000 организаций")
        .assert_contains("Детский сад № 1001");
}
