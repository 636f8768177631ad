//! Lexing a file into top-level items without building syntax trees.
//!
//! Every file is lexed (so a file that is not Rust is reported), but a syntax tree is built only
//! for items that contain a word some rule looks at. A fast scan ([`scan`]) lays the tokens out
//! flat ([`tokens`]); the [`outline`] splits them into item-sized pieces with their estimated
//! depth, and [`facts`] reads, from tokens alone, what the module tree needs. `proc_macro2` lexes
//! only the items that are parsed, or the whole file when the fast scan gives no answer.

mod blanked;
pub mod facts;
mod item_macros;
mod literal;
mod mentions;
pub mod outline;
pub mod scan;
pub mod tokens;
mod trivia;

use std::ops::Range;

use proc_macro2::TokenTree;
use syn::Attribute;

pub use facts::{ModDecl, ModuleFacts, declared_modules, module_facts};
pub use item_macros::cfg_if_branches;
pub use mentions::{may_declare_any, path_names};
pub use outline::{Item, Outline};

/// A lexed file with every item's token trees (for callers that parse many of its items).
pub struct Lexed {
    /// `#![…]` attributes at the top of the file (none when they nest past the depth limit).
    pub inner_attrs: Vec<Attribute>,
    /// The bytes of the inner attributes when they nest past the depth limit and were not read.
    pub deep_inner_attrs: Option<Range<usize>>,
    /// Top-level items in order.
    pub chunks: Vec<Chunk>,
    /// Estimated recursion depth of the whole file read as one
    /// ([`depth::depth_units`](crate::source::depth::depth_units)).
    pub depth: usize,
}

/// The tokens of one top-level item and the bytes they cover.
pub struct Chunk {
    /// The item's tokens, attributes included.
    pub tokens: Vec<TokenTree>,
    /// Byte range in the file, from the first token to the end of the last.
    pub range: Range<usize>,
    /// Estimated recursion depth of the item, counted up to just past the limit given to
    /// [`lex`].
    pub depth: usize,
}

impl Chunk {
    /// Whether the item is shallow enough to hand to syn and the walk.
    pub fn is_within(&self, limit: usize) -> bool {
        self.depth <= limit
    }
}

/// Why a file or an item could not be read as Rust.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Byte offset the error points at.
    pub offset: usize,
    /// What the lexer or parser said.
    pub message: String,
}

/// Lexes `text`, which must already have had a byte-order mark and shebang blanked out, with
/// `proc_macro2`, and estimates the recursion depth of each item, counting up to just past
/// `limit`. Inner attributes deeper than `limit` are not parsed.
///
/// # Errors
///
/// When the text is not a valid token stream (unbalanced delimiters, bad literals…).
pub fn lex(text: &str, limit: usize) -> Result<Lexed, SyntaxError> {
    let outline = Outline::lexed(text, limit)?;
    let items: Vec<&Item> = outline.items.iter().collect();
    let chunks = outline
        .trees_of(&items)
        .into_iter()
        .zip(&outline.items)
        .map(|(tokens, item)| Chunk {
            tokens,
            range: item.range.clone(),
            depth: outline.depth_of(item),
        })
        .collect();
    let depth = outline.depth();
    Ok(Lexed {
        inner_attrs: outline.inner_attrs,
        deep_inner_attrs: outline.deep_inner_attrs,
        chunks,
        depth,
    })
}

/// Replaces a leading byte-order mark and a shebang line with spaces of the same byte length,
/// so the lexer accepts the text and byte offsets stay those of the original file. `None` when
/// there is neither (the common case: no copy).
pub fn blank_preamble(text: &str) -> Option<String> {
    let bom = text.starts_with('\u{feff}');
    let rest = text
        .as_bytes()
        .get(if bom { 3 } else { 0 }..)
        .unwrap_or_default();
    let shebang = rest.starts_with(b"#!")
        && !rest
            .get(2..)
            .unwrap_or_default()
            .trim_ascii_start()
            .starts_with(b"[");
    if !bom && !shebang {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    let start = if bom { 3 } else { 0 };
    let end = if shebang {
        memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| start + i)
    } else {
        start
    };
    bytes
        .get_mut(..end)
        .into_iter()
        .flatten()
        .for_each(|b| *b = b' ');
    // Only ASCII bytes and the three bytes of the mark were overwritten with ASCII, so the
    // text stays valid UTF-8.
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk_texts(text: &str) -> Vec<String> {
        lex(text, 256)
            .unwrap()
            .chunks
            .iter()
            .map(|c| text[c.range.clone()].to_owned())
            .collect()
    }

    #[test]
    fn splits_items_at_their_ends() {
        let text = "#![allow(x)]\nuse a::{b, c};\nstruct S { a: u8 }\nimpl Foo<{ N }> for S {}\nconst X: u8 = { 1 };\nm! { }\nfn f() {}";
        assert_eq!(
            chunk_texts(text),
            [
                "use a::{b, c};",
                "struct S { a: u8 }",
                "impl Foo<{ N }> for S {}",
                "const X: u8 = { 1 };",
                "m! { }",
                "fn f() {}"
            ]
        );
    }

    #[test]
    fn preamble_is_blanked_keeping_offsets() {
        let text = "\u{feff}#!/usr/bin/env run-cargo-script\nfn main() {}";
        let blanked = blank_preamble(text).unwrap();
        assert_eq!(blanked.len(), text.len());
        assert!(lex(&blanked, 256).is_ok());
        assert!(blank_preamble("#![allow(x)]").is_none());
    }

    #[test]
    fn words_in_comments_and_literals_are_not_code() {
        let text = "/// x.unwrap()\n/** unwrap */ fn f() { let s = \"unwrap\"; y.unwrap(); } \
                    // unwrap\n/* unwrap */ const C: &[&str] = &[r#\"unwrap\"#]; b'u'; m![&k];";
        let words: Vec<usize> = text.match_indices("unwrap").map(|(at, _)| at).collect();
        let brackets: Vec<usize> = text.match_indices("[&").map(|(at, _)| at).collect();
        for outline in [Outline::new(text, 256), Outline::lexed(text, 256)] {
            let outline = outline.unwrap();
            let code: Vec<&str> = outline
                .in_code(&words)
                .into_iter()
                .map(|at| &text[at - 2..at + 6])
                .collect();
            assert_eq!(code, ["y.unwrap"]);
            assert_eq!(
                outline.in_code(&brackets).len(),
                2,
                "`&[&str]` and `m![&k]` are code"
            );
        }
    }

    #[test]
    fn deep_items_and_inner_attributes_are_measured_not_read() {
        let deep = format!(
            "#![cfg(any({}test{}))]\nfn ok() {{}}\nmod m {{ {}{} }}",
            "any(".repeat(300),
            ")".repeat(300),
            "mod m { ".repeat(300),
            "}".repeat(300)
        );
        let lexed = lex(&deep, 256).unwrap();
        assert!(lexed.deep_inner_attrs.is_some() && lexed.inner_attrs.is_empty());
        let depths: Vec<bool> = lexed.chunks.iter().map(|c| c.is_within(256)).collect();
        assert_eq!(depths, [true, false]);
        for outline in [Outline::new(&deep, 256), Outline::lexed(&deep, 256)] {
            let outline = outline.unwrap();
            assert!(outline.deep_inner_attrs.is_some() && outline.inner_attrs.is_empty());
            let depths: Vec<bool> = outline.items.iter().map(|c| outline.is_within(c)).collect();
            assert_eq!(depths, [true, false]);
            assert!(module_facts(&outline).decls.is_empty());
        }
    }
}
