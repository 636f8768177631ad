//! Where a finding of a pattern or rule object sits: it starts at the node's telling token
//! (a method's name, a macro's name, `unsafe`, a function's name) and ends where the node ends,
//! so an editor underlines the whole node and `--diff` catches a change anywhere in it.

use std::ops::Range;

use syn::spanned::Spanned;
use syn::{Expr, Item, Type};

use crate::codex::pattern::Target;

/// The bytes a finding on `target` covers.
pub(super) fn finding_range(target: Target<'_>) -> Range<usize> {
    let (start, end) = match target {
        Target::Expr(expr) => expr_anchor(expr),
        Target::Local(local) => (
            local.let_token.span.byte_range().start,
            local.semi_token.span.byte_range().end,
        ),
        Target::Fn(f) => (
            f.sig.ident.span().byte_range().start,
            f.body.map_or_else(
                || f.sig.span().byte_range().end,
                |body| body.brace_token.span.close().byte_range().end,
            ),
        ),
        Target::Item(item) => item_anchor(item),
        Target::Macro(mac) => (
            mac.path
                .segments
                .last()
                .map_or(0, |last| last.ident.span().byte_range().start),
            mac.delimiter.span().close().byte_range().end,
        ),
        Target::Type(ty) => {
            let range = match ty {
                Type::Path(p) => p
                    .path
                    .segments
                    .last()
                    .map_or_else(|| ty.span().byte_range(), |s| s.ident.span().byte_range()),
                _ => ty.span().byte_range(),
            };
            (range.start, ty.span().byte_range().end.max(range.end))
        }
        Target::Attr(attr) => (
            attr.pound_token.span.byte_range().start,
            attr.bracket_token.span.close().byte_range().end,
        ),
        Target::Stmts(stmts) => (
            stmts.first().map_or(0, |s| s.span().byte_range().start),
            stmts.last().map_or(0, |s| s.span().byte_range().end),
        ),
    };
    start..end.max(start)
}

/// The bytes `target` spans, whole: what a fix template replaces.
pub(super) fn node_range(target: Target<'_>) -> Range<usize> {
    match target {
        Target::Expr(expr) => expr.span().byte_range(),
        Target::Local(local) => local.span().byte_range(),
        Target::Item(item) => item.span().byte_range(),
        Target::Fn(f) => {
            let start = f.attrs.first().map_or_else(
                || f.sig.span().byte_range().start,
                |a| a.span().byte_range().start,
            );
            start..finding_range(target).end
        }
        Target::Macro(mac) => mac.span().byte_range(),
        Target::Type(ty) => ty.span().byte_range(),
        Target::Attr(attr) => attr.span().byte_range(),
        Target::Stmts(_) => finding_range(target),
    }
}

fn expr_anchor(expr: &Expr) -> (usize, usize) {
    let whole = || expr.span().byte_range();
    let (start, end) = match expr {
        Expr::MethodCall(call) => (
            call.method.span().byte_range(),
            call.paren_token.span.close().byte_range(),
        ),
        Expr::Call(call) => {
            let start = match &*call.func {
                Expr::Path(p) => p
                    .path
                    .segments
                    .last()
                    .map_or_else(whole, |s| s.ident.span().byte_range()),
                _ => whole(),
            };
            (start, call.paren_token.span.close().byte_range())
        }
        Expr::Macro(m) => (
            m.mac
                .path
                .segments
                .last()
                .map_or_else(whole, |s| s.ident.span().byte_range()),
            m.mac.delimiter.span().close().byte_range(),
        ),
        Expr::Cast(cast) => (cast.as_token.span.byte_range(), cast.ty.span().byte_range()),
        Expr::Unsafe(u) => (
            u.unsafe_token.span.byte_range(),
            u.block.brace_token.span.close().byte_range(),
        ),
        Expr::Struct(s) => (
            s.path
                .segments
                .last()
                .map_or_else(whole, |seg| seg.ident.span().byte_range()),
            s.brace_token.span.close().byte_range(),
        ),
        Expr::Path(p) => {
            let last = p
                .path
                .segments
                .last()
                .map_or_else(whole, |s| s.ident.span().byte_range());
            (last.clone(), last)
        }
        Expr::Field(f) => (f.member.span().byte_range(), f.member.span().byte_range()),
        Expr::If(i) => (i.if_token.span.byte_range(), whole()),
        Expr::Async(a) => (a.async_token.span.byte_range(), whole()),
        Expr::ForLoop(f) => (f.for_token.span.byte_range(), whole()),
        Expr::While(w) => (w.while_token.span.byte_range(), whole()),
        Expr::Loop(l) => (l.loop_token.span.byte_range(), whole()),
        Expr::Return(r) => (r.return_token.span.byte_range(), whole()),
        Expr::Await(a) => (
            a.await_token.span.byte_range(),
            a.await_token.span.byte_range(),
        ),
        Expr::Let(l) => (l.let_token.span.byte_range(), whole()),
        Expr::Try(t) => (
            t.question_token.span.byte_range(),
            t.question_token.span.byte_range(),
        ),
        _ => (whole(), whole()),
    };
    (start.start, end.end)
}

fn item_anchor(item: &Item) -> (usize, usize) {
    let whole = item.span().byte_range();
    let start = match item {
        Item::Impl(i) => i.impl_token.span.byte_range().start,
        Item::Mod(m) => m.ident.span().byte_range().start,
        Item::Use(u) => u.use_token.span.byte_range().start,
        Item::Static(s) => s.ident.span().byte_range().start,
        Item::Const(c) => c.ident.span().byte_range().start,
        Item::Struct(s) => s.ident.span().byte_range().start,
        Item::Enum(e) => e.ident.span().byte_range().start,
        Item::Trait(t) => t.ident.span().byte_range().start,
        Item::Type(t) => t.ident.span().byte_range().start,
        _ => whole.start,
    };
    (start, whole.end)
}
