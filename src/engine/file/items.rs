//! From a file's text to its findings: the outline, the `use` items that resolve call paths,
//! the items that hold a trigger word, parsed and walked once each, and the walk's raw findings
//! placed as lines and columns.

use std::ops::Range;

use proc_macro2::TokenStream;

use super::{Checked, Located, Problem};
use crate::codex::matcher::find_word;
use crate::codex::{Builtin, Codex};
use crate::engine::prune::{Plan, Pruning};
use crate::engine::visit::{RawFinding, Walker};
use crate::filter::suppress;
use crate::source::lex::{self, Item, Outline};
use crate::text::LineIndex;

pub(super) fn check_text(codex: &Codex, text: &str, lines: &LineIndex, limit: usize) -> Checked {
    let blanked = lex::blank_preamble(text);
    let source = blanked.as_deref().unwrap_or(text);
    // A problem about the bytes `range`: it spans them, so a changed line anywhere in an item
    // that could not be checked keeps the finding in a `--diff` run; its excerpt is the first
    // line.
    let problem_over = |range: Range<usize>, message: String| Problem {
        kind: Builtin::UnparsableSource,
        message,
        start: lines.position(text, range.start),
        end: lines.position(text, range.end),
        snippet: lines.excerpt(text, range.start, range.start),
    };
    // An error at `at` that left `range` unchecked: the span is what was not checked, the
    // message says where the error is.
    let error_in = |range: Range<usize>, at: usize, message: &str| {
        let position = lines.position(text, at);
        problem_over(
            range,
            format!(
                "{message} (at line {}, column {}); this part was not checked",
                position.line, position.column
            ),
        )
    };
    let outline = match Outline::new(source, limit) {
        Ok(outline) => outline,
        Err(error) => {
            // Nothing of a file that does not lex is checked.
            return Checked {
                problems: vec![error_in(0..text.len(), error.offset, &error.message)],
                ..Checked::default()
            };
        }
    };
    let facts = lex::module_facts(&outline);
    let mut problems = Vec::new();
    if let Some(range) = outline.deep_inner_attrs.clone() {
        problems.push(problem_over(
            range,
            format!(
                "these inner attributes nest more than {limit} levels deep; they were not read, \
                 so the file's own `cfg` and lint levels are unknown"
            ),
        ));
    }
    // A word in a comment or a literal is no syntax a rule could match.
    let mut hits = outline.in_code(&codex.triggers().find_words(source));
    let mut walker = Walker::new(codex, source);
    if !hits.is_empty() {
        let (uses, items): (Vec<&Item>, Vec<&Item>) =
            outline.items.iter().partition(|item| outline.is_use(item));
        if codex.triggers().needs_imports() {
            // `use` items come first: they resolve call paths, and an alias (`exit as quit`)
            // is one more word to search for.
            let mut readable = Vec::new();
            for item in uses {
                if outline.is_within(item) {
                    readable.push(item);
                } else {
                    // Calls it would resolve may be missed: say so.
                    problems.push(problem_over(
                        item.range.clone(),
                        format!(
                            "this `use` item nests more than {limit} levels deep; it was not read"
                        ),
                    ));
                }
            }
            for tokens in outline.trees_of(&readable) {
                if let Ok(item) = syn::parse2::<syn::ItemUse>(tokens.into_iter().collect()) {
                    walker.visit_use(&item);
                }
            }
            let before = hits.len();
            for alias in walker.imports.aliases() {
                hits.extend(find_word(source, alias));
            }
            if hits.len() > before {
                hits.sort_unstable();
                hits.dedup();
                hits = outline.in_code(&hits);
            }
        }
        let needed = items_with_hits(items, &hits);
        walk_items(
            &mut walker,
            &outline,
            &needed,
            &hits,
            limit,
            &mut |range, at, message| {
                problems.push(match at {
                    Some(at) => error_in(range, at, &message),
                    None => problem_over(range, message),
                });
            },
        );
    }
    problems.extend(exhausted(codex, &walker, text, lines));
    let findings = walker
        .findings
        .into_iter()
        .map(|raw| locate(raw, text, lines))
        .collect();
    Checked {
        facts,
        findings,
        problems,
        directives: suppress::parse(text, lines),
    }
}

/// The rules whose searches ran out of budget in the file (CX9007), each at the node where
/// it did: their findings from there on are unknown.
fn exhausted(codex: &Codex, walker: &Walker<'_>, text: &str, lines: &LineIndex) -> Vec<Problem> {
    walker
        .exhausted
        .iter()
        .filter_map(|(rule, range)| {
            let rule = codex.rule(*rule)?;
            Some(Problem {
                kind: Builtin::RuleSearchBudgetExhausted,
                message: format!(
                    "rule {} ran out of its search budget here; its findings from here to the \
                     end of this file are unknown",
                    rule.id
                ),
                start: lines.position(text, range.start),
                end: lines.position(text, range.end),
                snippet: lines.excerpt(text, range.start, range.end),
            })
        })
        .collect()
}

/// A raw finding placed in its file: positions and excerpts instead of byte offsets.
fn locate(raw: RawFinding, text: &str, lines: &LineIndex) -> Located {
    let start = lines.position(text, raw.range.start);
    let end = lines.position(text, raw.range.end);
    let snippet = lines.excerpt(text, raw.range.start, raw.range.end);
    Located {
        rule: raw.rule,
        start,
        end,
        snippet,
        item: raw.item,
        function: raw.function,
        test: raw.test,
        bench: raw.bench,
        clippy: raw.clippy,
        statement_line: raw
            .statement
            .map(|offset| lines.position(text, offset).line),
        fix: raw.fix.map(|(range, replacement)| {
            // `?` attaches to the expression: take the line break and indent before
            // a chained `.unwrap()` too.
            let start = text
                .get(..range.start)
                .map_or(range.start, |before| before.trim_end().len());
            (
                lines.position(text, start),
                lines.position(text, range.end),
                replacement,
            )
        }),
        related: raw.related.map(|range| {
            let at = lines.position(text, range.start);
            (at, lines.excerpt(text, range.start, range.start))
        }),
    }
}

/// The items whose bytes contain at least one hit; both lists are in file order.
fn items_with_hits<'i>(items: Vec<&'i Item>, hits: &[usize]) -> Vec<&'i Item> {
    let mut next = 0;
    items
        .into_iter()
        .filter(|item| {
            while hits.get(next).is_some_and(|&hit| hit < item.range.start) {
                next += 1;
            }
            hits.get(next).is_some_and(|&hit| hit < item.range.end)
        })
        .collect()
}

/// Parses and walks `items`. An item deeper than `limit` is reported, not parsed. If an item
/// does not parse, the whole file is parsed instead (the split may have been wrong) when it is
/// within the limit; if that fails too, each broken item is reported and the others are still
/// walked.
fn walk_items(
    walker: &mut Walker<'_>,
    outline: &Outline<'_>,
    items: &[&Item],
    hits: &[usize],
    limit: usize,
    report: &mut dyn FnMut(Range<usize>, Option<usize>, String),
) {
    let mut within = Vec::new();
    let mut too_deep = false;
    for &item in items {
        if outline.is_within(item) {
            within.push(item);
            continue;
        }
        too_deep = true;
        report(
            item.range.clone(),
            None,
            format!(
                "this item nests more than {limit} levels deep (counting nested expressions, \
                 types, closures and long chains); it was not checked"
            ),
        );
    }
    let pruning = Pruning::new(walker.codex(), outline, hits);
    let mut planned: Vec<(&Item, Vec<Range<usize>>)> = Vec::new();
    for item in within {
        match pruning.plan(outline, item) {
            Plan::Skip => {}
            Plan::Without(left_out) => planned.push((item, left_out)),
        }
    }
    let asked: Vec<(&Item, &[Range<usize>])> = planned
        .iter()
        .map(|(item, left_out)| (*item, left_out.as_slice()))
        .collect();
    let mut parsed = Vec::new();
    let mut broken = Vec::new();
    for ((item, _), tokens) in asked.iter().zip(outline.trees_without(&asked)) {
        match syn::parse2::<syn::Item>(TokenStream::from_iter(tokens)) {
            Ok(parsed_item) => parsed.push(parsed_item),
            Err(error) => broken.push((item.range.clone(), error)),
        }
    }
    if !broken.is_empty()
        && !too_deep
        && outline.depth() <= limit
        && let Ok(file) = syn::parse_file(outline.source())
    {
        for item in &file.items {
            syn::visit::Visit::visit_item(walker, item);
        }
        return;
    }
    for (range, error) in broken {
        let at = error.span().byte_range().start;
        report(range, Some(at), format!("syntax error: {error}"));
    }
    for item in &parsed {
        syn::visit::Visit::visit_item(walker, item);
    }
}
