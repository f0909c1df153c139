//! Asking an organization a question from its public card: the form, and what sending it does.
//! The form is not cached (it carries the session's CSRF token and notes when it was shown).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::db;
use super::form::{AskForm, Asked};
use super::guard::{self, Refusal};
use crate::directory::db::Card;
use crate::error::{AppError, AppResult};
use crate::ids::{OrgId, RegionId};
use crate::questions::clock::{Priority, Rules};
use crate::questions::db as questions;
use crate::questions::keywords::{Keywords, catch_all};
use crate::settings::db::RegionSettings;
use crate::state::AppState;
use crate::web::access::ClientAddr;
use crate::web::forms::FieldErrors;
use crate::web::public::PublicChrome;
use crate::web::render::private_page;
use crate::web::session::{Session, hash_token, random_token};

#[derive(serde::Deserialize)]
pub struct OrgPath {
    #[allow(dead_code)]
    region: String,
    id: i64,
}

#[derive(Template)]
#[template(path = "public/ask.html")]
pub struct AskScreen {
    pub chrome: PublicChrome,
    pub csrf: String,
    pub region_slug: String,
    pub card: Card,
    pub categories: Vec<String>,
    pub consent: String,
    pub form: AskForm,
    pub errors: FieldErrors,
    pub refusal: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "public/asked.html")]
pub struct AskedScreen {
    pub chrome: PublicChrome,
    pub region_slug: String,
    pub card: Card,
    pub number: i64,
    pub status_link: String,
    pub mailed_to: Option<String>,
}

/// The consent the resident gives, word for word as shown and as stored.
pub fn consent_text(chrome: &PublicChrome, organization: &str) -> String {
    chrome.t1("ask-consent", "organization", organization)
}

async fn card_of(
    state: &AppState,
    region: RegionId,
    org: OrgId,
) -> AppResult<(Card, RegionSettings)> {
    let mut tx = state.tenant(region).await?;
    let card = crate::directory::db::card(&mut tx, region, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = crate::settings::db::get(&mut tx, region).await?;
    tx.commit().await?;
    Ok((card, settings))
}

pub async fn ask(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    Path(path): Path<OrgPath>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let (card, settings) = card_of(&state, region.id, OrgId(path.id)).await?;
    let record = session.ensure().await?;
    db::form_shown(&state.db, &record.id_hash).await?;
    let screen = AskScreen {
        consent: consent_text(&chrome, &card.name),
        csrf: record.csrf_token,
        region_slug: region.slug,
        card,
        categories: settings.question_categories,
        form: AskForm::default(),
        errors: FieldErrors::default(),
        refusal: None,
        chrome,
    };
    private_page(StatusCode::OK, &screen)
}

pub async fn submit(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    ClientAddr(address): ClientAddr,
    Path(path): Path<OrgPath>,
    Form(form): Form<AskForm>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let (card, settings) = card_of(&state, region.id, OrgId(path.id)).await?;
    let record = session.ensure().await?;
    let l = chrome.locale;
    let refuse = |refusal: Option<Refusal>, errors: FieldErrors, form: AskForm| {
        let status = match refusal {
            Some(Refusal::TooMany) => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let screen = AskScreen {
            consent: consent_text(&chrome, &card.name),
            csrf: record.csrf_token.clone(),
            region_slug: region.slug.clone(),
            card: card.clone(),
            categories: settings.question_categories.clone(),
            // The hidden field goes back empty: a person who filled it by accident passes.
            form: AskForm {
                website: String::new(),
                ..form
            },
            errors,
            refusal: refusal.map(Refusal::message_key),
            chrome: chrome.clone(),
        };
        private_page(status, &screen)
    };
    let shown = db::seconds_since_form_shown(&state.db, &record.id_hash).await?;
    if let Err(refusal) = guard::robot_check(&form.website, shown, state.settings.form_min_fill) {
        // The form counts as shown again: the resident sends it once more, a little later.
        db::form_shown(&state.db, &record.id_hash).await?;
        return refuse(Some(refusal), FieldErrors::default(), form);
    }
    let asked = match form.validate(&settings.question_categories, l) {
        Ok(asked) => asked,
        Err(errors) => return refuse(None, errors, form),
    };
    let mut tx = state.tenant(region.id).await?;
    if let Err(refusal) = guard::count(&mut tx, address, Some(&asked.contact.canonical())).await? {
        tx.rollback().await?;
        return refuse(Some(refusal), FieldErrors::default(), form);
    }
    let token = random_token();
    let consent = consent_text(&chrome, &card.name);
    let rules = Rules::from_settings(&region.time_zone, &settings);
    let question = file(&mut tx, region.id, card.id, &settings, &rules, &asked).await?;
    db::insert(
        &mut tx,
        region.id,
        question,
        &consent,
        &hash_token(&token),
        l.code(),
    )
    .await?;
    tx.commit().await?;
    let status_link = format!(
        "{}/r/{}/q/{token}",
        state.settings.base_url.trim_end_matches('/'),
        region.slug
    );
    let mailed_to = match asked.contact.email() {
        Some(to) => super::mail::confirm(&state, l, to, &card.name, question.0, &status_link)
            .await
            .then(|| to.to_owned()),
        None => None,
    };
    let screen = AskedScreen {
        chrome,
        region_slug: region.slug,
        card,
        number: question.0,
        status_link,
        mailed_to,
    };
    private_page(StatusCode::OK, &screen)
}

/// Files the question in the organization's inbox with channel «форма на сайте» and its
/// deadlines by the region's rules.
async fn file(
    tx: &mut sqlx::PgConnection,
    region: RegionId,
    org: OrgId,
    settings: &RegionSettings,
    rules: &Rules,
    asked: &Asked,
) -> Result<crate::ids::QuestionId, sqlx::Error> {
    let category = asked.category.clone().unwrap_or_else(|| {
        Keywords::from_settings(&settings.category_keywords, &settings.question_categories)
            .guess(&asked.text)
            .map_or_else(|| catch_all(&settings.question_categories), str::to_owned)
    });
    let new = questions::NewQuestion {
        organization_id: org,
        page_id: None,
        channel: "form".to_owned(),
        external_id: None,
        author_name: Some(asked.name.clone()),
        author_contact: Some(asked.contact.shown().to_owned()),
        body: asked.text.clone(),
        attachments: Vec::new(),
        category,
        priority: Priority::Normal,
        received_at: Utc::now(),
    };
    let clocks = rules.start(new.priority, new.received_at);
    let id = questions::insert(tx, region, &new, &clocks).await?;
    questions::add_event(
        tx,
        region,
        id,
        None,
        questions::Event {
            to_status: Some("new"),
            details: serde_json::json!({ "channel": "form" }),
            ..questions::Event::new("received")
        },
    )
    .await?;
    Ok(id)
}
