//! The admin says once what a file's unfamiliar columns and values mean: a column is a
//! field or left out on purpose, «Спорт» is the sector «Физическая культура и спорт». What
//! they say is remembered for the region, and the stored file is checked again at once.

use axum::extract::{Path, State};
use axum::response::Response;

use super::columns::{ColumnSpec, IGNORE, normalize};
use super::db::{self, MUNICIPALITY, SECTOR};
use super::{UnknownValue, activity, municipalities, orgs, pages, run};
use crate::error::{AppError, AppResult};
use crate::ids::RegionId;
use crate::state::AppState;
use crate::web::access::RegionAccess;
use crate::web::chrome::Chrome;
use crate::web::forms::IdPath;
use crate::web::redirect;
use crate::web::session::Session;
use sqlx::PgConnection;

/// A field a column may be mapped to: its code and its name as the admin reads it.
pub struct FieldChoice {
    pub code: &'static str,
    pub label: String,
}

/// The fields of a kind of file, in the order its template lists them.
pub fn field_choices(kind: &str, l: crate::i18n::Locale) -> Vec<FieldChoice> {
    let label = |spec: &ColumnSpec| {
        // Numbered columns share a name: «Отрасль 2» says which.
        match spec.code.chars().last().filter(char::is_ascii_digit) {
            Some(n) => format!("{} {n}", l.t(spec.label_key)),
            None => l.t(spec.label_key),
        }
    };
    let choices = |specs: &[ColumnSpec]| -> Vec<FieldChoice> {
        specs
            .iter()
            .map(|s| FieldChoice {
                code: s.code,
                label: label(s),
            })
            .collect()
    };
    match kind {
        run::KIND_PAGES => choices(pages::COLUMNS),
        run::KIND_ACTIVITY => choices(&activity::columns()),
        run::KIND_MUNICIPALITIES => choices(municipalities::COLUMNS),
        _ => choices(orgs::COLUMNS),
    }
}

/// An entry of a dictionary a value may be mapped to.
pub struct Entry {
    pub id: i64,
    pub name: String,
}

/// The region's sectors and municipalities, for values that name neither.
pub struct Dictionaries {
    pub sectors: Vec<Entry>,
    pub municipalities: Vec<Entry>,
}

impl Dictionaries {
    pub async fn load(db: &mut PgConnection, region: RegionId) -> Result<Self, sqlx::Error> {
        let entries = |rows: Vec<db::orgs::NamedRow>| {
            let mut out: Vec<Entry> = rows
                .into_iter()
                .map(|r| Entry {
                    id: r.id,
                    name: r.name,
                })
                .collect();
            out.sort_by(|a, b| a.name.cmp(&b.name));
            out
        };
        Ok(Dictionaries {
            sectors: entries(db::orgs::sector_names(db, region).await?),
            municipalities: entries(db::orgs::municipality_names(db, region).await?),
        })
    }

    pub fn of(&self, field: &str) -> &[Entry] {
        match field {
            SECTOR => &self.sectors,
            _ => &self.municipalities,
        }
    }
}

/// What a submitted mapping form says, each decision checked against what may be chosen.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    /// (header as `normalize` reduces it, field code or `IGNORE`).
    pub columns: Vec<(String, String)>,
    pub values: Vec<(UnknownValue, i64)>,
}

/// Reads the form's pairs in order: `column` then its `as`, `field` and `value` then their
/// `to`. An empty choice means "not decided yet"; a choice that is not offered is dropped.
pub fn decisions(pairs: &[(String, String)], kind: &str, dicts: &Dictionaries) -> Decisions {
    let codes: Vec<&str> = field_choices(kind, crate::i18n::Locale::Ru)
        .iter()
        .map(|c| c.code)
        .collect();
    let mut out = Decisions::default();
    let mut column: Option<&str> = None;
    let mut field: Option<&str> = None;
    let mut value: Option<&str> = None;
    for (name, v) in pairs {
        match name.as_str() {
            "column" => column = Some(v),
            "as" => {
                if let Some(header) = column.take()
                    && (v == IGNORE || codes.contains(&v.as_str()))
                    && !normalize(header).is_empty()
                {
                    out.columns.push((normalize(header), v.clone()));
                }
            }
            "field" => field = Some(v),
            "value" => value = Some(v),
            "to" => {
                let (Some(f), Some(text)) = (field.take(), value.take()) else {
                    continue;
                };
                let chosen = v.parse::<i64>().ok();
                if [SECTOR, MUNICIPALITY].contains(&f)
                    && let Some(id) = chosen.filter(|id| dicts.of(f).iter().any(|e| e.id == *id))
                {
                    out.values.push((
                        UnknownValue {
                            field: f.to_owned(),
                            value: text.to_owned(),
                        },
                        id,
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

pub async fn save(
    State(state): State<AppState>,
    access: RegionAccess,
    session: Session,
    chrome: Chrome,
    Path(IdPath { id }): Path<IdPath>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let region = access.region.id;
    let mut tx = state.tenant(region).await?;
    let import = db::get(&mut tx, region, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access.require_admin()?;
    let dicts = Dictionaries::load(&mut tx, region).await?;
    let said = decisions(&pairs, &import.summary.kind, &dicts);
    if !said.columns.is_empty() {
        db::remember_columns(&mut tx, region, &import.summary.kind, &said.columns).await?;
    }
    if !said.values.is_empty() {
        db::remember_values(&mut tx, region, &said.values).await?;
    }
    let message = if import.summary.status == "previewed" {
        run::check_again(&mut tx, region, id, chrome.locale).await?;
        chrome.t("import-mapping-saved")
    } else {
        chrome.t("import-already-committed")
    };
    tx.commit().await?;
    session.set_flash(message).await?;
    Ok(redirect(&format!("/r/{}/imports/{id}", access.region.slug)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn only_offered_choices_are_taken() {
        let dicts = Dictionaries {
            sectors: vec![Entry {
                id: 7,
                name: "Физическая культура и спорт".into(),
            }],
            municipalities: vec![],
        };
        let said = decisions(
            &pairs(&[
                ("column", "Учредитель (ОГРН)"),
                ("as", "founder"),
                ("column", "Сфера"),
                ("as", "sector1"),
                ("column", "Примечание"),
                ("as", "ignore"),
                ("column", "Не решено"),
                ("as", ""),
                ("column", "Чужое"),
                ("as", "password"),
                ("field", "sector"),
                ("value", "Спорт"),
                ("to", "7"),
                ("field", "sector"),
                ("value", "Туризм"),
                ("to", "8"),
                ("field", "municipality"),
                ("value", "Барнаул"),
                ("to", ""),
            ]),
            run::KIND_ORGANIZATIONS,
            &dicts,
        );
        assert_eq!(
            said.columns,
            vec![
                (normalize("Учредитель (ОГРН)"), "founder".to_owned()),
                (normalize("Сфера"), "sector1".to_owned()),
                (normalize("Примечание"), "ignore".to_owned()),
            ]
        );
        assert_eq!(said.values.len(), 1);
        assert_eq!(
            (said.values[0].0.value.as_str(), said.values[0].1),
            ("Спорт", 7)
        );
    }
}
