//! A file's outline: its inner attributes and its top-level items, found from flat tokens, each
//! with its bytes and estimated depth. Token trees (what syn parses) are made only for the items
//! asked for, by lexing a copy of the file in which every other byte is a space: offsets stay
//! those of the file, and `proc_macro2` lexes only what is needed.

use std::cell::OnceCell;
use std::ops::Range;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::Attribute;
use syn::parse::Parser;

use super::SyntaxError;
use super::blanked::lex_blanked;
use super::scan::scan;
use super::tokens::{Kind, Tokens};
use crate::source::depth;

/// A lexed file: its inner attributes and its top-level items.
pub struct Outline<'a> {
    /// The text lexed (preamble already blanked).
    source: &'a str,
    /// Every token, flat.
    pub tokens: Tokens<'a>,
    /// The top-level token trees of the whole file, when it was lexed by `proc_macro2` (the fast
    /// scan gave no answer).
    trees: Option<Vec<TokenTree>>,
    /// `#![…]` attributes at the top of the file but for doc comments and `#![doc …]` (none
    /// when they nest past the depth limit).
    pub inner_attrs: Vec<Attribute>,
    /// The bytes of the inner attributes when they nest past the depth limit and were not read.
    pub deep_inner_attrs: Option<Range<usize>>,
    /// Top-level items in order.
    pub items: Vec<Item>,
    /// The depth pass over the top level; what is nested is read per item, when asked.
    top: Vec<depth::Top>,
    /// The depth limit counted up to.
    limit: usize,
}

/// One top-level item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Byte range in the file, from the first token to the end of the last.
    pub range: Range<usize>,
    /// Its tokens' indices in [`Outline::tokens`].
    pub tokens: Range<usize>,
    /// Its positions among the file's top-level tokens.
    pub top: Range<usize>,
    /// Estimated recursion depth ([`depth::depth_units`]), counted up to just past the limit,
    /// once asked for ([`Outline::depth_of`]).
    depth: OnceCell<usize>,
}

impl<'a> Outline<'a> {
    /// Lexes `source` (a byte-order mark and shebang already blanked out) and estimates the
    /// depth of each item, counting up to just past `limit`. Inner attributes deeper than
    /// `limit` are not parsed.
    ///
    /// # Errors
    ///
    /// When the text is not a valid token stream (unbalanced delimiters, bad literals…).
    pub fn new(source: &'a str, limit: usize) -> Result<Self, SyntaxError> {
        match scan(source) {
            Some(tokens) => Ok(Outline::build(source, tokens, None, limit)),
            None => Outline::lexed(source, limit),
        }
    }

    /// Lexes `source` with `proc_macro2`, keeping the token trees of the whole file.
    ///
    /// # Errors
    ///
    /// As [`Outline::new`].
    pub fn lexed(source: &'a str, limit: usize) -> Result<Self, SyntaxError> {
        let stream: TokenStream =
            source
                .parse()
                .map_err(|error: proc_macro2::LexError| SyntaxError {
                    offset: error.span().byte_range().start,
                    message:
                        "cannot lex this file as Rust (unbalanced delimiter or malformed literal)"
                            .to_owned(),
                })?;
        let trees: Vec<TokenTree> = stream.into_iter().collect();
        let tokens = Tokens::from_trees(trees.clone());
        Ok(Outline::build(source, tokens, Some(trees), limit))
    }

    fn build(
        source: &'a str,
        tokens: Tokens<'a>,
        trees: Option<Vec<TokenTree>>,
        limit: usize,
    ) -> Self {
        let top = depth::top_level(&tokens, limit);
        let (inner, items) = split(&tokens);
        let mut outline = Outline {
            source,
            tokens,
            trees,
            inner_attrs: Vec::new(),
            deep_inner_attrs: None,
            items,
            top,
            limit,
        };
        if outline.depth_of(&inner) > limit {
            outline.deep_inner_attrs = Some(inner.range.clone());
        } else {
            outline.inner_attrs = outline.attributes(inner.tokens, true);
        }
        outline
    }

    /// The estimated recursion depth of an item ([`depth::depth_units`]), counted up to just
    /// past the limit the outline was made with.
    pub fn depth_of(&self, item: &Item) -> usize {
        *item.depth.get_or_init(|| {
            self.top
                .get(item.top.clone())
                .unwrap_or_default()
                .iter()
                .map(|top| top.peak(&self.tokens, self.limit))
                .max()
                .unwrap_or(0)
        })
    }

    /// Whether an item is shallow enough to hand to syn and the walk.
    pub fn is_within(&self, item: &Item) -> bool {
        self.depth_of(item) <= self.limit
    }

    /// The estimated recursion depth of the whole file read as one.
    pub fn depth(&self) -> usize {
        self.top
            .iter()
            .map(|top| top.peak(&self.tokens, self.limit))
            .max()
            .unwrap_or(0)
    }

    /// The text lexed.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// Whether an item is a `use` item (after its attributes and visibility).
    pub fn is_use(&self, item: &Item) -> bool {
        let tokens = &self.tokens;
        let mut i = item.tokens.start;
        while i < item.tokens.end && tokens.is_punct(i, '#') {
            i = tokens.next_sibling(i);
            if i < item.tokens.end {
                i = tokens.next_sibling(i);
            }
        }
        if i < item.tokens.end && tokens.is_word(i, "pub") {
            i = tokens.next_sibling(i);
            if matches!(tokens.get(i).map(|t| t.kind), Some(Kind::Open(_))) && i < item.tokens.end {
                i = tokens.next_sibling(i);
            }
        }
        i < item.tokens.end && tokens.is_word(i, "use")
    }

    /// Whether an item may declare a module: it holds `mod name;` somewhere.
    pub fn declares_modules(&self, item: &Item) -> bool {
        let tokens = &self.tokens;
        item.tokens.clone().any(|i| {
            tokens.is_word(i, "mod")
                && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident)
                && tokens.is_punct(i + 2, ';')
        })
    }

    /// The tokens inside the braces of a block item (`impl`, `trait`, an inline `mod`) whose
    /// tokens are `range`: its members are items of their own. `None` for any other item.
    pub fn body(&self, range: Range<usize>) -> Option<Range<usize>> {
        let tokens = &self.tokens;
        let mut i = range.start;
        while i < range.end && tokens.is_punct(i, '#') {
            i = tokens.next_sibling(i + 1);
        }
        if tokens.is_word(i, "pub") {
            i += 1;
            if matches!(
                tokens.get(i).map(|t| t.kind),
                Some(Kind::Open(Delimiter::Parenthesis))
            ) {
                i = tokens.next_sibling(i);
            }
        }
        while ["unsafe", "default", "auto"]
            .iter()
            .any(|word| tokens.is_word(i, word))
        {
            i += 1;
        }
        let block = ["impl", "trait"].iter().any(|word| tokens.is_word(i, word))
            || (tokens.is_word(i, "mod")
                && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident));
        if !block || i >= range.end {
            return None;
        }
        // The body is the item's last token.
        let last = range.end.checked_sub(1)?;
        let close = tokens.get(last)?;
        let open = close.link as usize;
        let braces =
            close.kind == Kind::Close && tokens.get(open)?.kind == Kind::Open(Delimiter::Brace);
        (braces && open > i).then_some(open + 1..last)
    }

    /// The outer attributes at the start of the item or member whose tokens are `range`,
    /// parsed, but for doc comments and `#[doc …]` (text, which a caller asking for these
    /// attributes does not read).
    pub fn outer_attrs(&self, range: Range<usize>) -> Vec<Attribute> {
        self.attributes(range, false)
    }

    /// The attributes at the start of `range` (`#[…]`, or `#![…]` when `inner`), parsed, but for
    /// doc comments and `#[doc …]`; none when one of them does not parse (as syn would not
    /// parse the item). Their text is lexed once, whatever their number.
    fn attributes(&self, range: Range<usize>, inner: bool) -> Vec<Attribute> {
        let tokens = &self.tokens;
        let bang = usize::from(inner);
        let mut at = range.start;
        // For each attribute, whether it is read (not a doc comment).
        let mut read = Vec::new();
        while at < range.end
            && tokens.is_punct(at, '#')
            && (!inner || tokens.is_punct(at + 1, '!'))
            && matches!(
                tokens.get(at + 1 + bang).map(|t| t.kind),
                Some(Kind::Open(Delimiter::Bracket))
            )
        {
            read.push(!tokens.is_word(at + 2 + bang, "doc"));
            at = tokens.next_sibling(at + 1 + bang);
        }
        if !read.contains(&true) {
            return Vec::new();
        }
        let trees: Vec<TokenTree> = self
            .source
            .get(tokens.bytes(range.start, at))
            .and_then(|text| text.parse::<TokenStream>().ok())
            .map(|stream| stream.into_iter().collect())
            .unwrap_or_default();
        let width = 2 + bang;
        if trees.len() != read.len() * width {
            return Vec::new();
        }
        let stream: TokenStream = trees
            .chunks(width)
            .zip(&read)
            .filter(|(_, read)| **read)
            .flat_map(|(attribute, _)| attribute.iter().cloned())
            .collect();
        let parser = if inner {
            Attribute::parse_inner
        } else {
            Attribute::parse_outer
        };
        parser.parse2(stream).unwrap_or_default()
    }

    /// The offsets among `offsets` (sorted) that fall inside a token that is code: not inside a
    /// comment, a doc comment or a literal, where no syntax can hold a word.
    pub fn in_code(&self, offsets: &[usize]) -> Vec<usize> {
        let list = &self.tokens.list;
        let mut next = 0;
        offsets
            .iter()
            .copied()
            .filter(|&at| {
                // The last token starting at or before `at` (starts never decrease).
                while list.get(next).is_some_and(|t| t.start as usize <= at) {
                    next += 1;
                }
                next.checked_sub(1)
                    .and_then(|i| list.get(i))
                    .is_some_and(|t| at < t.end as usize && t.kind != Kind::Literal)
            })
            .collect()
    }

    /// Whether the identifier `word` is among the tokens `range`.
    pub fn contains_word(&self, range: Range<usize>, word: &str) -> bool {
        range.into_iter().any(|i| self.tokens.is_word(i, word))
    }

    /// The top-level token trees of each of `items`, in order.
    ///
    /// When the file was scanned, a copy of it with every byte outside these items blanked is
    /// lexed: `proc_macro2` reads only them, and their spans are the file's offsets.
    pub fn trees_of(&self, items: &[&Item]) -> Vec<Vec<TokenTree>> {
        let plain: Vec<(&Item, &[Range<usize>])> =
            items.iter().map(|&item| (item, &[][..])).collect();
        self.trees_without(&plain)
    }

    /// The top-level token trees of each item, leaving out the bytes given with it (whole
    /// members: what is left must still be the item's tokens).
    pub fn trees_without(&self, items: &[(&Item, &[Range<usize>])]) -> Vec<Vec<TokenTree>> {
        let pruned = items.iter().any(|(_, left_out)| !left_out.is_empty());
        if let (Some(trees), false) = (&self.trees, pruned) {
            return items
                .iter()
                .map(|(item, _)| trees.get(item.top.clone()).unwrap_or_default().to_vec())
                .collect();
        }
        if let Some(found) = lex_blanked(self.source, items) {
            return found;
        }
        // Not expected (the scan accepts only what proc_macro2 does): lex the whole file.
        let whole: Vec<TokenTree> = self
            .source
            .parse::<TokenStream>()
            .map(|stream| stream.into_iter().collect())
            .unwrap_or_default();
        items
            .iter()
            .map(|(item, _)| whole.get(item.top.clone()).unwrap_or_default().to_vec())
            .collect()
    }
}

/// Splits a file's top-level tokens into its leading inner attributes and its items.
///
/// An item ends at a top-level `;`, or at a brace group followed by something that can start
/// an item (an identifier or `#`). A brace group followed by `;` (`use a::{b};`) or by `>`
/// (`impl Foo<{ N }> for X`) does not end one. A wrong split costs only time: the caller falls
/// back to parsing the whole file when an item does not parse.
pub(super) fn split(tokens: &Tokens<'_>) -> (Item, Vec<Item>) {
    split_range(tokens, 0, tokens.len())
}

/// Splits the tokens `from..to` (one level) as [`split`] splits a file; `top` counts positions
/// from `from`.
pub fn split_range(tokens: &Tokens<'_>, from: usize, to: usize) -> (Item, Vec<Item>) {
    // Inner attributes: `#`, `!`, `[…]`.
    let mut at = from;
    let mut top = 0;
    loop {
        let bracket = matches!(
            tokens.get(at + 2).map(|t| t.kind),
            Some(Kind::Open(Delimiter::Bracket))
        );
        if !(at + 2 < to && tokens.is_punct(at, '#') && tokens.is_punct(at + 1, '!') && bracket) {
            break;
        }
        at = tokens.next_sibling(at + 2);
        top += 3;
    }
    let inner = Item {
        range: tokens.bytes(from, at),
        tokens: from..at,
        top: 0..top,
        depth: OnceCell::new(),
    };
    let mut items = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut ends_item = false;
    let close = |items: &mut Vec<Item>, (from, first): (usize, usize), to: usize, last: usize| {
        items.push(Item {
            range: tokens.bytes(from, to),
            tokens: from..to,
            top: first..last,
            depth: OnceCell::new(),
        });
    };
    while let Some(token) = tokens.get(at).filter(|_| at < to) {
        let starts_item = token.kind == Kind::Ident || tokens.is_punct(at, '#');
        if ends_item
            && starts_item
            && let Some(started) = current.take()
        {
            close(&mut items, started, at, top);
        }
        ends_item = token.kind == Kind::Open(Delimiter::Brace);
        let semicolon = tokens.is_punct(at, ';');
        current.get_or_insert((at, top));
        at = tokens.next_sibling(at);
        top += 1;
        if semicolon && let Some(started) = current.take() {
            close(&mut items, started, at, top);
        }
    }
    if let Some(started) = current {
        close(&mut items, started, at, top);
    }
    (inner, items)
}
