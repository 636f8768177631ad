//! Syntax shapes the flow walk recognises: methods a value passes through, patterns and the
//! names they bind, branches that reject, and the identifiers a format string captures.

use std::ops::Range;

use syn::{Block, Expr, Pat, Stmt};

/// Methods a source's `Result`/`Option` passes through on its way to a binding: the value they
/// return is the source's value (or its fallback).
const PASS_THROUGH: &[&str] = &[
    "ok",
    "map_err",
    "context",
    "with_context",
    "ok_or",
    "ok_or_else",
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "as_ref",
    "as_deref",
];

/// Methods whose last argument, a closure, receives the value (`.map(|v| ..)`).
const VALUE_CLOSURE: &[&str] = &[
    "map",
    "and_then",
    "inspect",
    "is_ok_and",
    "is_some_and",
    "map_or",
    "map_or_else",
    "filter",
];

/// Methods that only ask whether there is a value: neither a use nor a validation.
const TESTS: &[&str] = &["is_ok", "is_err", "is_some", "is_none"];

/// Methods that keep the error and drop the value.
const ERRORS: &[&str] = &["err", "unwrap_err", "expect_err"];

/// Macros whose first argument is a condition that rejects the input when false.
const ENSURE: &[&str] = &["ensure"];

/// Macros that return an error.
const BAIL: &[&str] = &["bail"];

/// How a method call treats its receiver's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    /// The call's value is the receiver's.
    PassThrough,
    /// Its last argument, a closure or a function, receives the value.
    Closure,
    /// It only tests whether there is a value.
    Test,
    /// It keeps the error, not the value.
    Error,
    /// Anything else.
    Other,
}

impl Method {
    pub(super) fn of(name: &str) -> Self {
        if PASS_THROUGH.contains(&name) {
            Method::PassThrough
        } else if VALUE_CLOSURE.contains(&name) {
            Method::Closure
        } else if TESTS.contains(&name) {
            Method::Test
        } else if ERRORS.contains(&name) {
            Method::Error
        } else {
            Method::Other
        }
    }
}

/// Whether a macro named `name` checks a condition and rejects the input when it fails.
pub(super) fn is_ensure(name: &str) -> bool {
    ENSURE.contains(&name)
}

/// The names a pattern binds (`(a, b)`, `C { x, .. }`, `Ok(v)`, `ref mut v @ ..`; the first
/// case of an or-pattern). Capitalised identifiers are constants or unit variants.
pub(super) fn bound_names(pat: &Pat, names: &mut Vec<String>) {
    match pat {
        Pat::Ident(ident) => {
            let name = ident.ident.to_string();
            if !name.starts_with(|c: char| c.is_uppercase()) {
                names.push(name);
            }
            if let Some((_, sub)) = &ident.subpat {
                bound_names(sub, names);
            }
        }
        Pat::Or(or) => {
            if let Some(first) = or.cases.first() {
                bound_names(first, names);
            }
        }
        Pat::Paren(p) => bound_names(&p.pat, names),
        Pat::Reference(r) => bound_names(&r.pat, names),
        Pat::Slice(s) => s.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| bound_names(&f.pat, names)),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::Type(t) => bound_names(&t.pat, names),
        Pat::Guard(g) => bound_names(&g.pat, names),
        _ => {}
    }
}

/// What a pattern over a `Result`/`Option` does with the value: `Some(inner)` when it is
/// `Ok(inner)` or `Some(inner)`, `None` when it is `Err(..)`, `None` or `_` (no value), and
/// `Err(())` when it is not a `Result`/`Option` pattern.
pub(super) fn value_pattern(pat: &Pat) -> Result<Option<&Pat>, ()> {
    match pat {
        Pat::Paren(p) => value_pattern(&p.pat),
        Pat::Guard(g) => value_pattern(&g.pat),
        Pat::Wild(_) => Ok(None),
        Pat::Ident(ident) if ident.ident == "None" => Ok(None),
        Pat::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "None") => Ok(None),
        Pat::TupleStruct(t) => {
            let Some(last) = t.path.segments.last() else {
                return Err(());
            };
            if last.ident == "Ok" || last.ident == "Some" {
                Ok(t.elems.first())
            } else if last.ident == "Err" {
                Ok(None)
            } else {
                Err(())
            }
        }
        _ => Err(()),
    }
}

/// Whether a pattern is `Ok(..)`, `Some(..)`, `Err(..)` or `None`: it looks into a
/// `Result`/`Option` rather than at the value.
pub(super) fn is_wrapper_pattern(pat: &Pat) -> bool {
    value_pattern(pat).is_ok() && !matches!(pat, Pat::Wild(_))
}

/// Whether `arm` is `Ok(v) => v` (or `Some(v) => v`): it hands the value on unchanged.
pub(super) fn yields_value(pat: &Pat, body: &Expr) -> bool {
    let Ok(Some(Pat::Ident(inner))) = value_pattern(pat) else {
        return false;
    };
    matches!(body, Expr::Path(p) if p.qself.is_none() && p.path.is_ident(&inner.ident))
}

/// Whether a branch rejects: it returns, breaks or continues, returns an error (`Err(..)?`,
/// `bail!(..)`, a tail `Err(..)`).
pub(super) fn rejects(block: &Block) -> bool {
    let last = block.stmts.len().saturating_sub(1);
    block.stmts.iter().enumerate().any(|(i, stmt)| match stmt {
        Stmt::Expr(expr, semi) => {
            rejecting_expr(expr) || (i == last && semi.is_none() && is_err_call(expr))
        }
        Stmt::Macro(mac) => is_bail(&mac.mac),
        _ => false,
    })
}

fn rejecting_expr(expr: &Expr) -> bool {
    match expr {
        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
        Expr::Try(t) => is_err_call(&t.expr),
        Expr::Macro(m) => is_bail(&m.mac),
        _ => false,
    }
}

fn is_err_call(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if matches!(&*call.func, Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "Err")))
}

fn is_bail(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|s| BAIL.iter().any(|name| s.ident == name))
}

/// The bytes of the first token of `expr` when it is easy to find (a path, a field access, a
/// method call's receiver, an index): where an assignment stores a value.
pub(super) fn first_token(mut expr: &Expr) -> Option<Range<usize>> {
    loop {
        expr = match expr {
            Expr::Field(e) => &e.base,
            Expr::Index(e) => &e.expr,
            Expr::MethodCall(e) => &e.receiver,
            Expr::Paren(e) => &e.expr,
            Expr::Path(e) => return e.path.segments.first().map(|s| s.ident.span().byte_range()),
            Expr::Unary(e) => {
                return Some(match e.op {
                    syn::UnOp::Deref(t) => t.span.byte_range(),
                    syn::UnOp::Not(t) => t.span.byte_range(),
                    syn::UnOp::Neg(t) => t.span.byte_range(),
                    _ => return None,
                });
            }
            _ => return None,
        };
    }
}

/// The identifiers a format string literal captures (`{name}`, `{name:?}`, `{:width$}`), with
/// their bytes in the file; `text` is the literal as written, starting at byte `start`.
pub(super) fn format_captures(text: &str, start: usize) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'{') {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'{') {
            i += 2;
            continue;
        }
        // One `{ .. }` placeholder: its argument, then its spec up to `}`.
        let mut j = i + 1;
        let mut in_spec = false;
        while let Some(&b) = bytes.get(j) {
            if b == b'}' || b == b'"' {
                break;
            }
            if b == b':' {
                in_spec = true;
                j += 1;
                continue;
            }
            if is_ident_start(b) {
                let begin = j;
                while bytes.get(j).is_some_and(|&c| is_ident_byte(c)) {
                    j += 1;
                }
                let argument = !in_spec && begin == i + 1;
                let count = in_spec && bytes.get(j) == Some(&b'$');
                if (argument || count)
                    && let Some(name) = text.get(begin..j)
                {
                    found.push((name.to_owned(), start + begin..start + j));
                }
                continue;
            }
            j += 1;
        }
        i = j + 1;
    }
    found
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        format_captures(text, 0)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn format_strings_capture_arguments_and_counts() {
        assert_eq!(names(r#""{c:?} and {d}""#), ["c", "d"]);
        assert_eq!(names(r#""{{c}} {0} {:?} {x:>w$.p$}""#), ["x", "w", "p"]);
        assert_eq!(names(r#""{} {:x}""#), Vec::<String>::new());
        assert_eq!(
            format_captures(r#""a {cfg}""#, 10),
            [("cfg".to_owned(), 14..17)]
        );
    }

    #[test]
    fn patterns_bind_names() {
        let pat: Pat = syn::parse::Parser::parse_str(
            Pat::parse_single,
            "(a, C { x, y: ref z, .. }, [p, ..], None, Ok(v))",
        )
        .unwrap();
        let mut found = Vec::new();
        bound_names(&pat, &mut found);
        assert_eq!(found, ["a", "x", "z", "p", "v"]);
    }
}
