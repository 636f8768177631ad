//! Matching expressions, statements and blocks.

use quote::ToTokens;
use syn::{Block, Expr, Pat, Stmt};

use super::syntax::tokens_equal;
use super::{Binding, Matching, exprs_run, item_target, span_run, stmt_run, strip};
use crate::codex::pattern::Root;
use crate::codex::pattern::target::expr_tag;
use crate::codex::pattern::tree::{BlockNode, Elem, Name, Node, PatNode, PathNode, TypeNode};

impl<'r, 'a> Matching<'r, 'a, '_> {
    pub(super) fn local_stmt(&mut self, root: &'r Root, local: &'a syn::Local) -> bool {
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

    pub(super) fn local(
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
    pub(super) fn compound(&mut self, node: &'r Node, expr: &'a Expr) -> bool {
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
    pub(super) fn chain(&mut self, inner: &'r Node, mut expr: &'a Expr) -> bool {
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

    pub(super) fn exprs<P>(
        &mut self,
        elems: &'r [Elem<Node>],
        candidates: &'a syn::punctuated::Punctuated<Expr, P>,
    ) -> bool {
        let items: Vec<&'a Expr> = candidates.iter().collect();
        self.run(elems, &items, true, true, Matching::expr, exprs_run)
            .is_some()
    }

    pub(super) fn structure(
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
    pub(super) fn block(&mut self, body: &'r BlockNode, block: &'a Block) -> bool {
        let items: Vec<&'a Stmt> = block.stmts.iter().collect();
        self.run(&body.0, &items, true, true, Matching::stmt, stmt_run)
            .is_some()
    }

    /// Whether the statement `stmt` matches `node`: an expression pattern matches an
    /// expression statement, with or without its semicolon.
    pub(super) fn stmt(&mut self, node: &'r Node, stmt: &'a Stmt) -> bool {
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
}
