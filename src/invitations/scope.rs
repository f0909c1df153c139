//! A role with its scope, as an admin chooses it: the whole region, a municipality, a
//! founder's subtree, or one organization (found by its name, OGRN or INN; when several
//! names fit, the admin picks one of them).

use sqlx::PgConnection;

use crate::i18n::Locale;
use crate::ids::{MunicipalityId, OrgId, RegionId};
use crate::web::access::Role;
use crate::web::forms::{FieldErrors, SelectOption};

/// Organizations offered when what was typed fits several.
const CANDIDATES: i64 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    pub role: Role,
    pub municipality: Option<MunicipalityId>,
    pub organization: Option<OrgId>,
}

/// What the form says of the scope: field names `role`, `municipality_id`, `organization`
/// (a name, OGRN or INN as typed) and `organization_id` (one of the offered candidates).
pub struct ScopeInput<'a> {
    pub role: &'a str,
    pub municipality: &'a str,
    pub organization: &'a str,
    pub organization_id: &'a str,
}

/// The scope, or the problems with it and the organizations to choose from when the name
/// typed fits several.
pub async fn validate(
    db: &mut PgConnection,
    region: RegionId,
    input: &ScopeInput<'_>,
    l: Locale,
    e: &mut FieldErrors,
) -> Result<(Option<Scope>, Vec<SelectOption>), sqlx::Error> {
    let (role, municipality) = (input.role, input.municipality);
    let role = Role::parse(role.trim());
    if role.is_none() {
        e.add("role", l.t("field-choose"));
    }
    let municipality = match municipality.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if crate::municipalities::db::exists(db, region, MunicipalityId(id)).await? => {
                Some(MunicipalityId(id))
            }
            _ => {
                e.add("municipality_id", l.t("field-choose"));
                None
            }
        },
    };
    let (organization, candidates) = organization(db, region, input, l, e).await?;
    match role {
        Some(Role::Editor | Role::Head) if organization.is_none() && !e.has("organization") => {
            e.add("organization", l.t("invite-editor-needs-org"))
        }
        Some(Role::Editor | Role::Head) if municipality.is_some() => {
            e.add("municipality_id", l.t("invite-editor-no-municipality"))
        }
        Some(Role::Coordinator) if municipality.is_some() && organization.is_some() => {
            e.add("organization", l.t("invite-coordinator-one-scope"))
        }
        Some(Role::Admin) if municipality.is_some() || organization.is_some() => {
            e.add("role", l.t("invite-admin-whole-region"))
        }
        _ => {}
    }
    let scope = role.filter(|_| e.is_empty()).map(|role| Scope {
        role,
        municipality,
        organization,
    });
    Ok((scope, candidates))
}

/// The organization meant: the candidate picked, else the one thing typed fits.
async fn organization(
    db: &mut PgConnection,
    region: RegionId,
    input: &ScopeInput<'_>,
    l: Locale,
    e: &mut FieldErrors,
) -> Result<(Option<OrgId>, Vec<SelectOption>), sqlx::Error> {
    let text = input.organization.trim();
    if text.is_empty() {
        return Ok((None, Vec::new()));
    }
    let found = crate::orgs::db::find_by_words(db, region, text, CANDIDATES).await?;
    let picked = input.organization_id.trim().parse::<i64>().ok();
    if let Some(o) = found.iter().find(|o| Some(o.id.0) == picked) {
        return Ok((Some(o.id), Vec::new()));
    }
    let exact = found
        .iter()
        .filter(|o| o.name.to_lowercase() == text.to_lowercase())
        .count();
    match found.as_slice() {
        [] => {
            e.add("organization", l.t("organization-unknown"));
            Ok((None, Vec::new()))
        }
        [one] => Ok((Some(one.id), Vec::new())),
        // An OGRN, an INN or an exact name comes first and means that one.
        [first, ..]
            if (text.len() >= 10 && text.chars().all(|c| c.is_ascii_digit())) || exact == 1 =>
        {
            Ok((Some(first.id), Vec::new()))
        }
        several => {
            e.add("organization", l.t("organization-choose-one"));
            let options = several
                .iter()
                .map(|o| SelectOption {
                    id: o.id.0,
                    name: o.name.clone(),
                })
                .collect();
            Ok((None, options))
        }
    }
}
