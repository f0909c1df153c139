//! The parsed rows against the region's registry as it is: municipalities and sectors by
//! name (or OKTMO), founders by OGRN or name anywhere in the file or the registry, no loops
//! of founders, and what each row would change. Pure once the registry is loaded, so it is
//! tested with a registry built by hand.

use std::collections::{HashMap, HashSet};

use super::level;
use super::parse::{OrgLine, municipality_key, parse_level};
use super::{OrgValues, PlannedOrg};
use crate::i18n::Locale;
use crate::ids::{MunicipalityId, SectorId};
use crate::import::columns::normalize;
use crate::import::db::orgs::{ExistingOrg, NamedRow};
use crate::import::db::{MUNICIPALITY, SECTOR, ValueMemory};
use crate::import::plan::{Change, Problems};

/// The region's organizations, municipalities and sectors, indexed the ways rows name them.
pub struct Registry {
    orgs: Vec<ExistingOrg>,
    by_ogrn: HashMap<String, usize>,
    by_inn: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    municipalities: Vec<NamedRow>,
    sectors: Vec<NamedRow>,
    /// What the admin said names in files mean: (field, normalized name) → id.
    values: ValueMemory,
}

impl Registry {
    pub fn new(
        orgs: Vec<ExistingOrg>,
        mut municipalities: Vec<NamedRow>,
        mut sectors: Vec<NamedRow>,
        values: ValueMemory,
    ) -> Registry {
        // Normalized once, compared on every row.
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
        Registry {
            orgs,
            by_ogrn,
            by_inn,
            by_name,
            municipalities,
            sectors,
            values,
        }
    }

    /// The entry the admin mapped a name to, while that entry exists.
    fn mapped(&self, field: &str, text: &str, rows: &[NamedRow]) -> Option<i64> {
        let id = *self.values.get(&(field.to_owned(), normalize(text)))?;
        rows.iter().any(|r| r.id == id).then_some(id)
    }

    fn by_ogrn(&self, ogrn: &str) -> Option<&ExistingOrg> {
        self.by_ogrn.get(ogrn).map(|i| &self.orgs[*i])
    }

    /// By OKTMO when the text is digits; else by exact name, else by the name without its
    /// generic words («город», «район»). Several matches are as good as none.
    fn municipality(&self, text: &str) -> Option<MunicipalityId> {
        if let Some(id) = self.mapped(MUNICIPALITY, text, &self.municipalities) {
            return Some(MunicipalityId(id));
        }
        let found: Vec<&NamedRow> = if text.chars().all(|c| c.is_ascii_digit()) {
            self.municipalities
                .iter()
                .filter(|m| m.oktmo.as_deref() == Some(text))
                .collect()
        } else {
            let exact = normalize(text);
            let exact_matches: Vec<&NamedRow> = self
                .municipalities
                .iter()
                .filter(|m| m.normalized == exact)
                .collect();
            if exact_matches.is_empty() {
                let key = municipality_key(text);
                self.municipalities
                    .iter()
                    .filter(|m| m.key == key)
                    .collect()
            } else {
                exact_matches
            }
        };
        match found.as_slice() {
            [m] => Some(MunicipalityId(m.id)),
            _ => None,
        }
    }

    fn sector(&self, name: &str) -> Option<SectorId> {
        if let Some(id) = self.mapped(SECTOR, name, &self.sectors) {
            return Some(SectorId(id));
        }
        let wanted = normalize(name);
        self.sectors
            .iter()
            .find(|s| s.normalized == wanted)
            .map(|s| SectorId(s.id))
    }
}

/// A row with its values settled but its founder, which may be any row of the file.
struct Draft {
    row: usize,
    values: OrgValues,
    founder_text: Option<String>,
    /// The level column named no owner and neither did the name: the founder decides.
    level_by_founder: bool,
}

/// The rows against the registry: what each would create or change, problems added.
pub fn resolve(
    rows: Vec<OrgLine>,
    registry: &Registry,
    l: Locale,
    problems: &mut Problems,
) -> Vec<PlannedOrg> {
    let mut drafts: Vec<Draft> = rows
        .into_iter()
        .map(|r| draft(r, registry, l, problems))
        .collect();
    let file_ogrns: HashSet<String> = drafts.iter().map(|d| d.values.ogrn.clone()).collect();
    founders(&mut drafts, &file_ogrns, registry, l, problems);
    check_cycles(&drafts, registry, l, problems);
    levels_by_founder(&mut drafts, registry);
    changes(drafts, &file_ogrns, registry)
}

fn draft(r: OrgLine, registry: &Registry, l: Locale, problems: &mut Problems) -> Draft {
    let existing = registry.by_ogrn(&r.ogrn);
    let municipality = match r.municipality.as_deref() {
        None => existing.and_then(|e| e.municipality_id),
        Some("") => None,
        Some(text) => registry.municipality(text).or_else(|| {
            let message = l.t1("import-municipality-unknown", "value", text);
            problems.add_unknown(r.row, "municipality", MUNICIPALITY, text, message);
            None
        }),
    };
    let legal_form = level::of_legal_form(&r.name).filter(|_| level::is_generic(&r.level));
    let level = legal_form
        .or_else(|| parse_level(&r.level, municipality.is_some()))
        .unwrap_or_default()
        .to_owned();
    let level_by_founder = legal_form.is_none() && level::is_generic(&r.level);
    let sectors = match &r.sectors {
        None => existing
            .map(|e| e.sector_ids.iter().map(|id| SectorId(*id)).collect())
            .unwrap_or_default(),
        Some(names) => sectors(r.row, names, registry, l, problems),
    };
    Draft {
        row: r.row,
        values: OrgValues {
            name: r.name,
            short_name: r
                .short_name
                .unwrap_or_else(|| existing.and_then(|e| e.short_name.clone())),
            inn: r.inn,
            ogrn: r.ogrn,
            level,
            founder: None,
            municipality,
            sectors,
            exemption_basis: r
                .exemption_basis
                .unwrap_or_else(|| existing.and_then(|e| e.exemption_basis.clone())),
            contacts: {
                let kept = existing.map(|e| e.contacts.clone()).unwrap_or_default();
                let c = r.contacts;
                crate::orgs::db::Contacts {
                    address: c.address.unwrap_or(kept.address),
                    phone: c.phone.unwrap_or(kept.phone),
                    email: c.email.unwrap_or(kept.email),
                    website: c.website.unwrap_or(kept.website),
                }
            },
        },
        founder_text: r.founder,
        level_by_founder,
    }
}

fn sectors(
    row: usize,
    names: &[(&'static str, String)],
    registry: &Registry,
    l: Locale,
    problems: &mut Problems,
) -> Vec<SectorId> {
    let mut out = Vec::new();
    for (code, name) in names {
        match registry.sector(name) {
            Some(id) if !out.contains(&id) => out.push(id),
            Some(_) => {}
            None => {
                let message = l.t1("import-sector-unknown", "value", name);
                problems.add_unknown(row, code, SECTOR, name, message)
            }
        }
    }
    if out.len() > 3 {
        problems.add(row, "sectors", l.t("import-sectors-too-many"));
    }
    out
}

/// Founders by OGRN or by name, anywhere in the file or already in the registry.
fn founders(
    drafts: &mut [Draft],
    file_ogrns: &HashSet<String>,
    registry: &Registry,
    l: Locale,
    problems: &mut Problems,
) {
    let mut file_by_name: HashMap<String, Vec<String>> = HashMap::new();
    for d in drafts.iter() {
        file_by_name
            .entry(normalize(&d.values.name))
            .or_default()
            .push(d.values.ogrn.clone());
    }
    for d in drafts.iter_mut() {
        let founder = match d.founder_text.as_deref() {
            None => registry
                .by_ogrn(&d.values.ogrn)
                .and_then(|e| e.parent_ogrn.clone()),
            Some("") => None,
            Some(text) if text.len() == 13 && text.bytes().all(|b| b.is_ascii_digit()) => {
                if file_ogrns.contains(text) || registry.by_ogrn.contains_key(text) {
                    Some(text.to_owned())
                } else {
                    problems.add(
                        d.row,
                        "founder",
                        l.t1("import-founder-unknown", "value", text),
                    );
                    None
                }
            }
            Some(text) => founder_by_name(d.row, text, &file_by_name, registry, l, problems),
        };
        if founder.as_deref() == Some(d.values.ogrn.as_str()) {
            problems.add(d.row, "founder", l.t("parent-self"));
        } else {
            d.values.founder = founder;
        }
    }
}

fn founder_by_name(
    row: usize,
    text: &str,
    file_by_name: &HashMap<String, Vec<String>>,
    registry: &Registry,
    l: Locale,
    problems: &mut Problems,
) -> Option<String> {
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
            problems.add(
                row,
                "founder",
                l.t1("import-founder-unknown", "value", text),
            );
            None
        }
        _ => {
            problems.add(
                row,
                "founder",
                l.t1("import-founder-ambiguous", "value", text),
            );
            None
        }
    }
}

/// An institution whose level named no owner takes its founder's, up the chain through the
/// file and the registry; without a founder that says, where it sits decides (already set).
fn levels_by_founder(drafts: &mut [Draft], registry: &Registry) {
    let in_file: HashMap<String, (Option<String>, String, bool)> = drafts
        .iter()
        .map(|d| {
            (
                d.values.ogrn.clone(),
                (
                    d.values.founder.clone(),
                    d.values.level.clone(),
                    d.level_by_founder,
                ),
            )
        })
        .collect();
    for d in drafts.iter_mut().filter(|d| d.level_by_founder) {
        let mut at = d.values.founder.clone();
        // A chain is never longer than the file and the registry together; loops are
        // reported by `check_cycles` and stop here.
        for _ in 0..=in_file.len() + registry.orgs.len() {
            let Some(ogrn) = at else { break };
            let (founder, level, undecided) = match in_file.get(&ogrn) {
                Some((founder, level, by_founder)) => (founder.clone(), level.clone(), *by_founder),
                None => match registry.by_ogrn(&ogrn) {
                    Some(e) => (e.parent_ogrn.clone(), e.level.clone(), false),
                    None => break,
                },
            };
            if !undecided && let Some(found) = level::under(&level) {
                d.values.level = found.to_owned();
                break;
            }
            at = founder;
        }
    }
}

/// No loops in the tree of founders the file and the registry make together.
fn check_cycles(drafts: &[Draft], registry: &Registry, l: Locale, problems: &mut Problems) {
    let mut parent: HashMap<&str, &str> = registry
        .orgs
        .iter()
        .filter_map(|o| o.parent_ogrn.as_deref().map(|p| (o.ogrn.as_str(), p)))
        .collect();
    for d in drafts {
        match &d.values.founder {
            Some(f) => parent.insert(d.values.ogrn.as_str(), f.as_str()),
            None => parent.remove(d.values.ogrn.as_str()),
        };
    }
    for d in drafts {
        let mut at = d.values.ogrn.as_str();
        for _ in 0..parent.len() + 1 {
            match parent.get(at) {
                Some(p) if *p == d.values.ogrn => {
                    problems.add(d.row, "founder", l.t("parent-cycle"));
                    break;
                }
                Some(p) => at = p,
                None => break,
            }
        }
    }
}

/// What each row would do: matched by OGRN, or by INN when the OGRN is new and exactly one
/// organization (not itself in the file) has the INN.
fn changes(
    drafts: Vec<Draft>,
    file_ogrns: &HashSet<String>,
    registry: &Registry,
) -> Vec<PlannedOrg> {
    drafts
        .into_iter()
        .map(|d| {
            let existing =
                registry.by_ogrn.get(&d.values.ogrn).copied().or_else(|| {
                    match registry.by_inn.get(&d.values.inn).map(Vec::as_slice) {
                        Some([i]) if !file_ogrns.contains(&registry.orgs[*i].ogrn) => Some(*i),
                        _ => None,
                    }
                });
            let change = match existing.map(|i| &registry.orgs[i]) {
                None => Change::Create,
                Some(e) if current_values(e) == d.values => Change::Unchanged,
                Some(_) => Change::Update,
            };
            PlannedOrg {
                row: d.row,
                existing: existing.map(|i| registry.orgs[i].id),
                values: d.values,
                change,
            }
        })
        .collect()
}

fn current_values(e: &ExistingOrg) -> OrgValues {
    OrgValues {
        name: e.name.clone(),
        short_name: e.short_name.clone(),
        inn: e.inn.clone(),
        ogrn: e.ogrn.clone(),
        level: e.level.clone(),
        founder: e.parent_ogrn.clone(),
        municipality: e.municipality_id,
        sectors: e.sector_ids.iter().map(|s| SectorId(*s)).collect(),
        exemption_basis: e.exemption_basis.clone(),
        contacts: e.contacts.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use crate::import::Counts;
    use crate::import::columns::ColumnMap;
    use crate::import::orgs::COLUMNS;
    use crate::import::plan::testing::found;

    fn named(id: i64, name: &str, oktmo: Option<&str>) -> NamedRow {
        NamedRow {
            id,
            name: name.to_owned(),
            oktmo: oktmo.map(str::to_owned),
            normalized: String::new(),
            key: String::new(),
        }
    }

    fn existing(id: i64, name: &str, inn: &str, ogrn: &str, parent: Option<&str>) -> ExistingOrg {
        ExistingOrg {
            id: OrgId(id),
            name: name.to_owned(),
            short_name: None,
            inn: inn.to_owned(),
            ogrn: ogrn.to_owned(),
            level: "state_institution".to_owned(),
            parent_ogrn: parent.map(str::to_owned),
            municipality_id: None,
            exemption_basis: None,
            sector_ids: vec![],
            contacts: Default::default(),
        }
    }

    fn registry() -> Registry {
        Registry::new(
            vec![
                existing(
                    1,
                    "Министерство образования",
                    "2200000001",
                    "1000000000001",
                    None,
                ),
                existing(
                    2,
                    "Краевая больница",
                    "2200000002",
                    "1000000000002",
                    Some("1000000000001"),
                ),
            ],
            vec![
                named(10, "город Барнаул", Some("01701000")),
                named(11, "Алейский район", None),
            ],
            vec![named(20, "Образование", None)],
            [
                ((SECTOR.to_owned(), normalize("Учёба")), 20),
                // A sector deleted since: its map is not followed.
                ((SECTOR.to_owned(), normalize("Туризм")), 99),
            ]
            .into(),
        )
    }

    fn row(n: usize, name: &str, ogrn: &str) -> OrgLine {
        OrgLine {
            row: n,
            name: name.to_owned(),
            inn: format!("99{ogrn}").chars().take(10).collect(),
            ogrn: ogrn.to_owned(),
            level: "учреждение".to_owned(),
            ..Default::default()
        }
    }

    fn resolved(rows: Vec<OrgLine>) -> (Vec<PlannedOrg>, Counts, Vec<(usize, String)>) {
        let headers: Vec<String> = [
            "Наименование",
            "ИНН",
            "ОГРН",
            "Уровень",
            "Учредитель",
            "Муниципалитет",
            "Отрасль",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
        let (map, _) = ColumnMap::new(COLUMNS, &headers);
        let mut problems = Problems::new(&map);
        let planned = resolve(rows, &registry(), Locale::Ru, &mut problems);
        let mut counts = Counts::default();
        for p in &planned {
            counts.count(p.change);
        }
        let found = found(problems)
            .into_iter()
            .map(|(row, _, message)| (row, message))
            .collect();
        (planned, counts, found)
    }

    #[test]
    fn places_are_found_by_oktmo_or_name_and_decide_the_level() {
        let mut a = row(2, "Школа", "3000000000001");
        a.municipality = Some("01701000".into());
        let mut b = row(3, "Детский сад", "3000000000002");
        b.municipality = Some("г. Барнаул".into());
        let mut c = row(4, "Музей", "3000000000003");
        c.municipality = Some("Алейский муниципальный район".into());
        let mut d = row(5, "Клуб", "3000000000004");
        d.municipality = Some("Нигде".into());
        let mut e = row(6, "Краевой центр", "3000000000005");
        e.municipality = Some(String::new());
        e.sectors = Some(vec![
            ("sector1", "образование".into()),
            ("sector1", "Спорт".into()),
        ]);
        let (planned, _, found) = resolved(vec![a, b, c, d, e]);
        let place = |i: usize| planned[i].values.municipality.map(|m| m.0);
        assert_eq!(
            [place(0), place(1), place(2)],
            [Some(10), Some(10), Some(11)]
        );
        assert_eq!(planned[0].values.level, "municipal_institution");
        assert_eq!(planned[4].values.level, "state_institution");
        assert_eq!(planned[4].values.sectors, vec![SectorId(20)]);
        assert!(
            found.iter().any(|(r, m)| *r == 5 && m.contains("Нигде")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(r, m)| *r == 6 && m.contains("Спорт")),
            "{found:?}"
        );
    }

    #[test]
    fn founders_by_ogrn_or_name_anywhere_and_never_in_a_loop() {
        let mut child = row(2, "Школа", "3000000000001");
        child.founder = Some("Гимназия".into());
        let mut parent = row(3, "Гимназия", "3000000000002");
        parent.founder = Some("1000000000001".into());
        let mut lost = row(4, "Клуб", "3000000000003");
        lost.founder = Some("Неизвестное ведомство".into());
        let mut own = row(5, "Сам себе", "3000000000004");
        own.founder = Some("3000000000004".into());
        // The ministry made subordinate to its own hospital closes a loop.
        let mut ministry = row(6, "Министерство образования", "1000000000001");
        ministry.inn = "2200000001".into();
        ministry.founder = Some("1000000000002".into());
        let (planned, _, found) = resolved(vec![child, parent, lost, own, ministry]);
        assert_eq!(planned[0].values.founder.as_deref(), Some("3000000000002"));
        assert_eq!(planned[1].values.founder.as_deref(), Some("1000000000001"));
        assert_eq!(planned[3].values.founder, None);
        for (r, text) in [
            (4, "Неизвестное ведомство"),
            (5, "самой себя"),
            (6, "замкнутый круг"),
        ] {
            assert!(
                found.iter().any(|(row, m)| *row == r && m.contains(text)),
                "row {r}: {found:?}"
            );
        }
    }

    #[test]
    fn rows_match_by_ogrn_or_a_single_inn_and_unchanged_rows_say_so() {
        let mut same = row(2, "Министерство образования", "1000000000001");
        same.inn = "2200000001".into();
        same.level = "министерство".into();
        let mut renamed = row(3, "Краевая клиническая больница", "1000000000099");
        renamed.inn = "2200000002".into();
        let fresh = row(4, "Новая школа", "3000000000001");
        let (planned, counts, found) = resolved(vec![same, renamed, fresh]);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(
            planned[0].change,
            Change::Update,
            "the level word differs from the registry's"
        );
        assert_eq!(planned[1].existing, Some(OrgId(2)), "matched by its INN");
        assert_eq!(planned[2].change, Change::Create);
        assert_eq!(
            (counts.created, counts.updated, counts.unchanged),
            (1, 2, 0)
        );
    }

    #[test]
    fn a_value_mapped_once_holds_for_every_row() {
        let mut a = row(2, "Школа", "3000000000001");
        a.sectors = Some(vec![("sector1", "учеба".into())]);
        let mut b = row(3, "Музей", "3000000000002");
        b.sectors = Some(vec![("sector1", "Туризм".into())]);
        let headers: Vec<String> = ["Наименование", "ИНН", "ОГРН", "Уровень", "Отрасль"]
            .map(String::from)
            .to_vec();
        let (map, _) = ColumnMap::new(COLUMNS, &headers);
        let mut problems = Problems::new(&map);
        let planned = resolve(vec![a, b], &registry(), Locale::Ru, &mut problems);
        assert_eq!(planned[0].values.sectors, vec![SectorId(20)]);
        let errors = problems.into_sorted();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let unknown = errors[0].unknown.as_ref().unwrap();
        assert_eq!(
            (
                errors[0].row,
                unknown.field.as_str(),
                unknown.value.as_str()
            ),
            (3, SECTOR, "Туризм")
        );
    }

    #[test]
    fn the_legal_form_and_the_founder_decide_the_level_not_the_map() {
        // A krai hospital in a district: its name says whose it is.
        let mut hospital = row(2, "КГБУЗ «Районная больница»", "3000000000001");
        hospital.municipality = Some("Алейский район".into());
        // A school with a district filled in, founded by the krai's ministry.
        let mut school = row(3, "Школа-интернат", "3000000000002");
        school.municipality = Some("Алейский район".into());
        school.founder = Some("1000000000001".into());
        // A kindergarten founded by a district administration in the same file.
        let mut administration = row(4, "Администрация района", "3000000000003");
        administration.level = "ОМСУ".into();
        let mut kindergarten = row(5, "Детский сад", "3000000000004");
        kindergarten.founder = Some("3000000000003".into());
        // Its own club, one step further down.
        let mut club = row(6, "Клуб", "3000000000005");
        club.founder = Some("3000000000004".into());
        // An explicit level is the registry's word and stays.
        let mut explicit = row(7, "МБУ «Архив»", "3000000000006");
        explicit.level = "Государственное учреждение".into();
        let (planned, _, found) = resolved(vec![
            hospital,
            school,
            administration,
            kindergarten,
            club,
            explicit,
        ]);
        assert!(found.is_empty(), "{found:?}");
        let levels: Vec<&str> = planned.iter().map(|p| p.values.level.as_str()).collect();
        assert_eq!(
            levels,
            [
                "state_institution",
                "state_institution",
                "local_government",
                "municipal_institution",
                "municipal_institution",
                "state_institution"
            ]
        );
    }
}
