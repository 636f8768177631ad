//! Configuration: `codex.toml` discovery and layering. Defaults < project file < command-line
//! flags, merged once into [`Settings`]; nothing after this reads files or flags for settings.
//!
//! ```toml
//! default_rules = true            # the Codex embedded in the binary
//! rule_dirs = ["codex-rules"]     # the project's own rule files
//! incident_dirs = ["codex"]       # the project's incident records (default: ./codex if present)
//! exclude = ["generated/**"]      # globs relative to the project root
//! max_file_size = 10_485_760      # bytes; larger files are reported, not read
//! rule_url = "https://git.example.com/org/repo/-/blob/main/{path}"
//!
//! [rules.CX0001]                  # by code or name
//! stage = "warn"                  # shadow | warn | enforce
//! severity = "warning"            # error | warning | info
//! enabled = false
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::codex::load::{LoadError, TextFile, display_path};
use crate::codex::{Overrides, RuleOverride, Severity, Sources, Stage};

/// The configuration file's name.
pub const FILE_NAME: &str = "codex.toml";

/// Files larger than this are reported rather than read, unless configured otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

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
    rules: Option<BTreeMap<Spanned<String>, RuleOptions>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleOptions {
    enabled: Option<bool>,
    stage: Option<Stage>,
    severity: Option<Severity>,
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
}

/// Finds and reads the configuration, and merges it with `flags`.
///
/// # Errors
///
/// An unreadable or invalid configuration file, every problem at once, each located.
pub fn resolve(flags: &Flags, cwd: &Path) -> Result<Settings, Vec<LoadError>> {
    let (config_file, root) = locate(flags, cwd);
    let (options, file) = match &config_file {
        Some(path) => {
            let text = fs::read_to_string(path).map_err(|source| {
                vec![LoadError::Read {
                    path: path.clone(),
                    source,
                }]
            })?;
            let file = TextFile::new(display_path(path, cwd), text);
            let options = toml::from_str::<Options>(&file.text)
                .map_err(|e| vec![LoadError::from_toml(&file, &e)])?;
            validate_options(&options, &file)?;
            (options, Some(file))
        }
        None => (Options::default(), None),
    };
    let mut errors = Vec::new();
    let dirs = |list: Option<Vec<Spanned<String>>>, errors: &mut Vec<LoadError>| -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in list.unwrap_or_default() {
            let path = root.join(dir.get_ref());
            if path.is_dir() {
                out.push(path);
            } else if let Some(file) = &file {
                errors.push(LoadError::invalid(
                    file,
                    dir.span(),
                    format!(
                        "folder `{}` does not exist (paths are relative to {})",
                        dir.get_ref(),
                        FILE_NAME
                    ),
                ));
            }
        }
        out
    };
    let mut rule_dirs = dirs(options.rule_dirs, &mut errors);
    rule_dirs.extend(flags.rule_dirs.iter().map(|dir| absolute(dir, cwd)));
    let incident_dirs = match options.incident_dirs {
        Some(list) => dirs(Some(list), &mut errors),
        None if file.is_some() && root.join("codex").is_dir() => vec![root.join("codex")],
        None => Vec::new(),
    };
    let exclude = compile_excludes(
        file.as_ref(),
        options.exclude.unwrap_or_default(),
        &mut errors,
    );
    let overrides = Overrides {
        rules: options
            .rules
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(code, change)| {
                Some(RuleOverride {
                    span: code.span(),
                    code: code.into_inner(),
                    file: file.clone()?,
                    enabled: change.enabled,
                    stage: change.stage,
                    severity: change.severity,
                })
            })
            .collect(),
    };
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
    })
}

/// The configuration file (explicit, or the nearest `codex.toml` above where the run starts)
/// and the project root: the file's folder, else the enclosing git repository, else the
/// working directory when the run starts inside it, else the starting folder.
fn locate(flags: &Flags, cwd: &Path) -> (Option<PathBuf>, PathBuf) {
    let start = flags
        .start
        .as_ref()
        .map_or_else(|| cwd.to_path_buf(), |p| absolute(p, cwd));
    let start_dir = if start.is_dir() {
        start.clone()
    } else {
        start
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    };
    let config_file = match &flags.config {
        Some(path) => Some(absolute(path, cwd)),
        None => start_dir
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|path| path.is_file()),
    };
    let root = match &config_file {
        Some(file) => file
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
        None => match start_dir.ancestors().find(|dir| dir.join(".git").exists()) {
            Some(repository) => repository.to_path_buf(),
            None if start_dir.starts_with(cwd) => cwd.to_path_buf(),
            None => start_dir.clone(),
        },
    };
    (config_file, root)
}

/// Checks what deserialization cannot: values that parse but make no sense.
fn validate_options(options: &Options, file: &TextFile) -> Result<(), Vec<LoadError>> {
    if options.max_file_size == Some(0) {
        let at = file.text.find("max_file_size").unwrap_or(0);
        return Err(vec![LoadError::invalid(
            file,
            at..at + "max_file_size".len(),
            "`max_file_size` must be at least 1 byte; remove it for the default (10 MiB)",
        )]);
    }
    Ok(())
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
