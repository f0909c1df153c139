//! The organization form: what the admin typed, and its validation into `OrgFields`.

use serde::Deserialize;
use sqlx::PgConnection;

use super::db::{self, Contacts, OrgDetail, OrgFields};
use super::identifiers::{IdError, validate_inn, validate_ogrn};
use crate::i18n::Locale;
use crate::ids::{MunicipalityId, OrgId, RegionId, SectorId};
use crate::web::forms::{FieldErrors, optional};

/// Levels of organization, with their catalog keys.
pub const LEVELS: [(&str, &str); 5] = [
    ("regional_body", "level-regional_body"),
    ("local_government", "level-local_government"),
    ("state_institution", "level-state_institution"),
    ("municipal_institution", "level-municipal_institution"),
    ("other", "level-other"),
];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub name: String,
    pub short_name: String,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    pub parent_ogrn: String,
    pub municipality_id: String,
    pub sector1: String,
    pub sector2: String,
    pub sector3: String,
    pub exempt: Option<String>,
    pub exemption_basis: String,
    pub archived: Option<String>,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
}

impl OrgForm {
    pub fn from_detail(o: &OrgDetail) -> OrgForm {
        let sector = |i: usize| {
            o.sector_ids
                .get(i)
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        OrgForm {
            name: o.name.clone(),
            short_name: o.short_name.clone().unwrap_or_default(),
            inn: o.inn.clone(),
            ogrn: o.ogrn.clone(),
            level: o.level.clone(),
            parent_ogrn: o.parent_ogrn.clone().unwrap_or_default(),
            municipality_id: o.municipality_id.map(|m| m.to_string()).unwrap_or_default(),
            sector1: sector(0),
            sector2: sector(1),
            sector3: sector(2),
            exempt: o.exempt.then(|| "on".into()),
            exemption_basis: o.exemption_basis.clone().unwrap_or_default(),
            archived: o.archived.then(|| "on".into()),
            address: o.contacts.address.clone().unwrap_or_default(),
            phone: o.contacts.phone.clone().unwrap_or_default(),
            email: o.contacts.email.clone().unwrap_or_default(),
            website: o.contacts.website.clone().unwrap_or_default(),
        }
    }

    pub fn is_exempt(&self) -> bool {
        self.exempt.is_some()
    }

    pub fn is_archived(&self) -> bool {
        self.archived.is_some()
    }

    pub fn sector_at(&self, slot: &i32) -> &str {
        match slot {
            1 => &self.sector1,
            2 => &self.sector2,
            _ => &self.sector3,
        }
    }

    /// Checks everything that can be checked before writing; `current` is the organization
    /// being edited (None when creating).
    pub async fn validate(
        &self,
        db: &mut PgConnection,
        region: RegionId,
        current: Option<OrgId>,
        l: Locale,
    ) -> Result<Result<OrgFields, FieldErrors>, sqlx::Error> {
        let mut e = FieldErrors::default();
        let name = crate::names::check(&self.name, 500, l).unwrap_or_else(|message| {
            e.add("name", message);
            String::new()
        });
        let inn = self.inn.trim().to_owned();
        match validate_inn(&inn) {
            Ok(()) => {}
            Err(IdError::Format) if inn.is_empty() => e.add("inn", l.t("field-required")),
            Err(IdError::Format) => e.add("inn", l.t("inn-format")),
            Err(IdError::CheckDigit) => e.add("inn", l.t("inn-check-digit")),
        }
        let ogrn = self.ogrn.trim().to_owned();
        match validate_ogrn(&ogrn) {
            Ok(()) => {}
            Err(IdError::Format) if ogrn.is_empty() => e.add("ogrn", l.t("field-required")),
            Err(IdError::Format) => e.add("ogrn", l.t("ogrn-format")),
            Err(IdError::CheckDigit) => e.add("ogrn", l.t("ogrn-check-digit")),
        }
        if !e.has("ogrn")
            && let Some(other) = db::find_by_ogrn(db, region, &ogrn).await?
            && Some(other.id) != current
        {
            e.add("ogrn", l.t1("ogrn-taken", "org", &other.name));
        }
        if !LEVELS.iter().any(|(code, _)| *code == self.level) {
            e.add("level", l.t("field-choose"));
        }
        let mut parent_id = None;
        let parent_ogrn = self.parent_ogrn.trim();
        if !parent_ogrn.is_empty() {
            match db::find_by_ogrn(db, region, parent_ogrn).await? {
                None => e.add("parent_ogrn", l.t("parent-unknown")),
                Some(p) if Some(p.id) == current => e.add("parent_ogrn", l.t("parent-self")),
                Some(p) => {
                    if let Some(id) = current
                        && db::would_cycle(db, region, id, p.id).await?
                    {
                        e.add("parent_ogrn", l.t("parent-cycle"));
                    }
                    parent_id = Some(p.id);
                }
            }
        }
        let municipality_id = match self.municipality_id.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id)
                    if crate::municipalities::db::exists(db, region, MunicipalityId(id))
                        .await? =>
                {
                    Some(MunicipalityId(id))
                }
                _ => {
                    e.add("municipality_id", l.t("field-choose"));
                    None
                }
            },
        };
        let mut sectors: Vec<SectorId> = Vec::new();
        for (field, value) in [
            ("sector1", &self.sector1),
            ("sector2", &self.sector2),
            ("sector3", &self.sector3),
        ] {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            match v.parse::<i64>() {
                Ok(id) if crate::sectors::db::exists(db, region, SectorId(id)).await? => {
                    if sectors.contains(&SectorId(id)) {
                        e.add(field, l.t("sector-repeated"));
                    } else {
                        sectors.push(SectorId(id));
                    }
                }
                _ => e.add(field, l.t("field-choose")),
            }
        }
        let contacts = self.contacts(l, &mut e);
        let exemption_basis = optional(&self.exemption_basis);
        if self.is_exempt() && exemption_basis.is_none() {
            e.add("exemption_basis", l.t("exemption-basis-required"));
        }
        Ok(e.into_result(OrgFields {
            name,
            short_name: optional(&self.short_name),
            inn,
            ogrn,
            level: self.level.clone(),
            parent_id,
            municipality_id,
            sectors,
            exempt: self.is_exempt(),
            exemption_basis: if self.is_exempt() {
                exemption_basis
            } else {
                None
            },
            archived: self.is_archived(),
            contacts,
        }))
    }

    /// What residents see on the public card, checked by the rules a registry file keeps too.
    fn contacts(&self, l: Locale, e: &mut FieldErrors) -> Contacts {
        let contacts = Contacts {
            address: optional(&self.address),
            phone: optional(&self.phone),
            email: optional(&self.email),
            website: optional(&self.website),
        };
        for (field, key) in super::contacts::problems(&contacts) {
            e.add(field, l.t(key));
        }
        contacts
    }
}
