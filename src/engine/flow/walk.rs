//! One function body, read once in evaluation order, each expression knowing how its value is
//! consumed ([`Ctx`]). Followed values live in a table of names with one slot per binding, so a
//! mention costs one lookup and nothing is ever read twice.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Block, Expr, Item, Lit, Pat, Stmt, Token};

use super::shape::{self, Method};
use crate::codex::ValidateSpec;
use crate::codex::pattern::segments;
use crate::engine::imports::Imports;

/// At most this many sources are followed through one binding (`let v = match .. { .. }` can
/// gather several); more would make copying them cost more than reading the code.
const MAX_SOURCES: usize = 8;

/// A finding: the rule (by its index among `validate` rules), the source's token, the use.
pub(super) type Found = (usize, Range<usize>, Range<usize>);

/// A value followed from one source, for one rule.
#[derive(Debug, Clone)]
struct Entry {
    spec: usize,
    source: Range<usize>,
}

/// How the value of the expression being read is consumed by what encloses it.
#[derive(Debug, Clone, Default)]
enum Ctx {
    /// Read on the spot by what encloses it: a use at the value's own place.
    #[default]
    Here,
    /// Read by the token at these bytes (a field, an operator, `return`, a macro).
    At(Range<usize>),
    /// Passed to the callee named at `at`; bit `i` of `validates` is set when the `i`-th
    /// `validate` rule counts that callee as a validator.
    Arg { validates: u64, at: Range<usize> },
    /// Dropped: `expr;`, `let _ = expr`.
    Dropped,
    /// A closure's result: a source there is not followed (its caller gets the value); a
    /// followed value there is captured, a use.
    ClosureTail,
    /// Handed to the names of binding `id` (a `let`, an `if let`, `match` arms, a closure's
    /// parameter, an assigned local).
    Bound(usize),
    /// Only tested for presence (`.is_ok()`): neither a use nor a validation.
    Tested,
}

/// A function body's flow walk.
pub(super) struct Flow<'a> {
    specs: &'a [(ValidateSpec, usize)],
    imports: &'a Imports,
    /// `use` items of the enclosing blocks, innermost last.
    layers: Vec<Imports>,
    /// Per name ever followed, one slot per binding of it in scope (innermost last): the
    /// values still followed, or `None` when the binding holds nothing followed.
    names: HashMap<String, Vec<Option<Vec<Entry>>>>,
    /// Names bound in each open scope, to unbind when it closes.
    scopes: Vec<Vec<String>>,
    /// Values handed to each binding, by id, until its names are bound.
    bindings: Vec<Vec<Entry>>,
    /// The binding of the next closure's first parameter (`.map(|v| ..)`).
    closure_value: Option<usize>,
    /// Inside a condition that rejects the input (an `if` whose branch returns, `ensure!`).
    rejecting: usize,
    /// The context of the expression about to be read.
    ctx: Ctx,
    budget: &'a mut usize,
    found: Vec<Found>,
    /// Sources whose first event was seen (a use or a validation), by rule and first byte.
    settled: HashSet<(usize, usize)>,
}

impl<'a> Flow<'a> {
    /// The findings in `body`, in no particular order.
    pub(super) fn run(
        specs: &'a [(ValidateSpec, usize)],
        imports: &'a Imports,
        budget: &'a mut usize,
        body: &Block,
    ) -> Vec<Found> {
        let mut flow = Flow {
            specs,
            imports,
            layers: Vec::new(),
            names: HashMap::new(),
            scopes: vec![Vec::new()],
            bindings: Vec::new(),
            closure_value: None,
            rejecting: 0,
            ctx: Ctx::Here,
            budget,
            found: Vec::new(),
            settled: HashSet::new(),
        };
        // The body's value is returned: a use.
        flow.block(body, Ctx::Here);
        flow.found
    }

    fn read(&mut self, expr: &Expr, ctx: Ctx) {
        self.ctx = ctx;
        self.visit_expr(expr);
    }

    fn new_binding(&mut self) -> usize {
        self.bindings.push(Vec::new());
        self.bindings.len() - 1
    }

    /// Hands `entries` to binding `id`, keeping at most [`MAX_SOURCES`] distinct sources.
    fn hand(&mut self, id: usize, entries: Vec<Entry>) {
        let Some(binding) = self.bindings.get_mut(id) else {
            return;
        };
        for entry in entries {
            let known = binding
                .iter()
                .any(|e| e.spec == entry.spec && e.source == entry.source);
            if !known && binding.len() < MAX_SOURCES {
                binding.push(entry);
            }
        }
    }

    fn take_binding(&mut self, id: usize) -> Vec<Entry> {
        self.bindings
            .get_mut(id)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn open(&mut self) {
        self.scopes.push(Vec::new());
    }

    fn close(&mut self) {
        for name in self.scopes.pop().unwrap_or_default() {
            if let Some(slots) = self.names.get_mut(&name) {
                slots.pop();
            }
        }
    }

    /// Binds the names of `pat` in the current scope, handing them `values`.
    fn bind(&mut self, pat: &Pat, values: &[Entry]) {
        if values.is_empty() && self.names.is_empty() {
            return;
        }
        let values = values.get(..MAX_SOURCES).unwrap_or(values);
        let mut names = Vec::new();
        shape::bound_names(pat, &mut names);
        for name in names {
            let slot = (!values.is_empty()).then(|| values.to_vec());
            if slot.is_none() && !self.names.contains_key(&name) {
                continue;
            }
            self.names.entry(name.clone()).or_default().push(slot);
            if let Some(scope) = self.scopes.last_mut() {
                scope.push(name);
            }
        }
    }

    /// A pattern over a `Result`/`Option` (an `if let`, a `match` arm): its `Ok(..)`/`Some(..)`
    /// part takes the values, the rest binds nothing followed.
    fn bind_inner(&mut self, pat: &Pat, values: &[Entry]) {
        match shape::value_pattern(pat) {
            Ok(Some(inner)) => self.bind(inner, values),
            _ => self.bind(pat, &[]),
        }
    }

    /// `name = value`: the local now holds what `values` holds.
    fn assign(&mut self, name: String, values: Vec<Entry>) {
        if let Some(slot) = self.names.get_mut(&name).and_then(|slots| slots.last_mut()) {
            *slot = (!values.is_empty()).then_some(values);
        } else if !values.is_empty() {
            // A local bound before anything was followed: followed to the end of the function
            // (the outermost slot, which no scope closes).
            self.names.entry(name).or_default().insert(0, Some(values));
        }
    }

    fn validates(&self, name: &str) -> u64 {
        let name = [name.to_owned()];
        self.specs
            .iter()
            .enumerate()
            .take(64)
            .filter(|(_, (spec, _))| spec.validators.iter().any(|p| p.matches(&name)))
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }

    /// A source's value, produced at `token`, consumed as `ctx` says.
    fn source(&mut self, entries: Vec<Entry>, ctx: &Ctx, token: &Range<usize>) {
        if self.rejecting > 0 {
            return;
        }
        let at = match ctx {
            Ctx::Dropped | Ctx::ClosureTail | Ctx::Tested => return,
            Ctx::Bound(id) => {
                self.hand(*id, entries);
                return;
            }
            Ctx::Here => token.clone(),
            Ctx::At(at) => at.clone(),
            Ctx::Arg { validates, at } => {
                self.used(entries, *validates, at);
                return;
            }
        };
        self.used(entries, 0, &at);
    }

    /// A followed value, mentioned at `at`, consumed as `ctx` says.
    fn mention(&mut self, name: &str, ctx: &Ctx, at: &Range<usize>) {
        if matches!(ctx, Ctx::Tested) {
            return;
        }
        let Some(slot) = self.names.get_mut(name).and_then(|slots| slots.last_mut()) else {
            return;
        };
        let Some(entries) = slot.take() else {
            return;
        };
        if self.rejecting > 0 {
            self.used(entries, u64::MAX, at);
            return;
        }
        match ctx {
            Ctx::Dropped | Ctx::Tested => {}
            Ctx::Bound(id) => self.hand(*id, entries),
            Ctx::Arg { validates, .. } => self.used(entries, *validates, at),
            Ctx::Here | Ctx::At(_) | Ctx::ClosureTail => self.used(entries, 0, at),
        }
    }

    fn used(&mut self, entries: Vec<Entry>, validates: u64, at: &Range<usize>) {
        for entry in entries {
            // `u64::MAX`: every rule counts it as validation (a rejecting condition).
            let passes =
                validates == u64::MAX || (entry.spec < 64 && validates & (1 << entry.spec) != 0);
            // A value bound to several names (`let (a, b) = ..`) is settled by the first event
            // of any of them.
            if self.settled.insert((entry.spec, entry.source.start)) && !passes {
                self.found.push((entry.spec, entry.source, at.clone()));
            }
        }
    }

    /// The `validate` rules for which a call of `path` (as written) is a source.
    fn source_call(&self, path: &[String]) -> Vec<usize> {
        let Some(last) = path.last() else {
            return Vec::new();
        };
        // Only a bare name can be an alias; a longer path keeps its last segment.
        let possible = path.len() == 1
            || self
                .specs
                .iter()
                .any(|(spec, _)| spec.sources.iter().any(|p| p.last_matches(last)));
        if !possible {
            return Vec::new();
        }
        let resolved = self.imports.resolve_within(&self.layers, path);
        self.specs
            .iter()
            .enumerate()
            .filter(|(_, (spec, _))| {
                resolved
                    .iter()
                    .any(|full| spec.sources.iter().any(|p| p.matches(full)))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn entries(specs: Vec<usize>, token: &Range<usize>) -> Vec<Entry> {
        specs
            .into_iter()
            .map(|spec| Entry {
                spec,
                source: token.clone(),
            })
            .collect()
    }

    fn block(&mut self, block: &Block, tail: Ctx) {
        self.open();
        // A `use` in a block is in scope in the whole block.
        let mut layer: Option<Imports> = None;
        for stmt in &block.stmts {
            if let Stmt::Item(Item::Use(item)) = stmt {
                layer.get_or_insert_with(|| self.imports.layer()).add(item);
            }
        }
        let layered = layer.is_some();
        self.layers.extend(layer);
        let last = block.stmts.len().saturating_sub(1);
        let mut tail = Some(tail);
        for (i, stmt) in block.stmts.iter().enumerate() {
            match stmt {
                Stmt::Local(local) => self.local(local),
                Stmt::Expr(expr, None) if i == last => {
                    self.read(expr, tail.take().unwrap_or_default());
                }
                Stmt::Expr(expr, _) => self.read(expr, Ctx::Dropped),
                Stmt::Macro(mac) => self.mac(&mac.mac),
                Stmt::Item(_) => {}
            }
        }
        if layered {
            self.layers.pop();
        }
        self.close();
    }

    fn local(&mut self, local: &syn::Local) {
        let id = self.new_binding();
        if let Some(init) = &local.init {
            let ctx = if matches!(local.pat, Pat::Wild(_)) {
                Ctx::Dropped
            } else {
                Ctx::Bound(id)
            };
            self.read(&init.expr, ctx);
            if let Some((_, diverge)) = &init.diverge {
                self.read(diverge, Ctx::Dropped);
            }
        }
        let values = self.take_binding(id);
        self.bind(&local.pat, &values);
    }

    fn call(&mut self, call: &syn::ExprCall, ctx: &Ctx) {
        let Expr::Path(path) = &*call.func else {
            self.read(&call.func, Ctx::Here);
            for arg in &call.args {
                self.read(arg, Ctx::Here);
            }
            return;
        };
        let (arg_ctx, specs, token) = match (&path.qself, path.path.segments.last()) {
            (None, Some(last)) => {
                let token = last.ident.span().byte_range();
                let name = last.ident.to_string();
                let arg = Ctx::Arg {
                    validates: self.validates(&name),
                    at: token.clone(),
                };
                (arg, self.source_call(&segments(&path.path)), token)
            }
            _ => (Ctx::Here, Vec::new(), 0..0),
        };
        if !specs.is_empty() {
            self.source(Self::entries(specs, &token), ctx, &token);
        } else if path.qself.is_none() && path.path.segments.len() == 1 {
            // A closure held in a followed local, called.
            self.read(&call.func, Ctx::Here);
        }
        for arg in &call.args {
            self.read(arg, arg_ctx.clone());
        }
    }

    fn method_call(&mut self, call: &syn::ExprMethodCall, ctx: Ctx) {
        let name = call.method.to_string();
        let token = call.method.span().byte_range();
        let source_specs: Vec<usize> = self
            .specs
            .iter()
            .enumerate()
            .filter(|(_, (spec, _))| {
                spec.source_methods
                    .iter()
                    .any(|p| p.matches(std::slice::from_ref(&name)))
            })
            .map(|(i, _)| i)
            .collect();
        let own = Ctx::Arg {
            validates: self.validates(&name),
            at: token.clone(),
        };
        if !source_specs.is_empty() {
            self.source(Self::entries(source_specs, &token), &ctx, &token);
            self.read(&call.receiver, own.clone());
            for arg in &call.args {
                self.read(arg, own.clone());
            }
            return;
        }
        let mut closure = None;
        let receiver = match Method::of(&name) {
            Method::PassThrough => ctx,
            Method::Test => Ctx::Tested,
            Method::Error => Ctx::Dropped,
            Method::Closure => match call.args.last() {
                Some(Expr::Closure(_)) => {
                    let id = self.new_binding();
                    closure = Some(id);
                    Ctx::Bound(id)
                }
                Some(Expr::Path(path)) => match path.path.segments.last() {
                    Some(last) => Ctx::Arg {
                        validates: self.validates(&last.ident.to_string()),
                        at: last.ident.span().byte_range(),
                    },
                    None => own.clone(),
                },
                _ => own.clone(),
            },
            Method::Other => own.clone(),
        };
        self.read(&call.receiver, receiver);
        let last = call.args.len().saturating_sub(1);
        for (i, arg) in call.args.iter().enumerate() {
            if i == last {
                self.closure_value = closure;
            }
            self.read(arg, own.clone());
            self.closure_value = None;
        }
    }

    fn closure(&mut self, closure: &syn::ExprClosure) {
        let values = self
            .closure_value
            .take()
            .map(|id| self.take_binding(id))
            .unwrap_or_default();
        self.open();
        for (i, input) in closure.inputs.iter().enumerate() {
            self.bind(input, if i == 0 { &values } else { &[] });
        }
        self.read(&closure.body, Ctx::ClosureTail);
        self.close();
    }

    fn if_expr(&mut self, expr: &syn::ExprIf, ctx: &Ctx) {
        let rejects = shape::rejects(&expr.then_branch)
            || expr
                .else_branch
                .as_ref()
                .is_some_and(|(_, e)| matches!(&**e, Expr::Block(b) if shape::rejects(&b.block)));
        self.open();
        self.rejecting += usize::from(rejects);
        self.read(&expr.cond, Ctx::Here);
        self.rejecting -= usize::from(rejects);
        self.block(&expr.then_branch, ctx.clone());
        self.close();
        if let Some((_, other)) = &expr.else_branch {
            self.read(other, ctx.clone());
        }
    }

    fn let_expr(&mut self, expr: &syn::ExprLet) {
        // `if let Ok(v) = source { return v; }` binds the value; it does not check it.
        let rejecting = std::mem::take(&mut self.rejecting);
        self.let_binding(expr);
        self.rejecting = rejecting;
    }

    fn let_binding(&mut self, expr: &syn::ExprLet) {
        if shape::is_wrapper_pattern(&expr.pat) {
            let id = self.new_binding();
            self.read(&expr.expr, Ctx::Bound(id));
            let values = self.take_binding(id);
            self.bind_inner(&expr.pat, &values);
        } else {
            self.read(&expr.expr, Ctx::At(expr.let_token.span.byte_range()));
            self.bind(&expr.pat, &[]);
        }
    }

    fn match_expr(&mut self, expr: &syn::ExprMatch, ctx: &Ctx) {
        let yields = expr
            .arms
            .iter()
            .any(|arm| shape::yields_value(&arm.pat, &arm.body));
        let wraps = expr
            .arms
            .iter()
            .any(|arm| shape::is_wrapper_pattern(&arm.pat));
        let id = self.new_binding();
        let scrutinee = if yields {
            ctx.clone()
        } else if wraps {
            Ctx::Bound(id)
        } else {
            Ctx::At(expr.match_token.span.byte_range())
        };
        self.read(&expr.expr, scrutinee);
        let values = self.take_binding(id);
        for arm in &expr.arms {
            self.open();
            let passes = shape::yields_value(&arm.pat, &arm.body);
            if wraps && !passes {
                self.bind_inner(&arm.pat, &values);
            } else {
                self.bind(&arm.pat, &[]);
            }
            if let Pat::Guard(guard) = &arm.pat {
                self.read(&guard.guard, Ctx::Here);
            }
            self.read(&arm.body, ctx.clone());
            self.close();
        }
    }

    /// A macro's arguments, parsed as expressions when they are and the budget allows,
    /// otherwise scanned token by token. String literals among them are format strings.
    fn mac(&mut self, mac: &syn::Macro) {
        let Some(name) = mac.path.segments.last() else {
            return;
        };
        let at = name.ident.span().byte_range();
        let ensure = shape::is_ensure(&name.ident.to_string());
        let cost = mac
            .delimiter
            .span()
            .join()
            .byte_range()
            .len()
            .saturating_mul(4);
        let parsed = if *self.budget >= cost && !mac.tokens.is_empty() {
            *self.budget -= cost;
            Punctuated::<Expr, Token![,]>::parse_terminated
                .parse2(mac.tokens.clone())
                .ok()
        } else {
            None
        };
        let Some(args) = parsed else {
            self.rejecting += usize::from(ensure);
            self.scan(mac.tokens.clone());
            self.rejecting -= usize::from(ensure);
            return;
        };
        for (i, arg) in args.iter().enumerate() {
            let condition = ensure && i == 0;
            self.rejecting += usize::from(condition);
            if let Expr::Lit(lit) = arg {
                if let Lit::Str(text) = &lit.lit {
                    self.captures(&text.token());
                }
            } else {
                self.read(arg, Ctx::At(at.clone()));
            }
            self.rejecting -= usize::from(condition);
        }
    }

    /// The followed names a format string literal captures.
    fn captures(&mut self, literal: &proc_macro2::Literal) {
        if self.names.is_empty() {
            return;
        }
        let text = literal.to_string();
        let start = literal.span().byte_range().start;
        for (name, at) in shape::format_captures(&text, start) {
            self.mention(&name, &Ctx::Here, &at);
        }
    }

    /// Macro tokens that are not expressions: every followed name among them is a use, every
    /// string literal a format string. A stack of token streams, no recursion.
    fn scan(&mut self, tokens: TokenStream) {
        if self.names.is_empty() {
            return;
        }
        let mut streams = vec![tokens];
        while let Some(stream) = streams.pop() {
            for token in stream {
                match token {
                    TokenTree::Ident(ident) => {
                        let at = ident.span().byte_range();
                        self.mention(&ident.to_string(), &Ctx::Here, &at);
                    }
                    TokenTree::Literal(literal) => {
                        if literal.to_string().ends_with('"') {
                            self.captures(&literal);
                        }
                    }
                    TokenTree::Group(group) => streams.push(group.stream()),
                    TokenTree::Punct(_) => {}
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Flow<'_> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        let ctx = std::mem::take(&mut self.ctx);
        match expr {
            Expr::Path(path) => {
                if let (None, Some(ident)) = (&path.qself, path.path.get_ident()) {
                    if !self.names.is_empty() {
                        let at = ident.span().byte_range();
                        self.mention(&ident.to_string(), &ctx, &at);
                    }
                }
            }
            Expr::Paren(e) => self.read(&e.expr, ctx),
            Expr::Group(e) => self.read(&e.expr, ctx),
            Expr::Reference(e) => self.read(&e.expr, ctx),
            Expr::Try(e) => self.read(&e.expr, ctx),
            Expr::Await(e) => self.read(&e.base, ctx),
            Expr::Call(call) => self.call(call, &ctx),
            Expr::MethodCall(call) => self.method_call(call, ctx),
            Expr::Field(field) => {
                // A field of a value handed to a validator is validated with it.
                let base = match ctx {
                    Ctx::Arg { validates, .. } if validates != 0 => ctx,
                    _ => Ctx::At(member_range(&field.member)),
                };
                self.read(&field.base, base);
            }
            Expr::Assign(assign) => match &*assign.left {
                Expr::Path(path) if path.qself.is_none() && path.path.get_ident().is_some() => {
                    let id = self.new_binding();
                    self.read(&assign.right, Ctx::Bound(id));
                    let values = self.take_binding(id);
                    if let Some(name) = path.path.get_ident() {
                        self.assign(name.to_string(), values);
                    }
                }
                left => {
                    let at = shape::first_token(left).unwrap_or_default();
                    self.read(&assign.right, Ctx::At(at));
                    self.read(left, Ctx::Here);
                }
            },
            Expr::Struct(lit) => {
                for field in &lit.fields {
                    let at = member_range(&field.member);
                    self.read(&field.expr, Ctx::At(at));
                }
                if let Some(rest) = &lit.rest {
                    self.read(rest, Ctx::Here);
                }
            }
            Expr::Block(e) => self.block(&e.block, ctx),
            Expr::Unsafe(e) => self.block(&e.block, ctx),
            Expr::Const(e) => self.block(&e.block, ctx),
            Expr::Async(e) => self.block(&e.block, Ctx::ClosureTail),
            Expr::TryBlock(e) => self.block(&e.block, Ctx::ClosureTail),
            Expr::Loop(e) => self.block(&e.body, Ctx::Dropped),
            Expr::While(e) => {
                self.open();
                self.read(&e.cond, Ctx::Here);
                self.block(&e.body, Ctx::Dropped);
                self.close();
            }
            Expr::ForLoop(e) => {
                self.read(&e.expr, Ctx::At(e.for_token.span.byte_range()));
                self.open();
                self.bind(&e.pat, &[]);
                self.block(&e.body, Ctx::Dropped);
                self.close();
            }
            Expr::If(e) => self.if_expr(e, &ctx),
            Expr::Let(e) => self.let_expr(e),
            Expr::Match(e) => self.match_expr(e, &ctx),
            Expr::Closure(e) => self.closure(e),
            Expr::Return(e) => {
                if let Some(value) = &e.expr {
                    self.read(value, Ctx::At(e.return_token.span.byte_range()));
                }
            }
            Expr::Break(e) => {
                if let Some(value) = &e.expr {
                    self.read(value, Ctx::At(e.break_token.span.byte_range()));
                }
            }
            Expr::Macro(e) => self.mac(&e.mac),
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_block(&mut self, block: &'ast Block) {
        self.block(block, Ctx::Dropped);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        self.local(local);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.mac(mac);
    }

    fn visit_item(&mut self, _: &'ast Item) {
        // A nested item is a function of its own, read when the main walk reaches it.
    }
}

fn member_range(member: &syn::Member) -> Range<usize> {
    match member {
        syn::Member::Named(ident) => ident.span().byte_range(),
        syn::Member::Unnamed(index) => index.span.byte_range(),
    }
}
