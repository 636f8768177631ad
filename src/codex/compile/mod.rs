//! Compiling a rule's `[match]` table into a [`Matcher`] and its [`Narrowing`], with a located
//! error for every mistake. A table holding only one of the original matcher kinds compiles as
//! it always did; one with relational, composite or constraint keys is a rule object
//! ([`object`]), which may name utility rules ([`utils`]).

mod file;
mod fix;
mod object;
mod utils;
mod vars;

use std::ops::Range;
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml::Spanned;

use super::load::{LoadError, TextFile, is_identifier};
use super::matcher::{KINDS, kind_names};
use super::pattern::Pattern;
use super::{IndexKey, Matcher, Narrowing, PathPattern, ValidateSpec};
pub use file::MatchFile;
use file::{IndexFile, names};
pub use fix::FixFile;
pub(crate) use fix::fix;
pub use utils::Utils;
use vars::{check_constraints, matcher_vars};

/// Compiles `raw`; `span` is the `[match]` table's, for errors about the table as a whole.
/// `utils` are the Codex's utility rules, with the rule file's own set as local ones.
pub(super) fn compile(
    file: &TextFile,
    raw: MatchFile,
    span: Range<usize>,
    utils: &mut Utils,
    errors: &mut Vec<LoadError>,
) -> Option<(Matcher, Narrowing)> {
    let mut raw = raw;
    let narrowing = Narrowing {
        paths: globs(file, raw.paths.take(), errors),
        exclude_paths: globs(file, raw.exclude_paths.take(), errors),
        inside_fn: globs(file, raw.inside_fn.take(), errors),
        not_inside_fn: globs(file, raw.not_inside_fn.take(), errors),
    };
    if object::uses_object_keys(&raw) {
        let matcher = compile_object(file, raw, span, utils, errors)?;
        return Some((matcher, narrowing));
    }
    if let Some(stop) = &raw.stop_by {
        errors.push(LoadError::invalid(
            file,
            stop.span(),
            "`stop_by` belongs in `inside`, `not_inside`, `has` or `not_has`",
        ));
    }
    let mut chosen: Vec<(Matcher, Range<usize>)> = Vec::new();
    // A kind written but wrong is reported where it is written, and not again as missing.
    let mut written = false;
    if let Some(names) = raw.method.map(names) {
        written = true;
        let span = names.span();
        chosen.push((
            Matcher::Method(identifiers(file, names, "method", errors)),
            span,
        ));
    }
    if let Some(names) = raw.macro_.map(names) {
        written = true;
        let span = names.span();
        chosen.push((
            Matcher::Macro(identifiers(file, names, "macro", errors)),
            span,
        ));
    }
    if let Some(paths) = raw.call.map(names) {
        written = true;
        let span = paths.span();
        chosen.push((
            Matcher::Call(path_patterns(file, paths, false, errors)),
            span,
        ));
    }
    if let Some(index) = raw.index {
        written = true;
        let span = index.span();
        chosen.push((
            Matcher::Index(index_key(file, index.into_inner(), errors)),
            span,
        ));
    }
    if let Some(pattern) = raw.pattern {
        written = true;
        let span = pattern.span();
        match Pattern::parse(pattern.get_ref()) {
            Ok(compiled) => chosen.push((Matcher::Pattern(compiled), span)),
            Err((offset, message)) => errors.push(pattern_error(file, span, offset, message)),
        }
    }
    if let Some(before) = raw.before {
        written = true;
        let span = before.span();
        let before = before.into_inner();
        let trigger = path_patterns(file, before.trigger, true, errors);
        let required = path_patterns(file, before.required, true, errors);
        chosen.push((Matcher::Before { trigger, required }, span));
    }
    if let Some(validate) = raw.validate {
        written = true;
        let span = validate.span();
        let validate = validate.into_inner();
        let methods_span = validate
            .source_methods
            .first()
            .map_or(span.clone(), Spanned::span);
        let spec = ValidateSpec {
            sources: path_patterns(file, validate.sources, false, errors),
            source_methods: if validate.source_methods.is_empty() {
                Vec::new()
            } else {
                path_patterns(
                    file,
                    Spanned::new(methods_span, validate.source_methods),
                    false,
                    errors,
                )
            },
            validators: path_patterns(file, validate.validators, false, errors),
        };
        chosen.push((Matcher::Validate(spec), span));
    }
    let matcher = combine(file, chosen, written, span, errors)?;
    Some((matcher, narrowing))
}

/// The matcher of the kinds `chosen`: `method`, `macro` and `call` name what they match and may
/// be combined (`panic!` and `std::panic::panic_any`); every other kind stands alone. `written`:
/// a kind was written, though it failed to compile (and was reported where it is written).
fn combine(
    file: &TextFile,
    chosen: Vec<(Matcher, Range<usize>)>,
    written: bool,
    span: Range<usize>,
    errors: &mut Vec<LoadError>,
) -> Option<Matcher> {
    let named =
        |m: &Matcher| matches!(m, Matcher::Method(_) | Matcher::Macro(_) | Matcher::Call(_));
    if chosen.len() > 1 && chosen.iter().all(|(m, _)| named(m)) {
        return Some(Matcher::Either(
            chosen.into_iter().map(|(m, _)| m).collect(),
        ));
    }
    if let Some((_, extra)) = chosen.get(1) {
        errors.push(LoadError::invalid(file, extra.clone(), two_kinds()));
    }
    let Some((matcher, _)) = chosen.into_iter().next() else {
        if !written {
            errors.push(LoadError::invalid(file, span, no_kind()));
        }
        return None;
    };
    Some(matcher)
}

/// The error for a pattern that does not compile, at byte `offset` of the pattern, found in
/// the TOML string literal written at `span` (`offset` counts bytes of the decoded string).
fn pattern_error(file: &TextFile, span: Range<usize>, offset: usize, message: String) -> LoadError {
    let literal = file.text.get(span.clone()).unwrap_or("");
    let at = (span.start + raw_offset(literal, offset)).min(span.end);
    LoadError::invalid(file, at..at + 1, message)
}

/// Compiles a `[match]` table with relational, composite or constraint keys.
fn compile_object(
    file: &TextFile,
    raw: MatchFile,
    span: Range<usize>,
    utils: &mut Utils,
    errors: &mut Vec<LoadError>,
) -> Option<Matcher> {
    let before = errors.len();
    let mut cx = object::Context {
        file: file.clone(),
        utils,
        below: false,
        constrained: Vec::new(),
    };
    let compiled = object::compile(&mut cx, raw, span.clone(), object::Place::Top, errors);
    check_constraints(&cx, &compiled, errors);
    if errors.len() > before {
        return None;
    }
    if compiled.tags().is_none() {
        errors.push(LoadError::invalid(
            file,
            span,
            "`[match]` must say what the flagged node is: a `pattern`, `method`, `macro`, \
             `call` or `kind` (possibly inside `any` / `all`); `not`, `regex` and relations \
             only narrow it",
        ));
        return None;
    }
    Some(Matcher::Object(Arc::new(compiled)))
}

/// The error for a `[match]` with two kinds that cannot be combined.
fn two_kinds() -> String {
    format!(
        "a rule has one matcher kind ({}), or any of {}; split it into two rules",
        kind_names(KINDS.iter().filter(|kind| !kind.combines)),
        kind_names(KINDS.iter().filter(|kind| kind.combines)).replace(" or ", " and "),
    )
}

/// The error for a `[match]` with no kind.
fn no_kind() -> String {
    let examples: Vec<String> = KINDS
        .iter()
        .map(|kind| format!("`{}`", kind.example))
        .collect();
    format!(
        "`[match]` needs a matcher kind, one of: {}",
        examples.join(", ")
    )
}

pub(super) fn identifiers(
    file: &TextFile,
    names: Spanned<Vec<Spanned<String>>>,
    kind: &str,
    errors: &mut Vec<LoadError>,
) -> Vec<String> {
    let list_span = names.span();
    let written = names.get_ref().len();
    let names: Vec<String> = names
        .into_inner()
        .into_iter()
        .filter_map(|name| {
            let text = name.get_ref().strip_suffix('!').unwrap_or(name.get_ref());
            if is_identifier(text) {
                return Some(text.to_owned());
            }
            errors.push(LoadError::invalid(
                file,
                name.span(),
                format!(
                    "`{}` is not a {kind} name: write a bare identifier, like `unwrap`",
                    name.get_ref()
                ),
            ));
            None
        })
        .collect();
    if written == 0 {
        errors.push(LoadError::invalid(
            file,
            list_span,
            format!("`{kind}` must list at least one name"),
        ));
    }
    names
}

/// Path patterns; `Type.method` patterns only where `methods` allows them (`before` lists).
pub(super) fn path_patterns(
    file: &TextFile,
    paths: Spanned<Vec<Spanned<String>>>,
    methods: bool,
    errors: &mut Vec<LoadError>,
) -> Vec<PathPattern> {
    let list_span = paths.span();
    let written = paths.get_ref().len();
    let patterns: Vec<PathPattern> = paths
        .into_inner()
        .into_iter()
        .filter_map(|path| match PathPattern::parse(path.get_ref()) {
            Ok(pattern) if pattern.is_method() && !methods => {
                errors.push(LoadError::invalid(
                    file,
                    path.span(),
                    format!(
                        "`{}` names a method of a type; only `before` triggers and requirements take `Type.method`",
                        path.get_ref()
                    ),
                ));
                None
            }
            Ok(pattern) => Some(pattern),
            Err(reason) => {
                errors.push(LoadError::invalid(
                    file,
                    path.span(),
                    format!("invalid call path `{}`: {reason}", path.get_ref()),
                ));
                None
            }
        })
        .collect();
    if written == 0 {
        errors.push(LoadError::invalid(
            file,
            list_span,
            "`call` must list at least one path",
        ));
    }
    patterns
}

fn index_key(file: &TextFile, index: IndexFile, errors: &mut Vec<LoadError>) -> IndexKey {
    match index.key {
        None => IndexKey::Any,
        Some(key) if key.get_ref() == "any" => IndexKey::Any,
        Some(key) if key.get_ref() == "reference" => IndexKey::Reference,
        Some(key) => {
            errors.push(LoadError::invalid(
                file,
                key.span(),
                format!(
                    "unknown index key `{}`: expected `reference` (`map[&key]`) or `any`",
                    key.get_ref()
                ),
            ));
            IndexKey::Any
        }
    }
}

/// Compiles globs, each error located at its string.
pub(super) fn globs(
    file: &TextFile,
    globs: Option<Vec<Spanned<String>>>,
    errors: &mut Vec<LoadError>,
) -> Option<GlobSet> {
    let globs = globs?;
    let mut builder = GlobSetBuilder::new();
    for glob in &globs {
        match Glob::new(glob.get_ref()) {
            Ok(compiled) => {
                builder.add(compiled);
            }
            Err(error) => errors.push(LoadError::invalid(
                file,
                glob.span(),
                format!("invalid glob `{}`: {}", glob.get_ref(), error.kind()),
            )),
        }
    }
    builder.build().ok()
}

/// The byte offset in a TOML string literal (quotes included: `"…"`, `"""…"""`, `'…'` or
/// `'''…'''`) of byte `decoded` of the string it denotes, through escapes (`\u00e9`, `\n`…),
/// line-ending backslashes and the newline trimmed after an opening triple quote.
fn raw_offset(literal: &str, decoded: usize) -> usize {
    let (quote, basic) = if literal.starts_with("\"\"\"") {
        (3, true)
    } else if literal.starts_with("'''") {
        (3, false)
    } else {
        (1, literal.starts_with('"'))
    };
    let bytes = literal.as_bytes();
    let mut raw = quote;
    if quote == 3 {
        // A newline right after the opening delimiter is not part of the string.
        if bytes.get(raw) == Some(&b'\r') {
            raw += 1;
        }
        if bytes.get(raw) == Some(&b'\n') {
            raw += 1;
        }
    }
    let mut count = 0;
    while count < decoded && raw < bytes.len().saturating_sub(quote) {
        let byte = bytes.get(raw).copied().unwrap_or(0);
        if !(basic && byte == b'\\') {
            let width = literal
                .get(raw..)
                .and_then(|rest| rest.chars().next())
                .map_or(1, char::len_utf8);
            raw += width;
            count += width;
            continue;
        }
        let escape = bytes.get(raw + 1).copied().unwrap_or(0);
        let (raw_len, decoded_len) = match escape {
            b'u' | b'U' | b'x' => {
                let digits = match escape {
                    b'u' => 4,
                    b'U' => 8,
                    _ => 2,
                };
                let hex = literal.get(raw + 2..raw + 2 + digits).unwrap_or("");
                let width = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(1, char::len_utf8);
                (2 + digits, width)
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                // A line-ending backslash: it and the whitespace after it denote nothing.
                let skipped = bytes
                    .get(raw + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                (1 + skipped, 0)
            }
            _ => (2, 1),
        };
        raw += raw_len;
        count += decoded_len;
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `KINDS` is the list the docs and errors give: each of its examples compiles, and every
    /// key `[match]` accepts beside the narrowing ones is in it.
    #[test]
    fn the_listed_matcher_kinds_are_the_accepted_ones() {
        for kind in KINDS {
            let text = format!("{}\n", kind.example);
            let raw: MatchFile = toml::from_str(&text).unwrap();
            let mut errors = Vec::new();
            let compiled = compile(
                &TextFile::new("r.toml", text.as_str()),
                raw,
                0..0,
                &mut Utils::default(),
                &mut errors,
            );
            assert!(
                compiled.is_some() && errors.is_empty(),
                "{}: {errors:?}",
                kind.key
            );
        }
        let error = toml::from_str::<MatchFile>("no_such_kind = 1\n")
            .unwrap_err()
            .to_string();
        let (_, expected) = error.split_once("expected one of").unwrap();
        let narrowing = [
            "inside_fn",
            "not_inside_fn",
            "paths",
            "exclude_paths",
            "kind",
            "regex",
            "not_regex",
            "inside",
            "not_inside",
            "has",
            "not_has",
            "all",
            "any",
            "not",
            "matches",
            "where",
            "stop_by",
        ];
        let accepted: Vec<&str> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|key| !narrowing.contains(key))
            .collect();
        let listed: Vec<&str> = KINDS.iter().map(|kind| kind.key).collect();
        assert_eq!(accepted, listed);
    }

    #[test]
    fn decoded_offsets_map_through_escapes_and_delimiters() {
        // `$X.a(` then the error at decoded byte 5 (the second `(`).
        assert_eq!(raw_offset(r#""$X.a((""#, 5), 6);
        assert_eq!(raw_offset(r#""\u0024X.a((""#, 5), 11);
        assert_eq!(raw_offset("\"\"\"\n$X.a((\"\"\"", 5), 9);
        assert_eq!(raw_offset("'''\n$X.a(('''", 5), 9);
        assert_eq!(
            raw_offset("'$X\\a(('", 5),
            6,
            "no escapes in literal strings"
        );
        assert_eq!(
            raw_offset("\"\"\"$X \\\n   .a((\"\"\"", 6),
            14,
            "a line-ending backslash"
        );
        assert_eq!(raw_offset(r#""\u00e9.a((""#, 6), 11, "é is two bytes");
    }
}
