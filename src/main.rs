use clap::Parser;
use gospublic::config::Cli;

fn main() {
    bound_large_allocations();
    let cli = Cli::parse();
    gospublic::telemetry::init(cli.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("starting the async runtime");
    if let Err(err) = runtime.block_on(gospublic::cli::run(cli)) {
        // The user-facing sentence comes first; the chain is for whoever reads the log.
        eprintln!("gospublic: {err:#}");
        std::process::exit(1);
    }
}

/// Password hashing allocates 19 MiB per sign-in. glibc's adaptive threshold would soon serve
/// such blocks from per-thread heaps that never shrink, and resident memory climbs by hundreds
/// of megabytes under a burst of sign-ins; a fixed threshold keeps them in mmap, returned to
/// the system when freed.
fn bound_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator, and runs before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
