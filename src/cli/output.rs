//! Where a check's report goes: standard output in `--format` (nothing with `--silent`; the
//! file `--output-file` names instead), and a file per `--output FORMAT=PATH`, all rendered
//! from the one outcome. Files are written atomically and never through a symbolic link, as
//! `--fix` writes. Also `--show-fixes`, which lists fixes on stderr.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cargo_codex::codex::Applicability;
use cargo_codex::diagnostic::Diagnostic;
use cargo_codex::pipeline::Outcome;
use cargo_codex::report::{self, Format, visible};
use cargo_codex::source::boundary::Boundary;
use cargo_codex::source::write::write_atomic;

use super::args::CheckArgs;

/// Where one rendering goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Stdout,
    File(PathBuf),
}

/// One rendering of the findings.
#[derive(Debug, Clone)]
pub(super) struct Destination {
    format: Format,
    target: Target,
}

/// Every rendering `args` asks for: `--format` to standard output or `--output-file`, then each
/// `--output`.
pub(super) fn destinations(args: &CheckArgs) -> Vec<Destination> {
    let primary = Destination {
        format: args.format,
        target: args
            .output_file
            .clone()
            .map_or(Target::Stdout, Target::File),
    };
    let extra = args.outputs.iter().map(|output| Destination {
        format: output.format,
        target: Target::File(output.path.clone()),
    });
    std::iter::once(primary).chain(extra).collect()
}

/// Whether any rendering records the commit analysed (JSON does; the comment links files at
/// it).
pub(super) fn needs_commit(destinations: &[Destination]) -> bool {
    destinations
        .iter()
        .any(|d| matches!(d.format, Format::Json | Format::Markdown))
}

/// What writing the renderings needs besides the outcome.
pub(super) struct Writing<'a> {
    /// Shared by every rendering; files get no colours and their summary whatever `--quiet`.
    pub(super) context: &'a report::Context,
    /// `--silent`: nothing on standard output.
    pub(super) silent: bool,
    /// The project root: a file inside it must not be reached through a link leading out.
    pub(super) root: &'a Path,
    /// Relative `--output` paths are relative to it.
    pub(super) cwd: &'a Path,
}

/// Renders `outcome` to every destination. A file that cannot be written is reported on
/// stderr; the others are still written.
///
/// # Errors
///
/// When standard output or standard error fails.
///
/// Returns whether every file was written.
pub(super) fn write(
    destinations: &[Destination],
    outcome: &Outcome,
    writing: &Writing<'_>,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let mut written = true;
    for destination in destinations {
        match &destination.target {
            Target::Stdout if writing.silent => {}
            Target::Stdout => {
                report::render(
                    destination.format,
                    out,
                    &outcome.diagnostics,
                    &outcome.summary,
                    writing.context,
                )?;
                out.flush()?;
            }
            Target::File(path) => {
                let context = report::Context {
                    color: false,
                    quiet: false,
                    elapsed: None,
                    ..writing.context.clone()
                };
                let mut bytes = Vec::new();
                report::render(
                    destination.format,
                    &mut bytes,
                    &outcome.diagnostics,
                    &outcome.summary,
                    &context,
                )?;
                if let Err(error) = write_file(&writing.cwd.join(path), &bytes, writing.root) {
                    writeln!(
                        io::stderr().lock(),
                        "error: the {} report was not written: {}",
                        format_name(destination.format),
                        visible(&error)
                    )?;
                    written = false;
                }
            }
        }
    }
    Ok(written)
}

/// Writes a report to `path`, creating its folder as ruff's `--output-file` does; atomically,
/// and never through a symbolic link or, inside the project at `root`, a folder leading out.
pub(super) fn write_file(path: &Path, bytes: &[u8], root: &Path) -> Result<(), String> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    write_atomic(path, bytes, &Boundary::new(root)).map_err(|error| error.to_string())
}

fn format_name(format: Format) -> String {
    clap::ValueEnum::to_possible_value(&format).map_or_else(
        || format!("{format:?}"),
        |value| value.get_name().to_owned(),
    )
}

/// `--show-fixes`: on stderr, the fixes `--fix` applied, then those still to apply: with
/// `--fix`, with `--fix --unsafe-fixes`, and by hand. Paths as the terminal formats show them.
///
/// # Errors
///
/// When standard error fails.
pub(super) fn show_fixes(outcome: &Outcome, context: &report::Context) -> io::Result<()> {
    let mut err = io::BufWriter::new(io::stderr().lock());
    let line = |path: &str, line: usize, column: usize, rule: &str, text: &str, name: &str| {
        format!(
            "  {}:{line}:{column}: {} {} [{}]",
            visible(&context.display_path(path)),
            visible(rule),
            visible(text),
            visible(name)
        )
    };
    if let Some(report) = &outcome.fixes {
        writeln!(
            err,
            "{}:",
            count(report.fixed.len(), "fix", "fixes", "applied")
        )?;
        for fixed in &report.fixed {
            let start = fixed.start;
            let text = &fixed.description;
            writeln!(
                err,
                "{}",
                line(
                    &fixed.path,
                    start.line,
                    start.column,
                    &fixed.rule,
                    text,
                    &fixed.name
                )
            )?;
        }
    }
    let pending = |applicability: Applicability| -> Vec<&Diagnostic> {
        outcome
            .diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == applicability)
            })
            .collect()
    };
    let groups = [
        (Applicability::Safe, "to apply with --fix"),
        (
            Applicability::Unsafe,
            "to apply with --fix --unsafe-fixes (review the diff)",
        ),
        (Applicability::DisplayOnly, "to apply by hand"),
    ];
    let mut listed = outcome.fixes.is_some();
    for (applicability, how) in groups {
        let found = pending(applicability);
        if found.is_empty() {
            continue;
        }
        writeln!(err, "{}:", count(found.len(), "fix", "fixes", how))?;
        for d in found {
            let text = d.fix.as_ref().map_or("", |f| f.description.as_str());
            writeln!(
                err,
                "{}",
                line(
                    &d.path,
                    d.start.line,
                    d.start.column,
                    &d.rule,
                    text,
                    &d.name
                )
            )?;
        }
        listed = true;
    }
    if !listed {
        writeln!(err, "no fixes to apply")?;
    }
    err.flush()
}

/// `1 fix applied`, `3 fixes to apply with --fix`.
fn count(n: usize, one: &str, many: &str, rest: &str) -> String {
    format!("{n} {} {rest}", if n == 1 { one } else { many })
}
