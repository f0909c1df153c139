//! The region admin's side of contests: creating one, its nominations, watching the votes
//! per hour and per network, voiding a burst with a reason (audited), and publishing the
//! results once the voting is over.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

use super::db::votes::{self, Bucket, Tally};
use super::db::{self, Contest, Nomination, Nominee};
use super::form::{ContestForm, NominationForm, Source, VoidForm};
use crate::audit::{self, Action, Entry, Object};
use crate::directory::db::Choice;
use crate::error::{AppError, AppResult};
use crate::ids::PageId;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::FieldErrors;
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

/// Networks the burst table lists.
const BLOCKS_SHOWN: i64 = 30;

#[derive(Template)]
#[template(path = "contests/list.html")]
pub struct ListScreen {
    pub chrome: Chrome,
    pub slug: String,
    pub contests: Vec<Contest>,
    pub form: ContestForm,
    pub errors: FieldErrors,
    pub tz: chrono_tz::Tz,
}

impl ListScreen {
    pub fn when(&self, t: &chrono::DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

async fn list_screen(
    state: &AppState,
    admin: &RegionAdmin,
    chrome: Chrome,
    form: ContestForm,
    errors: FieldErrors,
) -> AppResult<ListScreen> {
    let region = &admin.0.region;
    let mut tx = state.tenant(region.id).await?;
    let contests = db::list(&mut tx, region.id).await?;
    tx.commit().await?;
    Ok(ListScreen {
        slug: region.slug.clone(),
        tz: crate::regions::time::zone(region),
        contests,
        form,
        errors,
        chrome,
    })
}

pub async fn list(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    render(
        &list_screen(
            &state,
            &admin,
            chrome,
            ContestForm::default(),
            FieldErrors::default(),
        )
        .await?,
    )
}

pub async fn create(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
    session: Session,
    Form(form): Form<ContestForm>,
) -> AppResult<Response> {
    let region = admin.0.region.clone();
    let tz = crate::regions::time::zone(&region);
    let new = match form.validate(tz, state.settings.mail.is_some(), chrome.locale) {
        Ok(new) => new,
        Err(errors) => {
            return render_invalid(&list_screen(&state, &admin, chrome, form, errors).await?);
        }
    };
    let mut tx = state.tenant(region.id).await?;
    let id = db::insert(&mut tx, region.id, &new, admin.0.user_id()).await?;
    audit::record(
        &mut tx,
        Entry::new(Action::Create, Object::Contest)
            .region(region.id)
            .user(admin.0.user_id())
            .object_id(id)
            .details(serde_json::json!({ "title": new.title })),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("contest-created")).await?;
    Ok(redirect(&format!("/r/{}/contest-admin/{id}", region.slug)))
}

#[derive(Deserialize)]
pub struct ContestPath {
    #[allow(dead_code)]
    region: String,
    id: i64,
}

/// A nominee with its live count, as only the admin sees it before the results are out.
pub struct Standing {
    pub nominee: Nominee,
    pub votes: i64,
}

#[derive(Template)]
#[template(path = "contests/manage.html")]
pub struct ManageScreen {
    pub chrome: Chrome,
    pub slug: String,
    pub contest: Contest,
    pub standings: Vec<(Nomination, Vec<Standing>)>,
    pub sectors: Vec<Choice>,
    pub hours: Vec<Bucket>,
    pub blocks: Vec<Bucket>,
    pub nomination: NominationForm,
    pub nomination_errors: FieldErrors,
    pub void: VoidForm,
    pub void_errors: FieldErrors,
    pub over: bool,
    pub tz: chrono_tz::Tz,
}

impl ManageScreen {
    pub fn when(&self, t: &chrono::DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    /// A moment as the void form's fields take it.
    pub fn field_time(&self, t: &chrono::DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    /// What the admin typed, or the moment the table suggests.
    pub fn void_or(&self, typed: &str, t: &chrono::DateTime<Utc>) -> String {
        if typed.is_empty() {
            self.field_time(t)
        } else {
            typed.to_owned()
        }
    }

    pub fn is_sector(&self, id: &i64) -> bool {
        self.nomination.sector == id.to_string()
    }
}

#[derive(Default)]
struct Forms {
    nomination: NominationForm,
    nomination_errors: FieldErrors,
    void: VoidForm,
    void_errors: FieldErrors,
}

async fn manage_screen(
    state: &AppState,
    admin: &RegionAdmin,
    chrome: Chrome,
    id: i64,
    forms: Forms,
) -> AppResult<ManageScreen> {
    let region = &admin.0.region;
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let nominations = db::nominations(&mut tx, region.id, id).await?;
    let nominees = db::nominees(&mut tx, region.id, id).await?;
    let tally = votes::tally(&mut tx, region.id, id).await?;
    let hours = votes::per_hour(&mut tx, region.id, id, &region.time_zone).await?;
    let blocks = votes::per_block(&mut tx, region.id, id, BLOCKS_SHOWN).await?;
    let sectors = crate::directory::db::sectors(&mut tx, region.id).await?;
    tx.commit().await?;
    Ok(ManageScreen {
        slug: region.slug.clone(),
        standings: standings(&nominations, nominees, &tally),
        over: contest.is_over(Utc::now()),
        tz: crate::regions::time::zone(region),
        contest,
        sectors,
        hours,
        blocks,
        nomination: forms.nomination,
        nomination_errors: forms.nomination_errors,
        void: forms.void,
        void_errors: forms.void_errors,
        chrome,
    })
}

/// Each nomination's nominees, most votes first.
fn standings(
    nominations: &[Nomination],
    nominees: Vec<Nominee>,
    tally: &[Tally],
) -> Vec<(Nomination, Vec<Standing>)> {
    nominations
        .iter()
        .map(|n| {
            let mut of: Vec<Standing> = nominees
                .iter()
                .filter(|x| x.nomination_id == n.id)
                .map(|x| Standing {
                    votes: tally
                        .iter()
                        .find(|t| t.nomination_id == n.id && t.page_id == x.page_id)
                        .map_or(0, |t| t.votes),
                    nominee: x.clone(),
                })
                .collect();
            of.sort_by_key(|s| std::cmp::Reverse(s.votes));
            (n.clone(), of)
        })
        .collect()
}

pub async fn manage(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
    Path(path): Path<ContestPath>,
) -> AppResult<Response> {
    render(&manage_screen(&state, &admin, chrome, path.id, Forms::default()).await?)
}

pub async fn add_nomination(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
    session: Session,
    Path(path): Path<ContestPath>,
    Form(form): Form<NominationForm>,
) -> AppResult<Response> {
    let region = admin.0.region.clone();
    let l = chrome.locale;
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut checked = form.validate(l);
    let mut pages: Vec<PageId> = Vec::new();
    let mut sector = None;
    if let Ok((_, source)) = &checked {
        let mut e = FieldErrors::default();
        match source {
            Source::Sector(id) => {
                let known = crate::directory::db::sectors(&mut tx, region.id)
                    .await?
                    .iter()
                    .any(|s| s.id == *id);
                if known {
                    sector = Some(*id);
                } else {
                    e.add("sector", l.t("field-choose"));
                }
            }
            Source::Addresses(lines) => {
                let mut unknown = Vec::new();
                for line in lines {
                    match crate::pages::find_by_address(&mut tx, line).await? {
                        Some((page, _)) => pages.push(page),
                        None => unknown.push(line.as_str()),
                    }
                }
                if !unknown.is_empty() {
                    e.add(
                        "pages",
                        l.t1("contest-pages-unknown", "pages", &unknown.join(", ")),
                    );
                }
            }
        }
        if !e.is_empty() {
            checked = Err(e);
        }
    }
    if contest.voting_starts_at <= Utc::now() && checked.is_ok() {
        let mut e = FieldErrors::default();
        e.add("title", l.t("contest-started-no-changes"));
        checked = Err(e);
    }
    let title = match checked {
        Ok((title, _)) => title,
        Err(errors) => {
            tx.rollback().await?;
            let forms = Forms {
                nomination: form,
                nomination_errors: errors,
                ..Forms::default()
            };
            return render_invalid(&manage_screen(&state, &admin, chrome, path.id, forms).await?);
        }
    };
    let added = db::add_nomination(&mut tx, region.id, contest.id, &title, sector, &pages).await;
    let (_, count) = match added {
        Ok(done) => done,
        Err(e)
            if e.as_database_error().and_then(|d| d.constraint())
                == Some("contest_nominations_title_key") =>
        {
            tx.rollback().await?;
            let mut errors = FieldErrors::default();
            errors.add("title", l.t("contest-nomination-taken"));
            let forms = Forms {
                nomination: form,
                nomination_errors: errors,
                ..Forms::default()
            };
            return render_invalid(&manage_screen(&state, &admin, chrome, path.id, forms).await?);
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    session
        .set_flash(l.t1("contest-nomination-added", "count", &count.to_string()))
        .await?;
    Ok(redirect(&format!(
        "/r/{}/contest-admin/{}",
        region.slug, contest.id
    )))
}

pub async fn void(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
    session: Session,
    Path(path): Path<ContestPath>,
    Form(form): Form<VoidForm>,
) -> AppResult<Response> {
    let region = admin.0.region.clone();
    let l = chrome.locale;
    let tz = crate::regions::time::zone(&region);
    let void = match form.validate(tz, l) {
        Ok(v) => v,
        Err(errors) => {
            let forms = Forms {
                void: form,
                void_errors: errors,
                ..Forms::default()
            };
            return render_invalid(&manage_screen(&state, &admin, chrome, path.id, forms).await?);
        }
    };
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if contest.results_published_at.is_some() {
        return Err(AppError::Conflict("results already published".into()));
    }
    let voided = votes::void(
        &mut tx,
        region.id,
        contest.id,
        &void.block,
        void.from,
        void.to,
        &void.reason,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry::new(Action::Void, Object::Contest)
            .region(region.id)
            .user(admin.0.user_id())
            .object_id(contest.id)
            .details(serde_json::json!({
                "block": void.block,
                "from": void.from,
                "to": void.to,
                "reason": void.reason,
                "votes": voided,
            })),
    )
    .await?;
    tx.commit().await?;
    session
        .set_flash(l.t1("contest-voided", "count", &voided.to_string()))
        .await?;
    Ok(redirect(&format!(
        "/r/{}/contest-admin/{}",
        region.slug, contest.id
    )))
}

pub async fn publish(
    State(state): State<AppState>,
    admin: RegionAdmin,
    chrome: Chrome,
    session: Session,
    Path(path): Path<ContestPath>,
) -> AppResult<Response> {
    let region = admin.0.region.clone();
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !db::publish(&mut tx, region.id, contest.id).await? {
        return Err(AppError::Conflict(
            "the voting is not over or the results are out".into(),
        ));
    }
    audit::record(
        &mut tx,
        Entry::new(Action::Publish, Object::Contest)
            .region(region.id)
            .user(admin.0.user_id())
            .object_id(contest.id),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("contest-published")).await?;
    Ok(redirect(&format!(
        "/r/{}/contest-admin/{}",
        region.slug, contest.id
    )))
}
