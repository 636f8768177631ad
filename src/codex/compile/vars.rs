//! The metavariables a rule binds, and the checks that rest on them: constraints name bound
//! metavariables, and fix templates use only those.

use super::object;
use crate::codex::Matcher;
use crate::codex::load::LoadError;
use crate::codex::matcher::{Atomic, RuleObject};

/// Checks that every metavariable `[match.where]` constrains is bound by a pattern of the rule,
/// and that a run (`$...X`) is held only to `regex` / `not_regex`.
pub(super) fn check_constraints(
    cx: &object::Context<'_>,
    object: &RuleObject,
    errors: &mut Vec<LoadError>,
) {
    let vars = bound_vars(object);
    for (name, span, only_text) in &cx.constrained {
        match vars.iter().find(|(known, _)| known == name) {
            None => errors.push(LoadError::invalid(
                &cx.file,
                span.clone(),
                format!(
                    "`${name}` is not a metavariable of this rule's patterns: constraints apply to \
                     the code a pattern binds (`inside` binds only for itself)"
                ),
            )),
            Some((_, true)) if !only_text => errors.push(LoadError::invalid(
                &cx.file,
                span.clone(),
                format!(
                    "`$...{name}` is a run: hold it to `regex` or `not_regex` only, or bind one \
                     node with `${name}`"
                ),
            )),
            Some(_) => {}
        }
    }
}

/// The metavariables the patterns of `object` bind where the rule can use them (not those of
/// `inside` / `not_inside`, which bind for themselves), and whether each is a run.
pub(super) fn bound_vars(object: &RuleObject) -> Vec<(String, bool)> {
    let mut vars: Vec<(String, bool)> = Vec::new();
    let mut stack = vec![object];
    while let Some(object) = stack.pop() {
        if let Some(Atomic::Pattern(pattern)) = &object.atomic {
            for (name, run) in &pattern.vars {
                if !vars.iter().any(|(known, _)| known == name) {
                    vars.push((name.clone(), *run));
                }
            }
        }
        for relation in [&object.has, &object.not_has].into_iter().flatten() {
            stack.push(&relation.rule);
        }
        stack.extend(object.all.iter().chain(&object.any));
        if let Some(util) = &object.matches {
            stack.push(&util.object);
        }
    }
    vars
}

/// The metavariables a rule's matcher binds, for its fix template.
pub(super) fn matcher_vars(matcher: &Matcher) -> Vec<(String, bool)> {
    match matcher {
        Matcher::Pattern(pattern) => pattern.vars.clone(),
        Matcher::Object(object) => bound_vars(object),
        _ => Vec::new(),
    }
}
