use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

use super::access::Relation;
use super::actions::{self, Outcome};
use super::clock::{Priority, Rules, Standing};
use super::db::templates::{self as answer_templates, TemplateOption};
use super::db::{self, EventRow, InboxContext, InboxCounts, InboxQuery, InboxRow, Question};
use super::forms::{ActionForm, MANUAL_CHANNELS, NewQuestionForm, REJECT_REASONS};
use super::view;
use super::workflow::{self, Action, Status};
use crate::audit;
use crate::error::{AppError, AppResult, constraint_of};
use crate::ids::{OrgId, QuestionId};
use crate::state::AppState;
use crate::web::access::{RegionAccess, Role};
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, IdPath, SelectOption};
use crate::web::pager::Pager;
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "questions/inbox.html")]
pub struct InboxScreen {
    pub chrome: Chrome,
    pub rows: Vec<InboxRow>,
    pub pager: Pager,
    pub counts: InboxCounts,
    pub filter: InboxQuery,
    pub pages: Vec<SelectOption>,
    pub categories: Vec<String>,
    pub can_file: bool,
    pub tz: Tz,
    pub now: DateTime<Utc>,
}

impl InboxScreen {
    pub fn local(&self, t: &DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    pub fn standing(&self, r: &InboxRow) -> &'static str {
        Standing::of(r.due_at, r.risk_at, self.now).code()
    }

    pub fn link(&self, key: &str, value: &str) -> String {
        format!(
            "{}/questions?{}",
            self.chrome.region_base(),
            self.filter.with(key, value)
        )
    }

    pub fn statuses(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("open", self.chrome.t("status-open")),
            ("all", self.chrome.t("status-all")),
        ];
        out.extend(
            Status::ALL
                .iter()
                .map(|s| (s.code(), self.chrome.label("status", s.code()))),
        );
        out
    }

    pub fn priorities(&self) -> Vec<(&'static str, String)> {
        Priority::ALL
            .iter()
            .map(|p| (p.code(), self.chrome.label("priority", p.code())))
            .collect()
    }

    pub fn selected_status(&self) -> &str {
        if self.filter.status.is_empty() {
            "open"
        } else {
            &self.filter.status
        }
    }
}

fn inbox_now() -> DateTime<Utc> {
    Utc::now()
}

pub async fn inbox(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Query(filter): Query<InboxQuery>,
) -> AppResult<Response> {
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    let now = inbox_now();
    let scope = access.org_scope();
    let mut tx = state.tenant(access.region.id).await?;
    let ids = db::scope_ids(&mut tx, access.region.id, &scope).await?;
    let own: Vec<i64> = own_orgs(&access).iter().map(|(id, _)| id.0).collect();
    let found = match db::search::typed_words(&filter) {
        // Transferred questions now belong to other organizations: only the region bounds
        // their search; the inbox's own conditions still apply to what is shown.
        Some(words) => {
            let orgs = ids.as_deref().filter(|_| filter.view != "transferred");
            let mut outside_policy = state.db.acquire().await?;
            let offset = crate::web::pager::offset(filter.page());
            let found =
                db::search::matching(&mut outside_policy, access.region.id, orgs, &words, offset);
            Some(found.await?)
        }
        None => None,
    };
    let ctx = InboxContext {
        region: access.region.id,
        ids: ids.as_deref(),
        own: &own,
        me: access.user_id(),
        now,
        today: crate::regions::time::day_bounds(now, tz),
        tz,
        found: found.as_ref(),
    };
    let counts = db::counts(&mut tx, &ctx).await?;
    let (rows, total) = db::inbox(&mut tx, &ctx, &filter, &counts).await?;
    // The page filter lists the pages of the member's own organizations; coordinators filter
    // by organization from the overview instead of scrolling thousands of pages.
    let pages = db::pages_of(&mut tx, access.region.id, &own).await?;
    let categories = crate::settings::db::get(&mut tx, access.region.id)
        .await?
        .question_categories;
    tx.commit().await?;
    let base = format!("{}/questions", chrome.region_base());
    let link = |p: i64| format!("{base}?{}", filter.page_link(p));
    // Counting stops at a cap: "over 10 000" is all a person needs to know.
    let pager = Pager::new(filter.page(), total.count, link).capped_at(db::TOTAL_CAP, link);
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
    let label = if total.estimated {
        chrome.tn("questions-about", &total.count)
    } else if pager.capped {
        chrome.t1("questions-over", "count", &db::TOTAL_CAP.to_string())
    } else {
        chrome.tn("count-questions", &total.count)
    };
    render(&InboxScreen {
        can_file: !own.is_empty(),
        pager: pager.labelled(label),
        chrome,
        rows,
        counts,
        filter,
        pages,
        categories,
        tz,
        now,
    })
}

/// Organizations the member answers for (editor or head).
fn own_orgs(access: &RegionAccess) -> Vec<(OrgId, String)> {
    let mut out: Vec<(OrgId, String)> = access
        .memberships
        .iter()
        .filter(|m| matches!(m.role, Role::Editor | Role::Head))
        .filter_map(|m| m.organization.clone())
        .collect();
    out.sort_by_key(|(id, _)| *id);
    out.dedup_by_key(|(id, _)| *id);
    out
}

#[derive(Template)]
#[template(path = "questions/new.html")]
pub struct NewQuestionScreen {
    pub chrome: Chrome,
    pub form: NewQuestionForm,
    pub errors: FieldErrors,
    pub orgs: Vec<(OrgId, String)>,
    pub pages: Vec<SelectOption>,
    pub categories: Vec<String>,
}

impl NewQuestionScreen {
    pub fn channels(&self) -> Vec<(&'static str, String)> {
        MANUAL_CHANNELS
            .iter()
            .map(|c| (*c, self.chrome.label("channel", c)))
            .collect()
    }

    pub fn priorities(&self) -> Vec<(&'static str, String)> {
        Priority::ALL
            .iter()
            .map(|p| (p.code(), self.chrome.label("priority", p.code())))
            .collect()
    }
}

async fn own_pages(
    conn: &mut PgConnection,
    access: &RegionAccess,
    orgs: &[(OrgId, String)],
) -> Result<Vec<SelectOption>, sqlx::Error> {
    let ids: Vec<i64> = orgs.iter().map(|(id, _)| id.0).collect();
    db::pages_of(conn, access.region.id, &ids).await
}

pub async fn new_form(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
) -> AppResult<Response> {
    let orgs = own_orgs(&access);
    if orgs.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.tenant(access.region.id).await?;
    let pages = own_pages(&mut tx, &access, &orgs).await?;
    let categories = crate::settings::db::get(&mut tx, access.region.id)
        .await?
        .question_categories;
    tx.commit().await?;
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    render(&NewQuestionScreen {
        form: NewQuestionForm {
            organization_id: orgs[0].0.to_string(),
            channel: "comment".into(),
            priority: "normal".into(),
            received_at: Utc::now()
                .with_timezone(&tz)
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
            ..Default::default()
        },
        chrome,
        errors: FieldErrors::default(),
        orgs,
        pages,
        categories,
    })
}

pub async fn create(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Form(form): Form<NewQuestionForm>,
) -> AppResult<Response> {
    let orgs = own_orgs(&access);
    if orgs.is_empty() {
        return Err(AppError::Forbidden);
    }
    let region = access.region.id;
    let tz = crate::regions::time::zone_of(&access.region.time_zone);
    let mut tx = state.tenant(region).await?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    let l = chrome.locale;
    let mut result = form.validate(&settings.question_categories, tz, Utc::now(), l);
    if let Ok(valid) = &result {
        let mut e = FieldErrors::default();
        if !orgs.iter().any(|(id, _)| *id == valid.organization_id) {
            e.add("organization_id", l.t("field-choose"));
        } else if let Some(page) = valid.page_id {
            let owner = crate::pages::db::owner(&mut tx, region, page).await?;
            if owner != Some(valid.organization_id) {
                e.add("page_id", l.t("question-page-not-of-org"));
            } else if let Some(ext) = &valid.external_id
                && let Some(existing) =
                    db::find_external(&mut tx, region, page, &valid.channel, ext).await?
            {
                e.add(
                    "external_id",
                    l.t1("question-external-taken", "id", &existing.to_string()),
                );
            }
        }
        if !e.is_empty() {
            result = Err(e);
        }
    }
    let valid = match result {
        Ok(v) => v,
        Err(errors) => {
            let pages = own_pages(&mut tx, &access, &orgs).await?;
            return render_invalid(&NewQuestionScreen {
                chrome,
                form,
                errors,
                orgs,
                pages,
                categories: settings.question_categories,
            });
        }
    };
    let rules = Rules::from_settings(&access.region.time_zone, &settings);
    let clocks = rules.start(valid.priority, valid.received_at);
    let id = match db::insert(&mut tx, region, &valid, &clocks).await {
        Ok(id) => id,
        // Someone filed the same message a moment ago.
        Err(e) if constraint_of(&e) == Some("questions_external_key") => {
            return Err(AppError::Conflict("question already filed".into()));
        }
        Err(e) => return Err(e.into()),
    };
    db::add_event(
        &mut tx,
        region,
        id,
        Some(access.user_id()),
        db::Event {
            to_status: Some("new"),
            details: serde_json::json!({ "channel": valid.channel }),
            ..db::Event::new("received")
        },
    )
    .await?;
    tx.commit().await?;
    session
        .set_flash(chrome.t1("question-filed", "id", &id.to_string()))
        .await?;
    Ok(redirect(&format!(
        "/r/{}/questions/{id}",
        access.region.slug
    )))
}

#[derive(Template)]
#[template(path = "questions/show.html")]
pub struct QuestionScreen {
    pub chrome: Chrome,
    pub q: Question,
    pub relation: Relation,
    pub events: Vec<EventRow>,
    pub templates: Vec<TemplateOption>,
    pub assignees: Vec<SelectOption>,
    pub candidates: Vec<SelectOption>,
    pub find: String,
    pub form: ActionForm,
    /// The form the errors and the typed text belong to.
    pub failed: Option<&'static str>,
    pub errors: FieldErrors,
    pub notice: Option<String>,
    pub contacts_shown: bool,
    /// The answers sent back to the platform the question came from.
    pub deliveries: Vec<crate::channels::db::deliveries::DeliveryRow>,
    /// For a question from the public form: the resident's consent and their link.
    pub consent: Option<crate::public_questions::db::Consent>,
    pub tz: Tz,
    pub now: DateTime<Utc>,
}

impl QuestionScreen {
    /// A delivery's failure in words: ours from the catalog, a platform's as it gave it.
    pub fn delivery_reason(&self, reason: &str) -> String {
        if reason.starts_with("delivery-") {
            self.chrome.t(reason)
        } else {
            reason.to_owned()
        }
    }

    pub fn can(&self, code: &str) -> bool {
        let Some(action) = Action::parse(code) else {
            return false;
        };
        let Some(status) = Status::parse(&self.q.status) else {
            return false;
        };
        self.relation.may(action)
            && workflow::allows(
                workflow::State {
                    status,
                    paused: self.q.paused_at.is_some(),
                    has_draft: self.pending_draft(),
                },
                action,
            )
    }

    /// A draft waiting for the head's decision (not one returned to its author).
    pub fn pending_draft(&self) -> bool {
        self.q.draft_answer.is_some() && self.q.draft_returned_comment.is_none()
    }

    pub fn local(&self, t: &DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    pub fn standing(&self) -> &'static str {
        Standing::of(self.q.due_at, self.q.risk_at, self.now).code()
    }

    pub fn paused_for(&self) -> String {
        view::duration(i64::from(self.q.paused_minutes), self.chrome.locale)
    }

    /// The text of a form: what was typed if that form failed, else `fallback`.
    pub fn typed(&self, form: &str, fallback: &str) -> String {
        if self.failed == Some(form) {
            self.form.text.clone()
        } else {
            fallback.to_owned()
        }
    }

    pub fn is_assignee(&self, id: &i64) -> bool {
        self.q.assignee_id.is_some_and(|a| a.0 == *id)
    }

    /// The message for a field of the form that failed.
    pub fn error(&self, form: &str, field: &str) -> Option<String> {
        if self.failed == Some(form) {
            self.errors.get(field).map(str::to_owned)
        } else {
            None
        }
    }

    pub fn invalid(&self, form: &str, field: &str) -> bool {
        self.error(form, field).is_some()
    }

    /// The composer starts from a returned draft, so its author can rework it.
    pub fn composer_text(&self) -> String {
        let returned = self
            .q
            .draft_returned_comment
            .as_ref()
            .and(self.q.draft_answer.clone())
            .unwrap_or_default();
        self.typed("answer", &returned)
    }

    pub fn reasons(&self) -> Vec<(&'static str, String)> {
        REJECT_REASONS
            .iter()
            .map(|r| (*r, self.chrome.label("reject-reason", r)))
            .collect()
    }

    pub fn event_status(&self, e: &EventRow) -> Option<String> {
        e.to_status.as_ref().map(|s| self.chrome.label("status", s))
    }

    pub fn event_detail(&self, e: &EventRow) -> Option<String> {
        let d = &e.details;
        let text = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        match e.kind.as_str() {
            "assigned" => text("assignee").map(|n| self.chrome.t1("event-assigned-to", "name", &n)),
            "transferred" => Some(
                self.chrome.t_args_pairs(
                    "event-transferred-detail",
                    &[
                        ("from", text("from").unwrap_or_default()),
                        ("to", text("to").unwrap_or_default()),
                        (
                            "clock",
                            self.chrome
                                .label("clock", &text("clock").unwrap_or_default()),
                        ),
                    ],
                ),
            ),
            "rejected" => text("reason").map(|r| self.chrome.label("reject-reason", &r)),
            "duplicate" => d
                .get("original")
                .and_then(|v| v.as_i64())
                .map(|id| self.chrome.t1("event-duplicate-of", "id", &id.to_string())),
            "resumed" => d.get("waited_minutes").and_then(|v| v.as_i64()).map(|m| {
                self.chrome.t1(
                    "event-waited",
                    "time",
                    &view::duration(m, self.chrome.locale),
                )
            }),
            _ => None,
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// Search text for the organization to transfer to.
    pub find: String,
}

#[derive(Default)]
pub struct Screen<'a> {
    pub form: ActionForm,
    pub failed: Option<&'static str>,
    pub errors: FieldErrors,
    pub notice: Option<String>,
    pub contacts_shown: bool,
    pub find: &'a str,
}

/// The question as this member may see it, or 404.
pub async fn visible(
    conn: &mut PgConnection,
    access: &RegionAccess,
    id: QuestionId,
    lock: bool,
) -> AppResult<(Question, Relation)> {
    let q = if lock {
        db::lock(conn, access.region.id, id).await?
    } else {
        db::get(conn, access.region.id, id).await?
    }
    .ok_or(AppError::NotFound)?;
    let placement = crate::orgs::db::placement(conn, access.region.id, q.organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let relation = Relation::of(access, &q, &placement).ok_or(AppError::NotFound)?;
    Ok((q, relation))
}

pub async fn screen(
    conn: &mut PgConnection,
    access: &RegionAccess,
    chrome: Chrome,
    q: Question,
    relation: Relation,
    s: Screen<'_>,
) -> AppResult<QuestionScreen> {
    let region = access.region.id;
    let events = db::events(conn, region, q.id).await?;
    let templates = answer_templates::options(conn, region, q.organization_id).await?;
    let assignees = db::handlers_of(conn, region, q.organization_id).await?;
    let candidates = if s.find.trim().is_empty() {
        Vec::new()
    } else {
        super::db::changes::transfer_candidates(conn, region, q.organization_id, s.find).await?
    };
    let contacts_shown = s.contacts_shown && relation.sees_contacts();
    let deliveries = crate::channels::db::deliveries::for_question(conn, region, q.id).await?;
    let consent = match q.channel.as_str() {
        "form" => crate::public_questions::db::consent(conn, region, q.id).await?,
        _ => None,
    };
    let mut form = s.form;
    if s.failed == Some("answer") && form.intent == "insert" {
        if let Some(t) =
            ActionForm::id(&form.template_id).and_then(|id| templates.iter().find(|t| t.id.0 == id))
        {
            if !form.text.trim().is_empty() {
                form.text.push_str("\n\n");
            }
            form.text.push_str(&t.body);
        }
    }
    Ok(QuestionScreen {
        chrome,
        q,
        relation,
        events,
        templates,
        assignees,
        candidates,
        find: s.find.to_owned(),
        form,
        failed: s.failed,
        errors: s.errors,
        notice: s.notice,
        contacts_shown,
        deliveries,
        consent,
        tz: crate::regions::time::zone_of(&access.region.time_zone),
        now: Utc::now(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let (q, relation) = visible(&mut tx, &access, QuestionId(id), false).await?;
    let page = screen(
        &mut tx,
        &access,
        chrome,
        q,
        relation,
        Screen {
            find: &query.find,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    render(&page)
}

/// Showing a resident's contacts is recorded: who looked, when, at which question.
pub async fn contacts(
    State(state): State<AppState>,
    access: RegionAccess,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let (q, relation) = visible(&mut tx, &access, QuestionId(id), false).await?;
    if !relation.sees_contacts() {
        return Err(AppError::Forbidden);
    }
    audit::record(
        &mut tx,
        audit::Entry::member(
            &access,
            audit::Action::View,
            audit::Object::QuestionContacts,
        )
        .object_id(q.id.0)
        .details(serde_json::json!({ "organization_id": q.organization_id })),
    )
    .await?;
    let page = screen(
        &mut tx,
        &access,
        chrome,
        q,
        relation,
        Screen {
            contacts_shown: true,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    render(&page)
}

/// Runs one action on a question: 404 if the member cannot see it, 403 if their relation to
/// it does not allow the action, 409 if its state does not, 422 with the input kept if the
/// form is wrong; otherwise the change, its history entry, and back to the question.
pub async fn perform(
    state: AppState,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    id: i64,
    action: Action,
    form: ActionForm,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let (q, relation) = visible(&mut tx, &access, QuestionId(id), true).await?;
    relation.require(action)?;
    let outcome =
        actions::apply(&mut tx, &access, chrome.locale, &q, relation, action, &form).await?;
    let mut form = form;
    let (status, failed, errors, notice) = match outcome {
        Outcome::Done(message_key) => {
            tx.commit().await?;
            // Any answer just published may have a delivery to send.
            state.answers_published.notify_one();
            session.set_flash(chrome.t(message_key)).await?;
            return Ok(redirect(&format!(
                "/r/{}/questions/{id}",
                access.region.slug
            )));
        }
        Outcome::Show => (
            StatusCode::OK,
            Some(action_form(action)),
            FieldErrors::default(),
            None,
        ),
        Outcome::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(action_form(action)),
            errors,
            None,
        ),
        Outcome::ConfirmSplit(errors, parts) => {
            form.split_confirmed = parts.to_string();
            (StatusCode::OK, Some(action_form(action)), errors, None)
        }
        Outcome::Refused(notice) => (
            StatusCode::CONFLICT,
            Some(action_form(action)),
            FieldErrors::default(),
            Some(notice),
        ),
    };
    // Nothing changed: show the question again with what the person typed.
    drop(tx);
    let mut conn = state.tenant(access.region.id).await?;
    let (q, relation) = visible(&mut conn, &access, QuestionId(id), false).await?;
    let page = screen(
        &mut conn,
        &access,
        chrome,
        q,
        relation,
        Screen {
            form,
            failed,
            errors,
            notice,
            ..Default::default()
        },
    )
    .await?;
    conn.commit().await?;
    Ok((status, Html(page.render()?)).into_response())
}

/// Which form on the question screen an action's input goes back to.
fn action_form(action: Action) -> &'static str {
    match action {
        Action::Interim | Action::Answer => "answer",
        Action::Approve | Action::Return => "review",
        Action::Pause | Action::Resume => "pause",
        other => other.code(),
    }
}

macro_rules! action_handler {
    ($($name:ident => $action:expr),* $(,)?) => {$(
        pub async fn $name(
            State(state): State<AppState>,
            access: RegionAccess,
            session: Session,
            chrome: Chrome,
            Path(IdPath { id }): Path<IdPath>,
            Form(form): Form<ActionForm>,
        ) -> AppResult<Response> {
            perform(state, access, session, chrome, id, $action, form).await
        }
    )*};
}

action_handler!(
    assign => Action::Assign,
    note => Action::Note,
    approve => Action::Approve,
    return_draft => Action::Return,
    pause => Action::Pause,
    resume => Action::Resume,
    transfer => Action::Transfer,
    reject => Action::Reject,
    duplicate => Action::MarkDuplicate,
    close => Action::Close,
    reopen => Action::Reopen,
);

/// The composer posts interim and final answers (and template insertion) to one address.
pub async fn answer(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let action = if form.kind == "interim" {
        Action::Interim
    } else {
        Action::Answer
    };
    perform(state, access, session, chrome, id, action, form).await
}
