//! `has`: searching the descendants of a node for one matching a rule, as deep as `stop_by`
//! says, each node paid for from the rule's budget. Macro arguments are not searched.

use syn::Expr;
use syn::visit::{self, Visit};

use super::eval::Eval;
use crate::codex::matcher::{RuleObject, StopBy};
use crate::codex::pattern::{FnRef, Target, matching};

/// Searches the descendants of a node for one matching a rule.
pub(super) struct Descend<'s, 'e, 'r, 'a> {
    pub(super) eval: &'s mut Eval<'e, 'r, 'a>,
    pub(super) rule: &'r RuleObject,
    pub(super) stop: &'r StopBy,
    pub(super) found: bool,
}

impl<'a> Descend<'_, '_, '_, 'a> {
    /// Tests `target`, then its children (through `recurse`) when the search goes deeper.
    fn node(&mut self, target: Target<'a>, recurse: impl FnOnce(&mut Self)) {
        if self.found || !self.eval.matching.charge(1) {
            return;
        }
        if self.eval.object(self.rule, target) {
            self.found = true;
            return;
        }
        let deeper = match self.stop {
            StopBy::Neighbor => false,
            StopBy::End => true,
            StopBy::Rule(stop) => !self.eval.probe(stop, target),
        };
        if deeper {
            recurse(self);
        }
    }
}

impl<'a> Visit<'a> for Descend<'_, '_, '_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.node(Target::Expr(expr), |search| visit::visit_expr(search, expr));
    }

    fn visit_local(&mut self, local: &'a syn::Local) {
        self.node(Target::Local(local), |search| {
            visit::visit_local(search, local);
        });
    }

    fn visit_item(&mut self, item: &'a syn::Item) {
        self.node(matching::item_target(item), |search| {
            visit::visit_item(search, item);
        });
    }

    fn visit_impl_item_fn(&mut self, item: &'a syn::ImplItemFn) {
        let target = Target::Fn(FnRef {
            attrs: &item.attrs,
            vis: Some(&item.vis),
            sig: &item.sig,
            body: Some(&item.block),
        });
        self.node(target, |search| visit::visit_impl_item_fn(search, item));
    }

    fn visit_trait_item_fn(&mut self, item: &'a syn::TraitItemFn) {
        let target = Target::Fn(FnRef {
            attrs: &item.attrs,
            vis: None,
            sig: &item.sig,
            body: item.default.as_ref(),
        });
        self.node(target, |search| visit::visit_trait_item_fn(search, item));
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        self.node(Target::Macro(mac), |_| {});
    }

    fn visit_type(&mut self, ty: &'a syn::Type) {
        self.node(Target::Type(ty), |search| visit::visit_type(search, ty));
    }

    fn visit_attribute(&mut self, attr: &'a syn::Attribute) {
        self.node(Target::Attr(attr), |_| {});
    }

    fn visit_block(&mut self, block: &'a syn::Block) {
        if self.found {
            return;
        }
        // A statement sequence is tested on the block's statements; the block is no level.
        if self.eval.matching.charge(1) && self.eval.object(self.rule, Target::Stmts(&block.stmts))
        {
            self.found = true;
            return;
        }
        visit::visit_block(self, block);
    }
}
