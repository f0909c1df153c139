use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use sqlx::PgConnection;

use super::coverage::{self, Coverage, Flag, Narrow, OrgFacts, Params};
use super::responsiveness::{self, Period, Responsiveness};
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
    /// The period of the responsiveness figures, in days: 7, 30, 90 or 365.
    pub days: String,
}

pub const PERIODS: [i64; 4] = [7, 30, 90, 365];

/// A category's questions this period against the period before.
pub struct Trend {
    pub name: String,
    pub now: i64,
    pub before: i64,
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
    pub days: i64,
    pub answers: Responsiveness,
    pub answers_before: Responsiveness,
    pub answers_by_municipality: Vec<Responsiveness>,
    pub top_categories: Vec<Trend>,
    pub overdue_now: i64,
    pub ranking_min: i64,
    pub from_date: String,
    pub to_date: String,
    /// (flag, number of pages) of the red-flag lists.
    pub page_flags: Vec<(&'static str, i64)>,
    pub trends: super::trends::Charts,
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
        format!(
            "{}/dashboard?sort={column}&days={}",
            self.chrome.region_base(),
            self.days
        )
    }

    pub fn periods(&self) -> &'static [i64] {
        &PERIODS
    }

    /// Working minutes as hours with one decimal.
    pub fn hours(&self, minutes: &Option<f64>) -> String {
        minutes
            .map(|m| format!("{:.1}", m / 60.0))
            .unwrap_or_else(|| "—".into())
    }

    pub fn percent_text(&self, p: Option<i64>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }

    pub fn change(&self, t: &Trend) -> String {
        match t.now - t.before {
            0 => "±0".into(),
            d if d > 0 => format!("+{d}"),
            d => d.to_string(),
        }
    }

    pub fn ranked(&self, r: &Responsiveness) -> bool {
        r.considered >= self.ranking_min
    }

    /// The inbox with this period's questions (of a category, when given).
    pub fn inbox_link(&self, category: Option<&str>) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.append_pair("status", "all")
            .append_pair("received_from", &self.from_date)
            .append_pair("received_to", &self.to_date);
        if let Some(c) = category {
            out.append_pair("category", c);
        }
        format!("{}/questions?{}", self.chrome.region_base(), out.finish())
    }
}

fn today(access: &RegionAccess) -> NaiveDate {
    Utc::now()
        .with_timezone(&crate::questions::view::tz_of(&access.region.time_zone))
        .date_naive()
}

/// The row of the weekly summary that holds exactly the organizations of this scope: the
/// whole region (0) or one municipality; none for other scopes, which are counted live.
fn summary_key(scope: &crate::web::access::OrgScope) -> Option<i64> {
    if scope.all {
        return Some(0);
    }
    match (
        &scope.municipalities[..],
        &scope.subtrees[..],
        &scope.organizations[..],
    ) {
        ([m], [], []) => Some(*m),
        _ => None,
    }
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

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ExportQuery {
    /// "municipality" or "sector".
    pub table: String,
    /// "xlsx" or "csv".
    pub format: String,
}

/// A coverage table as XLSX or CSV, with the same scope as the screen.
pub async fn export(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;
    let region = access.region.id;
    let kind = if query.table == "sector" {
        "sector"
    } else {
        "municipality"
    };
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let ids = crate::questions::db::scope_ids(&mut tx, region, &access.org_scope()).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today: today(&access),
    };
    let tables = coverage::tables(&mut tx, &params).await?;
    let (total, rows) = if kind == "sector" {
        (tables.total, tables.sectors)
    } else {
        (tables.total, tables.municipalities)
    };
    tx.commit().await?;
    let l = chrome.locale;
    let (header, cells) = super::export::coverage_table(kind, &rows, &total, l);
    let stem = format!("{}-coverage-{kind}-{}", access.region.slug, today(&access));
    let (bytes, content_type, file) = if query.format == "csv" {
        (
            super::export::csv(&header, &cells).map_err(|e| AppError::Internal(e.into()))?,
            "text/csv; charset=utf-8",
            format!("{stem}.csv"),
        )
    } else {
        (
            super::export::xlsx(&l.t(&format!("dashboard-by-{kind}")), &header, &cells)
                .map_err(|e| AppError::Internal(e.into()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{stem}.xlsx"),
        )
    };
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
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
    let coverage::Tables {
        total,
        mut municipalities,
        mut sectors,
    } = coverage::tables(&mut tx, &params).await?;
    let days = query
        .days
        .parse::<i64>()
        .ok()
        .filter(|d| PERIODS.contains(d))
        .unwrap_or(7);
    let now = Utc::now();
    let period = Period {
        region,
        ids: ids.as_deref(),
        from: now - chrono::Duration::days(days),
        to: now,
        now,
    };
    let responsiveness::Overview {
        now: answers,
        before: answers_before,
        by_municipality: mut answers_by_municipality,
        by_category: categories,
        by_category_before: categories_before,
    } = responsiveness::overview(&mut tx, &period).await?;
    let ranking_min = i64::from(settings.ranking_min_questions);
    responsiveness::rank(&mut answers_by_municipality, ranking_min);
    let top_categories = categories
        .iter()
        .take(3)
        .map(|c| Trend {
            name: c.name.clone().unwrap_or_default(),
            now: c.received,
            before: categories_before
                .iter()
                .find(|b| b.name == c.name)
                .map_or(0, |b| b.received),
        })
        .collect();
    let overdue_now = responsiveness::overdue_now(&mut tx, region, ids.as_deref(), now).await?;
    let flagged =
        super::red_flags::pages(&mut tx, region, ids.as_deref(), &settings, today(&access)).await?;
    let page_flags = super::red_flags::counts(&flagged);
    let trends = super::trends::charts(
        &mut tx,
        region,
        ids.as_deref(),
        summary_key(&access.org_scope()),
        &access.region.time_zone,
        chrome.locale,
    )
    .await?;
    tx.commit().await?;
    sort_rows(&mut municipalities, &query.sort);
    sort_rows(&mut sectors, &query.sort);
    let tz = crate::questions::view::tz_of(&access.region.time_zone);
    let local = |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d").to_string();
    render(&DashboardPage {
        page_flags,
        trends,
        from_date: local(period.from),
        to_date: local(now),
        days,
        answers,
        answers_before,
        answers_by_municipality,
        top_categories,
        overdue_now,
        ranking_min,
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

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct FlagQuery {
    pub flag: String,
    pub page: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/pages.html")]
pub struct FlaggedPagesPage {
    pub chrome: Chrome,
    pub flag: &'static str,
    pub rows: Vec<super::red_flags::FlaggedPage>,
    pub total: usize,
    pub page: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl FlaggedPagesPage {
    pub fn percent(&self, p: &Option<u32>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }
}

/// The pages behind a red flag, a page of the list at a time.
pub async fn flagged_pages(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<FlagQuery>,
) -> AppResult<Response> {
    use super::red_flags::PageFlag;
    let region = access.region.id;
    let flag = PageFlag::parse(&query.flag).unwrap_or(PageFlag::Red);
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(100_000);
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let ids = crate::questions::db::scope_ids(&mut tx, region, &access.org_scope()).await?;
    let all =
        super::red_flags::pages(&mut tx, region, ids.as_deref(), &settings, today(&access)).await?;
    tx.commit().await?;
    let mut matching: Vec<_> = all
        .into_iter()
        .filter(|p| p.flags.contains(&flag))
        .collect();
    matching.sort_by(|a, b| {
        (&a.page.organization_name, &a.page.platform, &a.page.url).cmp(&(
            &b.page.organization_name,
            &b.page.platform,
            &b.page.url,
        ))
    });
    let total = matching.len();
    let size = PAGE_SIZE as usize;
    let rows = matching
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .collect();
    let link = |p: usize| {
        format!(
            "{}/dashboard/pages?flag={}&page={p}",
            chrome.region_base(),
            flag.code()
        )
    };
    render(&FlaggedPagesPage {
        prev: (page > 1).then(|| link(page - 1)),
        next: (page * size < total).then(|| link(page + 1)),
        chrome,
        flag: flag.code(),
        rows,
        total,
        page,
    })
}
