//! The page card: its official-status mark and history, the verification checklist, how the
//! page is set up, its weekly figures with their trend, and the quality score with the
//! reason for every point lost.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use sqlx::PgConnection;

use crate::activity::chart::{self, Kind};
use crate::activity::db::{self as activity_db, Origin};
use crate::activity::derive::{AliveRule, Derived, Week, derive};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{OrgId, PageId};
use crate::marks::db::{self as marks_db, Change, MarkEvent};
use crate::marks::lifecycle::{CHECKLIST, MarkStatus};
use crate::quality::score::{PageFacts, Score, Weights, score};
use crate::regions::time::today_in;
use crate::settings::db::RegionSettings;
use crate::state::AppState;
use crate::web::access::{OrgPlacement, RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, optional};
use crate::web::redirect;
use crate::web::session::Session;

/// Weeks shown in the trend: a year.
const TREND_WEEKS: i64 = 52;
pub const CATEGORIES: [&str; 3] = ["flagship", "active", "card"];

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CardPage {
    pub id: PageId,
    pub organization_id: OrgId,
    pub organization_name: String,
    pub platform: String,
    pub url: String,
    pub title: Option<String>,
    pub mark_status: String,
    pub mark_since: Option<NaiveDate>,
    pub connected: bool,
    pub category: String,
    pub has_avatar: Option<bool>,
    pub has_cover: Option<bool>,
    pub has_description: Option<bool>,
    pub has_contacts: Option<bool>,
    pub widgets: Option<i16>,
    pub comments_open: Option<bool>,
    pub checklist: Vec<String>,
}

/// The columns of `CardPage`, from `pages p` joined to `organizations o`; callers add the
/// conditions.
pub const CARD_SELECT: &str = r#"select p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title,
       p.mark_status, p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover, p.has_description,
       p.has_contacts, p.widgets, p.comments_open, p.checklist
    from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id"#;

async fn load(
    db: &mut PgConnection,
    access: &RegionAccess,
    id: PageId,
) -> AppResult<(CardPage, OrgPlacement)> {
    let page: CardPage = sqlx::query_as(&format!(
        "{CARD_SELECT} where p.region_id = $1 and p.id = $2"
    ))
    .bind(access.region.id)
    .bind(id)
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let placement = crate::orgs::db::placement(db, access.region.id, page.organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_view_org(&placement)?;
    Ok((page, placement))
}

/// Admins and coordinators whose scope holds the organization confirm and correct marks.
fn oversees(access: &RegionAccess, placement: &OrgPlacement) -> bool {
    access.memberships.iter().any(|m| {
        matches!(m.role, Role::Admin | Role::Coordinator)
            && RegionAccess {
                user: access.user.clone(),
                region: access.region.clone(),
                memberships: vec![m.clone()],
            }
            .can_view_org(placement)
    })
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MarkForm {
    pub status: String,
    pub happened_on: String,
    pub note: String,
    pub evidence_url: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    pub category: String,
    pub connected: String,
    pub has_avatar: String,
    pub has_cover: String,
    pub has_description: String,
    pub has_contacts: String,
    pub widgets: String,
    pub comments_open: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FiguresForm {
    pub week: String,
    pub followers: String,
    pub posts: String,
    pub views: String,
    pub likes: String,
    pub comments: String,
    pub reposts: String,
    pub reach: String,
    pub last_post_on: String,
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
    .to_owned()
}

impl SetupForm {
    fn of(p: &CardPage) -> SetupForm {
        SetupForm {
            category: p.category.clone(),
            connected: yes_no(Some(p.connected)),
            has_avatar: yes_no(p.has_avatar),
            has_cover: yes_no(p.has_cover),
            has_description: yes_no(p.has_description),
            has_contacts: yes_no(p.has_contacts),
            widgets: p.widgets.map(|w| w.to_string()).unwrap_or_default(),
            comments_open: yes_no(p.comments_open),
        }
    }
}

#[derive(Template)]
#[template(path = "pages/card.html")]
pub struct CardScreen {
    pub chrome: Chrome,
    pub page: CardPage,
    pub marks: Vec<MarkEvent>,
    /// Newest first.
    pub weeks: Vec<Week>,
    pub derived: Derived,
    pub score: Score,
    pub stuck: bool,
    pub can_edit: bool,
    pub can_correct: bool,
    pub followers_chart: String,
    pub posts_chart: String,
    pub mark_form: MarkForm,
    pub setup_form: SetupForm,
    pub figures_form: FiguresForm,
    pub failed: Option<&'static str>,
    pub errors: FieldErrors,
}

impl CardScreen {
    pub fn error(&self, form: &str, field: &str) -> Option<String> {
        if self.failed == Some(form) {
            self.errors.get(field).map(str::to_owned)
        } else {
            None
        }
    }

    pub fn next_statuses(&self) -> Vec<(&'static str, String)> {
        let current = MarkStatus::parse(&self.page.mark_status).unwrap_or(MarkStatus::None);
        let options: Vec<MarkStatus> = if self.can_correct {
            MarkStatus::ALL.to_vec()
        } else {
            current.next().to_vec()
        };
        options
            .into_iter()
            .map(|m| (m.code(), self.chrome.label("mark", m.code())))
            .collect()
    }

    pub fn checked(&self, item: &str) -> bool {
        self.page.checklist.iter().any(|c| c == item)
    }

    pub fn checklist(&self) -> Vec<(&'static str, String)> {
        CHECKLIST
            .iter()
            .map(|c| (*c, self.chrome.label("checklist", c)))
            .collect()
    }

    pub fn categories(&self) -> Vec<(&'static str, String)> {
        CATEGORIES
            .iter()
            .map(|c| (*c, self.chrome.label("page-category", c)))
            .collect()
    }

    pub fn earned(&self, c: &crate::quality::score::Component) -> String {
        match c.earned {
            Some(e) => format!(
                "{} / {}",
                chart::format_number(e),
                chart::format_number(c.max)
            ),
            None => self.chrome.t("score-unknown"),
        }
    }

    /// The fix for a component that lost points or has no data.
    pub fn fix(&self, c: &crate::quality::score::Component) -> Option<String> {
        match c.earned {
            None => Some(self.chrome.t(&format!("score-missing-{}", c.key))),
            Some(e) if e + 1e-9 < c.max => Some(self.chrome.t(&format!("score-fix-{}", c.key))),
            Some(_) => None,
        }
    }

    pub fn number(&self, v: &Option<f64>) -> String {
        v.map(|v| chart::format_number((v * 10.0).round() / 10.0))
            .unwrap_or_else(|| "—".into())
    }

    pub fn engagement(&self) -> String {
        self.derived
            .engagement_percent
            .map(|v| format!("{}%", chart::format_number((v * 10.0).round() / 10.0)))
            .unwrap_or_else(|| "—".into())
    }

    pub fn percent(&self, v: &Option<f64>) -> String {
        v.map(|v| format!("{}%", chart::format_number((v * 1000.0).round() / 10.0)))
            .unwrap_or_else(|| "—".into())
    }

    pub fn opt<T: std::fmt::Display>(&self, v: &Option<T>) -> String {
        v.as_ref()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    }

    pub fn date(&self, d: &NaiveDate) -> String {
        d.format("%d.%m.%Y").to_string()
    }

    /// The yes/no/unknown setup fields with their current values.
    pub fn setup_fields(&self) -> Vec<(&'static str, String)> {
        let f = &self.setup_form;
        vec![
            ("connected", f.connected.clone()),
            ("has_avatar", f.has_avatar.clone()),
            ("has_cover", f.has_cover.clone()),
            ("has_description", f.has_description.clone()),
            ("has_contacts", f.has_contacts.clone()),
            ("comments_open", f.comments_open.clone()),
        ]
    }

    pub fn figure_fields(&self) -> Vec<(&'static str, String)> {
        let f = &self.figures_form;
        vec![
            ("week", f.week.clone()),
            ("followers", f.followers.clone()),
            ("posts", f.posts.clone()),
            ("views", f.views.clone()),
            ("likes", f.likes.clone()),
            ("comments", f.comments.clone()),
            ("reposts", f.reposts.clone()),
            ("reach", f.reach.clone()),
            ("last_post_on", f.last_post_on.clone()),
        ]
    }

    pub fn yes_no_options(&self) -> Vec<(&'static str, String)> {
        vec![
            ("", self.chrome.t("unknown")),
            ("yes", self.chrome.t("yes")),
            ("no", self.chrome.t("no")),
        ]
    }
}

pub struct Input {
    pub mark: Option<MarkForm>,
    pub setup: Option<SetupForm>,
    pub figures: Option<FiguresForm>,
    pub failed: Option<&'static str>,
    pub errors: FieldErrors,
}

pub fn facts(
    page: &CardPage,
    weeks: &[Week],
    settings: &RegionSettings,
    today: NaiveDate,
) -> PageFacts {
    // Figures older than two weeks say nothing about the page now.
    let latest = weeks
        .iter()
        .max_by_key(|w| w.week)
        .filter(|w| (today - w.week).num_days() <= 14);
    let quota = match page.category.as_str() {
        "flagship" => settings.quota_flagship,
        "card" => settings.quota_card,
        _ => settings.quota_active,
    };
    PageFacts {
        connected: Some(page.connected),
        mark_granted: Some(page.mark_status == "granted"),
        avatar: page.has_avatar,
        description: page.has_description,
        cover: page.has_cover,
        widgets: page.widgets.map(|w| w.clamp(0, 2) as u8),
        posts_last_7_days: latest.and_then(|w| w.posts).map(|p| p.max(0) as u32),
        weekly_quota: quota.max(0) as u32,
        followers: latest.and_then(|w| w.followers).map(|f| f.max(0) as u64),
        weekly_reach: latest.and_then(|w| w.reach).map(|r| r.max(0) as u64),
        average_post_reach: latest.and_then(|w| match (w.views, w.posts) {
            (Some(v), Some(p)) if p > 0 => Some((v / i64::from(p)).max(0) as u64),
            _ => None,
        }),
    }
}

/// Mark and score of many pages at once, for lists: two queries whatever their number.
pub async fn scores(
    db: &mut PgConnection,
    region: crate::ids::RegionId,
    time_zone: &str,
    ids: &[i64],
) -> Result<HashMap<PageId, (String, Score)>, sqlx::Error> {
    let settings = crate::settings::db::get(db, region).await?;
    let pages: Vec<CardPage> = sqlx::query_as(&format!(
        "{CARD_SELECT} where p.region_id = $1 and p.id = any($2)"
    ))
    .bind(region)
    .bind(ids)
    .fetch_all(&mut *db)
    .await?;
    let latest = activity_db::latest(db, region, Some(ids)).await?;
    let today = crate::regions::time::today(crate::regions::time::zone_of(time_zone));
    let w = weights(&settings);
    Ok(pages
        .iter()
        .map(|p| {
            let weeks: Vec<Week> = latest.get(&p.id).copied().into_iter().collect();
            (
                p.id,
                (
                    p.mark_status.clone(),
                    score(&facts(p, &weeks, &settings, today), &w),
                ),
            )
        })
        .collect())
}

pub fn weights(s: &RegionSettings) -> Weights {
    let n = |v: i32| v.max(0) as u32;
    Weights {
        connected: n(s.weight_connected),
        mark: n(s.weight_mark),
        setup: n(s.weight_setup),
        widgets: n(s.weight_widgets),
        activity: n(s.weight_activity),
        reach: n(s.weight_reach),
        post_reach: n(s.weight_post_reach),
        green_from: n(s.green_from),
        red_below: n(s.red_below),
    }
}

async fn screen(
    db: &mut PgConnection,
    access: &RegionAccess,
    chrome: Chrome,
    page: CardPage,
    placement: &OrgPlacement,
    input: Input,
) -> AppResult<CardScreen> {
    let region = access.region.id;
    let settings = crate::settings::db::get(db, region).await?;
    let marks = marks_db::history(db, region, page.id).await?;
    let weeks = activity_db::weeks(db, region, page.id, TREND_WEEKS).await?;
    let today = today_in(&access.region);
    let derived = derive(
        &weeks,
        today,
        AliveRule {
            active_posts: settings.active_posts,
            active_days: settings.active_days,
            dormant_days: settings.dormant_days,
        },
    );
    let score = score(&facts(&page, &weeks, &settings, today), &weights(&settings));
    let stuck = page.mark_status == "requested"
        && page
            .mark_since
            .is_some_and(|d| (today - d).num_days() > i64::from(settings.mark_stuck_days));
    let l = chrome.locale;
    let (followers_chart, posts_chart) = charts(&weeks, l);
    Ok(CardScreen {
        can_edit: access.can_edit_pages_of(placement),
        can_correct: oversees(access, placement),
        mark_form: input.mark.unwrap_or_else(|| MarkForm {
            happened_on: today.format("%d.%m.%Y").to_string(),
            ..Default::default()
        }),
        setup_form: input.setup.unwrap_or_else(|| SetupForm::of(&page)),
        figures_form: input.figures.unwrap_or_else(|| FiguresForm {
            week: activity_db::monday_of(today - chrono::Duration::days(7))
                .format("%d.%m.%Y")
                .to_string(),
            ..Default::default()
        }),
        failed: input.failed,
        errors: input.errors,
        chrome,
        page,
        marks,
        weeks,
        derived,
        score,
        stuck,
        followers_chart,
        posts_chart,
    })
}

fn charts(weeks: &[Week], l: Locale) -> (String, String) {
    let mut ordered: Vec<&Week> = weeks.iter().collect();
    ordered.sort_by_key(|w| w.week);
    let label = |w: &Week| w.week.format("%d.%m.%y").to_string();
    let followers: Vec<(String, Option<f64>)> = ordered
        .iter()
        .map(|w| (label(w), w.followers.map(f64::from)))
        .collect();
    let posts: Vec<(String, Option<f64>)> = ordered
        .iter()
        .map(|w| (label(w), w.posts.map(f64::from)))
        .collect();
    let known = |points: &[(String, Option<f64>)]| -> Vec<(String, f64)> {
        points
            .iter()
            .filter_map(|(d, v)| v.map(|v| (d.clone(), v)))
            .collect()
    };
    let describe = |key: &str, points: &[(String, Option<f64>)]| -> String {
        let k = known(points);
        match (k.first(), k.last()) {
            (Some((d1, v1)), Some((d2, v2))) => l.t_args(
                key,
                &[
                    ("from", chart::format_number(*v1).into()),
                    ("from_week", d1.clone().into()),
                    ("to", chart::format_number(*v2).into()),
                    ("to_week", d2.clone().into()),
                    ("weeks", (k.len() as i64).into()),
                ],
            ),
            _ => l.t("chart-no-data"),
        }
    };
    (
        chart::svg(
            "followers",
            &l.t("chart-followers"),
            &describe("chart-followers-desc", &followers),
            &followers,
            Kind::Line,
        ),
        chart::svg(
            "posts",
            &l.t("chart-posts"),
            &describe("chart-posts-desc", &posts),
            &posts,
            Kind::Bars,
        ),
    )
}

pub async fn show(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let (page, placement) = load(&mut tx, &access, PageId(id)).await?;
    let card = screen(
        &mut tx,
        &access,
        chrome,
        page,
        &placement,
        Input {
            mark: None,
            setup: None,
            figures: None,
            failed: None,
            errors: FieldErrors::default(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Html(card.render()?).into_response())
}

/// Shows the card again with the form that failed, what was typed and a message per field.
async fn invalid(
    state: &AppState,
    access: &RegionAccess,
    chrome: Chrome,
    id: PageId,
    input: Input,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let (page, placement) = load(&mut conn, access, id).await?;
    let card = screen(&mut conn, access, chrome, page, &placement, input).await?;
    conn.commit().await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(card.render()?)).into_response())
}

pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    NaiveDate::parse_from_str(v, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .ok()
}

pub async fn record_mark(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<MarkForm>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let (page, placement) = load(&mut tx, &access, PageId(id)).await?;
    let editor = access.can_edit_pages_of(&placement);
    let overseer = oversees(&access, &placement);
    if !editor && !overseer {
        return Err(AppError::Forbidden);
    }
    let l = chrome.locale;
    let mut e = FieldErrors::default();
    let current = MarkStatus::parse(&page.mark_status).unwrap_or(MarkStatus::None);
    let wanted = MarkStatus::parse(&form.status);
    let on = parse_date(&form.happened_on);
    let today = today_in(&access.region);
    match on {
        None => e.add("happened_on", l.t("mark-date-bad")),
        Some(d) if d > today => e.add("happened_on", l.t("mark-date-future")),
        Some(d) if page.mark_since.is_some_and(|since| d < since) => e.add(
            "happened_on",
            l.t1(
                "mark-date-before",
                "date",
                &page
                    .mark_since
                    .map(|s| s.format("%d.%m.%Y").to_string())
                    .unwrap_or_default(),
            ),
        ),
        _ => {}
    }
    let note = optional(&form.note);
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        e.add("note", l.t("field-too-long"));
    }
    let evidence = optional(&form.evidence_url);
    if let Some(u) = &evidence
        && !url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
    {
        e.add("evidence_url", l.t1("question-link-bad", "value", u));
    }
    let correction = match wanted {
        None => {
            e.add("status", l.t("field-choose"));
            false
        }
        Some(to) if to == current => {
            if overseer && e.is_empty() {
                let confirmed =
                    marks_db::confirm_latest(&mut tx, region, page.id, access.user_id()).await?;
                if confirmed.is_some() {
                    crate::audit::record(
                        &mut tx,
                        Some(region),
                        Some(access.user_id()),
                        "update",
                        "page",
                        Some(page.id.0),
                        serde_json::json!({ "mark_confirmed": current.code() }),
                    )
                    .await?;
                    tx.commit().await?;
                    session.set_flash(l.t("mark-confirmed")).await?;
                    return Ok(redirect(&format!(
                        "/r/{}/pages/{id}/card",
                        access.region.slug
                    )));
                }
            }
            e.add("status", l.t("mark-same"));
            false
        }
        Some(to) if current.can_become(to) && editor => false,
        Some(_) if overseer => {
            if note.is_none() {
                e.add("note", l.t("mark-correction-needs-note"));
            }
            true
        }
        Some(to) => {
            e.add(
                "status",
                l.t_args(
                    "mark-step-bad",
                    &[
                        ("from", l.t(&format!("mark-{}", current.code())).into()),
                        ("to", l.t(&format!("mark-{}", to.code())).into()),
                    ],
                ),
            );
            false
        }
    };
    if !e.is_empty() {
        drop(tx);
        return invalid(
            &state,
            &access,
            chrome,
            PageId(id),
            Input {
                mark: Some(form),
                setup: None,
                figures: None,
                failed: Some("mark"),
                errors: e,
            },
        )
        .await;
    }
    let (to, on) = (wanted.unwrap_or(current), on.unwrap_or(today));
    marks_db::record(
        &mut tx,
        region,
        page.id,
        Some(access.user_id()),
        &Change {
            from: current.code(),
            to: to.code(),
            on,
            correction,
            note: note.as_deref(),
            evidence_url: evidence.as_deref(),
        },
    )
    .await?;
    crate::audit::record(
        &mut tx,
        Some(region),
        Some(access.user_id()),
        "update",
        "page",
        Some(page.id.0),
        serde_json::json!({ "before": { "mark_status": current.code(), "mark_since": page.mark_since },
                            "after": { "mark_status": to.code(), "mark_since": on }, "correction": correction }),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(l.t("mark-recorded")).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/card",
        access.region.slug
    )))
}

/// Loads the page and checks the member may change its setup, checklist and figures.
async fn editable(db: &mut PgConnection, access: &RegionAccess, id: PageId) -> AppResult<CardPage> {
    let (page, placement) = load(db, access, id).await?;
    if !access.can_edit_pages_of(&placement) {
        return Err(AppError::Forbidden);
    }
    Ok(page)
}

pub async fn save_checklist(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let page = editable(&mut tx, &access, PageId(id)).await?;
    let ticked: Vec<String> = CHECKLIST
        .iter()
        .filter(|c| form.contains_key(&format!("item_{c}")))
        .map(|c| (*c).to_owned())
        .collect();
    sqlx::query(
        "update pages set checklist = $3, updated_at = now() where region_id = $1 and id = $2",
    )
    .bind(access.region.id)
    .bind(page.id)
    .bind(&ticked)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(&mut tx, Some(access.region.id), Some(access.user_id()), "update", "page", Some(page.id.0),
        serde_json::json!({ "before": { "checklist": page.checklist }, "after": { "checklist": ticked } })).await?;
    tx.commit().await?;
    session.set_flash(chrome.t("checklist-saved")).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/card",
        access.region.slug
    )))
}

fn tri(value: &str, field: &'static str, l: Locale, e: &mut FieldErrors) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        "" => None,
        _ => {
            e.add(field, l.t("field-choose"));
            None
        }
    }
}

pub async fn save_setup(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<SetupForm>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let page = editable(&mut tx, &access, PageId(id)).await?;
    let l = chrome.locale;
    let mut e = FieldErrors::default();
    if !CATEGORIES.contains(&form.category.as_str()) {
        e.add("category", l.t("field-choose"));
    }
    let connected = tri(&form.connected, "connected", l, &mut e);
    if connected.is_none() && !e.has("connected") {
        e.add("connected", l.t("field-choose"));
    }
    let avatar = tri(&form.has_avatar, "has_avatar", l, &mut e);
    let cover = tri(&form.has_cover, "has_cover", l, &mut e);
    let description = tri(&form.has_description, "has_description", l, &mut e);
    let contacts = tri(&form.has_contacts, "has_contacts", l, &mut e);
    let comments = tri(&form.comments_open, "comments_open", l, &mut e);
    let widgets = match form.widgets.trim() {
        "" => None,
        v => match v.parse::<i16>() {
            Ok(n) if (0..=2).contains(&n) => Some(n),
            _ => {
                e.add("widgets", l.t("field-choose"));
                None
            }
        },
    };
    if !e.is_empty() {
        drop(tx);
        return invalid(
            &state,
            &access,
            chrome,
            PageId(id),
            Input {
                mark: None,
                setup: Some(form),
                figures: None,
                failed: Some("setup"),
                errors: e,
            },
        )
        .await;
    }
    sqlx::query(
        r#"update pages set category = $3, connected = $4, has_avatar = $5, has_cover = $6, has_description = $7,
                  has_contacts = $8, widgets = $9, comments_open = $10, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(access.region.id)
    .bind(page.id)
    .bind(&form.category)
    .bind(connected.unwrap_or(false))
    .bind(avatar)
    .bind(cover)
    .bind(description)
    .bind(contacts)
    .bind(widgets)
    .bind(comments)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(&mut tx, Some(access.region.id), Some(access.user_id()), "update", "page", Some(page.id.0),
        serde_json::json!({ "before": { "category": page.category, "connected": page.connected, "has_avatar": page.has_avatar,
                                         "has_cover": page.has_cover, "has_description": page.has_description,
                                         "has_contacts": page.has_contacts, "widgets": page.widgets, "comments_open": page.comments_open },
                            "after": { "category": form.category, "connected": connected, "has_avatar": avatar, "has_cover": cover,
                                        "has_description": description, "has_contacts": contacts, "widgets": widgets,
                                        "comments_open": comments } })).await?;
    tx.commit().await?;
    session.set_flash(chrome.t("setup-saved")).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/card",
        access.region.slug
    )))
}

/// A figure as typed: blank is "not known"; anything else must be a whole number ≥ 0.
pub fn count(value: &str, field: &'static str, l: Locale, e: &mut FieldErrors) -> Option<i64> {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (0..=2_000_000_000).contains(&n) => Some(n),
        _ => {
            e.add(field, l.t("figure-bad"));
            None
        }
    }
}

pub async fn save_figures(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<FiguresForm>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let page = editable(&mut tx, &access, PageId(id)).await?;
    let l = chrome.locale;
    let mut e = FieldErrors::default();
    let today = today_in(&access.region);
    let week = match parse_date(&form.week) {
        Some(d) if d <= today => Some(activity_db::monday_of(d)),
        Some(_) => {
            e.add("week", l.t("figures-week-future"));
            None
        }
        None => {
            e.add("week", l.t("mark-date-bad"));
            None
        }
    };
    let last_post_on = match form.last_post_on.trim() {
        "" => None,
        v => match parse_date(v) {
            Some(d) if d <= today => Some(d),
            _ => {
                e.add("last_post_on", l.t("mark-date-bad"));
                None
            }
        },
    };
    let int = |v: Option<i64>| v.map(|n| n.min(i64::from(i32::MAX)) as i32);
    let w = Week {
        week: week.unwrap_or(today),
        followers: int(count(&form.followers, "followers", l, &mut e)),
        posts: int(count(&form.posts, "posts", l, &mut e)),
        views: count(&form.views, "views", l, &mut e),
        likes: int(count(&form.likes, "likes", l, &mut e)),
        comments: int(count(&form.comments, "comments", l, &mut e)),
        reposts: int(count(&form.reposts, "reposts", l, &mut e)),
        reach: count(&form.reach, "reach", l, &mut e),
        last_post_on,
    };
    if e.is_empty()
        && [w.followers, w.posts, w.likes, w.comments, w.reposts]
            .iter()
            .all(Option::is_none)
        && w.views.is_none()
        && w.reach.is_none()
    {
        e.add("followers", l.t("figures-empty"));
    }
    if !e.is_empty() {
        drop(tx);
        return invalid(
            &state,
            &access,
            chrome,
            PageId(id),
            Input {
                mark: None,
                setup: None,
                figures: Some(form),
                failed: Some("figures"),
                errors: e,
            },
        )
        .await;
    }
    let existed = activity_db::upsert(
        &mut tx,
        access.region.id,
        page.id,
        &w,
        &Origin {
            source: "manual",
            user: Some(access.user_id()),
            import_id: None,
        },
    )
    .await?;
    crate::audit::record(&mut tx, Some(access.region.id), Some(access.user_id()), if existed { "update" } else { "create" }, "page_figures", Some(page.id.0),
        serde_json::json!({ "week": w.week, "followers": w.followers, "posts": w.posts, "views": w.views, "reach": w.reach })).await?;
    tx.commit().await?;
    session.set_flash(chrome.t("figures-saved")).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{id}/card",
        access.region.slug
    )))
}
