//! The values a flow walk follows: bindings handed values, names bound in nested scopes with
//! one slot per binding, and the events that settle a followed value (a use, a validation),
//! each costing one lookup.

use std::ops::Range;

use syn::Pat;

use super::shape;
use super::walk::{Ctx, Entry, Flow};

/// At most this many sources are followed through one binding (`let v = match .. { .. }` can
/// gather several); more would make copying them cost more than reading the code.
const MAX_SOURCES: usize = 8;

impl Flow<'_> {
    pub(super) fn new_binding(&mut self) -> usize {
        self.bindings.push(Vec::new());
        self.bindings.len() - 1
    }

    /// Hands `entries` to binding `id`, keeping at most [`MAX_SOURCES`] distinct sources.
    pub(super) fn hand(&mut self, id: usize, entries: Vec<Entry>) {
        let Some(binding) = self.bindings.get_mut(id) else {
            return;
        };
        for entry in entries {
            let known = binding
                .iter()
                .any(|e| e.spec == entry.spec && e.source == entry.source);
            if !known && binding.len() < MAX_SOURCES {
                binding.push(entry);
            }
        }
    }

    pub(super) fn take_binding(&mut self, id: usize) -> Vec<Entry> {
        self.bindings
            .get_mut(id)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    pub(super) fn open(&mut self) {
        self.scopes.push(Vec::new());
    }

    pub(super) fn close(&mut self) {
        for name in self.scopes.pop().unwrap_or_default() {
            if let Some(slots) = self.names.get_mut(&name) {
                slots.pop();
            }
        }
    }

    /// Binds the names of `pat` in the current scope, handing them `values`.
    pub(super) fn bind(&mut self, pat: &Pat, values: &[Entry]) {
        if values.is_empty() && self.names.is_empty() {
            return;
        }
        let values = values.get(..MAX_SOURCES).unwrap_or(values);
        let mut names = Vec::new();
        shape::bound_names(pat, &mut names);
        for name in names {
            let slot = (!values.is_empty()).then(|| values.to_vec());
            if slot.is_none() && !self.names.contains_key(&name) {
                continue;
            }
            self.names.entry(name.clone()).or_default().push(slot);
            if let Some(scope) = self.scopes.last_mut() {
                scope.push(name);
            }
        }
    }

    /// A pattern over a `Result`/`Option` (an `if let`, a `match` arm): its `Ok(..)`/`Some(..)`
    /// part takes the values, the rest binds nothing followed.
    pub(super) fn bind_inner(&mut self, pat: &Pat, values: &[Entry]) {
        match shape::value_pattern(pat) {
            Ok(Some(inner)) => self.bind(inner, values),
            _ => self.bind(pat, &[]),
        }
    }

    /// `name = value`: the local now holds what `values` holds.
    pub(super) fn assign(&mut self, name: String, values: Vec<Entry>) {
        if let Some(slot) = self.names.get_mut(&name).and_then(|slots| slots.last_mut()) {
            *slot = (!values.is_empty()).then_some(values);
        } else if !values.is_empty() {
            // A local bound before anything was followed: followed to the end of the function
            // (the outermost slot, which no scope closes).
            self.names.entry(name).or_default().insert(0, Some(values));
        }
    }

    pub(super) fn validates(&self, name: &str) -> u64 {
        let name = [name.to_owned()];
        self.specs
            .iter()
            .enumerate()
            .take(64)
            .filter(|(_, (spec, _))| spec.validators.iter().any(|p| p.matches(&name)))
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }

    /// A source's value, produced at `token`, consumed as `ctx` says.
    pub(super) fn source(&mut self, entries: Vec<Entry>, ctx: &Ctx, token: &Range<usize>) {
        if self.rejecting > 0 {
            return;
        }
        let at = match ctx {
            Ctx::Dropped | Ctx::ClosureTail | Ctx::Tested => return,
            Ctx::Bound(id) => {
                self.hand(*id, entries);
                return;
            }
            Ctx::Here => token.clone(),
            Ctx::At(at) => at.clone(),
            Ctx::Arg { validates, at } => {
                self.used(entries, *validates, at);
                return;
            }
        };
        self.used(entries, 0, &at);
    }

    /// A followed value, mentioned at `at`, consumed as `ctx` says.
    pub(super) fn mention(&mut self, name: &str, ctx: &Ctx, at: &Range<usize>) {
        if matches!(ctx, Ctx::Tested) {
            return;
        }
        let Some(slot) = self.names.get_mut(name).and_then(|slots| slots.last_mut()) else {
            return;
        };
        let Some(entries) = slot.take() else {
            return;
        };
        if self.rejecting > 0 {
            self.used(entries, u64::MAX, at);
            return;
        }
        match ctx {
            Ctx::Dropped | Ctx::Tested => {}
            Ctx::Bound(id) => self.hand(*id, entries),
            Ctx::Arg { validates, .. } => self.used(entries, *validates, at),
            Ctx::Here | Ctx::At(_) | Ctx::ClosureTail => self.used(entries, 0, at),
        }
    }

    pub(super) fn used(&mut self, entries: Vec<Entry>, validates: u64, at: &Range<usize>) {
        for entry in entries {
            // `u64::MAX`: every rule counts it as validation (a rejecting condition).
            let passes =
                validates == u64::MAX || (entry.spec < 64 && validates & (1 << entry.spec) != 0);
            // A value bound to several names (`let (a, b) = ..`) is settled by the first event
            // of any of them.
            if self.settled.insert((entry.spec, entry.source.start)) && !passes {
                self.found.push((entry.spec, entry.source, at.clone()));
            }
        }
    }

    /// The `validate` rules for which a call of `path` (as written) is a source.
    pub(super) fn source_call(&self, path: &[String]) -> Vec<usize> {
        let Some(last) = path.last() else {
            return Vec::new();
        };
        // Only a bare name can be an alias; a longer path keeps its last segment.
        let possible = path.len() == 1
            || self
                .specs
                .iter()
                .any(|(spec, _)| spec.sources.iter().any(|p| p.last_matches(last)));
        if !possible {
            return Vec::new();
        }
        let resolved = self.imports.resolve_within(&self.layers, path);
        self.specs
            .iter()
            .enumerate()
            .filter(|(_, (spec, _))| {
                resolved
                    .iter()
                    .any(|full| spec.sources.iter().any(|p| p.matches(full)))
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub(super) fn entries(specs: Vec<usize>, token: &Range<usize>) -> Vec<Entry> {
        specs
            .into_iter()
            .map(|spec| Entry {
                spec,
                source: token.clone(),
            })
            .collect()
    }
}
