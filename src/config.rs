//! Configuration: `codex.toml` discovery and layering. Defaults < project file < command-line
//! flags, merged once into [`Settings`]; nothing after this reads files or flags for settings.
//!
//! ```toml
//! default_rules = true            # the Codex embedded in the binary
//! rule_dirs = ["codex-rules"]     # the project's own rule files
//! incident_dirs = ["codex"]       # the project's incident records (default: ./codex if present)
//! exclude = ["generated/**"]      # globs relative to the project root
//! max_file_size = 33_554_432      # bytes; larger files are reported, not read
//! rule_url = "https://git.example.com/org/repo/-/blob/main/{path}"
//! baseline = "codex-baseline.json" # findings to hide, as `--baseline` does
//!
//! [rules.CX0001]                  # by code or name
//! stage = "warn"                  # shadow | warn | enforce
//! severity = "warning"            # error | warning | info
//! scopes = ["prod", "example"]    # replaces the rule's: prod | test | bench | example | build
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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::codex::load::{LoadError, MAX_CODEX_FILE, TextFile, display_path, text_file};
use crate::codex::{Overrides, RuleOverride, Scope, Severity, Sources, Stage};
use crate::source::boundary::{Boundary, FileError, normalize};
use crate::source::revision::{Origin, Revision};

/// The configuration file's name.
pub const FILE_NAME: &str = "codex.toml";

/// Files larger than this are reported rather than read, unless configured otherwise.
///
/// Checking costs time and memory linear in a file's size (about 40 bytes of memory per byte of
/// source, more when most lines hold a finding), so the limit only guards memory: generated
/// files of tens of megabytes are checked.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// `codex.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    default_rules: Option<bool>,
    rule_dirs: Option<Vec<Spanned<String>>>,
    incident_dirs: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    max_file_size: Option<u64>,
    rule_url: Option<String>,
    baseline: Option<Spanned<String>>,
    rules: Option<BTreeMap<Spanned<String>, RuleOptions>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleOptions {
    enabled: Option<bool>,
    stage: Option<Stage>,
    severity: Option<Severity>,
    scopes: Option<Spanned<Vec<Spanned<String>>>>,
}

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
    let mut overrides = Overrides::default();
    for (code, change) in options.rules.unwrap_or_default() {
        let Some(file) = file.clone() else {
            continue;
        };
        // Checked by `validate_options`: every name is a scope.
        let scopes = change.scopes.map(|written| {
            written
                .into_inner()
                .into_iter()
                .filter_map(|name| Scope::try_from(name.into_inner()).ok())
                .collect()
        });
        overrides.rules.push(RuleOverride {
            span: code.span(),
            code: code.into_inner(),
            file,
            enabled: change.enabled,
            stage: change.stage,
            severity: change.severity,
            scopes,
        });
    }
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
    })
}

/// What paths written in `codex.toml` are checked against.
struct Paths<'a> {
    root: &'a Path,
    boundary: &'a Boundary,
    origin: &'a Origin,
    file: Option<&'a TextFile>,
}

impl Paths<'_> {
    /// The path `written` names, if it stays inside the project; a located error otherwise.
    fn inside(&self, written: &Spanned<String>, errors: &mut Vec<LoadError>) -> Option<PathBuf> {
        let file = self.file?;
        match inside_root(self.root, self.boundary, self.origin, written.get_ref()) {
            Ok(resolved) => Some(resolved),
            Err(message) => {
                errors.push(LoadError::invalid(file, written.span(), message));
                None
            }
        }
    }

    /// The folders of `list` that stay inside the project and exist.
    fn dirs(&self, list: Vec<Spanned<String>>, errors: &mut Vec<LoadError>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in list {
            let Some(path) = self.inside(&dir, errors) else {
                continue;
            };
            if self.origin.is_dir(&path) {
                out.push(path);
            } else if let Some(file) = self.file {
                let at = self
                    .origin
                    .revision()
                    .map(|revision| format!(" at revision {}", revision.name))
                    .unwrap_or_default();
                errors.push(LoadError::invalid(
                    file,
                    dir.span(),
                    format!(
                        "folder `{}` does not exist{at} (paths are relative to {FILE_NAME})",
                        dir.get_ref(),
                    ),
                ));
            }
        }
        out
    }
}

/// `written`, a path from `codex.toml`, made absolute under `root`, if it stays inside it: not
/// absolute, no `..` leading out, and (on disk) no symbolic link leading out.
fn inside_root(
    root: &Path,
    boundary: &Boundary,
    origin: &Origin,
    written: &str,
) -> Result<PathBuf, String> {
    let rule = "paths in codex.toml must stay inside the project";
    if Path::new(written).has_root() || Path::new(written).is_absolute() {
        return Err(format!(
            "`{written}` is an absolute path; {rule} (write it relative to {FILE_NAME})"
        ));
    }
    let path = root.join(written);
    if !boundary.claims(&path) {
        return Err(format!("`{written}` leads outside the project; {rule}"));
    }
    let path = normalize(&path);
    if origin.revision().is_none() {
        if let Err(FileError::Outside) = boundary.admit(&path) {
            return Err(format!(
                "`{written}` resolves outside the project through a symbolic link; {rule}"
            ));
        }
    }
    Ok(path)
}

/// Reads and checks the configuration file at `path`, shown relative to `root`.
fn read_options(
    path: &Path,
    root: &Path,
    boundary: &Boundary,
    origin: &Origin,
) -> Result<(Options, TextFile), Vec<LoadError>> {
    let shown = display_path(path, root);
    let read_error = |source| {
        vec![LoadError::Read {
            path: PathBuf::from(&shown),
            source,
        }]
    };
    let bytes = match origin.read(path, boundary, MAX_CODEX_FILE) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(read_error(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such file",
            )));
        }
        Err(error) => return Err(read_error(error.into_io())),
    };
    let file = text_file(shown, bytes).map_err(|error| vec![error])?;
    let options =
        toml::from_str::<Options>(&file.text).map_err(|error| errors::all(&file, &error))?;
    let mut errors = Vec::new();
    validate_options(&options, &file, &mut errors);
    if errors.is_empty() {
        Ok((options, file))
    } else {
        Err(errors)
    }
}

/// The folder where discovery starts: the first path argument's (a file's parent), else the
/// working directory.
fn start_dir(flags: &Flags, cwd: &Path) -> PathBuf {
    let start = flags
        .start
        .as_ref()
        .map_or_else(|| cwd.to_path_buf(), |p| absolute(p, cwd));
    if start.is_dir() {
        start
    } else {
        start
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    }
}

/// The configuration file (explicit, or the nearest `codex.toml` above where the run starts,
/// in `origin`) and the project root: the file's folder, else the enclosing git repository,
/// else the working directory when the run starts inside it, else the starting folder.
fn locate(
    flags: &Flags,
    cwd: &Path,
    start_dir: &Path,
    origin: &Origin,
) -> (Option<PathBuf>, PathBuf) {
    let config_file = match &flags.config {
        Some(path) => Some(absolute(path, cwd)),
        None => start_dir
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|path| origin.has_file(path)),
    };
    let root = match &config_file {
        Some(file) => file
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
        None => match start_dir.ancestors().find(|dir| dir.join(".git").exists()) {
            Some(repository) => repository.to_path_buf(),
            None if start_dir.starts_with(cwd) => cwd.to_path_buf(),
            None => start_dir.to_path_buf(),
        },
    };
    (config_file, root)
}

/// Checks what deserialization cannot: values that parse but make no sense.
fn validate_options(options: &Options, file: &TextFile, errors: &mut Vec<LoadError>) {
    if options.max_file_size == Some(0) {
        let at = file.text.find("max_file_size").unwrap_or(0);
        errors.push(LoadError::invalid(
            file,
            at..at + "max_file_size".len(),
            "`max_file_size` must be at least 1 byte; remove it for the default (32 MiB)",
        ));
    }
    for (code, change) in options.rules.iter().flatten() {
        if let Some(written) = &change.scopes {
            check_scopes(file, code.get_ref(), written, errors);
        }
    }
}

/// The scopes written for rule `code`: at least one, each name checked where it is written.
fn check_scopes(
    file: &TextFile,
    code: &str,
    written: &Spanned<Vec<Spanned<String>>>,
    errors: &mut Vec<LoadError>,
) {
    if written.get_ref().is_empty() {
        errors.push(LoadError::invalid(
            file,
            written.span(),
            format!(
                "`[rules.{code}]`: `scopes` must name at least one scope; write `enabled = false` \
                 to turn the rule off"
            ),
        ));
    }
    for name in written.get_ref() {
        if let Err(message) = Scope::try_from(name.get_ref().clone()) {
            errors.push(LoadError::invalid(file, name.span(), message));
        }
    }
}

fn compile_excludes(
    file: Option<&TextFile>,
    globs: Vec<Spanned<String>>,
    errors: &mut Vec<LoadError>,
) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        // `generated/**` should also exclude the folder itself when named on its own.
        for pattern in [
            glob.get_ref().clone(),
            format!("{}/**", glob.get_ref().trim_end_matches('/')),
        ] {
            match Glob::new(&pattern) {
                Ok(compiled) => {
                    builder.add(compiled);
                }
                Err(error) => {
                    if let Some(file) = file {
                        errors.push(LoadError::invalid(
                            file,
                            glob.span(),
                            format!("invalid glob `{}`: {}", glob.get_ref(), error.kind()),
                        ));
                    }
                    break;
                }
            }
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}
