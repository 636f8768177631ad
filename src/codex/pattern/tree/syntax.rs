//! Building the parts of a pattern shared by code and items: names, paths, types,
//! destructuring patterns, and tokens (of macros and attributes, and of constructs kept whole).

use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, Pat, Type};

use super::{
    ANY, AttrNode, BuildError, Built, Elem, Name, PatNode, PathNode, REST, SegmentNode, Token,
    TypeNode,
};

/// A name of an identifier: `__codex_mv_X` is the metavariable `X`.
pub(crate) fn name(ident: &proc_macro2::Ident) -> Name {
    let text = ident.to_string();
    match text.strip_prefix(ANY) {
        Some(var) => Name::Var(var.to_owned()),
        None => Name::Lit(text),
    }
}

/// The first place in `tokens` a metavariable or `..` was written, if any.
pub(super) fn placeholder_in(tokens: TokenStream) -> Option<usize> {
    let mut stack = vec![tokens.into_iter()];
    let mut previous_dot = false;
    while let Some(top) = stack.last_mut() {
        let Some(tree) = top.next() else {
            stack.pop();
            continue;
        };
        match tree {
            TokenTree::Ident(ident) if ident.to_string().starts_with("__codex_") => {
                return Some(ident.span().byte_range().start);
            }
            TokenTree::Punct(punct) if punct.as_char() == '.' => {
                if previous_dot {
                    return Some(punct.span().byte_range().start.saturating_sub(1));
                }
                previous_dot = punct.spacing() == Spacing::Joint;
                continue;
            }
            TokenTree::Group(group) => stack.push(group.stream().into_iter()),
            _ => {}
        }
        previous_dot = false;
    }
    None
}

/// Keeps `value` whole, as tokens, or says where a metavariable inside it cannot be matched.
pub(super) fn whole<T: ToTokens>(value: &T, what: &str) -> Built<Vec<Token>> {
    let stream = value.to_token_stream();
    match placeholder_in(stream.clone()) {
        Some(at) => Err(BuildError {
            at,
            message: format!(
                "metavariables and `..` are not supported inside {what} in a pattern; write it out, \
                 or match it with `has` or `[match.where]`"
            ),
        }),
        None => Ok(tokens(stream)),
    }
}

pub(super) fn path(path: &syn::Path) -> Built<PathNode> {
    let segments = path
        .segments
        .iter()
        .map(|segment| {
            let args = match &segment.arguments {
                syn::PathArguments::None => None,
                syn::PathArguments::AngleBracketed(angle) => Some(
                    angle
                        .args
                        .iter()
                        .map(|arg| match arg {
                            syn::GenericArgument::Type(ty) => type_elem(ty),
                            other => Ok(Elem::One(TypeNode::Other(whole(
                                other,
                                "a generic argument",
                            )?))),
                        })
                        .collect::<Built<Vec<_>>>()?,
                ),
                syn::PathArguments::Parenthesized(args) => {
                    whole(args, "`Fn(..)` arguments")?;
                    None
                }
            };
            Ok(SegmentNode {
                name: name(&segment.ident),
                args,
            })
        })
        .collect::<Built<Vec<_>>>()?;
    Ok(PathNode { segments })
}

/// The metavariable or run a bare path stands for, if it is one.
pub(super) fn placeholder(path: &syn::Path) -> Option<Elem<String>> {
    let [segment] = path.segments.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    if !matches!(segment.arguments, syn::PathArguments::None) || path.leading_colon.is_some() {
        return None;
    }
    let text = segment.ident.to_string();
    if let Some(rest) = text.strip_prefix(REST) {
        return Some(if rest.is_empty() {
            Elem::Gap
        } else {
            Elem::Rest(rest.to_owned())
        });
    }
    text.strip_prefix(ANY).map(|var| Elem::One(var.to_owned()))
}

pub(super) fn type_elem(ty: &Type) -> Built<Elem<TypeNode>> {
    if let Type::Path(p) = ty
        && p.qself.is_none()
    {
        match placeholder(&p.path) {
            Some(Elem::Gap) => return Ok(Elem::Gap),
            Some(Elem::Rest(name)) => return Ok(Elem::Rest(name)),
            _ => {}
        }
    }
    Ok(Elem::One(type_node(ty)?))
}

/// A type.
pub(crate) fn type_node(ty: &Type) -> Built<TypeNode> {
    Ok(match ty {
        Type::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::One(var)) if var == "_" => TypeNode::Any(String::new()),
            Some(Elem::One(var)) => TypeNode::Any(var),
            Some(_) => {
                return Err(BuildError {
                    at: p
                        .path
                        .segments
                        .first()
                        .map_or(0, |s| s.ident.span().byte_range().start),
                    message: "a run (`..`, `$...X`) stands for generic arguments only, like \
                              `Result<..>`"
                        .to_owned(),
                });
            }
            None => TypeNode::Path(path(&p.path)?),
        },
        Type::Reference(r) => TypeNode::Reference {
            mutable: r.mutability.is_some(),
            elem: Box::new(type_node(&r.elem)?),
        },
        Type::Slice(s) => TypeNode::Slice(Box::new(type_node(&s.elem)?)),
        Type::Tuple(t) => TypeNode::Tuple(t.elems.iter().map(type_elem).collect::<Built<_>>()?),
        Type::Paren(p) => type_node(&p.elem)?,
        Type::Group(g) => type_node(&g.elem)?,
        other => TypeNode::Other(whole(other, "this type")?),
    })
}

pub(super) fn pat_elem(pat: &Pat) -> Built<Elem<PatNode>> {
    match pat {
        Pat::Rest(_) => Ok(Elem::Gap),
        Pat::Ident(i) if i.subpat.is_none() => {
            let text = i.ident.to_string();
            match text.strip_prefix(REST) {
                Some("") => Ok(Elem::Gap),
                Some(rest) => Ok(Elem::Rest(rest.to_owned())),
                None => Ok(Elem::One(pat_node(pat)?)),
            }
        }
        _ => Ok(Elem::One(pat_node(pat)?)),
    }
}

/// A destructuring pattern.
pub(crate) fn pat_node(pat: &Pat) -> Built<PatNode> {
    Ok(match pat {
        Pat::Ident(i) if i.subpat.is_none() && i.by_ref.is_none() => match name(&i.ident) {
            Name::Var(var) if i.mutability.is_none() => PatNode::Any(var),
            name => PatNode::Ident {
                name,
                mutable: i.mutability.is_some(),
            },
        },
        Pat::Wild(_) => PatNode::Wild,
        Pat::TupleStruct(t) if t.qself.is_none() => PatNode::TupleStruct {
            path: path(&t.path)?,
            elems: t.elems.iter().map(pat_elem).collect::<Built<_>>()?,
        },
        Pat::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::One(var)) => PatNode::Any(var),
            _ => PatNode::Path(path(&p.path)?),
        },
        Pat::Tuple(t) => PatNode::Tuple(t.elems.iter().map(pat_elem).collect::<Built<_>>()?),
        Pat::Reference(r) => PatNode::Reference {
            mutable: r.mutability.is_some(),
            pat: Box::new(pat_node(&r.pat)?),
        },
        Pat::Paren(p) => pat_node(&p.pat)?,
        other => PatNode::Other(whole(other, "this pattern")?),
    })
}

/// Tokens as a pattern: metavariables and `..` become [`Token::Var`] and [`Token::Gap`].
pub(crate) fn tokens(stream: TokenStream) -> Vec<Token> {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while let Some(tree) = trees.get(i) {
        i += 1;
        out.push(match tree {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                if let Some(var) = text.strip_prefix(ANY) {
                    Token::Var(var.to_owned())
                } else if text.starts_with(REST) {
                    Token::Gap
                } else {
                    Token::Ident(text)
                }
            }
            TokenTree::Punct(punct) => {
                let dots = punct.as_char() == '.'
                    && punct.spacing() == Spacing::Joint
                    && matches!(trees.get(i), Some(TokenTree::Punct(next)) if next.as_char() == '.');
                if dots {
                    i += 1;
                    Token::Gap
                } else {
                    Token::Punct(punct.as_char())
                }
            }
            TokenTree::Literal(literal) => Token::Literal(literal.to_string()),
            TokenTree::Group(group) => Token::Group(group.delimiter(), tokens(group.stream())),
        });
    }
    // `..` is an element of a comma-separated list, as in argument lists: the commas around it
    // are its separators, which the run takes along.
    let mut list: Vec<Token> = Vec::with_capacity(out.len());
    for token in out {
        let comma = token == Token::Punct(',');
        if comma && list.last() == Some(&Token::Gap) {
            continue;
        }
        if token == Token::Gap && list.last() == Some(&Token::Punct(',')) {
            list.pop();
        }
        list.push(token);
    }
    list
}

/// An attribute.
pub(crate) fn attr_node(attr: &Attribute) -> AttrNode {
    let meta_path = attr.path();
    let args = match &attr.meta {
        syn::Meta::Path(_) => None,
        syn::Meta::List(list) => Some(tokens(list.tokens.clone())),
        syn::Meta::NameValue(nv) => Some(tokens(nv.value.to_token_stream())),
    };
    AttrNode {
        path: meta_path.segments.iter().map(|s| name(&s.ident)).collect(),
        inner: matches!(attr.style, syn::AttrStyle::Inner(_)),
        args,
    }
}
