//! The functions of a changed file, found in its flat tokens (no syntax tree, no recursion): a
//! `fn NAME` whose signature reaches a `{` at its own level, named after the `impl` or `trait`
//! block holding it. One pass over the tokens finds them all, and one sweep over the sorted
//! hunks finds the innermost function around each, so that a file of any size or nesting costs
//! time linear in it.

use std::ops::Range;

use proc_macro2::{Delimiter, Spacing};

use super::brief::Function;
use crate::engine::MAX_DEPTH;
use crate::source::lex::outline::Outline;
use crate::source::lex::tokens::{Kind, Tokens};
use crate::text::LineIndex;

/// Longest signature kept, in characters.
const SIGNATURE: usize = 240;

/// Longest name kept, in characters.
const NAME: usize = 120;

/// A function found in a file, with its bytes.
#[derive(Debug, Clone)]
struct Found {
    name: String,
    signature: String,
    /// From its first qualifier to its closing brace.
    bytes: Range<usize>,
}

/// The functions of a file, as line spans, sorted by where they start.
#[derive(Debug, Clone, Default)]
pub(crate) struct Functions {
    list: Vec<Function>,
}

impl Functions {
    /// The functions of the Rust file `text`; none when it does not lex.
    pub(crate) fn of(text: &str) -> Self {
        let blanked = crate::source::lex::blank_preamble(text);
        let source = blanked.as_deref().unwrap_or(text);
        let Ok(outline) = Outline::new(source, MAX_DEPTH) else {
            return Functions::default();
        };
        let lines = LineIndex::new(text);
        let list = find(&outline.tokens, source)
            .into_iter()
            .map(|found| Function {
                name: found.name,
                signature: Some(found.signature),
                start_line: lines.position(text, found.bytes.start).line,
                end_line: lines.position(text, found.bytes.end.saturating_sub(1)).line,
            })
            .collect();
        Functions { list }
    }

    /// The function of each hunk (`spans`: first and last new line, sorted and disjoint): the
    /// innermost one holding its first line, else the first that starts inside it (a hunk
    /// that adds a whole function after a blank line).
    pub(crate) fn of_hunks(&self, spans: &[(usize, usize)]) -> Vec<Option<&Function>> {
        let starts: Vec<usize> = spans.iter().map(|&(first, _)| first).collect();
        self.enclosing(&starts)
            .into_iter()
            .zip(spans)
            .map(|(found, &(first, last))| {
                found.or_else(|| {
                    let next = self.list.partition_point(|f| f.start_line < first);
                    self.list.get(next).filter(|f| f.start_line <= last)
                })
            })
            .collect()
    }

    /// The innermost function holding each of `lines` (sorted, ascending), in order.
    pub(crate) fn enclosing(&self, lines: &[usize]) -> Vec<Option<&Function>> {
        let mut open: Vec<&Function> = Vec::new();
        let mut next = self.list.iter().peekable();
        lines
            .iter()
            .map(|&line| {
                while let Some(function) = next.next_if(|f| f.start_line <= line) {
                    while open
                        .last()
                        .is_some_and(|top| top.end_line < function.start_line)
                    {
                        open.pop();
                    }
                    open.push(function);
                }
                while open.last().is_some_and(|top| top.end_line < line) {
                    open.pop();
                }
                open.last().copied()
            })
            .collect()
    }
}

/// One level of nesting while reading the tokens: what it is inside, and the `fn` or `impl`
/// whose body may open next.
#[derive(Default)]
struct Level {
    /// The type an `impl` or `trait` block is for, when the level is its body.
    owner: Option<String>,
    /// A `fn NAME` seen at this level, waiting for its body: (first token, name token).
    function: Option<(usize, usize)>,
    /// An `impl` or `trait` seen at this level, waiting for its body: its keyword's token.
    block: Option<usize>,
}

/// Every function with a body in `tokens`, in the order their bodies open.
fn find(tokens: &Tokens<'_>, text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut levels = vec![Level::default()];
    for i in 0..tokens.len() {
        let Some(token) = tokens.get(i) else { break };
        match token.kind {
            Kind::Ident => {
                let Some(level) = levels.last_mut() else {
                    break;
                };
                if tokens.is_word(i, "fn")
                    && tokens
                        .get(i + 1)
                        .is_some_and(|next| next.kind == Kind::Ident)
                {
                    level.function = Some((start_of(tokens, i), i + 1));
                } else if tokens.is_word(i, "impl") || tokens.is_word(i, "trait") {
                    level.block = Some(i);
                }
            }
            Kind::Punct(';', _) => {
                if let Some(level) = levels.last_mut() {
                    level.function = None;
                    level.block = None;
                }
            }
            Kind::Open(delimiter) => {
                let mut inner = Level::default();
                if delimiter == Delimiter::Brace {
                    if let Some(level) = levels.last_mut() {
                        if let Some((start, name)) = level.function.take() {
                            let owner = level.owner.as_deref();
                            let end = tokens
                                .get(token.link as usize)
                                .map_or(text.len(), |t| t.end as usize);
                            found.push(Found {
                                name: qualified(owner, tokens.name(name)),
                                signature: signature(tokens, text, start, i),
                                bytes: tokens.bytes(start, start + 1).start..end,
                            });
                            level.block = None;
                        } else if let Some(keyword) = level.block.take() {
                            inner.owner = block_type(tokens, keyword, i);
                        }
                    }
                }
                levels.push(inner);
            }
            Kind::Close if levels.len() > 1 => {
                levels.pop();
            }
            _ => {}
        }
    }
    found
}

/// `Owner::name`, or `name`, bounded in length.
fn qualified(owner: Option<&str>, name: &str) -> String {
    let name = match owner {
        Some(owner) => format!("{owner}::{name}"),
        None => name.to_owned(),
    };
    clip(&name, NAME)
}

/// The first token of the function whose `fn` is at `at`: back over its qualifiers (`pub`,
/// `pub(crate)`, `const`, `async`, `unsafe`, `extern "C"`, `default`).
fn start_of(tokens: &Tokens<'_>, at: usize) -> usize {
    let mut start = at;
    while let Some(previous) = start.checked_sub(1) {
        let Some(token) = tokens.get(previous) else {
            break;
        };
        let qualifier = [
            "pub", "const", "async", "unsafe", "extern", "default", "safe",
        ]
        .iter()
        .any(|word| tokens.is_word(previous, word));
        if qualifier || token.kind == Kind::Literal {
            start = previous;
        } else if token.kind == Kind::Close {
            // `pub(crate)`: a parenthesized group right after `pub`.
            let open = token.link as usize;
            let is_visibility = matches!(
                tokens.get(open).map(|t| t.kind),
                Some(Kind::Open(Delimiter::Parenthesis))
            ) && open
                .checked_sub(1)
                .is_some_and(|p| tokens.is_word(p, "pub"));
            if !is_visibility {
                break;
            }
            start = open;
        } else {
            break;
        }
    }
    start
}

/// The text of tokens `from..to` on one line, comments left out, bounded in length.
fn signature(tokens: &Tokens<'_>, text: &str, from: usize, to: usize) -> String {
    let mut out = String::new();
    let mut previous_end = None;
    for i in from..to {
        let Some(token) = tokens.get(i) else { break };
        if out.chars().count() > SIGNATURE {
            break;
        }
        let (start, end) = (token.start as usize, token.end as usize);
        if previous_end.is_some_and(|previous| start > previous) {
            out.push(' ');
        }
        out.push_str(text.get(start..end).unwrap_or_default());
        previous_end = Some(end);
    }
    clip(&out, SIGNATURE)
}

/// The name of the type an `impl` or `trait` block (keyword at `keyword`, body opening at
/// `open`) is for: the type after `for`, else the first type after the generics, by its last
/// path segment (`impl<T> fmt::Display for Loader<T>` is `Loader`).
fn block_type(tokens: &Tokens<'_>, keyword: usize, open: usize) -> Option<String> {
    let mut angles = 0usize;
    let mut name: Option<usize> = None;
    let mut i = keyword + 1;
    while i < open {
        let joint = |j: usize, c: char| matches!(tokens.get(j).map(|t| t.kind), Some(Kind::Punct(p, Spacing::Joint)) if p == c);
        let joint_dash = |j: usize| joint(j, '-');
        let joint_colon = |j: usize| joint(j, ':');
        match tokens.get(i).map(|t| t.kind) {
            Some(Kind::Punct('<', _)) => angles += 1,
            Some(Kind::Punct('>', _)) if !i.checked_sub(1).is_some_and(joint_dash) => {
                angles = angles.saturating_sub(1);
            }
            // `trait Store: Send`: the supertraits are not the type (a `::` is two joint
            // colons).
            Some(Kind::Punct(':', Spacing::Alone))
                if angles == 0 && !i.checked_sub(1).is_some_and(joint_colon) =>
            {
                break;
            }
            Some(Kind::Ident) if angles == 0 => {
                if tokens.is_word(i, "for") {
                    name = None;
                } else if tokens.is_word(i, "where") {
                    break;
                } else if !["dyn", "unsafe", "impl", "trait", "mut", "const"]
                    .iter()
                    .any(|word| tokens.is_word(i, word))
                {
                    name = Some(i);
                }
            }
            _ => {}
        }
        i = tokens.next_sibling(i);
    }
    name.map(|i| clip(tokens.name(i), NAME))
}

/// `text` cut to `limit` characters, with `…` when cut.
fn clip(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, usize, usize)> {
        Functions::of(text)
            .list
            .into_iter()
            .map(|f| (f.name, f.start_line, f.end_line))
            .collect()
    }

    #[test]
    fn functions_methods_and_nested_ones() {
        let text = "pub(crate) async fn top(a: u8) -> u8 {\n    fn inner() {}\n    a\n}\n\nimpl<T: Fn() -> u8> fmt::Display for Loader<T> where T: Copy {\n    fn fmt(&self) {\n    }\n}\ntrait Store: Send + Sync { fn get(&self); fn put(&self) {} }\nstruct S { f: fn(u8) }\n";
        assert_eq!(
            names(text),
            [
                ("top".to_owned(), 1, 4),
                ("inner".to_owned(), 2, 2),
                ("Loader::fmt".to_owned(), 7, 8),
                ("Store::put".to_owned(), 10, 10),
            ]
        );
        let functions = Functions::of(text);
        assert_eq!(
            functions.list[0].signature.as_deref(),
            Some("pub(crate) async fn top(a: u8) -> u8")
        );
        let found: Vec<Option<&str>> = functions
            .enclosing(&[1, 2, 3, 5, 7, 10, 11])
            .into_iter()
            .map(|f| f.map(|f| f.name.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                Some("top"),
                Some("inner"),
                Some("top"),
                None,
                Some("Loader::fmt"),
                Some("Store::put"),
                None
            ]
        );
    }

    #[test]
    fn hostile_token_runs_stay_linear_and_bounded() {
        // A signature that never opens, repeated: each `fn` replaces the last.
        let text = "fn a ".repeat(50_000) + "{}";
        assert_eq!(names(&text).len(), 1);
        let deep = format!("{}{}", "fn a() {".repeat(20_000), "}".repeat(20_000));
        let functions = Functions::of(&deep);
        assert_eq!(functions.list.len(), 20_000);
        assert_eq!(functions.enclosing(&[1]).len(), 1);
        let long = format!("fn {}() {{}}", "x".repeat(10_000));
        assert!(names(&long)[0].0.chars().count() <= NAME + 1);
        assert!(names("not rust \"").is_empty());
    }
}
