use askama::Template;
use axum::extract::{Form, State};
use axum::response::Response;

use super::db;
use super::forms::{PLATFORM_USE, SettingsForm, TRANSFER_CLOCK, platform_field};
use crate::audit;
use crate::error::AppResult;
use crate::pages::url::Platform;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::FieldErrors;
use crate::web::redirect;
use crate::web::render::{render, render_invalid};
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "settings/form.html")]
pub struct SettingsScreen {
    pub chrome: Chrome,
    pub form: SettingsForm,
    pub errors: FieldErrors,
    /// The production calendar upload, a form of its own.
    pub calendar_year: String,
    pub calendar_errors: FieldErrors,
}

impl SettingsScreen {
    /// (field name, platform label) for each platform.
    pub fn platforms(&self) -> Vec<(&'static str, &'static str, String)> {
        Platform::ALL
            .iter()
            .map(|p| (platform_field(*p), p.code(), self.chrome.t(p.label_key())))
            .collect()
    }

    pub fn uses(&self) -> Vec<(&'static str, String)> {
        PLATFORM_USE
            .iter()
            .map(|u| (*u, self.chrome.t(&format!("settings-platform-{u}"))))
            .collect()
    }

    pub fn transfer_clocks(&self) -> Vec<(&'static str, String)> {
        TRANSFER_CLOCK
            .iter()
            .map(|c| (*c, self.chrome.t(&format!("settings-transfer-clock-{c}"))))
            .collect()
    }

    pub fn days(&self) -> Vec<(i16, String)> {
        (1..=7)
            .map(|d| (d, self.chrome.t(&format!("weekday-{d}"))))
            .collect()
    }
}

/// Calendars are published for the coming year in autumn: offer that year.
fn next_year(time_zone: &str) -> String {
    use chrono::Datelike;
    let tz = crate::regions::time::zone_of(time_zone);
    (chrono::Utc::now().with_timezone(&tz).year() + 1).to_string()
}

pub async fn edit_form(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let mut tx = state.tenant(access.region.id).await?;
    let settings = db::get(&mut tx, access.region.id).await?;
    tx.commit().await?;
    render(&SettingsScreen {
        chrome,
        form: SettingsForm::from_settings(&settings),
        errors: FieldErrors::default(),
        calendar_year: next_year(&access.region.time_zone),
        calendar_errors: FieldErrors::default(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let settings = match form.validate(chrome.locale) {
        Ok(s) => s,
        Err(errors) => {
            return render_invalid(&SettingsScreen {
                chrome,
                form,
                errors,
                calendar_year: next_year(&access.region.time_zone),
                calendar_errors: FieldErrors::default(),
            });
        }
    };
    let mut tx = state.tenant(access.region.id).await?;
    let before = db::get(&mut tx, access.region.id).await?;
    db::save(&mut tx, access.region.id, &settings).await?;
    audit::record(
        &mut tx,
        audit::Entry::member(&access, audit::Action::Update, audit::Object::Settings)
            .object_id(access.region.id.0)
            .details(serde_json::json!({ "before": before, "after": settings })),
    )
    .await?;
    tx.commit().await?;
    session.set_flash(chrome.t("saved")).await?;
    Ok(redirect(&format!("/r/{}/settings", access.region.slug)))
}
