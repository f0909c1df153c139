//! A national-size installation for benchmarks: the demo region plus the other 88 subjects
//! of the federation, with organizations, pages, a year of weekly figures, marks with their
//! history and citizen questions. Every value is a hash of the seed and a row number, so the
//! same seed gives the same data; rows are made by set-based `INSERT … SELECT` on the server
//! and the secondary indexes of the two big tables are rebuilt once at the end.
//!
//! Its SQL stays here, not in a store: set-based generation on the server is the point of it.

use std::time::Instant;

use anyhow::{Context, bail};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

use super::scale_regions::REGIONS;
use crate::ids::RegionId;

#[derive(Clone, Debug)]
pub struct Targets {
    pub seed: u32,
    /// Regions in all, the demo region included.
    pub regions: usize,
    pub organizations: u32,
    pub pages: u32,
    pub questions: u32,
    /// Days back the closed questions reach.
    pub question_days: u32,
    pub weeks: u32,
}

/// Region `rank` (1 = largest) gets a share of the country proportional to this: the
/// largest holds about two and a half times the smallest.
fn weight(rank: usize) -> f64 {
    0.5 + 1.0 / (rank as f64).sqrt()
}

/// Splits `total` over the regions by weight; the rounding remainder goes to the largest.
fn split(total: u32, regions: usize) -> Vec<u32> {
    let weights: Vec<f64> = (1..=regions).map(weight).collect();
    let sum: f64 = weights.iter().sum();
    let mut parts: Vec<u32> = weights
        .iter()
        .map(|w| (f64::from(total) * w / sum).floor() as u32)
        .collect();
    let given: u32 = parts.iter().sum();
    if let Some(first) = parts.first_mut() {
        *first += total - given;
    }
    parts
}

/// What the demo region already holds, so the country's totals are met including it.
async fn demo_counts(db: &mut PgConnection) -> anyhow::Result<(u32, u32, u32)> {
    let (orgs, pages, questions): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from organizations), (select count(*) from pages), (select count(*) from questions)",
    )
    .fetch_one(db)
    .await?;
    Ok((orgs as u32, pages as u32, questions as u32))
}

pub async fn seed(pool: &PgPool, database_url: &str, t: &Targets) -> anyhow::Result<()> {
    let extra = t.regions.saturating_sub(1);
    if extra > REGIONS.len() {
        bail!("at most {} regions", REGIONS.len() + 1);
    }
    super::seed(pool).await?;
    // Loading statements take seconds by design; they are not slow queries to warn about.
    let options: sqlx::postgres::PgConnectOptions = database_url.parse()?;
    let options = options.disable_statement_logging();
    let mut db = PgConnection::connect_with(&options)
        .await
        .context("connecting for seed-scale")?;
    if extra == 0 {
        return Ok(());
    }
    let exists: bool = sqlx::query_scalar("select exists (select 1 from regions where slug = $1)")
        .bind(REGIONS[0].0)
        .fetch_one(&mut db)
        .await?;
    if exists {
        bail!("this database already holds the national data set; seed a fresh one");
    }
    let (demo_orgs, demo_pages, demo_questions) = demo_counts(&mut db).await?;
    let orgs = split(t.organizations.saturating_sub(demo_orgs), extra);
    let questions = split(t.questions.saturating_sub(demo_questions), extra);
    let pages_per_org =
        f64::from(t.pages.saturating_sub(demo_pages)) / f64::from(orgs.iter().sum::<u32>().max(1));

    let started = Instant::now();
    let step = |what: &str, since: Instant| {
        tracing::info!(
            step = what,
            seconds = since.elapsed().as_secs_f32(),
            "seed-scale"
        );
    };
    for s in SESSION {
        sqlx::query(s).execute(&mut db).await?;
    }
    sqlx::query(&helpers(t.seed)).execute(&mut db).await?;

    let mut tx = db.begin().await?;
    let mut ids: Vec<RegionId> = Vec::with_capacity(extra);
    for (slug, name, tz) in &REGIONS[..extra] {
        ids.push(crate::regions::db::insert(&mut tx, slug, name, tz).await?);
    }
    sqlx::query(
        r#"create temporary table scale_regions on commit drop as
           select * from unnest($1::bigint[], $2::int[], $3::int[]) with ordinality
               as r(region_id, orgs, questions, rank)"#,
    )
    .bind(&ids)
    .bind(orgs.iter().map(|&n| n as i32).collect::<Vec<_>>())
    .bind(questions.iter().map(|&n| n as i32).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    // The summaries are counted once after the load, from committed and analyzed rows,
    // instead of after each statement of it, which would read rows without their indexes.
    summary_triggers(&mut tx, false).await?;
    let mut since = Instant::now();
    for (what, sql) in STRUCTURE {
        sqlx::raw_sql(&sql.replace("{pages_per_org}", &format!("{pages_per_org:.4}")))
            .execute(&mut *tx)
            .await
            .with_context(|| format!("seed-scale: {what}"))?;
        step(what, since);
        since = Instant::now();
    }
    sqlx::query(super::contacts::CONTACTS)
        .bind(None::<i64>)
        .execute(&mut *tx)
        .await
        .context("seed-scale: contacts")?;
    step("contacts", since);
    since = Instant::now();
    let weeks = t.weeks as i32;
    let dropped = drop_indexes(&mut tx, &["page_snapshots", "questions"]).await?;
    sqlx::query(SNAPSHOTS)
        .bind(weeks)
        .execute(&mut *tx)
        .await
        .context("seed-scale: weekly figures")?;
    step("weekly figures", since);
    since = Instant::now();
    sqlx::raw_sql(QUESTION_ORGS).execute(&mut *tx).await?;
    for id in &ids {
        sqlx::query(QUESTIONS)
            .bind(id)
            .bind(t.question_days.max(11) as i32)
            .execute(&mut *tx)
            .await
            .context("seed-scale: questions")?;
    }
    step("questions", since);
    since = Instant::now();
    for def in &dropped {
        sqlx::query(def).execute(&mut *tx).await?;
    }
    summary_triggers(&mut tx, true).await?;
    step("indexes", since);
    since = Instant::now();
    let largest = ids[0];
    accounts(&mut tx, largest).await?;
    tx.commit().await?;
    // Index-only scans need the visibility map the vacuum writes.
    sqlx::query("vacuum analyze").execute(&mut db).await?;
    step("analyze", since);
    // The weekly and daily summaries are counted once, from committed and analyzed rows:
    // inside the loading transaction the same recount ran for tens of minutes.
    since = Instant::now();
    let mut tx = db.begin().await?;
    sqlx::query(WEEKS).execute(&mut *tx).await?;
    sqlx::query(QUESTION_DAYS)
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    sqlx::query(ANSWER_DAYS).execute(&mut *tx).await?;
    sqlx::query("select page_months_recompute_all()")
        .execute(&mut *tx)
        .await?;
    sqlx::query("select page_flags_recompute(array(select id from pages))")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sqlx::query(
        "vacuum analyze question_weeks, question_days, question_due_days, question_waiting_days, answer_days, answer_months, page_months, page_flags",
    )
    .execute(&mut db)
    .await?;
    step("summaries", since);
    let (orgs, pages, snapshots, questions): (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from organizations), (select count(*) from pages), (select count(*) from page_snapshots), (select count(*) from questions)",
    )
    .fetch_one(&mut db)
    .await?;
    println!(
        "{} regions, {orgs} organizations, {pages} pages, {snapshots} weekly figures, {questions} questions in {:.0} s; largest region: {}",
        t.regions,
        started.elapsed().as_secs_f64(),
        REGIONS[0].0
    );
    Ok(())
}

const SESSION: [&str; 3] = [
    "set maintenance_work_mem = '1GB'",
    "set work_mem = '256MB'",
    "set synchronous_commit = off",
];

/// `u(key, salt)`: a number in [0, 1) fixed by the seed, the key and the salt.
fn helpers(seed: u32) -> String {
    format!(
        r#"create function pg_temp.u(k bigint, salt int) returns float8 language sql immutable as $f$
               select (hashint8extended(k, {seed}::bigint * 1000 + salt) & 2147483647)::float8 / 2147483648.0
           $f$"#
    )
}

/// Drops the secondary indexes of `tables` (those not backing a constraint) and returns the
/// statements that build them again: one build after the load is far cheaper than millions
/// of index insertions.
async fn drop_indexes(db: &mut PgConnection, tables: &[&str]) -> anyhow::Result<Vec<String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        r#"select i.indexname, i.indexdef from pg_indexes i
           where i.schemaname = 'public' and i.tablename = any($1)
             and not exists (select 1 from pg_constraint c where c.conname = i.indexname)"#,
    )
    .bind(tables)
    .fetch_all(&mut *db)
    .await?;
    for (name, _) in &rows {
        sqlx::query(&format!("drop index {name}"))
            .execute(&mut *db)
            .await?;
    }
    Ok(rows.into_iter().map(|(_, def)| def).collect())
}

/// The demo coordinators also coordinate the largest region (the whole of it, and its first
/// municipality), so the benchmarks sign in with the demo accounts.
async fn accounts(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    let user = |email: &'static str| {
        sqlx::query_scalar::<_, crate::ids::UserId>("select id from users where email = $1")
            .bind(email)
    };
    let coordinator = user(super::COORDINATOR.email).fetch_one(&mut *db).await?;
    crate::invitations::db::add_membership(db, region, coordinator, "coordinator", None, None)
        .await?;
    let municipal = user(super::MUNICIPAL.email).fetch_one(&mut *db).await?;
    let first: crate::ids::MunicipalityId =
        sqlx::query_scalar("select min(id) from municipalities where region_id = $1")
            .bind(region)
            .fetch_one(&mut *db)
            .await?;
    crate::invitations::db::add_membership(db, region, municipal, "coordinator", Some(first), None)
        .await?;
    Ok(())
}

/// The triggers that keep summaries, which the load turns off and counts after it.
const SUMMARY_TRIGGERS: [(&str, &str); 10] = [
    ("questions", "questions_weeks_insert"),
    ("questions", "questions_answer_days_insert"),
    // Recounted day by day through the index of their time, which the load drops: each day
    // would read the whole table.
    ("questions", "questions_days_insert"),
    ("questions", "questions_deadline_days_insert"),
    ("pages", "pages_page_months_insert"),
    ("pages", "pages_page_flags_insert"),
    ("page_latest", "page_latest_page_flags_insert"),
    ("page_latest", "page_latest_page_flags_update"),
    ("region_settings", "region_settings_page_flags_update"),
    ("page_mark_events", "page_mark_events_page_months_insert"),
];

async fn summary_triggers(tx: &mut PgConnection, enabled: bool) -> Result<(), sqlx::Error> {
    let what = if enabled { "enable" } else { "disable" };
    for (table, trigger) in SUMMARY_TRIGGERS {
        sqlx::raw_sql(&format!("alter table {table} {what} trigger {trigger}"))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Municipalities, organizations with their sector, pages with their mark and setup, and the
/// mark history, in this order.
const STRUCTURE: [(&str, &str); 5] = [
    (
        "municipalities",
        r#"insert into municipalities (region_id, name, kind)
           select r.region_id,
                  case when g <= greatest(1, r.orgs / 240) then 'Городской округ № ' || g
                       else 'Муниципальный округ № ' || g end,
                  case when g <= greatest(1, r.orgs / 240) then 'city_okrug' else 'municipal_okrug' end
           from scale_regions r cross join generate_series(1, greatest(5, r.orgs / 30)) g
           order by r.region_id, g"#,
    ),
    (
        "organizations",
        r#"create temporary table scale_munis on commit drop as
               select region_id, id, row_number() over (partition by region_id order by id) as rn,
                      count(*) over (partition by region_id) as n
               from municipalities where region_id in (select region_id from scale_regions);
           create temporary table scale_kinds (k int primary key, level text, sector text, pattern text) on commit drop;
           insert into scale_kinds values
               (0, 'regional_body', 'Государственное и муниципальное управление', 'Министерство по направлению № %s'),
               (1, 'local_government', 'Государственное и муниципальное управление', 'Администрация поселения № %s'),
               (2, 'municipal_institution', 'Образование', 'МБОУ «Средняя общеобразовательная школа № %s»'),
               (3, 'municipal_institution', 'Образование', 'МБДОУ «Детский сад № %s»'),
               (4, 'state_institution', 'Здравоохранение', 'ГБУЗ «Городская поликлиника № %s»'),
               (5, 'municipal_institution', 'Культура', 'МБУК «Дом культуры № %s»'),
               (6, 'state_institution', 'Социальная защита', 'ГБУ «Комплексный центр социального обслуживания № %s»'),
               (7, 'municipal_institution', 'Физическая культура и спорт', 'МБУ ДО «Спортивная школа № %s»');
           insert into organizations (region_id, name, inn, ogrn, level, municipality_id, exempt, exemption_basis,
                                      archived_at, created_at)
           select r.region_id, format(k.pattern, g), b.inn9 || c.inn_check, b.ogrn12 || (b.ogrn12::bigint % 11 % 10),
                  k.level, case when k.level <> 'regional_body' then m.id end,
                  x.exempt, case when x.exempt then 'Не обязана вести страницу (ч. 1 ст. 10 Федерального закона № 8-ФЗ)' end,
                  case when pg_temp.u(key, 4) < 0.01 then now() - interval '60 days' end,
                  now() - interval '4 years'
           from scale_regions r cross join generate_series(1, r.orgs) g
           cross join lateral (select r.region_id * 10000000 + g as key) kk
           cross join lateral (select case when pg_temp.u(key, 1) < 0.03 then 0
                                           when pg_temp.u(key, 1) < 0.13 then 1
                                           else 2 + floor(pg_temp.u(key, 2) * 6)::int end as kind) kd
           join scale_kinds k on k.k = kd.kind
           join scale_munis m on m.region_id = r.region_id and m.rn = 1 + floor(pg_temp.u(key, 3) * m.n)::int
           cross join lateral (select pg_temp.u(key, 5) < 0.02 as exempt) x
           cross join lateral (select lpad((r.rank + 10)::text, 2, '0') || lpad(g::text, 7, '0') as inn9,
                                      '102' || lpad((r.rank + 10)::text, 2, '0') || lpad(g::text, 7, '0') as ogrn12) b
           cross join lateral (select (select sum(substr(b.inn9, i, 1)::int * (array[2,4,10,3,5,9,4,6,8])[i])
                                       from generate_series(1, 9) i) % 11 % 10 as inn_check) c
           order by r.region_id, g;
           -- The kind again from the same hash: organizations were numbered in insertion order.
           insert into organization_sectors (region_id, organization_id, sector_id, slot)
           select o.region_id, o.id, s.id, 1
           from (select region_id, id, region_id * 10000000 + row_number() over (partition by region_id order by id) as key
                 from organizations where region_id in (select region_id from scale_regions)) o
           cross join lateral (select case when pg_temp.u(o.key, 1) < 0.03 then 0
                                           when pg_temp.u(o.key, 1) < 0.13 then 1
                                           else 2 + floor(pg_temp.u(o.key, 2) * 6)::int end as kind) kd
           join scale_kinds k on k.k = kd.kind
           join sectors s on s.region_id = o.region_id and s.name = k.sector"#,
    ),
    (
        "pages",
        r#"insert into pages (region_id, organization_id, platform, url_key, url, title, created_at, category,
                              mark_status, mark_since, connected, has_avatar, has_cover, has_description,
                              has_contacts, widgets, comments_open, checklist)
           select o.region_id, o.id, pl.platform, pl.host || '/gp' || o.id, 'https://' || pl.host || '/gp' || o.id,
                  o.name, c.created_at,
                  case when o.level = 'regional_body' then 'flagship' when pg_temp.u(key, 12) < 0.7 then 'active' else 'card' end,
                  mk.status, case when mk.status <> 'none' then least(current_date, c.created_at::date + 20 + floor(pg_temp.u(key, 14) * 300)::int) end,
                  pg_temp.u(key, 15) < 0.6, pg_temp.u(key, 16) < 0.9, pg_temp.u(key, 17) < 0.7,
                  pg_temp.u(key, 18) < 0.8, pg_temp.u(key, 19) < 0.6,
                  floor(pg_temp.u(key, 20) * 3)::smallint, pg_temp.u(key, 21) < 0.8,
                  case when mk.status = 'granted' then '{gosuslugi_account,organization_confirmed,page_linked,request_sent,mark_visible}'::text[]
                       else '{}'::text[] end
           from organizations o
           cross join lateral (select case when pg_temp.u(o.id, 10) < 0.14 then 0
                                           else least(4, 1 + floor(pg_temp.u(o.id, 11) * (2 * ({pages_per_org} / 0.86 - 1) + 1))::int) end as n) pn
           cross join lateral generate_series(1, pn.n) slot
           cross join lateral (select (array['vk', 'ok', 'telegram', 'max'])[slot] as platform,
                                      (array['vk.com', 'ok.ru', 't.me', 'max.ru'])[slot] as host,
                                      o.id * 10 + slot as key) pl
           cross join lateral (select now() - make_interval(days => floor(1460 * power(pg_temp.u(key, 13), 1.5))::int) as created_at) c
           cross join lateral (select case when pg_temp.u(key, 22) < 0.55 then 'granted'
                                           when pg_temp.u(key, 22) < 0.65 then 'requested'
                                           when pg_temp.u(key, 22) < 0.70 then 'rejected'
                                           when pg_temp.u(key, 22) < 0.72 then 'revoked'
                                           else 'none' end as status) mk
           where o.region_id in (select region_id from scale_regions)
           order by o.id, slot"#,
    ),
    (
        "mark history",
        r#"insert into page_mark_events (region_id, page_id, from_status, status, happened_on, note)
           select p.region_id, p.id, e.from_status, e.status, e.happened_on, 'Загружено из реестра'
           from pages p
           cross join lateral (values
               ('none', case when p.mark_status = 'revoked' then 'granted' else 'requested' end,
                case when p.mark_status = 'requested' then p.mark_since else greatest(p.created_at::date, p.mark_since - 40) end, 1),
               (case when p.mark_status = 'revoked' then 'granted' else 'requested' end, p.mark_status, p.mark_since, 2)
           ) e(from_status, status, happened_on, n)
           where p.region_id in (select region_id from scale_regions) and p.mark_status <> 'none'
             and not (p.mark_status = 'requested' and e.n = 2)
           order by p.id, e.n"#,
    ),
    (
        "settings",
        r#"update region_settings s set required_platforms = case when r.rank % 3 = 0 then '{vk,ok,telegram}'::text[] else '{vk,ok}'::text[] end
           from scale_regions r where s.region_id = r.region_id"#,
    ),
];

/// A year of weekly figures for every page, from the week it was registered: followers grow,
/// posts follow the page's category, one page in twelve has gone quiet for ten weeks.
const SNAPSHOTS: &str = r#"
    insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts,
                                reach, last_post_on, source, updated_at)
    select p.region_id, p.id, w.week, f.followers, f.posts, f.posts * f.followers / 3, f.posts * f.followers / 40,
           f.posts * f.followers / 400, f.posts * f.followers / 900, f.followers / 2 + f.posts * 50,
           case when f.posts > 0 then w.week + 4 else greatest(p.created_at::date, date_trunc('week', now())::date - 66) end,
           'upload', now()
    from pages p
    cross join generate_series(0, $1 - 1) i
    cross join lateral (select (date_trunc('week', now())::date - 7 * i) as week) w
    cross join lateral (select
        (200 + floor(pg_temp.u(p.id, 30) * 8000) * (1 + ($1 - i)::float8 / $1 * pg_temp.u(p.id, 31)))::int as followers,
        case when pg_temp.u(p.id, 32) < 0.08 and i < 10 then 0
             else floor((case p.category when 'flagship' then 9 when 'active' then 4 else 1 end)
                        * (0.4 + 1.2 * pg_temp.u(p.id * 64 + i, 33)))::int end as posts) f
    where p.region_id in (select region_id from scale_regions) and w.week >= p.created_at::date - 6
    order by p.id, w.week"#;

const WEEKS: &str = r#"
    select question_weeks_recompute(
        (select jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
                    'week', date_trunc('week', q.received_at at time zone r.time_zone)::date))
         from questions q join regions r on r.id = q.region_id))"#;

/// The seeded regions' questions per day, due per day and waiting per day, by the recounts the
/// triggers run, once for every day a region has, now that the indexes they read are back.
const QUESTION_DAYS: &str = r#"
    select question_days_recompute(t.received), question_deadline_days_recompute(t.due, t.received)
    from (select jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
                     'day', (q.received_at at time zone 'UTC')::date)) as received,
                 jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
                     'day', (q.due_at at time zone 'UTC')::date)) filter (where q.due_at is not null) as due
          from questions q where q.region_id = any($1)
          group by q.region_id) t"#;

/// One region at a time: the monthly summary is kept from each recount's rows of days, and one
/// statement for every region would hand it the whole country's days at once.
const ANSWER_DAYS: &str = r#"
    select answer_days_recompute(t.days)
    from (select q.region_id, jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
                     'day', (q.received_at at time zone r.time_zone)::date)) as days
          from questions q join regions r on r.id = q.region_id
          group by q.region_id) t"#;

const QUESTION_ORGS: &str = r#"
    create temporary table scale_orgs on commit drop as
        select o.region_id, o.id, row_number() over (partition by o.region_id order by o.id) as rn,
               count(*) over (partition by o.region_id) as n,
               (select min(p.id) from pages p where p.region_id = o.region_id and p.organization_id = o.id) as page_id,
               (select s.id from organizations s where s.region_id = o.region_id and s.level = 'local_government'
                  and s.municipality_id = o.municipality_id and s.id <> o.id order by s.id limit 1) as transfer_from
        from organizations o
        where o.region_id in (select region_id from scale_regions) and o.archived_at is null;
    create index on scale_orgs (region_id, rn);
    alter table scale_regions add column live bigint;
    update scale_regions r set live = (select count(*) from scale_orgs o where o.region_id = r.region_id)"#;

/// A region's questions: a year of them (`$2` days), a few organizations get most; most answered and
/// closed, the open ones from the last three days (some already overdue). Deadlines are
/// wall-clock approximations of the working-hour rules (9 working hours ≈ a day, 7 days); the working
/// minutes behind the medians are stored as the application stores them.
const QUESTIONS: &str = r#"
    insert into questions (region_id, organization_id, page_id, channel, external_id, author_name, body,
                           category, priority, status, received_at, first_response_due, first_response_risk,
                           final_due, final_risk, first_response_at, answered_at, closed_at, answer,
                           resolution_reason, first_response_minutes, answer_minutes, transfer_count,
                           previous_organization_ids, reopen_count, created_at, updated_at)
    select r.region_id, o.id, o.page_id, case when o.page_id is null then 'form' else 'comment' end,
           'scale-' || key, 'Житель № ' || g,
           'Вопрос № ' || g || ': когда отремонтируют дорогу и вывезут мусор во дворе?',
           (array['ЖКХ','Благоустройство','Дороги','Здравоохранение','Образование','Социальная защита',
                  'Транспорт','Культура и спорт','Безопасность','Другое'])[1 + floor(power(pg_temp.u(key, 41), 1.6) * 10)::int],
           case when pg_temp.u(key, 42) < 0.02 then 'urgent' when pg_temp.u(key, 42) < 0.12 then 'high' else 'normal' end,
           s.status, t.received, t.received + interval '1 day', t.received + interval '19 hours',
           t.received + interval '7 days', t.received + interval '5 days 14 hours',
           case when s.answered then t.received + make_interval(mins => 2 * m.first) end,
           case when s.answered then t.received + make_interval(mins => 2 * m.first + 3 * m.answer) end,
           case when s.status in ('closed', 'rejected') then t.received + make_interval(mins => 2 * m.first + 3 * m.answer + 1440) end,
           case when s.answered then 'Ответ на вопрос № ' || g end,
           case when s.status = 'rejected' then 'spam' end,
           case when s.answered then m.first end, case when s.answered then m.first + m.answer end,
           case when tr.moved then 1 else 0 end,
           case when tr.moved then array[o.transfer_from] else '{}'::bigint[] end,
           case when pg_temp.u(key, 46) < 0.02 then 1 else 0 end,
           t.received, t.received
    from scale_regions r
    cross join generate_series(1, r.questions) g
    cross join lateral (select r.region_id * 100000000 + g as key) k
    join scale_orgs o on o.region_id = r.region_id
         and o.rn = 1 + floor(power(pg_temp.u(k.key, 40), 1.8) * r.live)::int
    -- A year's worth of questions is open whatever the history: open questions are this
    -- week's work, so over a longer history the open share shrinks and closed ones take it.
    cross join lateral (select least(1, 365.0 / $2) as open_share) h
    cross join lateral (select case when pg_temp.u(key, 43) < 0.83 then 'closed'
                                    when pg_temp.u(key, 43) < 0.90 then 'answered'
                                    when pg_temp.u(key, 43) < 0.90 + 0.03 * h.open_share then 'in_progress'
                                    when pg_temp.u(key, 43) < 0.90 + 0.05 * h.open_share then 'new'
                                    when pg_temp.u(key, 43) < 0.95 then 'closed'
                                    else 'rejected' end as status) s0
    cross join lateral (select s0.status as status, s0.status in ('answered', 'closed') as answered) s
    cross join lateral (select case when s.status in ('new', 'in_progress')
                                    then now() - make_interval(mins => floor(pg_temp.u(key, 44) * 60 * 24 * 3)::int)
                                    else now() - make_interval(mins => 60 * 24 * 10 + floor(pg_temp.u(key, 44) * 60 * 24 * ($2 - 10))::int) end as received) t
    cross join lateral (select (20 + floor(1200 * power(pg_temp.u(key, 45), 3)))::int as first,
                               (60 + floor(3000 * pg_temp.u(key, 47)))::int as answer) m
    cross join lateral (select o.transfer_from is not null and pg_temp.u(key, 48) < 0.03 as moved) tr
    where r.region_id = $1"#;
