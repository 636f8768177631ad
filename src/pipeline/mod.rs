//! The check pipeline as one call, for every front end (the command line, a language server, a
//! review bot): [`run`] takes a [`Request`] (settings, which files, baseline, fix policy) and
//! returns the [`Outcome`] (diagnostics, suppressed findings, summary, fixes applied). Front
//! ends parse their input, call it, render the outcome with [`crate::report`] and decide what
//! it means for them (an exit code, a publish of diagnostics); none repeats a stage.
//!
//! The stages, in order: select the inputs ([`crate::select`]); check them
//! ([`crate::engine::check`], which applies suppressions); apply fixes and check again
//! ([`crate::fix`]); keep the findings of the change ([`crate::filter::changed`]) and of the
//! selected rules ([`crate::filter::rules`]); write or apply the baseline
//! ([`crate::filter::baseline`]).
//!
//! ```
//! use cargo_codex::codex::load::load;
//! use cargo_codex::config::{self, Flags};
//! use cargo_codex::pipeline::{self, Request};
//! use cargo_codex::select::Selection;
//!
//! let project = tempfile::tempdir()?;
//! std::fs::create_dir(project.path().join("src"))?;
//! std::fs::write(project.path().join("src/lib.rs"), "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")?;
//! let settings = config::resolve(&Flags::default(), project.path())
//!     .map_err(|errors| format!("{} configuration errors", errors.len()))?;
//! let codex = load(&settings.sources, &settings.overrides)
//!     .map_err(|errors| format!("{} rule errors", errors.len()))?;
//! let request = Request::new(&settings, Selection::of(project.path()));
//! let outcome = pipeline::run(&codex, &request)?;
//! assert_eq!(outcome.diagnostics[0].rule, "CX0001");
//! assert_eq!(outcome.summary.enforced, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;

pub use error::{AfterFixes, PipelineError};

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cache::Cache;
use crate::codex::Codex;
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Summary, Suppressed};
use crate::engine::{self, Run};
use crate::filter::baseline::{self, Baseline};
use crate::filter::changed::ChangeFilter;
use crate::filter::rules::RuleFilter;
use crate::fix;
use crate::select::changes::ChangedLines;
use crate::select::checkout::{BaseTree, merge_base};
use crate::select::staged::StagedTree;
use crate::select::{self, Changes, Selection};

/// What to check, and what to do with the findings.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The resolved configuration.
    pub settings: &'a Settings,
    /// Which files, which version of them, which lines.
    pub selection: Selection,
    /// Which baseline hides accepted findings, or where to record them.
    pub baseline: BaselinePolicy,
    /// Which suggested fixes to write to the files.
    pub fix: FixPolicy,
    /// Whether to look up the `HEAD` commit of the project's git checkout (the JSON report
    /// records it).
    pub commit: bool,
    /// The result cache to read and fill, if any. It is keyed by content, so it serves the
    /// merge base's and the staged copies of files too.
    pub cache: Option<&'a Cache>,
    /// The rules whose findings are reported and fixed (`--select`, `--ignore`); `None` for
    /// all. Every rule still runs, so suppressions of the others are still used.
    pub rules: Option<RuleFilter>,
}

impl<'a> Request<'a> {
    /// Checks `selection` with `settings`: the configured baseline, no fixes, no commit.
    pub fn new(settings: &'a Settings, selection: Selection) -> Self {
        Request {
            settings,
            selection,
            baseline: BaselinePolicy::Configured,
            fix: FixPolicy::Off,
            commit: false,
            cache: None,
            rules: None,
        }
    }
}

/// What a run does with a baseline. Paths are used as given: a relative one is relative to the
/// process's working directory, not to [`Selection::cwd`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BaselinePolicy {
    /// Hide the findings of the baseline `codex.toml` names, if it names one.
    #[default]
    Configured,
    /// Hide the findings recorded in this baseline file (`--baseline`).
    Use(PathBuf),
    /// Record the findings in this baseline file instead of hiding any (`--write-baseline`).
    Write(PathBuf),
}

/// Which suggested fixes a run writes to the files. A run of the staged tree writes none: it
/// checks a temporary copy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixPolicy {
    /// None: report only.
    #[default]
    Off,
    /// The safe ones (`--fix`).
    Safe,
    /// The safe and the unsafe ones, which may change behaviour (`--fix --unsafe-fixes`).
    Unsafe,
}

/// What a run found and did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The findings to report, sorted, with fingerprints.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings excused by a suppression comment or a clippy `allow`, sorted.
    pub suppressed: Vec<Suppressed>,
    /// Counts, after every filter.
    pub summary: Summary,
    /// What fixing did, when the request asked for fixes.
    pub fixes: Option<fix::Report>,
    /// How many findings were recorded, when the request wrote a baseline.
    pub baseline_written: Option<usize>,
    /// The `HEAD` commit of the project, when the request asked and there is one.
    pub commit: Option<String>,
    /// The project root's folder inside its git checkout (empty at the top, else `dir/`),
    /// with [`Outcome::commit`]: where its files are in the repository, for links.
    pub prefix: Option<String>,
    /// Findings the baseline hid, sorted (SARIF records them as suppressed).
    pub baselined: Vec<Diagnostic>,
    /// How long the run took, from the request to the outcome.
    pub elapsed: Duration,
}

/// Runs the whole check pipeline for `request` against `codex`.
///
/// # Errors
///
/// A diff that cannot be read, git failing (`--diff`, `--staged`), or a baseline that cannot
/// be read or written. When fixes were written before the failure, the error says which
/// ([`PipelineError::AfterFixes`]).
pub fn run(codex: &Codex, request: &Request<'_>) -> Result<Outcome, PipelineError> {
    let started = Instant::now();
    let settings = request.settings;
    let root = &settings.root;
    // Asked of git while the check runs: on a pre-commit check, one process less in a row.
    let head = request.commit.then(|| {
        let root = root.clone();
        std::thread::spawn(move || head_commit(&root))
    });
    let filter = change_filter(codex, request)?;
    let staged = match request.selection.changes {
        Changes::Staged => Some(StagedTree::export(root)?),
        _ => None,
    };
    // With a merge base, every file is checked: a finding the base lacks may sit anywhere.
    let narrowed_to = filter
        .as_ref()
        .filter(|filter| !filter.has_base())
        .map(ChangeFilter::lines);
    let inputs = select::inputs(settings, &request.selection, narrowed_to, staged.as_ref());
    // What the check reads, so that a file changed before its fix is written is left alone.
    // The staged tree is a temporary copy: fixing it would change nothing.
    let fixing = request.fix != FixPolicy::Off && staged.is_none();
    let checked = fixing.then(|| fix::Snapshot::take(&inputs));
    let mut run = engine::check_cached(codex, &inputs, request.cache);
    let mut fixes = None;
    if let Some(checked) = &checked {
        // What a narrowed run reports is also all it fixes.
        let fixable: Vec<Diagnostic> = run
            .diagnostics
            .iter()
            .filter(|d| filter.as_ref().is_none_or(|filter| filter.keeps(d)))
            .filter(|d| {
                request
                    .rules
                    .as_ref()
                    .is_none_or(|rules| rules.keeps_diagnostic(d))
            })
            .cloned()
            .collect();
        let unsafe_fixes = request.fix == FixPolicy::Unsafe;
        let report = fix::apply(&inputs.root, &fixable, unsafe_fixes, checked);
        if report.applied > 0 {
            run = engine::check_cached(codex, &inputs, request.cache);
        }
        fixes = Some(report);
    }
    let mut outcome =
        finish(run, filter.as_ref(), request, head).map_err(|error| match &fixes {
            Some(report) => PipelineError::after_fixes(report.clone(), error),
            None => error,
        })?;
    outcome.fixes = fixes;
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// The filter of a run narrowed to a change, if it is one. With `--diff`, the whole project is
/// checked at the merge base too: a change can turn lines it does not touch into production
/// code (a deleted `#[cfg(test)]`, `/* */` around code removed), and findings the merge base
/// does not have are reported with those on changed lines. Without a base
/// (`--changed-lines-from`) only the changed files are read.
fn change_filter(
    codex: &Codex,
    request: &Request<'_>,
) -> Result<Option<ChangeFilter>, PipelineError> {
    let root = &request.settings.root;
    match &request.selection.changes {
        Changes::All | Changes::Staged => Ok(None),
        Changes::DiffFile(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| PipelineError::ReadDiff {
                path: path.clone(),
                error,
            })?;
            Ok(Some(ChangeFilter::new(ChangedLines::parse(&text)?, None)))
        }
        Changes::Since(base) => {
            let lines = ChangedLines::from_git(root, base)?;
            let tree = BaseTree::export(root, &merge_base(root, base)?)?;
            let known = base_findings(codex, request, &tree);
            Ok(Some(ChangeFilter::new(lines, Some(known))))
        }
    }
}

/// The fingerprints of the findings of the whole project at the merge base (a fingerprint
/// covers rule and path).
fn base_findings(codex: &Codex, request: &Request<'_>, tree: &BaseTree) -> HashSet<String> {
    let inputs = select::project(request.settings, &tree.root);
    engine::check_cached(codex, &inputs, request.cache)
        .diagnostics
        .into_iter()
        .map(|d| d.fingerprint)
        .collect()
}

/// The stages after the check: the change's findings kept, then the baseline written or
/// applied, and the counts redone after each.
fn finish(
    mut run: Run,
    filter: Option<&ChangeFilter>,
    request: &Request<'_>,
    head: Option<std::thread::JoinHandle<Option<(String, String)>>>,
) -> Result<Outcome, PipelineError> {
    let settings = request.settings;
    if let Some(filter) = filter {
        filter.apply(&mut run);
    }
    if let Some(rules) = &request.rules {
        rules.apply(&mut run);
    }
    let mut outcome = Outcome {
        commit: None,
        prefix: None,
        baselined: Vec::new(),
        elapsed: Duration::ZERO,
        baseline_written: None,
        fixes: None,
        suppressed: std::mem::take(&mut run.suppressed),
        summary: run.summary,
        diagnostics: run.diagnostics,
    };
    let path = match &request.baseline {
        BaselinePolicy::Write(path) => {
            let count = baseline::write(path, &settings.root, &outcome.diagnostics)?;
            outcome.baseline_written = Some(count);
            return Ok(outcome);
        }
        BaselinePolicy::Use(path) => Some(path),
        BaselinePolicy::Configured => settings.baseline.as_ref(),
    };
    if let Some(path) = path {
        let accepted = Baseline::load(path, &settings.root, &settings.origin)?;
        let applied = accepted.apply(&mut outcome.diagnostics);
        let Summary {
            files, unparsed, ..
        } = outcome.summary;
        outcome.summary = Summary::of(&outcome.diagnostics, files, unparsed);
        outcome.summary.baselined = applied.hidden;
        outcome.summary.baseline_stale = applied.stale;
        outcome.baselined = applied.accepted;
    }
    if let Some((commit, prefix)) = head.and_then(|head| head.join().ok().flatten()) {
        outcome.commit = Some(commit);
        outcome.prefix = Some(prefix);
    }
    Ok(outcome)
}

/// `HEAD` of the git checkout at `root`, if it is one, and the folder of `root` in it.
fn head_commit(root: &Path) -> Option<(String, String)> {
    let output = crate::git::run(root, &["rev-parse", "--show-prefix", "HEAD"], None).ok()?;
    let output = String::from_utf8(output).ok()?;
    let mut lines = output.lines();
    let prefix = lines.next()?.to_owned();
    let commit = lines.next()?.trim().to_owned();
    (!commit.is_empty()).then_some((commit, prefix))
}
