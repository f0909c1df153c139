//! Importing municipalities, so a region is set up from the list it has (name, kind, OKTMO)
//! instead of typed in. A row matches a municipality by its OKTMO, else by its name in one
//! spelling; it creates, renames or changes, through the same preview and commit.

mod parse;

use std::collections::HashMap;

use sqlx::PgConnection;

use super::columns::ColumnSpec;
use super::plan::{Change, Checked, PlannedRow, Problems, Written, columns_of};
use super::reader::Table;
use crate::i18n::Locale;
use crate::ids::{MunicipalityId, RegionId};
use crate::municipalities::db::MunicipalityRow;
use parse::MunicipalityLine;
pub use parse::parse_kind;

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        code: "name",
        label_key: "field-name",
        required: true,
        headers: &[
            "наименование",
            "название",
            "муниципальное образование",
            "наименование муниципального образования",
            "муниципалитет",
            "name",
            "municipality",
        ],
    },
    ColumnSpec {
        code: "kind",
        label_key: "field-kind",
        required: false,
        headers: &[
            "вид",
            "тип",
            "вид муниципального образования",
            "тип муниципального образования",
            "kind",
            "type",
        ],
    },
    ColumnSpec {
        code: "oktmo",
        label_key: "field-oktmo",
        required: false,
        headers: &["октмо", "код октмо", "oktmo"],
    },
];

#[derive(Clone, Debug)]
pub struct PlannedMunicipality {
    pub row: usize,
    pub existing: Option<MunicipalityId>,
    pub name: String,
    pub kind: &'static str,
    pub oktmo: Option<String>,
    pub change: Change,
}

impl PlannedRow for PlannedMunicipality {
    fn row(&self) -> usize {
        self.row
    }
    fn change(&self) -> Change {
        self.change
    }
}

pub type MunicipalityPlan = Checked<PlannedMunicipality>;

pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: Table,
    l: Locale,
) -> Result<MunicipalityPlan, sqlx::Error> {
    let memory = super::db::column_memory(db, region, super::run::KIND_MUNICIPALITIES).await?;
    let map = match columns_of(COLUMNS, &table, &memory, l) {
        Ok(map) => map,
        Err(refused) => return Ok(*refused),
    };
    let mut problems = Problems::new(&map);
    let lines = parse::parse(&table, &map, l, &mut problems);
    // The rows are read: the cells go before the registry is loaded beside them.
    drop(table);
    let existing = crate::municipalities::db::all(db, region).await?;
    let rows = resolve(lines, &existing, map.has("oktmo"), l, &mut problems);
    Ok(MunicipalityPlan::settle(rows, problems, l))
}

/// Each row against the region's municipalities: matched by OKTMO, else by name; a new name
/// must not be another municipality's.
fn resolve(
    lines: Vec<MunicipalityLine>,
    existing: &[MunicipalityRow],
    oktmo_column: bool,
    l: Locale,
    problems: &mut Problems,
) -> Vec<PlannedMunicipality> {
    let by_oktmo: HashMap<&str, &MunicipalityRow> = existing
        .iter()
        .filter_map(|m| m.oktmo.as_deref().map(|o| (o, m)))
        .collect();
    let by_name: HashMap<String, &MunicipalityRow> = existing
        .iter()
        .map(|m| (crate::names::key(&m.name), m))
        .collect();
    let mut planned = Vec::new();
    for r in lines {
        let named = by_name.get(&crate::names::key(&r.name)).copied();
        let current = r
            .oktmo
            .as_deref()
            .and_then(|o| by_oktmo.get(o).copied())
            .or(named);
        if let (Some(c), Some(n)) = (current, named)
            && c.id != n.id
        {
            problems.add(
                r.row,
                "name",
                l.t1(
                    "import-municipality-name-taken",
                    "oktmo",
                    n.oktmo.as_deref().unwrap_or("—"),
                ),
            );
            continue;
        }
        let Some(kind) = r.kind.or_else(|| current.and_then(|c| kind_code(&c.kind))) else {
            problems.add(r.row, "kind", l.t("import-municipality-kind-needed"));
            continue;
        };
        // Without an OKTMO column the codes already recorded stay.
        let oktmo = if oktmo_column {
            r.oktmo
        } else {
            current.and_then(|c| c.oktmo.clone())
        };
        let change = match current {
            None => Change::Create,
            Some(c) if c.name == r.name && c.kind == kind && c.oktmo == oktmo => Change::Unchanged,
            Some(_) => Change::Update,
        };
        planned.push(PlannedMunicipality {
            row: r.row,
            existing: current.map(|c| c.id),
            name: r.name,
            kind,
            oktmo,
            change,
        });
    }
    planned
}

fn kind_code(stored: &str) -> Option<&'static str> {
    crate::municipalities::KINDS
        .iter()
        .find(|k| **k == stored)
        .copied()
}

/// Writes a plan without problems inside the caller's transaction. A region has at most a
/// few hundred municipalities: one statement per row is plenty.
pub async fn write(
    db: &mut PgConnection,
    region: RegionId,
    import: i64,
    plan: &MunicipalityPlan,
) -> Result<Vec<Written>, sqlx::Error> {
    let mut written = Vec::new();
    for r in plan.rows.iter().filter(|r| r.change != Change::Unchanged) {
        let id = match r.existing {
            Some(id) => {
                crate::municipalities::db::update(
                    db,
                    region,
                    id,
                    &r.name,
                    r.kind,
                    r.oktmo.as_deref(),
                )
                .await?;
                id
            }
            None => {
                crate::municipalities::db::insert(db, region, &r.name, r.kind, r.oktmo.as_deref())
                    .await?
            }
        };
        written.push(Written {
            change: r.change,
            object: Some(id.0),
            details: serde_json::json!({ "import": import, "row": r.row, "name": r.name, "kind": r.kind, "oktmo": r.oktmo }).to_string(),
        });
    }
    Ok(written)
}
