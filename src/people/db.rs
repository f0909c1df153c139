//! SQL of people: a region's memberships (tenant rows) and the enabled flag of an account
//! (installation-wide, changed only for accounts within the admin's reach).

use sqlx::PgConnection;

use crate::ids::{MunicipalityId, OrgId, RegionId, UserId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MembershipDetail {
    pub id: i64,
    pub user_id: UserId,
    pub user_name: String,
    pub email: String,
    pub role: String,
    pub municipality_id: Option<i64>,
    pub organization_ogrn: Option<String>,
}

pub async fn membership(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<MembershipDetail>, sqlx::Error> {
    sqlx::query_as::<_, MembershipDetail>(
        r#"select m.id, m.user_id, u.name as user_name, u.email, m.role, m.municipality_id, o.ogrn as organization_ogrn
           from memberships m join users u on u.id = m.user_id
           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
           where m.region_id = $1 and m.id = $2"#,
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Fails with `memberships_scope_key` when the person already holds that role and scope.
pub async fn update_membership(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
    role: &str,
    municipality: Option<MunicipalityId>,
    organization: Option<OrgId>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update memberships set role = $3, municipality_id = $4, organization_id = $5 where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .bind(role)
        .bind(municipality)
        .bind(organization)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_membership(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from memberships where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Disabling also ends every session of the account, at once.
pub async fn set_disabled(
    db: &mut PgConnection,
    user: UserId,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("update users set disabled_at = case when $2 then coalesce(disabled_at, now()) end, updated_at = now() where id = $1")
        .bind(user)
        .bind(disabled)
        .execute(&mut *db)
        .await?;
    if disabled {
        sqlx::query("delete from sessions where user_id = $1")
            .bind(user)
            .execute(db)
            .await?;
    }
    Ok(())
}
