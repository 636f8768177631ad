//! Comparing a compiled pattern with syntax nodes, binding metavariables to the nodes
//! themselves (never to printed copies: binding is constant time, whatever the size of the
//! node; a name bound twice compares the two nodes structurally, spans aside).
//!
//! Runs (`..`, `$...X`) take the first place that fits, left to right, without trying others
//! (as a glob does); every place tried is paid for from a budget the caller gives, so a hostile
//! file cannot make a run search quadratic: once the budget is spent, searches fail and
//! [`Matching::starved`] says so.

use std::cell::Cell;
use std::ops::Range;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Item, Pat, Stmt, Type};

use super::Root;
use super::target::{FnRef, Target};
use super::tree::{Elem, Name, Node};

mod expr;
mod item;
mod syntax;

/// What a metavariable is bound to.
#[derive(Debug, Clone)]
pub enum Binding<'a> {
    /// An expression.
    Expr(&'a Expr),
    /// A name: a method, a field, a function, a path segment.
    Ident(&'a Ident),
    /// A field by position (`$X.$F` on `t.0`).
    Index(&'a syn::Index),
    /// A type.
    Type(&'a Type),
    /// A destructuring pattern.
    Pat(&'a Pat),
    /// A statement.
    Stmt(&'a Stmt),
    /// A run of arguments or elements.
    Exprs(Vec<&'a Expr>),
    /// A run of other nodes (parameters, patterns, generic arguments), by the bytes they span.
    Span(Option<Range<usize>>),
    /// Tokens of a macro or attribute.
    Tokens(Vec<TokenTree>),
}

/// Metavariables bound so far, in binding order.
pub type Bindings<'r, 'a> = Vec<(&'r str, Binding<'a>)>;

impl<'a> Binding<'a> {
    /// The bytes of the file the bound code spans, when known.
    pub fn range(&self) -> Option<Range<usize>> {
        let range = match self {
            Binding::Expr(e) => e.span().byte_range(),
            Binding::Ident(i) => i.span().byte_range(),
            Binding::Index(i) => i.span.byte_range(),
            Binding::Type(t) => t.span().byte_range(),
            Binding::Pat(p) => p.span().byte_range(),
            Binding::Stmt(s) => s.span().byte_range(),
            Binding::Exprs(run) => {
                let first = run.first()?.span().byte_range();
                let last = run.last()?.span().byte_range();
                first.start..last.end
            }
            Binding::Span(range) => return range.clone(),
            Binding::Tokens(tokens) => {
                let first = tokens.first()?.span().byte_range();
                let last = tokens.last()?.span().byte_range();
                first.start..last.end
            }
        };
        (range.end > range.start).then_some(range)
    }

    /// The identifier the bound code is, when it is one (`x`, `mut x`, `$X.$M()`'s method).
    pub fn ident(&self) -> Option<&Ident> {
        match self {
            Binding::Ident(i) => Some(i),
            Binding::Expr(e) => match strip(e) {
                Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
                _ => None,
            },
            Binding::Pat(Pat::Ident(i)) if i.subpat.is_none() => Some(&i.ident),
            Binding::Type(Type::Path(p)) if p.qself.is_none() => p.path.get_ident(),
            _ => None,
        }
    }

    /// The bound code as a target for sub-rules, when it is a node rules can be tested on.
    pub fn target(&self) -> Option<Target<'a>> {
        match *self {
            Binding::Expr(e) => Some(Target::Expr(e)),
            Binding::Type(t) => Some(Target::Type(t)),
            Binding::Stmt(stmt) => match stmt {
                Stmt::Expr(e, _) => Some(Target::Expr(e)),
                Stmt::Local(l) => Some(Target::Local(l)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether two bindings stand for the same code.
    fn same(&self, other: &Binding<'_>) -> bool {
        match (self, other) {
            (Binding::Expr(a), Binding::Expr(b)) => strip(a) == strip(b),
            (Binding::Type(a), Binding::Type(b)) => a == b,
            (Binding::Pat(a), Binding::Pat(b)) => a == b,
            (Binding::Stmt(a), Binding::Stmt(b)) => a == b,
            (Binding::Index(a), Binding::Index(b)) => a.index == b.index,
            (Binding::Exprs(a), Binding::Exprs(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| strip(x) == strip(y))
            }
            (Binding::Tokens(a), Binding::Tokens(b)) => {
                a.iter().cloned().collect::<TokenStream>().to_string()
                    == b.iter().cloned().collect::<TokenStream>().to_string()
            }
            _ => match (self.ident(), other.ident()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }
}

/// Compares patterns with syntax nodes.
pub struct Matching<'r, 'a, 'f> {
    resolve: &'f dyn Fn(&[String]) -> Vec<Vec<String>>,
    budget: &'f Cell<usize>,
    /// What the metavariables are bound to.
    pub bound: Bindings<'r, 'a>,
    starved: bool,
}

type One<'r, 'a, 'f, N, T> = fn(&mut Matching<'r, 'a, 'f>, &'r N, &'a T) -> bool;

/// Single elements of a sequence pattern, and the run before them: `None` when there is none,
/// `Some(None)` an unnamed run (`..`), `Some(Some(name))` a named one (`$...NAME`).
type Segment<'r, N> = (Option<Option<&'r str>>, &'r [Elem<N>]);

impl<'r, 'a, 'f> Matching<'r, 'a, 'f> {
    /// A matcher resolving paths with `resolve` (the file's imports), searching runs on
    /// `budget`.
    pub fn new(
        resolve: &'f dyn Fn(&[String]) -> Vec<Vec<String>>,
        budget: &'f Cell<usize>,
    ) -> Self {
        Matching {
            resolve,
            budget,
            bound: Vec::new(),
            starved: false,
        }
    }

    /// How paths are resolved: the file's imports.
    pub fn resolver(&self) -> &'f dyn Fn(&[String]) -> Vec<Vec<String>> {
        self.resolve
    }

    /// Whether a search ran out of budget since this matcher was made.
    pub fn starved(&self) -> bool {
        self.starved
    }

    /// Marks the match as resting on something a search could not find out.
    pub fn starve(&mut self) {
        self.starved = true;
    }

    /// Pays for one step of a search; false once the budget is spent.
    pub fn charge(&mut self, steps: usize) -> bool {
        let left = self.budget.get();
        if left < steps {
            self.budget.set(0);
            self.starved = true;
            return false;
        }
        self.budget.set(left - steps);
        true
    }

    /// How many bindings there are, to undo those made after with [`Matching::reset`].
    pub fn mark(&self) -> usize {
        self.bound.len()
    }

    /// Undoes the bindings made since `mark`.
    pub fn reset(&mut self, mark: usize) {
        self.bound.truncate(mark);
    }

    /// What `name` is bound to.
    pub fn get(&self, name: &str) -> Option<&Binding<'a>> {
        self.bound
            .iter()
            .find(|(bound, _)| *bound == name)
            .map(|(_, binding)| binding)
    }

    fn bind(&mut self, name: &'r str, binding: Binding<'a>) -> bool {
        if name.is_empty() || name == "_" {
            return true;
        }
        if let Some(earlier) = self.get(name) {
            return earlier.same(&binding);
        }
        self.bound.push((name, binding));
        true
    }

    /// Tries `attempt`, undoing its bindings when it fails.
    fn attempt(&mut self, attempt: impl FnOnce(&mut Self) -> bool) -> bool {
        let mark = self.mark();
        let matched = attempt(self);
        if !matched {
            self.reset(mark);
        }
        matched
    }

    /// Whether `target` matches the pattern `root`. For a statement sequence, the statements
    /// matched are given by [`Matching::sequence`] instead.
    pub fn root(&mut self, root: &'r Root, target: Target<'a>) -> bool {
        self.attempt(|m| match (root, target) {
            (Root::Node(node), Target::Expr(expr)) => m.expr(node, expr),
            (Root::Node(Node::Path(path)), Target::Type(Type::Path(ty))) if ty.qself.is_none() => {
                m.path(path, &ty.path)
            }
            (Root::Node(Node::Local { .. }), Target::Local(local)) => m.local_stmt(root, local),
            (Root::Node(Node::Macro(node)), Target::Macro(mac)) => m.mac(node, mac),
            (Root::Node(Node::Item(item)), target) => m.item(item, target),
            (Root::Type(ty), Target::Type(candidate)) => m.ty(ty, candidate),
            (Root::Attr(attr), Target::Attr(candidate)) => m.attr(attr, candidate),
            _ => false,
        })
    }

    /// Where in `stmts` the statement sequence `elems` matches first at or after `from`: the
    /// range of statements from the first matched to the last.
    pub fn sequence(
        &mut self,
        elems: &'r [Elem<Node>],
        stmts: &'a [Stmt],
        from: usize,
    ) -> Option<Range<usize>> {
        let items: Vec<&'a Stmt> = stmts.iter().collect();
        for start in from..items.len() {
            if !self.charge(1) {
                return None;
            }
            let mark = self.mark();
            let rest = items.get(start..).unwrap_or_default();
            if let Some(end) = self.run(elems, rest, true, false, Matching::stmt, stmt_run) {
                return Some(start..start + end);
            }
            self.reset(mark);
        }
        None
    }

    /// Matches the sequence `elems` against `items`: runs take the first place that fits.
    /// `anchored_start` / `anchored_end`: whether the first / last element must be the first /
    /// last item (a run at that end lifts it). The number of items matched from the start,
    /// through the last element matched, when it matches.
    fn run<N, T: ?Sized>(
        &mut self,
        elems: &'r [Elem<N>],
        items: &[&'a T],
        anchored_start: bool,
        anchored_end: bool,
        one: One<'r, 'a, 'f, N, T>,
        bind_run: fn(&[&'a T]) -> Binding<'a>,
    ) -> Option<usize> {
        let mut segments: Vec<Segment<'r, N>> = Vec::new();
        let mut start = 0;
        let mut before: Option<Option<&'r str>> = (!anchored_start).then_some(None);
        for (i, elem) in elems.iter().enumerate() {
            let run = match elem {
                Elem::One(_) => continue,
                Elem::Gap => None,
                Elem::Rest(name) => Some(name.as_str()),
            };
            segments.push((before, &elems[start..i]));
            before = Some(run);
            start = i + 1;
        }
        segments.push((before, &elems[start..]));
        let mut at = 0;
        let mut end = 0;
        let count = segments.len();
        for (index, (run, segment)) in segments.into_iter().enumerate() {
            let last = index + 1 == count;
            let place = match run {
                // No run before: the segment starts where the previous one ended.
                None => self.segment(segment, items, at, one).then_some(at),
                // A run before the empty last segment takes everything left.
                Some(_) if last && segment.is_empty() => Some(items.len()),
                Some(_) if last && anchored_end => {
                    let start = items.len().checked_sub(segment.len())?;
                    (start >= at && self.segment(segment, items, start, one)).then_some(start)
                }
                Some(_) => self.leftmost(segment, items, at, one),
            };
            let start = place?;
            if let Some(Some(name)) = run {
                let gap = items.get(at..start).unwrap_or_default();
                if !self.bind(name, bind_run(gap)) {
                    return None;
                }
            }
            at = start + segment.len();
            if !segment.is_empty() {
                end = at;
            }
        }
        if anchored_end && at != items.len() {
            return None;
        }
        Some(end)
    }

    /// The first place at or after `from` where `segment` matches.
    fn leftmost<N, T: ?Sized>(
        &mut self,
        segment: &'r [Elem<N>],
        items: &[&'a T],
        from: usize,
        one: One<'r, 'a, 'f, N, T>,
    ) -> Option<usize> {
        let last = items.len().checked_sub(segment.len())?;
        // The first place is free: only a search past it costs.
        (from..=last).find(|&start| {
            (start == from || self.charge(1)) && self.segment(segment, items, start, one)
        })
    }

    /// Whether `segment` (single elements only) matches `items` from `start`.
    fn segment<N, T: ?Sized>(
        &mut self,
        segment: &'r [Elem<N>],
        items: &[&'a T],
        start: usize,
        one: One<'r, 'a, 'f, N, T>,
    ) -> bool {
        if items.len() < start + segment.len() {
            return false;
        }
        self.attempt(|m| {
            segment
                .iter()
                .zip(&items[start..])
                .all(|(elem, item)| match elem {
                    Elem::One(node) => one(m, node, item),
                    Elem::Gap | Elem::Rest(_) => false,
                })
        })
    }

    /// Whether a name matches an identifier (binding it for a metavariable).
    fn name(&mut self, name: &'r Name, ident: &'a Ident) -> bool {
        match name {
            Name::Lit(text) => ident == text,
            Name::Var(var) => self.bind(var, Binding::Ident(ident)),
        }
    }
}

/// The target an item is: a function or another item.
pub fn item_target(item: &Item) -> Target<'_> {
    match item {
        Item::Fn(f) => Target::Fn(FnRef {
            attrs: &f.attrs,
            vis: Some(&f.vis),
            sig: &f.sig,
            body: Some(&f.block),
        }),
        other => Target::Item(other),
    }
}

/// The outer attributes of an item.
pub fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Fn(f) => &f.attrs,
        Item::Mod(m) => &m.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Trait(t) => &t.attrs,
        Item::Const(c) => &c.attrs,
        Item::Static(s) => &s.attrs,
        Item::Struct(s) => &s.attrs,
        Item::Enum(e) => &e.attrs,
        Item::Union(u) => &u.attrs,
        Item::Type(t) => &t.attrs,
        Item::Macro(m) => &m.attrs,
        Item::Use(u) => &u.attrs,
        Item::ExternCrate(e) => &e.attrs,
        Item::ForeignMod(f) => &f.attrs,
        Item::TraitAlias(t) => &t.attrs,
        _ => &[],
    }
}

fn exprs_run<'a>(run: &[&'a Expr]) -> Binding<'a> {
    Binding::Exprs(run.to_vec())
}

fn stmt_run<'a>(run: &[&'a Stmt]) -> Binding<'a> {
    span_run(run)
}

fn span_run<'a, T: Spanned + ?Sized>(run: &[&'a T]) -> Binding<'a> {
    Binding::Span(match (run.first(), run.last()) {
        (Some(first), Some(last)) => {
            Some(first.span().byte_range().start..last.span().byte_range().end)
        }
        _ => None,
    })
}

/// An expression without the parentheses and invisible groups around it.
pub fn strip(expr: &Expr) -> &Expr {
    let mut expr = expr;
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            other => return other,
        };
    }
}

fn strip_type(ty: &Type) -> &Type {
    let mut ty = ty;
    loop {
        ty = match ty {
            Type::Paren(p) => &p.elem,
            Type::Group(g) => &g.elem,
            other => return other,
        };
    }
}
