//! Importing organizations: the file is read on its own (`parse`), then against the region's
//! registry (`resolve`); the result is a plan (create, update, unchanged) with a list of
//! problems, and only a plan without problems is written — in one transaction, in bulk.

mod level;
mod parse;
mod resolve;

use std::collections::HashMap;

use sqlx::PgConnection;

use super::columns::ColumnSpec;
use super::db::orgs as db;
use super::plan::{Change, Checked, PlannedRow, Problems, Written, columns_of};
use super::reader::Table;
use crate::i18n::Locale;
use crate::ids::{MunicipalityId, OrgId, RegionId, SectorId};
pub use parse::parse_level;
use resolve::Registry;

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        code: "name",
        label_key: "field-name",
        required: true,
        headers: &[
            "наименование",
            "полное наименование",
            "наименование организации",
            "название",
            "организация",
            "name",
            "full name",
            "organization",
            "organization name",
        ],
    },
    ColumnSpec {
        code: "short_name",
        label_key: "field-short-name",
        required: false,
        headers: &[
            "краткое наименование",
            "сокращенное наименование",
            "short name",
        ],
    },
    ColumnSpec {
        code: "inn",
        label_key: "field-inn",
        required: true,
        headers: &["инн", "inn"],
    },
    ColumnSpec {
        code: "ogrn",
        label_key: "field-ogrn",
        required: true,
        headers: &["огрн", "ogrn"],
    },
    ColumnSpec {
        code: "level",
        label_key: "field-level",
        required: true,
        headers: &[
            "уровень",
            "тип",
            "тип организации",
            "вид организации",
            "level",
            "type",
        ],
    },
    ColumnSpec {
        code: "founder",
        label_key: "field-founder",
        required: false,
        headers: &[
            "учредитель",
            "огрн учредителя",
            "учредитель огрн или наименование",
            "подведомственность",
            "founder",
            "founder ogrn",
            "parent",
        ],
    },
    ColumnSpec {
        code: "municipality",
        label_key: "field-municipality",
        required: false,
        headers: &[
            "муниципалитет",
            "муниципальное образование",
            "мо",
            "район",
            "октмо",
            "municipality",
            "oktmo",
        ],
    },
    ColumnSpec {
        code: "sector1",
        label_key: "field-sector",
        required: false,
        headers: &["отрасль", "отрасль 1", "sector", "sector 1"],
    },
    ColumnSpec {
        code: "sector2",
        label_key: "field-sector",
        required: false,
        headers: &["отрасль 2", "sector 2"],
    },
    ColumnSpec {
        code: "sector3",
        label_key: "field-sector",
        required: false,
        headers: &["отрасль 3", "sector 3"],
    },
    ColumnSpec {
        code: "sectors",
        label_key: "field-sectors",
        required: false,
        headers: &["отрасли", "sectors"],
    },
    ColumnSpec {
        code: "exemption",
        label_key: "field-exemption-basis",
        required: false,
        headers: &[
            "основание освобождения",
            "освобождение",
            "exemption",
            "exemption basis",
        ],
    },
    ColumnSpec {
        code: "address",
        label_key: "public-address",
        required: false,
        headers: &[
            "адрес",
            "юридический адрес",
            "фактический адрес",
            "адрес организации",
            "address",
        ],
    },
    ColumnSpec {
        code: "phone",
        label_key: "public-phone",
        required: false,
        headers: &["телефон", "контактный телефон", "phone", "telephone"],
    },
    ColumnSpec {
        code: "email",
        label_key: "public-email",
        required: false,
        headers: &[
            "электронная почта",
            "адрес электронной почты",
            "email",
            "e-mail",
            "почта",
        ],
    },
    ColumnSpec {
        code: "website",
        label_key: "public-website",
        required: false,
        headers: &["сайт", "официальный сайт", "website", "site"],
    },
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgValues {
    pub name: String,
    pub short_name: Option<String>,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    /// The founder's OGRN (in the file or the registry).
    pub founder: Option<String>,
    pub municipality: Option<MunicipalityId>,
    pub sectors: Vec<SectorId>,
    pub exemption_basis: Option<String>,
    pub contacts: crate::orgs::db::Contacts,
}

#[derive(Clone, Debug)]
pub struct PlannedOrg {
    pub row: usize,
    pub existing: Option<OrgId>,
    pub values: OrgValues,
    pub change: Change,
}

pub type OrgPlan = Checked<PlannedOrg>;

impl PlannedRow for PlannedOrg {
    fn row(&self) -> usize {
        self.row
    }
    fn change(&self) -> Change {
        self.change
    }
}

/// Checks a file against the registry as it is now; the same call serves preview and commit.
pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: Table,
    l: Locale,
) -> Result<OrgPlan, sqlx::Error> {
    let memory = super::db::column_memory(db, region, super::run::KIND_ORGANIZATIONS).await?;
    let map = match columns_of(COLUMNS, &table, &memory, l) {
        Ok(map) => map,
        Err(refused) => return Ok(*refused),
    };
    let mut problems = Problems::new(&map);
    let parsed = parse::parse(&table, &map, l, &mut problems);
    // The rows are read: the cells go before the registry is loaded beside them.
    drop(table);
    let registry = Registry::new(
        db::existing_orgs(db, region).await?,
        db::municipality_names(db, region).await?,
        db::sector_names(db, region).await?,
        super::db::value_memory(db, region).await?,
    );
    let rows = resolve::resolve(parsed, &registry, l, &mut problems);
    Ok(OrgPlan::settle(rows, problems, l))
}

/// Writes a plan without problems inside the caller's transaction: creations, updates, then
/// founders (every organization of the file exists by then, wherever its row was), then
/// sectors.
pub async fn write(
    db: &mut PgConnection,
    region: RegionId,
    import: i64,
    plan: &OrgPlan,
) -> Result<Vec<Written>, sqlx::Error> {
    let of = |change: Change| -> Vec<&PlannedOrg> {
        plan.rows.iter().filter(|r| r.change == change).collect()
    };
    let (creates, updates) = (of(Change::Create), of(Change::Update));
    let created = db::insert_created(db, region, &creates).await?;
    db::update_changed(db, region, &updates).await?;
    let changed: Vec<&PlannedOrg> = creates.iter().chain(updates.iter()).copied().collect();
    db::set_founders(db, region, &changed).await?;
    let mut ids: HashMap<&str, OrgId> = created
        .iter()
        .map(|(id, ogrn)| (ogrn.as_str(), *id))
        .collect();
    for r in &updates {
        if let Some(id) = r.existing {
            ids.insert(r.values.ogrn.as_str(), id);
        }
    }
    db::replace_sectors(db, region, &changed, &ids).await?;
    Ok(changed
        .iter()
        .map(|r| Written {
            change: r.change,
            object: Some(ids[r.values.ogrn.as_str()].0),
            details: serde_json::json!({ "import": import, "row": r.row, "name": r.values.name, "ogrn": r.values.ogrn,
                                         "inn": r.values.inn, "level": r.values.level, "founder": r.values.founder }).to_string(),
        })
        .collect())
}
