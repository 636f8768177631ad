//! One function body, read once in evaluation order, each expression knowing how its value is
//! consumed ([`Ctx`]). Followed values live in a table of names with one slot per binding, so a
//! mention costs one lookup and nothing is ever read twice.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use syn::visit::{self, Visit};
use syn::{Block, Expr, Item};

use super::shape;
use crate::codex::ValidateSpec;
use crate::engine::imports::Imports;

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
