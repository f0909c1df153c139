//! The subcommands of the `gospublic` binary.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use crate::audit;
use crate::config::{Cli, Command, CreateAdminArgs, ServeArgs, Settings};
use crate::state::AppState;

/// What a one-pass worker that calls the platforms needs: the database, the platforms' APIs
/// and the key the tokens are sealed with (a malformed key is refused before anything runs).
async fn platform_worker(
    url: &crate::config::DatabaseUrl,
    args: &crate::config::DeliverArgs,
) -> anyhow::Result<(
    sqlx::PgPool,
    crate::channels::apis::Apis,
    Option<crate::channels::secrets::SecretKey>,
)> {
    let key = args
        .secret_key
        .as_deref()
        .map(crate::channels::secrets::SecretKey::parse)
        .transpose()?;
    let db = crate::db::connect_and_migrate(url).await?;
    Ok((db, crate::channels::apis::Apis::new(args.apis.bases()), key))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            crate::db::connect_and_migrate(&cli.database_url).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo => {
            let db = crate::db::connect_and_migrate(&cli.database_url).await?;
            crate::demo::seed(&db).await?;
            tracing::info!("demo data loaded");
            Ok(())
        }
        Command::CreateAdmin(args) => create_admin(&cli.database_url, args).await,
        Command::Import(args) => crate::import::cli::run(&cli.database_url, args).await,
        Command::Serve(args) => serve(&cli.database_url, args).await,
        Command::Channel(command) => crate::channels::cli::run(&cli.database_url, command).await,
        Command::ApiToken(command) => crate::api::cli::run(&cli.database_url, command).await,
        Command::DeliverAnswers(args) => {
            let (db, apis, key) = platform_worker(&cli.database_url, &args).await?;
            let n = crate::channels::delivery::deliver_due(&db, &apis, key.as_ref()).await?;
            println!("{n}");
            Ok(())
        }
        Command::CollectFigures(args) => {
            let (db, apis, key) = platform_worker(&cli.database_url, &args).await?;
            let n = crate::channels::collector::collect_all_due(&db, &apis, key.as_ref()).await?;
            println!("{n}");
            Ok(())
        }
        Command::NotifyOverdue(mail) => {
            let db = crate::db::connect_and_migrate(&cli.database_url).await?;
            let Some(settings) = mail.settings() else {
                bail!("no mail relay configured: set GOSPUBLIC_SMTP_HOST (or --smtp-host)");
            };
            let n = crate::questions::housekeeping::notify_overdue(
                &db,
                &settings,
                &mail.public_base_url()?,
            )
            .await?;
            println!("{n}");
            Ok(())
        }
        Command::SendDigests(mail) => {
            let db = crate::db::connect_and_migrate(&cli.database_url).await?;
            let Some(settings) = mail.settings() else {
                bail!("no mail relay configured: set GOSPUBLIC_SMTP_HOST (or --smtp-host)");
            };
            let n = crate::dashboard::digest_mail::send_digests(
                &db,
                &settings,
                &mail.public_base_url()?,
                chrono::Utc::now(),
            )
            .await?;
            println!("{n}");
            Ok(())
        }
        Command::EraseContacts => {
            let db = crate::db::connect_and_migrate(&cli.database_url).await?;
            let n = crate::questions::housekeeping::erase_contacts(&db).await?;
            println!("{n}");
            Ok(())
        }
        Command::LoadCalendar(args) => load_calendar(&cli.database_url, args).await,
        Command::SeedScale(args) => {
            let db = crate::db::connect_and_migrate(&cli.database_url).await?;
            let targets = crate::demo::scale::Targets {
                seed: args.seed,
                regions: args.regions,
                organizations: args.organizations,
                pages: args.pages,
                questions: args.questions,
                question_days: args.question_days,
                weeks: args.weeks,
            };
            crate::demo::scale::seed(&db, &cli.database_url.0, &targets).await
        }
    }
}

/// Loads a year of the production calendar into one region's rules, or every region's.
async fn load_calendar(
    url: &crate::config::DatabaseUrl,
    args: crate::config::LoadCalendarArgs,
) -> anyhow::Result<()> {
    let db = crate::db::connect_and_migrate(url).await?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let regions =
        crate::regions::db::ids_and_slugs(&mut *db.acquire().await?, args.region.as_deref())
            .await?;
    if regions.is_empty() {
        bail!("no such region: {}", args.region.unwrap_or_default());
    }
    for (region, slug) in regions {
        let mut tx = crate::state::tenant_tx(&db, region).await?;
        let loaded = crate::settings::calendar::load(
            &mut tx,
            region,
            None,
            &bytes,
            args.year,
            crate::i18n::Locale::Ru,
        )
        .await?;
        match loaded {
            Ok((holidays, working)) => {
                tx.commit().await?;
                println!("{slug}: {holidays} holidays, {working} working days off");
            }
            Err(message) => bail!("{message}"),
        }
    }
    Ok(())
}

async fn serve(url: &crate::config::DatabaseUrl, args: ServeArgs) -> anyhow::Result<()> {
    let db = crate::db::connect_and_migrate(url).await?;
    if args.demo {
        crate::demo::seed(&db).await.context("loading demo data")?;
        tracing::info!("demo data loaded");
    }
    if crate::demo::accounts_exist(&db).await? {
        tracing::warn!(
            "demo accounts with a published password exist in this database; do not expose this server to real users"
        );
    }
    if !args.secure_cookies {
        tracing::warn!("session cookies are not marked Secure: plain-HTTP development mode");
    }
    if let Some(key) = &args.secret_key {
        crate::channels::secrets::SecretKey::parse(key)?;
    }
    let settings = Settings::from_args(&args);
    if !settings.base_url_configured {
        tracing::warn!(
            base_url = %settings.base_url,
            "no public base URL is configured (GOSPUBLIC_BASE_URL or --base-url): invitation links point at the listening address, which people outside this machine cannot open"
        );
    }
    crate::import::set_max_rows(args.import_max_rows);
    let mut state = AppState::new(db.clone(), settings.clone());
    if let Some(url) = &args.database_read_url {
        state = state.with_reads(crate::db::connect_reads(url).await?);
        tracing::info!(replica = %url, "reads of the monitoring screens, exports, directory and API go to the replica");
    }
    spawn_session_cleanup(db.clone(), settings.session_idle);
    let apis = crate::channels::apis::Apis::new(settings.apis.clone());
    let namer = crate::channels::names::Namer {
        apis: apis.clone(),
        key: settings.secret_key.clone(),
    };
    crate::channels::intake::spawn(db.clone(), state.events_arrived.clone(), namer);
    crate::channels::collector::spawn(db.clone(), apis.clone(), settings.secret_key.clone());
    crate::channels::delivery::spawn(
        db.clone(),
        apis,
        settings.secret_key.clone(),
        state.answers_published.clone(),
    );
    if let Some(mail) = settings.mail.clone() {
        crate::public_questions::letters::spawn(db.clone(), mail.clone());
        spawn_overdue_notices(db, mail, settings.base_url.clone());
    }
    let listener = TcpListener::bind(args.bind).await.with_context(|| {
        format!(
            "cannot listen on {}; is another server using it? (set GOSPUBLIC_BIND)",
            args.bind
        )
    })?;
    tracing::info!("listening on http://{}", args.bind);
    axum::serve(
        listener,
        crate::app::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

fn spawn_session_cleanup(db: sqlx::PgPool, idle: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            match crate::web::session::delete_expired(&db, idle).await {
                Ok(n) if n > 0 => tracing::info!(deleted = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "expired session cleanup failed"),
            }
            let limits = crate::public_questions::LONGEST_WINDOW;
            if let Err(e) = crate::public_questions::db::forget_old_limits(&db, limits).await {
                tracing::warn!(error = %e, "old submission limits cleanup failed");
            }
        }
    });
}

/// Overdue notices and the Monday digests every five minutes; several servers doing this at
/// once send each once.
fn spawn_overdue_notices(db: sqlx::PgPool, mail: crate::mail::MailSettings, base_url: String) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(e) =
                crate::questions::housekeeping::notify_overdue(&db, &mail, &base_url).await
            {
                tracing::warn!(error = %e, "overdue notices failed; will retry");
            }
            if let Err(e) = crate::dashboard::digest_mail::send_digests(
                &db,
                &mail,
                &base_url,
                chrono::Utc::now(),
            )
            .await
            {
                tracing::warn!(error = %e, "weekly digests failed; will retry");
            }
        }
    });
}

/// Requests in flight finish; new connections are refused.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Reads the password from stdin (piped) or asks for it without echo (terminal).
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    if terminal {
        eprint!(
            "Password (at least {} characters): ",
            crate::auth::password::MIN_LENGTH
        );
        std::io::stderr().flush().ok();
        let _ = std::process::Command::new("stty").arg("-echo").status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if terminal {
        let _ = std::process::Command::new("stty").arg("echo").status();
        eprintln!();
    }
    read.context("reading the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn create_admin(
    url: &crate::config::DatabaseUrl,
    args: CreateAdminArgs,
) -> anyhow::Result<()> {
    if !crate::auth::email::looks_like_email(&args.email) {
        bail!("{} is not an email address", args.email);
    }
    if args.name.trim().is_empty() {
        bail!("--name must not be empty");
    }
    let password = read_password()?;
    if password.chars().count() < crate::auth::password::MIN_LENGTH {
        bail!(
            "the password must have at least {} characters",
            crate::auth::password::MIN_LENGTH
        );
    }
    let db = crate::db::connect_and_migrate(url).await?;
    let mut tx = db.begin().await?;
    let region = match &args.region {
        Some(slug) => Some(
            crate::regions::db::find_by_slug(&mut tx, slug)
                .await?
                .with_context(|| format!("there is no region with the slug {slug}"))?,
        ),
        None => None,
    };
    if crate::auth::db::find_by_email(&mut tx, &args.email)
        .await?
        .is_some()
    {
        bail!("a user with the email {} already exists", args.email);
    }
    let hash = crate::auth::password::hash(password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = crate::auth::db::create(
        &mut tx,
        &args.email,
        &args.name,
        &hash,
        region.is_none(),
        false,
    )
    .await?;
    if let Some(region) = region {
        crate::invitations::db::add_membership(&mut tx, region, user, "admin", None, None).await?;
    }
    audit::record(
        &mut tx,
        audit::Entry::new(audit::Action::Create, audit::Object::User)
            .region_opt(region)
            .object_id(user.0)
            .details(serde_json::json!({ "email": args.email, "via": "cli" })),
    )
    .await?;
    tx.commit().await?;
    match &args.region {
        Some(slug) => println!("created admin {} of region {slug}", args.email),
        None => println!("created platform operator {}", args.email),
    }
    Ok(())
}
