//! `validate` rules: within one function, a value produced by a *source* (a deserializer, a
//! response body) must reach a *validator* before any other use.
//!
//! Each function body is read once, in evaluation order ([`walk`]), like a taint analysis with
//! sources, sanitizers and sinks: every expression is visited knowing how its value is
//! consumed. A source's value that is bound (`let`, `if let`, a `match` arm, a destructuring
//! pattern, a closure parameter of `.map(|v| ..)`, an assignment to a local) is followed by its
//! names; one that is consumed on the spot (stored in a field, passed, returned, pushed) is a use
//! there. The first event of a followed value decides: reaching a validator (by value, by
//! reference, as receiver, or in the condition of an `if` that rejects, or of `ensure!`)
//! validates it; anything else first is a finding at the source, with the use as related place.
//!
//! The walk only computes findings; [`State`] hands them to the main walk, which records each
//! when it reaches the source's token, so that a finding has the same context (statement,
//! allows, test code) as any other.

mod forms;
mod shape;
mod values;
mod walk;

use std::collections::HashMap;
use std::ops::Range;

use proc_macro2::Ident;
use syn::Block;

use super::visit::Walker;
use crate::codex::RuleIndex;

/// How many times its own size a file's macro tokens may be parsed by the flow walks, summed
/// over nesting levels (the main walk has its own budget).
const MACRO_PARSES_PER_BYTE: usize = 16;

/// A finding of a `validate` rule: the source's token and the first use.
#[derive(Debug, Clone)]
struct Pending {
    rule: RuleIndex,
    source: Range<usize>,
    used: Range<usize>,
}

/// The flow analysis of one file: a budget for parsing macro tokens, and per enclosing
/// function, the findings not yet recorded, by the first byte of their source token.
#[derive(Debug)]
pub(crate) struct State {
    budget: usize,
    frames: Vec<HashMap<usize, Vec<Pending>>>,
}

impl State {
    /// The state for a file of `bytes` bytes.
    pub(crate) fn new(bytes: usize) -> Self {
        State {
            budget: bytes.saturating_mul(MACRO_PARSES_PER_BYTE).max(1 << 16),
            frames: Vec::new(),
        }
    }
}

impl Walker<'_> {
    /// Reads a function body for the `validate` rules, before the main walk enters it.
    pub(crate) fn flow_enter(&mut self, body: &Block) {
        let codex = self.codex();
        let specs = codex.triggers().validates();
        if specs.is_empty() {
            return;
        }
        let found = walk::Flow::run(specs, &self.imports, &mut self.flow.budget, body);
        let mut frame: HashMap<usize, Vec<Pending>> = HashMap::new();
        for (spec, source, used) in found {
            if let Some((_, rule)) = specs.get(spec) {
                frame.entry(source.start).or_default().push(Pending {
                    rule: *rule,
                    source,
                    used,
                });
            }
        }
        self.flow.frames.push(frame);
    }

    /// Records, at the end of a function, the findings whose source token the main walk did not
    /// reach (inside a macro it only scanned).
    pub(crate) fn flow_leave(&mut self) {
        if self.codex().triggers().validates().is_empty() {
            return;
        }
        let Some(frame) = self.flow.frames.pop() else {
            return;
        };
        let mut left: Vec<Pending> = frame.into_values().flatten().collect();
        left.sort_by_key(|pending| (pending.source.start, pending.rule));
        self.record_flow(left);
    }

    /// Records the findings whose source token is `token`, which the main walk has reached.
    pub(crate) fn flow_at(&mut self, token: &Ident) {
        if self.flow.frames.is_empty() {
            return;
        }
        let start = token.span().byte_range().start;
        let Some(pending) = self
            .flow
            .frames
            .last_mut()
            .and_then(|frame| frame.remove(&start))
        else {
            return;
        };
        self.record_flow(pending);
    }

    fn record_flow(&mut self, pending: Vec<Pending>) {
        for Pending { rule, source, used } in pending {
            self.record_range(&[rule], source);
            if let Some(last) = self.findings.last_mut() {
                last.related = Some(used);
            }
        }
    }
}
