//! Checking one file: read once, lex once, parse only the items that hold a trigger word, walk
//! each parsed item once. Everything returned is plain, thread-independent data.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use proc_macro2::TokenStream;

use super::prune::{Plan, Pruning};
use super::visit::{RawFinding, Walker};
use crate::codex::matcher::find_word;
use crate::codex::{Builtin, Codex};
use crate::filter::suppress::{self, Directive};
use crate::source::lex::{self, Item, ModuleFacts, Outline};
use crate::source::{self, ReadError};
use crate::text::{Excerpt, LineIndex, Position};

/// A finding placed in its file, before module-tree context is applied.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Located {
    pub rule: usize,
    pub start: Position,
    pub end: Position,
    pub snippet: Excerpt,
    pub item: Vec<String>,
    pub function: Option<String>,
    pub test: bool,
    pub bench: bool,
    pub clippy: super::lints::ClippyVerdict,
    pub statement_line: Option<usize>,
    pub related: Option<(Position, Excerpt)>,
    pub fix: Option<(Position, Position, String)>,
}

/// A built-in finding about the file itself.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Problem {
    pub kind: Builtin,
    pub message: String,
    pub start: Position,
    pub end: Position,
    pub snippet: Excerpt,
}

/// What checking one file produced.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Checked {
    pub facts: ModuleFacts,
    pub findings: Vec<Located>,
    pub problems: Vec<Problem>,
    pub directives: Vec<Directive>,
}

impl Checked {
    fn problem(kind: Builtin, message: String, start: Position, snippet: Excerpt) -> Self {
        Checked {
            problems: vec![Problem {
                kind,
                message,
                start,
                end: start,
                snippet,
            }],
            ..Checked::default()
        }
    }

    /// Whether some of the file could not be read or parsed.
    pub(super) fn is_unparsed(&self) -> bool {
        self.problems.iter().any(|p| {
            matches!(
                p.kind,
                Builtin::UnreadableSource | Builtin::UnparsableSource
            )
        })
    }
}

/// Checks the file at `path` (or `unsaved`, its text in an editor, instead of the disk),
/// refusing text over `max_size` bytes and leaving out items whose estimated recursion depth
/// passes `limit` (see [`crate::source::depth`]).
pub(crate) fn check(
    codex: &Codex,
    path: &Path,
    unsaved: Option<&str>,
    max_size: u64,
    limit: usize,
) -> Checked {
    check_read(codex, read(path, unsaved, max_size), limit)
}

/// Checks a file already read as `bytes`: what [`check`] gives for a file holding them. The
/// path plays no part, which is what lets the result cache key it by content alone.
pub(crate) fn check_bytes(codex: &Codex, bytes: Vec<u8>, limit: usize) -> Checked {
    check_read(codex, source::decode(bytes).map(Cow::Owned), limit)
}

fn check_read(codex: &Codex, read: Result<Cow<'_, str>, ReadError>, limit: usize) -> Checked {
    let text = match read {
        Ok(text) => text,
        Err(ReadError { position, reason }) => {
            return Checked::problem(
                Builtin::UnreadableSource,
                reason,
                position,
                Excerpt::default(),
            );
        }
    };
    if text.is_empty() {
        let start = Position { line: 1, column: 1 };
        return Checked::problem(
            Builtin::EmptySource,
            "this file is empty".to_owned(),
            start,
            Excerpt::default(),
        );
    }
    let lines = LineIndex::new(&text);
    let checked = check_text(codex, &text, &lines, limit);
    // Spans point into a per-thread table that would otherwise grow with every file.
    proc_macro2::extra::invalidate_current_thread_spans();
    checked
}

/// Reads and lexes the file at `path` (or `unsaved`) for its module facts only: a parent of
/// checked files that is not itself checked. A file that cannot be read or lexed has no facts,
/// nor one that cannot declare a module named one of `names` (the folders and stems of the
/// checked files) or one at a `#[path]`: it cannot change where they stand.
pub(crate) fn facts(
    path: &Path,
    unsaved: Option<&str>,
    max_size: u64,
    limit: usize,
    names: &HashSet<String>,
) -> ModuleFacts {
    let Ok(text) = read(path, unsaved, max_size) else {
        return ModuleFacts::default();
    };
    if !lex::may_declare_any(&text, names) {
        return ModuleFacts::default();
    }
    let facts = lex::declared_modules(&text, limit);
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

/// The text of `path`: `unsaved` when given, held to the same size limit as a file on disk.
fn read<'t>(
    path: &Path,
    unsaved: Option<&'t str>,
    max_size: u64,
) -> Result<Cow<'t, str>, ReadError> {
    let Some(text) = unsaved else {
        return source::read(path, max_size).map(Cow::Owned);
    };
    let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if size > max_size {
        return Err(ReadError {
            position: Position { line: 1, column: 1 },
            reason: format!(
                "file is {size} bytes, over the {max_size}-byte limit (`max_file_size` in codex.toml)"
            ),
        });
    }
    Ok(Cow::Borrowed(text))
}

fn check_text(codex: &Codex, text: &str, lines: &LineIndex, limit: usize) -> Checked {
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
    let mut walker = Walker::new(codex, source.len());
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
                    walker.imports.add(&item);
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
    if !broken.is_empty() && !too_deep && outline.depth() <= limit {
        if let Ok(file) = syn::parse_file(outline.source()) {
            for item in &file.items {
                syn::visit::Visit::visit_item(walker, item);
            }
            return;
        }
    }
    for (range, error) in broken {
        let at = error.span().byte_range().start;
        report(range, Some(at), format!("syntax error: {error}"));
    }
    for item in &parsed {
        syn::visit::Visit::visit_item(walker, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::{Overrides, Sources, load};

    type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

    /// One item per shape that recurses in syn or the walk, `n` levels or links deep, with a
    /// finding inside so the walk goes all the way down.
    fn shapes() -> Vec<Shape> {
        fn shape(name: &'static str, make: impl Fn(usize) -> String + 'static) -> Shape {
            (name, Box::new(make))
        }
        vec![
            shape("parens", |n| {
                format!(
                    "fn f() {{ let x = {}a.unwrap(){}; }}",
                    "(".repeat(n),
                    ")".repeat(n)
                )
            }),
            shape("refs", |n| {
                format!("fn f(x: {}u8) {{ a.unwrap(); }}", "&".repeat(n))
            }),
            shape("generics", |n| {
                format!(
                    "fn f(x: {}u8{}) {{ a.unwrap(); }}",
                    "V<".repeat(n),
                    ">".repeat(n)
                )
            }),
            shape("closures", |n| {
                format!("fn f() {{ let x = {}a.unwrap(); }}", "|x| ".repeat(n))
            }),
            shape("returns", |n| {
                format!("fn f() {{ {}a.unwrap(); }}", "return ".repeat(n))
            }),
            shape("fn types", |n| {
                format!("fn f(x: {}u8) {{ a.unwrap(); }}", "fn() -> ".repeat(n))
            }),
            shape("blocks", |n| {
                format!("fn f() {{ {}a.unwrap(){} }}", "{".repeat(n), "}".repeat(n))
            }),
            shape("assignments", |n| {
                format!("fn f() {{ {}a.unwrap(); }}", "a = ".repeat(n))
            }),
            shape("bindings", |n| {
                format!("fn f() {{ let {}1 = 1; a.unwrap(); }}", "a @ ".repeat(n))
            }),
            shape("use paths", |n| {
                format!("use {}b;\nfn f() {{ a.unwrap(); }}", "a::".repeat(n))
            }),
            shape("macros", |n| {
                format!(
                    "fn f() {{ {}a.unwrap(){}; }}",
                    "vec![".repeat(n),
                    "]".repeat(n)
                )
            }),
            shape("token macros", |n| {
                format!(
                    "fn f() {{ {}a.unwrap(){}; }}",
                    "m!(=> ".repeat(n),
                    ")".repeat(n)
                )
            }),
            shape("inline mods", |n| {
                format!(
                    "{}fn f() {{ a.unwrap(); }}{}",
                    "mod m { ".repeat(n),
                    "}".repeat(n)
                )
            }),
            shape("chains", |n| {
                format!("fn f() {{ a{}; }}", ".unwrap()".repeat(n))
            }),
            shape("sums", |n| {
                format!("fn f() {{ a.unwrap(){}; }}", " + a".repeat(n))
            }),
            shape("else ifs", |n| {
                format!(
                    "fn f() {{ if a {{}} {} a.unwrap(); }}",
                    "else if a {} ".repeat(n)
                )
            }),
        ]
    }

    /// Whether every item of `text` is within `limit` by the estimate alone (no parse).
    fn within(text: &str, limit: usize) -> bool {
        lex::lex(text, limit).is_ok_and(|lexed| lexed.depth <= limit)
    }

    /// Whatever the bound lets through fits the stack the bound is derived from, in a debug
    /// build (the worst case: frames are several times larger than in release). For each shape,
    /// the largest item the estimate admits is checked on a thread with exactly that stack.
    #[test]
    fn the_depth_limit_fits_the_stack_it_is_derived_from() {
        let sources = Sources {
            embedded: true,
            ..Sources::default()
        };
        let codex = load::load(&sources, &Overrides::default()).unwrap();
        for stack in [4 << 20, 16 << 20, 64 << 20] {
            let limit = super::super::depth_limit(stack);
            for (name, make) in shapes() {
                // The largest admitted size: the estimate grows with the size.
                let (mut low, mut high) = (1, 64 * limit);
                assert!(!within(&make(high), limit), "{name} is counted");
                while high - low > 1 {
                    let middle = usize::midpoint(low, high);
                    if within(&make(middle), limit) {
                        low = middle;
                    } else {
                        high = middle;
                    }
                }
                let text = make(low);
                let checked = std::thread::scope(|scope| {
                    std::thread::Builder::new()
                        .stack_size(stack)
                        .spawn_scoped(scope, || {
                            let lines = LineIndex::new(&text);
                            let checked = check_text(&codex, &text, &lines, limit);
                            proc_macro2::extra::invalidate_current_thread_spans();
                            checked
                        })
                        .unwrap()
                        .join()
                        .unwrap()
                });
                assert!(
                    checked.problems.is_empty() && !checked.findings.is_empty(),
                    "{name} of size {low} at limit {limit}: {:?}",
                    checked.problems.first().map(|p| &p.message)
                );
                let over = make(high);
                let checked = check_text(&codex, &over, &LineIndex::new(&over), limit);
                assert_eq!(
                    checked.problems.len(),
                    1,
                    "{name} past the limit is reported"
                );
            }
        }
    }
}
