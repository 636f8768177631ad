//! Matching items: functions (in modules, impls and traits), impl blocks, modules, `use`
//! items, statics and constants, with the attributes they must carry.

use quote::ToTokens;
use syn::{FnArg, Ident, Item};

use super::syntax::{tokens_equal, without_attrs};
use super::{Matching, item_attrs, item_target, span_run};
use crate::codex::pattern::target::{FnRef, Target, item_tag};
use crate::codex::pattern::tree::{FnNode, ItemKind, ItemNode, ParamNode, UseLeaf};

impl<'r, 'a> Matching<'r, 'a, '_> {
    /// Whether an item (or a function) matches.
    pub(super) fn item(&mut self, item: &'r ItemNode, target: Target<'a>) -> bool {
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

    pub(super) fn item_kind(&mut self, kind: &'r ItemKind, candidate: &'a Item) -> bool {
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

    pub(super) fn impl_member(&mut self, wanted: &'r ItemNode, member: &'a syn::ImplItem) -> bool {
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
    pub(super) fn function(&mut self, f: &'r FnNode, candidate: FnRef<'a>) -> bool {
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
            (Some(body), None) => crate::codex::pattern::tree::is_any_block(body),
        }
    }

    pub(super) fn param(&mut self, param: &'r ParamNode, candidate: &'a FnArg) -> bool {
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
