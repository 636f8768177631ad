//! Configuration: `codex.toml` discovery and layering. Defaults < project file < command-line
//! flags, merged once into [`Settings`]; nothing after this reads files or flags for settings.
//!
//! ```toml
//! default_rules = true            # the Codex embedded in the binary
//! rule_dirs = ["codex-rules"]     # the project's own rule files
//! incident_dirs = ["codex"]       # the project's incident records (default: ./codex if present)
//! exclude = ["generated/**"]      # globs relative to the project root
//! force_exclude = false           # true: files named on the command line are excluded too
//! max_file_size = 33_554_432      # bytes; larger files are reported, not read
//! rule_url = "https://git.example.com/org/repo/-/blob/main/{path}"
//! prefix = "ACME"                 # the project's rule codes: ACME0001, ACME0002…
//! baseline = "codex-baseline.json" # findings to hide, as `--baseline` does
//!
//! [rules.CX0001]                  # by code or name
//! stage = "warn"                  # shadow | warn | enforce
//! severity = "warning"            # error | warning | info
//! scopes = ["prod", "example"]    # replaces the rule's: prod | test | bench | example | build
//! enforce_paths = ["src/core/**"] # replaces the rule's: enforced there, warn elsewhere
//! enabled = false
//! ```
//!
//! `scopes` replaces a rule's own list without editing the rule file: it widens the rule
//! (`examples/` is a scope of its own, which the default rules skip) or narrows it.
//!
//! `codex.toml` is part of the project, so a merge request may have written it: every path in
//! it must stay inside the project root (no absolute paths, no `..` or symbolic link leading
//! out). Paths on the command line are the operator's and may point anywhere. With
//! `--codex-from REV`, `codex.toml` and the folders and baseline it names are read as of `REV`.

mod errors;
mod options;
mod paths;

use std::path::{Path, PathBuf};

use globset::GlobSet;
use toml::Spanned;

use crate::codex::load::LoadError;
use crate::codex::{Overrides, Sources};
use crate::filter::date::Date;
use crate::source::boundary::Boundary;
use crate::source::revision::{Origin, Revision};
use options::{Options, compile_excludes, read_options, rule_overrides};
use paths::{Paths, absolute, locate, start_dir};

/// The configuration file's name.
pub const FILE_NAME: &str = "codex.toml";

/// Files larger than this are reported rather than read, unless configured otherwise.
///
/// Checking costs time and memory linear in a file's size (about 40 bytes of memory per byte of
/// source, more when most lines hold a finding), so the limit only guards memory: generated
/// files of tens of megabytes are checked.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// What the command line says about configuration.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// An explicit configuration file instead of discovery.
    pub config: Option<PathBuf>,
    /// Extra rule folders.
    pub rule_dirs: Vec<PathBuf>,
    /// Leave the embedded Codex out.
    pub no_default_rules: bool,
    /// Where discovery starts (the first path argument, else the working directory).
    pub start: Option<PathBuf>,
    /// Read the Codex's files inside the repository as of this git revision.
    pub codex_from: Option<String>,
    /// The day to take as today for suppressions' `until` dates, instead of the clock's
    /// (the command line reads it from `CARGO_CODEX_TODAY`).
    pub today: Option<Date>,
    /// Leave out files named on the command line that `exclude` or a rule folder covers
    /// (`--force-exclude`), as a pre-commit hook passing every staged file needs.
    pub force_exclude: bool,
}

/// Resolved settings for a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Project root: output paths are relative to it.
    pub root: PathBuf,
    /// The configuration file used, if any.
    pub config_file: Option<PathBuf>,
    /// Where rules come from.
    pub sources: Sources,
    /// Rule changes from the configuration.
    pub overrides: Overrides,
    /// Paths never checked.
    pub exclude: GlobSet,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// The baseline `codex.toml` names, if any.
    pub baseline: Option<PathBuf>,
    /// Where the Codex's own files (configuration, rules, incidents, baseline) are read from.
    pub origin: Origin,
    /// The day suppressions' `until` dates are compared with; `None` for today's date in UTC.
    pub today: Option<Date>,
    /// Whether files named explicitly are left out when `exclude` or a rule folder covers them
    /// (`force_exclude`, `--force-exclude`); by default a named file is always checked.
    pub force_exclude: bool,
    /// The letters the project's rule codes start with (`ACME` for `ACME0001`), which
    /// `cargo codex new` gives new rules; `None` when `codex.toml` does not say.
    pub prefix: Option<String>,
}

/// Finds and reads the configuration, and merges it with `flags`.
///
/// # Errors
///
/// An unreadable or invalid configuration file, every problem at once, each located.
pub fn resolve(flags: &Flags, cwd: &Path) -> Result<Settings, Vec<LoadError>> {
    let start_dir = start_dir(flags, cwd);
    let origin = match &flags.codex_from {
        Some(revision) => {
            Origin::Revision(Revision::open(&start_dir, revision).map_err(|source| {
                vec![LoadError::Read {
                    path: start_dir.clone(),
                    source,
                }]
            })?)
        }
        None => Origin::WorkTree,
    };
    let (config_file, root) = locate(flags, cwd, &start_dir, &origin);
    let boundary = Boundary::new(&root);
    let (options, file) = match &config_file {
        Some(path) => {
            let (options, file) = read_options(path, &root, &boundary, &origin)?;
            (options, Some(file))
        }
        None => (Options::default(), None),
    };
    let mut errors = Vec::new();
    let paths = Paths {
        root: &root,
        boundary: &boundary,
        origin: &origin,
        file: file.as_ref(),
    };
    let dirs = |list: Option<Vec<Spanned<String>>>, errors: &mut Vec<LoadError>| {
        paths.dirs(list.unwrap_or_default(), errors)
    };
    let mut rule_dirs = dirs(options.rule_dirs, &mut errors);
    rule_dirs.extend(flags.rule_dirs.iter().map(|dir| absolute(dir, cwd)));
    let incident_dirs = match options.incident_dirs {
        Some(list) => dirs(Some(list), &mut errors),
        None if file.is_some() && origin.is_dir(&root.join("codex")) => vec![root.join("codex")],
        None => Vec::new(),
    };
    let baseline = options
        .baseline
        .and_then(|path| paths.inside(&path, &mut errors));
    let exclude = compile_excludes(
        file.as_ref(),
        options.exclude.unwrap_or_default(),
        &mut errors,
    );
    let overrides = rule_overrides(options.rules, file.as_ref());
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Settings {
        sources: Sources {
            embedded: !flags.no_default_rules && options.default_rules.unwrap_or(true),
            rule_dirs,
            incident_dirs,
            root: root.clone(),
            url_template: options.rule_url,
        },
        root,
        config_file,
        overrides,
        exclude,
        max_file_size: options.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        baseline,
        origin,
        today: flags.today,
        prefix: options.prefix.map(Spanned::into_inner),
        force_exclude: flags.force_exclude || options.force_exclude.unwrap_or(false),
    })
}
