//! Pattern rules and rule objects in the walk: each node entered is offered to the rules that
//! can match its kind, then tested against the `inside` rules of the Codex, whose matches are
//! kept on an ancestor record until the walk leaves the node. `inside` is then a look-up in
//! that record; `has` searches the node's descendants, paid for from a per-file budget
//! (a budget per rule and file); fixes are filled from the file's own text.

use std::ops::Range;

use proc_macro2::Ident;
use syn::{Expr, Stmt};

use super::Walker;
use super::anchor::{finding_range, node_range};
use super::eval::Eval;
use crate::codex::matcher::{Atomic, Objects, RuleObject};
use crate::codex::pattern::{Node, Root, Tag, Target, tree};
use crate::codex::{FixKind, RuleIndex, TemplatePart};
use crate::engine::imports::Imports;

/// Steps of `has` searches and run placements a file may take, per byte of the file: far more
/// than code written by people needs, and linear in the file whatever it holds.
pub(super) const STEPS_PER_BYTE: usize = 64;

/// A finding about to be recorded: the rule, where, the name that picks its clippy lint, and
/// its fix.
type Found = (
    RuleIndex,
    Range<usize>,
    Option<String>,
    Option<(Range<usize>, String)>,
);

impl Walker<'_> {
    /// Offers `target` to the pattern and rule-object rules that can match it, then records
    /// which `inside` rules it matches; `true` when [`Walker::leave_node`] must follow the walk
    /// of its children.
    pub(super) fn enter_node(&mut self, target: Target<'_>) -> bool {
        let objects = self.codex.triggers().objects();
        if objects.is_empty() {
            return false;
        }
        let tag = target.tag();
        let candidates = objects.for_tag(tag);
        if !candidates.is_empty() {
            let (found, starved) = self.evaluate(objects, candidates, target);
            for rule in starved {
                if self.exhausted.iter().all(|(seen, _)| *seen != rule) {
                    self.exhausted.push((rule, finding_range(target)));
                }
            }
            for (rule, range, name, fix) in found {
                let at = self.findings.len();
                self.record_named(&[rule], range, name.as_deref());
                if let Some(finding) = self.findings.get_mut(at) {
                    finding.fix = fix;
                }
            }
        }
        if !objects.has_ancestors() {
            return false;
        }
        let ups = objects.ancestors_for(tag);
        if !ups.is_empty() {
            let imports = &self.imports;
            let resolve = |path: &[String]| imports.resolve(path);
            let mut matched = Vec::new();
            let Some(budget) = self.budgets.last() else {
                return false;
            };
            let mut eval = Eval::new(&resolve, budget, objects, &self.ancestry, self.text);
            for &id in ups {
                if let Some(up) = objects.ancestor(id)
                    && eval.probe(up, target)
                {
                    matched.push(id);
                }
            }
            let starved = eval.matching.starved();
            self.ancestry.starved |= starved;
            let depth = self.ancestry.depth;
            self.ancestry
                .matched
                .extend(matched.into_iter().map(|id| (id, depth)));
        }
        self.ancestry.depth += 1;
        true
    }

    /// Leaves the node [`Walker::enter_node`] entered.
    pub(super) fn leave_node(&mut self, entered: bool) {
        if !entered {
            return;
        }
        self.ancestry.depth -= 1;
        let depth = self.ancestry.depth;
        while self
            .ancestry
            .matched
            .last()
            .is_some_and(|(_, at)| *at >= depth)
        {
            self.ancestry.matched.pop();
        }
    }

    /// Adds a top-level `use` item's names to the imports, and offers it to the rules.
    pub(crate) fn visit_use(&mut self, item: &syn::ItemUse) {
        self.imports.add(item);
        let objects = self.codex.triggers().objects();
        if objects.for_tag(Tag::Use).is_empty() && objects.ancestors_for(Tag::Use).is_empty() {
            return;
        }
        let item = syn::Item::Use(item.clone());
        let entered = self.enter_node(Target::Item(&item));
        self.leave_node(entered);
    }

    /// The findings of the rules `candidates` on `target`, and the rules whose evaluation ran
    /// out of budget (theirs, or the `inside` rules') so that whether they match is unknown.
    fn evaluate(
        &self,
        objects: &Objects,
        candidates: &[usize],
        target: Target<'_>,
    ) -> (Vec<Found>, Vec<RuleIndex>) {
        let imports: &Imports = &self.imports;
        let resolve = |path: &[String]| imports.resolve(path);
        let mut found = Vec::new();
        let mut starved = Vec::new();
        for &index in candidates {
            let Some((object, rule)) = objects.rule(index) else {
                continue;
            };
            let fix = self
                .codex
                .rule(rule)
                .and_then(|r| r.fix.as_ref())
                .and_then(|fix| match &fix.kind {
                    FixKind::Template(parts) => Some(parts.as_slice()),
                    FixKind::TryOperator => None,
                });
            let Some(budget) = self.budgets.get(index) else {
                continue;
            };
            let mut eval = Eval::new(&resolve, budget, objects, &self.ancestry, self.text);
            if let (Some(Atomic::Pattern(pattern)), Target::Stmts(stmts)) = (&object.atomic, target)
            {
                if let Root::Node(Node::Seq(elems)) = &pattern.root {
                    self.sequences(&mut eval, object, elems, stmts, rule, &mut found);
                }
                if eval.matching.starved() {
                    starved.push(rule);
                }
                continue;
            }
            let matched = eval.object(object, target);
            if eval.matching.starved() {
                starved.push(rule);
                continue;
            }
            if !matched {
                continue;
            }
            let fix = fix.and_then(|parts| self.fix(&eval, parts, node_range(target)));
            found.push((
                rule,
                finding_range(target),
                picked_name(object, target),
                fix,
            ));
        }
        (found, starved)
    }

    /// Every match of the statement sequence `elems` in `stmts`, each reported from its first
    /// statement to its last.
    fn sequences<'r, 'a>(
        &self,
        eval: &mut Eval<'_, 'r, 'a>,
        object: &'r RuleObject,
        elems: &'r [tree::Elem<Node>],
        stmts: &'a [Stmt],
        rule: RuleIndex,
        found: &mut Vec<Found>,
    ) {
        let mut from = 0;
        while let Some(range) = eval.matching.sequence(elems, stmts, from) {
            let matched = stmts.get(range.clone()).unwrap_or_default();
            if eval.object_keys(object, Target::Stmts(matched), true) && !eval.matching.starved() {
                let fix = self
                    .codex
                    .rule(rule)
                    .and_then(|r| r.fix.as_ref())
                    .and_then(|fix| match &fix.kind {
                        FixKind::Template(parts) => {
                            self.fix(eval, parts, finding_range(Target::Stmts(matched)))
                        }
                        FixKind::TryOperator => None,
                    });
                found.push((rule, finding_range(Target::Stmts(matched)), None, fix));
            }
            eval.matching.reset(0);
            from = range.start + 1;
        }
    }

    /// A template fix replacing `range`. The engine attaches a fix's start to the code before
    /// it (for `?`), so the whitespace before `range` is part of the replacement.
    fn fix(
        &self,
        eval: &Eval<'_, '_, '_>,
        parts: &[TemplatePart],
        range: Range<usize>,
    ) -> Option<(Range<usize>, String)> {
        let filled = eval.fill(parts)?;
        let before = self.text.get(..range.start)?;
        let start = before.trim_end().len();
        let gap = self.text.get(start..range.start)?;
        Some((start..range.end, format!("{gap}{filled}")))
    }
}

/// The method or macro name a finding matched, which picks the rule's clippy lint.
fn picked_name(object: &RuleObject, target: Target<'_>) -> Option<String> {
    let name: Option<&Ident> = match (&object.atomic, target) {
        (Some(Atomic::Method(_)), Target::Expr(Expr::MethodCall(call))) => Some(&call.method),
        (Some(Atomic::Macro(_)), Target::Macro(mac)) => mac.path.segments.last().map(|s| &s.ident),
        _ => None,
    };
    name.map(ToString::to_string)
}
