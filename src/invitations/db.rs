use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::audit;
use crate::ids::{InvitationId, MunicipalityId, OrgId, RegionId, UserId};
use crate::state::AppState;
use crate::web::access::Role;
use crate::web::session::{hash_token, random_token};

pub struct NewInvitation {
    pub email: String,
    pub role: Role,
    pub municipality_id: Option<MunicipalityId>,
    pub organization_id: Option<OrgId>,
}

/// An invitation as it was sent: its link, and whether it renewed one already waiting.
pub struct Sent {
    pub link: String,
    pub renewed: bool,
}

/// Creates the invitation and returns its link. Only the token's hash is stored. An
/// invitation still waiting for the same address and scope gets the new link and a fresh
/// expiry instead of a twin: the old link stops working, the list keeps one row.
pub async fn create(
    db: &mut PgConnection,
    state: &AppState,
    region: RegionId,
    new: &NewInvitation,
    invited_by: UserId,
) -> Result<Sent, sqlx::Error> {
    let token = random_token();
    let ttl = state.settings.invitation_ttl.as_secs_f64();
    let email = crate::auth::email::normalize_email(&new.email);
    let renewed: Option<InvitationId> = sqlx::query_scalar(
        r#"update invitations set token_hash = $6, invited_by = $7, expires_at = now() + make_interval(secs => $8)
           where id = (select id from invitations
                       where region_id = $1 and email = $2 and role = $3
                         and municipality_id is not distinct from $4 and organization_id is not distinct from $5
                         and accepted_at is null and revoked_at is null
                       order by created_at desc limit 1
                       for update)
           returning id"#,
    )
    .bind(region)
    .bind(&email)
    .bind(new.role.code())
    .bind(new.municipality_id)
    .bind(new.organization_id)
    .bind(hash_token(&token))
    .bind(invited_by)
    .bind(ttl)
    .fetch_optional(&mut *db)
    .await?;
    let (id, action) = match renewed {
        Some(id) => (id, audit::Action::Resend),
        None => {
            let id = sqlx::query_scalar(
                r#"insert into invitations (region_id, email, role, municipality_id, organization_id, token_hash, invited_by, expires_at)
                   values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8)) returning id"#,
            )
            .bind(region)
            .bind(&email)
            .bind(new.role.code())
            .bind(new.municipality_id)
            .bind(new.organization_id)
            .bind(hash_token(&token))
            .bind(invited_by)
            .bind(ttl)
            .fetch_one(&mut *db)
            .await?;
            (id, audit::Action::Create)
        }
    };
    audit::record(
        db,
        audit::Entry::new(action, audit::Object::Invitation)
            .region(region)
            .user(invited_by)
            .object_id(id.0)
            .details(serde_json::json!({ "email": new.email, "role": new.role.code() })),
    )
    .await?;
    let link = format!("{}/invitations/{token}", state.settings.base_url);
    // The link carries the token: it is logged without it.
    tracing::info!(region = %region, email = %new.email, role = new.role.code(), renewed = renewed.is_some(), "invitation sent");
    Ok(Sent {
        link,
        renewed: renewed.is_some(),
    })
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: InvitationId,
    pub email: String,
    pub role: String,
    pub scope_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl InvitationRow {
    pub fn is_pending(&self) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none()
    }

    pub fn is_expired(&self) -> bool {
        self.is_pending() && self.expires_at < Utc::now()
    }
}

pub async fn list(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    sqlx::query_as::<_, InvitationRow>(
        r#"select i.id, i.email, i.role, coalesce(m.name, o.name) as scope_name, i.created_at, i.expires_at, i.accepted_at,
                  i.revoked_at
           from invitations i
           left join municipalities m on m.region_id = i.region_id and m.id = i.municipality_id
           left join organizations o on o.region_id = i.region_id and o.id = i.organization_id
           where i.region_id = $1 order by i.created_at desc limit 200"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub region_id: RegionId,
    pub region_name: String,
    pub email: String,
    pub role: String,
    pub municipality_id: Option<MunicipalityId>,
    pub organization_id: Option<OrgId>,
    pub scope_name: Option<String>,
}

/// A usable invitation: not accepted and not expired. Locks the row so it is used once.
pub async fn pending(
    db: &mut PgConnection,
    token: &str,
) -> Result<Option<PendingInvitation>, sqlx::Error> {
    sqlx::query_as::<_, PendingInvitation>(
        r#"select i.id, i.region_id, r.name as region_name, i.email, i.role, i.municipality_id, i.organization_id,
                  coalesce(m.name, o.name) as scope_name
           from invitations i
           join regions r on r.id = i.region_id
           left join municipalities m on m.region_id = i.region_id and m.id = i.municipality_id
           left join organizations o on o.region_id = i.region_id and o.id = i.organization_id
           where i.token_hash = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
           for update of i"#,
    )
    .bind(hash_token(token))
    .fetch_optional(db)
    .await
}

pub async fn mark_accepted(
    db: &mut PgConnection,
    id: InvitationId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("update invitations set accepted_at = now(), accepted_by = $2 where id = $1")
        .bind(id)
        .bind(user)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn add_membership(
    db: &mut PgConnection,
    region: RegionId,
    user: UserId,
    role: &str,
    municipality: Option<MunicipalityId>,
    organization: Option<OrgId>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into memberships (region_id, user_id, role, municipality_id, organization_id)
           values ($1, $2, $3, $4, $5) on conflict on constraint memberships_scope_key do nothing"#,
    )
    .bind(region)
    .bind(user)
    .bind(role)
    .bind(municipality)
    .bind(organization)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub membership_id: i64,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: String,
    pub scope_name: Option<String>,
    pub disabled: bool,
}

pub async fn members(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as::<_, MemberRow>(
        r#"select m.id as membership_id, u.id as user_id, u.name, u.email, m.role, coalesce(mu.name, o.name) as scope_name,
                  u.disabled_at is not null as disabled
           from memberships m
           join users u on u.id = m.user_id
           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
           where m.region_id = $1
           order by case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end, u.name
           limit 1000"#,
    )
    .bind(region)
    .fetch_all(db)
    .await
}

/// The invitation's address and whether it still waits for acceptance.
pub async fn email_and_pending(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "select email, accepted_at is null from invitations where region_id = $1 and id = $2",
    )
    .bind(region)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn revoke(db: &mut PgConnection, region: RegionId, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update invitations set revoked_at = coalesce(revoked_at, now()) where region_id = $1 and id = $2")
        .bind(region)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A new token and expiry: the old link stops working.
pub async fn renew(
    db: &mut PgConnection,
    region: RegionId,
    id: i64,
    token_hash: &[u8],
    ttl: std::time::Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update invitations set token_hash = $3, revoked_at = null, expires_at = now() + make_interval(secs => $4)
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(id)
    .bind(token_hash)
    .bind(ttl.as_secs_f64())
    .execute(db)
    .await?;
    Ok(())
}
