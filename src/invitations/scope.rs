//! A role with its scope, as an admin chooses it: the whole region, a municipality, a
//! founder's subtree, or one organization (given by its OGRN).

use sqlx::PgConnection;

use crate::i18n::Locale;
use crate::ids::{MunicipalityId, OrgId, RegionId};
use crate::web::access::Role;
use crate::web::forms::FieldErrors;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    pub role: Role,
    pub municipality: Option<MunicipalityId>,
    pub organization: Option<OrgId>,
}

/// Field names: `role`, `municipality_id`, `organization_ogrn`.
pub async fn validate(
    db: &mut PgConnection,
    region: RegionId,
    role: &str,
    municipality: &str,
    ogrn: &str,
    l: Locale,
    e: &mut FieldErrors,
) -> Result<Option<Scope>, sqlx::Error> {
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
    let ogrn = ogrn.trim();
    let organization = if ogrn.is_empty() {
        None
    } else {
        let found = crate::orgs::db::find_by_ogrn(db, region, ogrn).await?;
        if found.is_none() {
            e.add("organization_ogrn", l.t("organization-unknown"));
        }
        found.map(|o| o.id)
    };
    match role {
        Some(Role::Editor | Role::Head)
            if organization.is_none() && !e.has("organization_ogrn") =>
        {
            e.add("organization_ogrn", l.t("invite-editor-needs-org"))
        }
        Some(Role::Editor | Role::Head) if municipality.is_some() => {
            e.add("municipality_id", l.t("invite-editor-no-municipality"))
        }
        Some(Role::Coordinator) if municipality.is_some() && organization.is_some() => {
            e.add("organization_ogrn", l.t("invite-coordinator-one-scope"))
        }
        Some(Role::Admin) if municipality.is_some() || organization.is_some() => {
            e.add("role", l.t("invite-admin-whole-region"))
        }
        _ => {}
    }
    Ok(role.filter(|_| e.is_empty()).map(|role| Scope {
        role,
        municipality,
        organization,
    }))
}
