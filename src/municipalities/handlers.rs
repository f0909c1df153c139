use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::KINDS;
use super::db::{self, MunicipalityRow};
use crate::audit::Object;
use crate::dictionaries::Dictionary;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::ids::{MunicipalityId, RegionId};
use crate::state::AppState;
use crate::web::access::RegionAdmin;
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, ListQuery, Pager, Unique, optional};
use crate::web::render::render;

#[derive(Template)]
#[template(path = "municipalities/list.html")]
pub struct MunicipalityListScreen {
    pub chrome: Chrome,
    pub rows: Vec<MunicipalityRow>,
    pub query: ListQuery,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "municipalities/form.html")]
pub struct MunicipalityFormScreen {
    pub chrome: Chrome,
    pub form: MunicipalityForm,
    pub errors: FieldErrors,
    pub action: String,
    pub editing: bool,
}

impl MunicipalityFormScreen {
    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        KINDS
            .iter()
            .map(|k| (*k, self.chrome.t(&format!("municipality-kind-{k}"))))
            .collect()
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MunicipalityForm {
    pub name: String,
    pub kind: String,
    pub oktmo: String,
}

pub struct Valid {
    name: String,
    kind: String,
    oktmo: Option<String>,
}

impl MunicipalityForm {
    pub fn validate(&self, l: Locale) -> Result<Valid, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = crate::names::check(&self.name, 200, l).unwrap_or_else(|message| {
            e.add("name", message);
            String::new()
        });
        if !KINDS.contains(&self.kind.as_str()) {
            e.add("kind", l.t("field-choose"));
        }
        let oktmo = optional(&self.oktmo);
        if let Some(o) = &oktmo
            && !((o.len() == 8 || o.len() == 11) && o.bytes().all(|b| b.is_ascii_digit()))
        {
            e.add("oktmo", l.t("oktmo-format"));
        }
        e.into_result(Valid {
            name,
            kind: self.kind.clone(),
            oktmo,
        })
    }
}

pub async fn list(
    State(state): State<AppState>,
    RegionAdmin(access): RegionAdmin,
    chrome: Chrome,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.tenant(access.region.id).await?;
    let (rows, total) = db::list(&mut conn, access.region.id, &query).await?;
    let pager = query.pager(&format!("/r/{}/municipalities", access.region.slug), total);
    if let Some(last) = pager.past_the_end() {
        return Ok(crate::web::redirect(last));
    }
    render(&MunicipalityListScreen {
        chrome,
        rows,
        query,
        pager,
    })
}

/// Municipalities as a dictionary: a name and an OKTMO code used once in the region.
pub struct Municipalities;

impl Dictionary for Municipalities {
    const PATH: &'static str = "municipalities";
    const OBJECT: Object = Object::Municipality;
    const UNIQUE: &'static [Unique] = &[
        Unique {
            constraint: "municipalities_name_key",
            field: "name",
            message_key: "municipality-name-taken",
        },
        Unique {
            constraint: "municipalities_name_ci_key",
            field: "name",
            message_key: "municipality-name-taken",
        },
        Unique {
            constraint: "municipalities_oktmo_key",
            field: "oktmo",
            message_key: "oktmo-taken",
        },
    ];

    type Form = MunicipalityForm;
    type Entry = Valid;
    type Row = MunicipalityRow;
    type Screen = MunicipalityFormScreen;

    fn blank() -> MunicipalityForm {
        MunicipalityForm {
            kind: "municipal_district".into(),
            ..Default::default()
        }
    }

    fn form_of(m: MunicipalityRow) -> MunicipalityForm {
        MunicipalityForm {
            name: m.name,
            kind: m.kind,
            oktmo: m.oktmo.unwrap_or_default(),
        }
    }

    fn validate(form: &MunicipalityForm, l: Locale) -> Result<Valid, FieldErrors> {
        form.validate(l)
    }

    fn details(v: &Valid) -> serde_json::Value {
        serde_json::json!({ "name": v.name, "kind": v.kind, "oktmo": v.oktmo })
    }

    fn row_details(m: &MunicipalityRow) -> serde_json::Value {
        serde_json::json!({ "name": m.name, "kind": m.kind, "oktmo": m.oktmo })
    }

    fn screen(
        chrome: Chrome,
        form: MunicipalityForm,
        errors: FieldErrors,
        action: String,
        editing: bool,
    ) -> MunicipalityFormScreen {
        MunicipalityFormScreen {
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
    ) -> Result<Option<MunicipalityRow>, sqlx::Error> {
        db::get(db, region, MunicipalityId(id)).await
    }

    async fn insert(
        db: &mut sqlx::PgConnection,
        region: RegionId,
        v: &Valid,
    ) -> Result<i64, sqlx::Error> {
        let id = db::insert(db, region, &v.name, &v.kind, v.oktmo.as_deref()).await?;
        Ok(id.0)
    }

    async fn update(
        db: &mut sqlx::PgConnection,
        region: RegionId,
        id: i64,
        v: &Valid,
    ) -> Result<(), sqlx::Error> {
        db::update(
            db,
            region,
            MunicipalityId(id),
            &v.name,
            &v.kind,
            v.oktmo.as_deref(),
        )
        .await?;
        Ok(())
    }
}
