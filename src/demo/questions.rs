//! Demo questions: a few hundred over the last two months on the region's pages, in every
//! state, some overdue, with their timelines; the demo school gets a morning's worth of its
//! own. Seeded once: a second run finds them and adds nothing.
//!
//! Its SQL stays here, not in a store: it writes questions with made-up pasts (timelines,
//! clocks) that no screen writes.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::chance;
use crate::ids::{OrgId, PageId, QuestionId, RegionId, UserId};
use crate::questions::clock::{Priority, Rules};
use crate::questions::db::{self, Event, NewQuestion};

/// (category, question, answer)
const TOPICS: [(&str, &str, &str); 12] = [
    (
        "ЖКХ",
        "Третью неделю нет горячей воды в доме по ул. Ленина, 12. Когда дадут?",
        "Работы на теплотрассе завершатся до конца недели, подача горячей воды будет восстановлена.",
    ),
    (
        "ЖКХ",
        "Управляющая компания не отвечает на заявки о протечке крыши.",
        "Заявка передана в управляющую компанию, крыша будет отремонтирована в течение 10 дней.",
    ),
    (
        "Благоустройство",
        "Во дворе дома на ул. Мира не вывозят мусор, контейнеры переполнены.",
        "Региональный оператор изменил график вывоза, контейнеры освобождаются ежедневно.",
    ),
    (
        "Благоустройство",
        "Когда установят детскую площадку, обещанную в прошлом году?",
        "Площадка включена в программу благоустройства, установка запланирована на июнь.",
    ),
    (
        "Дороги",
        "На перекрёстке у школы огромная яма, машины объезжают по тротуару.",
        "Яма будет заделана в рамках ямочного ремонта на этой неделе.",
    ),
    (
        "Дороги",
        "Не работает светофор на пересечении проспекта Ленина и ул. Молодёжной.",
        "Светофор отремонтирован, работа восстановлена.",
    ),
    (
        "Здравоохранение",
        "Невозможно записаться к терапевту через Госуслуги, нет талонов.",
        "Талоны открываются ежедневно в 8:00, дополнительно открыта запись по телефону регистратуры.",
    ),
    (
        "Здравоохранение",
        "Когда начнёт работать новый ФАП в селе?",
        "Фельдшерско-акушерский пункт откроется после получения лицензии, ориентировочно в марте.",
    ),
    (
        "Образование",
        "Почему в школе отменили второй автобус для подвоза детей?",
        "Второй автобус на ремонте, с понедельника подвоз будет восстановлен по прежнему графику.",
    ),
    (
        "Образование",
        "Как записать ребёнка в первый класс, если мы не живём на закреплённой территории?",
        "Приём заявлений на свободные места начинается с 6 июля, подать заявление можно на Госуслугах.",
    ),
    (
        "Социальная защита",
        "Не пришла выплата на ребёнка за прошлый месяц.",
        "Выплата перечислена, задержка была связана с обновлением реквизитов.",
    ),
    (
        "Транспорт",
        "Автобус № 25 не ходит по расписанию, люди ждут по часу.",
        "Перевозчику выдано предписание, выпуск автобусов на линию усилен.",
    ),
];

const NAMES: [&str; 8] = [
    "Ольга Смирнова",
    "Иван Кузнецов",
    "Татьяна Попова",
    "Алексей Васильев",
    "Наталья Петрова",
    "Дмитрий Соколов",
    "Елена Михайлова",
    "Николай Фёдоров",
];

/// How a demo question ends up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Fresh,
    Working,
    Waiting,
    Answered,
    Closed,
    Rejected,
    Duplicate,
    Transferred,
    Reopened,
}

fn fate(n: u32) -> Fate {
    match (n.wrapping_mul(2_654_435_761) >> 9) % 100 {
        0..=14 => Fate::Fresh,
        15..=29 => Fate::Working,
        30..=32 => Fate::Waiting,
        33..=47 => Fate::Answered,
        48..=81 => Fate::Closed,
        82..=86 => Fate::Rejected,
        87..=89 => Fate::Duplicate,
        90..=95 => Fate::Transferred,
        _ => Fate::Reopened,
    }
}

struct Target {
    org: OrgId,
    page: PageId,
}

pub async fn seed(
    db: &mut PgConnection,
    region: RegionId,
    time_zone: &str,
    school: OrgId,
    editor: UserId,
) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar(
        "select count(*) from questions where region_id = $1 and external_id like 'demo-%'",
    )
    .bind(region)
    .fetch_one(&mut *db)
    .await?;
    if existing > 0 {
        return Ok(());
    }
    let settings = crate::settings::db::get(db, region).await?;
    let rules = Rules::from_settings(time_zone, &settings);
    templates(db, region).await?;
    let targets: Vec<Target> = sqlx::query_as::<_, (OrgId, PageId)>(
        r#"select distinct on (p.organization_id) p.organization_id, p.id from pages p
           where p.region_id = $1 and p.platform = 'vk' order by p.organization_id, p.id"#,
    )
    .bind(region)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(org, page)| Target { org, page })
    .collect();
    let school_page: Option<PageId> = sqlx::query_scalar(
        "select id from pages where region_id = $1 and organization_id = $2 order by id limit 1",
    )
    .bind(region)
    .bind(school)
    .fetch_optional(&mut *db)
    .await?;
    let now = Utc::now();
    let mut first: Option<QuestionId> = None;
    for n in 0..400u32 {
        let (target, own) = match school_page {
            // Every tenth question is the demo school's.
            Some(page) if n % 10 == 0 => (Target { org: school, page }, true),
            _ => {
                let t = &targets[(n as usize * 7919) % targets.len()];
                (
                    Target {
                        org: t.org,
                        page: t.page,
                    },
                    false,
                )
            }
        };
        let fate = fate(n);
        let (new, topic) = arrival(n, &target, fate, now);
        let (priority, received) = (new.priority, new.received_at);
        let clocks = rules.start(priority, received);
        let id = db::insert(db, region, &new, &clocks).await?;
        db::add_event(
            db,
            region,
            id,
            None,
            Event {
                to_status: Some("new"),
                ..Event::new("received")
            },
        )
        .await?;
        let first_id = *first.get_or_insert(id);
        let actor = own.then_some(editor);
        // Most answers come in time; every fifth takes longer than allowed.
        let late = chance(n, 43, 20);
        let allowed = rules.elapsed(received, clocks.first_response_due).max(60);
        let response_at = rules.calendar.add_working_minutes(
            received,
            if late {
                allowed + 120
            } else {
                allowed * i64::from(20 + n % 60) / 100
            },
        );
        let response_at = response_at.min(now - Duration::minutes(5)).max(received);
        play(
            db,
            region,
            id,
            first_id,
            fate,
            actor,
            response_at,
            topic.2,
            &rules,
            priority,
            now,
            &targets,
            (n, rules.elapsed(received, response_at)),
        )
        .await?;
    }
    Ok(())
}

/// What happened to a demo question after it arrived: the columns to set and its timeline.
#[derive(Default)]
struct Story {
    set: String,
    /// (kind, status it moved to, text, shown to the resident).
    events: Vec<(&'static str, Option<&'static str>, Option<String>, bool)>,
}

impl Story {
    fn event(
        &mut self,
        kind: &'static str,
        to: Option<&'static str>,
        body: Option<&str>,
        public: bool,
    ) {
        self.events
            .push((kind, to, body.map(str::to_owned), public));
    }
}

/// The story of a fate, answered or closed at `at`; `waited` the working minutes to it.
fn story(
    fate: Fate,
    id: QuestionId,
    first: QuestionId,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    answer: &str,
    waited: i64,
) -> Story {
    let mut s = Story::default();
    match fate {
        Fate::Fresh | Fate::Transferred => {}
        Fate::Working => {
            s.set = "status = 'in_progress'".into();
            s.event(
                "note",
                None,
                Some("Запросили информацию у ответственного отдела."),
                false,
            );
        }
        Fate::Waiting => {
            s.set = format!("status = 'in_progress', paused_at = '{}'", at.to_rfc3339());
            s.event(
                "paused",
                Some("in_progress"),
                Some("Уточните, пожалуйста, адрес."),
                true,
            );
        }
        Fate::Answered | Fate::Closed | Fate::Reopened => {
            s.set = format!(
                "status = 'answered', answer = $3, answered_at = '{0}', first_response_at = '{0}', answered_by = $4, \
                 first_response_minutes = {1}, answer_minutes = {1}",
                at.to_rfc3339(),
                waited
            );
            s.event("answered", Some("answered"), Some(answer), true);
            if matches!(fate, Fate::Closed | Fate::Reopened) {
                s.set = s.set.replace("status = 'answered'", "status = 'closed'")
                    + &format!(
                        ", closed_at = '{}'",
                        (at + Duration::days(3)).min(now).to_rfc3339()
                    );
                s.event("closed", Some("closed"), None, false);
            }
        }
        Fate::Rejected => {
            s.set = format!(
                "status = 'rejected', resolution_reason = 'off_topic', closed_at = '{}'",
                at.to_rfc3339()
            );
            s.event(
                "rejected",
                Some("rejected"),
                Some("Вопрос не относится к деятельности организации."),
                false,
            );
        }
        Fate::Duplicate if id != first => {
            s.set = format!(
                "status = 'duplicate', duplicate_of = {first}, closed_at = '{}'",
                at.to_rfc3339()
            );
            s.event("duplicate", Some("duplicate"), None, false);
        }
        Fate::Duplicate => {}
    }
    if fate == Fate::Transferred {
        s.event(
            "transferred",
            Some("new"),
            Some("Вопрос относится к другой организации."),
            false,
        );
    }
    s
}

/// The question number `n` as it arrived, on a target page, and the topic it is about.
fn arrival(
    n: u32,
    target: &Target,
    fate: Fate,
    now: DateTime<Utc>,
) -> (NewQuestion, (&'static str, &'static str, &'static str)) {
    let topic = TOPICS[(n as usize * 5 + 3) % TOPICS.len()];
    let priority = if chance(n, 31, 8) {
        Priority::Urgent
    } else if chance(n, 37, 15) {
        Priority::High
    } else {
        Priority::Normal
    };
    // Open questions are recent, some of them past their deadline; finished ones spread
    // over two months.
    let age_hours = match fate {
        Fate::Fresh | Fate::Working | Fate::Waiting => i64::from((n * 13) % 120),
        _ => i64::from(24 + (n * 37) % (24 * 60)),
    };
    let received = now - Duration::hours(age_hours) - Duration::minutes(i64::from(n % 60));
    let channel = if chance(n, 41, 30) {
        "message"
    } else {
        "comment"
    };
    let new = NewQuestion {
        organization_id: target.org,
        page_id: Some(target.page),
        channel: channel.into(),
        external_id: Some(format!("demo-{n}")),
        author_name: Some(NAMES[n as usize % NAMES.len()].to_owned()),
        author_contact: Some(format!(
            "+7 913 {:03}-{:02}-{:02}",
            100 + n % 900,
            n % 97,
            n % 89
        )),
        body: topic.1.to_owned(),
        attachments: Vec::new(),
        category: topic.0.to_owned(),
        priority,
        received_at: received,
    };
    (new, topic)
}

/// Plays a question's fate: its columns, its timeline and, for some, a transfer or a
/// repeat complaint.
#[allow(clippy::too_many_arguments)]
async fn play(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
    first: QuestionId,
    fate: Fate,
    actor: Option<UserId>,
    at: DateTime<Utc>,
    answer: &str,
    rules: &Rules,
    priority: Priority,
    now: DateTime<Utc>,
    targets: &[Target],
    (n, waited): (u32, i64),
) -> anyhow::Result<()> {
    if fate == Fate::Transferred {
        let to = &targets[(n as usize * 104_729 + 11) % targets.len()];
        transfer(db, region, id, to.org, &rules.start(priority, at)).await?;
    }
    let story = story(fate, id, first, at, now, answer, waited);
    if !story.set.is_empty() {
        let sql = format!(
            "update questions set {} where region_id = $1 and id = $2",
            story.set
        );
        let mut q = sqlx::query(&sql).bind(region).bind(id);
        if story.set.contains("$3") {
            q = q.bind(answer).bind(actor);
        }
        q.execute(&mut *db).await?;
    }
    for (kind, to, body, public) in story.events {
        sqlx::query(
            "insert into question_events (region_id, question_id, at, actor_id, kind, to_status, public, body) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(region)
        .bind(id)
        .bind(at)
        .bind(actor)
        .bind(kind)
        .bind(to)
        .bind(public)
        .bind(body)
        .execute(&mut *db)
        .await?;
    }
    if fate == Fate::Reopened {
        let clocks = rules.start(priority, now - Duration::hours(i64::from(n % 30)));
        reopen(db, region, id, &clocks).await?;
    }
    Ok(())
}

async fn transfer(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
    to: OrgId,
    clocks: &crate::questions::clock::Clocks,
) -> anyhow::Result<()> {
    sqlx::query(
        r#"update questions set previous_organization_ids = array[organization_id], organization_id = $3,
                  transfer_count = 1, first_response_due = $4, first_response_risk = $5, final_due = $6, final_risk = $7
           where region_id = $1 and id = $2 and organization_id <> $3"#,
    )
    .bind(region)
    .bind(id)
    .bind(to)
    .bind(clocks.first_response_due)
    .bind(clocks.first_response_risk)
    .bind(clocks.final_due)
    .bind(clocks.final_risk)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A repeat complaint: the answer is cleared and both clocks start again.
async fn reopen(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
    clocks: &crate::questions::clock::Clocks,
) -> anyhow::Result<()> {
    db::set_clocks(db, region, id, clocks).await?;
    sqlx::query(
        r#"update questions set status = 'in_progress', reopen_count = 1, answer = null, answered_at = null,
                  answered_by = null, first_response_at = null, closed_at = null, first_response_minutes = null,
                  answer_minutes = null where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(id)
    .execute(&mut *db)
    .await?;
    db::add_event(
        db,
        region,
        id,
        None,
        Event {
            to_status: Some("in_progress"),
            body: Some("Проблема повторилась."),
            details: json!({}),
            ..Event::new("reopened")
        },
    )
    .await?;
    Ok(())
}

async fn templates(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    for (title, body) in [
        (
            "Благодарность за обращение",
            "Здравствуйте! Благодарим за обращение. Ваш вопрос передан ответственному специалисту, ответ будет дан в установленный срок.",
        ),
        (
            "Запрос уточнений",
            "Здравствуйте! Для подготовки ответа, пожалуйста, уточните адрес и удобный способ связи.",
        ),
        (
            "Передача по компетенции",
            "Здравствуйте! Вопрос относится к компетенции другой организации, мы передали его туда. Ответ поступит от неё.",
        ),
    ] {
        sqlx::query(
            "insert into answer_templates (region_id, title, body) values ($1, $2, $3) on conflict do nothing",
        )
        .bind(region)
        .bind(title)
        .bind(body)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}
