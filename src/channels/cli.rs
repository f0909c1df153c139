//! `gospublic channel add vk|telegram|max …` and `gospublic channel list`, for onboarding pages by script:
//! the same connection the page card makes, with the webhook address on a line of its own.

use anyhow::{Context, bail};

use super::secrets::SecretKey;
use super::{VkCommunity, connect_bot, connect_vk, hook_url};
use crate::config::{
    ChannelAddArgs, ChannelAddPlatform, ChannelCommand, ChannelKeys, DatabaseUrl, ReadTokenArgs,
};
use crate::ids::{PageId, RegionId};

pub async fn run(url: &DatabaseUrl, command: ChannelCommand) -> anyhow::Result<()> {
    match command {
        ChannelCommand::Add(args) => add(url, args).await,
        ChannelCommand::List(args) => list(url, &args.region, &args.keys).await,
        ChannelCommand::ReadToken(args) => read_token(url, args).await,
    }
}

fn base_url(keys: &ChannelKeys) -> anyhow::Result<String> {
    keys.base_url.clone().context(
        "no public base URL: set GOSPUBLIC_BASE_URL (or --base-url), the address platforms reach this server at",
    )
}

async fn region(db: &sqlx::PgPool, slug: &str) -> anyhow::Result<RegionId> {
    crate::regions::db::find_by_slug(&mut *db.acquire().await?, slug)
        .await?
        .with_context(|| format!("there is no region with the slug {slug}"))
}

async fn add(url: &DatabaseUrl, args: ChannelAddArgs) -> anyhow::Result<()> {
    let base = base_url(&args.keys)?;
    let key = args
        .keys
        .secret_key
        .as_deref()
        .map(SecretKey::parse)
        .transpose()?;
    let (Some(slug), Some(page)) = (args.region.as_deref(), args.page) else {
        bail!("give the page with --region SLUG --page PAGE_ID");
    };
    let db = crate::db::connect_and_migrate(url).await?;
    let region = region(&db, slug).await?;
    let mut tx = crate::state::tenant_tx(&db, region).await?;
    let (platform, connected) = match &args.platform {
        ChannelAddPlatform::Vk {
            group_id,
            confirmation,
            secret,
            token,
        } => {
            let community = VkCommunity {
                group_id: *group_id,
                confirmation,
                secret: secret.as_deref(),
                token: token.as_deref(),
                events: super::VK_EVENTS,
            };
            let connected = connect_vk(
                &mut tx,
                region,
                PageId(page),
                &community,
                key.as_ref(),
                None,
            )
            .await?;
            ("vk", connected)
        }
        ChannelAddPlatform::Telegram { bot_token } | ChannelAddPlatform::Max { bot_token } => {
            let platform = if matches!(args.platform, ChannelAddPlatform::Max { .. }) {
                "max"
            } else {
                "telegram"
            };
            let apis = super::apis::Apis::new(args.apis.bases());
            let connected = connect_bot(
                &mut tx,
                region,
                PageId(page),
                bot_token,
                key.as_ref(),
                None,
                &apis,
                &base,
            )
            .await?;
            (platform, connected)
        }
    };
    let hook = match connected {
        Ok(hook) => hook,
        Err(e) => bail!("{e}"),
    };
    tx.commit().await?;
    println!("{}", hook_url(&base, platform, &hook));
    Ok(())
}

async fn list(url: &DatabaseUrl, slug: &str, keys: &ChannelKeys) -> anyhow::Result<()> {
    let base = base_url(keys)?;
    let db = crate::db::connect_and_migrate(url).await?;
    let region = region(&db, slug).await?;
    let mut tx = crate::state::tenant_tx(&db, region).await?;
    for c in super::db::list(&mut tx, region).await? {
        let heard = c
            .last_event_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "never".to_owned());
        let failing = match (c.failing_since, &c.failure) {
            (Some(since), Some(reason)) => {
                format!("\tfailing since {}: {reason}", since.to_rfc3339())
            }
            _ => String::new(),
        };
        println!(
            "{}\t{}\t{}\t{}\tlast event: {heard}\tunprocessed: {}{}{failing}",
            c.page_id,
            c.platform,
            c.page_url,
            hook_url(&base, &c.platform, &c.hook_token),
            c.stuck_events,
            c.last_error.map(|e| format!(" ({e})")).unwrap_or_default()
        );
    }
    Ok(())
}

async fn read_token(url: &DatabaseUrl, args: ReadTokenArgs) -> anyhow::Result<()> {
    let key = args
        .keys
        .secret_key
        .as_deref()
        .map(SecretKey::parse)
        .transpose()?;
    let db = crate::db::connect_and_migrate(url).await?;
    let region = region(&db, &args.region).await?;
    let mut tx = crate::state::tenant_tx(&db, region).await?;
    let Some(token) = args.token.filter(|_| !args.remove) else {
        let removed = super::read_token::remove(&mut tx, region, None).await?;
        tx.commit().await?;
        println!(
            "{}",
            if removed {
                "removed"
            } else {
                "there was no token"
            }
        );
        return Ok(());
    };
    let apis = super::apis::Apis::new(args.apis.bases());
    match super::read_token::set(&mut tx, region, &token, key.as_ref(), &apis, None).await? {
        Ok(()) => {}
        Err(super::read_token::Refusal::NoKey) => {
            bail!("no key to seal the token with: set GOSPUBLIC_SECRET_KEY")
        }
        Err(super::read_token::Refusal::Vk(reason)) => bail!("VK refused the token: {reason}"),
    }
    tx.commit().await?;
    println!("kept");
    Ok(())
}
