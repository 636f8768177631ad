//! Pattern rules and rule objects in the walk: each node entered is offered to the rules that
//! can match its kind, then tested against the `inside` rules of the Codex, whose matches are
//! kept on an ancestor record until the walk leaves the node. `inside` is then a look-up in
//! that record; `has` searches the node's descendants, paid for from a per-file budget
//! (a budget per rule and file); fixes are filled from the file's own text.

use std::cell::Cell;
use std::ops::Range;

use proc_macro2::Ident;
use syn::visit::{self, Visit};
use syn::{Expr, Lit, Stmt};

use super::Walker;
use super::anchor::{finding_range, node_range};
use crate::codex::matcher::{Atomic, Kind, Objects, Relation, RuleObject, StopBy};
use crate::codex::pattern::{Binding, FnRef, Matching, Tag, Target, matching, tree};
use crate::codex::pattern::{Node, Root};
use crate::codex::{FixKind, RuleIndex, TemplatePart};
use crate::engine::imports::Imports;

/// Steps of `has` searches and run placements a file may take, per byte of the file: far more
/// than code written by people needs, and linear in the file whatever it holds.
pub(super) const STEPS_PER_BYTE: usize = 64;

/// The `inside` rules matched by the nodes the walk is in, with how deep each node is.
#[derive(Debug, Default)]
pub(crate) struct Ancestry {
    depth: usize,
    matched: Vec<(usize, usize)>,
    /// An `inside` rule ran out of budget on some node: what ancestors match is unknown from
    /// there on.
    starved: bool,
}

impl Ancestry {
    /// Whether an ancestor of a node at the current depth matches the `inside` rule `id`, the
    /// search stopping as `stop` says (`stop_id` numbers its rule).
    fn holds(&self, id: usize, stop: &StopBy, stop_id: Option<usize>) -> bool {
        let parent = self.depth.checked_sub(1);
        match stop {
            StopBy::Neighbor => self
                .matched
                .iter()
                .rev()
                .take_while(|(_, depth)| Some(*depth) >= parent)
                .any(|(rule, depth)| *rule == id && Some(*depth) == parent),
            StopBy::End => self.matched.iter().any(|(rule, _)| *rule == id),
            StopBy::Rule(_) => {
                let floor = stop_id.and_then(|stop| {
                    self.matched
                        .iter()
                        .rev()
                        .find(|(rule, _)| *rule == stop)
                        .map(|(_, depth)| *depth)
                });
                self.matched
                    .iter()
                    .rev()
                    .any(|(rule, depth)| *rule == id && floor.is_none_or(|floor| *depth >= floor))
            }
        }
    }
}

/// Evaluates rule objects on nodes.
struct Eval<'e, 'r, 'a> {
    matching: Matching<'r, 'a, 'e>,
    objects: &'r Objects,
    ancestry: &'e Ancestry,
    text: &'e str,
}

impl<'e, 'r, 'a> Eval<'e, 'r, 'a> {
    fn new(
        resolve: &'e dyn Fn(&[String]) -> Vec<Vec<String>>,
        budget: &'e Cell<usize>,
        objects: &'r Objects,
        ancestry: &'e Ancestry,
        text: &'e str,
    ) -> Self {
        Eval {
            matching: Matching::new(resolve, budget),
            objects,
            ancestry,
            text,
        }
    }

    /// Whether `target` matches `object`, its bindings kept when it does.
    fn object(&mut self, object: &'r RuleObject, target: Target<'a>) -> bool {
        let mark = self.matching.mark();
        let matched = self.object_keys(object, target, false);
        if !matched {
            self.matching.reset(mark);
        }
        matched
    }

    /// Whether `target` matches `object`, without keeping bindings.
    fn probe(&mut self, object: &'r RuleObject, target: Target<'a>) -> bool {
        let mark = self.matching.mark();
        let matched = self.object_keys(object, target, false);
        self.matching.reset(mark);
        matched
    }

    fn object_keys(
        &mut self,
        object: &'r RuleObject,
        target: Target<'a>,
        skip_atomic: bool,
    ) -> bool {
        if let (Some(atomic), false) = (&object.atomic, skip_atomic) {
            if !self.atomic(atomic, target) {
                return false;
            }
        }
        if let Some(kind) = &object.kind {
            if kind_matches(kind.kind, target) == kind.negated {
                return false;
            }
        }
        if !object.all.iter().all(|child| self.object(child, target)) {
            return false;
        }
        if !object.any.is_empty() && !object.any.iter().any(|child| self.object(child, target)) {
            return false;
        }
        if let Some(not) = &object.not {
            if self.probe(not, target) {
                return false;
            }
        }
        if let Some(util) = &object.matches {
            if !self.object(&util.object, target) {
                return false;
            }
        }
        if let Some(inside) = &object.inside {
            if !self.inside(inside) {
                return false;
            }
        }
        if let Some(outside) = &object.not_inside {
            if self.inside(outside) {
                return false;
            }
        }
        if object.regex.is_some() || object.not_regex.is_some() {
            let text = self.text.get(finding_text(target)).unwrap_or("");
            if object.regex.as_ref().is_some_and(|r| !r.0.is_match(text))
                || object
                    .not_regex
                    .as_ref()
                    .is_some_and(|r| r.0.is_match(text))
            {
                return false;
            }
        }
        if let Some(has) = &object.has {
            if !self.has(has, target) {
                return false;
            }
        }
        if let Some(lacks) = &object.not_has {
            let mark = self.matching.mark();
            let found = self.has(lacks, target);
            self.matching.reset(mark);
            if found || self.matching.starved() {
                return false;
            }
        }
        object.constraints.iter().all(|(name, constraint)| {
            let Some(binding) = self.matching.get(name).cloned() else {
                return false;
            };
            self.constraint(constraint, &binding)
        })
    }

    fn atomic(&mut self, atomic: &'r Atomic, target: Target<'a>) -> bool {
        match (atomic, target) {
            (Atomic::Pattern(pattern), Target::Stmts(stmts)) => match &pattern.root {
                Root::Node(Node::Seq(elems)) => self.matching.sequence(elems, stmts, 0).is_some(),
                _ => false,
            },
            (Atomic::Pattern(pattern), _) => self.matching.root(&pattern.root, target),
            (Atomic::Method(names), Target::Expr(Expr::MethodCall(call))) => {
                names.iter().any(|name| call.method == name)
            }
            (Atomic::Macro(names), Target::Macro(mac)) => {
                let std_path = mac.path.segments.len() == 1
                    || (mac.path.segments.len() == 2
                        && mac.path.segments.first().is_some_and(|first| {
                            first.ident == "std" || first.ident == "core" || first.ident == "alloc"
                        }));
                std_path
                    && mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|last| names.iter().any(|name| last.ident == name))
            }
            (Atomic::Call(paths), Target::Expr(Expr::Call(call))) => {
                let Expr::Path(func) = matching::strip(&call.func) else {
                    return false;
                };
                if func.qself.is_some() {
                    return false;
                }
                let written = crate::codex::pattern::segments(&func.path);
                let candidates = (self.matching.resolver())(&written);
                candidates
                    .iter()
                    .any(|candidate| paths.iter().any(|p| p.matches(candidate)))
            }
            _ => false,
        }
    }

    fn inside(&mut self, relation: &'r Relation) -> bool {
        if self.ancestry.starved {
            // What the ancestors match is unknown: no finding may rest on it.
            self.matching.starve();
            return false;
        }
        let Some(id) = self.objects.ancestor_id(&relation.rule) else {
            return false;
        };
        let stop_id = match &relation.stop_by {
            StopBy::Rule(stop) => self.objects.ancestor_id(stop),
            _ => None,
        };
        self.ancestry.holds(id, &relation.stop_by, stop_id)
    }

    /// Whether a descendant of `target` matches the relation's rule; its bindings are kept.
    fn has(&mut self, relation: &'r Relation, target: Target<'a>) -> bool {
        let mut search = Descend {
            eval: self,
            rule: &relation.rule,
            stop: &relation.stop_by,
            found: false,
        };
        match target {
            Target::Expr(expr) => visit::visit_expr(&mut search, expr),
            Target::Local(local) => visit::visit_local(&mut search, local),
            Target::Item(item) => visit::visit_item(&mut search, item),
            Target::Fn(f) => {
                for attr in f.attrs {
                    search.visit_attribute(attr);
                }
                visit::visit_signature(&mut search, f.sig);
                if let Some(body) = f.body {
                    search.visit_block(body);
                }
            }
            Target::Type(ty) => visit::visit_type(&mut search, ty),
            Target::Stmts(stmts) => {
                for stmt in stmts {
                    search.visit_stmt(stmt);
                }
            }
            Target::Macro(_) | Target::Attr(_) => {}
        }
        search.found
    }

    /// Whether the code bound to a metavariable satisfies a `[match.where]` rule.
    fn constraint(&mut self, constraint: &'r RuleObject, binding: &Binding<'a>) -> bool {
        if let Some(target) = binding.target() {
            return self.object(constraint, target);
        }
        // A name, a pattern or a run: only its text and kind can be tested.
        let ident = binding.ident().map(ToString::to_string);
        let text = match &ident {
            Some(ident) => ident.as_str(),
            None => binding
                .range()
                .and_then(|range| self.text.get(range))
                .unwrap_or(""),
        };
        if constraint
            .regex
            .as_ref()
            .is_some_and(|r| !r.0.is_match(text))
            || constraint
                .not_regex
                .as_ref()
                .is_some_and(|r| r.0.is_match(text))
        {
            return false;
        }
        if let Some(kind) = &constraint.kind {
            let is = kind.kind == Kind::Identifier && ident.is_some();
            if is == kind.negated {
                return false;
            }
        }
        let text_only = RuleObject {
            regex: constraint.regex.clone(),
            not_regex: constraint.not_regex.clone(),
            kind: constraint.kind.clone(),
            ..RuleObject::default()
        };
        *constraint == text_only
    }

    /// The replacement text of a template fix for the node at `range`, from the file's text.
    fn fill(&self, parts: &[TemplatePart]) -> Option<String> {
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Text(text) => out.push_str(text),
                TemplatePart::Var(name) => {
                    let binding = self.matching.get(name)?;
                    if let Some(ident) = binding.ident() {
                        out.push_str(&ident.to_string());
                        continue;
                    }
                    match binding.range() {
                        Some(range) => out.push_str(self.text.get(range)?),
                        // An empty run.
                        None if matches!(binding, Binding::Exprs(_) | Binding::Span(_)) => {}
                        None => return None,
                    }
                }
            }
        }
        Some(out)
    }
}

/// The bytes whose text `regex` is tested on.
fn finding_text(target: Target<'_>) -> Range<usize> {
    node_range(target)
}

/// Whether `target` is of kind `kind`.
fn kind_matches(kind: Kind, target: Target<'_>) -> bool {
    if !kind.tags().contains(target.tag()) {
        return false;
    }
    match (kind, target) {
        (Kind::String, Target::Expr(expr)) => {
            matches!(matching::strip(expr), Expr::Lit(l) if matches!(l.lit, Lit::Str(_)))
        }
        (Kind::Integer, Target::Expr(expr)) => {
            matches!(matching::strip(expr), Expr::Lit(l) if matches!(l.lit, Lit::Int(_)))
        }
        (Kind::Identifier, Target::Expr(expr)) => {
            matches!(matching::strip(expr), Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
        }
        (Kind::Identifier, Target::Type(syn::Type::Path(p))) => {
            p.qself.is_none() && p.path.get_ident().is_some()
        }
        (Kind::UnsafeFn, Target::Fn(f)) => matches!(f.sig.safety, syn::Safety::Unsafe(_)),
        (Kind::AsyncFn, Target::Fn(f)) => f.sig.asyncness.is_some(),
        (Kind::UnsafeImpl, Target::Item(syn::Item::Impl(i))) => i.unsafety.is_some(),
        _ => true,
    }
}

/// Searches the descendants of a node for one matching a rule.
struct Descend<'s, 'e, 'r, 'a> {
    eval: &'s mut Eval<'e, 'r, 'a>,
    rule: &'r RuleObject,
    stop: &'r StopBy,
    found: bool,
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
            let found = self.evaluate(objects, candidates, target);
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
                if let Some(up) = objects.ancestor(id) {
                    if eval.probe(up, target) {
                        matched.push(id);
                    }
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

    fn evaluate(&self, objects: &Objects, candidates: &[usize], target: Target<'_>) -> Vec<Found> {
        let imports: &Imports = &self.imports;
        let resolve = |path: &[String]| imports.resolve(path);
        let mut found = Vec::new();
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
                continue;
            }
            let matched = eval.object(object, target);
            if !matched || eval.matching.starved() {
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
        found
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
