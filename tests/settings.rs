mod common;

use axum::http::StatusCode;
use common::{TestApp, two_regions};
use sqlx::PgPool;

fn valid_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("platform_vk", "required"),
        ("platform_ok", "required"),
        ("platform_telegram", "required"),
        ("platform_max", "optional"),
        ("platform_other", "unused"),
        ("active_posts", "5"),
        ("active_days", "7"),
        ("dormant_days", "30"),
        ("first_response_hours", "8"),
        ("urgent_first_response_hours", "2"),
        ("final_answer_days", "10"),
        ("day_1", "on"),
        ("day_2", "on"),
        ("day_3", "on"),
        ("day_4", "on"),
        ("day_5", "on"),
        ("work_start", "08:30"),
        ("work_end", "17:30"),
        ("holidays", "01.01.2027\n2027-01-07"),
        ("working_saturdays", ""),
        ("weight_connected", "10"),
        ("weight_mark", "10"),
        ("weight_setup", "20"),
        ("weight_widgets", "10"),
        ("weight_activity", "30"),
        ("weight_reach", "10"),
        ("weight_post_reach", "5"),
        ("green_from", "85"),
        ("red_below", "45"),
        ("high_first_response_hours", "6"),
        ("urgent_final_answer_days", "5"),
        ("at_risk_percent", "75"),
        ("transfer_clock", "keep"),
        ("contact_retention_days", "180"),
        ("question_categories", "ЖКХ\nДороги\n Школы и детские сады "),
        (
            "category_keywords",
            "Дороги: дорог, ям\nшколы и детские сады: школ, детский сад",
        ),
        ("mark_stuck_days", "45"),
        ("quota_flagship", "10"),
        ("quota_active", "3"),
        ("quota_card", "1"),
        ("ranking_min_questions", "5"),
    ]
}

#[sqlx::test]
async fn a_region_starts_with_the_default_rules_and_its_admin_changes_them(db: PgPool) {
    let (a, b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    let page = admin.get("/r/region-a/settings").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("value=\"09:00\"")
        .assert_contains("value=\"3\"");
    admin
        .post_form("/r/region-a/settings", &valid_form())
        .await
        .assert_redirect("/r/region-a/settings");
    let (required, posts, start, holidays): (Vec<String>, i32, String, i64) = sqlx::query_as(
        "select required_platforms, active_posts, to_char(work_start, 'HH24:MI'), cardinality(holidays)::bigint from region_settings where region_id = $1",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (required, posts, start.as_str(), holidays),
        (
            vec!["vk".to_owned(), "ok".into(), "telegram".into()],
            5,
            "08:30",
            2
        )
    );
    admin
        .get("/r/region-a/settings")
        .await
        .assert_contains("01.01.2027")
        .assert_contains("07.01.2027");
    let other: i32 =
        sqlx::query_scalar("select active_posts from region_settings where region_id = $1")
            .bind(b.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(other, 3, "another region's rules are untouched");
    let (keeps, categories): (bool, Vec<String>) = sqlx::query_as(
        "select transfer_keeps_clock, question_categories from region_settings where region_id = $1",
    )
    .bind(a.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(keeps);
    assert_eq!(categories, ["ЖКХ", "Дороги", "Школы и детские сады"]);
    let keywords: String =
        sqlx::query_scalar("select category_keywords from region_settings where region_id = $1")
            .bind(a.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        keywords,
        "Дороги: дорог, ям\nшколы и детские сады: школ, детский сад"
    );
    let audit: serde_json::Value =
        sqlx::query_scalar("select details from audit_log where object_type = 'settings'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(audit["before"]["active_posts"], 3);
    assert_eq!(audit["after"]["active_posts"], 5);
}

#[sqlx::test]
async fn wrong_rules_come_back_with_a_message_per_field(db: PgPool) {
    let (a, _b) = two_regions(&db).await;
    let mut admin = TestApp::new(db.clone());
    admin.login(&a.admin).await;
    admin.get("/r/region-a/settings").await;
    let mut form = valid_form();
    for (k, v) in form.iter_mut() {
        *v = match *k {
            "active_posts" => "много",
            "work_end" => "07:00",
            "holidays" => "31.02.2027",
            "red_below" => "90",
            "platform_vk" | "platform_ok" | "platform_telegram" => "optional",
            "category_keywords" => "Спорт: стадион",
            _ => v,
        };
    }
    let res = admin.post_form("/r/region-a/settings", &form).await;
    res.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Введите целое число от 1 до 100.")
        .assert_contains("Конец рабочего дня должен быть позже начала.")
        .assert_contains("Не удалось прочитать дату «31.02.2027».")
        .assert_contains("Порог «красного» не может быть выше порога «зелёного».")
        .assert_contains("Хотя бы одна площадка должна быть обязательной.")
        .assert_contains("Категории «Спорт» нет в списке категорий выше.")
        .assert_contains("Спорт: стадион</textarea>")
        .assert_contains("value=\"много\"");
    let posts: i32 =
        sqlx::query_scalar("select active_posts from region_settings where region_id = $1")
            .bind(a.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(posts, 3);
}
