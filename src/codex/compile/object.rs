//! Compiling rule objects: a `[match]` table with relational (`inside`, `has`…), composite
//! (`all`, `any`, `not`, `matches`) or constraint (`kind`, `regex`, `where`) keys, and every
//! table nested in one. Each mistake is a located error; a key that fails to compile is left
//! out, so that it causes no second error.

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::file::StopByFile;
use super::utils::Utils;
use super::{MatchFile, identifiers, path_patterns, pattern_error};
use crate::codex::load::{LoadError, TextFile};
use crate::codex::matcher::{
    Atomic, KIND_NAMES, Kind, KindTest, Relation, RuleObject, StopBy, TextRegex,
};
use crate::codex::pattern::Pattern;

/// Where a rule object is written, which decides the keys it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// `[match]` itself.
    Top,
    /// A relation's rule or `stop_by`.
    Relation,
    /// An element of `all` / `any`, or `not`.
    Composite,
    /// A utility rule.
    Util,
    /// `[match.where.NAME]`: tested on the bound code.
    Constraint,
}

/// What compiling the objects of one rule needs and collects.
pub(super) struct Context<'u> {
    /// The file being compiled.
    pub(super) file: TextFile,
    /// Utility rules.
    pub(super) utils: &'u mut Utils,
    /// Whether the object is below a `has` or a constraint, where ancestors are unknown.
    pub(super) below: bool,
    /// The names `[match.where]` constrains, with where each is written.
    pub(super) constrained: Vec<(String, Range<usize>, bool)>,
}

/// The keys a rule object may hold beyond the original matcher kinds.
pub(super) fn uses_object_keys(raw: &MatchFile) -> bool {
    raw.kind.is_some()
        || raw.regex.is_some()
        || raw.not_regex.is_some()
        || raw.inside.is_some()
        || raw.not_inside.is_some()
        || raw.has.is_some()
        || raw.not_has.is_some()
        || raw.all.is_some()
        || raw.any.is_some()
        || raw.not.is_some()
        || raw.matches.is_some()
        || raw.where_.is_some()
}

/// Compiles the rule object `raw`, written at `span` in `cx.file`.
pub(super) fn compile(
    cx: &mut Context<'_>,
    raw: MatchFile,
    span: Range<usize>,
    place: Place,
    errors: &mut Vec<LoadError>,
) -> RuleObject {
    let file = cx.file.clone();
    let before = errors.len();
    check_placement(&file, &raw, place, errors);
    let mut object = RuleObject {
        atomic: atomic(cx, &raw, errors),
        ..RuleObject::default()
    };
    if let Some(kind) = &raw.kind {
        object.kind = kind_test(&file, kind, errors);
    }
    object.regex = raw.regex.as_ref().and_then(|r| regex(&file, r, errors));
    object.not_regex = raw.not_regex.as_ref().and_then(|r| regex(&file, r, errors));
    object.inside = raw.inside.map(|rule| relation(cx, rule, "inside", errors));
    object.not_inside = raw
        .not_inside
        .map(|rule| relation(cx, rule, "not_inside", errors));
    object.has = raw.has.map(|rule| relation(cx, rule, "has", errors));
    object.not_has = raw
        .not_has
        .map(|rule| relation(cx, rule, "not_has", errors));
    composites(cx, &mut object, raw.all, raw.any, raw.not, errors);
    if let Some(name) = &raw.matches {
        object.matches = cx.utils.resolve(name, &file, cx.below, errors);
    }
    if let Some(constraints) = raw.where_ {
        for (name, rule) in constraints.into_inner() {
            let span = rule.span();
            let below = std::mem::replace(&mut cx.below, true);
            let only_text = rule.get_ref().only_text();
            let compiled = compile(
                cx,
                rule.into_inner(),
                span.clone(),
                Place::Constraint,
                errors,
            );
            cx.below = below;
            cx.constrained.push((name.clone(), span, only_text));
            object.constraints.push((name, compiled));
        }
    }
    if cx.below && (object.inside.is_some() || object.not_inside.is_some()) {
        errors.push(LoadError::invalid(
            &file,
            span.clone(),
            "`inside` and `not_inside` cannot be used within `has` or `[match.where]`: the \
             ancestors of a node found there are not known; move them to the enclosing rule"
                .to_owned(),
        ));
    }
    let empty = object == RuleObject::default();
    if empty && errors.len() == before && place != Place::Constraint {
        errors.push(LoadError::invalid(
            &file,
            span,
            "this rule object is empty: give it a `pattern`, `kind`, `inside`, `has`, `any`…"
                .to_owned(),
        ));
    }
    object
}

/// Reports the keys `raw` holds that do not belong where it is written.
fn check_placement(file: &TextFile, raw: &MatchFile, place: Place, errors: &mut Vec<LoadError>) {
    let invalid = |span: Range<usize>, message: String| LoadError::invalid(file, span, message);
    for (key, written) in [
        (
            "paths",
            raw.paths
                .as_ref()
                .and_then(|v| v.first())
                .map(Spanned::span),
        ),
        (
            "exclude_paths",
            raw.exclude_paths
                .as_ref()
                .and_then(|v| v.first())
                .map(Spanned::span),
        ),
        (
            "inside_fn",
            raw.inside_fn
                .as_ref()
                .and_then(|v| v.first())
                .map(Spanned::span),
        ),
        (
            "not_inside_fn",
            raw.not_inside_fn
                .as_ref()
                .and_then(|v| v.first())
                .map(Spanned::span),
        ),
    ] {
        if let (Some(at), false) = (written, place == Place::Top) {
            errors.push(invalid(
                at,
                format!("`{key}` applies to the whole rule: write it in `[match]` itself"),
            ));
        }
    }
    if let (Some(stop), false) = (&raw.stop_by, place == Place::Relation) {
        errors.push(invalid(
            stop.span(),
            "`stop_by` belongs in `inside`, `not_inside`, `has` or `not_has`".to_owned(),
        ));
    }
    for (key, written) in [
        ("index", raw.index.as_ref().map(Spanned::span)),
        ("before", raw.before.as_ref().map(Spanned::span)),
        ("validate", raw.validate.as_ref().map(Spanned::span)),
    ] {
        if let Some(at) = written {
            errors.push(invalid(
                at,
                format!(
                    "`{key}` stands alone in `[match]`; it cannot be combined with `inside`, \
                     `has`, `any`, `all`, `not`, `matches`, `kind`, `regex` or `where`"
                ),
            ));
        }
    }
}

/// Compiles `all`, `any` and `not` into `object`.
fn composites(
    cx: &mut Context<'_>,
    object: &mut RuleObject,
    all: Option<Spanned<Vec<Spanned<MatchFile>>>>,
    any: Option<Spanned<Vec<Spanned<MatchFile>>>>,
    not: Option<Spanned<Box<MatchFile>>>,
    errors: &mut Vec<LoadError>,
) {
    let (raw_all, raw_any, raw_not) = (all, any, not);
    for (key, list, target) in [
        ("all", raw_all, &mut object.all),
        ("any", raw_any, &mut object.any),
    ] {
        let Some(list) = list else { continue };
        if list.get_ref().is_empty() {
            errors.push(LoadError::invalid(
                &cx.file,
                list.span(),
                format!("`{key}` is empty: list rule objects, like `[{{ pattern = \"..\" }}]`"),
            ));
        }
        for element in list.into_inner() {
            let span = element.span();
            target.push(compile(
                cx,
                element.into_inner(),
                span,
                Place::Composite,
                errors,
            ));
        }
    }
    if let Some(not) = raw_not {
        let span = not.span();
        object.not = Some(Box::new(compile(
            cx,
            *not.into_inner(),
            span,
            Place::Composite,
            errors,
        )));
    }
}

/// The one key saying what the node is, if any.
fn atomic(cx: &mut Context<'_>, raw: &MatchFile, errors: &mut Vec<LoadError>) -> Option<Atomic> {
    let file = cx.file.clone();
    let mut written: Vec<(Range<usize>, Option<Atomic>)> = Vec::new();
    if let Some(names) = &raw.method {
        let names = super::names(names.clone());
        written.push((
            names.span(),
            Some(Atomic::Method(identifiers(&file, names, "method", errors))),
        ));
    }
    if let Some(names) = &raw.macro_ {
        let names = super::names(names.clone());
        written.push((
            names.span(),
            Some(Atomic::Macro(identifiers(&file, names, "macro", errors))),
        ));
    }
    if let Some(paths) = &raw.call {
        let paths = super::names(paths.clone());
        written.push((
            paths.span(),
            Some(Atomic::Call(path_patterns(&file, paths, false, errors))),
        ));
    }
    if let Some(pattern) = &raw.pattern {
        let compiled = match Pattern::parse(pattern.get_ref()) {
            Ok(compiled) => Some(Atomic::Pattern(compiled)),
            Err((offset, message)) => {
                errors.push(pattern_error(&file, pattern.span(), offset, message));
                None
            }
        };
        written.push((pattern.span(), compiled));
    }
    if let Some((extra, _)) = written.get(1) {
        errors.push(LoadError::invalid(
            &file,
            extra.clone(),
            "a rule object has one of `pattern`, `method`, `macro` or `call`; for several, \
             write `any = [{ .. }, { .. }]`",
        ));
    }
    written.into_iter().next().and_then(|(_, atomic)| atomic)
}

fn kind_test(
    file: &TextFile,
    kind: &Spanned<String>,
    errors: &mut Vec<LoadError>,
) -> Option<KindTest> {
    let text = kind.get_ref();
    let (negated, name) = match text.strip_prefix("not-") {
        Some(name) => (true, name),
        None => (false, text.as_str()),
    };
    if let Some(kind) = Kind::named(name) {
        return Some(KindTest { kind, negated });
    }
    let known: Vec<&str> = KIND_NAMES.iter().map(|(_, name, _)| *name).collect();
    errors.push(LoadError::invalid(
        file,
        kind.span(),
        format!(
            "unknown kind `{text}`: expected one of {} (or `not-` before one)",
            known.join(", ")
        ),
    ));
    None
}

fn regex(
    file: &TextFile,
    written: &Spanned<String>,
    errors: &mut Vec<LoadError>,
) -> Option<TextRegex> {
    match regex::Regex::new(written.get_ref()) {
        Ok(compiled) => Some(TextRegex(compiled)),
        Err(error) => {
            let detail = error.to_string();
            let last = detail.lines().last().unwrap_or("").trim().to_owned();
            errors.push(LoadError::invalid(
                file,
                written.span(),
                format!("invalid regular expression: {last}"),
            ));
            None
        }
    }
}

fn relation(
    cx: &mut Context<'_>,
    rule: Spanned<Box<MatchFile>>,
    key: &str,
    errors: &mut Vec<LoadError>,
) -> Relation {
    let span = rule.span();
    let mut raw = *rule.into_inner();
    let stop = raw.stop_by.take();
    let descends = key == "has" || key == "not_has";
    let below = cx.below;
    cx.below = below || descends;
    let compiled = compile(cx, raw, span.clone(), Place::Relation, errors);
    let stop_by = match stop.map(|stop| (stop.span(), stop.into_inner())) {
        None => StopBy::Neighbor,
        Some((_, StopByFile::Word(word))) if word == "neighbor" => StopBy::Neighbor,
        Some((_, StopByFile::Word(word))) if word == "end" => StopBy::End,
        Some((at, StopByFile::Word(word))) => {
            errors.push(LoadError::invalid(
                &cx.file,
                at,
                format!(
                    "unknown `stop_by` `{word}`: expected `\"neighbor\"` (the default), `\"end\"`, \
                     or a rule object"
                ),
            ));
            StopBy::Neighbor
        }
        Some((at, StopByFile::Rule(stop))) => {
            let stop = compile(cx, *stop, at.clone(), Place::Composite, errors);
            if !descends && stop.tags().is_none() {
                errors.push(LoadError::invalid(
                    &cx.file,
                    at,
                    "an `inside` stop rule must say what the node is: a `pattern`, `kind`, \
                     `method`, `macro` or `call`"
                        .to_owned(),
                ));
            }
            StopBy::Rule(Arc::new(stop))
        }
    };
    cx.below = below;
    if !descends && compiled.tags().is_none() && compiled != RuleObject::default() {
        errors.push(LoadError::invalid(
            &cx.file,
            span,
            format!(
                "`{key}` must say what the enclosing node is: a `pattern`, `kind`, `method`, \
                 `macro` or `call` (possibly in `any` / `all`)"
            ),
        ));
    }
    Relation {
        rule: Arc::new(compiled),
        stop_by,
    }
}
