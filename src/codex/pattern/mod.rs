//! `pattern` rules: Rust code with metavariables, compiled once into a [`tree`] that the walk
//! compares with syntax nodes structurally ([`matching`]).
//!
//! A pattern is any of: an expression (`$X.lock().unwrap()`, `unsafe { .. }`,
//! `Config { verify: false, .. }`), statements (`let $C = f(..); ..; $C.g(..);`), an item
//! (`unsafe fn $F(..) { .. }`, `impl Drop for $T { .. }`, `use std::mem::forget;`), a type
//! (`Rc<$T>`) or an attribute (`#[allow(clippy::$L)]`). It is written in Rust tokens: `$X` binds
//! one node (the same name twice must bind the same code), `$_` any node, `..` any run of
//! arguments, statements, fields, parameters or generic arguments, `$...ARGS` (or `$$$ARGS`) a
//! run bound to `ARGS`, and `.$$$.` any run of calls in a method chain.

pub mod matching;
mod target;
pub mod tree;
mod words;

use std::ops::Range;

use proc_macro2::TokenStream;
use syn::parse::Parser;

use crate::source::depth;
pub use matching::{Binding, Bindings, Matching};
pub use target::{FnRef, Tag, Tags, Target};
pub use tree::{AttrNode, Node, TypeNode};
pub use words::Word;

use tree::{ANY, BuildError, CHAIN, PARAMS, REST};

/// Deepest pattern accepted: far beyond any pattern a person writes, and shallow enough to
/// compile on the main thread's stack.
pub const MAX_DEPTH: usize = 32;

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written.
    pub source: String,
    /// Its tree.
    pub root: Root,
    /// The metavariables it names, and whether each is a run (`$...ARGS`).
    pub vars: Vec<(String, bool)>,
}

/// What a pattern is rooted at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// An expression, statement(s), block or item.
    Node(Node),
    /// A type.
    Type(TypeNode),
    /// An attribute.
    Attr(AttrNode),
}

/// Item keywords: a pattern starting with one is read as an item first, and its error is an
/// item's.
const ITEM_WORDS: &[&str] = &[
    "fn", "pub", "async", "extern", "impl", "mod", "use", "static", "struct", "enum", "trait",
    "type", "#",
];

impl Pattern {
    /// Compiles `source`.
    ///
    /// # Errors
    ///
    /// The byte offset in `source` and what is wrong, when it parses as none of an expression,
    /// an item, statements, a type or an attribute, or uses a metavariable where this pattern
    /// language cannot match one.
    pub fn parse(source: &str) -> Result<Self, (usize, String)> {
        if let Some(at) = semgrep_ellipsis(source) {
            return Err((
                at,
                "`...` is semgrep's ellipsis: write `..` here (any arguments, statements, fields \
                 or block body), `$...ARGS` to bind the run, or `.$$$.` between calls of a chain"
                    .to_owned(),
            ));
        }
        let substituted = substitute(source);
        let Substituted { text, map, vars } = substituted;
        let original = |at: usize| original_offset(&map, at);
        let what = reading(&text);
        let stream = match text.parse::<TokenStream>() {
            Ok(stream) => stream,
            Err(error) => {
                let at = error.span().byte_range().start;
                return Err((
                    original(at),
                    format!(
                        "pattern does not parse as {what}: a delimiter is not closed, or a \
                         character is no Rust token"
                    ),
                ));
            }
        };
        if stream.is_empty() {
            return Err((0, "the pattern is empty".to_owned()));
        }
        // Patterns are compiled and matched recursively: bound their depth first, as the
        // engine does for source items.
        if depth::stream_depth_units(&stream, MAX_DEPTH) > MAX_DEPTH {
            return Err((
                0,
                format!("pattern nests more than {MAX_DEPTH} levels deep; simplify it"),
            ));
        }
        let built = |result: Result<Root, BuildError>| {
            result.map_err(|error| (original(error.at), error.message))
        };
        let root = |root: Root| Pattern {
            source: source.to_owned(),
            root,
            vars: vars.clone(),
        };
        let attribute = attribute(&text);
        if let Some(attr) = attribute {
            return Ok(root(Root::Attr(attr)));
        }
        let expr = syn::parse_str::<syn::Expr>(&text);
        if let Ok(expr) = &expr {
            return Ok(root(built(tree::expr_node(expr).map(Root::Node))?));
        }
        let item_text = item_text(&text);
        let item = syn::parse_str::<syn::Item>(&item_text.text);
        if let Ok(item) = &item {
            let original = |at: usize| original(original_offset(&item_text.map, at));
            return tree::item_node(item)
                .map(|item| root(Root::Node(Node::Item(Box::new(item)))))
                .map_err(|error| (original(error.at), error.message));
        }
        let stmts = syn::Block::parse_within.parse_str(&text);
        if let Ok(stmts) = &stmts
            && !stmts.is_empty()
        {
            return built(statements(stmts)).map(root);
        }
        let ty = syn::parse_str::<syn::Type>(&text);
        if let Ok(ty) = &ty {
            return Ok(root(built(tree::type_node(ty).map(Root::Type))?));
        }
        // None parses: report the error of the reading the pattern most looks like.
        let error = if what == "an item" {
            item.err().map(|e| {
                let at = original_offset(&item_text.map, e.span().byte_range().start);
                (at, e.to_string())
            })
        } else if what == "statements" {
            stmts
                .err()
                .map(|e| (e.span().byte_range().start, e.to_string()))
        } else {
            expr.err()
                .map(|e| (e.span().byte_range().start, e.to_string()))
        };
        let (at, message) = error.unwrap_or((0, "unexpected end of input".to_owned()));
        Err((
            original(at),
            format!("pattern does not parse as {what}: {message}"),
        ))
    }

    /// The kinds of nodes this pattern can match, to offer it only those.
    pub fn tags(&self) -> Tags {
        target::root_tags(&self.root)
    }

    /// A word every match contains in its source text, the most telling one, if any.
    pub fn word(&self) -> Option<Word> {
        words::best(&self.root)
    }

    /// Whether the pattern names the metavariable `name`; `Some(true)` when it is a run.
    pub fn var(&self, name: &str) -> Option<bool> {
        self.vars
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, run)| *run)
    }
}

/// What `text` reads as first, for the error when it parses as nothing: `an item` when it
/// starts with an item keyword, `statements` when it holds `;` or starts with `let`, else `a
/// Rust expression`.
fn reading(text: &str) -> &'static str {
    let trimmed = text.trim_start();
    let first = trimmed
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
        .next()
        .unwrap_or("");
    let after_first = trimmed.get(first.len()..).unwrap_or("").trim_start();
    if ITEM_WORDS.contains(&first)
        || (matches!(first, "unsafe" | "const") && !after_first.starts_with('{'))
    {
        "an item"
    } else if text.contains(';') || first == "let" {
        "statements"
    } else {
        "a Rust expression"
    }
}

/// The root of statements: one statement is itself, several (or a gap) are a sequence.
fn statements(stmts: &[syn::Stmt]) -> Result<Root, BuildError> {
    let mut elems = tree::statements(stmts)?;
    // `..` on its own at either end adds nothing to a sequence, which is unanchored.
    while matches!(elems.first(), Some(tree::Elem::Gap)) {
        elems.remove(0);
    }
    while matches!(elems.last(), Some(tree::Elem::Gap)) {
        elems.pop();
    }
    match elems.as_slice() {
        [tree::Elem::One(_)] => match elems.pop() {
            Some(tree::Elem::One(node)) => Ok(Root::Node(node)),
            _ => Err(BuildError {
                at: 0,
                message: "the pattern is empty".to_owned(),
            }),
        },
        [] => Err(BuildError {
            at: 0,
            message: "a pattern of only `..` matches everything; write what to find".to_owned(),
        }),
        _ => Ok(Root::Node(Node::Seq(elems))),
    }
}

/// The attribute `text` is, when it is exactly one.
fn attribute(text: &str) -> Option<AttrNode> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('#') {
        return None;
    }
    let parse = if trimmed.starts_with("#!") {
        syn::Attribute::parse_inner
    } else {
        syn::Attribute::parse_outer
    };
    match parse.parse_str(text).ok()?.as_slice() {
        [attr] => Some(tree::attr_node(attr)),
        _ => None,
    }
}

/// Where `source` uses semgrep's `...` (not `$...NAME`), if it does.
fn semgrep_ellipsis(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut from = 0;
    while let Some(found) = source.get(from..).and_then(|rest| rest.find("...")) {
        let at = from + found;
        let after_dollar = at > 0 && bytes.get(at - 1) == Some(&b'$');
        let in_string = source[..at].matches('"').count() % 2 == 1;
        if !after_dollar && !in_string {
            return Some(at);
        }
        from = at + 3;
    }
    None
}

/// A pattern's text rewritten into tokens syn accepts, with the way back to the original.
struct Substituted {
    text: String,
    /// For each replacement, (offset in the new text, offset in the original).
    map: Vec<(usize, usize)>,
    vars: Vec<(String, bool)>,
}

/// Replaces `$...NAME` / `$$$NAME` with [`REST`]`NAME`, `.$$$.` with a call of [`CHAIN`],
/// `$NAME` with [`ANY`]`NAME`, and `<..>` with a run of generic arguments.
fn substitute(source: &str) -> Substituted {
    let mut text = String::with_capacity(source.len() + 32);
    let mut map = vec![(0, 0)];
    let mut vars: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    let bytes = source.as_bytes();
    while i < source.len() {
        let rest = &source[i..];
        if rest.starts_with("<..>") {
            text.push('<');
            text.push_str(REST);
            text.push('>');
            i += 4;
            map.push((text.len(), i));
            continue;
        }
        let Some(after) = rest.strip_prefix('$') else {
            let width = rest.chars().next().map_or(1, char::len_utf8);
            text.push_str(&rest[..width]);
            i += width;
            continue;
        };
        let (run, after, skip) = if let Some(name) = after.strip_prefix("...") {
            (true, name, 4)
        } else if let Some(name) = after.strip_prefix("$$") {
            (true, name, 3)
        } else {
            (false, after, 1)
        };
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let chain =
            run && name.is_empty() && skip == 3 && text.ends_with('.') && after.starts_with('.');
        if chain {
            text.push_str(CHAIN);
            text.push_str("()");
        } else if run {
            text.push_str(REST);
            text.push_str(name);
        } else {
            text.push_str(ANY);
            text.push_str(name);
        }
        if !name.is_empty() && name != "_" && !vars.iter().any(|(known, _)| known == name) {
            vars.push((name.to_owned(), run));
        }
        i += skip + name_len;
        map.push((text.len(), i));
        let _ = bytes;
    }
    Substituted { text, map, vars }
}

/// `text` rewritten where an item pattern uses `..` in places syn does not accept it: the
/// parameters `(..)` of a function become one placeholder parameter, a function without a body
/// gets `{ .. }` (any body), and the body `{ .. }` of an `impl`, trait or module becomes `{}`
/// (its members are those written, and others may be there too).
fn item_text(text: &str) -> Substituted {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let head_end = text.find('{').unwrap_or(text.len());
    let head = &text[..head_end];
    if let Some(fn_at) = find_keyword(head, "fn") {
        if let Some(open) = text[fn_at..].find('(').map(|at| fn_at + at)
            && let Some(close) = text[open + 1..].find(')').map(|at| open + 1 + at)
            && text[open + 1..close].trim() == ".."
        {
            edits.push((open + 1..close, format!("{PARAMS}: {PARAMS}")));
        }
        let trimmed = text.trim_end();
        if head_end == text.len() && trimmed.ends_with(';') {
            edits.push((trimmed.len() - 1..trimmed.len(), " { .. }".to_owned()));
        }
    } else if ["impl", "mod", "trait"]
        .iter()
        .any(|word| find_keyword(head, word).is_some())
    {
        let trimmed = text.trim_end();
        if trimmed.ends_with('}') && text[head_end + 1..trimmed.len() - 1].trim() == ".." {
            edits.push((head_end + 1..trimmed.len() - 1, String::new()));
        }
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut map = vec![(0, 0)];
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        map.push((out.len(), range.end));
        at = range.end;
    }
    out.push_str(&text[at..]);
    Substituted {
        text: out,
        map,
        vars: Vec::new(),
    }
}

/// The offset of the first whole word `word` in `text`.
fn find_keyword(text: &str, word: &str) -> Option<usize> {
    crate::codex::matcher::find_word(text, word).next()
}

fn original_offset(map: &[(usize, usize)], at: usize) -> usize {
    let (new, old) = map
        .iter()
        .rev()
        .find(|(new, _)| *new <= at)
        .copied()
        .unwrap_or((0, 0));
    old + (at - new)
}

/// The identifiers of a path, without a leading `::` or generic arguments.
pub(crate) fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

#[cfg(test)]
mod tests;
