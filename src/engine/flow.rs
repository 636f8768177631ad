//! `validate` rules, within one function: a value produced by a *source* (a deserializer, a
//! response body) must reach a *validator* before any other use.
//!
//! A value is bound from a source by `let v = source(..)?;` (through `?`, `.ok()`, `.map_err()`,
//! `.context()`, `.await`, or a `match` whose `Ok(v) => v` arm yields it), by `if let Ok(v) =
//! source(..)`, or by a `match` arm `Ok(v) =>`. The statements after the binding are then read
//! in order: passing `v` (by value, by reference or as receiver) to a validator, or converting it
//! with `T::try_from(v)` / `v.try_into()`, validates it; any other mention first (a field, a
//! method, an argument, a return, a closure, a macro argument) is a finding at the source.

use std::collections::HashMap;
use std::ops::Range;

use proc_macro2::Ident;
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Stmt};

use crate::codex::ValidateSpec;
use crate::codex::pattern::segments;

/// Methods a source's `Result`/`Option` may pass through on its way to the binding.
const PASS_THROUGH: &[&str] = &[
    "ok",
    "map_err",
    "context",
    "with_context",
    "ok_or",
    "ok_or_else",
    "unwrap",
    "expect",
];

/// The source call token when `expr` evaluates to a source's value.
pub(crate) fn source_token(
    spec: &ValidateSpec,
    expr: &Expr,
    resolve: &dyn Fn(&[String]) -> Vec<Vec<String>>,
) -> Option<Range<usize>> {
    match expr {
        Expr::Try(e) => source_token(spec, &e.expr, resolve),
        Expr::Await(e) => source_token(spec, &e.base, resolve),
        Expr::Paren(e) => source_token(spec, &e.expr, resolve),
        Expr::MethodCall(call) => {
            let method = call.method.to_string();
            if spec
                .source_methods
                .iter()
                .any(|p| p.matches(std::slice::from_ref(&method)))
            {
                return Some(call.method.span().byte_range());
            }
            if PASS_THROUGH.contains(&method.as_str()) {
                return source_token(spec, &call.receiver, resolve);
            }
            None
        }
        Expr::Call(call) => {
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let last = path.path.segments.last()?;
            let written = segments(&path.path);
            let matched = resolve(&written)
                .iter()
                .any(|full| spec.sources.iter().any(|p| p.matches(full)));
            matched.then(|| last.ident.span().byte_range())
        }
        Expr::Match(m) => {
            let token = source_token(spec, &m.expr, resolve)?;
            // `match source { Ok(v) => v, Err(e) => return … }`
            let yields = m.arms.iter().any(|arm| {
                ok_binding(&arm.pat).is_some_and(
                    |name| matches!(&*arm.body, Expr::Path(p) if p.path.is_ident(&name)),
                )
            });
            yields.then_some(token)
        }
        _ => None,
    }
}

/// The name bound by `Ok(v)`, `Some(v)` or `v`.
pub(crate) fn ok_binding(pat: &Pat) -> Option<String> {
    match pat {
        Pat::TupleStruct(tuple) => {
            let last = tuple.path.segments.last()?;
            if last.ident != "Ok" && last.ident != "Some" {
                return None;
            }
            match tuple.elems.first()? {
                Pat::Ident(ident) => Some(ident.ident.to_string()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The name a `let` pattern binds, when it is a single identifier (`v`, `mut v`, `v: T`).
pub(crate) fn let_binding(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(ident) if ident.subpat.is_none() => Some(ident.ident.to_string()),
        Pat::Type(typed) => let_binding(&typed.pat),
        _ => None,
    }
}

/// What happened to a bound value first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// It reached a validator.
    Validated,
    /// It was used before any validation, at these bytes.
    Used(Range<usize>),
}

/// Reads statements in order for the first event involving `name`.
pub(crate) struct EventFinder<'a> {
    spec: &'a ValidateSpec,
    name: &'a str,
    pub(crate) event: Option<Event>,
    shadowed: bool,
}

impl<'a> EventFinder<'a> {
    pub(crate) fn new(spec: &'a ValidateSpec, name: &'a str) -> Self {
        EventFinder {
            spec,
            name,
            event: None,
            shadowed: false,
        }
    }

    /// The first event in `exprs`, read in order.
    pub(crate) fn run_exprs(mut self, exprs: &[&Expr]) -> Option<Event> {
        for expr in exprs {
            if self.done() {
                break;
            }
            self.visit_expr(expr);
        }
        self.event
    }

    /// The first event in `stmts`.
    pub(crate) fn run<'s>(mut self, stmts: impl IntoIterator<Item = &'s Stmt>) -> Option<Event> {
        for stmt in stmts {
            if self.done() {
                break;
            }
            self.visit_stmt(stmt);
        }
        self.event
    }

    fn done(&self) -> bool {
        self.event.is_some() || self.shadowed
    }

    fn is_value(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Path(path) => path.path.is_ident(self.name),
            Expr::Reference(r) => self.is_value(&r.expr),
            Expr::Paren(p) => self.is_value(&p.expr),
            _ => false,
        }
    }

    fn is_validator(&self, name: &str) -> bool {
        let name = [name.to_owned()];
        self.spec.validators.iter().any(|p| p.matches(&name))
    }
}

impl<'ast> Visit<'ast> for EventFinder<'_> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        if !self.done() {
            visit::visit_expr(self, expr);
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(path) = &*call.func {
            let validator = path
                .path
                .segments
                .last()
                .is_some_and(|last| self.is_validator(&last.ident.to_string()));
            if validator && call.args.iter().any(|arg| self.is_value(arg)) {
                self.event = Some(Event::Validated);
                return;
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let validator = self.is_validator(&call.method.to_string());
        if validator
            && (self.is_value(&call.receiver) || call.args.iter().any(|arg| self.is_value(arg)))
        {
            self.event = Some(Event::Validated);
            return;
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if path.path.is_ident(self.name) && self.event.is_none() {
            if let Some(ident) = path.path.get_ident() {
                self.event = Some(Event::Used(ident.span().byte_range()));
            }
        }
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        if !self.done() && let_binding(&local.pat).is_some_and(|bound| bound == self.name) {
            self.shadowed = true;
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        use syn::parse::Parser;
        let parsed = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated
            .parse2(mac.tokens.clone());
        match parsed {
            Ok(exprs) => exprs.iter().for_each(|e| self.visit_expr(e)),
            Err(_) => {
                if let Some(ident) = find_ident(mac.tokens.clone(), self.name) {
                    self.event = Some(Event::Used(ident.span().byte_range()));
                }
            }
        }
    }
}

fn find_ident(tokens: proc_macro2::TokenStream, name: &str) -> Option<Ident> {
    tokens.into_iter().find_map(|token| match token {
        proc_macro2::TokenTree::Ident(ident) if ident == name => Some(ident),
        proc_macro2::TokenTree::Group(group) => find_ident(group.stream(), name),
        _ => None,
    })
}

/// Which statements of a block mention which identifiers (anywhere inside them, macro tokens
/// included), in statement order.
pub(crate) struct Mentions {
    by_name: HashMap<String, Vec<usize>>,
}

impl Mentions {
    /// Indexes `stmts`: one walk over each.
    pub(crate) fn of(stmts: &[Stmt]) -> Self {
        let mut collector = Collector {
            by_name: HashMap::new(),
            at: 0,
        };
        for (i, stmt) in stmts.iter().enumerate() {
            collector.at = i;
            collector.visit_stmt(stmt);
        }
        Mentions {
            by_name: collector.by_name,
        }
    }

    /// The statements after statement `i` that mention `name`.
    pub(crate) fn after(&self, name: &str, i: usize) -> &[usize] {
        let at = self.by_name.get(name).map_or(&[][..], Vec::as_slice);
        at.get(at.partition_point(|&j| j <= i)..)
            .unwrap_or_default()
    }
}

struct Collector {
    by_name: HashMap<String, Vec<usize>>,
    at: usize,
}

impl Collector {
    fn add(&mut self, name: String) {
        let list = self.by_name.entry(name).or_default();
        if list.last() != Some(&self.at) {
            list.push(self.at);
        }
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_ident(&mut self, ident: &'ast Ident) {
        self.add(ident.to_string());
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        // Macro tokens, without recursion: a stack of token streams.
        let mut streams = vec![mac.tokens.clone()];
        while let Some(stream) = streams.pop() {
            for token in stream {
                match token {
                    proc_macro2::TokenTree::Ident(ident) => self.add(ident.to_string()),
                    proc_macro2::TokenTree::Group(group) => streams.push(group.stream()),
                    _ => {}
                }
            }
        }
    }
}
