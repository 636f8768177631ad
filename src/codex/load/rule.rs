//! Rule files: one TOML file per rule, deserialized (`RuleFile`), checked field by field and
//! compiled into a [`Rule`] with its matcher, `clippy` lints and fix.
//!
//! `stage` has no default (see [`REQUIRED`]): `cargo codex new` writes `shadow`. A rule cites
//! where it comes from, `incidents` (records of the project's `codex/`) or `references` (links
//! and advisory ids, [`crate::codex::reference`]) or both; citing neither is an error. A file
//! that does not deserialize has every entry read again ([`super::shape`]), so that all its
//! wrong entries and missing keys are reported in one run.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::shape::{self, Required};
use super::{LoadError, Sources, TextFile, is_identifier, is_kebab, is_rule_code, stem};
use crate::codex::{
    ClippyLints, Incident, Matcher, Rule, Scope, Severity, Stage, clippy, compile, reference,
};

/// The keys a rule file must have. `stage` has no default: a rule that leaves it out would
/// either fail CI the day it lands (enforce) or, for rules written when `enforce` was the
/// default, silently stop failing it (shadow); the file says which.
pub(super) const REQUIRED: &[Required] = &[
    Required {
        key: "id",
        hint: None,
    },
    Required {
        key: "title",
        hint: None,
    },
    Required {
        key: "severity",
        hint: None,
    },
    Required {
        key: "stage",
        hint: Some(
            "write `stage = \"shadow\"` for a new rule (its findings appear in JSON and SARIF \
             only), then `warn`, then `enforce` (fails the run) once they are reviewed",
        ),
    },
    Required {
        key: "message",
        hint: None,
    },
    Required {
        key: "doc",
        hint: None,
    },
    Required {
        key: "match",
        hint: Some("`[match]` says what the rule matches, like `method = [\"lock\"]`"),
    },
];

/// A rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: Spanned<String>,
    title: String,
    severity: Severity,
    stage: Stage,
    enforce_paths: Option<Vec<Spanned<String>>>,
    incidents: Option<Spanned<Vec<Spanned<String>>>>,
    references: Option<Spanned<Vec<Spanned<String>>>>,
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
    fix: Option<Spanned<compile::FixFile>>,
    /// Utility rules of this file, for `matches` (see docs/rules.md).
    #[serde(default)]
    utils: BTreeMap<String, Spanned<compile::MatchFile>>,
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

fn default_const_contexts() -> bool {
    true
}

fn default_scopes() -> Spanned<Vec<Scope>> {
    Spanned::new(0..0, vec![Scope::Prod])
}

/// A rule file, read and checked.
pub(super) struct Parsed {
    /// The rule.
    pub(super) rule: Rule,
    /// Where its code is written.
    pub(super) id_span: Range<usize>,
    /// Where its `enforce_paths` globs are written, if it has them.
    pub(super) enforce_span: Option<Range<usize>>,
}

/// The rule file `file`.
pub(super) fn parse(
    file: &TextFile,
    sources: &Sources,
    incidents: &[Incident],
    utils: &mut compile::Utils,
) -> Result<Parsed, Vec<LoadError>> {
    let mut raw: RuleFile = toml::from_str(&file.text)
        .map_err(|first| shape::errors::<RuleFile>(file, &first, REQUIRED))?;
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
    let enforce_span = raw.enforce_paths.as_ref().map(|globs| {
        let start = globs.first().map_or(0, |glob| glob.span().start);
        start..globs.last().map_or(start, |glob| glob.span().end)
    });
    let enforce_paths = compile::globs(file, raw.enforce_paths, &mut errors);
    let match_span = raw.matcher.span();
    utils.set_local(file, std::mem::take(&mut raw.utils), &mut errors);
    let matcher = compile::compile(
        file,
        raw.matcher.into_inner(),
        match_span,
        utils,
        &mut errors,
    );
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
    let fix = raw
        .fix
        .map(|fix| compile::fix(file, fix, &matcher))
        .transpose()?;
    let url = Some(super::rule_url(raw.url, sources, file, &id, &name));
    let rule = Rule {
        id,
        name,
        title: raw.title,
        severity: raw.severity,
        stage: raw.stage,
        enforce_paths,
        incidents: strings(raw.incidents),
        references: strings(raw.references),
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
    Ok(Parsed {
        rule,
        id_span,
        enforce_span,
    })
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
    for incident in raw.incidents.iter().flat_map(Spanned::get_ref) {
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
    for cited in raw.references.iter().flat_map(Spanned::get_ref) {
        if !reference::is_reference(cited.get_ref()) {
            errors.push(LoadError::invalid(
                file,
                cited.span(),
                format!(
                    "`{}` is not a reference: write {}",
                    cited.get_ref(),
                    reference::FORMS
                ),
            ));
        }
    }
    cites_a_source(file, raw, errors);
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

/// A rule cites where it comes from: an incident record, a public reference, or both. An
/// empty list cites nothing; the error points at it, else at the rule's code.
fn cites_a_source(file: &TextFile, raw: &RuleFile, errors: &mut Vec<LoadError>) {
    let written = |list: &Option<Spanned<Vec<Spanned<String>>>>| {
        list.as_ref()
            .map(|list| (list.span(), list.get_ref().is_empty()))
    };
    let (incidents, references) = (written(&raw.incidents), written(&raw.references));
    let cites = |list: Option<(Range<usize>, bool)>| list.is_some_and(|(_, empty)| !empty);
    if cites(incidents.clone()) || cites(references.clone()) {
        return;
    }
    let span = incidents
        .or(references)
        .map_or_else(|| raw.id.span(), |(span, _)| span);
    errors.push(LoadError::invalid(
        file,
        span,
        "cite where the rule comes from: `incidents = [\"2026-02-03-lock-convoy\"]` (records \
         in codex/) or `references = [\"https://…\", \"CVE-2023-44487\", \"RUSTSEC-2024-0001\"]`, \
         or both",
    ));
}

/// The strings of a list as written, in order; none when it is not written.
fn strings(list: Option<Spanned<Vec<Spanned<String>>>>) -> Vec<String> {
    list.map(Spanned::into_inner)
        .unwrap_or_default()
        .into_iter()
        .map(Spanned::into_inner)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &[(&str, &str)] = &[
        ("id", "id = \"ACME1\""),
        ("title", "title = \"t\""),
        ("severity", "severity = \"error\""),
        ("stage", "stage = \"shadow\""),
        ("incidents", "incidents = [\"2026-01-01-x\"]"),
        ("message", "message = \"m\""),
        ("doc", "doc = \"d\""),
        ("match", "[match]\nmethod = [\"lock\"]"),
    ];

    /// [`REQUIRED`] lists exactly the keys serde requires: the error that names all the
    /// missing keys at once names the same ones serde would, one by one.
    #[test]
    fn the_required_keys_are_those_serde_requires() {
        for field in REQUIRED {
            assert!(MINIMAL.iter().any(|(key, _)| *key == field.key));
        }
        for (left_out, _) in MINIMAL {
            let text: Vec<&str> = MINIMAL
                .iter()
                .filter(|(key, _)| key != left_out)
                .map(|(_, line)| *line)
                .collect();
            let parsed = toml::from_str::<RuleFile>(&text.join("\n"));
            let required = REQUIRED.iter().any(|field| field.key == *left_out);
            match parsed {
                Ok(_) => assert!(!required, "`{left_out}` is required by serde"),
                Err(error) => assert!(
                    required && error.message().contains(&format!("`{left_out}`")),
                    "{left_out}: {error}"
                ),
            }
        }
    }
}
