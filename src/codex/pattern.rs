//! `pattern` rules: a Rust expression with metavariables (`$X.lock().unwrap()`,
//! `std::mem::forget($X)`, `$A as u8`, `$M.insert($...ARGS)`), compiled once into a [`Node`]
//! tree that the walk compares with expressions structurally. `$X` binds any expression (the
//! same name twice must bind the same code); `$...ARGS` binds any run of arguments.

use quote::ToTokens;
use syn::Expr;

use crate::source::depth;

/// Deepest pattern accepted: far beyond any pattern a person writes, and shallow enough to
/// compile on the main thread's stack.
pub const MAX_DEPTH: usize = 32;

const ANY: &str = "__codex_mv_";
const REST: &str = "__codex_rest_";

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written.
    pub source: String,
    /// Its tree.
    pub root: Node,
}

/// What a pattern's root is, which decides where findings point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// A method call: the finding is on the method name.
    Method(String),
    /// A function call: on the function's last path segment.
    Call(String),
    /// A macro invocation: on the macro name.
    Macro(String),
    /// A cast: on `as`.
    Cast,
}

/// One node of a pattern.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `$X`: any expression.
    Any(String),
    /// `$...ARGS`: any run of arguments (only inside argument lists).
    Rest(String),
    MethodCall {
        receiver: Box<Node>,
        method: String,
        args: Vec<Node>,
    },
    Call {
        func: Box<Node>,
        args: Vec<Node>,
    },
    Path(Vec<String>),
    Field {
        base: Box<Node>,
        member: String,
    },
    Cast {
        expr: Box<Node>,
        ty: String,
    },
    Reference {
        mutable: bool,
        expr: Box<Node>,
    },
    Unary {
        op: String,
        expr: Box<Node>,
    },
    Binary {
        left: Box<Node>,
        op: String,
        right: Box<Node>,
    },
    Index {
        expr: Box<Node>,
        index: Box<Node>,
    },
    Try(Box<Node>),
    Await(Box<Node>),
    /// A macro: its path, and its tokens unless they hold a metavariable (then any tokens).
    Macro {
        path: Vec<String>,
        tokens: Option<String>,
    },
    /// Anything else (a literal, a block, a closure…), compared as tokens, with expressions
    /// of the same kind only (so a candidate is printed only when it may match).
    Other {
        kind: std::mem::Discriminant<Expr>,
        tokens: String,
    },
}

impl Pattern {
    /// Compiles `source`.
    ///
    /// # Errors
    ///
    /// The byte offset in `source` and what is wrong, when it does not parse as an expression
    /// or its root is not a method call, function call, macro or cast.
    pub fn parse(source: &str) -> Result<Self, (usize, String)> {
        let (text, map) = substitute(source);
        // Patterns are compiled and matched recursively: bound their depth first, as the
        // engine does for source items. Text that does not lex is left to syn's error.
        if let Ok(stream) = text.parse::<proc_macro2::TokenStream>()
            && depth::stream_depth_units(&stream, MAX_DEPTH) > MAX_DEPTH
        {
            return Err((
                0,
                format!("pattern nests more than {MAX_DEPTH} levels deep; simplify it"),
            ));
        }
        let expr: Expr = syn::parse_str(&text).map_err(|error| {
            let at = error.span().byte_range().start;
            (
                original_offset(&map, at),
                format!("pattern does not parse as a Rust expression: {error}"),
            )
        })?;
        let pattern = Pattern {
            source: source.to_owned(),
            root: node(&expr),
        };
        if pattern.anchor().is_none() {
            return Err((
                0,
                "a pattern must be a method call, a function call, a macro or a cast".to_owned(),
            ));
        }
        Ok(pattern)
    }

    /// Where findings point, and the word every match contains.
    pub fn anchor(&self) -> Option<Anchor> {
        match &self.root {
            Node::MethodCall { method, .. } => Some(Anchor::Method(method.clone())),
            Node::Call { func, .. } => match func.as_ref() {
                Node::Path(segments) => segments.last().map(|last| Anchor::Call(last.clone())),
                _ => None,
            },
            Node::Macro { path, .. } => path.last().map(|last| Anchor::Macro(last.clone())),
            Node::Cast { .. } => Some(Anchor::Cast),
            _ => None,
        }
    }
}

/// Replaces `$...NAME` and `$NAME` with identifiers syn accepts; returns the text and, for each
/// replacement, (offset in the new text, offset in the original).
fn substitute(source: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(source.len() + 32);
    let mut map = vec![(0, 0)];
    let mut rest = source;
    let mut consumed = 0;
    while let Some(at) = rest.find('$') {
        text.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (prefix, after, skip) = match after.strip_prefix("...") {
            Some(name) => (REST, name, 4),
            None => (ANY, after, 1),
        };
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        text.push_str(prefix);
        text.push_str(&after[..name_len]);
        consumed += at + skip + name_len;
        map.push((text.len(), consumed));
        rest = &after[name_len..];
    }
    text.push_str(rest);
    (text, map)
}

fn original_offset(map: &[(usize, usize)], at: usize) -> usize {
    let (new, old) = map
        .iter()
        .rev()
        .find(|(new, _)| *new <= at)
        .copied()
        .unwrap_or((0, 0));
    old + (at - new)
}

/// The identifiers of a path, without a leading `::` or generic arguments.
pub(crate) fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn tokens(value: &impl ToTokens) -> String {
    value.to_token_stream().to_string()
}

fn node(expr: &Expr) -> Node {
    let boxed = |e: &Expr| Box::new(node(e));
    match expr {
        Expr::Path(path) if path.qself.is_none() => {
            let segments: Vec<String> = segments(&path.path);
            if let [only] = segments.as_slice() {
                if let Some(name) = only.strip_prefix(ANY) {
                    return Node::Any(name.to_owned());
                }
                if let Some(name) = only.strip_prefix(REST) {
                    return Node::Rest(name.to_owned());
                }
            }
            Node::Path(segments)
        }
        Expr::MethodCall(call) => Node::MethodCall {
            receiver: boxed(&call.receiver),
            method: call.method.to_string(),
            args: call.args.iter().map(node).collect(),
        },
        Expr::Call(call) => Node::Call {
            func: boxed(&call.func),
            args: call.args.iter().map(node).collect(),
        },
        Expr::Field(field) => Node::Field {
            base: boxed(&field.base),
            member: tokens(&field.member),
        },
        Expr::Cast(cast) => Node::Cast {
            expr: boxed(&cast.expr),
            ty: tokens(&cast.ty),
        },
        Expr::Reference(r) => Node::Reference {
            mutable: r.mutability.is_some(),
            expr: boxed(&r.expr),
        },
        Expr::Unary(u) => Node::Unary {
            op: tokens(&u.op),
            expr: boxed(&u.expr),
        },
        Expr::Binary(b) => Node::Binary {
            left: boxed(&b.left),
            op: tokens(&b.op),
            right: boxed(&b.right),
        },
        Expr::Index(i) => Node::Index {
            expr: boxed(&i.expr),
            index: boxed(&i.index),
        },
        Expr::Try(t) => Node::Try(boxed(&t.expr)),
        Expr::Await(a) => Node::Await(boxed(&a.base)),
        Expr::Paren(p) => node(&p.expr),
        Expr::Group(g) => node(&g.expr),
        Expr::Macro(m) => {
            let body = m.mac.tokens.to_string();
            Node::Macro {
                path: m
                    .mac
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect(),
                tokens: (!body.contains(ANY) && !body.contains(REST)).then_some(body),
            }
        }
        other => Node::Other {
            kind: std::mem::discriminant(other),
            tokens: tokens(other),
        },
    }
}

/// Compares patterns with expressions, binding metavariables to the expressions themselves
/// (never to printed copies: binding is constant time, whatever the size of the expression).
pub struct Matching<'a, 'e> {
    resolve: &'a dyn Fn(&[String]) -> Vec<Vec<String>>,
    bound: Vec<(&'a str, &'e Expr)>,
}

impl<'a, 'e> Matching<'a, 'e> {
    /// A matcher resolving paths with `resolve` (the file's imports).
    pub fn new(resolve: &'a dyn Fn(&[String]) -> Vec<Vec<String>>) -> Self {
        Matching {
            resolve,
            bound: Vec::new(),
        }
    }

    /// Whether `expr` matches the pattern `root`.
    pub fn matches(&mut self, root: &'a Node, expr: &'e Expr) -> bool {
        self.bound.clear();
        self.node(root, expr)
    }

    /// Whether the macro invocation `mac` matches a pattern whose root is a macro.
    pub fn matches_macro(root: &Node, mac: &syn::Macro) -> bool {
        let Node::Macro { path, tokens: body } = root else {
            return false;
        };
        mac.path
            .segments
            .last()
            .is_some_and(|last| path.last().is_some_and(|p| last.ident == p))
            && body
                .as_ref()
                .is_none_or(|body| *body == mac.tokens.to_string())
    }

    fn node(&mut self, node: &'a Node, expr: &'e Expr) -> bool {
        let expr = strip(expr);
        match (node, expr) {
            (Node::Any(name), _) => self.bind(name, expr),
            (
                Node::MethodCall {
                    receiver,
                    method,
                    args,
                },
                Expr::MethodCall(call),
            ) => {
                call.method == method
                    && self.node(receiver, &call.receiver)
                    && self.args(args, call.args.iter())
            }
            (Node::Call { func, args }, Expr::Call(call)) => {
                self.node(func, &call.func) && self.args(args, call.args.iter())
            }
            (Node::Path(segments), Expr::Path(path)) if path.qself.is_none() => {
                let written: Vec<String> = crate::codex::pattern::segments(&path.path);
                if let [only] = segments.as_slice() {
                    return written.last() == Some(only);
                }
                written == *segments || (self.resolve)(&written).iter().any(|full| full == segments)
            }
            (Node::Field { base, member }, Expr::Field(field)) => {
                *member == tokens(&field.member) && self.node(base, &field.base)
            }
            (Node::Cast { expr: inner, ty }, Expr::Cast(cast)) => {
                *ty == tokens(&cast.ty) && self.node(inner, &cast.expr)
            }
            (
                Node::Reference {
                    mutable,
                    expr: inner,
                },
                Expr::Reference(r),
            ) => *mutable == r.mutability.is_some() && self.node(inner, &r.expr),
            (Node::Unary { op, expr: inner }, Expr::Unary(u)) => {
                *op == tokens(&u.op) && self.node(inner, &u.expr)
            }
            (Node::Binary { left, op, right }, Expr::Binary(b)) => {
                *op == tokens(&b.op) && self.node(left, &b.left) && self.node(right, &b.right)
            }
            (Node::Index { expr: inner, index }, Expr::Index(i)) => {
                self.node(inner, &i.expr) && self.node(index, &i.index)
            }
            (Node::Try(inner), Expr::Try(t)) => self.node(inner, &t.expr),
            (Node::Await(inner), Expr::Await(a)) => self.node(inner, &a.base),
            (Node::Macro { .. }, Expr::Macro(m)) => Self::matches_macro(node, &m.mac),
            (Node::Other { kind, tokens: text }, _) => {
                *kind == std::mem::discriminant(expr) && *text == tokens(expr)
            }
            _ => false,
        }
    }

    fn args(&mut self, pattern: &'a [Node], args: impl Iterator<Item = &'e Expr>) -> bool {
        let args: Vec<&Expr> = args.collect();
        let mut i = 0;
        for (p, node) in pattern.iter().enumerate() {
            if let Node::Rest(_) = node {
                // The rest of the pattern must match the end of the arguments.
                let tail = &pattern[p + 1..];
                let Some(start) = args.len().checked_sub(tail.len()).filter(|s| *s >= i) else {
                    return false;
                };
                return tail
                    .iter()
                    .zip(&args[start..])
                    .all(|(n, e)| self.node(n, e));
            }
            let Some(arg) = args.get(i) else { return false };
            if !self.node(node, arg) {
                return false;
            }
            i += 1;
        }
        i == args.len()
    }

    fn bind(&mut self, name: &'a str, expr: &'e Expr) -> bool {
        if let Some((_, earlier)) = self.bound.iter().find(|(bound, _)| *bound == name) {
            // Structural equality, spans and parentheses aside; it stops at the first
            // difference, so comparing a long receiver with a short argument is quick.
            return strip(earlier) == strip(expr);
        }
        self.bound.push((name, expr));
        true
    }
}

fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, code: &str) -> bool {
        let pattern = Pattern::parse(pattern).unwrap();
        let expr: Expr = syn::parse_str(code).unwrap();
        let resolve = |path: &[String]| vec![path.to_vec()];
        Matching::new(&resolve).matches(&pattern.root, &expr)
    }

    #[test]
    fn metavariables_and_structure() {
        assert!(matches("$X.lock().unwrap()", "self.state.lock().unwrap()"));
        assert!(!matches("$X.lock().unwrap()", "self.state.read().unwrap()"));
        assert!(matches("std::mem::forget($X)", "std::mem::forget(guard)"));
        assert!(matches("$A as u8", "(len + 1) as u8"));
        assert!(!matches("$A as u8", "len as u16"));
        assert!(matches("$M.insert($...ARGS)", "map.insert(k, v)"));
        assert!(matches("$M.insert($...ARGS)", "set.insert()"));
        assert!(matches("$X.max($X)", "a.b.max(a.b)"));
        assert!(matches("$X.max($X)", "(a . b).max(a.b)"));
        assert!(!matches("$X.max($X)", "a.max(b)"));
    }

    #[test]
    fn errors_point_into_the_pattern() {
        let (at, message) = Pattern::parse("$X.lock(.unwrap()").unwrap_err();
        assert_eq!(at, 7, "the caret points at the group that does not parse");
        assert!(message.contains("does not parse"));
        assert!(Pattern::parse("$X + 1").is_err());
        let deep = format!("f({}$X{})", "(".repeat(2_600), ")".repeat(2_600));
        assert!(Pattern::parse(&deep).unwrap_err().1.contains("levels deep"));
    }
}
