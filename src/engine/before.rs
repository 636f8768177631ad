//! `before` rules at each call: a *required* call is remembered for the rest of the enclosing
//! function; a *trigger* with none before it is a finding, once per statement (a chain such as
//! `Server::bind(a).serve(m)` starts one server).
//!
//! A function call matches by its path, resolved through the file's imports; a method call by
//! its name (`.validate()` for `validate*`), or, for a `Type.method` pattern, by its name in a
//! file that imports that type.

use proc_macro2::Ident;

use super::visit::Walker;
use crate::codex::{PathPattern, RuleIndex};

/// What the `before` rules remember across calls of one file.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Per rule, the statement of its last finding.
    reported: Vec<(RuleIndex, usize)>,
    /// Whether the file imports the type of each `Type.method` pattern (numbered in rule
    /// order, triggers then requirements), valid for one generation of the imports.
    brought: Option<(usize, Vec<Option<bool>>)>,
}

/// How a call is known: a function by its resolved paths, or a method by its name.
enum Call<'a> {
    Function(&'a [Vec<String>]),
    Method(&'a str),
}

impl Walker<'_> {
    /// `before` rules at a function call whose path may stand for `candidates`.
    pub(crate) fn before_call(&mut self, candidates: &[Vec<String>], name: &Ident) {
        self.before(&Call::Function(candidates), name);
    }

    /// `before` rules at a method call.
    pub(crate) fn before_method(&mut self, name: &Ident) {
        let method = name.to_string();
        self.before(&Call::Method(&method), name);
    }

    fn before(&mut self, call: &Call<'_>, name: &Ident) {
        let codex = self.codex();
        let befores = codex.triggers().befores();
        if befores.is_empty() || self.required_seen.is_empty() {
            return;
        }
        let mut number = 0;
        let mut found = Vec::new();
        for (index, (trigger, required, rule)) in befores.iter().enumerate() {
            let first = number;
            number += trigger.len() + required.len();
            if self.any_matches(call, required, first + trigger.len()) {
                if let Some(flag) = self
                    .required_seen
                    .last_mut()
                    .and_then(|seen| seen.get_mut(index))
                {
                    *flag = true;
                }
                continue;
            }
            let seen = self
                .required_seen
                .last()
                .and_then(|seen| seen.get(index))
                .copied()
                .unwrap_or(false);
            if !seen && self.any_matches(call, trigger, first) {
                found.push(*rule);
            }
        }
        if let Some(statement) = self.current_statement() {
            found.retain(|rule| {
                !self
                    .before
                    .reported
                    .iter()
                    .any(|(r, s)| r == rule && *s == statement)
            });
            for rule in &found {
                self.before.reported.retain(|(r, _)| r != rule);
                self.before.reported.push((*rule, statement));
            }
        }
        if !found.is_empty() {
            self.record(&found, name);
        }
    }

    /// Whether `call` matches one of `patterns`, numbered from `first`.
    fn any_matches(&mut self, call: &Call<'_>, patterns: &[PathPattern], first: usize) -> bool {
        patterns.iter().enumerate().any(|(i, pattern)| match call {
            Call::Function(candidates) => candidates.iter().any(|path| pattern.matches(path)),
            Call::Method(method) if pattern.is_method() => {
                pattern.last_matches(method) && self.brings(pattern, first + i)
            }
            Call::Method(method) => pattern.matches(&[(*method).to_owned()]),
        })
    }

    /// Whether the file imports the type of the method pattern `pattern`, number `number`.
    fn brings(&mut self, pattern: &PathPattern, number: usize) -> bool {
        let generation = self.imports.generation();
        if self
            .before
            .brought
            .as_ref()
            .is_none_or(|(at, _)| *at != generation)
        {
            self.before.brought = Some((generation, Vec::new()));
        }
        let known = self
            .before
            .brought
            .as_ref()
            .and_then(|(_, known)| known.get(number).copied().flatten());
        if let Some(known) = known {
            return known;
        }
        let brings = pattern
            .method_of()
            .is_some_and(|(_, ty)| self.imports.brings(ty.name(), &|path| ty.matches(path)));
        if let Some((_, known)) = &mut self.before.brought {
            if known.len() <= number {
                known.resize(number + 1, None);
            }
            if let Some(slot) = known.get_mut(number) {
                *slot = Some(brings);
            }
        }
        brings
    }
}
