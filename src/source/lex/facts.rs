//! What the module tree needs from a file, read from tokens: its inner attributes and its
//! `mod` declarations, including those inside item macro invocations (`cfg_rt! { mod x; }`)
//! and `cfg_if!` branches. Only items that hold `mod name;` somewhere are turned into token
//! trees for it.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::Arc;

use proc_macro2::{Delimiter, Group, TokenTree};
use syn::Attribute;
use syn::parse::Parser;

use super::blank_preamble;
use super::outline::{Outline, split};
use super::tokens::Tokens;
use crate::source::attrs::{self, Levels};

/// What the module tree needs from a file: its inner attributes and `mod` declarations.
#[derive(Debug, Clone, Default)]
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
#[derive(Debug, Clone)]
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

/// Reads the module facts of an outlined file, leaving out items deeper than its limit (they are
/// not read at all) and items without a `mod name;` (they declare nothing).
pub fn module_facts(outline: &Outline<'_>) -> ModuleFacts {
    let test_only = attrs::is_test_only(&outline.inner_attrs);
    let mut facts = ModuleFacts {
        test_only,
        allows: attrs::clippy_allows(&outline.inner_attrs, test_only)
            .into_iter()
            .collect(),
        decls: Vec::new(),
    };
    let context = Context {
        inline_path: Vec::new(),
        test_only: false,
        allows: Arc::default(),
    };
    let declaring: Vec<_> = outline
        .items
        .iter()
        .filter(|item| outline.declares_modules(item) && outline.is_within(item))
        .collect();
    if declaring.is_empty() {
        return facts;
    }
    for trees in outline.trees_of(&declaring) {
        collect_decls(&trees, &context, &mut facts.decls);
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
                let (_, chunks) = split_trees(&branch.stream().into_iter().collect::<Vec<_>>());
                for chunk in &chunks {
                    collect_decls(chunk, &in_branch, out);
                }
            }
            return;
        }
        let (_, chunks) = split_trees(&inner);
        for chunk in &chunks {
            collect_decls(chunk, &nested, out);
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
            let (inner, chunks) = split_trees(&body.stream().into_iter().collect::<Vec<_>>());
            let inner = parse_attrs(inner, true);
            nested.inline_path.push(name);
            let nested = nested.within(&inner);
            for chunk in &chunks {
                collect_decls(chunk, &nested, out);
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
    Outline::new(blanked.as_deref().unwrap_or(text), limit)
        .map(|outline| module_facts(&outline))
        .unwrap_or_default()
}

/// Whether `text` may declare a module: it holds the word `mod`. A file without it has no
/// `mod` declaration for the module tree, so a file read only for its declarations need not be
/// lexed. Occurrences in comments or strings only cost a lexing.
fn may_declare_modules(text: &str) -> bool {
    words(text, "mod").next().is_some()
}

/// Whether `text` may declare a module named one of `names`, or one at a `#[path]`: it holds
/// `mod` followed by one of them (or by a comment, or a name outside ASCII), or `path = "` (or
/// a comment in between).
/// A file that does not can only declare other modules, so where the files whose folders and
/// stems are `names` stand in the module tree does not depend on it.
pub fn may_declare_any<S: BuildHasher>(text: &str, names: &HashSet<String, S>) -> bool {
    let bytes = text.as_bytes();
    let after = |at: usize| {
        let rest = bytes.get(at..).unwrap_or_default();
        let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        rest.get(blank..).unwrap_or_default()
    };
    let declares = words(text, "mod").any(|at| {
        let next = after(at + 3);
        let next = next.strip_prefix(b"r#").unwrap_or(next);
        let len = next
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        match next.get(..len) {
            // A comment, or a name that is not ASCII.
            Some([]) | None => next.first().is_some_and(|&b| b == b'/' || !b.is_ascii()),
            Some(name) => std::str::from_utf8(name).is_ok_and(|name| names.contains(name)),
        }
    });
    let path_attribute = |at: usize| match after(at + 4) {
        [b'/', ..] => true,
        [b'=', rest @ ..] => {
            // `path = "…"` (or a raw string, or a comment in between).
            let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            matches!(rest.get(blank), Some(b'"' | b'r' | b'/'))
        }
        _ => false,
    };
    declares || words(text, "path").any(path_attribute)
}

/// The folders and file stems on `paths` (relative, `/`-separated): the names a module
/// declaration that leads to one of them may give ([`may_declare_any`]).
pub fn path_names<'a>(paths: impl Iterator<Item = &'a str>) -> HashSet<String> {
    paths
        .flat_map(|path| path.split('/'))
        .map(|part| part.strip_suffix(".rs").unwrap_or(part).to_owned())
        .collect()
}

/// Offsets of `word` in `text` where it stands whole (not inside an identifier).
fn words<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(bytes, word.as_bytes()).filter(move |&at| {
        let before = at.checked_sub(1).and_then(|j| bytes.get(j)).copied();
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Splits token trees as a file's top level is split ([`split`]): leading inner-attribute
/// tokens, then each item's tokens.
fn split_trees(trees: &[TokenTree]) -> (Vec<TokenTree>, Vec<Vec<TokenTree>>) {
    let flat = Tokens::from_trees(trees.to_vec());
    let (inner, items) = split(&flat);
    let take = |top: std::ops::Range<usize>| trees.get(top).unwrap_or_default().to_vec();
    (
        take(inner.top),
        items.into_iter().map(|item| take(item.top)).collect(),
    )
}

fn parse_attrs(tokens: Vec<TokenTree>, inner: bool) -> Vec<Attribute> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let stream = proc_macro2::TokenStream::from_iter(tokens);
    let parsed = if inner {
        Attribute::parse_inner.parse2(stream)
    } else {
        Attribute::parse_outer.parse2(stream)
    };
    parsed.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use super::*;

    #[test]
    fn reads_mod_declarations_from_tokens() {
        let text = "#![cfg(all(test, unix))]\n#[cfg(test)] mod a;\npub(crate) mod b;\n#[path = \"x.rs\"] mod c;\nmod d { #[allow(clippy::panic)] mod e; }\n#[cfg(test)] mod t { mod u; }";
        let facts = module_facts(&Outline::new(text, 256).unwrap());
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
        let facts = module_facts(&Outline::new(text, 256).unwrap());
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
        let facts = module_facts(&Outline::new(text, 256).unwrap());
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
    fn a_file_matters_to_a_module_path_when_it_may_declare_part_of_it() {
        let names: HashSet<String> = ["sync", "mpsc", "chan"].map(str::to_owned).into();
        for text in [
            "pub mod sync;",
            "cfg_rt! { pub(crate) mod   mpsc; }",
            "mod r#chan;",
            "mod /* why */ chan;",
            "mod é;",
            "#[path = \"x.rs\"] mod other;",
            "#[cfg_attr(unix, path /* */ = \"x.rs\")] mod other;",
        ] {
            assert!(may_declare_any(text, &names), "{text}");
        }
        for text in [
            "mod other; mod tests { use super::*; }",
            "fn f(path: &Path) -> bool { let path = path.join(x); path == other }",
            "mod synchronous;",
            "",
        ] {
            assert!(!may_declare_any(text, &names), "{text}");
        }
    }
}
