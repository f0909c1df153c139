use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::Utc;
use sqlx::PgConnection;

use super::coverage::{self, Coverage, Flag, OrgFacts, Params};
use super::focus::{Focus, FocusQuery, Place};
use super::responsiveness::{self, Calendar};
use super::widgets::{
    AnswersWidget, COLUMNS, CoverageWidget, FilterWidget, RedFlagsWidget, Trend, value,
};
use crate::error::{AppError, AppResult};
use crate::regions::time::{today_in, zone};
use crate::web::access::{RegionAccess, RegionOverseer};
use crate::web::chrome::Chrome;
use crate::web::pager::{PAGE_SIZE, Pager, offset, page_number};
use crate::web::reads::Reads;
use crate::web::render::render;

#[derive(Template)]
#[template(path = "dashboard/coverage.html")]
pub struct DashboardScreen {
    pub chrome: Chrome,
    pub filter: FilterWidget,
    pub coverage: CoverageWidget,
    pub answers: AnswersWidget,
    pub flags: RedFlagsWidget,
    pub trends: super::trends::Charts,
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
    reads: Reads,
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
    let mut tx = reads.tenant(region).await?;
    let View { ids, settings, .. } = view(&mut tx, &access, &focus).await?;
    if kind == "answers" || kind == "categories" {
        let now = Utc::now();
        let calendar = Calendar::last(focus.days, now, zone(&access.region));
        let period = calendar.period(region, ids.as_deref(), focus.platform, now);
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
    reads: Reads,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&query)?;
    let region = access.region.id;
    let base = chrome.region_base();
    let mut tx = reads.tenant(region).await?;
    let view = view(&mut tx, &access, &focus).await?;
    let coverage = coverage_widget(&mut tx, &access, &focus, &view, &base).await?;
    let answers = answers_widget(&mut tx, &access, &focus, &view, &base).await?;
    let counts = super::red_flags::count(
        &mut tx,
        region,
        view.ids.as_deref(),
        focus.platform,
        &view.settings,
        today_in(&access.region),
    )
    .await?;
    let flags = RedFlagsWidget {
        base: base.clone(),
        focus: focus.clone(),
        counts,
    };
    let trends = super::trends::charts(
        &mut tx,
        region,
        view.ids.as_deref(),
        focus.platform,
        focus.summary_key(&access.org_scope()),
        &access.region.time_zone,
        chrome.locale,
    )
    .await?;
    let choices = super::db::focus::choices(&mut tx, region, view.scope.as_deref()).await?;
    tx.commit().await?;
    let filter = FilterWidget {
        base,
        focus,
        place: view.place,
        region_name: access.region.name.clone(),
        choices,
    };
    render(&DashboardScreen {
        chrome,
        filter,
        coverage,
        answers,
        flags,
        trends,
    })
}

/// Coverage of the view, its tables sorted as the view asks.
async fn coverage_widget(
    tx: &mut PgConnection,
    access: &RegionAccess,
    focus: &Focus,
    view: &View,
    base: &str,
) -> AppResult<CoverageWidget> {
    let params = Params {
        region: access.region.id,
        ids: view.ids.as_deref(),
        settings: &view.settings,
        today: today_in(&access.region),
        platform: focus.platform,
    };
    let coverage::Tables {
        total,
        mut municipalities,
        mut sectors,
    } = coverage::tables(tx, &params).await?;
    sort_rows(&mut municipalities, &focus.sort);
    sort_rows(&mut sectors, &focus.sort);
    Ok(CoverageWidget {
        base: base.to_owned(),
        focus: focus.clone(),
        total,
        municipalities,
        sectors,
        green_from: i64::from(view.settings.green_from),
        red_below: i64::from(view.settings.red_below),
        required: view.settings.required_platforms.clone(),
    })
}

/// The answer figures of the view's period against the one before, places ranked with the
/// region's minimum volume, organizations ranked inside a municipality or a sector.
async fn answers_widget(
    tx: &mut PgConnection,
    access: &RegionAccess,
    focus: &Focus,
    view: &View,
    base: &str,
) -> AppResult<AnswersWidget> {
    let now = Utc::now();
    let tz = zone(&access.region);
    let calendar = Calendar::last(focus.days, now, tz);
    let period = calendar.period(access.region.id, view.ids.as_deref(), focus.platform, now);
    // The whole region's figures are kept per day; any narrower view counts its questions.
    let overview = if view.ids.is_none() && focus.platform.is_none() {
        responsiveness::overview_from_days(tx, access.region.id, &calendar, now).await?
    } else {
        responsiveness::overview(tx, &period).await?
    };
    let ranking_min = i64::from(view.settings.ranking_min_questions);
    let mut by_municipality = overview.by_municipality;
    responsiveness::rank(&mut by_municipality, ranking_min);
    let mut by_organization = if focus.municipality.is_some() || focus.sector.is_some() {
        responsiveness::by_organization(tx, &period).await?
    } else {
        Vec::new()
    };
    responsiveness::rank(&mut by_organization, ranking_min);
    let top_categories = overview
        .by_category
        .iter()
        .take(3)
        .map(|c| Trend {
            name: c.name.clone().unwrap_or_default(),
            now: c.received,
            before: overview
                .by_category_before
                .iter()
                .find(|b| b.name == c.name)
                .map_or(0, |b| b.received),
        })
        .collect();
    let overdue_now = responsiveness::overdue_now(tx, &period).await?;
    Ok(AnswersWidget {
        base: base.to_owned(),
        focus: focus.clone(),
        now: overview.now,
        before: overview.before,
        by_municipality,
        by_organization,
        top_categories,
        overdue_now,
        ranking_min,
        from_date: calendar.days.from.to_string(),
        to_date: calendar.days.to.to_string(),
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
    reads: Reads,
    RegionOverseer(access): RegionOverseer,
    chrome: Chrome,
    Query(query): Query<FlagQuery>,
    Query(focus): Query<FocusQuery>,
) -> AppResult<Response> {
    let focus = Focus::parse(&focus)?;
    let region = access.region.id;
    let flag = Flag::parse(&query.flag).unwrap_or(Flag::Obliged);
    let page = page_number(query.page.as_deref());
    let mut tx = reads.tenant(region).await?;
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
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
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
    reads: Reads,
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
    let mut tx = reads.tenant(region).await?;
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
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
    render(&FlaggedPagesScreen {
        chrome,
        flag: flag.code(),
        place: place_text(&place),
        focus,
        rows,
        pager,
    })
}
