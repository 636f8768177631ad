//! Reading rule files and incident records, validating them, and collecting every error.
//!
//! Raw TOML ([`RuleFile`], [`IncidentFile`]) becomes checked [`Rule`]s and [`Incident`]s here and
//! nowhere else. Each mistake is reported with the file and the byte span it is about, so it can
//! be drawn with a caret; loading goes on after an error so that one run shows them all.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use toml::Spanned;

use super::{
    Applicability, Builtin, ClippyLints, Codex, FixKind, FixSpec, Incident, Matcher, Rule, Scope,
    Severity, Stage, clippy, compile,
};
use crate::source::boundary::Boundary;
use crate::source::revision::Origin;
use crate::text::LineIndex;

/// Largest rule file, incident record or `codex.toml` read, in bytes.
pub const MAX_CODEX_FILE: u64 = 1 << 20;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A configuration or rule file kept in memory, so errors about it can quote it.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Path as shown to the user.
    pub path: String,
    /// Its whole text.
    pub text: Arc<str>,
    /// Its lines, indexed once for all the errors about it (a file with thousands of errors
    /// must not be indexed once per error).
    lines: Arc<OnceLock<LineIndex>>,
}

impl TextFile {
    /// Wraps a text read from `path`.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        TextFile {
            path: path.into(),
            text: text.into(),
            lines: Arc::default(),
        }
    }

    /// The position of byte `offset`.
    pub fn position(&self, offset: usize) -> crate::text::Position {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .position(&self.text, offset)
    }
}

/// Why the Codex or the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or folder that could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A file whose content is wrong, at a known place.
    #[error("{}", Located(.file, .span, .message))]
    Invalid {
        /// The file.
        file: TextFile,
        /// Byte range of the offending text.
        span: Range<usize>,
        /// What is wrong, and how to fix it.
        message: String,
    },
}

struct Located<'a>(&'a TextFile, &'a Range<usize>, &'a String);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Located(file, span, message) = self;
        let position = file.position(span.start);
        write!(
            f,
            "{}:{}:{}: {message}",
            file.path, position.line, position.column
        )
    }
}

impl LoadError {
    /// An error about `span` of `file`.
    pub fn invalid(file: &TextFile, span: Range<usize>, message: impl Into<String>) -> Self {
        LoadError::Invalid {
            file: file.clone(),
            span,
            message: message.into(),
        }
    }

    /// Turns a TOML syntax or shape error into a located error.
    pub fn from_toml(file: &TextFile, error: &toml::de::Error) -> Self {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim_end().to_owned();
        LoadError::invalid(file, span, message)
    }
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
}

/// A rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: Spanned<String>,
    title: String,
    severity: Severity,
    #[serde(default = "default_stage")]
    stage: Stage,
    enforce_paths: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    incidents: Vec<Spanned<String>>,
    #[serde(default = "default_scopes")]
    scopes: Spanned<Vec<Scope>>,
    clippy: Option<Spanned<ClippyFile>>,
    #[serde(default = "default_const_contexts")]
    const_contexts: bool,
    message: Spanned<String>,
    help: Option<String>,
    doc: String,
    url: Option<String>,
    #[serde(rename = "match")]
    matcher: Spanned<compile::MatchFile>,
    fix: Option<Spanned<FixFile>>,
}

/// `clippy` as written: one lint name, or a table from matched name to lint name.
#[derive(Debug)]
enum ClippyFile {
    One(String),
    ByName(Vec<(Spanned<String>, Spanned<String>)>),
}

impl<'de> Deserialize<'de> for ClippyFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ClippyFile;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a clippy lint name like \"unwrap_used\", or a table from matched name to lint \
                     like { panic = \"panic\", todo = \"todo\" }",
                )
            }

            fn visit_str<E: serde::de::Error>(self, lint: &str) -> Result<ClippyFile, E> {
                Ok(ClippyFile::One(lint.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ClippyFile, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(ClippyFile::ByName(pairs))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `[fix]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixFile {
    kind: Spanned<String>,
    applicability: Applicability,
    description: Option<String>,
}

/// An incident record as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentFile {
    id: Option<Spanned<String>>,
    date: String,
    title: String,
    summary: String,
    impact: Option<String>,
    source: Option<String>,
    #[serde(default)]
    rules: Vec<String>,
}

fn default_stage() -> Stage {
    Stage::Enforce
}

fn default_const_contexts() -> bool {
    true
}

fn default_scopes() -> Spanned<Vec<Scope>> {
    Spanned::new(0..0, vec![Scope::Prod])
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
    let mut incidents: Vec<Incident> = Vec::new();
    for (file, _) in &incident_files {
        match parse_incident(file) {
            Ok(incident) if incidents.iter().any(|known| known.id == incident.id) => {
                errors.push(LoadError::invalid(
                    file,
                    0..0,
                    format!("incident `{}` is defined twice", incident.id),
                ));
            }
            Ok(incident) => incidents.push(incident),
            Err(error) => errors.push(error),
        }
    }

    let rule_files = read(
        sources.embedded.then_some(embedded::RULES),
        &sources.rule_dirs,
        &mut errors,
    );
    let mut rules = Vec::new();
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for (file, disk) in &rule_files {
        match parse_rule(file, sources, &incidents) {
            Ok((mut rule, id_span)) => {
                rule.file.clone_from(disk);
                for key in [&rule.id, &rule.name] {
                    if let Some(other) = first_seen.get(key.as_str()) {
                        errors.push(LoadError::invalid(
                            file,
                            id_span.clone(),
                            format!("rule `{key}` is already defined in {other}; codes and names must be unique"),
                        ));
                    }
                }
                first_seen.insert(rule.id.clone(), file.path.clone());
                first_seen.insert(rule.name.clone(), file.path.clone());
                rules.push(rule);
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    for kind in Builtin::ALL {
        if let Some(rule) = kind.rule() {
            rules.push(rule);
        }
    }
    apply_overrides(&mut rules, overrides, &mut errors);
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    if errors.is_empty() {
        Ok(Codex::new(rules, incidents))
    } else {
        Err(errors)
    }
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

/// The bytes of a Codex file as text; a file that is not UTF-8 is an error at its first
/// invalid byte.
///
/// # Errors
///
/// When `bytes` is not UTF-8.
pub(crate) fn text_file(path: String, bytes: Vec<u8>) -> Result<TextFile, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(TextFile::new(path, text)),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            // The invalid byte shows as U+FFFD, three bytes long, at the same offset.
            let file = TextFile::new(path, String::from_utf8_lossy(error.as_bytes()));
            Err(LoadError::invalid(
                &file,
                offset..offset + '\u{FFFD}'.len_utf8(),
                "not valid UTF-8: save the file as UTF-8",
            ))
        }
    }
}

/// `path` relative to `root` with `/` separators when it is inside it.
pub(crate) fn display_path(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        // Outside the root: shown as given, with `/` separators.
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// The file stem of a display path: `rules/a/unwrap-outside-tests.toml` → `unwrap-outside-tests`.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

fn parse_incident(file: &TextFile) -> Result<Incident, LoadError> {
    let raw: IncidentFile =
        toml::from_str(&file.text).map_err(|e| LoadError::from_toml(file, &e))?;
    validate_incident(file, &raw)?;
    let id = stem(&file.path).to_owned();
    let mut summary = raw.summary.trim().to_owned();
    if let Some(impact) = raw.impact {
        summary.push_str("\n\nImpact: ");
        summary.push_str(impact.trim());
    }
    Ok(Incident {
        id,
        date: raw.date,
        title: raw.title,
        summary,
        source: raw.source,
        rules: raw.rules,
        origin: file.path.clone(),
    })
}

/// An incident's `id`, when written, must be its file name.
fn validate_incident(file: &TextFile, raw: &IncidentFile) -> Result<(), LoadError> {
    let id = stem(&file.path);
    match &raw.id {
        Some(written) if written.get_ref() != id => Err(LoadError::invalid(
            file,
            written.span(),
            format!(
                "incident id `{}` must equal the file name `{id}`",
                written.get_ref()
            ),
        )),
        _ => Ok(()),
    }
}

fn parse_rule(
    file: &TextFile,
    sources: &Sources,
    incidents: &[Incident],
) -> Result<(Rule, Range<usize>), Vec<LoadError>> {
    let raw: RuleFile =
        toml::from_str(&file.text).map_err(|e| vec![LoadError::from_toml(file, &e)])?;
    let mut errors = Vec::new();
    validate_fields(file, &raw, incidents, &mut errors);
    let name = stem(&file.path).to_owned();
    if !is_kebab(&name) {
        errors.push(LoadError::invalid(
            file,
            0..0,
            format!("rule file name `{name}` must be kebab-case, like `unwrap-outside-tests.toml`"),
        ));
    }
    let id_span = raw.id.span();
    let id = raw.id.get_ref().clone();
    let enforce_paths = compile::globs(file, raw.enforce_paths, &mut errors);
    let match_span = raw.matcher.span();
    let matcher = compile::compile(file, raw.matcher.into_inner(), match_span, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some((matcher, narrowing)) = matcher else {
        return Err(errors);
    };
    let clippy = raw
        .clippy
        .map(|written| clippy_lints(file, written, &matcher))
        .transpose()?;
    let fix = match raw.fix {
        None => None,
        Some(fix) => {
            let span = fix.span();
            let fix = fix.into_inner();
            if fix.kind.get_ref() != "try-operator" {
                return Err(vec![LoadError::invalid(
                    file,
                    fix.kind.span(),
                    format!(
                        "unknown fix kind `{}`: the one kind is `try-operator`",
                        fix.kind.get_ref()
                    ),
                )]);
            }
            if !matches!(matcher, Matcher::Method(_)) {
                return Err(vec![LoadError::invalid(
                    file,
                    span,
                    "a `try-operator` fix needs a `method` matcher",
                )]);
            }
            Some(FixSpec {
                kind: FixKind::TryOperator,
                applicability: fix.applicability,
                description: fix
                    .description
                    .unwrap_or_else(|| "propagate with `?`".to_owned()),
            })
        }
    };
    // The rule's own `url`, else the `rule_url` template, else the rule file's path.
    let url = raw.url.or_else(|| {
        Some(match sources.url_template.as_deref() {
            Some(template) => template
                .replace("{id}", &id)
                .replace("{name}", &name)
                .replace("{path}", &file.path),
            None => file.path.clone(),
        })
    });
    let rule = Rule {
        id,
        name,
        title: raw.title,
        severity: raw.severity,
        stage: raw.stage,
        enforce_paths,
        incidents: raw.incidents.into_iter().map(Spanned::into_inner).collect(),
        scopes: raw.scopes.into_inner(),
        clippy,
        const_contexts: raw.const_contexts,
        message: raw.message.into_inner(),
        help: raw.help,
        doc: raw.doc,
        matcher,
        narrowing,
        fix,
        origin: file.path.clone(),
        file: None,
        url,
    };
    Ok((rule, id_span))
}

/// Checks the fields of a rule file that serde cannot: code shape, incidents, message, scopes.
fn validate_fields(
    file: &TextFile,
    raw: &RuleFile,
    incidents: &[Incident],
    errors: &mut Vec<LoadError>,
) {
    let id_span = raw.id.span();
    let id = raw.id.get_ref();
    if !is_rule_code(id) {
        errors.push(LoadError::invalid(
            file,
            id_span.clone(),
            format!("rule code `{id}` must be upper-case letters then digits, like `CX0042`"),
        ));
    } else if id.starts_with("CX9") {
        errors.push(LoadError::invalid(
            file,
            id_span.clone(),
            "codes CX9000 to CX9999 are reserved for the tool's own rules",
        ));
    }
    for incident in &raw.incidents {
        if !incidents
            .iter()
            .any(|known| &known.id == incident.get_ref())
        {
            errors.push(LoadError::invalid(
                file,
                incident.span(),
                format!(
                    "unknown incident `{}`: add codex/{}.toml or fix the id",
                    incident.get_ref(),
                    incident.get_ref()
                ),
            ));
        }
    }
    if raw.message.get_ref().trim().is_empty() {
        errors.push(LoadError::invalid(
            file,
            raw.message.span(),
            "`message` must not be empty",
        ));
    }
    if raw.scopes.get_ref().is_empty() {
        errors.push(LoadError::invalid(
            file,
            raw.scopes.span(),
            "`scopes` must name at least one scope",
        ));
    }
}

/// Checks a rule's `clippy` key against what the rule matches: lint names are identifiers
/// without the `clippy::` prefix (renamed lints become their current name); a table maps names
/// the rule matches (a method, macro or function name) and needs a rule that matches names.
fn clippy_lints(
    file: &TextFile,
    written: Spanned<ClippyFile>,
    matcher: &Matcher,
) -> Result<ClippyLints, Vec<LoadError>> {
    let span = written.span();
    let lint_name = |lint: &str, span: Range<usize>| {
        if is_identifier(lint) {
            return Ok(clippy::canonical(lint).to_owned());
        }
        let how = if lint.contains("::") {
            "write it without the `clippy::` prefix"
        } else {
            "write it as in `#[allow(clippy::…)]`, with underscores"
        };
        Err(LoadError::invalid(
            file,
            span,
            format!("`{lint}` is not a clippy lint name: {how}, like `unwrap_used`"),
        ))
    };
    let pairs = match written.into_inner() {
        ClippyFile::One(lint) => {
            return lint_name(&lint, span)
                .map(ClippyLints::One)
                .map_err(|e| vec![e]);
        }
        ClippyFile::ByName(pairs) => pairs,
    };
    let parts = matcher.parts();
    let names_match = parts.iter().all(|part| {
        matches!(
            part,
            Matcher::Method(_) | Matcher::Macro(_) | Matcher::Call(_)
        )
    });
    if !names_match {
        return Err(vec![LoadError::invalid(
            file,
            span,
            "a `clippy` table maps the names a `method`, `macro` or `call` rule matches; \
             this rule matches no names: give one lint, like `clippy = \"indexing_slicing\"`",
        )]);
    }
    if pairs.is_empty() {
        return Err(vec![LoadError::invalid(
            file,
            span,
            "the `clippy` table is empty: map each name the rule matches to its lint, \
             like `{ unwrap = \"unwrap_used\" }`",
        )]);
    }
    let is_matched = |name: &str| {
        parts.iter().any(|part| match part {
            Matcher::Method(names) | Matcher::Macro(names) => names.iter().any(|n| n == name),
            Matcher::Call(paths) => paths.iter().any(|p| p.last_matches(name)),
            _ => false,
        })
    };
    let mut errors = Vec::new();
    let mut lints = Vec::new();
    for (name, lint) in pairs {
        let text = name.get_ref().strip_suffix('!').unwrap_or(name.get_ref());
        if !is_matched(text) {
            errors.push(LoadError::invalid(
                file,
                name.span(),
                format!(
                    "`{}` is not a name this rule matches: the keys of `clippy` are the rule's \
                     method, macro or function names",
                    name.get_ref()
                ),
            ));
            continue;
        }
        match lint_name(lint.get_ref(), lint.span()) {
            Ok(canonical) => lints.push((text.to_owned(), canonical)),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(ClippyLints::ByName(lints))
    } else {
        Err(errors)
    }
}

fn apply_overrides(rules: &mut Vec<Rule>, overrides: &Overrides, errors: &mut Vec<LoadError>) {
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
