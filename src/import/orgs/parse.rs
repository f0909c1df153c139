//! The organizations file read on its own, before anything is looked up: every cell that can
//! be judged without the registry is judged here (names, INN and OGRN with their check
//! digits, repeated OGRNs, level words), so these rules are tested without a database.

use std::collections::HashMap;

use crate::i18n::Locale;
use crate::import::columns::{ColumnMap, normalize};
use crate::import::plan::{Problems, data_rows};
use crate::import::reader::Table;
use crate::orgs::identifiers::{IdError, validate_inn, validate_ogrn};

/// A row as the file gives it. `None` for a column the file does not have: the registry's
/// value stays; `Some("")` for a blank cell: the value is cleared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrgLine {
    pub row: usize,
    pub name: String,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    pub municipality: Option<String>,
    /// Each sector name with the column it came from.
    pub sectors: Option<Vec<(&'static str, String)>>,
    pub short_name: Option<Option<String>>,
    pub exemption_basis: Option<Option<String>>,
    pub founder: Option<String>,
    pub contacts: ContactLine,
}

/// The contact columns as the file gives them, each like `short_name`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactLine {
    pub address: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub website: Option<Option<String>>,
}

/// The contact columns' codes.
pub const CONTACT_COLUMNS: [&str; 4] = ["address", "phone", "email", "website"];

/// Which optional columns the file has.
pub struct Present {
    pub municipality: bool,
    pub sectors: bool,
    pub short_name: bool,
    pub exemption: bool,
    pub founder: bool,
    pub contacts: [bool; 4],
}

impl Present {
    pub fn of(map: &ColumnMap) -> Present {
        Present {
            municipality: map.has("municipality"),
            sectors: ["sector1", "sector2", "sector3", "sectors"]
                .iter()
                .any(|c| map.has(c)),
            short_name: map.has("short_name"),
            exemption: map.has("exemption"),
            founder: map.has("founder"),
            contacts: CONTACT_COLUMNS.map(|c| map.has(c)),
        }
    }
}

/// Every row that is not blank, with the problems a row shows on its own.
pub fn parse(table: &Table, map: &ColumnMap, l: Locale, problems: &mut Problems) -> Vec<OrgLine> {
    let present = Present::of(map);
    let mut first_row_of_ogrn: HashMap<String, usize> = HashMap::new();
    data_rows(table)
        .map(|(row, cells)| {
            let parsed = parse_row(row, cells, map, &present);
            check(&parsed, l, problems, &mut first_row_of_ogrn);
            parsed
        })
        .collect()
}

fn parse_row(row: usize, cells: &[String], map: &ColumnMap, present: &Present) -> OrgLine {
    let cell = |code: &str| map.cell(cells, code).to_owned();
    let optional = |code: &str| Some(cell(code)).filter(|v| !v.is_empty());
    OrgLine {
        row,
        name: crate::names::normalize(&cell("name")),
        inn: cell("inn"),
        ogrn: cell("ogrn"),
        level: cell("level"),
        municipality: present.municipality.then(|| cell("municipality")),
        sectors: present.sectors.then(|| {
            let mut names: Vec<(&'static str, String)> = ["sector1", "sector2", "sector3"]
                .into_iter()
                .map(|code| (code, cell(code)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            names.extend(
                map.cell(cells, "sectors")
                    .split([';', '|'])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| ("sectors", v.to_owned())),
            );
            names
        }),
        short_name: present.short_name.then(|| optional("short_name")),
        exemption_basis: present.exemption.then(|| optional("exemption")),
        founder: present.founder.then(|| cell("founder")),
        contacts: ContactLine {
            address: present.contacts[0].then(|| optional("address")),
            phone: present.contacts[1].then(|| optional("phone")),
            email: present.contacts[2].then(|| optional("email")),
            website: present.contacts[3].then(|| optional("website")),
        },
    }
}

fn check(
    r: &OrgLine,
    l: Locale,
    problems: &mut Problems,
    first_row_of_ogrn: &mut HashMap<String, usize>,
) {
    let row = r.row;
    if let Err(message) = crate::names::check(&r.name, 500, l) {
        problems.add(row, "name", message);
    }
    match validate_inn(&r.inn) {
        Ok(()) => {}
        Err(IdError::Format) if r.inn.is_empty() => problems.add(row, "inn", l.t("field-required")),
        Err(IdError::Format) => problems.add(row, "inn", l.t("inn-format")),
        Err(IdError::CheckDigit) => problems.add(row, "inn", l.t("inn-check-digit")),
    }
    match validate_ogrn(&r.ogrn) {
        Ok(()) => match first_row_of_ogrn.get(&r.ogrn) {
            Some(first) => problems.add(
                row,
                "ogrn",
                l.t1("import-duplicate-ogrn", "row", &first.to_string()),
            ),
            None => {
                first_row_of_ogrn.insert(r.ogrn.clone(), row);
            }
        },
        Err(IdError::Format) if r.ogrn.is_empty() => {
            problems.add(row, "ogrn", l.t("field-required"))
        }
        Err(IdError::Format) => problems.add(row, "ogrn", l.t("ogrn-format")),
        Err(IdError::CheckDigit) => problems.add(row, "ogrn", l.t("ogrn-check-digit")),
    }
    let typed = crate::orgs::db::Contacts {
        address: r.contacts.address.clone().flatten(),
        phone: r.contacts.phone.clone().flatten(),
        email: r.contacts.email.clone().flatten(),
        website: r.contacts.website.clone().flatten(),
    };
    for (field, key) in crate::orgs::contacts::problems(&typed) {
        problems.add(row, field, l.t(key));
    }
    // Which of a municipal or a state institution a generic word means depends on the
    // municipality, resolved later; whether the word is known does not.
    if r.level.is_empty() {
        problems.add(row, "level", l.t("field-required"));
    } else if parse_level(&r.level, false).is_none() {
        problems.add(
            row,
            "level",
            l.t1("import-level-unknown", "value", &r.level),
        );
    }
}

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
pub fn municipality_key(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::import::orgs::COLUMNS;
    use crate::import::plan::testing::{Found, found, table};

    const VALID_INN: &str = "2240000015";
    const VALID_OGRN: &str = "1042240000010";

    fn parsed(t: &Table) -> (Vec<OrgLine>, Vec<Found>) {
        let (map, missing) = ColumnMap::new(COLUMNS, &t.headers);
        assert!(missing.is_empty(), "{missing:?}");
        let mut problems = Problems::new(&map);
        let rows = parse(t, &map, Locale::Ru, &mut problems);
        (rows, found(problems))
    }

    const HEADERS: [&str; 5] = ["Наименование", "ИНН", "ОГРН", "Уровень", "Муниципалитет"];

    #[test]
    fn a_good_row_has_no_problems_and_keeps_its_cells() {
        let t = table(
            &HEADERS,
            &[&["Школа № 1", VALID_INN, VALID_OGRN, "МУ", "Барнаул"]],
        );
        let (rows, found) = parsed(&t);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].municipality.as_deref(), Some("Барнаул"));
        // Columns the file lacks keep the registry's values.
        assert_eq!(rows[0].short_name, None);
        assert_eq!(rows[0].sectors, None);
        assert_eq!(rows[0].founder, None);
    }

    #[test]
    fn each_cell_is_judged_against_its_column() {
        let t = table(
            &HEADERS,
            &[
                &["", "12", VALID_OGRN, "министерство", ""],
                &["Школа", "2240000016", "1042240000011", "корпорация", ""],
                &["", "", "", "", ""],
                &["Школа 2", VALID_INN, VALID_OGRN, "", ""],
            ],
        );
        let (rows, found) = parsed(&t);
        assert_eq!(rows.len(), 3, "the blank row is skipped");
        let has = |row: usize, column: &str, text: &str| {
            found
                .iter()
                .any(|(r, c, m)| *r == row && c.as_deref() == Some(column) && m.contains(text))
        };
        assert!(has(2, "Наименование", "Заполните"), "{found:?}");
        assert!(has(2, "ИНН", "10 цифр"), "{found:?}");
        assert!(has(3, "ИНН", "Контрольная цифра ИНН"), "{found:?}");
        assert!(has(3, "ОГРН", "Контрольная цифра ОГРН"), "{found:?}");
        assert!(has(3, "Уровень", "корпорация"), "{found:?}");
        assert!(has(5, "ОГРН", "строке 2"), "{found:?}");
        assert!(has(5, "Уровень", "Заполните"), "{found:?}");
    }

    #[test]
    fn sectors_come_from_numbered_columns_and_lists() {
        let t = table(
            &[
                "Наименование",
                "ИНН",
                "ОГРН",
                "Уровень",
                "Отрасль 1",
                "Отрасли",
            ],
            &[&[
                "Школа",
                VALID_INN,
                VALID_OGRN,
                "МУ",
                "Образование",
                "Спорт; Культура |",
            ]],
        );
        let (rows, _) = parsed(&t);
        assert_eq!(
            rows[0].sectors,
            Some(vec![
                ("sector1", "Образование".to_owned()),
                ("sectors", "Спорт".to_owned()),
                ("sectors", "Культура".to_owned()),
            ])
        );
    }

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
