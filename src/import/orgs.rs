//! Importing organizations: every row is checked against the file and the region's registry,
//! the result is a plan (create, update, unchanged) with a list of problems, and only a plan
//! without problems is written — in one transaction, in bulk.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;

use super::columns::{ColumnMap, ColumnSpec, missing_columns_error, normalize};
use super::db::orgs::{self as db, ExistingOrg, NamedRow};
use super::reader::Table;
use super::{Counts, RowError};
use crate::i18n::Locale;
use crate::ids::{MunicipalityId, OrgId, RegionId, SectorId, UserId};
use crate::orgs::identifiers::{IdError, validate_inn, validate_ogrn};

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
];

/// A level as written in a registry, or None.
pub fn parse_level(value: &str, has_municipality: bool) -> Option<&'static str> {
    let v = normalize(value);
    let level = match v.as_str() {
        "regionalbody"
        | "региональныйорганвласти"
        | "региональныйорган"
        | "органвласти"
        | "органисполнительнойвласти"
        | "оив"
        | "министерство"
        | "ведомство"
        | "ministry"
        | "управление"
        | "комитет" => "regional_body",
        "localgovernment"
        | "омсу"
        | "органместногосамоуправления"
        | "администрация"
        | "муниципальныйорган" => "local_government",
        "stateinstitution"
        | "государственноеучреждение"
        | "гу"
        | "краевоеучреждение"
        | "областноеучреждение" => "state_institution",
        "municipalinstitution" | "муниципальноеучреждение" | "му" => {
            "municipal_institution"
        }
        // Registries often say only "subordinate institution"; where it sits tells whose.
        "подведомственноеучреждение" | "учреждение" | "subordinateinstitution" => {
            if has_municipality {
                "municipal_institution"
            } else {
                "state_institution"
            }
        }
        "other" | "иное" | "другое" | "прочее" | "инаяорганизация" => {
            "other"
        }
        _ => return None,
    };
    Some(level)
}

/// Generic words around a municipality's name that people add or drop.
fn municipality_key(name: &str) -> String {
    let mut k = normalize(name);
    for prefix in ["городскойокруг", "город", "г"] {
        if let Some(rest) = k.strip_prefix(prefix)
            && !rest.is_empty()
        {
            k = rest.to_owned();
            break;
        }
    }
    for suffix in [
        "муниципальныйрайон",
        "муниципальныйокруг",
        "городскойокруг",
        "район",
        "округ",
    ] {
        if let Some(rest) = k.strip_suffix(suffix)
            && !rest.is_empty()
        {
            k = rest.to_owned();
            break;
        }
    }
    k
}

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Unchanged,
}

/// The audit action an import records for a change.
pub fn import_action(change: Change) -> &'static str {
    if change == Change::Create {
        "import_create"
    } else {
        "import_update"
    }
}

#[derive(Clone, Debug)]
pub struct PlannedOrg {
    pub row: usize,
    pub existing: Option<OrgId>,
    pub values: OrgValues,
    pub change: Change,
}

pub struct OrgPlan {
    pub rows: Vec<PlannedOrg>,
    pub errors: Vec<RowError>,
    pub counts: Counts,
    pub founder_column: bool,
}

struct Registry {
    orgs: Vec<ExistingOrg>,
    by_ogrn: HashMap<String, usize>,
    by_inn: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    municipalities: Vec<NamedRow>,
    sectors: Vec<NamedRow>,
}

async fn load_registry(db: &mut PgConnection, region: RegionId) -> Result<Registry, sqlx::Error> {
    let orgs = db::existing_orgs(db, region).await?;
    let municipalities = db::municipality_names(db, region).await?;
    let sectors = db::sector_names(db, region).await?;
    let (mut municipalities, mut sectors) = (municipalities, sectors);
    for row in municipalities.iter_mut().chain(sectors.iter_mut()) {
        row.normalized = normalize(&row.name);
        row.key = municipality_key(&row.name);
    }
    let mut by_ogrn = HashMap::new();
    let mut by_inn: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        by_ogrn.insert(o.ogrn.clone(), i);
        by_inn.entry(o.inn.clone()).or_default().push(i);
        by_name.entry(normalize(&o.name)).or_default().push(i);
    }
    Ok(Registry {
        orgs,
        by_ogrn,
        by_inn,
        by_name,
        municipalities,
        sectors,
    })
}

struct Draft {
    row: usize,
    values: OrgValues,
    founder_text: String,
}

pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: &Table,
    l: Locale,
) -> Result<OrgPlan, sqlx::Error> {
    let (map, missing) = ColumnMap::new(COLUMNS, &table.headers);
    let mut errors = Vec::new();
    if !missing.is_empty() {
        errors.push(missing_columns_error(COLUMNS, &missing, l));
        return Ok(OrgPlan {
            rows: Vec::new(),
            errors,
            counts: Counts::default(),
            founder_column: false,
        });
    }
    let registry = load_registry(db, region).await?;
    let col = |code: &str| map.header_of(code).map(str::to_owned);
    let mut err = |row: usize, code: &str, message: String| {
        errors.push(RowError {
            row,
            column: col(code),
            message,
        })
    };

    // Pass 1: each row on its own.
    let mut drafts: Vec<Draft> = Vec::new();
    let mut first_row_of_ogrn: HashMap<String, usize> = HashMap::new();
    for (i, cells) in table.rows.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = map.cell(cells, "name");
        if name.is_empty() {
            err(row, "name", l.t("field-required"));
        } else if name.chars().count() > 500 {
            err(row, "name", l.t("field-too-long"));
        }
        let inn = map.cell(cells, "inn").to_owned();
        match validate_inn(&inn) {
            Ok(()) => {}
            Err(IdError::Format) if inn.is_empty() => err(row, "inn", l.t("field-required")),
            Err(IdError::Format) => err(row, "inn", l.t("inn-format")),
            Err(IdError::CheckDigit) => err(row, "inn", l.t("inn-check-digit")),
        }
        let ogrn = map.cell(cells, "ogrn").to_owned();
        let ogrn_ok = match validate_ogrn(&ogrn) {
            Ok(()) => true,
            Err(IdError::Format) if ogrn.is_empty() => {
                err(row, "ogrn", l.t("field-required"));
                false
            }
            Err(IdError::Format) => {
                err(row, "ogrn", l.t("ogrn-format"));
                false
            }
            Err(IdError::CheckDigit) => {
                err(row, "ogrn", l.t("ogrn-check-digit"));
                false
            }
        };
        if ogrn_ok {
            if let Some(first) = first_row_of_ogrn.get(&ogrn) {
                err(
                    row,
                    "ogrn",
                    l.t1("import-duplicate-ogrn", "row", &first.to_string()),
                );
            } else {
                first_row_of_ogrn.insert(ogrn.clone(), row);
            }
        }
        let existing = registry.by_ogrn.get(&ogrn).map(|i| &registry.orgs[*i]);

        let municipality_text = map.cell(cells, "municipality");
        let municipality = if !map.has("municipality") {
            existing.and_then(|e| e.municipality_id)
        } else if municipality_text.is_empty() {
            None
        } else {
            let digits = municipality_text.chars().all(|c| c.is_ascii_digit());
            let exact = normalize(municipality_text);
            let key = municipality_key(municipality_text);
            let found: Vec<&NamedRow> = if digits {
                registry
                    .municipalities
                    .iter()
                    .filter(|m| m.oktmo.as_deref() == Some(municipality_text))
                    .collect()
            } else {
                let exact_matches: Vec<&NamedRow> = registry
                    .municipalities
                    .iter()
                    .filter(|m| m.normalized == exact)
                    .collect();
                if exact_matches.is_empty() {
                    registry
                        .municipalities
                        .iter()
                        .filter(|m| m.key == key)
                        .collect()
                } else {
                    exact_matches
                }
            };
            match found.as_slice() {
                [m] => Some(MunicipalityId(m.id)),
                _ => {
                    err(
                        row,
                        "municipality",
                        l.t1("import-municipality-unknown", "value", municipality_text),
                    );
                    None
                }
            }
        };

        let level_text = map.cell(cells, "level");
        let level = match parse_level(level_text, municipality.is_some()) {
            Some(level) => level.to_owned(),
            None if level_text.is_empty() => {
                err(row, "level", l.t("field-required"));
                String::new()
            }
            None => {
                err(
                    row,
                    "level",
                    l.t1("import-level-unknown", "value", level_text),
                );
                String::new()
            }
        };

        let has_sector_columns = ["sector1", "sector2", "sector3", "sectors"]
            .iter()
            .any(|c| map.has(c));
        let mut sectors = Vec::new();
        if has_sector_columns {
            let mut names: Vec<(&str, &str)> = Vec::new();
            for code in ["sector1", "sector2", "sector3"] {
                let v = map.cell(cells, code);
                if !v.is_empty() {
                    names.push((code, v));
                }
            }
            for part in map.cell(cells, "sectors").split([';', '|']) {
                let v = part.trim();
                if !v.is_empty() {
                    names.push(("sectors", v));
                }
            }
            for (code, v) in names {
                match registry
                    .sectors
                    .iter()
                    .find(|s| s.normalized == normalize(v))
                {
                    Some(s) if !sectors.contains(&SectorId(s.id)) => sectors.push(SectorId(s.id)),
                    Some(_) => {}
                    None => err(row, code, l.t1("import-sector-unknown", "value", v)),
                }
            }
            if sectors.len() > 3 {
                err(row, "sectors", l.t("import-sectors-too-many"));
            }
        } else if let Some(e) = existing {
            sectors = e.sector_ids.iter().map(|id| SectorId(*id)).collect();
        }

        let short_name = if map.has("short_name") {
            Some(map.cell(cells, "short_name").to_owned()).filter(|s| !s.is_empty())
        } else {
            existing.and_then(|e| e.short_name.clone())
        };
        let exemption_basis = if map.has("exemption") {
            Some(map.cell(cells, "exemption").to_owned()).filter(|s| !s.is_empty())
        } else {
            existing.and_then(|e| e.exemption_basis.clone())
        };
        drafts.push(Draft {
            row,
            founder_text: map.cell(cells, "founder").to_owned(),
            values: OrgValues {
                name: name.to_owned(),
                short_name,
                inn,
                ogrn,
                level,
                founder: None,
                municipality,
                sectors,
                exemption_basis,
            },
        });
    }

    // Pass 2: founders, which may be anywhere in the file or already in the registry.
    let file_ogrns: HashSet<String> = drafts.iter().map(|d| d.values.ogrn.clone()).collect();
    let mut file_by_name: HashMap<String, Vec<String>> = HashMap::new();
    for d in &drafts {
        file_by_name
            .entry(normalize(&d.values.name))
            .or_default()
            .push(d.values.ogrn.clone());
    }
    let mut founders: Vec<Option<String>> = Vec::with_capacity(drafts.len());
    for d in &drafts {
        let text = d.founder_text.as_str();
        let existing = registry
            .by_ogrn
            .get(&d.values.ogrn)
            .map(|i| &registry.orgs[*i]);
        let founder = if !map.has("founder") {
            existing.and_then(|e| e.parent_ogrn.clone())
        } else if text.is_empty() {
            None
        } else if text.len() == 13 && text.bytes().all(|b| b.is_ascii_digit()) {
            if file_ogrns.contains(text) || registry.by_ogrn.contains_key(text) {
                Some(text.to_owned())
            } else {
                err(
                    d.row,
                    "founder",
                    l.t1("import-founder-unknown", "value", text),
                );
                None
            }
        } else {
            let key = normalize(text);
            let mut candidates: Vec<String> = file_by_name.get(&key).cloned().unwrap_or_default();
            for i in registry.by_name.get(&key).into_iter().flatten() {
                let o = &registry.orgs[*i].ogrn;
                if !candidates.contains(o) {
                    candidates.push(o.clone());
                }
            }
            match candidates.as_slice() {
                [one] => Some(one.clone()),
                [] => {
                    err(
                        d.row,
                        "founder",
                        l.t1("import-founder-unknown", "value", text),
                    );
                    None
                }
                _ => {
                    err(
                        d.row,
                        "founder",
                        l.t1("import-founder-ambiguous", "value", text),
                    );
                    None
                }
            }
        };
        if founder.as_deref() == Some(d.values.ogrn.as_str()) {
            err(d.row, "founder", l.t("parent-self"));
            founders.push(None);
        } else {
            founders.push(founder);
        }
    }
    for (d, f) in drafts.iter_mut().zip(founders) {
        d.values.founder = f;
    }

    // Pass 3: no loops in the resulting tree of founders.
    let mut parent: HashMap<String, String> = registry
        .orgs
        .iter()
        .filter_map(|o| o.parent_ogrn.clone().map(|p| (o.ogrn.clone(), p)))
        .collect();
    for d in &drafts {
        match &d.values.founder {
            Some(f) => parent.insert(d.values.ogrn.clone(), f.clone()),
            None => parent.remove(&d.values.ogrn),
        };
    }
    for d in &drafts {
        let mut at = d.values.ogrn.as_str();
        for _ in 0..parent.len() + 1 {
            match parent.get(at) {
                Some(p) if p == &d.values.ogrn => {
                    err(d.row, "founder", l.t("parent-cycle"));
                    break;
                }
                Some(p) => at = p,
                None => break,
            }
        }
    }

    // Pass 4: what each row would do.
    let mut counts = Counts::default();
    let mut rows = Vec::with_capacity(drafts.len());
    for d in drafts {
        let existing = registry.by_ogrn.get(&d.values.ogrn).copied().or_else(|| {
            // Matched by INN when the OGRN is new and exactly one organization has the INN.
            match registry.by_inn.get(&d.values.inn).map(Vec::as_slice) {
                Some([i]) if !file_ogrns.contains(&registry.orgs[*i].ogrn) => Some(*i),
                _ => None,
            }
        });
        let change = match existing.map(|i| &registry.orgs[i]) {
            None => Change::Create,
            Some(e) => {
                let current = OrgValues {
                    name: e.name.clone(),
                    short_name: e.short_name.clone(),
                    inn: e.inn.clone(),
                    ogrn: e.ogrn.clone(),
                    level: e.level.clone(),
                    founder: e.parent_ogrn.clone(),
                    municipality: e.municipality_id,
                    sectors: e.sector_ids.iter().map(|s| SectorId(*s)).collect(),
                    exemption_basis: e.exemption_basis.clone(),
                };
                if current == d.values {
                    Change::Unchanged
                } else {
                    Change::Update
                }
            }
        };
        match change {
            Change::Create => counts.created += 1,
            Change::Update => counts.updated += 1,
            Change::Unchanged => counts.unchanged += 1,
        }
        rows.push(PlannedOrg {
            row: d.row,
            existing: existing.map(|i| registry.orgs[i].id),
            values: d.values,
            change,
        });
    }
    errors.sort_by_key(|e| e.row);
    Ok(OrgPlan {
        rows,
        errors,
        counts,
        founder_column: map.has("founder"),
    })
}

/// Writes a plan without problems. Runs inside the caller's transaction.
pub async fn commit(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    import: i64,
    plan: &OrgPlan,
) -> Result<(), sqlx::Error> {
    let creates: Vec<&PlannedOrg> = plan
        .rows
        .iter()
        .filter(|r| r.change == Change::Create)
        .collect();
    let updates: Vec<&PlannedOrg> = plan
        .rows
        .iter()
        .filter(|r| r.change == Change::Update)
        .collect();
    let created = db::insert_created(db, region, &creates).await?;
    db::update_changed(db, region, &updates).await?;
    // Founders last: every organization of the file exists by now, wherever its row was.
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

    let rows = changed
        .iter()
        .map(|r| {
            (
                import_action(r.change),
                Some(ids[r.values.ogrn.as_str()].0),
                serde_json::json!({ "import": import, "row": r.row, "name": r.values.name, "ogrn": r.values.ogrn, "inn": r.values.inn,
                                    "level": r.values.level, "founder": r.values.founder }),
            )
        })
        .collect();
    crate::audit::record_many(db, region, user, "organization", rows).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_as_registries_write_them() {
        assert_eq!(parse_level("Министерство", false), Some("regional_body"));
        assert_eq!(parse_level("ОМСУ", true), Some("local_government"));
        assert_eq!(
            parse_level("Подведомственное учреждение", true),
            Some("municipal_institution")
        );
        assert_eq!(
            parse_level("подведомственное учреждение", false),
            Some("state_institution")
        );
        assert_eq!(
            parse_level("Муниципальное учреждение", true),
            Some("municipal_institution")
        );
        assert_eq!(
            parse_level("state_institution", false),
            Some("state_institution")
        );
        assert_eq!(parse_level("Иная организация", false), Some("other"));
        assert_eq!(parse_level("корпорация", false), None);
    }

    #[test]
    fn municipality_names_with_and_without_generic_words() {
        assert_eq!(
            municipality_key("город Барнаул"),
            municipality_key("Барнаул")
        );
        assert_eq!(municipality_key("г. Барнаул"), municipality_key("Барнаул"));
        assert_eq!(
            municipality_key("Алейский район"),
            municipality_key("Алейский муниципальный район")
        );
        assert_ne!(
            municipality_key("Бийский район"),
            municipality_key("город Бийск")
        );
    }
}
