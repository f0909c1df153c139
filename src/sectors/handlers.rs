use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, SectorRow};
use crate::audit::Object;
use crate::dictionaries::Dictionary;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::ids::{RegionId, SectorId};
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, Unique};
use crate::web::render::render;

#[derive(Template)]
#[template(path = "sectors/list.html")]
pub struct SectorListScreen {
    pub chrome: Chrome,
    pub rows: Vec<SectorRow>,
}

#[derive(Template)]
#[template(path = "sectors/form.html")]
pub struct SectorFormScreen {
    pub chrome: Chrome,
    pub form: SectorForm,
    pub errors: FieldErrors,
    pub action: String,
    pub editing: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SectorForm {
    pub name: String,
    pub position: String,
}

impl SectorForm {
    pub fn validate(&self, l: Locale) -> Result<(String, i32), FieldErrors> {
        let mut e = FieldErrors::default();
        let name = crate::names::check(&self.name, 200, l).unwrap_or_else(|message| {
            e.add("name", message);
            String::new()
        });
        let position = match self.position.trim() {
            "" => 0,
            p => p.parse::<i32>().unwrap_or_else(|_| {
                e.add("position", l.t("field-number"));
                0
            }),
        };
        e.into_result((name, position))
    }
}

pub async fn list(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let rows = db::list(&mut conn, access.region.id).await?;
    render(&SectorListScreen { chrome, rows })
}

/// Sectors as a dictionary: a name used once in the region, and a place in its order.
pub struct Sectors;

impl Dictionary for Sectors {
    const PATH: &'static str = "sectors";
    const OBJECT: Object = Object::Sector;
    const UNIQUE: &'static [Unique] = &[
        Unique {
            constraint: "sectors_name_key",
            field: "name",
            message_key: "sector-name-taken",
        },
        Unique {
            constraint: "sectors_name_ci_key",
            field: "name",
            message_key: "sector-name-taken",
        },
    ];

    type Form = SectorForm;
    /// The name and the position.
    type Entry = (String, i32);
    type Row = SectorRow;
    type Screen = SectorFormScreen;

    fn form_of(s: SectorRow) -> SectorForm {
        SectorForm {
            name: s.name,
            position: s.position.to_string(),
        }
    }

    fn validate(form: &SectorForm, l: Locale) -> Result<(String, i32), FieldErrors> {
        form.validate(l)
    }

    fn details((name, position): &(String, i32)) -> serde_json::Value {
        serde_json::json!({ "name": name, "position": position })
    }

    fn row_details(s: &SectorRow) -> serde_json::Value {
        serde_json::json!({ "name": s.name, "position": s.position })
    }

    fn screen(
        chrome: Chrome,
        form: SectorForm,
        errors: FieldErrors,
        action: String,
        editing: bool,
    ) -> SectorFormScreen {
        SectorFormScreen {
            chrome,
            form,
            errors,
            action,
            editing,
        }
    }

    async fn get(
        db: &mut sqlx::PgConnection,
        region: RegionId,
        id: i64,
    ) -> Result<Option<SectorRow>, sqlx::Error> {
        db::get(db, region, SectorId(id)).await
    }

    async fn insert(
        db: &mut sqlx::PgConnection,
        region: RegionId,
        (name, position): &(String, i32),
    ) -> Result<i64, sqlx::Error> {
        Ok(db::insert(db, region, name, *position).await?.0)
    }

    async fn update(
        db: &mut sqlx::PgConnection,
        region: RegionId,
        id: i64,
        (name, position): &(String, i32),
    ) -> Result<(), sqlx::Error> {
        db::update(db, region, SectorId(id), name, *position).await?;
        Ok(())
    }
}
