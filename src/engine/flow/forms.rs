//! How each form of expression and statement hands values on: blocks and their tail, `let`,
//! calls and method calls (validators, pass-throughs, closures that receive the value), `if`,
//! `if let`, `match`, closures, and macro arguments (parsed, or scanned token by token, with
//! the identifiers format strings capture).

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Block, Expr, Item, Lit, Pat, Stmt, Token};

use super::shape::{self, Method};
use super::walk::{Ctx, Flow};
use crate::codex::pattern::segments;
use crate::engine::imports::Imports;

impl Flow<'_> {
    pub(super) fn block(&mut self, block: &Block, tail: Ctx) {
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

    pub(super) fn local(&mut self, local: &syn::Local) {
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

    pub(super) fn call(&mut self, call: &syn::ExprCall, ctx: &Ctx) {
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

    pub(super) fn method_call(&mut self, call: &syn::ExprMethodCall, ctx: Ctx) {
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

    pub(super) fn closure(&mut self, closure: &syn::ExprClosure) {
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

    pub(super) fn if_expr(&mut self, expr: &syn::ExprIf, ctx: &Ctx) {
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

    pub(super) fn let_expr(&mut self, expr: &syn::ExprLet) {
        // `if let Ok(v) = source { return v; }` binds the value; it does not check it.
        let rejecting = std::mem::take(&mut self.rejecting);
        self.let_binding(expr);
        self.rejecting = rejecting;
    }

    pub(super) fn let_binding(&mut self, expr: &syn::ExprLet) {
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

    pub(super) fn match_expr(&mut self, expr: &syn::ExprMatch, ctx: &Ctx) {
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
    pub(super) fn mac(&mut self, mac: &syn::Macro) {
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
    pub(super) fn captures(&mut self, literal: &proc_macro2::Literal) {
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
    pub(super) fn scan(&mut self, tokens: TokenStream) {
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
