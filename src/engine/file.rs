//! Checking one file: read once, lex once, parse only the items that hold a trigger word, walk
//! each parsed item once. Everything returned is plain, thread-independent data.

use std::path::Path;

use proc_macro2::TokenStream;

use super::visit::Walker;
use crate::codex::matcher::find_word;
use crate::codex::{Builtin, Codex};
use crate::source::lex::{self, Chunk, ModuleFacts};
use crate::source::{self, ReadError};
use crate::suppress::{self, Directive};
use crate::text::{Excerpt, LineIndex, Position};

/// Deepest delimiter nesting handed to syn, whose parser and walk recurse. Hand-written code
/// stays far below it; generated or hostile input above it is reported instead of overflowing.
pub const MAX_NESTING: usize = 256;

/// A finding placed in its file, before module-tree context is applied.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    pub rule: usize,
    pub start: Position,
    pub end: Position,
    pub snippet: Excerpt,
    pub item: Vec<String>,
    pub function: Option<String>,
    pub test: bool,
    pub bench: bool,
    pub clippy_allowed: bool,
    pub statement_line: Option<usize>,
    pub related: Option<(Position, Excerpt)>,
    pub fix: Option<(Position, Position, String)>,
}

/// A built-in finding about the file itself.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub kind: Builtin,
    pub message: String,
    pub start: Position,
    pub end: Position,
    pub snippet: Excerpt,
}

/// What checking one file produced.
#[derive(Debug, Default)]
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

/// Checks the file at `path`, refusing files over `max_size` bytes.
pub(crate) fn check(codex: &Codex, path: &Path, max_size: u64) -> Checked {
    let text = match source::read(path, max_size) {
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
    let checked = check_text(codex, &text, &lines);
    // Spans point into a per-thread table that would otherwise grow with every file.
    proc_macro2::extra::invalidate_current_thread_spans();
    checked
}

/// Reads and lexes the file at `path` for its module facts only: a parent of checked files
/// that is not itself checked. A file that cannot be read or lexed has no facts.
pub(crate) fn facts(path: &Path, max_size: u64) -> ModuleFacts {
    let Ok(text) = source::read(path, max_size) else {
        return ModuleFacts::default();
    };
    let blanked = lex::blank_preamble(&text);
    let facts = lex::lex(blanked.as_deref().unwrap_or(&text))
        .map(|lexed| lex::module_facts(&lexed))
        .unwrap_or_default();
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

fn check_text(codex: &Codex, text: &str, lines: &LineIndex) -> Checked {
    let blanked = lex::blank_preamble(text);
    let source = blanked.as_deref().unwrap_or(text);
    let problem_at = |offset: usize, message: String| {
        let start = lines.position(text, offset);
        Problem {
            kind: Builtin::UnparsableSource,
            message,
            start,
            end: start,
            snippet: lines.excerpt(text, offset, offset),
        }
    };
    let lexed = match lex::lex(source) {
        Ok(lexed) => lexed,
        Err(error) => {
            return Checked {
                problems: vec![problem_at(error.offset, error.message)],
                ..Checked::default()
            };
        }
    };
    let facts = lex::module_facts(&lexed);
    let mut hits = codex.triggers().find_words(source);
    let mut walker = Walker::new(codex);
    let mut problems = Vec::new();
    if !hits.is_empty() {
        let (uses, items): (Vec<Chunk>, Vec<Chunk>) = lexed.chunks.into_iter().partition(is_use);
        if codex.triggers().needs_imports() {
            // `use` items come first: they resolve call paths, and an alias (`exit as quit`)
            // is one more word to search for.
            for chunk in uses {
                if let Ok(item) = syn::parse2::<syn::ItemUse>(chunk.tokens.into_iter().collect()) {
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
            }
        }
        let needed = chunks_with_hits(items, &hits);
        walk_chunks(&mut walker, needed, source, &mut |offset, message| {
            problems.push(problem_at(offset, message));
        });
    }
    let findings = walker
        .findings
        .into_iter()
        .map(|raw| {
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
                clippy_allowed: raw.clippy_allowed,
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
        })
        .collect();
    Checked {
        facts,
        findings,
        problems,
        directives: suppress::parse(text, lines),
    }
}

/// Whether a chunk is a `use` item (after its attributes and visibility).
fn is_use(chunk: &Chunk) -> bool {
    use proc_macro2::TokenTree;
    let mut tokens = chunk.tokens.iter().peekable();
    while let Some(TokenTree::Punct(p)) = tokens.peek() {
        if p.as_char() != '#' {
            break;
        }
        tokens.next();
        tokens.next();
    }
    let mut first = tokens.next();
    if matches!(first, Some(TokenTree::Ident(id)) if id == "pub") {
        first = tokens.next();
        if matches!(first, Some(TokenTree::Group(_))) {
            first = tokens.next();
        }
    }
    matches!(first, Some(TokenTree::Ident(id)) if id == "use")
}

/// The chunks whose bytes contain at least one hit; both lists are in file order.
fn chunks_with_hits(chunks: Vec<Chunk>, hits: &[usize]) -> Vec<Chunk> {
    let mut next = 0;
    chunks
        .into_iter()
        .filter(|chunk| {
            while hits.get(next).is_some_and(|&hit| hit < chunk.range.start) {
                next += 1;
            }
            hits.get(next).is_some_and(|&hit| hit < chunk.range.end)
        })
        .collect()
}

/// Parses and walks `chunks`. If one does not parse, the whole file is parsed instead (the
/// split may have been wrong); if that fails too, each broken item is reported and the others
/// are still walked.
fn walk_chunks(
    walker: &mut Walker<'_>,
    chunks: Vec<Chunk>,
    source: &str,
    report: &mut dyn FnMut(usize, String),
) {
    let mut items = Vec::new();
    let mut broken = Vec::new();
    let mut too_deep = false;
    for chunk in chunks {
        if lex::nesting_depth(&chunk.tokens, MAX_NESTING) > MAX_NESTING {
            too_deep = true;
            report(
                chunk.range.start,
                format!(
                    "this item nests delimiters more than {MAX_NESTING} levels deep; it was not checked"
                ),
            );
            continue;
        }
        match syn::parse2::<syn::Item>(TokenStream::from_iter(chunk.tokens)) {
            Ok(item) => items.push(item),
            Err(error) => broken.push(error),
        }
    }
    if !broken.is_empty() && !too_deep {
        if let Ok(file) = syn::parse_file(source) {
            for item in &file.items {
                syn::visit::Visit::visit_item(walker, item);
            }
            return;
        }
        for error in broken {
            report(
                error.span().byte_range().start,
                format!("syntax error: {error}"),
            );
        }
    }
    for item in &items {
        syn::visit::Visit::visit_item(walker, item);
    }
}
