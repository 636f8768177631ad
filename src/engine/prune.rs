//! Which parts of an item with a trigger word need a syntax tree at all.
//!
//! An `impl`, a trait or an inline module is mostly members that hold no trigger word; walking
//! them finds nothing, so their bytes are left out of what syn parses (recursively, for the
//! members kept that are blocks themselves). Test-only code (`#[cfg(test)]`, `#[test]` on an
//! item or member) is left out as well when no rule of the Codex looks at test code: every
//! finding there would be out of scope.
//!
//! The walk of a left-out part could still change what comes after it in one way: a `use`
//! inside it is added to the imports that resolve later calls. A part that holds the word `use`
//! is therefore left out only when no trigger word comes after it, so nothing walked later can
//! see the difference.

use std::ops::Range;

use crate::codex::{Codex, Matcher, Scope};
use crate::source::attrs;
use crate::source::lex::outline::split_range;
use crate::source::lex::{Item, Outline};

/// What decides which parts of the items are left out.
pub(crate) struct Pruning<'h> {
    /// Offsets of the trigger words, sorted.
    hits: &'h [usize],
    /// Whether test-only code can be left out: no rule looks at test code.
    skip_tests: bool,
    /// Indices of the `use` tokens, in order.
    uses: Vec<usize>,
}

/// What to do with one item that holds a trigger word.
pub(crate) enum Plan {
    /// Not parsed at all.
    Skip,
    /// Parsed without these byte ranges (whole members).
    Without(Vec<Range<usize>>),
}

impl<'h> Pruning<'h> {
    /// The pruning for the file `outline` whose trigger words are at `hits`, checked against
    /// `codex`.
    pub(crate) fn new(codex: &Codex, outline: &Outline<'_>, hits: &'h [usize]) -> Self {
        let skip_tests = !codex.rules().iter().any(|rule| {
            rule.applies_to(Scope::Test)
                && rule
                    .matcher
                    .parts()
                    .iter()
                    .any(|part| !matches!(part, Matcher::Builtin(_)))
        });
        let uses = (0..outline.tokens.len())
            .filter(|&i| outline.tokens.is_word(i, "use"))
            .collect();
        Pruning {
            hits,
            skip_tests,
            uses,
        }
    }

    /// Whether a trigger word is in `range`.
    fn hit_in(&self, range: &Range<usize>) -> bool {
        let first = self.hits.partition_point(|&hit| hit < range.start);
        self.hits.get(first).is_some_and(|&hit| hit < range.end)
    }

    /// Whether a trigger word comes at or after `offset`.
    fn hit_from(&self, offset: usize) -> bool {
        self.hits.last().is_some_and(|&last| last >= offset)
    }

    /// Whether the part whose tokens are `tokens` and bytes `range` may be left out when
    /// everything up to `walked_after` is: it holds no `use`, or nothing walked comes after it.
    fn removable(&self, tokens: &Range<usize>, walked_after: usize) -> bool {
        let first = self.uses.partition_point(|&i| i < tokens.start);
        let holds_use = self.uses.get(first).is_some_and(|&i| i < tokens.end);
        !holds_use || !self.hit_from(walked_after)
    }

    /// Whether the item or member with tokens `tokens` is test-only by its own attributes.
    fn test_only(&self, outline: &Outline<'_>, tokens: &Range<usize>) -> bool {
        self.skip_tests && attrs::is_test_only(&outline.outer_attrs(tokens.clone()))
    }

    /// The plan for `item`, which holds a trigger word and is within the depth limit.
    pub(crate) fn plan(&self, outline: &Outline<'_>, item: &Item) -> Plan {
        if self.test_only(outline, &item.tokens) && self.removable(&item.tokens, item.range.end) {
            return Plan::Skip;
        }
        let mut left_out = Vec::new();
        // Blocks whose members are still to be looked at; each token is looked at once.
        let mut blocks = vec![item.tokens.clone()];
        while let Some(tokens) = blocks.pop() {
            let Some(body) = outline.body(tokens) else {
                continue;
            };
            let (_, members) = split_range(&outline.tokens, body.start, body.end);
            for member in members {
                let out = if self.hit_in(&member.range) {
                    self.test_only(outline, &member.tokens)
                        && self.removable(&member.tokens, member.range.end)
                } else {
                    self.removable(&member.tokens, member.range.start)
                };
                if out {
                    left_out.push(member.range);
                } else {
                    blocks.push(member.tokens);
                }
            }
        }
        left_out.sort_by_key(|range| range.start);
        Plan::Without(left_out)
    }
}
