//! Lexing a file into top-level items without building syntax trees.
//!
//! Every file is lexed (so a file that is not Rust is reported), but a syntax tree is built only
//! for items that contain a word some rule looks at. This module splits the token stream into
//! item-sized chunks and reads, from tokens alone, what the module tree needs: inner attributes
//! and `mod` declarations, including those inside item macro invocations (`cfg_rt! { mod x; }`).

use std::ops::Range;
use std::sync::Arc;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::Attribute;
use syn::parse::Parser;

use super::attrs::{self, Levels};
use super::depth;

/// A lexed file: its inner attributes and its top-level items, still as tokens.
pub struct Lexed {
    /// `#![…]` attributes at the top of the file (none when they nest past the depth limit).
    pub inner_attrs: Vec<Attribute>,
    /// The bytes of the inner attributes when they nest past the depth limit and were not read.
    pub deep_inner_attrs: Option<Range<usize>>,
    /// Top-level items in order.
    pub chunks: Vec<Chunk>,
    /// Estimated recursion depth of the whole file read as one ([`depth::depth_units`]).
    pub depth: usize,
}

/// The tokens of one top-level item and the bytes they cover.
pub struct Chunk {
    /// The item's tokens, attributes included.
    pub tokens: Vec<TokenTree>,
    /// Byte range in the file, from the first token to the end of the last.
    pub range: Range<usize>,
    /// Estimated recursion depth of the item ([`depth::depth_units`]), counted up to just past
    /// the limit given to [`lex`].
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

/// Lexes `text`, which must already have had a byte-order mark and shebang blanked out, and
/// estimates the recursion depth of each item, counting up to just past `limit`. Inner
/// attributes deeper than `limit` are not parsed.
///
/// # Errors
///
/// When the text is not a valid token stream (unbalanced delimiters, bad literals…).
pub fn lex(text: &str, limit: usize) -> Result<Lexed, SyntaxError> {
    let stream: TokenStream = text
        .parse()
        .map_err(|error: proc_macro2::LexError| SyntaxError {
            offset: error.span().byte_range().start,
            message: "cannot lex this file as Rust (unbalanced delimiter or malformed literal)"
                .to_owned(),
        })?;
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    // One pass gives the depth of every top-level token; an item's is the deepest of its own.
    let peaks = depth::peaks(&tokens, limit);
    let deepest = |range: Range<usize>| {
        peaks
            .get(range)
            .unwrap_or_default()
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
    };
    let depth = deepest(0..peaks.len());
    let (inner, mut chunks) = split(tokens);
    let mut at = inner.len();
    for chunk in &mut chunks {
        chunk.depth = deepest(at..at + chunk.tokens.len());
        at += chunk.tokens.len();
    }
    let deep_inner_attrs = (deepest(0..inner.len()) > limit).then(|| {
        let start = inner.first().map_or(0, |t| t.span().byte_range().start);
        let end = inner.last().map_or(start, |t| t.span().byte_range().end);
        start..end.max(start)
    });
    let inner_attrs = if deep_inner_attrs.is_some() {
        Vec::new()
    } else {
        parse_attrs(inner, true)
    };
    Ok(Lexed {
        inner_attrs,
        deep_inner_attrs,
        chunks,
        depth,
    })
}

/// Replaces a leading byte-order mark and a shebang line with spaces of the same byte length,
/// so the lexer accepts the text and byte offsets stay those of the original file.
pub fn blank_preamble(text: &str) -> Option<String> {
    let mut bytes = text.as_bytes().to_vec();
    let mut changed = false;
    let mut start = 0;
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes
            .get_mut(..3)
            .into_iter()
            .flatten()
            .for_each(|b| *b = b' ');
        start = 3;
        changed = true;
    }
    let rest = bytes.get(start..).unwrap_or_default();
    if rest.starts_with(b"#!")
        && !rest
            .get(2..)
            .unwrap_or_default()
            .trim_ascii_start()
            .starts_with(b"[")
    {
        let end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| start + i);
        bytes
            .get_mut(start..end)
            .into_iter()
            .flatten()
            .for_each(|b| *b = b' ');
        changed = true;
    }
    // Only ASCII bytes were overwritten with ASCII, so the text stays valid UTF-8.
    changed.then(|| String::from_utf8(bytes).ok()).flatten()
}

/// Splits a token list into leading inner-attribute tokens and item chunks.
///
/// An item ends at a top-level `;`, or at a brace group followed by something that can start
/// an item (an identifier or `#`). A brace group followed by `;` (`use a::{b};`) or by `>`
/// (`impl Foo<{ N }> for X`) does not end one. A wrong split costs only time: the caller falls
/// back to parsing the whole file when a chunk does not parse.
fn split(mut tokens: Vec<TokenTree>) -> (Vec<TokenTree>, Vec<Chunk>) {
    // Inner attributes: `#`, `!`, `[…]`, read by index (a copy of what is left per attribute
    // would cost the file's size per attribute).
    let mut inner_end = 0;
    loop {
        let hash = matches!(tokens.get(inner_end), Some(TokenTree::Punct(p)) if p.as_char() == '#');
        let bang =
            matches!(tokens.get(inner_end + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        let bracket = matches!(tokens.get(inner_end + 2), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket);
        if !(hash && bang && bracket) {
            break;
        }
        inner_end += 3;
    }
    let rest = tokens.split_off(inner_end);
    let inner = tokens;
    let tokens = rest.into_iter();
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut ends_item = false;
    for token in tokens {
        let starts_item = matches!(&token, TokenTree::Ident(_))
            || matches!(&token, TokenTree::Punct(p) if p.as_char() == '#');
        if ends_item && starts_item && !current.is_empty() {
            chunks.push(chunk(std::mem::take(&mut current)));
        }
        ends_item = match &token {
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
            _ => false,
        };
        let semicolon = matches!(&token, TokenTree::Punct(p) if p.as_char() == ';');
        current.push(token);
        if semicolon {
            chunks.push(chunk(std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        chunks.push(chunk(current));
    }
    (inner, chunks)
}

fn chunk(tokens: Vec<TokenTree>) -> Chunk {
    let start = tokens.first().map_or(0, |t| t.span().byte_range().start);
    let end = tokens.last().map_or(start, |t| t.span().byte_range().end);
    Chunk {
        tokens,
        range: start..end.max(start),
        depth: 0,
    }
}

fn parse_attrs(tokens: Vec<TokenTree>, inner: bool) -> Vec<Attribute> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let stream = TokenStream::from_iter(tokens);
    let parsed = if inner {
        Attribute::parse_inner.parse2(stream)
    } else {
        Attribute::parse_outer.parse2(stream)
    };
    parsed.unwrap_or_default()
}

/// What the module tree needs from a file: its inner attributes and `mod` declarations.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ModuleFacts {
    /// The file is test-only by its own inner attributes (`#![cfg(test)]`).
    pub test_only: bool,
    /// Clippy lint levels set for the whole file (`#![allow(clippy::x)]`).
    pub allows: Levels,
    /// Out-of-line `mod name;` declarations, at top level, in inline modules or in item macro
    /// invocations.
    pub decls: Vec<ModDecl>,
}

/// One `mod name;` declaration.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ModDecl {
    /// The module's name.
    pub name: String,
    /// Names of the inline modules it sits in (`mod a { mod b; }` → `["a"]`).
    pub inline_path: Vec<String>,
    /// Its `#[path = "…"]`, if any.
    pub path_attr: Option<String>,
    /// It, or an inline module around it, is test-only.
    pub test_only: bool,
    /// Clippy lint levels set around it (by inline modules and the file's items), shared by
    /// the declarations in the same place.
    pub around: Arc<Levels>,
    /// Clippy lint levels set on it, nearer than `around`.
    pub allows: Levels,
}

/// Reads the module facts of a lexed file from its tokens, leaving out items deeper than
/// `limit` (they are not read at all).
pub fn module_facts(lexed: &Lexed, limit: usize) -> ModuleFacts {
    let test_only = attrs::is_test_only(&lexed.inner_attrs);
    let mut facts = ModuleFacts {
        test_only,
        allows: attrs::clippy_allows(&lexed.inner_attrs, test_only)
            .into_iter()
            .collect(),
        decls: Vec::new(),
    };
    let context = Context {
        inline_path: Vec::new(),
        test_only: false,
        allows: Arc::default(),
    };
    for chunk in lexed.chunks.iter().filter(|chunk| chunk.is_within(limit)) {
        collect_decls(&chunk.tokens, &context, &mut facts.decls);
    }
    facts
}

#[derive(Clone)]
struct Context {
    inline_path: Vec<String>,
    test_only: bool,
    /// Shared by every declaration in the context; copied only where an item adds levels.
    allows: Arc<Levels>,
}

impl Context {
    /// The context inside an item carrying `attrs` (`#[cfg(test)]`, `#[allow(clippy::x)]`).
    fn within(&self, attrs: &[Attribute]) -> Context {
        let test_only = self.test_only || attrs::is_test_only(attrs);
        let added = attrs::clippy_allows(attrs, test_only);
        let allows = if added.is_empty() {
            Arc::clone(&self.allows)
        } else {
            let mut allows = Levels::clone(&self.allows);
            for level in added {
                allows.push(level);
            }
            Arc::new(allows)
        };
        Context {
            inline_path: self.inline_path.clone(),
            test_only,
            allows,
        }
    }

    /// The context inside an item macro invocation carrying `attrs`: its `cfg` decides whether
    /// the items exist, but rustc applies no lint level written on a macro invocation to what
    /// it expands to (`#[allow(clippy::x)] m! { mod a; }` leaves `a` linted).
    fn within_invocation(&self, attrs: &[Attribute]) -> Context {
        Context {
            inline_path: self.inline_path.clone(),
            test_only: self.test_only || attrs::is_test_only(attrs),
            allows: Arc::clone(&self.allows),
        }
    }
}

/// Adds the declarations of one item to `out`: a `mod` declaration, an inline module, or an
/// item macro invocation whose tokens hold items (`cfg_rt! { pub mod runtime; }`), read with
/// the invocation's own attributes. Recursion follows delimiter groups of an item that passed
/// the depth limit, so it is bounded; each token is read once.
fn collect_decls(tokens: &[TokenTree], context: &Context, out: &mut Vec<ModDecl>) {
    let mut i = 0;
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(_))) =
        (tokens.get(i), tokens.get(i + 1))
    {
        if p.as_char() != '#' {
            break;
        }
        i += 2;
    }
    let attr_tokens = tokens.get(..i).unwrap_or_default();
    if let Some(body) = item_macro_body(tokens.get(i..).unwrap_or_default()) {
        let nested = context.within_invocation(&parse_attrs(attr_tokens.to_vec(), false));
        let inner: Vec<TokenTree> = body.stream().into_iter().collect();
        if let Some(branches) = cfg_if_branches(&inner) {
            for (test_only, branch) in branches {
                let mut in_branch = nested.clone();
                in_branch.test_only |= test_only;
                let (_, chunks) = split(branch.stream().into_iter().collect());
                for chunk in &chunks {
                    collect_decls(&chunk.tokens, &in_branch, out);
                }
            }
            return;
        }
        let (_, chunks) = split(inner);
        for chunk in &chunks {
            collect_decls(&chunk.tokens, &nested, out);
        }
        return;
    }
    if matches!(tokens.get(i), Some(TokenTree::Ident(id)) if id == "pub") {
        i += 1;
        if matches!(tokens.get(i), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
        {
            i += 1;
        }
    }
    let (Some(TokenTree::Ident(keyword)), Some(TokenTree::Ident(name))) =
        (tokens.get(i), tokens.get(i + 1))
    else {
        return;
    };
    if keyword != "mod" {
        return;
    }
    let item_attrs = parse_attrs(attr_tokens.to_vec(), false);
    let name = name.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
    match tokens.get(i + 2) {
        Some(TokenTree::Punct(p)) if p.as_char() == ';' => {
            // The declaration's own levels stay apart: many declarations in a context with
            // many levels share the context's.
            let test_only = context.test_only || attrs::is_test_only(&item_attrs);
            out.push(ModDecl {
                name,
                inline_path: context.inline_path.clone(),
                path_attr: attrs::path_attribute(&item_attrs),
                test_only,
                around: Arc::clone(&context.allows),
                allows: attrs::clippy_allows(&item_attrs, test_only)
                    .into_iter()
                    .collect(),
            });
        }
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {
            let mut nested = context.within(&item_attrs);
            let (inner, chunks) = split(body.stream().into_iter().collect());
            let inner = parse_attrs(inner, true);
            nested.inline_path.push(name);
            let nested = nested.within(&inner);
            for chunk in &chunks {
                collect_decls(&chunk.tokens, &nested, out);
            }
        }
        _ => {}
    }
}

/// The branches of a `cfg_if!` body, `if #[cfg(a)] { .. } else if #[cfg(b)] { .. } else { .. }`
/// (the `cfg-if` crate's shape, whatever the macro is called): each branch's items, and whether
/// they can only be compiled for tests (a branch is compiled when its predicate holds and no
/// earlier one does). `None` when the tokens are not in that shape.
pub fn cfg_if_branches(tokens: &[TokenTree]) -> Option<Vec<(bool, &Group)>> {
    let is_word =
        |at: usize, word: &str| matches!(tokens.get(at), Some(TokenTree::Ident(id)) if id == word);
    let braces = |at: usize| match tokens.get(at) {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => Some(group),
        _ => None,
    };
    let mut chain = attrs::CfgChain::default();
    let mut branches = Vec::new();
    let mut i = 0;
    loop {
        let (true, Some(TokenTree::Punct(hash)), Some(TokenTree::Group(attr)), Some(body)) = (
            is_word(i, "if"),
            tokens.get(i + 1),
            tokens.get(i + 2),
            braces(i + 3),
        ) else {
            return None;
        };
        if hash.as_char() != '#' || attr.delimiter() != Delimiter::Bracket {
            return None;
        }
        let predicate = cfg_predicate(attr)?;
        branches.push((chain.next_requires_test(Some(&predicate)), body));
        i += 4;
        if i == tokens.len() {
            return Some(branches);
        }
        if !is_word(i, "else") {
            return None;
        }
        i += 1;
        if let Some(body) = braces(i) {
            branches.push((chain.next_requires_test(None), body));
            return (i + 1 == tokens.len()).then_some(branches);
        }
    }
}

/// The predicate of the attribute `[cfg(predicate)]`.
fn cfg_predicate(attr: &Group) -> Option<syn::Meta> {
    let syn::Meta::List(list) = syn::parse2::<syn::Meta>(attr.stream()).ok()? else {
        return None;
    };
    if !list.path.is_ident("cfg") {
        return None;
    }
    list.parse_args::<syn::Meta>().ok()
}

/// The body of an item macro invocation: `path! { … }`, `path!( … );` or `path![ … ];`, the
/// path made of identifiers and `::`. A `macro_rules!` definition (`macro_rules! name { … }`)
/// is not one: its tokens are rules, not items.
fn item_macro_body(tokens: &[TokenTree]) -> Option<&Group> {
    let is_punct = |at: usize, c: char| matches!(tokens.get(at), Some(TokenTree::Punct(p)) if p.as_char() == c);
    let mut i = if is_punct(0, ':') && is_punct(1, ':') {
        2
    } else {
        0
    };
    loop {
        if !matches!(tokens.get(i), Some(TokenTree::Ident(_))) {
            return None;
        }
        i += 1;
        if !(is_punct(i, ':') && is_punct(i + 1, ':')) {
            break;
        }
        i += 2;
    }
    let (true, Some(TokenTree::Group(body))) = (is_punct(i, '!'), tokens.get(i + 1)) else {
        return None;
    };
    let rest = tokens.get(i + 2..).unwrap_or_default();
    let ends = match body.delimiter() {
        Delimiter::Brace => rest.is_empty() || (rest.len() == 1 && is_punct(i + 2, ';')),
        Delimiter::Parenthesis | Delimiter::Bracket => rest.len() == 1 && is_punct(i + 2, ';'),
        Delimiter::None => false,
    };
    ends.then_some(body)
}

/// The module facts of a file read only for its `mod` declarations (not checked): a file
/// without the word `mod` declares none and is not lexed; one that does not lex has none.
pub fn declared_modules(text: &str, limit: usize) -> ModuleFacts {
    if !may_declare_modules(text) {
        return ModuleFacts::default();
    }
    let blanked = blank_preamble(text);
    lex(blanked.as_deref().unwrap_or(text), limit)
        .map(|lexed| module_facts(&lexed, limit))
        .unwrap_or_default()
}

/// Whether `text` may declare a module: it holds the word `mod`. A file without it has no
/// `mod` declaration for the module tree, so a file read only for its declarations need not be
/// lexed. Occurrences in comments or strings only cost a lexing.
fn may_declare_modules(text: &str) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(bytes, b"mod").any(|at| {
        let before = at.checked_sub(1).and_then(|j| bytes.get(j)).copied();
        let after = bytes.get(at + 3).copied();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
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
    fn reads_mod_declarations_from_tokens() {
        let text = "#![cfg(all(test, unix))]\n#[cfg(test)] mod a;\npub(crate) mod b;\n#[path = \"x.rs\"] mod c;\nmod d { #[allow(clippy::panic)] mod e; }\n#[cfg(test)] mod t { mod u; }";
        let facts = module_facts(&lex(text, 256).unwrap(), 256);
        assert!(facts.test_only);
        let decls: Vec<_> = facts
            .decls
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.inline_path.join("::"),
                    d.path_attr.clone(),
                    d.test_only,
                    d.around
                        .iter()
                        .chain(d.allows.iter())
                        .map(|a| a.lint.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            decls,
            [
                ("a", String::new(), None, true, vec![]),
                ("b", String::new(), None, false, vec![]),
                ("c", String::new(), Some("x.rs".to_owned()), false, vec![]),
                ("e", "d".to_owned(), None, false, vec!["panic".to_owned()]),
                ("u", "t".to_owned(), None, true, vec![]),
            ]
        );
    }

    #[test]
    fn reads_mod_declarations_inside_item_macros() {
        let text = "cfg_rt! { pub mod runtime; }\n#[cfg(test)] cfg_x!(mod a; mod b { mod c; });\n\
                    ::m::n![#[allow(clippy::panic)] mod d;];\nouter! { inner! { mod e; } }\n\
                    #[allow(clippy::todo)] #[cfg(test)] k! { #[cfg_attr(not(test), deny(clippy::todo))] mod k; }\n\
                    macro_rules! m { () => { mod f; } }\nfn g() { h! { mod i; } }\nm! { mod j; } + 1;";
        let facts = module_facts(&lex(text, 256).unwrap(), 256);
        let decls: Vec<_> = facts
            .decls
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.inline_path.join("::"),
                    d.test_only,
                    d.around
                        .iter()
                        .chain(d.allows.iter())
                        .map(ToString::to_string)
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            decls,
            [
                ("runtime", String::new(), false, vec![]),
                ("a", String::new(), true, vec![]),
                ("c", "b".to_owned(), true, vec![]),
                (
                    "d",
                    String::new(),
                    false,
                    vec!["#[allow(clippy::panic)]".to_owned()]
                ),
                ("e", String::new(), false, vec![]),
                // No lint level of an invocation applies inside it; `cfg_attr` is read in the
                // build the invocation's `cfg` leaves: a test build here.
                ("k", String::new(), true, vec![]),
            ]
        );
    }

    #[test]
    fn cfg_if_branches_are_read_in_order() {
        let branches = |body: &str| -> Option<Vec<(bool, String)>> {
            let tokens: Vec<TokenTree> = body.parse::<TokenStream>().unwrap().into_iter().collect();
            cfg_if_branches(&tokens).map(|found| {
                found
                    .into_iter()
                    .map(|(test, group)| (test, group.stream().to_string()))
                    .collect()
            })
        };
        assert_eq!(
            branches("if #[cfg(test)] { a } else if #[cfg(unix)] { b } else { c }").unwrap(),
            [
                (true, "a".to_owned()),
                (false, "b".to_owned()),
                (false, "c".to_owned())
            ]
        );
        // Only a test build reaches the `else` of `not(test)`, whatever comes between.
        assert_eq!(
            branches("if #[cfg(not(test))] { a } else if #[cfg(unix)] { b } else { c }").unwrap(),
            [
                (false, "a".to_owned()),
                (true, "b".to_owned()),
                (true, "c".to_owned())
            ]
        );
        assert_eq!(
            branches("if #[cfg(unix)] { a } else if #[cfg(all(test, x))] { b }").unwrap(),
            [(false, "a".to_owned()), (true, "b".to_owned())]
        );
        for other in [
            "",
            "if #[cfg(test)] { a } else",
            "if #[cfg(test)] { a } else { b } c",
            "if #[cfg(test)] { a } else { b } else { c }",
            "if #[derive(test)] { a }",
            "if #[cfg(test)] ( a )",
            "if x { a }",
        ] {
            assert!(branches(other).is_none(), "{other}");
        }
        let text = "cfg_if::cfg_if! { if #[cfg(test)] { mod mock; } else if #[cfg(not(test))] { mod real; } else { mod never; } }\n\
                    #[cfg(test)] cfg_if! { if #[cfg(unix)] { mod unix; } }";
        let facts = module_facts(&lex(text, 256).unwrap(), 256);
        let decls: Vec<(&str, bool)> = facts
            .decls
            .iter()
            .map(|d| (d.name.as_str(), d.test_only))
            .collect();
        assert_eq!(
            decls,
            [
                ("mock", true),
                ("real", false),
                ("never", false),
                ("unix", true)
            ]
        );
    }

    #[test]
    fn the_word_mod_is_looked_for_whole() {
        assert!(may_declare_modules("#[cfg(test)]\nmod tests;"));
        assert!(may_declare_modules("x!{mod a;}"));
        assert!(!may_declare_modules("use model::module; // modify"));
        assert!(!may_declare_modules(""));
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
        assert!(module_facts(&lexed, 256).decls.is_empty());
    }
}
