//! Command-line interface: `check`, `review`, `explain`, `rules`, `new` and `test`. Parses flags (see
//! [`args`]), loads the configuration and the Codex, calls the library, writes the output and
//! decides the exit status. The work itself is the library's: [`cargo_codex::pipeline::run`]
//! for `check`, [`cargo_codex::review::brief`] for `review` (in [`review`]),
//! [`cargo_codex::author`] for the rest.

mod args;
mod author;
mod cache;
mod output;
mod review;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use cargo_codex::author::verify;
use cargo_codex::codex::{Codex, load};
use cargo_codex::config::{self, Flags, Settings};
use cargo_codex::filter::date::{Date, TODAY_VARIABLE};
use cargo_codex::filter::rules::RuleFilter;
use cargo_codex::fix;
use cargo_codex::pipeline::{self, BaselinePolicy, FixPolicy, PipelineError, Request};
use cargo_codex::report;
use cargo_codex::select::{Changes, Selection};
use clap::Parser as _;

use args::{CheckArgs, Cli, ColorChoice, Command};

/// How the run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Nothing enforced was found.
    Clean,
    /// Enforced findings, or failing rule tests.
    Findings,
    /// Usage or configuration error.
    Failure,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Clean => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
            Status::Failure => ExitCode::from(2),
        }
    }
}

/// Runs the command line `args` (the program name first; `cargo codex` inserts `codex`).
pub(crate) fn run(args: impl IntoIterator<Item = OsString>) -> Result<Status> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|arg| arg == "codex") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let usage = error.use_stderr();
            error.print().context("writing the usage message")?;
            return Ok(if usage {
                Status::Failure
            } else {
                Status::Clean
            });
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let cwd = std::env::current_dir().context("reading the working directory")?;
    let start = match &cli.command {
        Command::Check(args) => args.paths.first().cloned(),
        Command::Review(args) => args.paths.first().cloned(),
        Command::Test { dirs, .. } => dirs.first().cloned(),
        _ => None,
    };
    let today = match today_override() {
        Ok(today) => today,
        Err(message) => {
            writeln!(io::stderr().lock(), "error: {message}")?;
            return Ok(Status::Failure);
        }
    };
    let flags = Flags {
        config: cli.config.clone(),
        rule_dirs: cli.rule_dirs.clone(),
        no_default_rules: cli.no_default_rules,
        start,
        codex_from: cli.codex_from.clone(),
        today,
    };
    if cli.codex_from.is_some()
        && matches!(
            cli.command,
            Command::Test { .. } | Command::New { .. } | Command::Server
        )
    {
        let mut err = io::stderr().lock();
        writeln!(
            err,
            "error: --codex-from applies to check, review, explain and rules"
        )?;
        return Ok(Status::Failure);
    }
    if let Some(status) = serve(&cli.command, &flags, &cwd)? {
        return Ok(status);
    }
    let mut settings = match config::resolve(&flags, &cwd) {
        Ok(settings) => settings,
        Err(errors) => return report_load_errors(&errors, color, cli.codex_from.as_deref()),
    };
    if let Command::Test { dirs, .. } = &cli.command {
        verify::select_rule_dirs(&mut settings, dirs, &cwd);
    }
    let codex = match load::load_from(&settings.sources, &settings.overrides, &settings.origin) {
        Ok(codex) => codex,
        Err(errors) => return report_load_errors(&errors, color, cli.codex_from.as_deref()),
    };
    let quiet = matches!(&cli.command, Command::Check(args) if args.quiet || args.silent);
    if !quiet {
        report_load_warnings(&codex)?;
    }
    // Locked stdout flushes at every newline; a report has many lines.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let written = match &cli.command {
        Command::Check(args) => check(&codex, &settings, args, &cwd, color, &mut out),
        Command::Review(args) => review::run(&codex, &settings, args, &cwd, &mut out),
        Command::Explain { rule } => author::explain(&codex, rule, &mut out),
        Command::Rules { format } => author::rules(&codex, *format, &mut out),
        Command::Test { bless, .. } => author::test(&codex, *bless, &mut out),
        Command::New {
            name,
            incident,
            review,
        } => author::new_rule(&codex, &settings, (name, incident, *review), &mut out),
        Command::Server | Command::Mcp { .. } => Ok(Status::Clean),
    }
    .and_then(|status| out.flush().map(|()| status));
    match written {
        Ok(status) => Ok(status),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Status::Clean),
        Err(error) => Err(error).context("writing the output"),
    }
}

/// Runs the long-running faces, which read their projects themselves: the language server
/// and the MCP server. `None` for every other command.
fn serve(command: &Command, flags: &Flags, cwd: &Path) -> Result<Option<Status>> {
    match command {
        Command::Server => {
            // Each document finds its own project, as `check FILE` does.
            Ok(Some(match cargo_codex::server::serve(flags, cwd)? {
                cargo_codex::server::Exit::Clean => Status::Clean,
                // Exit code 1, as the protocol asks of an `exit` without `shutdown`.
                cargo_codex::server::Exit::WithoutShutdown => Status::Findings,
            }))
        }
        Command::Mcp { project } => {
            // The project is found from its folder for each call, as `check` finds it.
            let folder = project
                .as_ref()
                .map_or_else(|| cwd.to_path_buf(), |dir| cwd.join(dir));
            if !folder.is_dir() {
                anyhow::bail!("the project folder {} is not a folder", folder.display());
            }
            cargo_codex::mcp::serve(flags, cwd, &folder)?;
            Ok(Some(Status::Clean))
        }
        _ => Ok(None),
    }
}

/// The day `CARGO_CODEX_TODAY` names, to take as today for suppressions' `until` dates.
fn today_override() -> Result<Option<Date>, String> {
    let Some(value) = std::env::var_os(TODAY_VARIABLE).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    Date::parse(&text).map(Some).ok_or_else(|| {
        format!(
            "{TODAY_VARIABLE}=`{}` is not a date: write YYYY-MM-DD, or unset it for today's date",
            report::visible(&text)
        )
    })
}

fn report_load_errors(
    errors: &[load::LoadError],
    color: bool,
    codex_from: Option<&str>,
) -> Result<Status> {
    let color = color && io::stderr().is_terminal();
    let mut err = io::stderr().lock();
    report::error::render_load_errors(&mut err, errors, color).context("writing errors")?;
    if let Some(revision) = codex_from {
        writeln!(
            err,
            "note: the Codex's files inside the repository were read as of {revision} (--codex-from)"
        )?;
    }
    Ok(Status::Failure)
}

/// Says on stderr what in the Codex's files loads but has no effect.
fn report_load_warnings(codex: &Codex) -> Result<()> {
    let mut err = io::stderr().lock();
    for warning in codex.warnings() {
        writeln!(err, "warning: {}", report::visible(&warning.to_string()))?;
    }
    Ok(())
}

/// The library's request for `check ARGS` run from `cwd`.
fn request<'a>(settings: &'a Settings, args: &CheckArgs, cwd: &Path) -> Request<'a> {
    let changes = if args.staged {
        Changes::Staged
    } else if let Some(base) = &args.diff {
        Changes::Since(base.clone())
    } else if let Some(file) = &args.changed_lines_from {
        Changes::DiffFile(file.clone())
    } else {
        Changes::All
    };
    let baseline = match (&args.write_baseline, &args.baseline) {
        (Some(path), _) => BaselinePolicy::Write(path.clone()),
        (None, Some(path)) => BaselinePolicy::Use(path.clone()),
        (None, None) => BaselinePolicy::Configured,
    };
    let fix = match (args.fix, args.unsafe_fixes) {
        (false, _) => FixPolicy::Off,
        (true, false) => FixPolicy::Safe,
        (true, true) => FixPolicy::Unsafe,
    };
    Request {
        settings,
        selection: Selection {
            paths: args.paths.clone(),
            changes,
            shard: args.shard,
            ..Selection::of(cwd)
        },
        baseline,
        fix,
        commit: false,
        cache: None,
        rules: None,
    }
}

fn check(
    codex: &Codex,
    settings: &Settings,
    args: &CheckArgs,
    cwd: &Path,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let rules = match RuleFilter::new(codex, &args.select, &args.ignore) {
        Ok(rules) => rules,
        Err(error) => return report_error(&error),
    };
    let destinations = output::destinations(args);
    let cache = cache::open(codex, settings, args, cwd);
    let request = Request {
        cache: cache.as_ref(),
        rules,
        commit: output::needs_commit(&destinations),
        ..request(settings, args, cwd)
    };
    // `--quiet`: the findings only; `--silent`: errors only.
    let talk = !args.quiet && !args.silent;
    let outcome = match pipeline::run(codex, &request) {
        Ok(outcome) => outcome,
        Err(error) => {
            if let PipelineError::AfterFixes(failed) = &error {
                report_fixes(&failed.fixes, talk, !args.silent)?;
            }
            cache::save(cache, args.verbose)?;
            return report_error(&error);
        }
    };
    if let Some(fixes) = &outcome.fixes {
        report_fixes(fixes, talk, !args.silent)?;
    }
    cache::save(cache, args.verbose)?;
    if let (Some(count), Some(path)) = (outcome.baseline_written, &args.write_baseline) {
        if talk {
            writeln!(
                io::stderr().lock(),
                "wrote {count} findings to the baseline {}",
                path.display()
            )?;
        }
        return Ok(Status::Clean);
    }
    let forge = report::Forge::from_env(
        |name| std::env::var(name).ok(),
        outcome.commit.as_deref(),
        outcome.prefix.as_deref(),
    );
    let context = report::Context {
        color,
        rules: codex.rules().iter().map(report::RuleInfo::of).collect(),
        commit: outcome.commit.clone(),
        suppressed: outcome.suppressed.clone(),
        baselined: outcome.baselined.clone(),
        // Said to someone watching a terminal; a report piped or saved stays the same from
        // run to run.
        elapsed: io::stdout().is_terminal().then_some(outcome.elapsed),
        statistics: args.statistics,
        forge,
        display_base: display_base(&settings.root, cwd),
        quiet: args.quiet,
    };
    if args.show_fixes && !args.silent {
        output::show_fixes(&outcome, &context)?;
    }
    let writing = output::Writing {
        context: &context,
        silent: args.silent,
        root: &settings.root,
        cwd,
    };
    if !output::write(&destinations, &outcome, &writing, out)? {
        return Ok(Status::Failure);
    }
    Ok(if outcome.summary.enforced > 0 && !args.exit_zero {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// Where terminal formats show paths from: the working directory, both it and the root with
/// links resolved alike.
fn display_base(root: &Path, cwd: &Path) -> report::DisplayBase {
    let resolve = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    report::DisplayBase::new(&resolve(root), &resolve(cwd))
}

/// Says what `--fix` did: how much (unless `--quiet`), and which files it left alone and why
/// (unless `--silent`).
fn report_fixes(fixes: &fix::Report, counts: bool, skipped: bool) -> io::Result<()> {
    let mut err = io::stderr().lock();
    if counts {
        writeln!(
            err,
            "applied {} fixes in {} files",
            fixes.applied, fixes.files
        )?;
    }
    for (path, reason) in fixes.skipped.iter().filter(|_| skipped) {
        writeln!(err, "left {path} unchanged: {reason}")?;
    }
    Ok(())
}

/// Prints an error and its causes; the run failed (exit 2).
fn report_error(error: &dyn std::error::Error) -> io::Result<Status> {
    let mut err = io::stderr().lock();
    writeln!(err, "error: {error}")?;
    let mut source = error.source();
    while let Some(cause) = source {
        writeln!(err, "  caused by: {cause}")?;
        source = cause.source();
    }
    Ok(Status::Failure)
}
