//! Command line and environment configuration: one clap struct gives flags, env vars and --help.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/gospublic";

#[derive(Parser)]
#[command(
    name = "gospublic",
    version,
    about = "Registry and monitoring of official pages of government bodies"
)]
pub struct Cli {
    /// PostgreSQL connection string; the database is created if it is missing.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true, global = true)]
    pub database_url: DatabaseUrl,

    /// Log format: human-readable lines or one JSON object per line.
    #[arg(long, env = "GOSPUBLIC_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human, global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Create the database if needed and apply migrations.
    Migrate,
    /// Create a platform operator (or, with --region, an admin of that region).
    /// The password is read from stdin or asked for, never taken from arguments.
    CreateAdmin(CreateAdminArgs),
    /// Load the demo region (Altai Krai) with organizations, pages and one account per role.
    SeedDemo,
    /// Check a spreadsheet (XLSX or CSV) against a region's registry; with --commit, write it.
    Import(ImportArgs),
    /// Tell editors and coordinators, once, about questions that have just become overdue.
    /// Safe to run from several instances at once; `serve` also runs it every few minutes.
    NotifyOverdue(MailArgs),
    /// Mail each region's coordinators the weekly digest, from Monday 08:00 in the region's
    /// time zone, once per week. Safe from several instances; `serve` also runs it.
    SendDigests(MailArgs),
    /// Erase residents' contacts from questions closed longer ago than their region keeps
    /// them. Meant for a daily scheduler; safe to run from several instances at once.
    EraseContacts,
    /// Load a region's production calendar (holidays and moved working days) for a year.
    LoadCalendar(LoadCalendarArgs),
    /// Fill an empty database with a national-size data set for benchmarks: the demo region
    /// and up to 88 more, organizations, pages, a year of weekly figures and questions.
    SeedScale(SeedScaleArgs),
    /// Connect pages to their platforms, so residents' comments and messages become questions.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Tokens the region's other systems call the API with.
    #[command(subcommand)]
    ApiToken(ApiTokenCommand),
    /// Fetch today's figures of every connected page from its platform (once a day each).
    /// Safe from several instances at once; `serve` also does it.
    CollectFigures(DeliverArgs),
    /// Send published answers back to the platforms their questions came from, once.
    /// Safe from several instances at once; `serve` also does it as answers are published.
    DeliverAnswers(DeliverArgs),
}

#[derive(Subcommand)]
pub enum ApiTokenCommand {
    /// Make a token; prints it on a line of its own (it is never shown again).
    Create {
        /// The region's slug.
        #[arg(long)]
        region: String,
        /// What the token is for (the system that will use it).
        #[arg(long)]
        name: String,
        /// Comma-separated: questions:write, questions:read, registry:read, figures:write, figures:read.
        #[arg(long)]
        scopes: String,
        /// The day it stops working (YYYY-MM-DD), if it should.
        #[arg(long)]
        expires: Option<String>,
    },
    /// Stop a token at once.
    Revoke {
        #[arg(long)]
        region: String,
        /// The token's number, as the «Доступ по API» screen lists it.
        #[arg(long)]
        id: i64,
    },
}

/// Where the platforms' APIs answer: their public addresses, or a local server playing them.
#[derive(clap::Args, Clone, Debug)]
pub struct PlatformApiArgs {
    #[arg(
        long,
        env = "GOSPUBLIC_VK_API_BASE",
        default_value = "https://api.vk.com",
        global = true
    )]
    pub vk_api_base: String,
    #[arg(
        long,
        env = "GOSPUBLIC_TELEGRAM_API_BASE",
        default_value = "https://api.telegram.org",
        global = true
    )]
    pub telegram_api_base: String,
    #[arg(
        long,
        env = "GOSPUBLIC_MAX_API_BASE",
        default_value = "https://platform-api.max.ru",
        global = true
    )]
    pub max_api_base: String,
}

impl PlatformApiArgs {
    pub fn bases(&self) -> crate::channels::apis::ApiBases {
        let trim = |s: &str| s.trim_end_matches('/').to_owned();
        crate::channels::apis::ApiBases {
            vk: trim(&self.vk_api_base),
            telegram: trim(&self.telegram_api_base),
            max: trim(&self.max_api_base),
        }
    }
}

#[derive(clap::Args)]
pub struct DeliverArgs {
    /// 64 hex digits; opens the tokens pages were connected with.
    #[arg(long, env = "GOSPUBLIC_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    #[command(flatten)]
    pub apis: PlatformApiArgs,
}

#[derive(Subcommand)]
pub enum ChannelCommand {
    /// Connect a page; prints the webhook address to give the platform.
    Add(ChannelAddArgs),
    /// List a region's live connections.
    List(ChannelListArgs),
    /// Keep the region's VK read token (a service key), with which the collector reads every
    /// VK page of the region; or remove it.
    ReadToken(ReadTokenArgs),
}

#[derive(clap::Args)]
pub struct ReadTokenArgs {
    /// The region's slug.
    #[arg(long)]
    pub region: String,
    /// The token; tried on VK first. Needs GOSPUBLIC_SECRET_KEY.
    #[arg(long, required_unless_present = "remove")]
    pub token: Option<String>,
    /// Forget the region's token instead.
    #[arg(long, conflicts_with = "token")]
    pub remove: bool,
    #[command(flatten)]
    pub keys: ChannelKeys,
    #[command(flatten)]
    pub apis: PlatformApiArgs,
}

#[derive(Subcommand)]
pub enum ChannelAddPlatform {
    /// A VK community, through its Callback API.
    Vk {
        /// The community's id (the number in club123456).
        #[arg(long)]
        group_id: i64,
        /// The string VK shows in the Callback API settings, to be returned on confirmation.
        #[arg(long)]
        confirmation: String,
        /// The secret key set in the Callback API settings.
        #[arg(long)]
        secret: Option<String>,
        /// The community's access token (for answering back); needs GOSPUBLIC_SECRET_KEY.
        #[arg(long)]
        token: Option<String>,
    },
    /// A Telegram bot: its webhook is registered with Telegram (setWebhook).
    Telegram {
        /// The token @BotFather gave; needs GOSPUBLIC_SECRET_KEY.
        #[arg(long)]
        bot_token: String,
    },
    /// A MAX bot: its webhook is registered with MAX (POST /subscriptions).
    Max {
        /// The bot's token from the MAX partner platform; needs GOSPUBLIC_SECRET_KEY.
        #[arg(long)]
        bot_token: String,
    },
}

#[derive(clap::Args)]
pub struct ChannelAddArgs {
    #[command(subcommand)]
    pub platform: ChannelAddPlatform,
    /// The region's slug.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// The page's id (on its card's address).
    #[arg(long, global = true)]
    pub page: Option<i64>,
    #[command(flatten)]
    pub keys: ChannelKeys,
    #[command(flatten)]
    pub apis: PlatformApiArgs,
}

#[derive(clap::Args)]
pub struct ChannelListArgs {
    /// The region's slug.
    #[arg(long)]
    pub region: String,
    #[command(flatten)]
    pub keys: ChannelKeys,
}

/// Where webhook addresses point, and the key tokens are sealed with.
#[derive(clap::Args, Clone)]
pub struct ChannelKeys {
    /// The public base URL platforms reach the server at.
    #[arg(long, env = "GOSPUBLIC_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// 64 hex digits; seals platform tokens in the database.
    #[arg(
        long,
        env = "GOSPUBLIC_SECRET_KEY",
        hide_env_values = true,
        global = true
    )]
    pub secret_key: Option<String>,
}

#[derive(clap::Args)]
pub struct SeedScaleArgs {
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u32,
    /// Regions in all, the demo region included (at most 89).
    #[arg(long, default_value_t = 89)]
    pub regions: usize,
    #[arg(long, default_value_t = 100_000)]
    pub organizations: u32,
    /// Pages in all (approximately: each organization draws how many it runs).
    #[arg(long, default_value_t = 175_000)]
    pub pages: u32,
    #[arg(long, default_value_t = 5_000_000)]
    pub questions: u32,
    /// Days back the closed questions are spread over (a year; three years for the
    /// partitioning comparison). Past a year the open questions stay a year's share: they
    /// are the current work, not the history.
    #[arg(long, default_value_t = 365)]
    pub question_days: u32,
    /// Weeks of activity figures per page.
    #[arg(long, default_value_t = 52)]
    pub weeks: u32,
}

#[derive(clap::Args)]
pub struct LoadCalendarArgs {
    /// The calendar file: the open-data production calendar (CSV) or a list of dates.
    pub file: std::path::PathBuf,
    /// The region's slug; without it, every region.
    #[arg(long)]
    pub region: Option<String>,
    /// The year to load from the file.
    #[arg(long)]
    pub year: i32,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: ImportKind,
    /// The XLSX or CSV file.
    pub file: std::path::PathBuf,
    /// The region's slug, for example altai-krai.
    #[arg(long)]
    pub region: String,
    /// Write the changes when the file has no problems (otherwise only report).
    #[arg(long)]
    pub commit: bool,
    /// Language of the report.
    #[arg(long, default_value = "ru")]
    pub locale: String,
    /// Most data rows the file may hold.
    #[arg(long, env = "GOSPUBLIC_IMPORT_MAX_ROWS", default_value_t = crate::import::DEFAULT_MAX_ROWS)]
    pub max_rows: usize,
}

#[derive(Clone, Copy, ValueEnum, Debug)]
pub enum ImportKind {
    Organizations,
    Pages,
    /// Weekly activity figures of pages.
    Activity,
    /// The region's municipalities: name, kind, OKTMO.
    Municipalities,
}

#[derive(clap::Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GOSPUBLIC_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Mark the session cookie Secure. Set to false only for plain-HTTP development.
    #[arg(long, env = "GOSPUBLIC_SECURE_COOKIES", default_value_t = true, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,

    /// Load the demo data and demo accounts before serving.
    #[arg(long, env = "GOSPUBLIC_DEMO")]
    pub demo: bool,

    /// Sign a user out after this many minutes without a request.
    #[arg(long, env = "GOSPUBLIC_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: u64,

    /// Sign a user out this many hours after sign-in, active or not.
    #[arg(long, env = "GOSPUBLIC_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,

    /// How long an invitation link stays valid.
    #[arg(long, env = "GOSPUBLIC_INVITATION_TTL_HOURS", default_value_t = 72)]
    pub invitation_ttl_hours: u64,

    /// Answer 408 to a request that takes longer than this many seconds.
    #[arg(long, env = "GOSPUBLIC_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Most data rows one imported file may hold; a longer file is refused at once.
    #[arg(long, env = "GOSPUBLIC_IMPORT_MAX_ROWS", default_value_t = crate::import::DEFAULT_MAX_ROWS)]
    pub import_max_rows: usize,

    /// 64 hex digits (`openssl rand -hex 32`): seals the tokens pages are connected with.
    #[arg(long, env = "GOSPUBLIC_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Requests one API token may make in a minute, across every instance.
    #[arg(long, env = "GOSPUBLIC_API_REQUESTS_PER_MINUTE", default_value_t = 600)]
    pub api_requests_per_minute: i32,

    /// Seconds a resident's question form must have been open before it is accepted: robots
    /// submit at once, people type.
    #[arg(long, env = "GOSPUBLIC_FORM_MIN_FILL_SECONDS", default_value_t = 3)]
    pub form_min_fill_seconds: u64,

    /// Addresses of the load balancers in front (comma-separated). From them, the client's
    /// address is read from `X-Forwarded-For`; from anyone else that header is ignored.
    #[arg(long, env = "GOSPUBLIC_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// A streaming replica of the database: dashboards, exports, the public directory and the
    /// API's reads go to it; writes, sign-in and forms stay on DATABASE_URL.
    #[arg(long, env = "DATABASE_READ_URL", hide_env_values = true)]
    pub database_read_url: Option<DatabaseUrl>,

    #[command(flatten)]
    pub mail: MailArgs,

    #[command(flatten)]
    pub apis: PlatformApiArgs,
}

/// Outgoing mail and the address links in it point to.
#[derive(clap::Args, Clone)]
pub struct MailArgs {
    /// SMTP relay for invitation mail; without it the admin is shown the link instead.
    #[arg(long, env = "GOSPUBLIC_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// Port of the SMTP relay.
    #[arg(long, env = "GOSPUBLIC_SMTP_PORT", default_value_t = 25)]
    pub smtp_port: u16,

    /// Sender address of the mail the platform sends.
    #[arg(
        long,
        env = "GOSPUBLIC_MAIL_FROM",
        default_value = "gospublic@localhost"
    )]
    pub mail_from: String,

    /// Public base URL used in invitation links, as people reach the site (for example
    /// https://gospublic.example.ru). Without it links point at the listening address.
    #[arg(long, env = "GOSPUBLIC_BASE_URL")]
    pub base_url: Option<String>,
}

#[derive(clap::Args)]
pub struct CreateAdminArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// Make the user an admin of this region instead of a platform operator.
    #[arg(long)]
    pub region: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// A connection string that never prints its password.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(DatabaseUrl(s.to_owned()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseUrl {
    pub fn redacted(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(mut u) if u.password().is_some() => {
                let _ = u.set_password(Some("***"));
                u.to_string()
            }
            Ok(u) => u.to_string(),
            Err(_) => "***".to_owned(),
        }
    }
}

/// What the running web app needs to know, detached from clap so tests can build it.
#[derive(Clone, Debug)]
pub struct Settings {
    pub secure_cookies: bool,
    pub session_idle: Duration,
    pub session_max: Duration,
    pub invitation_ttl: Duration,
    pub request_timeout: Duration,
    pub base_url: String,
    /// The base URL was configured, not guessed from the listening address.
    pub base_url_configured: bool,
    /// Seals platform tokens; without it no token is stored.
    pub secret_key: Option<crate::channels::secrets::SecretKey>,
    pub mail: Option<crate::mail::MailSettings>,
    /// Where the platforms' APIs answer.
    pub apis: crate::channels::apis::ApiBases,
    /// Requests one API token may make in a minute.
    pub api_requests_per_minute: i32,
    /// How long a resident's question form must have been open before it is accepted.
    pub form_min_fill: Duration,
    /// Load balancers whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl MailArgs {
    /// The base URL for links in mail sent outside a server, which has no address to guess.
    pub fn public_base_url(&self) -> anyhow::Result<String> {
        match &self.base_url {
            Some(url) => Ok(url.trim_end_matches('/').to_owned()),
            None => anyhow::bail!(
                "no public base URL configured: set GOSPUBLIC_BASE_URL (or --base-url), or the links in the mail would lead nowhere"
            ),
        }
    }

    pub fn settings(&self) -> Option<crate::mail::MailSettings> {
        self.smtp_host
            .as_ref()
            .map(|host| crate::mail::MailSettings {
                host: host.clone(),
                port: self.smtp_port,
                from: self.mail_from.clone(),
            })
    }
}

impl Settings {
    pub fn from_args(args: &ServeArgs) -> Self {
        Settings {
            secure_cookies: args.secure_cookies,
            session_idle: Duration::from_secs(args.session_idle_minutes * 60),
            session_max: Duration::from_secs(args.session_max_hours * 3600),
            invitation_ttl: Duration::from_secs(args.invitation_ttl_hours * 3600),
            request_timeout: Duration::from_secs(args.request_timeout_secs),
            base_url: args
                .mail
                .base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", args.bind))
                .trim_end_matches('/')
                .to_owned(),
            base_url_configured: args.mail.base_url.is_some(),
            // A malformed key is refused before the server starts (see `cli::serve`).
            secret_key: args
                .secret_key
                .as_deref()
                .and_then(|k| crate::channels::secrets::SecretKey::parse(k).ok()),
            mail: args.mail.settings(),
            apis: args.apis.bases(),
            api_requests_per_minute: args.api_requests_per_minute,
            form_min_fill: Duration::from_secs(args.form_min_fill_seconds),
            trusted_proxies: args.trusted_proxies.clone(),
        }
    }

    pub fn for_tests() -> Self {
        Settings {
            secure_cookies: true,
            session_idle: Duration::from_secs(120 * 60),
            session_max: Duration::from_secs(12 * 3600),
            invitation_ttl: Duration::from_secs(72 * 3600),
            request_timeout: Duration::from_secs(30),
            base_url: "http://127.0.0.1:8080".to_owned(),
            base_url_configured: true,
            secret_key: None,
            mail: None,
            apis: crate::channels::apis::ApiBases::production(),
            api_requests_per_minute: 600,
            // Tests submit at machine speed; the fill-time test sets its own.
            form_min_fill: Duration::ZERO,
            trusted_proxies: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_hides_password() {
        let url = DatabaseUrl("postgres://app:s3cret@db:5432/gospublic".into());
        assert!(!format!("{url:?}").contains("s3cret"));
        assert!(url.to_string().contains("***"));
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
