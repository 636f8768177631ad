//! Review rule files: a rule file with `kind = "review"`, deserialized (`ReviewFile`), checked
//! field by field and compiled into a [`ReviewRule`]; its `[match]` table goes through the same
//! compiler as a finding rule's.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{LoadError, Overrides, Sources, TextFile, is_kebab, is_rule_code, stem};
use crate::codex::review::{CodeSelector, KIND, ReviewRule, Selector, Within};
use crate::codex::{Incident, Scope, compile};

/// A review rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewFile {
    /// Read by `kind_of`; declared so that it is a known field.
    #[serde(rename = "kind")]
    _kind: String,
    id: Spanned<String>,
    title: String,
    check: Spanned<String>,
    bad: Spanned<String>,
    good: Spanned<String>,
    #[serde(default)]
    incidents: Vec<Spanned<String>>,
    #[serde(default)]
    doc: String,
    url: Option<String>,
    paths: Option<Vec<Spanned<String>>>,
    exclude_paths: Option<Vec<Spanned<String>>>,
    within: Option<Spanned<String>>,
    scopes: Option<Spanned<Vec<Scope>>>,
    #[serde(rename = "match")]
    matcher: Option<Spanned<compile::MatchFile>>,
}

/// Only the `kind` of a rule file, read before the rest.
#[derive(Debug, Deserialize)]
struct KindOnly {
    kind: Option<Spanned<String>>,
}

/// What `kind` a rule file declares: `None` for a finding rule (no `kind`), `Some(Ok(()))` for
/// a review rule, an error for any other value. A file that is not TOML is left to the finding
/// rule parser, which reports it.
fn kind_of(file: &TextFile) -> Option<Result<(), Vec<LoadError>>> {
    let declared: KindOnly = toml::from_str(&file.text).ok()?;
    validate_kind(file, declared)
}

/// Whether the `kind` a rule file declares is one this version knows.
fn validate_kind(file: &TextFile, declared: KindOnly) -> Option<Result<(), Vec<LoadError>>> {
    let written = declared.kind?;
    if written.get_ref() == KIND {
        return Some(Ok(()));
    }
    Some(Err(vec![LoadError::invalid(
        file,
        written.span(),
        format!(
            "unknown rule kind `{}`: the one kind is `review` (a rule only a reviewer can \
             check); a rule without `kind` reports findings",
            written.get_ref()
        ),
    )]))
}

/// A review rule and where its code is written.
pub(super) type Loaded = (ReviewRule, Range<usize>);

/// The review rule of `file` (read from disk at `disk` when it was), with where its code is
/// written; `None` when `file` declares no `kind`, so is a finding rule.
pub(super) fn load(
    file: &TextFile,
    disk: Option<&std::path::Path>,
    sources: &Sources,
    incidents: &[Incident],
) -> Option<Result<Loaded, Vec<LoadError>>> {
    let loaded = kind_of(file)?.and_then(|()| parse(file, sources, incidents));
    Some(loaded.map(|(mut rule, id_span)| {
        rule.file = disk.map(std::path::Path::to_path_buf);
        (rule, id_span)
    }))
}

/// A review rule file, read and checked, with where its code is written.
fn parse(
    file: &TextFile,
    sources: &Sources,
    incidents: &[Incident],
) -> Result<Loaded, Vec<LoadError>> {
    let raw: ReviewFile =
        toml::from_str(&file.text).map_err(|e| vec![LoadError::from_toml(file, &e)])?;
    let mut errors = Vec::new();
    validate_fields(file, &raw, incidents, &mut errors);
    let name = stem(&file.path).to_owned();
    if !is_kebab(&name) {
        errors.push(LoadError::invalid(
            file,
            0..0,
            format!(
                "rule file name `{name}` must be kebab-case, like `config-without-fallback.toml`"
            ),
        ));
    }
    let id_span = raw.id.span();
    let id = raw.id.get_ref().clone();
    let globs: Vec<String> = raw
        .paths
        .iter()
        .flatten()
        .map(|glob| glob.get_ref().clone())
        .chain(
            raw.exclude_paths
                .iter()
                .flatten()
                .map(|glob| format!("!{}", glob.get_ref())),
        )
        .collect();
    let paths = compile::globs(file, raw.paths, &mut errors);
    let exclude_paths = compile::globs(file, raw.exclude_paths, &mut errors);
    let code = code_selector(file, raw.matcher, raw.within, raw.scopes, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let url = Some(super::rule_url(raw.url, sources, file, &id, &name));
    let rule = ReviewRule {
        id,
        name,
        title: raw.title,
        check: raw.check.into_inner().trim().to_owned(),
        bad: raw.bad.into_inner(),
        good: raw.good.into_inner(),
        incidents: raw.incidents.into_iter().map(Spanned::into_inner).collect(),
        doc: raw.doc,
        selector: Selector {
            paths,
            exclude_paths,
            globs,
            code,
        },
        origin: file.path.clone(),
        file: None,
        url,
    };
    Ok((rule, id_span))
}

/// The code selector of `[match]`, `within` and `scopes`; the last two need the first.
fn code_selector(
    file: &TextFile,
    matcher: Option<Spanned<compile::MatchFile>>,
    within: Option<Spanned<String>>,
    scopes: Option<Spanned<Vec<Scope>>>,
    errors: &mut Vec<LoadError>,
) -> Option<CodeSelector> {
    let Some(matcher) = matcher else {
        for (span, key) in [
            (within.map(|w| w.span()), "within"),
            (scopes.map(|s| s.span()), "scopes"),
        ] {
            if let Some(span) = span {
                errors.push(LoadError::invalid(
                    file,
                    span,
                    format!(
                        "`{key}` narrows where a `[match]` counts, and this review rule has no \
                         `[match]`: add one, or remove `{key}`"
                    ),
                ));
            }
        }
        return None;
    };
    let within = match within {
        None => Within::default(),
        Some(written) => Within::parse(written.get_ref()).unwrap_or_else(|| {
            errors.push(LoadError::invalid(
                file,
                written.span(),
                format!(
                    "unknown `within` value `{}`: expected `change` (a match on a changed line), \
                     `function` (in the function enclosing the change) or `file`",
                    written.get_ref()
                ),
            ));
            Within::default()
        }),
    };
    let scopes = match scopes {
        None => vec![Scope::Prod],
        Some(scopes) if scopes.get_ref().is_empty() => {
            errors.push(LoadError::invalid(
                file,
                scopes.span(),
                "`scopes` must name at least one scope",
            ));
            Vec::new()
        }
        Some(scopes) => scopes.into_inner(),
    };
    let span = matcher.span();
    // Utility rules (docs/rules.md) are the rule files'; a review selector has none.
    let utils = &mut compile::Utils::default();
    let (matcher, narrowing) = compile::compile(file, matcher.into_inner(), span, utils, errors)?;
    Some(CodeSelector {
        matcher,
        narrowing,
        scopes,
        within,
    })
}

/// Checks what serde cannot: code shape, incidents, non-empty check and examples.
fn validate_fields(
    file: &TextFile,
    raw: &ReviewFile,
    incidents: &[Incident],
    errors: &mut Vec<LoadError>,
) {
    let id = raw.id.get_ref();
    if !is_rule_code(id) {
        errors.push(LoadError::invalid(
            file,
            raw.id.span(),
            format!("rule code `{id}` must be upper-case letters then digits, like `CX0101`"),
        ));
    } else if id.starts_with("CX9") {
        errors.push(LoadError::invalid(
            file,
            raw.id.span(),
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
    for (field, key, what) in [
        (
            &raw.check,
            "check",
            "what a reviewer checks, in plain language",
        ),
        (&raw.bad, "bad", "code that fails the check"),
        (&raw.good, "good", "code that passes it"),
    ] {
        if field.get_ref().trim().is_empty() {
            errors.push(LoadError::invalid(
                file,
                field.span(),
                format!("`{key}` must not be empty: write {what}"),
            ));
        }
    }
}

/// Applies `codex.toml`'s settings for review rules: `enabled = false` removes one; a stage,
/// severity, scopes or `enforce_paths` is an error, since a review rule reports nothing. The
/// settings for other rules are returned, for the finding rules.
pub(super) fn apply_overrides(
    review: &mut Vec<ReviewRule>,
    overrides: &Overrides,
    errors: &mut Vec<LoadError>,
) -> Overrides {
    let mut rest = Overrides::default();
    for change in &overrides.rules {
        let Some(index) = review
            .iter()
            .position(|rule| rule.id == change.code || rule.name == change.code)
        else {
            rest.rules.push(change.clone());
            continue;
        };
        let reports = change.stage.is_some()
            || change.severity.is_some()
            || change.scopes.is_some()
            || change.enforce_paths.is_some();
        if reports {
            errors.push(LoadError::invalid(
                &change.file,
                change.span.clone(),
                format!(
                    "{} is a review rule: it reports no findings, so only `enabled` applies to it",
                    change.code
                ),
            ));
        }
        if change.enabled == Some(false) {
            review.remove(index);
        }
    }
    rest
}
