//! Baseline for `bench/run.sh`: the cost of only *finding, reading and
//! parsing* every `.rs` file with `syn`, with no rule matching and no
//! reporting. cargo-codex can hardly be faster than this; the ratio
//! `cargo-codex / bare_parse` shows what the linting itself adds.
//!
//! Usage: `bare_parse [PATH]...` (default: `.`). Walks every PATH (hidden
//! files and directories skipped, .gitignore and friends NOT honoured),
//! reads each `*.rs` file and calls `syn::parse_file` on it, in parallel on
//! rayon's global pool (all cores unless `RAYON_NUM_THREADS` is set).
//! Prints one summary line; exits 0 even when some files fail to parse
//! (published crates contain a few files that are not valid Rust on their
//! own), 2 on a usage or I/O error that stops the walk.

use std::error::Error;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

/// What happened to one file.
enum Outcome {
    Parsed {
        bytes: u64,
    },
    ReadFailed {
        path: PathBuf,
        error: std::io::Error,
    },
    ParseFailed {
        path: PathBuf,
        bytes: u64,
        error: syn::Error,
    },
}

#[derive(Debug)]
struct UsageError(String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for UsageError {}

fn collect_rs_files(root: &Path, out: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    if !root.exists() {
        return Err(Box::new(UsageError(format!(
            "path does not exist: {}",
            root.display()
        ))));
    }
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .build();
    for entry in walker {
        let entry = entry?;
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && entry.path().extension().is_some_and(|e| e == "rs") {
            out.push(entry.into_path());
        }
    }
    Ok(())
}

fn parse_one(path: PathBuf) -> Outcome {
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => return Outcome::ReadFailed { path, error },
    };
    let bytes = text.len() as u64;
    match syn::parse_file(&text) {
        Ok(_file) => Outcome::Parsed { bytes },
        Err(error) => Outcome::ParseFailed { path, bytes, error },
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let mut roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.iter().any(|r| r == "-h" || r == "--help") {
        writeln!(std::io::stdout().lock(), "usage: bare_parse [PATH]...")?;
        return Ok(());
    }
    if roots.is_empty() {
        roots.push(PathBuf::from("."));
    }

    let start = Instant::now();
    let mut files = Vec::new();
    for root in &roots {
        collect_rs_files(root, &mut files)?;
    }

    let outcomes: Vec<Outcome> = files.into_par_iter().map(parse_one).collect();

    let mut parsed = 0usize;
    let mut parse_failed = 0usize;
    let mut read_failed = 0usize;
    let mut total_bytes = 0u64;
    let mut first_failures = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Parsed { bytes } => {
                parsed += 1;
                total_bytes += bytes;
            }
            Outcome::ParseFailed { path, bytes, error } => {
                parse_failed += 1;
                total_bytes += bytes;
                if first_failures.len() < 5 {
                    let at = error.span().start();
                    first_failures.push(format!(
                        "{}:{}:{}: parse error: {error}",
                        path.display(),
                        at.line,
                        at.column + 1
                    ));
                }
            }
            Outcome::ReadFailed { path, error } => {
                read_failed += 1;
                if first_failures.len() < 5 {
                    first_failures.push(format!("{}: read error: {error}", path.display()));
                }
            }
        }
    }
    for line in &first_failures {
        eprintln!("bare_parse: {line}");
    }
    // Megabytes with one decimal, in integers (no lossy u64 -> f64 cast).
    let tenths_of_mb = (total_bytes + 50_000) / 100_000;
    writeln!(
        std::io::stdout().lock(),
        "bare_parse: {} files, {parsed} parsed, {parse_failed} failed to parse, \
         {read_failed} unreadable, {}.{} MB, {:.2} s, {} threads",
        parsed + parse_failed + read_failed,
        tenths_of_mb / 10,
        tenths_of_mb % 10,
        start.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
    )?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bare_parse: error: {error}");
            ExitCode::from(2)
        }
    }
}
