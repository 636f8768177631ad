//! `codex.toml` as written ([`Options`]), read and checked: values that parse but make no
//! sense are located errors; `[rules.*]` tables become [`Overrides`], `exclude` a glob set.
//! Where its paths may lead is [`super::paths`]'s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::errors;
use crate::codex::load::{LoadError, MAX_CODEX_FILE, TextFile, display_path, text_file};
use crate::codex::{Overrides, RuleOverride, Scope, Severity, Stage};
use crate::source::boundary::Boundary;
use crate::source::revision::Origin;

/// `codex.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    pub(super) default_rules: Option<bool>,
    pub(super) rule_dirs: Option<Vec<Spanned<String>>>,
    pub(super) incident_dirs: Option<Vec<Spanned<String>>>,
    pub(super) exclude: Option<Vec<Spanned<String>>>,
    pub(super) max_file_size: Option<u64>,
    pub(super) rule_url: Option<String>,
    pub(super) prefix: Option<Spanned<String>>,
    pub(super) force_exclude: Option<bool>,
    pub(super) baseline: Option<Spanned<String>>,
    pub(super) rules: Option<BTreeMap<Spanned<String>, RuleOptions>>,
}

/// One `[rules.CODE]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleOptions {
    pub(super) enabled: Option<bool>,
    pub(super) stage: Option<Stage>,
    pub(super) severity: Option<Severity>,
    pub(super) scopes: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) enforce_paths: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Reads and checks the configuration file at `path`, shown relative to `root`.
pub(super) fn read_options(
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

/// The rule changes of `[rules.*]` in `file`.
pub(super) fn rule_overrides(
    rules: Option<BTreeMap<Spanned<String>, RuleOptions>>,
    file: Option<&TextFile>,
) -> Overrides {
    let mut overrides = Overrides::default();
    let Some(file) = file else {
        return overrides;
    };
    for (code, change) in rules.unwrap_or_default() {
        // Checked by `validate_options`: every name is a scope.
        let scopes = change.scopes.map(|written| {
            written
                .into_inner()
                .into_iter()
                .filter_map(|name| Scope::try_from(name.into_inner()).ok())
                .collect()
        });
        // Checked by `validate_options`: every glob compiles.
        let enforce_paths = change.enforce_paths.map(|written| {
            let span = written.span();
            let mut builder = GlobSetBuilder::new();
            for glob in written.into_inner() {
                if let Ok(glob) = Glob::new(glob.get_ref()) {
                    builder.add(glob);
                }
            }
            Spanned::new(span, builder.build().unwrap_or_else(|_| GlobSet::empty()))
        });
        overrides.rules.push(RuleOverride {
            span: code.span(),
            code: code.into_inner(),
            file: file.clone(),
            enabled: change.enabled,
            stage: change.stage,
            severity: change.severity,
            scopes,
            enforce_paths,
        });
    }
    overrides
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
    if let Some(prefix) = &options.prefix
        && !is_prefix(prefix.get_ref())
    {
        errors.push(LoadError::invalid(
            file,
            prefix.span(),
            format!(
                "`prefix` `{}` must be 1 to 8 upper-case ASCII letters, like `ACME`: rule codes \
                     are the prefix then digits (`ACME0001`)",
                prefix.get_ref()
            ),
        ));
    }
    for (code, change) in options.rules.iter().flatten() {
        if let Some(written) = &change.scopes {
            check_scopes(file, code.get_ref(), written, errors);
        }
        for glob in change.enforce_paths.iter().flat_map(Spanned::get_ref) {
            if let Err(error) = Glob::new(glob.get_ref()) {
                errors.push(LoadError::invalid(
                    file,
                    glob.span(),
                    format!("invalid glob `{}`: {}", glob.get_ref(), error.kind()),
                ));
            }
        }
    }
}

/// Whether `prefix` can start a rule code: 1 to 8 upper-case ASCII letters.
pub(super) fn is_prefix(prefix: &str) -> bool {
    (1..=8).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase())
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

/// The `exclude` globs, each also excluding everything under it.
pub(super) fn compile_excludes(
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
