//! Weekly activity figures from an upload: every problem listed with its row, nothing written
//! until the file is clean, the same file twice changes nothing.
mod common;

use axum::http::StatusCode;
use common::{TestApp, two_regions};
use sqlx::PgPool;

fn last_monday(weeks_back: i64) -> String {
    let tz: chrono_tz::Tz = "Asia/Barnaul".parse().unwrap();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    gospublic::activity::db::monday_of(today - chrono::Duration::weeks(weeks_back))
        .format("%d.%m.%Y")
        .to_string()
}

async fn upload(admin: &mut TestApp, body: &str) -> String {
    admin.get("/r/region-a/imports").await;
    let res = admin
        .post_file_with(
            "/r/region-a/imports",
            &[("kind", "activity")],
            "file",
            "активность.csv",
            body.as_bytes(),
        )
        .await;
    res.location().expect("the preview").to_owned()
}

#[sqlx::test]
async fn weekly_figures_are_checked_then_written_all_at_once(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    let template = admin
        .get("/r/region-a/imports/activity-template.xlsx")
        .await;
    assert_eq!(template.status, StatusCode::OK);
    let school_ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.child)
        .fetch_one(&db)
        .await
        .unwrap();
    let (w1, w2) = (last_monday(1), last_monday(2));
    // Row 2: fine. Row 3: the hospital's OGRN on the school's page. Row 4: a page of region-b.
    // Row 5: the same page and week as row 2. Row 6: a negative figure and a bad week.
    let bad = format!(
        "ОГРН организации;Адрес страницы;Неделя с;Подписчики;Посты;Охват за неделю\n\
         {school_ogrn};https://vk.com/school1;{w1};1000;4;700\n\
         1022210000003;https://vk.com/school1;{w2};990;3;650\n\
         ;https://vk.com/school2;{w1};10;1;5\n\
         ;vk.com/school1;{w1};1000;4;700\n\
         ;https://vk.com/school1;позавчера;-5;1;1\n"
    );
    let page = upload(&mut admin, &bad).await;
    let preview = admin.get(&page).await;
    preview
        .assert_contains("не «1022210000003»")
        .assert_contains("Страница «https://vk.com/school2» не зарегистрирована в регионе.")
        .assert_contains("Эта страница и неделя уже есть в строке 2.")
        .assert_contains("Не удалось прочитать дату «позавчера».")
        .assert_contains("Введите целое неотрицательное число.")
        .assert_lacks("Внести изменения");
    assert_eq!(admin.count("select count(*) from page_snapshots").await, 0);
    let _ = b;

    let good = format!(
        "Площадка,Адрес,Неделя,Подписчики,Посты,Просмотры,Лайки,Комментарии,Репосты,Охват,Дата последнего поста\n\
         ВКонтакте,https://vk.com/school1,{w1},1000,4,3200,120,15,5,700,{w1}\n\
         ,https://vk.com/school1,{w2},990,3,2800,100,10,4,650,\n"
    );
    let page = upload(&mut admin, &good).await;
    admin.get(&page).await.assert_contains("Внести изменения");
    admin
        .post_form(&format!("{page}/commit"), &[])
        .await
        .assert_redirect(&page);
    let rows: Vec<(i32, String)> =
        sqlx::query_as("select followers, source from page_snapshots order by week")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [(990, "upload".to_owned()), (1000, "upload".to_owned())]
    );
    // The same file again: nothing to change.
    let again = upload(&mut admin, &good).await;
    admin
        .get(&again)
        .await
        .assert_contains("<dd>0</dd>")
        .assert_contains("<dd>2</dd>");
    // The card shows them.
    let mut editor = TestApp::new(db.clone());
    editor.login(&a.editor).await;
    editor
        .get(&format!("/r/region-a/pages/{}/card", a.child_page))
        .await
        .assert_contains("Подписчиков было 990");
}

#[sqlx::test]
async fn a_mark_set_by_the_pages_import_enters_the_history(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    let ogrn: String = sqlx::query_scalar("select ogrn from organizations where id = $1")
        .bind(a.child)
        .fetch_one(&db)
        .await
        .unwrap();
    admin.get("/r/region-a/imports").await;
    let file = format!(
        "ОГРН организации;Площадка;Адрес страницы;Госметка;Подключено к «Госпабликам»\n{ogrn};ВКонтакте;https://vk.com/school1;да;да\n"
    );
    let res = admin
        .post_file_with(
            "/r/region-a/imports",
            &[("kind", "pages")],
            "file",
            "pages.csv",
            file.as_bytes(),
        )
        .await;
    let page = res.location().unwrap().to_owned();
    admin
        .post_form(&format!("{page}/commit"), &[])
        .await
        .assert_redirect(&page);
    let history: Vec<(String, String)> =
        sqlx::query_as("select from_status, status from page_mark_events where page_id = $1")
            .bind(a.child_page)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(history, [("none".to_owned(), "granted".to_owned())]);
    let since: Option<chrono::NaiveDate> =
        sqlx::query_scalar("select mark_since from pages where id = $1")
            .bind(a.child_page)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(since.is_some());
}
