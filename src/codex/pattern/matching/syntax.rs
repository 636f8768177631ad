//! Matching paths (resolved through the file's imports), types, destructuring patterns, and
//! the tokens of macros and attributes.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, GenericArgument, Pat, Type};

use super::{Binding, Matching, span_run, strip_type};
use crate::codex::pattern::tree::{AttrNode, MacroNode, Name, PatNode, PathNode, Token, TypeNode};

impl<'r, 'a> Matching<'r, 'a, '_> {
    /// Whether the path `candidate` (as written) matches: written out, it matches a path that
    /// ends with its segments once resolved through the file's imports (`Duration::from_secs`
    /// matches `std::time::Duration::from_secs` and `D::from_secs` after
    /// `use std::time::Duration as D;`); with metavariables or generic arguments it is compared
    /// with the end of the path as written.
    pub(super) fn path(&mut self, path: &'r PathNode, candidate: &'a syn::Path) -> bool {
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

    pub(super) fn generic(&mut self, ty: &'r TypeNode, arg: &'a GenericArgument) -> bool {
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
    pub(super) fn pat(&mut self, pat: &'r PatNode, candidate: &'a Pat) -> bool {
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
    pub(super) fn tokens(&mut self, tokens: &'r [Token], trees: &[TokenTree]) -> bool {
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
    pub(super) fn token_piece(
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

    pub(super) fn attrs(&mut self, wanted: &'r [AttrNode], attrs: &'a [Attribute]) -> bool {
        wanted.iter().all(|attr| {
            attrs
                .iter()
                .any(|candidate| self.attempt(|m| m.attr(attr, candidate)))
        })
    }
}

/// Whether `stream` is the tokens `pattern` (spans aside). The recursion follows the
/// pattern's nesting, which is bounded.
pub(super) fn tokens_equal(pattern: &[Token], stream: TokenStream) -> bool {
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
pub(super) fn without_attrs(stream: TokenStream) -> TokenStream {
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
