//! One function body, read once in evaluation order, each expression knowing how its value is
//! consumed ([`Ctx`]). Followed values live in a table of names with one slot per binding, so a
//! mention costs one lookup and nothing is ever read twice.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use syn::visit::{self, Visit};
use syn::{Block, Expr, Item, Pat};

use super::shape;
use crate::codex::ValidateSpec;
use crate::engine::imports::Imports;

/// At most this many sources are followed through one binding (`let v = match .. { .. }` can
/// gather several); more would make copying them cost more than reading the code.
const MAX_SOURCES: usize = 8;

/// A finding: the rule (by its index among `validate` rules), the source's token, the use.
pub(super) type Found = (usize, Range<usize>, Range<usize>);

/// A value followed from one source, for one rule.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) spec: usize,
    pub(super) source: Range<usize>,
}

/// How the value of the expression being read is consumed by what encloses it.
#[derive(Debug, Clone, Default)]
pub(super) enum Ctx {
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
    pub(super) specs: &'a [(ValidateSpec, usize)],
    pub(super) imports: &'a Imports,
    /// `use` items of the enclosing blocks, innermost last.
    pub(super) layers: Vec<Imports>,
    /// Per name ever followed, one slot per binding of it in scope (innermost last): the
    /// values still followed, or `None` when the binding holds nothing followed.
    pub(super) names: HashMap<String, Vec<Option<Vec<Entry>>>>,
    /// Names bound in each open scope, to unbind when it closes.
    pub(super) scopes: Vec<Vec<String>>,
    /// Values handed to each binding, by id, until its names are bound.
    pub(super) bindings: Vec<Vec<Entry>>,
    /// The binding of the next closure's first parameter (`.map(|v| ..)`).
    pub(super) closure_value: Option<usize>,
    /// Inside a condition that rejects the input (an `if` whose branch returns, `ensure!`).
    pub(super) rejecting: usize,
    /// The context of the expression about to be read.
    pub(super) ctx: Ctx,
    pub(super) budget: &'a mut usize,
    pub(super) found: Vec<Found>,
    /// Sources whose first event was seen (a use or a validation), by rule and first byte.
    pub(super) settled: HashSet<(usize, usize)>,
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

    pub(super) fn read(&mut self, expr: &Expr, ctx: Ctx) {
        self.ctx = ctx;
        self.visit_expr(expr);
    }

    pub(super) fn new_binding(&mut self) -> usize {
        self.bindings.push(Vec::new());
        self.bindings.len() - 1
    }

    /// Hands `entries` to binding `id`, keeping at most [`MAX_SOURCES`] distinct sources.
    pub(super) fn hand(&mut self, id: usize, entries: Vec<Entry>) {
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

    pub(super) fn take_binding(&mut self, id: usize) -> Vec<Entry> {
        self.bindings
            .get_mut(id)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    pub(super) fn open(&mut self) {
        self.scopes.push(Vec::new());
    }

    pub(super) fn close(&mut self) {
        for name in self.scopes.pop().unwrap_or_default() {
            if let Some(slots) = self.names.get_mut(&name) {
                slots.pop();
            }
        }
    }

    /// Binds the names of `pat` in the current scope, handing them `values`.
    pub(super) fn bind(&mut self, pat: &Pat, values: &[Entry]) {
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
    pub(super) fn bind_inner(&mut self, pat: &Pat, values: &[Entry]) {
        match shape::value_pattern(pat) {
            Ok(Some(inner)) => self.bind(inner, values),
            _ => self.bind(pat, &[]),
        }
    }

    /// `name = value`: the local now holds what `values` holds.
    pub(super) fn assign(&mut self, name: String, values: Vec<Entry>) {
        if let Some(slot) = self.names.get_mut(&name).and_then(|slots| slots.last_mut()) {
            *slot = (!values.is_empty()).then_some(values);
        } else if !values.is_empty() {
            // A local bound before anything was followed: followed to the end of the function
            // (the outermost slot, which no scope closes).
            self.names.entry(name).or_default().insert(0, Some(values));
        }
    }

    pub(super) fn validates(&self, name: &str) -> u64 {
        let name = [name.to_owned()];
        self.specs
            .iter()
            .enumerate()
            .take(64)
            .filter(|(_, (spec, _))| spec.validators.iter().any(|p| p.matches(&name)))
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }

    /// A source's value, produced at `token`, consumed as `ctx` says.
    pub(super) fn source(&mut self, entries: Vec<Entry>, ctx: &Ctx, token: &Range<usize>) {
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
    pub(super) fn mention(&mut self, name: &str, ctx: &Ctx, at: &Range<usize>) {
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

    pub(super) fn used(&mut self, entries: Vec<Entry>, validates: u64, at: &Range<usize>) {
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
    pub(super) fn source_call(&self, path: &[String]) -> Vec<usize> {
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

    pub(super) fn entries(specs: Vec<usize>, token: &Range<usize>) -> Vec<Entry> {
        specs
            .into_iter()
            .map(|spec| Entry {
                spec,
                source: token.clone(),
            })
            .collect()
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
