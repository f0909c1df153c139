use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use sqlx::PgConnection;

use super::coverage::{self, Coverage, Flag, Narrow, OrgFacts, Params};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionOverseer};
use crate::web::chrome::Chrome;
use crate::web::forms::PAGE_SIZE;
use crate::web::render::render;

/// The columns of the coverage tables, in the order of the regional monitoring template.
pub const COLUMNS: [&str; 5] = ["with_page", "covered", "verified", "active", "connected"];

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct DashboardQuery {
    /// A column of `COLUMNS` (by its share, lowest first) or "name".
    pub sort: String,
}

#[derive(Template)]
#[template(path = "dashboard/coverage.html")]
pub struct DashboardPage {
    pub chrome: Chrome,
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
    pub sectors: Vec<Coverage>,
    pub sort: String,
    pub green_from: i64,
    pub red_below: i64,
    pub required: Vec<String>,
}

pub fn value(c: &Coverage, column: &str) -> i64 {
    match column {
        "with_page" => c.with_page,
        "covered" => c.covered,
        "verified" => c.verified,
        "active" => c.active,
        "connected" => c.connected,
        _ => c.obliged,
    }
}

impl DashboardPage {
    pub fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    /// The two tables: per municipality and per sector.
    pub fn tables(&self) -> Vec<(&'static str, &Vec<Coverage>)> {
        vec![
            ("municipality", &self.municipalities),
            ("sector", &self.sectors),
        ]
    }

    pub fn value(&self, c: &Coverage, column: &str) -> i64 {
        value(c, column)
    }

    pub fn percent(&self, c: &Coverage, column: &str) -> Option<i64> {
        (c.obliged > 0).then(|| value(c, column) * 100 / c.obliged)
    }

    pub fn light(&self, c: &Coverage, column: &str) -> &'static str {
        match self.percent(c, column) {
            None => "unknown",
            Some(p) if p >= self.green_from => "green",
            Some(p) if p < self.red_below => "red",
            Some(_) => "yellow",
        }
    }

    /// The drill-down link of a figure: `kind` is "municipality" or "sector".
    pub fn link(&self, kind: &str, c: &Coverage, flag: &str) -> String {
        let base = format!("{}/dashboard/orgs?flag={flag}", self.chrome.region_base());
        match (kind, c.id) {
            ("municipality", Some(id)) => format!("{base}&municipality={id}"),
            ("municipality", None) => format!("{base}&municipality=0"),
            ("sector", Some(id)) => format!("{base}&sector={id}"),
            _ => base,
        }
    }

    pub fn gap(&self, column: &str) -> i64 {
        self.total.obliged - value(&self.total, column)
    }

    pub fn sort_link(&self, column: &str) -> String {
        format!("{}/dashboard?sort={column}", self.chrome.region_base())
    }
}

fn today(access: &RegionAccess) -> NaiveDate {
    Utc::now()
        .with_timezone(&crate::questions::view::tz_of(&access.region.time_zone))
        .date_naive()
}

fn sort_rows(rows: &mut [Coverage], sort: &str) {
    if COLUMNS.contains(&sort) {
        // Weakest first: that is who the coordinator calls.
        rows.sort_by(|a, b| {
            let share = |c: &Coverage| {
                if c.obliged == 0 {
                    1.0
                } else {
                    value(c, sort) as f64 / c.obliged as f64
                }
            };
            share(a)
                .total_cmp(&share(b))
                .then_with(|| a.name.cmp(&b.name))
        });
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<DashboardQuery>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let ids = crate::questions::db::scope_ids(&mut tx, region, &access.org_scope()).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today: today(&access),
    };
    let total = coverage::region_total(&mut tx, &params).await?;
    let mut municipalities = coverage::by_municipality(&mut tx, &params).await?;
    let mut sectors = coverage::by_sector(&mut tx, &params).await?;
    tx.commit().await?;
    sort_rows(&mut municipalities, &query.sort);
    sort_rows(&mut sectors, &query.sort);
    render(&DashboardPage {
        chrome,
        total,
        municipalities,
        sectors,
        sort: query.sort,
        green_from: i64::from(settings.green_from),
        red_below: i64::from(settings.red_below),
        required: settings.required_platforms.clone(),
    })
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct DrillQuery {
    pub flag: String,
    pub municipality: String,
    pub sector: String,
    pub page: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/orgs.html")]
pub struct DrillPage {
    pub chrome: Chrome,
    pub flag: &'static str,
    pub place: Option<String>,
    pub rows: Vec<OrgFacts>,
    pub total: i64,
    pub page: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl DrillPage {
    pub fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    pub fn facts(&self, o: &OrgFacts) -> Vec<bool> {
        vec![o.has_page, o.covered, o.verified, o.active, o.connected]
    }
}

/// The name of the municipality or sector a drill-down narrows to, if the member sees any
/// organization there; otherwise it does not exist for them (404), and no count leaks.
async fn place_name(
    db: &mut PgConnection,
    access: &RegionAccess,
    ids: Option<&[i64]>,
    narrow: Narrow,
) -> AppResult<Option<String>> {
    let region = access.region.id;
    if let Some(m) = narrow.municipality {
        if m == 0 {
            return Ok(Some(access.region.name.clone()));
        }
        let name: Option<String> = sqlx::query_scalar(
            r#"select m.name from municipalities m where m.region_id = $1 and m.id = $2
                 and ($3::bigint[] is null or exists (select 1 from organizations o where o.region_id = $1
                      and o.municipality_id = m.id and o.id = any($3)))"#,
        )
        .bind(region)
        .bind(m)
        .bind(ids)
        .fetch_optional(&mut *db)
        .await?;
        return name.map(Some).ok_or(AppError::NotFound);
    }
    if let Some(s) = narrow.sector {
        let name: Option<String> = sqlx::query_scalar(
            r#"select s.name from sectors s where s.region_id = $1 and s.id = $2
                 and ($3::bigint[] is null or exists (select 1 from organization_sectors os where os.region_id = $1
                      and os.sector_id = s.id and os.organization_id = any($3)))"#,
        )
        .bind(region)
        .bind(s)
        .bind(ids)
        .fetch_optional(&mut *db)
        .await?;
        return name.map(Some).ok_or(AppError::NotFound);
    }
    Ok(None)
}

pub async fn drill(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<DrillQuery>,
) -> AppResult<Response> {
    let region = access.region.id;
    let flag = Flag::parse(&query.flag).unwrap_or(Flag::Obliged);
    let id = |v: &str| -> AppResult<Option<i64>> {
        match v.trim() {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| AppError::NotFound),
        }
    };
    let narrow = Narrow {
        municipality: id(&query.municipality)?,
        sector: id(&query.sector)?,
    };
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(100_000);
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let ids = crate::questions::db::scope_ids(&mut tx, region, &access.org_scope()).await?;
    let place = place_name(&mut tx, &access, ids.as_deref(), narrow).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today: today(&access),
    };
    let (rows, total) = coverage::organizations(
        &mut tx,
        &params,
        flag,
        narrow,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    tx.commit().await?;
    let link = |p: i64| {
        format!(
            "{}/dashboard/orgs?flag={}&municipality={}&sector={}&page={p}",
            chrome.region_base(),
            flag.code(),
            query.municipality.trim(),
            query.sector.trim()
        )
    };
    render(&DrillPage {
        prev: (page > 1).then(|| link(page - 1)),
        next: (page * PAGE_SIZE < total).then(|| link(page + 1)),
        chrome,
        flag: flag.code(),
        place,
        rows,
        total,
        page,
    })
}
