//! The card's handlers: show it, record a mark step, save the checklist, the setup and a
//! week of figures. Each re-renders the card with its form's errors when input is bad.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sqlx::{PgConnection, Postgres, Transaction};

use super::forms::{CATEGORIES, FiguresForm, Input, MarkForm, SetupForm, parse_date, tri};
use super::view::{CardScreen, charts};
use crate::activity::db::{self as activity_db, Origin};
use crate::activity::derive::{AliveRule, Week, derive};
use crate::activity::figures::count;
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::ids::PageId;
use crate::marks::db::{self as marks_db, Change};
use crate::marks::lifecycle::{CHECKLIST, MarkStatus};
use crate::pages::db::card::{self as db, CardPage};
use crate::pages::score::{facts, weights};
use crate::quality::score::score;
use crate::regions::time::today_in;
use crate::state::AppState;
use crate::web::access::{OrgPlacement, RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, optional};
use crate::web::redirect;
use crate::web::session::Session;

/// Weeks shown in the trend: a year.
const TREND_WEEKS: i64 = 52;

async fn load(
    conn: &mut PgConnection,
    access: &RegionAccess,
    id: PageId,
) -> AppResult<(CardPage, OrgPlacement)> {
    let page = db::card(conn, access.region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let placement = crate::orgs::db::placement(conn, access.region.id, page.organization_id)
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

async fn screen(
    conn: &mut PgConnection,
    access: &RegionAccess,
    chrome: Chrome,
    page: CardPage,
    placement: &OrgPlacement,
    input: Input,
) -> AppResult<CardScreen> {
    let region = access.region.id;
    let settings = crate::settings::db::get(conn, region).await?;
    let marks = marks_db::history(conn, region, page.id).await?;
    let weeks = activity_db::weeks(conn, region, page.id, TREND_WEEKS).await?;
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
    let channels = crate::channels::db::for_page(conn, region, page.id).await?;
    Ok(CardScreen {
        channels,
        tz: crate::regions::time::zone(&access.region),
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

pub async fn show(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let (page, placement) = load(&mut tx, &access, PageId(id)).await?;
    let card = screen(&mut tx, &access, chrome, page, &placement, Input::default()).await?;
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
                    return saved(
                        tx,
                        &session,
                        &access,
                        audit::Entry::member(&access, audit::Action::Update, audit::Object::Page)
                            .object_id(page.id.0)
                            .details(serde_json::json!({ "mark_confirmed": current.code() })),
                        l.t("mark-confirmed"),
                    )
                    .await;
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
                failed: Some("mark"),
                errors: e,
                ..Input::default()
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
    let details = serde_json::json!({ "before": { "mark_status": current.code(), "mark_since": page.mark_since },
                            "after": { "mark_status": to.code(), "mark_since": on }, "correction": correction });
    saved(
        tx,
        &session,
        &access,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Page)
            .object_id(page.id.0)
            .details(details),
        l.t("mark-recorded"),
    )
    .await
}

/// Records the change in the audit log in its transaction, commits, and shows the card
/// again with what was saved.
async fn saved(
    mut tx: Transaction<'static, Postgres>,
    session: &Session,
    access: &RegionAccess,
    entry: audit::Entry,
    message: String,
) -> AppResult<Response> {
    let page = entry.object();
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    session.set_flash(message).await?;
    Ok(redirect(&format!(
        "/r/{}/pages/{}/card",
        access.region.slug,
        page.unwrap_or_default()
    )))
}

/// Loads the page and checks the member may change its setup, checklist and figures.
async fn editable(
    conn: &mut PgConnection,
    access: &RegionAccess,
    id: PageId,
) -> AppResult<CardPage> {
    let (page, placement) = load(conn, access, id).await?;
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
    db::set_checklist(&mut tx, access.region.id, page.id, &ticked).await?;
    let details = serde_json::json!({ "before": { "checklist": page.checklist }, "after": { "checklist": ticked } });
    saved(
        tx,
        &session,
        &access,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Page)
            .object_id(page.id.0)
            .details(details),
        chrome.t("checklist-saved"),
    )
    .await
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
                setup: Some(form),
                failed: Some("setup"),
                errors: e,
                ..Input::default()
            },
        )
        .await;
    }
    let setup = db::Setup {
        category: &form.category,
        connected: connected.unwrap_or(false),
        has_avatar: avatar,
        has_cover: cover,
        has_description: description,
        has_contacts: contacts,
        widgets,
        comments_open: comments,
    };
    db::set_setup(&mut tx, access.region.id, page.id, &setup).await?;
    let details = serde_json::json!({ "before": { "category": page.category, "connected": page.connected, "has_avatar": page.has_avatar,
                                         "has_cover": page.has_cover, "has_description": page.has_description,
                                         "has_contacts": page.has_contacts, "widgets": page.widgets, "comments_open": page.comments_open },
                            "after": { "category": form.category, "connected": connected, "has_avatar": avatar, "has_cover": cover,
                                        "has_description": description, "has_contacts": contacts, "widgets": widgets,
                                        "comments_open": comments } });
    saved(
        tx,
        &session,
        &access,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Page)
            .object_id(page.id.0)
            .details(details),
        chrome.t("setup-saved"),
    )
    .await
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
                figures: Some(form),
                failed: Some("figures"),
                errors: e,
                ..Input::default()
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
    let details = serde_json::json!({ "week": w.week, "followers": w.followers, "posts": w.posts, "views": w.views, "reach": w.reach });
    saved(
        tx,
        &session,
        &access,
        audit::Entry::member(
            &access,
            if existed {
                audit::Action::Update
            } else {
                audit::Action::Create
            },
            audit::Object::PageFigures,
        )
        .object_id(page.id.0)
        .details(details),
        chrome.t("figures-saved"),
    )
    .await
}
