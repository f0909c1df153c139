//! `gospublic import organizations FILE --region SLUG [--commit]`: the same preview and commit
//! as the web, with the report on the terminal and a non-zero exit when there are problems.

use anyhow::{Context, bail};

use super::run::{self, CommitResult};
use crate::config::{DatabaseUrl, ImportArgs, ImportKind};
use crate::i18n::Locale;

pub async fn run(url: &DatabaseUrl, args: ImportArgs) -> anyhow::Result<()> {
    let kind = match args.kind {
        ImportKind::Organizations => run::KIND_ORGANIZATIONS,
        ImportKind::Pages => run::KIND_PAGES,
        ImportKind::Activity => run::KIND_ACTIVITY,
        ImportKind::Municipalities => run::KIND_MUNICIPALITIES,
    };
    let l = Locale::parse(&args.locale).unwrap_or_default();
    super::set_max_rows(args.max_rows);
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let bytes = super::reader::read_limited(file, super::MAX_FILE_BYTES)?.with_context(|| {
        format!(
            "{} is larger than {} MiB",
            args.file.display(),
            super::MAX_FILE_BYTES / 1024 / 1024
        )
    })?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let db = crate::db::connect_and_migrate(url).await?;
    let region = crate::regions::db::find_by_slug(&mut *db.acquire().await?, &args.region)
        .await?
        .with_context(|| format!("there is no region with the slug {}", args.region))?;
    let mut tx = crate::state::tenant_tx(&db, region).await?;
    let started = std::time::Instant::now();
    let outcome = run::preview(&mut tx, region, None, kind, &file_name, &bytes, l).await?;
    let preview_time = started.elapsed();
    println!("{}: {} {}", file_name, outcome.rows, l.t("import-rows"));
    println!(
        "{}: {}  {}: {}  {}: {}",
        l.t("import-created"),
        outcome.counts.created,
        l.t("import-updated"),
        outcome.counts.updated,
        l.t("import-unchanged"),
        outcome.counts.unchanged
    );
    print_report(&outcome.report, l);
    eprintln!("preview took {:.2} s", preview_time.as_secs_f64());
    if !outcome.report.is_clean() {
        tx.commit().await?;
        bail!(
            "{} {}",
            outcome.report.total,
            l.t("import-problems-nothing-changed")
        );
    }
    if !args.commit {
        tx.commit().await?;
        println!("{}", l.t("import-preview-only"));
        return Ok(());
    }
    let started = std::time::Instant::now();
    match run::commit(&mut tx, region, None, outcome.id, l).await? {
        CommitResult::Committed(counts) => {
            tx.commit().await?;
            run::refresh_statistics(&db, counts).await;
            eprintln!("commit took {:.2} s", started.elapsed().as_secs_f64());
            println!("{}", l.t("import-committed"));
            Ok(())
        }
        CommitResult::Refused(report) => {
            print_report(&report, l);
            bail!(
                "{} {}",
                report.total,
                l.t("import-problems-nothing-changed")
            )
        }
        CommitResult::AlreadyDone | CommitResult::NotFound => {
            bail!("the import disappeared while committing")
        }
    }
}

/// The first problems row by row, then each kind of problem once with its count and first
/// rows: a broken file of 100,000 rows stays readable.
fn print_report(report: &super::report::Report, l: Locale) {
    for e in &report.kept {
        let row = if e.row == 0 {
            "—".to_owned()
        } else {
            e.row.to_string()
        };
        println!(
            "{} {row}\t{}\t{}",
            l.t("import-row"),
            e.column.as_deref().unwrap_or("—"),
            e.message
        );
    }
    if report.total > report.kept.len() {
        let rest = (report.total - report.kept.len()).to_string();
        println!("{}", l.t1("import-problems-not-listed", "count", &rest));
    }
    if report.groups.len() < 2 {
        return;
    }
    println!("{}:", l.t("import-problem-kinds"));
    for g in &report.groups {
        let message = g
            .message
            .clone()
            .unwrap_or_else(|| l.t("import-problems-other"));
        println!(
            "{}\t{}\t{} × {}: {}",
            g.column.as_deref().unwrap_or("—"),
            message,
            g.count,
            l.t("import-row"),
            g.rows_text()
        );
    }
}
