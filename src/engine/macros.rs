//! Searching macro invocations: their tokens are parsed as expressions, statements or items
//! when they can be (`format!`, `vec!`, `assert!`, `thread_local!`…), and otherwise split at
//! `,`, `;` and `=>` and searched piece by piece, down to single tokens (`matches!(v, P if
//! v.unwrap())`, `my_macro!(v => v.unwrap())`). A `macro_rules!` body is read rule by rule,
//! each transcriber as code ([`transcriber`]); its matchers are patterns, not code.

mod transcriber;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Attribute, Block, Expr, Token};

use super::visit::{Entered, Walker};
use crate::source::lex;

impl Walker<'_> {
    /// Searches the tokens of a macro invocation, which span `bytes` bytes of the file.
    pub(crate) fn visit_macro_tokens(&mut self, tokens: &TokenStream, bytes: usize) {
        if tokens.is_empty() {
            return;
        }
        // Each attempt below copies every token nested in `tokens`.
        let cost = bytes.saturating_mul(4);
        if self.macro_budget < cost {
            let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
            self.scan_tokens(&tokens);
            return;
        }
        self.macro_budget -= cost;
        let top: Vec<TokenTree> = tokens.clone().into_iter().collect();
        // `cfg_if! { if #[cfg(test)] { .. } else { .. } }`: each branch under its own `cfg`.
        if let Some(branches) = lex::cfg_if_branches(&top) {
            for (test, body) in branches {
                self.in_test(test, |walker| {
                    walker.visit_macro_tokens(&body.stream(), body.span().byte_range().len());
                });
            }
            return;
        }
        if let Some(rules) = transcriber::rules(&top) {
            for (matcher, transcriber) in rules {
                let code = transcriber::transcribe(matcher, transcriber);
                self.visit_macro_tokens(&code, transcriber.span().byte_range().len());
            }
            return;
        }
        if let Ok(exprs) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens.clone()) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
            return;
        }
        if let Ok(stmts) = Block::parse_within.parse2(tokens.clone()) {
            for stmt in &stmts {
                self.visit_stmt(stmt);
            }
            return;
        }
        if let Ok(file) = syn::parse2::<syn::File>(tokens.clone()) {
            self.visit_file(&file);
            return;
        }
        self.scan_pieces(tokens);
    }

    /// Splits tokens at top-level `,`, `;` and `=>`, parsing each piece as an expression when
    /// it is one and scanning its tokens when it is not.
    fn scan_pieces(&mut self, tokens: &TokenStream) {
        let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let mut start = 0;
        let mut i = 0;
        while i <= tokens.len() {
            let separator = match tokens.get(i) {
                None => Some(0),
                Some(TokenTree::Punct(p)) if p.as_char() == ',' || p.as_char() == ';' => Some(1),
                Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                    matches!(tokens.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '>')
                        .then_some(2)
                }
                _ => None,
            };
            if let Some(width) = separator {
                if let Some(piece) = tokens.get(start..i) {
                    self.scan_piece(piece);
                }
                start = i + width.max(1);
                i = start;
            } else {
                i += 1;
            }
        }
    }

    fn scan_piece(&mut self, piece: &[TokenTree]) {
        if piece.is_empty() {
            return;
        }
        let stream: TokenStream = piece.iter().cloned().collect();
        if let Ok(expr) = syn::parse2::<Expr>(stream) {
            self.visit_expr(&expr);
            return;
        }
        self.scan_tokens(piece);
    }

    /// Finds calls in raw tokens: `.name(…)`, `Type::name`, `name!(…)`, then searches groups.
    /// An attribute among them (`#[allow(clippy::x)]`, `#[cfg(test)]`) covers what follows it
    /// up to the end of the item or statement it stands on: the next `{ … }` or `;`.
    fn scan_tokens(&mut self, tokens: &[TokenTree]) {
        let triggers = self.codex().triggers();
        let mut skip_group = None;
        // For each token, where the item or statement it is in ends (made once, when an
        // attribute is met), and the attributes in force with the index they end at.
        let mut ends: Option<Vec<usize>> = None;
        let mut covered: Vec<(usize, Entered)> = Vec::new();
        // Where the `::` path the current identifier ends starts: its first segment is read
        // without walking the path back from each of its segments.
        let mut path_start = 0;
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Ident(ident) => {
                    let before = i.checked_sub(1).and_then(|j| tokens.get(j));
                    let after_dot =
                        matches!(before, Some(TokenTree::Punct(p)) if p.as_char() == '.');
                    let owner = (i >= 3
                        && matches!(before, Some(TokenTree::Punct(p)) if p.as_char() == ':'))
                    .then(|| match tokens.get(i - 3) {
                        Some(TokenTree::Ident(owner)) => Some(owner),
                        _ => None,
                    })
                    .flatten();
                    if owner.is_none() {
                        path_start = i;
                    }
                    let after_path = owner.is_some_and(|owner| {
                        owner.to_string().starts_with(|c: char| c.is_uppercase())
                    });
                    let called = matches!(tokens.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
                        || matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    let paren = matches!(tokens.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                    if paren && !after_dot {
                        self.call_path(&path_ending_at(tokens, i), ident);
                    }
                    if (after_dot && called) || after_path {
                        let rules = triggers.method_rules(ident);
                        // `Owner::name` of a project type is its own function (first and last
                        // segments tell, as for a path in the syntax tree).
                        let own = after_path
                            && !rules.is_empty()
                            && self.own_type(
                                &[path_start, i - 3]
                                    .iter()
                                    .filter_map(|&at| match tokens.get(at) {
                                        Some(TokenTree::Ident(segment)) => {
                                            Some(segment.to_string())
                                        }
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>(),
                            );
                        if !rules.is_empty() && !own {
                            self.record(rules, ident);
                        }
                    }
                    let bang = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if let (true, Some(TokenTree::Group(body))) = (bang, tokens.get(i + 2)) {
                        let path = syn::Path::from(ident.clone());
                        let qualified =
                            matches!(before, Some(TokenTree::Punct(p)) if p.as_char() == ':');
                        if !qualified || is_std_prefix(tokens, i) {
                            self.macro_path(&path);
                        }
                        self.visit_macro_tokens(&body.stream(), body.span().byte_range().len());
                        skip_group = Some(i + 2);
                    }
                }
                TokenTree::Punct(hash) if hash.as_char() == '#' => {
                    if let Some(attrs) = attribute_at(tokens, i) {
                        let ends = ends.get_or_insert_with(|| statement_ends(tokens));
                        let end = ends.get(i).copied().unwrap_or(tokens.len());
                        covered.push((end, self.enter_attrs(&attrs)));
                        skip_group = Some(i + 1);
                    }
                }
                TokenTree::Group(group) if skip_group != Some(i) => {
                    self.visit_macro_tokens(&group.stream(), group.span().byte_range().len());
                }
                _ => {}
            }
            while let Some((end, entered)) = covered.pop() {
                if end > i {
                    covered.push((end, entered));
                    break;
                }
                self.leave_attrs(&entered);
            }
        }
        while let Some((_, entered)) = covered.pop() {
            self.leave_attrs(&entered);
        }
    }
}

/// The outer attribute `#[…]` starting at `tokens[at]`, when it reads as one.
fn attribute_at(tokens: &[TokenTree], at: usize) -> Option<Vec<Attribute>> {
    let (Some(hash), Some(TokenTree::Group(group))) = (tokens.get(at), tokens.get(at + 1)) else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let stream: TokenStream = [hash.clone(), TokenTree::Group(group.clone())]
        .into_iter()
        .collect();
    Attribute::parse_outer.parse2(stream).ok()
}

/// For each token, the index of the token that ends its item or statement: the next `{ … }`
/// group or `;` (itself when it is one; the length when none follows). One backward pass.
fn statement_ends(tokens: &[TokenTree]) -> Vec<usize> {
    let mut ends = vec![tokens.len(); tokens.len()];
    let mut next = tokens.len();
    for (i, token) in tokens.iter().enumerate().rev() {
        let ends_here = match token {
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        if ends_here {
            next = i;
        }
        if let Some(end) = ends.get_mut(i) {
            *end = next;
        }
    }
    ends
}

/// The `::`-separated identifiers ending at `tokens[end]`: `a::b::c` for `c`.
fn path_ending_at(tokens: &[TokenTree], end: usize) -> Vec<String> {
    let mut segments = Vec::new();
    let mut i = end;
    while let Some(TokenTree::Ident(ident)) = tokens.get(i) {
        segments.push(ident.to_string());
        let colons = i >= 3
            && matches!(tokens.get(i - 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            && matches!(tokens.get(i - 2), Some(TokenTree::Punct(p)) if p.as_char() == ':');
        if !colons {
            break;
        }
        i -= 3;
    }
    segments.reverse();
    segments
}

/// Whether the path ending at `tokens[end]` is `std::`, `core::` or `alloc::` then the name.
fn is_std_prefix(tokens: &[TokenTree], end: usize) -> bool {
    end >= 3
        && matches!(tokens.get(end - 3), Some(TokenTree::Ident(root))
            if root == "std" || root == "core" || root == "alloc")
}
