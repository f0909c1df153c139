use clap::Parser;
use gospublic::config::Cli;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    gospublic::telemetry::init(cli.log_format);
    if let Err(err) = gospublic::cli::run(cli).await {
        // The user-facing sentence comes first; the chain is for whoever reads the log.
        eprintln!("gospublic: {err:#}");
        std::process::exit(1);
    }
}
