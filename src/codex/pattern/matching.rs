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
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Attribute, Block, Expr, FnArg, GenericArgument, Ident, Item, Pat, Stmt, Type};

use super::Root;
use super::target::{FnRef, Target, expr_tag, item_tag};
use super::tree::{
    AttrNode, BlockNode, Elem, FnNode, ItemKind, ItemNode, MacroNode, Name, Node, ParamNode,
    PatNode, PathNode, Token, TypeNode, UseLeaf,
};

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

    fn local_stmt(&mut self, root: &'r Root, local: &'a syn::Local) -> bool {
        let Root::Node(Node::Local {
            pat,
            ty,
            init,
            diverge,
        }) = root
        else {
            return false;
        };
        self.local(pat, ty.as_ref(), init.as_deref(), diverge.as_deref(), local)
    }

    fn local(
        &mut self,
        pat: &'r PatNode,
        ty: Option<&'r TypeNode>,
        init: Option<&'r Node>,
        diverge: Option<&'r Node>,
        local: &'a syn::Local,
    ) -> bool {
        let (candidate_pat, candidate_ty) = match &local.pat {
            Pat::Type(typed) => (&*typed.pat, Some(&*typed.ty)),
            other => (other, None),
        };
        if !self.pat(pat, candidate_pat) {
            return false;
        }
        if let Some(ty) = ty {
            match candidate_ty {
                Some(candidate) if self.ty(ty, candidate) => {}
                _ => return false,
            }
        }
        if let Some(init) = init {
            match &local.init {
                Some(candidate) if self.expr(init, &candidate.expr) => {}
                _ => return false,
            }
        }
        if let Some(diverge) = diverge {
            match local.init.as_ref().and_then(|i| i.diverge.as_ref()) {
                Some((_, candidate)) if self.expr(diverge, candidate) => {}
                _ => return false,
            }
        }
        true
    }

    /// Whether the expression `expr` matches `node`.
    pub fn expr(&mut self, node: &'r Node, expr: &'a Expr) -> bool {
        let expr = strip(expr);
        match (node, expr) {
            (Node::Any(name), _) => self.bind(name, Binding::Expr(expr)),
            (Node::Wild, _) => true,
            (Node::Path(path), Expr::Path(candidate)) if candidate.qself.is_none() => {
                self.path(path, &candidate.path)
            }
            (
                Node::MethodCall {
                    receiver,
                    method,
                    args,
                },
                Expr::MethodCall(call),
            ) => {
                self.name(method, &call.method)
                    && self.expr(receiver, &call.receiver)
                    && self.exprs(args, &call.args)
            }
            (Node::Chain(inner), _) => self.chain(inner, expr),
            (Node::Call { func, args }, Expr::Call(call)) => {
                self.expr(func, &call.func) && self.exprs(args, &call.args)
            }
            (Node::Field { base, member }, Expr::Field(field)) => {
                let member_matches = match &field.member {
                    syn::Member::Named(ident) => self.name(member, ident),
                    syn::Member::Unnamed(index) => match member {
                        Name::Lit(text) => index.index.to_string() == *text,
                        Name::Var(var) => self.bind(var, Binding::Index(index)),
                    },
                };
                member_matches && self.expr(base, &field.base)
            }
            (Node::Cast { expr: inner, ty }, Expr::Cast(cast)) => {
                self.ty(ty, &cast.ty) && self.expr(inner, &cast.expr)
            }
            (
                Node::Reference {
                    mutable,
                    expr: inner,
                },
                Expr::Reference(r),
            ) => *mutable == r.mutability.is_some() && self.expr(inner, &r.expr),
            (Node::Unary { op, expr: inner }, Expr::Unary(u)) => {
                *op == std::mem::discriminant(&u.op) && self.expr(inner, &u.expr)
            }
            (Node::Binary { left, op, right }, Expr::Binary(b)) => {
                *op == std::mem::discriminant(&b.op)
                    && self.expr(left, &b.left)
                    && self.expr(right, &b.right)
            }
            (Node::Assign { left, right }, Expr::Assign(a)) => {
                self.expr(left, &a.left) && self.expr(right, &a.right)
            }
            (Node::Index { expr: inner, index }, Expr::Index(i)) => {
                self.expr(inner, &i.expr) && self.expr(index, &i.index)
            }
            (Node::Try(inner), Expr::Try(t)) => self.expr(inner, &t.expr),
            (Node::Await(inner), Expr::Await(a)) => self.expr(inner, &a.base),
            (Node::Macro(node), Expr::Macro(m)) => self.mac(node, &m.mac),
            (Node::Lit(lit), Expr::Lit(candidate)) => {
                candidate.attrs.is_empty() && candidate.lit.to_token_stream().to_string() == *lit
            }
            (Node::Other { tag, tokens }, _) => {
                *tag == expr_tag(expr) && tokens_equal(tokens, expr.to_token_stream())
            }
            _ => self.compound(node, expr),
        }
    }

    /// Whether the expression `expr` matches `node`, for the expressions holding blocks or
    /// lists: struct literals, blocks, conditions, loops, closures, tuples and arrays.
    fn compound(&mut self, node: &'r Node, expr: &'a Expr) -> bool {
        match (node, expr) {
            (Node::Struct { path, fields, rest }, Expr::Struct(s)) if s.qself.is_none() => {
                self.structure(path, fields, *rest, s)
            }
            (Node::Block(body), Expr::Block(b)) => self.block(body, &b.block),
            (Node::Unsafe(body), Expr::Unsafe(u)) => self.block(body, &u.block),
            (Node::Async(body), Expr::Async(a)) => self.block(body, &a.block),
            (
                Node::If {
                    cond,
                    then,
                    otherwise,
                },
                Expr::If(i),
            ) => {
                self.expr(cond, &i.cond)
                    && self.block(then, &i.then_branch)
                    && match (otherwise, &i.else_branch) {
                        (None, _) => true,
                        (Some(node), Some((_, other))) => self.expr(node, other),
                        (Some(_), None) => false,
                    }
            }
            (Node::Let { pat, expr: inner }, Expr::Let(l)) => {
                self.pat(pat, &l.pat) && self.expr(inner, &l.expr)
            }
            (Node::While { cond, body }, Expr::While(w)) => {
                self.expr(cond, &w.cond) && self.block(body, &w.body)
            }
            (
                Node::ForLoop {
                    pat,
                    expr: inner,
                    body,
                },
                Expr::ForLoop(f),
            ) => self.pat(pat, &f.pat) && self.expr(inner, &f.expr) && self.block(body, &f.body),
            (Node::Loop(body), Expr::Loop(l)) => self.block(body, &l.body),
            (Node::Closure { inputs, body }, Expr::Closure(c)) => {
                let pats: Vec<&'a Pat> = c.inputs.iter().collect();
                self.run(inputs, &pats, true, true, Matching::pat, span_run)
                    .is_some()
                    && self.expr(body, &c.body)
            }
            (Node::Return(value), Expr::Return(r)) => match (value, &r.expr) {
                (None, _) => true,
                (Some(node), Some(candidate)) => self.expr(node, candidate),
                (Some(_), None) => false,
            },
            (Node::Tuple(elems), Expr::Tuple(t)) => self.exprs(elems, &t.elems),
            (Node::Array(elems), Expr::Array(a)) => self.exprs(elems, &a.elems),
            _ => false,
        }
    }

    /// `R.$$$`: `expr` is `R`, or `R` followed by calls, field accesses, `?` and `.await`.
    fn chain(&mut self, inner: &'r Node, mut expr: &'a Expr) -> bool {
        loop {
            if !self.charge(1) {
                return false;
            }
            if self.attempt(|m| m.expr(inner, expr)) {
                return true;
            }
            expr = match strip(expr) {
                Expr::MethodCall(call) => &call.receiver,
                Expr::Field(field) => &field.base,
                Expr::Try(t) => &t.expr,
                Expr::Await(a) => &a.base,
                _ => return false,
            };
        }
    }

    fn exprs<P>(
        &mut self,
        elems: &'r [Elem<Node>],
        candidates: &'a syn::punctuated::Punctuated<Expr, P>,
    ) -> bool {
        let items: Vec<&'a Expr> = candidates.iter().collect();
        self.run(elems, &items, true, true, Matching::expr, exprs_run)
            .is_some()
    }

    fn structure(
        &mut self,
        path: &'r PathNode,
        fields: &'r [(Name, Node)],
        rest: bool,
        candidate: &'a syn::ExprStruct,
    ) -> bool {
        if !self.path(path, &candidate.path) {
            return false;
        }
        if !rest && (candidate.fields.len() != fields.len() || candidate.rest.is_some()) {
            return false;
        }
        fields.iter().all(|(member, value)| {
            candidate.fields.iter().any(|field| {
                self.attempt(|m| {
                    let named = match (&field.member, member) {
                        (syn::Member::Named(ident), _) => m.name(member, ident),
                        (syn::Member::Unnamed(index), Name::Lit(text)) => {
                            index.index.to_string() == *text
                        }
                        (syn::Member::Unnamed(index), Name::Var(var)) => {
                            m.bind(var, Binding::Index(index))
                        }
                    };
                    named && m.expr(value, &field.expr)
                })
            })
        })
    }

    /// Whether a block's statements match.
    fn block(&mut self, body: &'r BlockNode, block: &'a Block) -> bool {
        let items: Vec<&'a Stmt> = block.stmts.iter().collect();
        self.run(&body.0, &items, true, true, Matching::stmt, stmt_run)
            .is_some()
    }

    /// Whether the statement `stmt` matches `node`: an expression pattern matches an
    /// expression statement, with or without its semicolon.
    fn stmt(&mut self, node: &'r Node, stmt: &'a Stmt) -> bool {
        match (node, stmt) {
            (Node::Any(name), Stmt::Expr(expr, _)) => self.bind(name, Binding::Expr(expr)),
            (Node::Any(name), _) => self.bind(name, Binding::Stmt(stmt)),
            (
                Node::Local {
                    pat,
                    ty,
                    init,
                    diverge,
                },
                Stmt::Local(local),
            ) => self.local(pat, ty.as_ref(), init.as_deref(), diverge.as_deref(), local),
            (Node::Item(item), Stmt::Item(candidate)) => self.item(item, item_target(candidate)),
            (Node::Macro(node), Stmt::Macro(m)) => self.mac(node, &m.mac),
            (_, Stmt::Expr(expr, _)) => self.expr(node, expr),
            _ => false,
        }
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

    /// Whether the path `candidate` (as written) matches: written out, it matches a path that
    /// ends with its segments once resolved through the file's imports (`Duration::from_secs`
    /// matches `std::time::Duration::from_secs` and `D::from_secs` after
    /// `use std::time::Duration as D;`); with metavariables or generic arguments it is compared
    /// with the end of the path as written.
    fn path(&mut self, path: &'r PathNode, candidate: &'a syn::Path) -> bool {
        let written = &candidate.segments;
        let plain = path
            .segments
            .iter()
            .all(|s| matches!(s.name, Name::Lit(_)) && s.args.is_none());
        if plain {
            let ends = written.len() >= path.segments.len()
                && path
                    .segments
                    .iter()
                    .rev()
                    .zip(written.iter().rev())
                    .all(|(p, w)| matches!(&p.name, Name::Lit(text) if w.ident == text));
            if ends {
                return true;
            }
            let text: Vec<String> = written.iter().map(|s| s.ident.to_string()).collect();
            return (self.resolve)(&text).iter().any(|full| {
                full.len() >= path.segments.len()
                    && path
                        .segments
                        .iter()
                        .rev()
                        .zip(full.iter().rev())
                        .all(|(p, w)| matches!(&p.name, Name::Lit(text) if w == text))
            });
        }
        if written.len() < path.segments.len() {
            return false;
        }
        let skip = written.len() - path.segments.len();
        path.segments
            .iter()
            .zip(written.iter().skip(skip))
            .all(|(p, w)| {
                self.name(&p.name, &w.ident)
                    && match (&p.args, &w.arguments) {
                        (None, _) => true,
                        (Some(args), syn::PathArguments::AngleBracketed(angle)) => {
                            let items: Vec<&'a GenericArgument> = angle.args.iter().collect();
                            self.run(args, &items, true, true, Matching::generic, span_run)
                                .is_some()
                        }
                        (Some(args), syn::PathArguments::None) => args.is_empty(),
                        (Some(_), syn::PathArguments::Parenthesized(_)) => false,
                    }
            })
    }

    fn generic(&mut self, ty: &'r TypeNode, arg: &'a GenericArgument) -> bool {
        match (ty, arg) {
            (_, GenericArgument::Type(candidate)) => self.ty(ty, candidate),
            (TypeNode::Any(name), _) if name.is_empty() => true,
            (TypeNode::Other(tokens), _) => tokens_equal(tokens, arg.to_token_stream()),
            _ => false,
        }
    }

    /// Whether the type `candidate` matches `ty`.
    pub fn ty(&mut self, ty: &'r TypeNode, candidate: &'a Type) -> bool {
        let candidate = strip_type(candidate);
        match (ty, candidate) {
            (TypeNode::Any(name), _) => self.bind(name, Binding::Type(candidate)),
            (TypeNode::Path(path), Type::Path(p)) if p.qself.is_none() => self.path(path, &p.path),
            (TypeNode::Reference { mutable, elem }, Type::Reference(r)) => {
                *mutable == r.mutability.is_some() && self.ty(elem, &r.elem)
            }
            (TypeNode::Slice(elem), Type::Slice(s)) => self.ty(elem, &s.elem),
            (TypeNode::Tuple(elems), Type::Tuple(t)) => {
                let items: Vec<&'a Type> = t.elems.iter().collect();
                self.run(elems, &items, true, true, Matching::ty, span_run)
                    .is_some()
            }
            (TypeNode::Other(tokens), _) => tokens_equal(tokens, candidate.to_token_stream()),
            _ => false,
        }
    }

    /// Whether the destructuring pattern `candidate` matches `pat`.
    fn pat(&mut self, pat: &'r PatNode, candidate: &'a Pat) -> bool {
        let candidate = match candidate {
            Pat::Paren(p) => &*p.pat,
            other => other,
        };
        match (pat, candidate) {
            (PatNode::Any(name), _) => self.bind(name, Binding::Pat(candidate)),
            (PatNode::Wild, Pat::Wild(_)) => true,
            (PatNode::Ident { name, mutable }, Pat::Ident(i)) if i.subpat.is_none() => {
                (!*mutable || i.mutability.is_some()) && self.name(name, &i.ident)
            }
            (PatNode::TupleStruct { path, elems }, Pat::TupleStruct(t)) if t.qself.is_none() => {
                let items: Vec<&'a Pat> = t.elems.iter().collect();
                self.path(path, &t.path)
                    && self
                        .run(elems, &items, true, true, Matching::pat, span_run)
                        .is_some()
            }
            (PatNode::Path(path), Pat::Path(p)) if p.qself.is_none() => self.path(path, &p.path),
            (PatNode::Tuple(elems), Pat::Tuple(t)) => {
                let items: Vec<&'a Pat> = t.elems.iter().collect();
                self.run(elems, &items, true, true, Matching::pat, span_run)
                    .is_some()
            }
            (PatNode::Reference { mutable, pat }, Pat::Reference(r)) => {
                *mutable == r.mutability.is_some() && self.pat(pat, &r.pat)
            }
            (PatNode::Other(tokens), _) => tokens_equal(tokens, candidate.to_token_stream()),
            _ => false,
        }
    }

    /// Whether a macro invocation matches: by the last segment of its path, then its tokens.
    pub fn mac(&mut self, node: &'r MacroNode, mac: &'a syn::Macro) -> bool {
        if mac
            .path
            .segments
            .last()
            .is_none_or(|last| last.ident != node.name)
        {
            return false;
        }
        let trees: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
        self.tokens(&node.tokens, &trees)
    }

    /// Whether `trees` match the token pattern `tokens`, whole.
    fn tokens(&mut self, tokens: &'r [Token], trees: &[TokenTree]) -> bool {
        // Split at gaps; each segment is matched at the first place it fits.
        let mut at = 0;
        let mut pieces = tokens.split(|t| *t == Token::Gap).peekable();
        let mut first = true;
        while let Some(piece) = pieces.next() {
            let last = pieces.peek().is_none();
            let found = if first {
                self.token_piece(piece, trees, at)
            } else if last && piece.is_empty() {
                Some(trees.len())
            } else if last {
                // Anchored at the end: try from the end's side, leftmost.
                (at..=trees.len()).find_map(|start| {
                    if !self.charge(1) {
                        return None;
                    }
                    let mark = self.mark();
                    match self.token_piece(piece, trees, start) {
                        Some(end) if end == trees.len() => Some(end),
                        _ => {
                            self.reset(mark);
                            None
                        }
                    }
                })
            } else {
                (at..=trees.len()).find_map(|start| {
                    if !self.charge(1) {
                        return None;
                    }
                    self.token_piece(piece, trees, start)
                })
            };
            let Some(end) = found else {
                return false;
            };
            at = end;
            first = false;
        }
        at == trees.len() || tokens.last() == Some(&Token::Gap)
    }

    /// Matches `piece` (no gaps) at `start`; the end of what it matched.
    fn token_piece(
        &mut self,
        piece: &'r [Token],
        trees: &[TokenTree],
        start: usize,
    ) -> Option<usize> {
        let mark = self.mark();
        let mut at = start;
        for token in piece {
            let matched = match (token, trees.get(at)) {
                (Token::Var(name), Some(_)) => {
                    // One or more tokens, up to the next `,` or `;` at this level.
                    let end = (at..trees.len())
                        .find(|&i| {
                            matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';')
                        })
                        .unwrap_or(trees.len());
                    if end == at {
                        false
                    } else {
                        let run = trees[at..end].to_vec();
                        at = end;
                        self.bind(name, Binding::Tokens(run))
                    }
                }
                (Token::Ident(text), Some(TokenTree::Ident(ident))) => {
                    at += 1;
                    ident == text
                }
                (Token::Punct(c), Some(TokenTree::Punct(p))) => {
                    at += 1;
                    p.as_char() == *c
                }
                (Token::Literal(text), Some(TokenTree::Literal(lit))) => {
                    at += 1;
                    lit.to_string() == *text
                }
                (Token::Group(delimiter, inner), Some(TokenTree::Group(group))) => {
                    at += 1;
                    *delimiter == group.delimiter() && {
                        let trees: Vec<TokenTree> = group.stream().into_iter().collect();
                        self.tokens(inner, &trees)
                    }
                }
                _ => false,
            };
            if !matched {
                self.reset(mark);
                return None;
            }
        }
        Some(at)
    }

    /// Whether an attribute matches.
    pub fn attr(&mut self, attr: &'r AttrNode, candidate: &'a Attribute) -> bool {
        let inner = matches!(candidate.style, syn::AttrStyle::Inner(_));
        let path = candidate.path();
        if attr.inner != inner || path.segments.len() != attr.path.len() {
            return false;
        }
        let names = attr
            .path
            .iter()
            .zip(&path.segments)
            .all(|(name, segment)| self.name(name, &segment.ident));
        names
            && match (&attr.args, &candidate.meta) {
                (None, _) => true,
                (Some(args), syn::Meta::List(list)) => {
                    let trees: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
                    self.tokens(args, &trees)
                }
                (Some(args), syn::Meta::NameValue(nv)) => {
                    let trees: Vec<TokenTree> = nv.value.to_token_stream().into_iter().collect();
                    self.tokens(args, &trees)
                }
                (Some(_), syn::Meta::Path(_)) => false,
            }
    }

    fn attrs(&mut self, wanted: &'r [AttrNode], attrs: &'a [Attribute]) -> bool {
        wanted.iter().all(|attr| {
            attrs
                .iter()
                .any(|candidate| self.attempt(|m| m.attr(attr, candidate)))
        })
    }

    /// Whether an item (or a function) matches.
    fn item(&mut self, item: &'r ItemNode, target: Target<'a>) -> bool {
        match (&item.kind, target) {
            (ItemKind::Fn(f), Target::Fn(candidate)) => {
                self.attrs(&item.attrs, candidate.attrs) && self.function(f, candidate)
            }
            (ItemKind::Macro(node), Target::Macro(mac)) => self.mac(node, mac),
            (_, Target::Item(candidate)) => {
                self.attrs(&item.attrs, item_attrs(candidate))
                    && self.item_kind(&item.kind, candidate)
            }
            _ => false,
        }
    }

    fn item_kind(&mut self, kind: &'r ItemKind, candidate: &'a Item) -> bool {
        match (kind, candidate) {
            (
                ItemKind::Impl {
                    unsafety,
                    trait_,
                    self_ty,
                    items,
                },
                Item::Impl(i),
            ) => {
                (!*unsafety || i.unsafety.is_some())
                    && match (trait_, &i.trait_) {
                        (None, _) => true,
                        (Some(path), Some((candidate, _))) => self.path(path, candidate),
                        _ => false,
                    }
                    && self.ty(self_ty, &i.self_ty)
                    && items.iter().all(|wanted| {
                        i.items
                            .iter()
                            .any(|member| self.attempt(|m| m.impl_member(wanted, member)))
                    })
            }
            (ItemKind::Mod { name, items }, Item::Mod(m)) => {
                self.name(name, &m.ident)
                    && match (items, &m.content) {
                        (None, _) => true,
                        (Some(items), Some((_, content))) => items.iter().all(|wanted| {
                            content
                                .iter()
                                .any(|member| self.attempt(|m| m.item(wanted, item_target(member))))
                        }),
                        (Some(_), None) => false,
                    }
            }
            (ItemKind::Use(leaves), Item::Use(u)) => {
                let mut found = Vec::new();
                candidate_leaves(&u.tree, &mut Vec::new(), &mut found);
                leaves.iter().all(|leaf| {
                    found
                        .iter()
                        .any(|candidate| self.attempt(|m| m.use_leaf(leaf, candidate)))
                })
            }
            (
                ItemKind::Static {
                    mutable,
                    name,
                    ty,
                    expr,
                },
                Item::Static(s),
            ) => {
                (!*mutable || matches!(s.mutability, syn::StaticMutability::Mut(_)))
                    && self.name(name, &s.ident)
                    && self.ty(ty, &s.ty)
                    && self.expr(expr, &s.expr)
            }
            (ItemKind::Const { name, ty, expr }, Item::Const(c)) => {
                self.name(name, &c.ident) && self.ty(ty, &c.ty) && self.expr(expr, &c.expr)
            }
            (ItemKind::Macro(node), Item::Macro(m)) => self.mac(node, &m.mac),
            (ItemKind::Other { tag, tokens }, _) => {
                *tag == item_tag(candidate)
                    && tokens_equal(tokens, without_attrs(candidate.to_token_stream()))
            }
            _ => false,
        }
    }

    fn impl_member(&mut self, wanted: &'r ItemNode, member: &'a syn::ImplItem) -> bool {
        match (&wanted.kind, member) {
            (ItemKind::Fn(f), syn::ImplItem::Fn(candidate)) => {
                let candidate = FnRef {
                    attrs: &candidate.attrs,
                    vis: Some(&candidate.vis),
                    sig: &candidate.sig,
                    body: Some(&candidate.block),
                };
                self.attrs(&wanted.attrs, candidate.attrs) && self.function(f, candidate)
            }
            (ItemKind::Other { tokens, .. }, member) => {
                tokens_equal(tokens, without_attrs(member.to_token_stream()))
            }
            _ => false,
        }
    }

    fn use_leaf(&mut self, leaf: &'r UseLeaf, candidate: &CandidateLeaf<'a>) -> bool {
        leaf.glob == candidate.glob
            && leaf.segments.len() == candidate.segments.len()
            && leaf
                .segments
                .iter()
                .zip(&candidate.segments)
                .all(|(name, ident)| self.name(name, ident))
            && match (&leaf.rename, candidate.rename) {
                (None, _) => true,
                (Some(name), Some(ident)) => self.name(name, ident),
                (Some(_), None) => false,
            }
    }

    /// Whether a function matches: modifiers written are required, parts left out match
    /// anything.
    fn function(&mut self, f: &'r FnNode, candidate: FnRef<'a>) -> bool {
        let sig = candidate.sig;
        let public = candidate
            .vis
            .is_some_and(|vis| !matches!(vis, syn::Visibility::Inherited));
        if (f.public && !public)
            || (f.constness && sig.constness.is_none())
            || (f.asyncness && sig.asyncness.is_none())
            || (f.unsafety && !matches!(sig.safety, syn::Safety::Unsafe(_)))
            || (f.abi && sig.abi.is_none())
        {
            return false;
        }
        if !self.name(&f.name, &sig.ident) {
            return false;
        }
        let params: Vec<&'a FnArg> = sig.inputs.iter().collect();
        if self
            .run(&f.params, &params, true, true, Matching::param, span_run)
            .is_none()
        {
            return false;
        }
        if let Some(output) = &f.output {
            match &sig.output {
                syn::ReturnType::Type(_, ty) if self.ty(output, ty) => {}
                _ => return false,
            }
        }
        match (&f.body, candidate.body) {
            (None, _) => true,
            (Some(body), Some(block)) => self.block(body, block),
            (Some(body), None) => super::tree::is_any_block(body),
        }
    }

    fn param(&mut self, param: &'r ParamNode, candidate: &'a FnArg) -> bool {
        match (param, candidate) {
            (ParamNode::Receiver { reference, mutable }, FnArg::Receiver(candidate)) => {
                *reference == matches!(candidate.kind, syn::ReceiverKind::Reference(..))
                    && *mutable
                        == (candidate.mutability.is_some()
                            || matches!(
                                candidate.kind,
                                syn::ReceiverKind::Reference(_, _, Some(_))
                            ))
            }
            (ParamNode::Typed { pat, ty }, FnArg::Typed(typed)) => {
                self.pat(pat, &typed.pat) && self.ty(ty, &typed.ty)
            }
            _ => false,
        }
    }
}

/// A leaf of a `use` tree in the code.
struct CandidateLeaf<'a> {
    segments: Vec<&'a Ident>,
    glob: bool,
    rename: Option<&'a Ident>,
}

fn candidate_leaves<'a>(
    tree: &'a syn::UseTree,
    prefix: &mut Vec<&'a Ident>,
    out: &mut Vec<CandidateLeaf<'a>>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(&p.ident);
            candidate_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut segments = prefix.clone();
            segments.push(&n.ident);
            out.push(CandidateLeaf {
                segments,
                glob: false,
                rename: None,
            });
        }
        syn::UseTree::Rename(r) => {
            let mut segments = prefix.clone();
            segments.push(&r.ident);
            out.push(CandidateLeaf {
                segments,
                glob: false,
                rename: Some(&r.rename),
            });
        }
        syn::UseTree::Glob(_) => out.push(CandidateLeaf {
            segments: prefix.clone(),
            glob: true,
            rename: None,
        }),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                candidate_leaves(tree, prefix, out);
            }
        }
    }
}

/// Whether `stream` is the tokens `pattern` (spans aside). The recursion follows the
/// pattern's nesting, which is bounded.
fn tokens_equal(pattern: &[Token], stream: TokenStream) -> bool {
    let mut trees = stream.into_iter();
    for token in pattern {
        let Some(tree) = trees.next() else {
            return false;
        };
        let same = match (token, &tree) {
            (Token::Ident(text), TokenTree::Ident(ident)) => ident == text,
            (Token::Punct(c), TokenTree::Punct(p)) => p.as_char() == *c,
            (Token::Literal(text), TokenTree::Literal(lit)) => lit.to_string() == *text,
            (Token::Group(delimiter, inner), TokenTree::Group(group)) => {
                *delimiter == group.delimiter() && tokens_equal(inner, group.stream())
            }
            _ => false,
        };
        if !same {
            return false;
        }
    }
    trees.next().is_none()
}

/// `stream` without the outer attributes it starts with.
fn without_attrs(stream: TokenStream) -> TokenStream {
    let mut trees = stream.into_iter().peekable();
    loop {
        let is_pound = matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '#');
        if !is_pound {
            return trees.collect();
        }
        let mut ahead = trees.clone();
        ahead.next();
        if !matches!(ahead.next(), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Bracket)
        {
            return trees.collect();
        }
        trees.next();
        trees.next();
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
