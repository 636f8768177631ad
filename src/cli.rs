//! Command-line interface: `check`, `explain`, `rules` and `test`. Parses flags, calls the
//! library, writes the output and decides the exit status.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use codex::baseline;
use codex::changes::{ChangedLines, StagedTree};
use codex::codex::{Codex, Matcher, load};
use codex::config::{self, Flags, Settings};
use codex::engine::{self, Inputs};
use codex::report::{self, Format};
use codex::scaffold;
use codex::source::discover;
use codex::verify;

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

#[derive(Debug, Parser)]
#[command(
    name = "cargo-codex",
    version,
    about = "Enforce a Codex of incident-born rules on Rust code"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Use this configuration file instead of finding codex.toml.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Add a folder of rule files (repeatable).
    #[arg(long = "rule-dir", global = true, value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
    /// Leave out the default Codex embedded in the binary.
    #[arg(long, global = true)]
    no_default_rules: bool,
    /// Read codex.toml, the rule and incident folders and the baseline inside the repository
    /// as of this git revision (the branch a merge request targets), not the working tree.
    #[arg(long, global = true, value_name = "REV")]
    codex_from: Option<String>,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Rust files against the Codex (the whole project by default).
    Check(CheckArgs),
    /// Show a rule's documentation, incident and matcher.
    Explain {
        /// Rule code or name, e.g. CX0001 or unwrap-outside-tests.
        rule: String,
    },
    /// List the rules of the Codex.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Scaffold a new rule (file, fixtures, incident record) with the next free code.
    New {
        /// Kebab-case name of the pattern, e.g. lock-held-across-await.
        name: String,
        /// The incident it comes from, e.g. 2026-02-03-lock-convoy.
        #[arg(long)]
        incident: String,
    },
    /// Serve the Language Server Protocol on standard input and output, for editors.
    Server,
    /// Run the fixtures of the rules in the given folders and check the Codex's integrity.
    Test {
        /// Rule folders (default: those of codex.toml).
        dirs: Vec<PathBuf>,
        /// Write missing or outdated expected outputs instead of failing.
        #[arg(long)]
        bless: bool,
    },
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or folders to check.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file, and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Report only findings on lines changed since the merge base with BASE (a git revision).
    #[arg(long, value_name = "BASE")]
    diff: Option<String>,
    /// Report only findings on lines this unified diff adds or changes.
    #[arg(long, value_name = "FILE", conflicts_with = "diff")]
    changed_lines_from: Option<PathBuf>,
    /// Check the staged content of the files staged in git (for a pre-commit hook), not the
    /// working tree.
    #[arg(long, conflicts_with_all = ["diff", "changed_lines_from"])]
    staged: bool,
    /// Apply the safe suggested fixes in place, then report what remains.
    #[arg(long, conflicts_with = "staged")]
    fix: bool,
    /// With --fix, apply the unsafe fixes too (they may change behaviour; review the diff).
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
    /// Check only shard K of N (1-based), a deterministic split of the files for parallel jobs.
    /// Test scope still comes from the whole tree: the shards' findings add up to a whole run's.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
}

/// `K/N` with 1 <= K <= N.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let invalid = || format!("`{text}` is not a shard: write K/N with 1 <= K <= N, like 2/4");
    let (k, n) = text.split_once('/').ok_or_else(invalid)?;
    let (k, n): (usize, usize) = (
        k.parse().map_err(|_| invalid())?,
        n.parse().map_err(|_| invalid())?,
    );
    if k == 0 || k > n {
        return Err(invalid());
    }
    Ok((k, n))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Json,
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
        Command::Test { dirs, .. } => dirs.first().cloned(),
        _ => None,
    };
    let flags = Flags {
        config: cli.config.clone(),
        rule_dirs: cli.rule_dirs.clone(),
        no_default_rules: cli.no_default_rules,
        start,
        codex_from: cli.codex_from.clone(),
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
            "error: --codex-from applies to check, explain and rules"
        )?;
        return Ok(Status::Failure);
    }
    if let Command::Server = cli.command {
        // Each document finds its own project, as `check FILE` does.
        return Ok(match codex::server::serve(&flags, &cwd)? {
            codex::server::Exit::Clean => Status::Clean,
            // Exit code 1, as the protocol asks of an `exit` without `shutdown`.
            codex::server::Exit::WithoutShutdown => Status::Findings,
        });
    }
    let mut settings = match config::resolve(&flags, &cwd) {
        Ok(settings) => settings,
        Err(errors) => return report_load_errors(&errors, color, cli.codex_from.as_deref()),
    };
    if let Command::Test { dirs, .. } = &cli.command {
        add_test_dirs(&mut settings, dirs, &cwd);
    }
    let codex = match load::load_from(&settings.sources, &settings.overrides, &settings.origin) {
        Ok(codex) => codex,
        Err(errors) => return report_load_errors(&errors, color, cli.codex_from.as_deref()),
    };
    // Locked stdout flushes at every newline; a report has many lines.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let written = match &cli.command {
        Command::Check(args) => check(&codex, &settings, args, &cwd, color, &mut out),
        Command::Explain { rule } => explain(&codex, rule, &mut out),
        Command::Rules { format } => rules(&codex, *format, &mut out),
        Command::Test { bless, .. } => test(&codex, *bless, &mut out),
        Command::New { name, incident } => new_rule(&codex, &settings, name, incident, &mut out),
        Command::Server => Ok(Status::Clean),
    }
    .and_then(|status| out.flush().map(|()| status));
    match written {
        Ok(status) => Ok(status),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Status::Clean),
        Err(error) => Err(error).context("writing the output"),
    }
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

/// `cargo codex test DIRS`: the rule folders named, with their sibling `codex/` incidents.
fn add_test_dirs(settings: &mut Settings, dirs: &[PathBuf], cwd: &std::path::Path) {
    for dir in dirs {
        let dir = if dir.is_absolute() {
            dir.clone()
        } else {
            cwd.join(dir)
        };
        if let Some(incidents) = dir.parent().map(|p| p.join("codex")).filter(|p| p.is_dir()) {
            if !settings.sources.incident_dirs.contains(&incidents) {
                settings.sources.incident_dirs.push(incidents);
            }
        }
        if !settings.sources.rule_dirs.contains(&dir) {
            settings.sources.rule_dirs.push(dir);
        }
    }
    if !dirs.is_empty() {
        // Rules tested from disk would clash with their embedded copies.
        settings.sources.embedded = false;
    }
    // Fixtures test rules as written; stage and severity overrides do not change what matches.
    settings.overrides = codex::codex::Overrides::default();
}

/// Which files a `check` run reads: the named paths (or the working folder), narrowed to
/// changed files and to a shard, plus the parents that give them their module scope. With
/// `staged`, the staged files are read from the exported index instead of the working tree.
fn select_inputs(
    settings: &Settings,
    args: &CheckArgs,
    cwd: &std::path::Path,
    changed: Option<&ChangedLines>,
    staged: Option<&StagedTree>,
) -> Inputs {
    let root = staged.map_or(&settings.root, |tree| &tree.root);
    let mut paths: Vec<PathBuf> = args
        .paths
        .iter()
        .map(|p| {
            if p.is_absolute() {
                p.clone()
            } else {
                cwd.join(p)
            }
        })
        .collect();
    // Run from a subfolder with no paths, check that folder (as ruff does); paths stay
    // relative to the project root.
    if paths.is_empty() && cwd != settings.root && cwd.starts_with(&settings.root) {
        paths.push(cwd.to_path_buf());
    }
    if let (Some(changed), true) = (changed, args.paths.is_empty()) {
        // Only the changed files need checking; deleted ones are gone.
        paths = changed
            .files()
            .map(|file| root.join(file))
            .filter(|file| file.is_file())
            .collect();
    }
    if let Some(tree) = staged {
        paths = tree
            .files
            .iter()
            .filter(|file| {
                std::path::Path::new(file)
                    .extension()
                    .is_some_and(|ext| ext == "rs")
            })
            .map(|file| root.join(file))
            .collect();
    }
    let narrowed = changed.is_some() || staged.is_some();
    let mut found = if narrowed && paths.is_empty() {
        discover::Discovered::default()
    } else {
        discover::discover(root, &paths, &settings.exclude)
    };
    outside_rule_dirs(settings, root, &mut found.files);
    let mut context = if paths.is_empty() {
        Vec::new()
    } else {
        discover::context_files(root, &found.files)
    };
    if let Some((k, n)) = args.shard {
        // Files are sorted, so every job computes the same split. The other shards' files
        // are read for their `mod` declarations only, so that a file's scope comes from the
        // whole tree: `#[cfg(test)] mod tests;` may sit in another shard.
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut found.files)
            .into_iter()
            .enumerate()
            .partition(|(index, _)| index % n == k - 1);
        found.files = mine.into_iter().map(|(_, file)| file).collect();
        context.extend(others.into_iter().map(|(_, file)| file));
        context.sort();
    }
    Inputs {
        root: root.clone(),
        files: found.files,
        context,
        walk_errors: found.errors,
        max_file_size: settings.max_file_size,
        ..Inputs::default()
    }
}

/// Applies the fixes of `diagnostics` and says what was done; returns how many were applied.
fn apply_fixes(
    root: &std::path::Path,
    diagnostics: &[codex::diagnostic::Diagnostic],
    unsafe_fixes: bool,
    checked: &codex::fix::Snapshot,
) -> io::Result<usize> {
    let fixed = codex::fix::apply(root, diagnostics, unsafe_fixes, checked);
    let mut err = io::stderr().lock();
    writeln!(
        err,
        "applied {} fixes in {} files",
        fixed.applied, fixed.files
    )?;
    for (path, reason) in &fixed.skipped {
        writeln!(err, "left {path} unchanged: {reason}")?;
    }
    Ok(fixed.applied)
}

/// The fingerprints of the findings of the whole project at the merge base (a fingerprint
/// covers rule and path).
fn base_findings(
    codex: &Codex,
    settings: &Settings,
    tree: &codex::changes::BaseTree,
) -> std::collections::HashSet<String> {
    let mut found = discover::discover(&tree.root, &[], &settings.exclude);
    outside_rule_dirs(settings, &tree.root, &mut found.files);
    let inputs = Inputs {
        root: tree.root.clone(),
        files: found.files,
        context: Vec::new(),
        walk_errors: found.errors,
        max_file_size: settings.max_file_size,
        ..Inputs::default()
    };
    engine::check(codex, &inputs)
        .diagnostics
        .into_iter()
        .map(|d| d.fingerprint)
        .collect()
}

/// Leaves out of `files` (under `root`, the project or a copy of it) those in rule folders:
/// they hold fixtures written to fire, tested by `cargo codex test`.
fn outside_rule_dirs(settings: &Settings, root: &std::path::Path, files: &mut Vec<PathBuf>) {
    let rule_dirs: Vec<PathBuf> = settings
        .sources
        .rule_dirs
        .iter()
        .map(|dir| {
            dir.strip_prefix(&settings.root)
                .map_or_else(|_| dir.clone(), |relative| root.join(relative))
        })
        .collect();
    files.retain(|file| !rule_dirs.iter().any(|dir| file.starts_with(dir)));
}

fn check(
    codex: &Codex,
    settings: &Settings,
    args: &CheckArgs,
    cwd: &std::path::Path,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let changed = match changed_lines(args, &settings.root) {
        Ok(changed) => changed,
        Err(error) => return report_error(error.as_ref()),
    };
    let staged = if args.staged {
        match StagedTree::export(&settings.root) {
            Ok(tree) => Some(tree),
            Err(error) => return report_error(&error),
        }
    } else {
        None
    };
    // With `--diff`, the whole project is checked at the merge base too: a change can turn
    // lines it does not touch into production code (a deleted `#[cfg(test)]`, `/* */` around
    // code removed), and findings the merge base does not have are reported with those on
    // changed lines. Without a base (`--changed-lines-from`) only the changed files are read.
    let base = match &args.diff {
        Some(base) => match base_tree(&settings.root, base) {
            Ok(tree) => Some(base_findings(codex, settings, &tree)),
            Err(error) => return report_error(&error),
        },
        None => None,
    };
    // What a `--diff` or `--changed-lines-from` run reports (and may fix): findings on changed
    // lines, and findings the merge base does not have.
    let kept = |d: &codex::diagnostic::Diagnostic| {
        changed.as_ref().is_none_or(|changed| {
            changed.keeps(d)
                || base
                    .as_ref()
                    .is_some_and(|known| !known.contains(&d.fingerprint))
        })
    };
    let narrowed_to = if base.is_some() {
        None
    } else {
        changed.as_ref()
    };
    let inputs = select_inputs(settings, args, cwd, narrowed_to, staged.as_ref());
    // What the check reads, so that a file changed before its fix is written is left alone.
    let checked = args.fix.then(|| codex::fix::Snapshot::take(&inputs));
    let mut run = engine::check(codex, &inputs);
    if let Some(checked) = &checked {
        let fixable: Vec<_> = run
            .diagnostics
            .iter()
            .filter(|d| kept(d))
            .cloned()
            .collect();
        if apply_fixes(&inputs.root, &fixable, args.unsafe_fixes, checked)? > 0 {
            run = engine::check(codex, &inputs);
        }
    }
    if changed.is_some() {
        run.diagnostics.retain(|d| kept(d));
        run.summary = codex::diagnostic::Summary::of(
            &run.diagnostics,
            run.summary.files,
            run.summary.unparsed,
        );
    }
    if let Some(path) = &args.write_baseline {
        let root = &settings.root;
        return Ok(match baseline::write(path, root, &run.diagnostics) {
            Ok(count) => {
                writeln!(
                    io::stderr().lock(),
                    "wrote {count} findings to the baseline {}",
                    path.display()
                )?;
                Status::Clean
            }
            Err(error) => report_error(&error)?,
        });
    }
    if let Some(path) = args.baseline.as_ref().or(settings.baseline.as_ref()) {
        let applied = match baseline::Baseline::load(path, &settings.root, &settings.origin) {
            Ok(accepted) => accepted.apply(&mut run.diagnostics),
            Err(error) => return report_error(&error),
        };
        let files = run.summary.files;
        let unparsed = run.summary.unparsed;
        run.summary = codex::diagnostic::Summary::of(&run.diagnostics, files, unparsed);
        run.summary.baselined = applied.hidden;
        run.summary.baseline_stale = applied.stale;
    }
    let context = report::Context {
        color,
        rules: codex.rules().iter().map(report::RuleInfo::of).collect(),
        commit: (args.format == Format::Json)
            .then(|| head_commit(&settings.root))
            .flatten(),
        suppressed: std::mem::take(&mut run.suppressed),
    };
    report::render(args.format, out, &run.diagnostics, &run.summary, &context)?;
    out.flush()?;
    Ok(if run.summary.enforced > 0 {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// `HEAD` of the git checkout at `root`, if it is one.
fn head_commit(root: &std::path::Path) -> Option<String> {
    let output = codex::git::run(root, &["rev-parse", "--verify", "--quiet", "HEAD"], None).ok()?;
    let commit = String::from_utf8(output).ok()?.trim().to_owned();
    (!commit.is_empty()).then_some(commit)
}

/// The lines `--diff` or `--changed-lines-from` restrict the report to, if either is given.
/// The merge base of `base` and `HEAD`, exported.
fn base_tree(
    root: &std::path::Path,
    base: &str,
) -> Result<codex::changes::BaseTree, codex::changes::ChangesError> {
    codex::changes::BaseTree::export(root, &codex::changes::merge_base(root, base)?)
}

fn changed_lines(
    args: &CheckArgs,
    root: &std::path::Path,
) -> Result<Option<ChangedLines>, Box<dyn std::error::Error>> {
    if let Some(base) = &args.diff {
        return Ok(Some(ChangedLines::from_git(root, base)?));
    }
    if let Some(file) = &args.changed_lines_from {
        let text = std::fs::read_to_string(file)
            .map_err(|error| format!("cannot read the diff {}: {error}", file.display()))?;
        return Ok(Some(ChangedLines::parse(&text)?));
    }
    Ok(None)
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

fn explain(codex: &Codex, code: &str, out: &mut dyn Write) -> io::Result<Status> {
    let Some(rule) = codex.find(code).and_then(|index| codex.rule(index)) else {
        let mut err = io::stderr().lock();
        writeln!(
            err,
            "error: unknown rule `{code}`; `cargo codex rules` lists them"
        )?;
        return Ok(Status::Failure);
    };
    writeln!(out, "{} {}: {}", rule.id, rule.name, rule.title)?;
    let scopes: Vec<&str> = rule.scopes.iter().map(|s| s.as_str()).collect();
    writeln!(
        out,
        "severity {} · stage {} · scopes {} · from {}",
        rule.severity.as_str(),
        rule.stage.as_str(),
        scopes.join(", "),
        rule.origin
    )?;
    writeln!(out, "matches: {}", describe(&rule.matcher))?;
    if let Some(lints) = &rule.clippy {
        writeln!(out, "also suppressed by {lints}")?;
    }
    writeln!(out, "\n{}", rule.doc.trim_end())?;
    for id in &rule.incidents {
        if let Some(incident) = codex.incident(id) {
            writeln!(
                out,
                "\n## Incident {} ({})\n{}\n\n{}",
                incident.id, incident.date, incident.title, incident.summary
            )?;
            if let Some(source) = &incident.source {
                writeln!(out, "\nPost-mortem: {source}")?;
            }
        }
    }
    Ok(Status::Clean)
}

fn describe(matcher: &Matcher) -> String {
    use codex::codex::IndexKey;
    match matcher {
        Matcher::Method(names) => format!("method calls {}", list(names, |n| format!(".{n}()"))),
        Matcher::Macro(names) => format!("macro invocations {}", list(names, |n| format!("{n}!"))),
        Matcher::Call(paths) => format!("function calls {}", list(paths, |p| format!("{p}()"))),
        Matcher::Index(IndexKey::Reference) => "indexing by reference: `map[&key]`".to_owned(),
        Matcher::Index(IndexKey::Any) => "indexing expressions: `a[i]`".to_owned(),
        Matcher::Pattern(pattern) => format!("expressions matching `{}`", pattern.source),
        Matcher::Before { trigger, required } => format!(
            "calls to {} with no earlier call to {} in the same function",
            list(trigger, |p| format!("{p}()")),
            list(required, |p| format!("{p}()"))
        ),
        Matcher::Validate(spec) => {
            let mut sources = list(&spec.sources, |p| format!("{p}()"));
            if !spec.source_methods.is_empty() {
                sources = format!(
                    "{sources}, {}",
                    list(&spec.source_methods, |p| format!(".{p}()"))
                );
            }
            format!(
                "values from {sources} used before reaching {}",
                list(&spec.validators, |p| format!("{p}()"))
            )
        }
        Matcher::Either(parts) => parts.iter().map(describe).collect::<Vec<_>>().join("; "),
        Matcher::Builtin(_) => "raised by cargo-codex itself".to_owned(),
    }
}

/// `items`, each shown by `show`, separated by commas.
fn list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(", ")
}

fn rules(codex: &Codex, format: ListFormat, out: &mut dyn Write) -> io::Result<Status> {
    match format {
        ListFormat::Table => {
            for rule in codex.rules() {
                writeln!(
                    out,
                    "{:<8} {:<32} {:<8} {:<8} {}",
                    rule.id,
                    rule.name,
                    rule.severity.as_str(),
                    rule.stage.as_str(),
                    rule.title
                )?;
            }
        }
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = codex
                .rules()
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id, "name": rule.name, "title": rule.title,
                        "severity": rule.severity, "stage": rule.stage, "scopes": rule.scopes,
                        "incidents": rule.incidents, "clippy": rule.clippy, "message": rule.message,
                        "help": rule.help, "doc": rule.doc, "matcher": describe(&rule.matcher),
                        "url": rule.url, "origin": rule.origin,
                    })
                })
                .collect();
            let document = serde_json::json!({
                "schema": "cargo-codex/rules/v1",
                "rules": rules,
                "incidents": codex.incidents(),
            });
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)?;
        }
    }
    Ok(Status::Clean)
}

fn new_rule(
    codex: &Codex,
    settings: &Settings,
    name: &str,
    incident: &str,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let rule_dir = settings
        .sources
        .rule_dirs
        .first()
        .cloned()
        .unwrap_or_else(|| settings.root.join("rules"));
    let incident_dir = settings
        .sources
        .incident_dirs
        .first()
        .cloned()
        .unwrap_or_else(|| {
            rule_dir
                .parent()
                .map_or_else(|| settings.root.join("codex"), |p| p.join("codex"))
        });
    let request = scaffold::Request {
        name: name.to_owned(),
        incident: incident.to_owned(),
        rule_dir: rule_dir.clone(),
        incident_dir,
    };
    match scaffold::scaffold(codex, &request) {
        Ok(created) => {
            writeln!(
                out,
                "created rule {} `{name}` (stage shadow):",
                created.code
            )?;
            for file in &created.files {
                writeln!(out, "  {}", file.display())?;
            }
            if let Some(incident) = &created.incident_to_edit {
                writeln!(
                    out,
                    "add \"{}\" to `rules` in {}",
                    created.code,
                    incident.display()
                )?;
            }
            writeln!(
                out,
                "next: write the matcher and fixtures, then `cargo codex test {}`",
                rule_dir.display()
            )?;
            if !settings.sources.rule_dirs.contains(&rule_dir) {
                writeln!(
                    out,
                    "to enforce it, add `rule_dirs = [\"rules\"]` and `incident_dirs = [\"codex\"]` to codex.toml"
                )?;
            }
            Ok(Status::Clean)
        }
        Err(error) => {
            writeln!(io::stderr().lock(), "error: {error}")?;
            Ok(Status::Failure)
        }
    }
}

fn test(codex: &Codex, bless: bool, out: &mut dyn Write) -> io::Result<Status> {
    let verification = verify::verify(codex, bless);
    write!(out, "{}", verify::summarize(&verification))?;
    Ok(if verification.passed() {
        Status::Clean
    } else {
        Status::Findings
    })
}
