//! Demo data: Altai Krai with its municipalities, regional bodies and a few hundred
//! institutions with their pages, and one account per role. Everything is matched by a
//! natural key (slug, name, OGRN, page address, email), so seeding twice changes nothing.
//!
//! The demo's SQL stays here, not in a store: seeding writes rows by natural key, a path no
//! screen takes.

mod activity;
mod contacts;
pub mod contests;
mod data;
mod questions;
pub mod scale;
mod scale_regions;

use anyhow::Context;
use sqlx::{PgConnection, PgPool};

use crate::ids::{MunicipalityId, OrgId, RegionId, UserId};
use crate::orgs::identifiers::{complete_inn, complete_ogrn};
pub use data::{ADMIN, COORDINATOR, EDITOR, HEAD, MUNICIPAL, OPERATOR, PASSWORD, REGION_SLUG};

pub async fn seed(db: &PgPool) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    // Two instances seeding at once would race on the natural keys; one at a time.
    sqlx::query("select pg_advisory_xact_lock(7220001)")
        .execute(&mut *tx)
        .await?;
    let region = region(&mut tx).await?;
    let mut seeder = Seeder {
        db: &mut tx,
        region,
        serial: 0,
    };
    seeder.run().await?;
    sqlx::query(contacts::CONTACTS)
        .bind(region)
        .execute(&mut *tx)
        .await?;
    accounts(&mut tx, region).await?;
    tx.commit().await?;
    analyze(db).await
}

/// The tables the demo fills. Autovacuum may be off (it is on the machines this runs on):
/// without statistics the planner takes the fresh thousands of rows for a handful, and the
/// first dashboards take a second instead of tens of milliseconds.
const SEEDED: &str = "regions, municipalities, sectors, organizations, organization_sectors, pages, \
     page_mark_events, page_snapshots, page_latest, questions, question_events, question_weeks, answer_days, answer_months, page_months, page_flags, question_statuses, question_transfers_away, coverage_groups, coverage_active_weeks, \
     answer_templates, users, memberships, contests, contest_nominations, contest_nominees, contest_votes, \
     resident_submissions";

async fn analyze(db: &PgPool) -> anyhow::Result<()> {
    sqlx::query(&format!("analyze {SEEDED}"))
        .execute(db)
        .await?;
    Ok(())
}

/// Whether any demo account exists; the server warns at start-up while one does.
pub async fn accounts_exist(db: &PgPool) -> anyhow::Result<bool> {
    Ok(
        sqlx::query_scalar("select exists (select 1 from users where is_demo)")
            .fetch_one(db)
            .await?,
    )
}

async fn region(db: &mut PgConnection) -> anyhow::Result<RegionId> {
    if let Some(id) = crate::regions::db::find_by_slug(db, REGION_SLUG).await? {
        return Ok(id);
    }
    Ok(crate::regions::db::insert(db, REGION_SLUG, data::REGION_NAME, data::REGION_TZ).await?)
}

struct Seeder<'a> {
    db: &'a mut PgConnection,
    region: RegionId,
    serial: u32,
}

/// A fixed pseudo-random choice per organization, so the demo has gaps in coverage.
fn chance(n: u32, salt: u32, percent: u32) -> bool {
    (n.wrapping_mul(2_654_435_761)
        .wrapping_add(salt.wrapping_mul(40_503))
        >> 8)
        % 100
        < percent
}

impl Seeder<'_> {
    async fn run(&mut self) -> anyhow::Result<()> {
        let mut bodies = Vec::new();
        for (name, short, sector, handle) in data::REGIONAL_BODIES {
            let id = self
                .org(name, Some(short), "regional_body", None, None, &[sector])
                .await?;
            self.page(id, "vk", &format!("https://vk.com/{handle}"))
                .await?;
            self.page(id, "ok", &format!("https://ok.ru/{handle}"))
                .await?;
            self.page(id, "telegram", &format!("https://t.me/{handle}"))
                .await?;
            if chance(self.serial, 7, 60) {
                self.page(id, "max", &format!("https://max.ru/{handle}"))
                    .await?;
            }
            bodies.push(id);
        }
        let (health, social) = (bodies[2], bodies[4]);
        for (i, city) in data::CITIES.iter().enumerate() {
            let oktmo = format!("01{:03}000", 701 + i);
            let m = self
                .municipality(&format!("город {city}"), "city_okrug", &oktmo)
                .await?;
            let admin_name = format!("Администрация города {}", genitive_city(city));
            let schools = if i == 0 { 12 } else { 4 };
            self.municipality_orgs(
                m,
                &admin_name,
                &format!("г. {city}"),
                schools,
                health,
                social,
            )
            .await?;
        }
        for (i, district) in data::DISTRICTS.iter().enumerate() {
            let oktmo = format!("01{:03}000", 601 + i);
            let m = self
                .municipality(&format!("{district} район"), "municipal_district", &oktmo)
                .await?;
            let admin_name = format!("Администрация {} района", genitive_district(district));
            self.municipality_orgs(
                m,
                &admin_name,
                &format!("{district} район"),
                2,
                health,
                social,
            )
            .await?;
        }
        Ok(())
    }

    async fn municipality_orgs(
        &mut self,
        m: MunicipalityId,
        admin_name: &str,
        place: &str,
        schools: u32,
        health: OrgId,
        social: OrgId,
    ) -> anyhow::Result<()> {
        let admin = self
            .org(
                admin_name,
                None,
                "local_government",
                Some(m),
                None,
                &["Государственное и муниципальное управление"],
            )
            .await?;
        self.pages_for(admin, 95, 90, 70, 40).await?;
        let education = self
            .org(
                &format!("Комитет по образованию ({place})"),
                None,
                "local_government",
                Some(m),
                Some(admin),
                &["Образование"],
            )
            .await?;
        self.pages_for(education, 85, 50, 30, 10).await?;
        for n in 1..=schools {
            let school = self
                .org(
                    &format!("МБОУ «Средняя общеобразовательная школа № {n}» ({place})"),
                    Some(&format!("СОШ № {n}")),
                    "municipal_institution",
                    Some(m),
                    Some(education),
                    &["Образование"],
                )
                .await?;
            self.pages_for(school, 88, 55, 20, 10).await?;
        }
        let kindergarten = self
            .org(
                &format!("МБДОУ «Детский сад № 1 „Солнышко“» ({place})"),
                Some("Детский сад № 1"),
                "municipal_institution",
                Some(m),
                Some(education),
                &["Образование"],
            )
            .await?;
        self.pages_for(kindergarten, 75, 45, 5, 5).await?;
        let culture = self
            .org(
                &format!("МБУК «Многофункциональный культурный центр» ({place})"),
                None,
                "municipal_institution",
                Some(m),
                Some(admin),
                &["Культура", "Молодёжная политика"],
            )
            .await?;
        self.pages_for(culture, 85, 70, 15, 5).await?;
        let hospital = self
            .org(
                &format!("КГБУЗ «Центральная больница» ({place})"),
                Some("ЦБ"),
                "state_institution",
                Some(m),
                Some(health),
                &["Здравоохранение"],
            )
            .await?;
        self.pages_for(hospital, 90, 60, 35, 15).await?;
        let kcson = self
            .org(
                &format!("КГБУСО «Комплексный центр социального обслуживания населения» ({place})"),
                Some("КЦСОН"),
                "state_institution",
                Some(m),
                Some(social),
                &["Социальная защита"],
            )
            .await?;
        self.pages_for(kcson, 70, 50, 10, 5).await?;
        Ok(())
    }

    async fn municipality(
        &mut self,
        name: &str,
        kind: &str,
        oktmo: &str,
    ) -> anyhow::Result<MunicipalityId> {
        let id = sqlx::query_scalar(
            r#"insert into municipalities (region_id, name, kind, oktmo) values ($1, $2, $3, $4)
               on conflict (region_id, name) do update set name = excluded.name returning id"#,
        )
        .bind(self.region)
        .bind(name)
        .bind(kind)
        .bind(oktmo)
        .fetch_one(&mut *self.db)
        .await
        .with_context(|| format!("municipality {name}"))?;
        Ok(id)
    }

    async fn org(
        &mut self,
        name: &str,
        short: Option<&str>,
        level: &str,
        municipality: Option<MunicipalityId>,
        parent: Option<OrgId>,
        sectors: &[&str],
    ) -> anyhow::Result<OrgId> {
        self.serial += 1;
        let n = self.serial;
        let inn = complete_inn(&format!("22{:02}{:05}", 1 + n % 40, n));
        let ogrn = complete_ogrn(&format!("10222{:07}", 2_000_000 + n));
        let id: OrgId = sqlx::query_scalar(
            r#"insert into organizations (region_id, name, short_name, inn, ogrn, level, parent_id, municipality_id)
               values ($1, $2, $3, $4, $5, $6, $7, $8)
               on conflict on constraint organizations_ogrn_key do update set name = excluded.name
               returning id"#,
        )
        .bind(self.region)
        .bind(name)
        .bind(short)
        .bind(&inn)
        .bind(&ogrn)
        .bind(level)
        .bind(parent)
        .bind(municipality)
        .fetch_one(&mut *self.db)
        .await
        .with_context(|| format!("organization {name}"))?;
        for (slot, sector) in sectors.iter().enumerate() {
            sqlx::query(
                r#"insert into organization_sectors (region_id, organization_id, sector_id, slot)
                   select $1, $2, s.id, $4 from sectors s where s.region_id = $1 and s.name = $3
                   on conflict do nothing"#,
            )
            .bind(self.region)
            .bind(id)
            .bind(sector)
            .bind(slot as i16 + 1)
            .execute(&mut *self.db)
            .await?;
        }
        Ok(id)
    }

    async fn pages_for(
        &mut self,
        org: OrgId,
        vk: u32,
        ok: u32,
        tg: u32,
        max: u32,
    ) -> anyhow::Result<()> {
        let n = self.serial;
        // Some institutions have no official page at all yet: the gaps a coordinator chases.
        if chance(n, 9, 100 - vk / 2 - 35) {
            return Ok(());
        }
        if chance(n, 1, vk) {
            self.page(
                org,
                "vk",
                &format!("https://vk.com/club{}", 200_000_000 + n),
            )
            .await?;
        }
        if chance(n, 2, ok) {
            self.page(
                org,
                "ok",
                &format!(
                    "https://ok.ru/group/{}",
                    70_000_000_000_000u64 + u64::from(n)
                ),
            )
            .await?;
        }
        if chance(n, 3, tg) {
            self.page(org, "telegram", &format!("https://t.me/altai_org_{n}"))
                .await?;
        }
        if chance(n, 4, max) {
            self.page(org, "max", &format!("https://max.ru/id22{n:08}_gos"))
                .await?;
        }
        Ok(())
    }

    async fn page(&mut self, org: OrgId, platform: &str, address: &str) -> anyhow::Result<()> {
        let p = crate::pages::url::Platform::parse(platform).context("platform")?;
        let normalized = crate::pages::url::normalize(p, address)
            .map_err(|e| anyhow::anyhow!("{address}: {e:?}"))?;
        sqlx::query(
            r#"insert into pages (region_id, organization_id, platform, url_key, url)
               values ($1, $2, $3, $4, $5) on conflict on constraint pages_url_key do nothing"#,
        )
        .bind(self.region)
        .bind(org)
        .bind(platform)
        .bind(&normalized.key)
        .bind(&normalized.url)
        .execute(&mut *self.db)
        .await?;
        Ok(())
    }
}

fn genitive_city(city: &str) -> String {
    match city {
        "Камень-на-Оби" => "Камень-на-Оби".into(),
        "Белокуриха" => "Белокурихи".into(),
        "Яровое" => "Яровое".into(),
        c => format!("{c}а"),
    }
}

fn genitive_district(district: &str) -> String {
    // "Алейский" → "Алейского", "Немецкий национальный" → "Немецкого национального".
    district
        .split(' ')
        .map(|w| {
            if let Some(stem) = w.strip_suffix("ий") {
                let soft = stem.ends_with(['к', 'г', 'х']);
                format!("{stem}{}", if soft { "ого" } else { "его" })
            } else if let Some(stem) = w.strip_suffix("ый") {
                format!("{stem}ого")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

async fn accounts(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    let hash = crate::auth::password::hash(PASSWORD.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let operator = account(db, &OPERATOR, &hash, true).await?;
    let _ = operator;
    let admin = account(db, &ADMIN, &hash, false).await?;
    crate::invitations::db::add_membership(db, region, admin, "admin", None, None).await?;
    let coordinator = account(db, &COORDINATOR, &hash, false).await?;
    crate::invitations::db::add_membership(db, region, coordinator, "coordinator", None, None)
        .await?;
    let barnaul: MunicipalityId = sqlx::query_scalar(
        "select id from municipalities where region_id = $1 and name = 'город Барнаул'",
    )
    .bind(region)
    .fetch_one(&mut *db)
    .await?;
    let municipal = account(db, &MUNICIPAL, &hash, false).await?;
    crate::invitations::db::add_membership(
        db,
        region,
        municipal,
        "coordinator",
        Some(barnaul),
        None,
    )
    .await?;
    let school: OrgId = sqlx::query_scalar(
        "select id from organizations where region_id = $1 and name = 'МБОУ «Средняя общеобразовательная школа № 1» (г. Барнаул)'",
    )
    .bind(region)
    .fetch_one(&mut *db)
    .await?;
    let editor = account(db, &EDITOR, &hash, false).await?;
    crate::invitations::db::add_membership(db, region, editor, "editor", None, Some(school))
        .await?;
    let head = account(db, &HEAD, &hash, false).await?;
    crate::invitations::db::add_membership(db, region, head, "head", None, Some(school)).await?;
    questions::seed(db, region, data::REGION_TZ, school, editor).await?;
    activity::seed(db, region).await?;
    contests::seed(db, region, data::REGION_TZ, school).await?;
    Ok(())
}

async fn account(
    db: &mut PgConnection,
    a: &data::DemoAccount,
    hash: &str,
    operator: bool,
) -> anyhow::Result<UserId> {
    if let Some(id) = crate::auth::db::find_by_email(db, a.email).await? {
        return Ok(id);
    }
    Ok(crate::auth::db::create(db, a.email, a.name, hash, operator, true).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn district_names_in_genitive() {
        assert_eq!(genitive_district("Алейский"), "Алейского");
        assert_eq!(
            genitive_district("Немецкий национальный"),
            "Немецкого национального"
        );
        assert_eq!(genitive_district("Зональный"), "Зонального");
        assert_eq!(genitive_district("Краснощёковский"), "Краснощёковского");
        assert_eq!(genitive_city("Барнаул"), "Барнаула");
    }
}
