//! Evaluating a rule object on one node: its atomic key, kind, composites, relations
//! (`inside` looked up in the [`Ancestry`], `has` searched by [`super::descend`]), text tests and
//! constraints; and the ancestor record the walk keeps.

use std::cell::Cell;
use std::ops::Range;

use syn::visit::{self, Visit};
use syn::{Expr, Lit};

use super::anchor::node_range;
use super::descend::Descend;
use crate::codex::TemplatePart;
use crate::codex::matcher::{Atomic, Kind, Objects, Relation, RuleObject, StopBy};
use crate::codex::pattern::{Binding, Matching, Node, Root, Target, matching};

/// The `inside` rules matched by the nodes the walk is in, with how deep each node is.
#[derive(Debug, Default)]
pub(crate) struct Ancestry {
    pub(super) depth: usize,
    pub(super) matched: Vec<(usize, usize)>,
    /// An `inside` rule ran out of budget on some node: what ancestors match is unknown from
    /// there on.
    pub(super) starved: bool,
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
pub(super) struct Eval<'e, 'r, 'a> {
    pub(super) matching: Matching<'r, 'a, 'e>,
    objects: &'r Objects,
    ancestry: &'e Ancestry,
    text: &'e str,
}

impl<'e, 'r, 'a> Eval<'e, 'r, 'a> {
    pub(super) fn new(
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
    pub(super) fn object(&mut self, object: &'r RuleObject, target: Target<'a>) -> bool {
        let mark = self.matching.mark();
        let matched = self.object_keys(object, target, false);
        if !matched {
            self.matching.reset(mark);
        }
        matched
    }

    /// Whether `target` matches `object`, without keeping bindings.
    pub(super) fn probe(&mut self, object: &'r RuleObject, target: Target<'a>) -> bool {
        let mark = self.matching.mark();
        let matched = self.object_keys(object, target, false);
        self.matching.reset(mark);
        matched
    }

    pub(super) fn object_keys(
        &mut self,
        object: &'r RuleObject,
        target: Target<'a>,
        skip_atomic: bool,
    ) -> bool {
        if let (Some(atomic), false) = (&object.atomic, skip_atomic)
            && !self.atomic(atomic, target)
        {
            return false;
        }
        if let Some(kind) = &object.kind
            && kind_matches(kind.kind, target) == kind.negated
        {
            return false;
        }
        if !object.all.iter().all(|child| self.object(child, target)) {
            return false;
        }
        if !object.any.is_empty() && !object.any.iter().any(|child| self.object(child, target)) {
            return false;
        }
        if let Some(not) = &object.not
            && self.probe(not, target)
        {
            return false;
        }
        if let Some(util) = &object.matches
            && !self.object(&util.object, target)
        {
            return false;
        }
        if let Some(inside) = &object.inside
            && !self.inside(inside)
        {
            return false;
        }
        if let Some(outside) = &object.not_inside
            && self.inside(outside)
        {
            return false;
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
        if let Some(has) = &object.has
            && !self.has(has, target)
        {
            return false;
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

    pub(super) fn atomic(&mut self, atomic: &'r Atomic, target: Target<'a>) -> bool {
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

    pub(super) fn inside(&mut self, relation: &'r Relation) -> bool {
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
    pub(super) fn has(&mut self, relation: &'r Relation, target: Target<'a>) -> bool {
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
    pub(super) fn constraint(&mut self, constraint: &'r RuleObject, binding: &Binding<'a>) -> bool {
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
    pub(super) fn fill(&self, parts: &[TemplatePart]) -> Option<String> {
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
