//! SQL of the organizations import: the region's registry as the plan compares against it,
//! and the plan written in bulk (one statement per kind of change, whatever the row count).

use std::collections::HashMap;

use sqlx::PgConnection;

use crate::ids::{MunicipalityId, OrgId, RegionId};
use crate::import::orgs::{OrgValues, PlannedOrg};

#[derive(sqlx::FromRow)]
pub struct ExistingOrg {
    pub id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub inn: String,
    pub ogrn: String,
    pub level: String,
    pub parent_ogrn: Option<String>,
    pub municipality_id: Option<MunicipalityId>,
    pub exemption_basis: Option<String>,
    pub sector_ids: Vec<i64>,
    #[sqlx(flatten)]
    pub contacts: crate::orgs::db::Contacts,
}

#[derive(sqlx::FromRow)]
pub struct NamedRow {
    pub id: i64,
    pub name: String,
    pub oktmo: Option<String>,
    /// `name` normalized, and its municipality key: computed once, compared on every row.
    #[sqlx(skip)]
    pub normalized: String,
    #[sqlx(skip)]
    pub key: String,
}

pub async fn existing_orgs(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<ExistingOrg>, sqlx::Error> {
    sqlx::query_as::<_, ExistingOrg>(
        r#"select o.id, o.name, o.short_name, o.inn, o.ogrn, o.level, p.ogrn as parent_ogrn, o.municipality_id,
                  o.exemption_basis, o.address, o.phone, o.email, o.website,
                  coalesce(array(select s.sector_id from organization_sectors s
                                 where s.region_id = o.region_id and s.organization_id = o.id order by s.slot), '{}') as sector_ids
           from organizations o
           left join organizations p on p.region_id = o.region_id and p.id = o.parent_id
           where o.region_id = $1"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}

pub async fn municipality_names(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<NamedRow>, sqlx::Error> {
    sqlx::query_as::<_, NamedRow>("select id, name, oktmo from municipalities where region_id = $1")
        .bind(region)
        .fetch_all(db)
        .await
}

pub async fn sector_names(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<NamedRow>, sqlx::Error> {
    sqlx::query_as::<_, NamedRow>(
        "select id, name, null::text as oktmo from sectors where region_id = $1",
    )
    .bind(region)
    .fetch_all(db)
    .await
}

fn column(rows: &[&PlannedOrg], f: impl Fn(&OrgValues) -> Option<String>) -> Vec<Option<String>> {
    rows.iter().map(|r| f(&r.values)).collect()
}

fn municipalities(rows: &[&PlannedOrg]) -> Vec<Option<i64>> {
    rows.iter()
        .map(|r| r.values.municipality.map(|m: MunicipalityId| m.0))
        .collect()
}

/// Returns the new organizations' ids with their OGRN.
pub async fn insert_created(
    db: &mut PgConnection,
    region: RegionId,
    creates: &[&PlannedOrg],
) -> Result<Vec<(OrgId, String)>, sqlx::Error> {
    sqlx::query_as(
        r#"insert into organizations (region_id, name, short_name, inn, ogrn, level, municipality_id, exempt, exemption_basis,
                                      address, phone, email, website)
           select $1, u.name, u.short_name, u.inn, u.ogrn, u.level, u.municipality_id, u.basis is not null, u.basis,
                  u.address, u.phone, u.email, u.website
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::text[])
                as u(name, short_name, inn, ogrn, level, municipality_id, basis, address, phone, email, website)
           returning id, ogrn"#,
    )
    .bind(region)
    .bind(column(creates, |v| Some(v.name.clone())))
    .bind(column(creates, |v| v.short_name.clone()))
    .bind(column(creates, |v| Some(v.inn.clone())))
    .bind(column(creates, |v| Some(v.ogrn.clone())))
    .bind(column(creates, |v| Some(v.level.clone())))
    .bind(municipalities(creates))
    .bind(column(creates, |v| v.exemption_basis.clone()))
    .bind(column(creates, |v| v.contacts.address.clone()))
    .bind(column(creates, |v| v.contacts.phone.clone()))
    .bind(column(creates, |v| v.contacts.email.clone()))
    .bind(column(creates, |v| v.contacts.website.clone()))
    .fetch_all(db)
    .await
}

pub async fn update_changed(
    db: &mut PgConnection,
    region: RegionId,
    updates: &[&PlannedOrg],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update organizations o set name = u.name, short_name = u.short_name, inn = u.inn, ogrn = u.ogrn, level = u.level,
                  municipality_id = u.municipality_id, exempt = u.basis is not null, exemption_basis = u.basis,
                  address = u.address, phone = u.phone, email = u.email, website = u.website, updated_at = now()
           from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[],
                       $10::text[], $11::text[], $12::text[], $13::text[])
                as u(id, name, short_name, inn, ogrn, level, municipality_id, basis, address, phone, email, website)
           where o.region_id = $1 and o.id = u.id"#,
    )
    .bind(region)
    .bind(updates.iter().map(|r| r.existing.map(|id| id.0)).collect::<Vec<_>>())
    .bind(column(updates, |v| Some(v.name.clone())))
    .bind(column(updates, |v| v.short_name.clone()))
    .bind(column(updates, |v| Some(v.inn.clone())))
    .bind(column(updates, |v| Some(v.ogrn.clone())))
    .bind(column(updates, |v| Some(v.level.clone())))
    .bind(municipalities(updates))
    .bind(column(updates, |v| v.exemption_basis.clone()))
    .bind(column(updates, |v| v.contacts.address.clone()))
    .bind(column(updates, |v| v.contacts.phone.clone()))
    .bind(column(updates, |v| v.contacts.email.clone()))
    .bind(column(updates, |v| v.contacts.website.clone()))
    .execute(db)
    .await?;
    Ok(())
}

/// Links each changed organization to its founder by OGRN; run once every organization of
/// the file exists.
pub async fn set_founders(
    db: &mut PgConnection,
    region: RegionId,
    changed: &[&PlannedOrg],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update organizations o set parent_id = p.id
           from unnest($2::text[], $3::text[]) as u(ogrn, founder)
           left join organizations p on p.region_id = $1 and p.ogrn = u.founder
           where o.region_id = $1 and o.ogrn = u.ogrn"#,
    )
    .bind(region)
    .bind(column(changed, |v| Some(v.ogrn.clone())))
    .bind(column(changed, |v| v.founder.clone()))
    .execute(db)
    .await?;
    Ok(())
}

/// The changed organizations' sectors become exactly the file's, in its order.
pub async fn replace_sectors(
    db: &mut PgConnection,
    region: RegionId,
    changed: &[&PlannedOrg],
    ids: &HashMap<&str, OrgId>,
) -> Result<(), sqlx::Error> {
    let touched: Vec<i64> = ids.values().map(|id| id.0).collect();
    sqlx::query(
        "delete from organization_sectors where region_id = $1 and organization_id = any($2)",
    )
    .bind(region)
    .bind(&touched)
    .execute(&mut *db)
    .await?;
    let (mut org_ids, mut sector_ids, mut slots) = (Vec::new(), Vec::new(), Vec::new());
    for r in changed {
        for (slot, sector) in r.values.sectors.iter().take(3).enumerate() {
            org_ids.push(ids[r.values.ogrn.as_str()].0);
            sector_ids.push(sector.0);
            slots.push(slot as i16 + 1);
        }
    }
    sqlx::query(
        r#"insert into organization_sectors (region_id, organization_id, sector_id, slot)
           select $1, u.org, u.sector, u.slot from unnest($2::bigint[], $3::bigint[], $4::int2[]) as u(org, sector, slot)"#,
    )
    .bind(region)
    .bind(&org_ids)
    .bind(&sector_ids)
    .bind(&slots)
    .execute(db)
    .await?;
    Ok(())
}
