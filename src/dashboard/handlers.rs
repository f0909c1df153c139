use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use sqlx::PgConnection;

use super::coverage::{self, Coverage, Flag, OrgFacts, Params};
use super::focus::{Focus, FocusQuery, Place};
use super::responsiveness::{self, Period, Responsiveness};
use crate::error::{AppError, AppResult};
use crate::regions::time::today_in;
use crate::state::AppState;
use crate::web::access::{RegionAccess, RegionOverseer};
use crate::web::chrome::Chrome;
use crate::web::pager::{PAGE_SIZE, Pager, offset, page_number};
use crate::web::render::render;

/// The columns of the coverage tables, in the order of the regional monitoring template.
pub const COLUMNS: [&str; 5] = ["with_page", "covered", "verified", "active", "connected"];

pub use super::focus::PERIODS;

/// A category's questions this period against the period before.
pub struct Trend {
    pub name: String,
    pub now: i64,
    pub before: i64,
}

#[derive(Template)]
#[template(path = "dashboard/coverage.html")]
pub struct DashboardScreen {
    pub chrome: Chrome,
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
    pub sectors: Vec<Coverage>,
    pub green_from: i64,
    pub red_below: i64,
    pub required: Vec<String>,
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
    pub focus: Focus,
    pub place: Place,
    pub region_name: String,
    /// Ranked organizations of a municipality or sector view.
    pub answers_by_organization: Vec<Responsiveness>,
    pub municipality_choices: Vec<(i64, String)>,
    pub sector_choices: Vec<(i64, String)>,
    pub regional_choice: bool,
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

impl DashboardScreen {
    pub fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    /// The tables one level down: per municipality until one is chosen, per sector until
    /// one is chosen.
    pub fn tables(&self) -> Vec<(&'static str, &Vec<Coverage>)> {
        let mut out = Vec::new();
        if self.focus.municipality.is_none() {
            out.push(("municipality", &self.municipalities));
        }
        if self.focus.sector.is_none() {
            out.push(("sector", &self.sectors));
        }
        out
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

    /// The focus of a row: `kind` is "municipality" or "sector".
    fn row_focus(&self, kind: &str, c: &Coverage) -> Focus {
        match (kind, c.id) {
            ("municipality", m) => self.focus.in_municipality(m),
            ("sector", Some(id)) => self.focus.in_sector(id),
            _ => self.focus.clone(),
        }
    }

    /// The organizations behind a figure of a row (or of the whole view: kind "").
    pub fn link(&self, kind: &str, c: &Coverage, flag: &str) -> String {
        let focus = if kind.is_empty() {
            self.focus.clone()
        } else {
            self.row_focus(kind, c)
        };
        format!(
            "{}/dashboard/orgs?flag={flag}&{}",
            self.chrome.region_base(),
            focus.query()
        )
    }

    /// The pages behind a red flag, in this view.
    pub fn pages_link(&self, flag: &str) -> String {
        format!(
            "{}/dashboard/pages?flag={flag}&{}",
            self.chrome.region_base(),
            self.focus.query()
        )
    }

    /// The dashboard of a row: one level down the drill-down.
    pub fn row_link(&self, kind: &str, c: &Coverage) -> String {
        format!(
            "{}/dashboard?{}",
            self.chrome.region_base(),
            self.row_focus(kind, c).query()
        )
    }

    /// The same view for another period.
    pub fn period_link(&self, days: &i64) -> String {
        format!(
            "{}/dashboard?{}#answers",
            self.chrome.region_base(),
            self.focus.with_days(*days).query()
        )
    }

    /// The view one step up: without the sector, then without the municipality.
    pub fn up_links(&self) -> Vec<(String, String)> {
        let base = format!("{}/dashboard", self.chrome.region_base());
        let mut out = Vec::new();
        let top = Focus {
            municipality: None,
            sector: None,
            ..self.focus.clone()
        };
        out.push((format!("{base}?{}", top.query()), self.region_name.clone()));
        if let (Some(m), Some(name)) = (self.focus.municipality, &self.place.municipality) {
            if self.focus.sector.is_some() {
                let f = Focus {
                    sector: None,
                    ..self.focus.in_municipality(Some(m))
                };
                out.push((format!("{base}?{}", f.query()), name.clone()));
            }
        }
        out
    }

    pub fn is_municipality(&self, id: &i64) -> bool {
        self.focus.municipality == Some(*id)
    }

    pub fn is_sector(&self, id: &i64) -> bool {
        self.focus.sector == Some(*id)
    }

    pub fn is_level(&self, level: &str) -> bool {
        self.focus.level == Some(level)
    }

    pub fn is_platform(&self, platform: &str) -> bool {
        self.focus.platform == Some(platform)
    }

    pub fn levels(&self) -> &'static [&'static str] {
        &super::focus::LEVELS
    }

    pub fn platforms(&self) -> &'static [&'static str] {
        &super::focus::PLATFORMS
    }

    /// The organization's view for a row of the ranking, in this view's period.
    pub fn org_link(&self, id: &Option<i64>) -> String {
        format!(
            "{}/dashboard/org/{}?{}",
            self.chrome.region_base(),
            id.unwrap_or(0),
            self.focus.query()
        )
    }

    pub fn gap(&self, column: &str) -> i64 {
        self.total.obliged - value(&self.total, column)
    }

    pub fn sort_link(&self, column: &str) -> String {
        format!(
            "{}/dashboard?{}",
            self.chrome.region_base(),
            self.focus.sorted(column).query()
        )
    }

    pub fn export_link(&self, kind: &str, format: &str) -> String {
        format!(
            "{}/dashboard/export?table={kind}&format={format}&{}",
            self.chrome.region_base(),
            self.focus.query()
        )
    }

    pub fn questions_export_link(&self) -> String {
        format!(
            "{}/dashboard/questions.csv?{}",
            self.chrome.region_base(),
            self.focus.query()
        )
    }

    pub fn pages_export_link(&self) -> String {
        format!(
            "{}/dashboard/pages.xlsx?{}",
            self.chrome.region_base(),
            self.focus.query()
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

/// A coverage table as XLSX or CSV, with the same scope and focus as the screen.
pub async fn export(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<ExportQuery>,
    Query(focus): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&focus)?;
    let region = access.region.id;
    let kind = match query.table.as_str() {
        "sector" => "sector",
        "answers" => "answers",
        "categories" => "categories",
        _ => "municipality",
    };
    let mut tx = state.tenant(region).await?;
    let View { ids, settings, .. } = view(&mut tx, &access, &focus).await?;
    if kind == "answers" || kind == "categories" {
        let now = Utc::now();
        let period = Period {
            region,
            ids: ids.as_deref(),
            from: now - chrono::Duration::days(focus.days),
            to: now,
            now,
            platform: focus.platform,
        };
        let overview = responsiveness::overview(&mut tx, &period).await?;
        let ranking_min = i64::from(settings.ranking_min_questions);
        let (first, rows) = if kind == "categories" {
            ("field-category", overview.by_category)
        } else if focus.municipality.is_some() || focus.sector.is_some() {
            let mut rows = responsiveness::by_organization(&mut tx, &period).await?;
            responsiveness::rank(&mut rows, ranking_min);
            ("field-organization", rows)
        } else {
            let mut rows = overview.by_municipality;
            responsiveness::rank(&mut rows, ranking_min);
            ("dashboard-column-municipality", rows)
        };
        tx.commit().await?;
        let l = chrome.locale;
        let (header, cells) = super::export::answers_table(first, &rows, &overview.now, l);
        let stem = format!(
            "{}-{kind}-{}d-{}",
            access.region.slug,
            focus.days,
            today_in(&access.region)
        );
        return table_file(
            &l.t(&format!("export-sheet-{kind}")),
            &stem,
            &query.format,
            &header,
            &cells,
        );
    }
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today: today_in(&access.region),
        platform: focus.platform,
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
    let stem = format!(
        "{}-coverage-{kind}-{}",
        access.region.slug,
        today_in(&access.region)
    );
    table_file(
        &l.t(&format!("dashboard-by-{kind}")),
        &stem,
        &query.format,
        &header,
        &cells,
    )
}

/// A table as CSV (`format=csv`) or XLSX.
fn table_file(
    sheet: &str,
    stem: &str,
    format: &str,
    header: &[String],
    cells: &[Vec<super::export::Cell>],
) -> AppResult<Response> {
    if format == "csv" {
        let bytes = super::export::csv(header, cells).map_err(|e| AppError::Internal(e.into()))?;
        return Ok(super::export::download(
            bytes,
            super::export::CSV,
            &format!("{stem}.csv"),
        ));
    }
    let bytes =
        super::export::xlsx(sheet, header, cells).map_err(|e| AppError::Internal(e.into()))?;
    Ok(super::export::download(
        bytes,
        super::export::XLSX,
        &format!("{stem}.xlsx"),
    ))
}

/// What every monitoring view reads first: the member's organizations narrowed by the
/// focus, and the names of the places it narrows to (404 for one outside the scope).
pub struct View {
    pub scope: Option<Vec<i64>>,
    pub ids: Option<Vec<i64>>,
    pub place: Place,
    pub settings: crate::settings::db::RegionSettings,
}

pub async fn view(db: &mut PgConnection, access: &RegionAccess, focus: &Focus) -> AppResult<View> {
    let region = access.region.id;
    let settings = crate::settings::db::get(db, region).await?;
    let scope = crate::questions::db::scope_ids(db, region, &access.org_scope()).await?;
    let place =
        super::focus::place(db, region, &access.region.name, scope.as_deref(), focus).await?;
    let ids = super::focus::organization_ids(db, region, scope.clone(), focus).await?;
    Ok(View {
        scope,
        ids,
        place,
        settings,
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&query)?;
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let View {
        scope,
        ids,
        place,
        settings,
    } = view(&mut tx, &access, &focus).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today: today_in(&access.region),
        platform: focus.platform,
    };
    let coverage::Tables {
        total,
        mut municipalities,
        mut sectors,
    } = coverage::tables(&mut tx, &params).await?;
    let now = Utc::now();
    let period = Period {
        region,
        ids: ids.as_deref(),
        from: now - chrono::Duration::days(focus.days),
        to: now,
        now,
        platform: focus.platform,
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
    let mut answers_by_organization = if focus.municipality.is_some() || focus.sector.is_some() {
        responsiveness::by_organization(&mut tx, &period).await?
    } else {
        Vec::new()
    };
    responsiveness::rank(&mut answers_by_organization, ranking_min);
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
    let overdue_now = responsiveness::overdue_now(&mut tx, &period).await?;
    let flagged = super::red_flags::pages(
        &mut tx,
        region,
        ids.as_deref(),
        focus.platform,
        &settings,
        today_in(&access.region),
    )
    .await?;
    let page_flags = super::red_flags::counts(&flagged);
    let trends = super::trends::charts(
        &mut tx,
        region,
        ids.as_deref(),
        focus.platform,
        focus.summary_key(&access.org_scope()),
        &access.region.time_zone,
        chrome.locale,
    )
    .await?;
    let choices = super::db::focus::choices(&mut tx, region, scope.as_deref()).await?;
    tx.commit().await?;
    sort_rows(&mut municipalities, &focus.sort);
    sort_rows(&mut sectors, &focus.sort);
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    let local = |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d").to_string();
    render(&DashboardScreen {
        page_flags,
        trends,
        from_date: local(period.from),
        to_date: local(now),
        answers,
        answers_before,
        answers_by_municipality,
        answers_by_organization,
        top_categories,
        overdue_now,
        ranking_min,
        chrome,
        total,
        municipalities,
        sectors,
        green_from: i64::from(settings.green_from),
        red_below: i64::from(settings.red_below),
        required: settings.required_platforms.clone(),
        region_name: access.region.name.clone(),
        focus,
        place,
        municipality_choices: choices.municipalities,
        sector_choices: choices.sectors,
        regional_choice: choices.regional,
    })
}

/// Which figure or red flag a list stands for, and its page.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct FlagQuery {
    pub flag: String,
    pub page: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/orgs.html")]
pub struct DrillScreen {
    pub chrome: Chrome,
    pub flag: &'static str,
    pub place: Option<String>,
    pub focus: Focus,
    pub rows: Vec<OrgFacts>,
    pub pager: Pager,
}

impl DrillScreen {
    pub fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    pub fn facts(&self, o: &OrgFacts) -> Vec<bool> {
        vec![o.has_page, o.covered, o.verified, o.active, o.connected]
    }

    pub fn back(&self) -> String {
        format!(
            "{}/dashboard?{}",
            self.chrome.region_base(),
            self.focus.query()
        )
    }

    pub fn org_link(&self, id: &i64) -> String {
        format!(
            "{}/dashboard/org/{id}?{}",
            self.chrome.region_base(),
            self.focus.query()
        )
    }
}

/// "Sector in municipality", or either alone.
fn place_text(place: &Place) -> Option<String> {
    match (&place.municipality, &place.sector) {
        (Some(m), Some(s)) => Some(format!("{m} · {s}")),
        (Some(m), None) => Some(m.clone()),
        (None, Some(s)) => Some(s.clone()),
        (None, None) => None,
    }
}

/// The organizations behind a coverage figure, in the view's focus, a page at a time.
pub async fn drill(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<FlagQuery>,
    Query(focus): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&focus)?;
    let region = access.region.id;
    let flag = Flag::parse(&query.flag).unwrap_or(Flag::Obliged);
    let page = page_number(query.page.as_deref());
    let mut tx = state.tenant(region).await?;
    let View {
        ids,
        place,
        settings,
        ..
    } = view(&mut tx, &access, &focus).await?;
    let params = Params {
        region,
        ids: ids.as_deref(),
        settings: &settings,
        today: today_in(&access.region),
        platform: focus.platform,
    };
    let (rows, total) =
        coverage::organizations(&mut tx, &params, flag, PAGE_SIZE, offset(page)).await?;
    tx.commit().await?;
    let link = |p: i64| {
        format!(
            "{}/dashboard/orgs?flag={}&{}&page={p}",
            chrome.region_base(),
            flag.code(),
            focus.query()
        )
    };
    let pager = Pager::new(page, total, link);
    render(&DrillScreen {
        chrome,
        flag: flag.code(),
        place: place_text(&place),
        focus,
        rows,
        pager,
    })
}

#[derive(Template)]
#[template(path = "dashboard/pages.html")]
pub struct FlaggedPagesScreen {
    pub chrome: Chrome,
    pub flag: &'static str,
    pub place: Option<String>,
    pub focus: Focus,
    pub rows: Vec<super::red_flags::FlaggedPage>,
    pub pager: Pager,
}

impl FlaggedPagesScreen {
    pub fn percent(&self, p: &Option<u32>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }

    pub fn back(&self) -> String {
        format!(
            "{}/dashboard?{}",
            self.chrome.region_base(),
            self.focus.query()
        )
    }
}

/// The pages behind a red flag, in the view's focus, a page of the list at a time.
pub async fn flagged_pages(
    State(state): State<AppState>,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<FlagQuery>,
    Query(focus): Query<FocusQuery>,
) -> AppResult<Response> {
    use super::red_flags::PageFlag;
    let focus = Focus::parse(&focus)?;
    let region = access.region.id;
    let flag = PageFlag::parse(&query.flag).unwrap_or(PageFlag::Red);
    let page = page_number(query.page.as_deref());
    let mut tx = state.tenant(region).await?;
    let View {
        ids,
        place,
        settings,
        ..
    } = view(&mut tx, &access, &focus).await?;
    let all = super::red_flags::pages(
        &mut tx,
        region,
        ids.as_deref(),
        focus.platform,
        &settings,
        today_in(&access.region),
    )
    .await?;
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
    let total = matching.len() as i64;
    let rows = matching
        .into_iter()
        .skip(offset(page) as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    let link = |p: i64| {
        format!(
            "{}/dashboard/pages?flag={}&{}&page={p}",
            chrome.region_base(),
            flag.code(),
            focus.query()
        )
    };
    let pager = Pager::new(page, total, link);
    render(&FlaggedPagesScreen {
        chrome,
        flag: flag.code(),
        place: place_text(&place),
        focus,
        rows,
        pager,
    })
}
