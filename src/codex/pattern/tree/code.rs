//! Building the code of a pattern: expressions, statements, blocks and items.

use quote::ToTokens;
use syn::{Attribute, Expr, FnArg, Item, Pat, ReturnType, Stmt};

use super::syntax::{pat_elem, path, placeholder, whole};
use super::{
    AttrNode, BlockNode, BuildError, Built, CHAIN, Elem, FnNode, ItemKind, ItemNode, MacroNode,
    Name, Node, PARAMS, ParamNode, UseLeaf, attr_node, name, pat_node, tokens, type_node,
};
use crate::codex::pattern::target::{Tag, expr_tag, item_tag};

pub(super) fn args<'e>(exprs: impl IntoIterator<Item = &'e Expr>) -> Built<Vec<Elem<Node>>> {
    exprs.into_iter().map(expr_elem).collect()
}

/// An expression in a sequence: `..` and `$...X` are runs there.
pub(super) fn expr_elem(expr: &Expr) -> Built<Elem<Node>> {
    match expr {
        Expr::Range(r) if r.start.is_none() && r.end.is_none() => {
            if matches!(r.limits, syn::RangeLimits::HalfOpen(_)) {
                Ok(Elem::Gap)
            } else {
                Ok(Elem::One(expr_node(expr)?))
            }
        }
        Expr::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::Gap) => Ok(Elem::Gap),
            Some(Elem::Rest(name)) => Ok(Elem::Rest(name)),
            _ => Ok(Elem::One(expr_node(expr)?)),
        },
        _ => Ok(Elem::One(expr_node(expr)?)),
    }
}

/// Says where a run was written where one node is expected.
pub(super) fn single(elem: Elem<Node>, at: usize) -> Built<Node> {
    match elem {
        Elem::One(node) => Ok(node),
        Elem::Gap | Elem::Rest(_) => Err(BuildError {
            at,
            message: "a run (`..`, `$...X`) stands for arguments, statements, fields or \
                      parameters only; write `$X` for one expression"
                .to_owned(),
        }),
    }
}

pub(super) fn boxed(expr: &Expr) -> Built<Box<Node>> {
    Ok(Box::new(expr_node(expr)?))
}

/// An expression.
pub(crate) fn expr_node(expr: &Expr) -> Built<Node> {
    Ok(match expr {
        Expr::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::One(var)) if var == "_" => Node::Wild,
            Some(Elem::One(var)) => Node::Any(var),
            Some(_) => {
                let at = p
                    .path
                    .segments
                    .first()
                    .map_or(0, |s| s.ident.span().byte_range().start);
                return single(Elem::Gap, at);
            }
            None => Node::Path(path(&p.path)?),
        },
        Expr::MethodCall(call) if call.method == CHAIN => {
            if !call.args.is_empty() {
                return Err(BuildError {
                    at: call.method.span().byte_range().start,
                    message: "`.$$$.` stands for calls between two links of a chain".to_owned(),
                });
            }
            Node::Chain(boxed(&call.receiver)?)
        }
        Expr::MethodCall(call) => Node::MethodCall {
            receiver: boxed(&call.receiver)?,
            method: name(&call.method),
            args: args(&call.args)?,
        },
        Expr::Call(call) => Node::Call {
            func: boxed(&call.func)?,
            args: args(&call.args)?,
        },
        Expr::Field(field) => Node::Field {
            base: boxed(&field.base)?,
            member: match &field.member {
                syn::Member::Named(ident) => name(ident),
                syn::Member::Unnamed(index) => Name::Lit(index.index.to_string()),
            },
        },
        Expr::Cast(cast) => Node::Cast {
            expr: boxed(&cast.expr)?,
            ty: type_node(&cast.ty)?,
        },
        Expr::Reference(r) => Node::Reference {
            mutable: r.mutability.is_some(),
            expr: boxed(&r.expr)?,
        },
        Expr::Unary(u) => Node::Unary {
            op: std::mem::discriminant(&u.op),
            expr: boxed(&u.expr)?,
        },
        Expr::Binary(b) => Node::Binary {
            left: boxed(&b.left)?,
            op: std::mem::discriminant(&b.op),
            right: boxed(&b.right)?,
        },
        Expr::Assign(a) => Node::Assign {
            left: boxed(&a.left)?,
            right: boxed(&a.right)?,
        },
        Expr::Index(i) => Node::Index {
            expr: boxed(&i.expr)?,
            index: boxed(&i.index)?,
        },
        Expr::Try(t) => Node::Try(boxed(&t.expr)?),
        Expr::Await(a) => Node::Await(boxed(&a.base)?),
        Expr::Paren(p) => expr_node(&p.expr)?,
        Expr::Group(g) => expr_node(&g.expr)?,
        Expr::Macro(m) => Node::Macro(macro_node(&m.mac)),
        Expr::Lit(lit) if lit.attrs.is_empty() => Node::Lit(lit.lit.to_token_stream().to_string()),
        Expr::Range(r) if r.start.is_none() && r.end.is_none() => {
            return single(Elem::Gap, 0);
        }
        other => return compound_node(other),
    })
}

/// An expression holding blocks or lists: a struct literal, a block, a condition, a loop, a
/// closure, a tuple, an array; any other is kept whole.
pub(super) fn compound_node(expr: &Expr) -> Built<Node> {
    Ok(match expr {
        Expr::Struct(s) if s.qself.is_none() => {
            if s.rest.is_some() {
                return Ok(Node::Other {
                    tag: Tag::Struct,
                    tokens: whole(expr, "a struct literal with a base (`..base`)")?,
                });
            }
            Node::Struct {
                path: path(&s.path)?,
                fields: s
                    .fields
                    .iter()
                    .map(|field| {
                        let member = match &field.member {
                            syn::Member::Named(ident) => name(ident),
                            syn::Member::Unnamed(index) => Name::Lit(index.index.to_string()),
                        };
                        Ok((member, expr_node(&field.expr)?))
                    })
                    .collect::<Built<_>>()?,
                rest: s.dot2_token.is_some(),
            }
        }
        Expr::Block(b) if b.label.is_none() => Node::Block(block(&b.block)?),
        Expr::Unsafe(u) => Node::Unsafe(block(&u.block)?),
        Expr::Async(a) => Node::Async(block(&a.block)?),
        Expr::If(i) => Node::If {
            cond: boxed(&i.cond)?,
            then: block(&i.then_branch)?,
            otherwise: i
                .else_branch
                .as_ref()
                .map(|(_, other)| boxed(other))
                .transpose()?,
        },
        Expr::Let(l) => Node::Let {
            pat: pat_node(&l.pat)?,
            expr: boxed(&l.expr)?,
        },
        Expr::While(w) if w.label.is_none() => Node::While {
            cond: boxed(&w.cond)?,
            body: block(&w.body)?,
        },
        Expr::ForLoop(f) if f.label.is_none() => Node::ForLoop {
            pat: pat_node(&f.pat)?,
            expr: boxed(&f.expr)?,
            body: block(&f.body)?,
        },
        Expr::Loop(l) if l.label.is_none() => Node::Loop(block(&l.body)?),
        Expr::Closure(c) if matches!(c.output, ReturnType::Default) => Node::Closure {
            inputs: c.inputs.iter().map(pat_elem).collect::<Built<_>>()?,
            body: boxed(&c.body)?,
        },
        Expr::Return(r) => Node::Return(r.expr.as_deref().map(boxed).transpose()?),
        Expr::Tuple(t) => Node::Tuple(args(&t.elems)?),
        Expr::Array(a) => Node::Array(args(&a.elems)?),
        other => Node::Other {
            tag: expr_tag(other),
            tokens: whole(other, "this expression")?,
        },
    })
}

/// The statements of a block.
pub(crate) fn block(block: &syn::Block) -> Built<BlockNode> {
    Ok(BlockNode(statements(&block.stmts)?))
}

/// Statements, `..` between them a gap.
pub(crate) fn statements(stmts: &[Stmt]) -> Built<Vec<Elem<Node>>> {
    stmts
        .iter()
        .map(|stmt| match stmt {
            Stmt::Expr(expr, _) => expr_elem(expr),
            other => Ok(Elem::One(stmt_node(other)?)),
        })
        .collect()
}

/// A statement: an expression statement is its expression.
pub(crate) fn stmt_node(stmt: &Stmt) -> Built<Node> {
    Ok(match stmt {
        Stmt::Local(local) => {
            let (pat, ty) = match &local.pat {
                Pat::Type(typed) => (pat_node(&typed.pat)?, Some(type_node(&typed.ty)?)),
                other => (pat_node(other)?, None),
            };
            Node::Local {
                pat,
                ty,
                init: local
                    .init
                    .as_ref()
                    .map(|init| boxed(&init.expr))
                    .transpose()?,
                diverge: local
                    .init
                    .as_ref()
                    .and_then(|init| init.diverge.as_ref())
                    .map(|(_, other)| boxed(other))
                    .transpose()?,
            }
        }
        Stmt::Item(item) => Node::Item(Box::new(item_node(item)?)),
        Stmt::Expr(expr, _) => single(expr_elem(expr)?, 0)?,
        Stmt::Macro(m) => Node::Macro(macro_node(&m.mac)),
    })
}

/// A macro invocation.
pub(crate) fn macro_node(mac: &syn::Macro) -> MacroNode {
    MacroNode {
        name: mac
            .path
            .segments
            .last()
            .map(|last| last.ident.to_string())
            .unwrap_or_default(),
        tokens: tokens(mac.tokens.clone()),
    }
}

pub(super) fn attrs(attrs: &[Attribute]) -> Vec<AttrNode> {
    attrs.iter().map(attr_node).collect()
}

/// An item.
pub(crate) fn item_node(item: &Item) -> Built<ItemNode> {
    let kind = match item {
        Item::Fn(f) => ItemKind::Fn(fn_node(&f.vis, &f.sig, Some(&f.block))?),
        Item::Impl(i) => impl_node(i)?,
        Item::Mod(m) => ItemKind::Mod {
            name: name(&m.ident),
            items: m
                .content
                .as_ref()
                .map(|(_, items)| items.iter().map(item_node).collect::<Built<_>>())
                .transpose()?,
        },
        Item::Use(u) => {
            let mut leaves = Vec::new();
            use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
            ItemKind::Use(leaves)
        }
        Item::Static(s) => ItemKind::Static {
            mutable: matches!(s.mutability, syn::StaticMutability::Mut(_)),
            name: name(&s.ident),
            ty: type_node(&s.ty)?,
            expr: boxed(&s.expr)?,
        },
        Item::Const(c) => ItemKind::Const {
            name: name(&c.ident),
            ty: type_node(&c.ty)?,
            expr: boxed(&c.expr)?,
        },
        Item::Macro(m) if m.ident.is_none() => ItemKind::Macro(macro_node(&m.mac)),
        other => {
            let mut bare = other.clone();
            strip_item_attrs(&mut bare);
            ItemKind::Other {
                tag: item_tag(other),
                tokens: whole(&bare, "this item")?,
            }
        }
    };
    let written = crate::codex::pattern::matching::item_attrs(item);
    Ok(ItemNode {
        attrs: attrs(written),
        kind,
    })
}

/// An `impl` block.
pub(super) fn impl_node(i: &syn::ItemImpl) -> Built<ItemKind> {
    Ok(ItemKind::Impl {
        unsafety: i.unsafety.is_some(),
        trait_: i
            .trait_
            .as_ref()
            .map(|(trait_path, _)| path(trait_path))
            .transpose()?,
        self_ty: type_node(&i.self_ty)?,
        items: i
            .items
            .iter()
            .map(|member| match member {
                syn::ImplItem::Fn(f) => Ok(ItemNode {
                    attrs: attrs(&f.attrs),
                    kind: ItemKind::Fn(fn_node(&f.vis, &f.sig, Some(&f.block))?),
                }),
                other => Ok(ItemNode {
                    attrs: Vec::new(),
                    kind: ItemKind::Other {
                        tag: Tag::OtherItem,
                        tokens: whole(other, "this impl member")?,
                    },
                }),
            })
            .collect::<Built<_>>()?,
    })
}

/// Takes the attributes off an item kept whole: they are compared as [`AttrNode`]s.
pub(crate) fn strip_item_attrs(item: &mut Item) {
    match item {
        Item::Struct(s) => s.attrs.clear(),
        Item::Enum(e) => e.attrs.clear(),
        Item::Trait(t) => t.attrs.clear(),
        Item::Type(t) => t.attrs.clear(),
        Item::Union(u) => u.attrs.clear(),
        Item::ExternCrate(e) => e.attrs.clear(),
        Item::ForeignMod(f) => f.attrs.clear(),
        Item::TraitAlias(t) => t.attrs.clear(),
        Item::Macro(m) => m.attrs.clear(),
        _ => {}
    }
}

pub(super) fn use_leaves(tree: &syn::UseTree, prefix: &mut Vec<Name>, out: &mut Vec<UseLeaf>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(name(&p.ident));
            use_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut segments = prefix.clone();
            segments.push(name(&n.ident));
            out.push(UseLeaf {
                segments,
                glob: false,
                rename: None,
            });
        }
        syn::UseTree::Rename(r) => {
            let mut segments = prefix.clone();
            segments.push(name(&r.ident));
            out.push(UseLeaf {
                segments,
                glob: false,
                rename: Some(name(&r.rename)),
            });
        }
        syn::UseTree::Glob(_) => out.push(UseLeaf {
            segments: prefix.clone(),
            glob: true,
            rename: None,
        }),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix, out);
            }
        }
    }
}

/// A function: `vis`, signature and body as written in the pattern.
pub(super) fn fn_node(
    vis: &syn::Visibility,
    sig: &syn::Signature,
    body: Option<&syn::Block>,
) -> Built<FnNode> {
    let params = sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Receiver(receiver) => Ok(Elem::One(ParamNode::Receiver {
                reference: matches!(receiver.kind, syn::ReceiverKind::Reference(..)),
                mutable: receiver.mutability.is_some()
                    || matches!(receiver.kind, syn::ReceiverKind::Reference(_, _, Some(_))),
            })),
            FnArg::Typed(typed) => {
                if let Pat::Ident(ident) = &*typed.pat
                    && ident.ident == PARAMS
                {
                    return Ok(Elem::Gap);
                }
                Ok(Elem::One(ParamNode::Typed {
                    pat: pat_node(&typed.pat)?,
                    ty: type_node(&typed.ty)?,
                }))
            }
        })
        .collect::<Built<_>>()?;
    // A body of one `..` (`{ .. }`) matches any body, as leaving it out does.
    let body = body.map(block).transpose()?;
    Ok(FnNode {
        public: !matches!(vis, syn::Visibility::Inherited),
        constness: sig.constness.is_some(),
        asyncness: sig.asyncness.is_some(),
        unsafety: matches!(sig.safety, syn::Safety::Unsafe(_)),
        abi: sig.abi.is_some(),
        name: name(&sig.ident),
        params,
        output: match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some(type_node(ty)?),
        },
        body,
    })
}

/// Whether a block pattern is `{ .. }`, which matches any body, even a missing one.
pub(crate) fn is_any_block(block: &BlockNode) -> bool {
    matches!(block.0.as_slice(), [Elem::Gap])
}
