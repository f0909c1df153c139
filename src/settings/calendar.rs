//! Loading a year of the production calendar into the region's rules, from the settings
//! screen or the `load-calendar` subcommand.

use axum::extract::{Multipart, State};
use axum::response::Response;
use sqlx::PgConnection;

use super::db;
use super::handlers::SettingsScreen;
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{RegionId, UserId};
use crate::questions::production_calendar;
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::FieldErrors;
use crate::web::redirect;
use crate::web::render::render_invalid;
use crate::web::session::Session;

/// Replaces the year's holidays and working days off; the outer error is the database's,
/// the inner one a sentence about the file. Returns (holidays, working days off).
pub async fn load(
    tx: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    bytes: &[u8],
    year: i32,
    l: Locale,
) -> Result<Result<(usize, usize), String>, sqlx::Error> {
    let before = db::get(tx, region).await?;
    let mut week = [false; 7];
    for d in &before.work_days {
        if (1..=7).contains(d) {
            week[(*d - 1) as usize] = true;
        }
    }
    let cal = match production_calendar::parse(bytes, year, week, l) {
        Ok(c) => c,
        Err(message) => return Ok(Err(message)),
    };
    let mut after = before.clone();
    production_calendar::apply(&mut after, &cal);
    db::save(tx, region, &after).await?;
    let details = serde_json::json!({
        "calendar_year": year,
        "before": { "holidays": before.holidays, "working_saturdays": before.working_saturdays },
        "after": { "holidays": after.holidays, "working_saturdays": after.working_saturdays },
    });
    audit::record(
        tx,
        audit::Entry::new(audit::Action::Update, audit::Object::Settings)
            .region(region)
            .user_opt(user)
            .object_id(region.0)
            .details(details),
    )
    .await?;
    Ok(Ok((cal.holidays.len(), cal.working_days_off.len())))
}

pub async fn upload(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    session: Session,
    chrome: Chrome,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut year_text = String::new();
    let mut bytes = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        match field.name() {
            Some("calendar_year") => {
                year_text = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?
            }
            Some("file") => {
                bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?
                    .to_vec()
            }
            _ => {}
        }
    }
    let l = chrome.locale;
    let mut errors = FieldErrors::default();
    let year = match year_text.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            errors.add(
                "calendar_year",
                l.t_args(
                    "field-number-range",
                    &[("min", 2000.into()), ("max", 2100.into())],
                ),
            );
            0
        }
    };
    if bytes.is_empty() {
        errors.add("calendar_file", l.t("import-choose-file"));
    }
    let mut tx = state.tenant(access.region.id).await?;
    if errors.is_empty() {
        match load(
            &mut tx,
            access.region.id,
            Some(access.user_id()),
            &bytes,
            year,
            l,
        )
        .await?
        {
            Ok((holidays, working)) => {
                tx.commit().await?;
                session
                    .set_flash(l.t_args(
                        "calendar-loaded",
                        &[
                            ("year", year.into()),
                            ("holidays", (holidays as i64).into()),
                            ("working", (working as i64).into()),
                        ],
                    ))
                    .await?;
                return Ok(redirect(&format!("/r/{}/settings", access.region.slug)));
            }
            Err(message) => errors.add("calendar_file", message),
        }
    }
    let settings = db::get(&mut tx, access.region.id).await?;
    drop(tx);
    render_invalid(&SettingsScreen {
        chrome,
        form: super::forms::SettingsForm::from_settings(&settings),
        errors: FieldErrors::default(),
        calendar_year: year_text,
        calendar_errors: errors,
    })
}
