//! Reading rule files and incident records, validating them, and collecting every error.
//!
//! Raw TOML becomes checked [`Rule`]s (in `rule`) and [`Incident`]s (in `incident`) here and
//! nowhere else. Each mistake is reported with the file and the byte span it is about
//! ([`TextFile`], [`LoadError`]), so it can be drawn with a caret; loading goes on after an
//! error so that one run shows them all.

mod file;
mod incident;
mod review;
mod rule;
mod shape;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use file::{LoadError, LoadWarning, TextFile};
pub(crate) use file::{display_path, text_file, toml_message};

use super::{Builtin, Codex, Incident, Rule, Scope, Severity, Stage};
use crate::source::boundary::Boundary;
use crate::source::revision::Origin;

/// Largest rule file, incident record or `codex.toml` read, in bytes.
pub const MAX_CODEX_FILE: u64 = 1 << 20;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Where rules and incidents come from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Whether the default Codex embedded in the binary is loaded.
    pub embedded: bool,
    /// Folders of rule files (`*.toml`, searched recursively).
    pub rule_dirs: Vec<PathBuf>,
    /// Folders of incident records (`*.toml`).
    pub incident_dirs: Vec<PathBuf>,
    /// The project root, to show paths relative to it.
    pub root: PathBuf,
    /// Link template for each rule: `{id}`, `{name}` and `{path}` are replaced.
    pub url_template: Option<String>,
}

/// Changes `codex.toml` makes to rules, without editing the rule files.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Each changed rule.
    pub rules: Vec<RuleOverride>,
}

/// One rule's settings in `codex.toml`.
#[derive(Debug, Clone)]
pub struct RuleOverride {
    /// Code or name of the rule.
    pub code: String,
    /// Where the code is written, for errors.
    pub file: TextFile,
    /// Byte span of the code in `file`.
    pub span: Range<usize>,
    /// `false` turns the rule off.
    pub enabled: Option<bool>,
    /// New stage.
    pub stage: Option<Stage>,
    /// New severity.
    pub severity: Option<Severity>,
    /// New scopes, replacing the rule's.
    pub scopes: Option<Vec<Scope>>,
    /// New `enforce_paths`, replacing the rule's, with where it is written.
    pub enforce_paths: Option<toml::Spanned<globset::GlobSet>>,
}

/// Loads, validates and compiles the Codex from the working tree.
///
/// # Errors
///
/// Every unreadable file, malformed rule, broken reference and bad override, all at once.
pub fn load(sources: &Sources, overrides: &Overrides) -> Result<Codex, Vec<LoadError>> {
    load_from(sources, overrides, &Origin::WorkTree)
}

/// Loads, validates and compiles the Codex, reading the rule and incident folders from
/// `origin` (the working tree, or a git revision for `--codex-from`).
///
/// # Errors
///
/// Every unreadable file, malformed rule, broken reference and bad override, all at once.
pub fn load_from(
    sources: &Sources,
    overrides: &Overrides,
    origin: &Origin,
) -> Result<Codex, Vec<LoadError>> {
    let mut errors = Vec::new();
    let read =
        |embedded: Option<&[(&str, &str)]>, dirs: &[PathBuf], errors: &mut Vec<LoadError>| {
            read_files(embedded, dirs, &sources.root, origin, errors)
        };
    let incident_files = read(
        sources.embedded.then_some(embedded::INCIDENTS),
        &sources.incident_dirs,
        &mut errors,
    );
    let incidents = parse_incidents(&incident_files, &mut errors);

    let rule_files = read(
        sources.embedded.then_some(embedded::RULES),
        &sources.rule_dirs,
        &mut errors,
    );
    // `utils.toml` in a rule folder holds utility rules shared by the Codex, not a rule.
    let shared: Vec<&TextFile> = rule_files
        .iter()
        .map(|(file, _)| file)
        .filter(|file| stem(&file.path) == "utils")
        .collect();
    let mut utils = super::compile::Utils::shared(&shared, &mut errors);
    let mut rules = Vec::new();
    let mut first_seen: HashMap<String, String> = HashMap::new();
    let mut enforce_paths = EnforcePaths::new();
    // The `rule_url` template links the project's own rule files: an embedded rule's path is
    // the tool's, not a file of the project.
    let embedded_count = if sources.embedded {
        embedded::RULES.len()
    } else {
        0
    };
    let untemplated = Sources {
        url_template: None,
        ..sources.clone()
    };
    let mut review_rules = Vec::new();
    for (i, (file, disk)) in rule_files.iter().enumerate() {
        if stem(&file.path) == "utils" {
            continue;
        }
        let sources = if i < embedded_count {
            &untemplated
        } else {
            sources
        };
        if let Some(found) = review::load(file, disk.as_deref(), sources, &incidents) {
            match found {
                Ok((rule, span)) => {
                    claim(
                        &mut first_seen,
                        file,
                        &span,
                        [&rule.id, &rule.name],
                        &mut errors,
                    );
                    review_rules.push(rule);
                }
                Err(mut found) => errors.append(&mut found),
            }
            continue;
        }
        match rule::parse(file, sources, &incidents, &mut utils) {
            Ok(rule::Parsed {
                mut rule,
                id_span,
                enforce_span,
            }) => {
                if let Some(span) = enforce_span {
                    enforce_paths.insert(rule.id.clone(), (file.clone(), span));
                }
                rule.file.clone_from(disk);
                claim(
                    &mut first_seen,
                    file,
                    &id_span,
                    [&rule.id, &rule.name],
                    &mut errors,
                );
                rules.push(rule);
            }
            Err(found) => errors.extend(without_consequences(found)),
        }
    }
    for kind in Builtin::ALL {
        if let Some(rule) = kind.rule() {
            rules.push(rule);
        }
    }
    let overrides = review::apply_overrides(&mut review_rules, overrides, &mut errors);
    apply_overrides(&mut rules, &overrides, &mut enforce_paths, &mut errors);
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    review_rules.sort_by(|a, b| a.id.cmp(&b.id));
    if errors.is_empty() {
        let warnings = idle_enforce_paths(&rules, &enforce_paths);
        Ok(Codex::new(rules, incidents)
            .with_warnings(warnings)
            .with_review_rules(review_rules))
    } else {
        Err(errors)
    }
}

/// The errors of one file without those that only follow from another: an error about a
/// whole list or table (`[match]` names no matcher kind, `call` lists no path) is left out
/// when an error about something inside it (the entry that was wrong) is given. The others
/// come in the order they stand in the file.
fn without_consequences(errors: Vec<LoadError>) -> Vec<LoadError> {
    let span = |error: &LoadError| match error {
        LoadError::Invalid { file, span, .. } => Some(section(&file.text, span.clone())),
        LoadError::Read { .. } => None,
    };
    // By start, so that the errors inside one are found by a binary search (and the first
    // looked at is usually inside: linear in practice, however many entries are wrong).
    let mut inner: Vec<Range<usize>> = errors
        .iter()
        .filter_map(span)
        .filter(|span| !span.is_empty())
        .collect();
    inner.sort_by_key(|span| (span.start, span.end));
    inner.dedup();
    let holds_another = |outer: &Range<usize>| {
        let from = inner.partition_point(|span| span.start < outer.start);
        inner
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|span| span.start < outer.end)
            .any(|span| span != outer && span.end <= outer.end)
    };
    let mut kept: Vec<LoadError> = errors
        .into_iter()
        .filter(|error| !span(error).is_some_and(|outer| holds_another(&outer)))
        .collect();
    // In the order they stand in the file.
    kept.sort_by_key(|error| span(error).map_or(0, |span| span.start));
    kept
}

/// `span`, or when it is a table's header (`[match]`), the table's whole section: up to the
/// next header or the end of the file.
fn section(text: &str, span: Range<usize>) -> Range<usize> {
    let line_start = text
        .get(..span.start)
        .map_or(0, |before| before.rfind('\n').map_or(0, |at| at + 1));
    let is_header = text.get(span.clone()).is_some_and(|t| t.starts_with('['))
        && text
            .get(line_start..span.start)
            .is_some_and(|indent| indent.trim().is_empty());
    if !is_header {
        return span;
    }
    let rest = text.get(span.end..).unwrap_or_default();
    let mut offset = span.end;
    for line in rest.split_inclusive('\n').skip(1) {
        if line.trim_start().starts_with('[') {
            break;
        }
        offset += line.len();
    }
    let first = rest.split_inclusive('\n').next().map_or(0, str::len);
    span.start..(offset + first).min(text.len())
}

/// The incident records of `files`, each id once.
fn parse_incidents(
    files: &[(TextFile, Option<PathBuf>)],
    errors: &mut Vec<LoadError>,
) -> Vec<Incident> {
    let mut incidents: Vec<Incident> = Vec::new();
    for (file, disk) in files {
        match incident::parse(file).map(|incident| Incident {
            file: disk.clone(),
            ..incident
        }) {
            Ok(incident) if incidents.iter().any(|known| known.id == incident.id) => {
                errors.push(LoadError::invalid(
                    file,
                    0..0,
                    format!("incident `{}` is defined twice", incident.id),
                ));
            }
            Ok(incident) => incidents.push(incident),
            Err(found) => errors.extend(found),
        }
    }
    incidents
}

/// Records that `file` defines the rule code and name `keys` (written at `span`), or an error
/// when another file already does: codes and names are unique across finding and review rules.
fn claim(
    first_seen: &mut HashMap<String, String>,
    file: &TextFile,
    span: &Range<usize>,
    keys: [&String; 2],
    errors: &mut Vec<LoadError>,
) {
    for key in keys {
        if let Some(other) = first_seen.get(key.as_str()) {
            errors.push(LoadError::invalid(
                file,
                span.clone(),
                format!(
                    "rule `{key}` is already defined in {other}; codes and names must be unique"
                ),
            ));
        }
    }
    for key in keys {
        first_seen.insert(key.clone(), file.path.clone());
    }
}

/// Where each rule's `enforce_paths` was last written (its rule file, or `codex.toml`).
type EnforcePaths = HashMap<String, (TextFile, Range<usize>)>;

/// A warning for each `enforce_paths` that cannot act: it only narrows where an `enforce` rule
/// fails, so on a `warn` or `shadow` rule it changes nothing, which the file does not show.
fn idle_enforce_paths(rules: &[Rule], written: &EnforcePaths) -> Vec<LoadWarning> {
    let mut warnings: Vec<LoadWarning> = rules
        .iter()
        .filter(|rule| rule.enforce_paths.is_some() && rule.stage != Stage::Enforce)
        .filter_map(|rule| {
            let (file, span) = written.get(&rule.id)?;
            Some(LoadWarning {
                file: file.clone(),
                span: span.clone(),
                message: format!(
                    "`enforce_paths` of {} has no effect: the rule's stage is `{}`, and \
                     `enforce_paths` only narrows where an `enforce` rule fails; set \
                     `stage = \"enforce\"` to enforce it on these paths and warn elsewhere",
                    rule.id,
                    rule.stage.as_str()
                ),
            })
        })
        .collect();
    warnings.sort_by(|a, b| (&a.file.path, a.span.start).cmp(&(&b.file.path, b.span.start)));
    warnings
}

/// The embedded files (if any) followed by every `*.toml` under `dirs`, sorted per folder.
/// A file keeps its path on disk only when it was read from the working tree.
fn read_files(
    embedded: Option<&[(&str, &str)]>,
    dirs: &[PathBuf],
    root: &Path,
    origin: &Origin,
    errors: &mut Vec<LoadError>,
) -> Vec<(TextFile, Option<PathBuf>)> {
    let mut files: Vec<(TextFile, Option<PathBuf>)> = embedded
        .unwrap_or_default()
        .iter()
        .map(|(path, text)| (TextFile::new(*path, *text), None))
        .collect();
    let boundary = Boundary::new(root);
    let on_disk = origin.revision().is_none();
    for dir in dirs {
        let found = match origin.files_under(dir, "toml", &boundary, MAX_CODEX_FILE) {
            Ok(found) => found,
            Err(error) => {
                errors.push(LoadError::Read {
                    path: PathBuf::from(display_path(dir, root)),
                    source: error.into_io(),
                });
                continue;
            }
        };
        for (path, content) in found {
            let text = content
                .map_err(|error| LoadError::Read {
                    path: PathBuf::from(display_path(&path, root)),
                    source: error.into_io(),
                })
                .and_then(|bytes| text_file(display_path(&path, root), bytes));
            match text {
                Ok(text) => files.push((text, on_disk.then_some(path))),
                Err(error) => errors.push(error),
            }
        }
    }
    files
}

/// The file stem of a display path: `rules/a/unwrap-outside-tests.toml` → `unwrap-outside-tests`.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

fn apply_overrides(
    rules: &mut Vec<Rule>,
    overrides: &Overrides,
    enforce_paths: &mut EnforcePaths,
    errors: &mut Vec<LoadError>,
) {
    let mut disabled = Vec::new();
    for change in &overrides.rules {
        let Some(rule) = rules
            .iter_mut()
            .find(|rule| rule.id == change.code || rule.name == change.code)
        else {
            errors.push(LoadError::invalid(
                &change.file,
                change.span.clone(),
                format!(
                    "unknown rule `{}`: `cargo codex rules` lists the codes",
                    change.code
                ),
            ));
            continue;
        };
        if let Some(stage) = change.stage {
            rule.stage = stage;
        }
        if let Some(severity) = change.severity {
            rule.severity = severity;
        }
        if let Some(scopes) = &change.scopes {
            rule.scopes.clone_from(scopes);
        }
        if let Some(paths) = &change.enforce_paths {
            rule.enforce_paths = Some(paths.get_ref().clone());
            enforce_paths.insert(rule.id.clone(), (change.file.clone(), paths.span()));
        }
        if change.enabled == Some(false) {
            disabled.push(rule.id.clone());
        }
    }
    rules.retain(|rule| !disabled.contains(&rule.id));
}

/// `CX0001`, `ACME42`: upper-case ASCII letters followed by digits.
pub(crate) fn is_rule_code(code: &str) -> bool {
    let letters = code.bytes().take_while(u8::is_ascii_uppercase).count();
    letters > 0 && letters < code.len() && code.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

pub(crate) fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Where a rule's documentation is: its own `url`, else the `rule_url` template of
/// `codex.toml` filled with its code, name and file, else the rule file's path.
pub(super) fn rule_url(
    own: Option<String>,
    sources: &Sources,
    file: &TextFile,
    id: &str,
    name: &str,
) -> String {
    own.unwrap_or_else(|| match sources.url_template.as_deref() {
        Some(template) => template
            .replace("{id}", id)
            .replace("{name}", name)
            .replace("{path}", &file.path),
        None => file.path.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_and_names() {
        assert!(is_rule_code("CX0001"));
        assert!(is_rule_code("ACME42"));
        assert!(!is_rule_code("cx0001"));
        assert!(!is_rule_code("CX"));
        assert!(!is_rule_code("0001"));
        assert!(is_kebab("unwrap-outside-tests"));
        assert!(!is_kebab("Unwrap"));
        assert!(!is_kebab("no--double"));
    }
}
