//! `gospublic api-token create|revoke`, for scripted set-ups: the same tokens the screen makes,
//! the token printed on a line of its own.

use anyhow::{Context, bail};

use super::scopes::Scope;
use crate::config::{ApiTokenCommand, DatabaseUrl};

pub async fn run(url: &DatabaseUrl, command: ApiTokenCommand) -> anyhow::Result<()> {
    let db = crate::db::connect_and_migrate(url).await?;
    match command {
        ApiTokenCommand::Create {
            region,
            name,
            scopes,
            expires,
        } => {
            let scopes = match Scope::parse_list(&scopes) {
                Ok(s) if !s.is_empty() => s,
                Ok(_) => bail!("give at least one scope with --scopes"),
                Err(unknown) => bail!(
                    "unknown scope {unknown}; the scopes are {}",
                    Scope::ALL.map(|s| s.code()).join(", ")
                ),
            };
            if name.trim().is_empty() {
                bail!("give the token a name with --name (what system it is for)");
            }
            let expires_at = match expires {
                None => None,
                Some(day) => Some(
                    chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                        .with_context(|| format!("--expires {day}: a date as YYYY-MM-DD"))?
                        .and_hms_opt(0, 0, 0)
                        .context("midnight")?
                        .and_utc(),
                ),
            };
            let region = find_region(&db, &region).await?;
            let mut tx = crate::state::tenant_tx(&db, region).await?;
            let made =
                super::tokens::make(&mut tx, region, &name, &scopes, expires_at, None).await?;
            tx.commit().await?;
            println!("{}", made.token);
            Ok(())
        }
        ApiTokenCommand::Revoke { region, id } => {
            let region = find_region(&db, &region).await?;
            let mut tx = crate::state::tenant_tx(&db, region).await?;
            let Some(name) = super::db::revoke(&mut tx, region, id).await? else {
                bail!("no live token {id} in this region");
            };
            crate::audit::record(
                &mut tx,
                crate::audit::Entry::new(
                    crate::audit::Action::Revoke,
                    crate::audit::Object::ApiToken,
                )
                .region(region)
                .object_id(id)
                .details(serde_json::json!({ "name": name })),
            )
            .await?;
            tx.commit().await?;
            println!("revoked {id} ({name})");
            Ok(())
        }
    }
}

async fn find_region(db: &sqlx::PgPool, slug: &str) -> anyhow::Result<crate::ids::RegionId> {
    crate::regions::db::find_by_slug(&mut *db.acquire().await?, slug)
        .await?
        .with_context(|| format!("there is no region with the slug {slug}"))
}
