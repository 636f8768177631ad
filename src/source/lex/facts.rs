//! What the module tree needs from a file, read from tokens: its inner attributes and its
//! `mod` declarations, including those inside item macro invocations (`cfg_rt! { mod x; }`)
//! and `cfg_if!` branches. Only items that hold `mod name;` somewhere are turned into token
//! trees for it.

use std::sync::Arc;

use proc_macro2::{Delimiter, TokenTree};
use syn::Attribute;
use syn::parse::Parser;

use super::blank_preamble;
use super::item_macros::{cfg_if_branches, item_macro_body};
use super::mentions::may_declare_modules;
use super::outline::{Outline, split};
use super::tokens::Tokens;
use crate::source::attrs::{self, Levels};

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
}
