//! The text a map or key is compared by: its tokens after `&`, `*` and the methods that give
//! back the same value (`.clone()`, `.as_str()`…), for small expressions of simple shapes only,
//! so that building it is bounded.

use syn::{Expr, UnOp};

use super::MAX_NODES;

/// Methods that produce the same key or map as their receiver.
const SAME: &[&str] = &[
    "clone",
    "to_owned",
    "to_string",
    "as_str",
    "as_ref",
    "borrow",
    "into",
];

/// The text a map or key is compared by, when it is small and of a simple shape (paths, fields,
/// literals, calls and method calls of those).
pub(super) fn text(expr: &Expr) -> Option<String> {
    let mut out = String::new();
    let mut budget = MAX_NODES;
    write(expr, &mut out, &mut budget).then_some(out)
}

fn write(expr: &Expr, out: &mut String, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match expr {
        Expr::Reference(e) => write(&e.expr, out, budget),
        Expr::Paren(e) => write(&e.expr, out, budget),
        Expr::Group(e) => write(&e.expr, out, budget),
        Expr::Unary(e) if matches!(e.op, UnOp::Deref(_)) => write(&e.expr, out, budget),
        Expr::MethodCall(call) if call.args.is_empty() && SAME.iter().any(|m| call.method == m) => {
            write(&call.receiver, out, budget)
        }
        Expr::Path(path) if path.qself.is_none() => {
            for (i, segment) in path.path.segments.iter().enumerate() {
                if i > 0 {
                    out.push_str("::");
                }
                out.push_str(&segment.ident.to_string());
            }
            true
        }
        Expr::Lit(lit) => {
            out.push_str(&quote::ToTokens::to_token_stream(&lit.lit).to_string());
            true
        }
        Expr::Field(field) => {
            if !write(&field.base, out, budget) {
                return false;
            }
            out.push('.');
            match &field.member {
                syn::Member::Named(ident) => out.push_str(&ident.to_string()),
                syn::Member::Unnamed(index) => out.push_str(&index.index.to_string()),
            }
            true
        }
        Expr::MethodCall(call) => {
            if !write(&call.receiver, out, budget) {
                return false;
            }
            out.push('.');
            out.push_str(&call.method.to_string());
            arguments(call.args.iter(), out, budget)
        }
        Expr::Call(call) => {
            write(&call.func, out, budget) && arguments(call.args.iter(), out, budget)
        }
        Expr::Index(index) => {
            if !write(&index.expr, out, budget) {
                return false;
            }
            out.push('[');
            let ok = write(&index.index, out, budget);
            out.push(']');
            ok
        }
        _ => false,
    }
}

fn arguments<'a>(
    args: impl Iterator<Item = &'a Expr>,
    out: &mut String,
    budget: &mut usize,
) -> bool {
    out.push('(');
    for (i, arg) in args.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if !write(arg, out, budget) {
            return false;
        }
    }
    out.push(')');
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn keys_compare_by_tokens_after_references_and_copies() {
        assert_eq!(text(&expr("&self.map")), Some("self.map".to_owned()));
        assert_eq!(text(&expr("&k.clone()")), text(&expr("k")));
        assert_eq!(text(&expr("ids[0].name")), Some("ids[0].name".to_owned()));
        assert_eq!(text(&expr("|x| x")), None);
        let long = format!("a{}", ".b".repeat(40));
        assert_eq!(text(&expr(&long)), None);
    }
}
