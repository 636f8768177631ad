//! Item macro invocations whose tokens hold items: `cfg_rt! { mod x; }`, and `cfg_if!`
//! branches, each under its own `cfg`.

use proc_macro2::{Delimiter, Group, TokenTree};

use crate::source::attrs;

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
pub(super) fn item_macro_body(tokens: &[TokenTree]) -> Option<&Group> {
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

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use super::super::facts::module_facts;
    use super::super::outline::Outline;
    use super::*;

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
}
