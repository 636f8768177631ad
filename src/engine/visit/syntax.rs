//! Small facts read off syntax nodes: an item's attributes and name, whether a function returns
//! `Result` or `Option`, the name an `impl` is known by, where an expression starts.

use syn::{Attribute, Expr, Item, Type};

pub(super) fn item_parts(item: &Item) -> (&[Attribute], Option<String>, bool) {
    match item {
        Item::Fn(f) => (&f.attrs, Some(f.sig.ident.to_string()), true),
        Item::Mod(m) => (&m.attrs, Some(m.ident.to_string()), false),
        Item::Impl(i) => (&i.attrs, Some(type_name(&i.self_ty)), false),
        Item::Trait(t) => (&t.attrs, Some(t.ident.to_string()), false),
        Item::Const(c) => (&c.attrs, Some(c.ident.to_string()), false),
        Item::Static(s) => (&s.attrs, Some(s.ident.to_string()), false),
        Item::Struct(s) => (&s.attrs, Some(s.ident.to_string()), false),
        Item::Enum(e) => (&e.attrs, Some(e.ident.to_string()), false),
        Item::Union(u) => (&u.attrs, Some(u.ident.to_string()), false),
        Item::Type(t) => (&t.attrs, Some(t.ident.to_string()), false),
        Item::Macro(m) => (&m.attrs, m.ident.as_ref().map(ToString::to_string), false),
        Item::Use(u) => (&u.attrs, None, false),
        Item::ExternCrate(e) => (&e.attrs, None, false),
        Item::ForeignMod(f) => (&f.attrs, None, false),
        Item::TraitAlias(t) => (&t.attrs, None, false),
        _ => (&[], None, false),
    }
}

/// Whether a function returns `Result` or `Option` (any path ending so: `io::Result<()>`).
pub(super) fn returns_try(sig: &syn::Signature) -> bool {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => match &**ty {
            Type::Path(path) => path
                .path
                .segments
                .last()
                .is_some_and(|last| last.ident == "Result" || last.ident == "Option"),
            _ => false,
        },
        syn::ReturnType::Default => false,
    }
}

/// The name an `impl` block is known by: the last segment of its self type.
pub(super) fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(|| "_".to_owned(), |s| s.ident.to_string()),
        Type::Reference(reference) => type_name(&reference.elem),
        Type::Paren(inner) => type_name(&inner.elem),
        Type::Group(inner) => type_name(&inner.elem),
        _ => "_".to_owned(),
    }
}

/// Byte offset of the first token of an expression, found without building token streams, by
/// a loop down the left edge of the tree (chains are long).
pub(super) fn expr_start(mut expr: &Expr) -> Option<usize> {
    loop {
        expr = match expr {
            Expr::MethodCall(e) => &e.receiver,
            Expr::Call(e) => &e.func,
            Expr::Field(e) => &e.base,
            Expr::Index(e) => &e.expr,
            Expr::Binary(e) => &e.left,
            Expr::Cast(e) => &e.expr,
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Assign(e) => &e.left,
            Expr::Range(e) => e.start.as_deref()?,
            Expr::Unary(e)
                if matches!(
                    e.op,
                    syn::UnOp::Deref(_) | syn::UnOp::Not(_) | syn::UnOp::Neg(_)
                ) =>
            {
                return token_start(expr);
            }
            Expr::Unary(e) => &e.expr,
            _ => return token_start(expr),
        };
    }
}

/// Byte offset of an expression's first token when it is a token of the expression itself.
pub(super) fn token_start(expr: &Expr) -> Option<usize> {
    let span = match expr {
        Expr::Path(e) => e.path.segments.first().map(|s| s.ident.span())?,
        Expr::Macro(e) => e.mac.path.segments.first().map(|s| s.ident.span())?,
        Expr::If(e) => e.if_token.span,
        Expr::Match(e) => e.match_token.span,
        Expr::Return(e) => e.return_token.span,
        Expr::Let(e) => e.let_token.span,
        Expr::Unary(e) => match e.op {
            syn::UnOp::Deref(t) => t.span,
            syn::UnOp::Not(t) => t.span,
            syn::UnOp::Neg(t) => t.span,
            _ => return None,
        },
        Expr::Reference(e) => e.and_token.span,
        Expr::Paren(e) => e.paren_token.span.open(),
        Expr::Block(e) => e.block.brace_token.span.open(),
        Expr::Unsafe(e) => e.unsafe_token.span,
        Expr::Lit(e) => e.lit.span(),
        _ => return None,
    };
    Some(span.byte_range().start)
}
