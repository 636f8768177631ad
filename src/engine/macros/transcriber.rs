//! `macro_rules!` bodies read as code: each rule's transcriber (the right of `=>`) with its
//! metavariables replaced by plain tokens, so that syn parses it as items, statements or
//! expressions and the walk sees its attributes (`#[test]`, `#[cfg(test)]`) and functions.
//!
//! Nothing is expanded: a transcriber is read once, as if each `$( … )` repetition happened
//! once and each metavariable were a name (rust-analyzer's `mbe` reads a transcriber the same
//! way into variables, repetitions and plain tokens, but then expands it per invocation).
//! Every token keeps its span, so findings point into the macro's body. Both passes here are
//! linear and use an explicit stack, not recursion.

use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// The rules of a `macro_rules!` body, `(matcher) => { transcriber }` separated by `;`: each
/// rule's matcher and transcriber. `None` when the tokens are not in that shape.
pub(super) fn rules(tokens: &[TokenTree]) -> Option<Vec<(&Group, &Group)>> {
    let mut rules = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (Some(TokenTree::Group(matcher)), true, Some(TokenTree::Group(transcriber))) = (
            tokens.get(i),
            is_fat_arrow(tokens, i + 1),
            tokens.get(i + 3),
        ) else {
            return None;
        };
        rules.push((matcher, transcriber));
        i += 4;
        if is_punct(tokens.get(i), ';') {
            i += 1;
        }
    }
    (!rules.is_empty()).then_some(rules)
}

/// The tokens of `transcriber` as code, with the fragments `matcher` declares: `$name` becomes
/// the identifier `name` (`r#name` for a keyword, `{}` for a `block`, `'name` for a
/// `lifetime`, nothing for a `vis`),
/// `$crate` becomes `crate`, `$( … ) sep rep` becomes its contents once, `${ … }` an
/// identifier and `$$` a `$`.
pub(super) fn transcribe(matcher: &Group, transcriber: &Group) -> TokenStream {
    let fragments = fragments(matcher);
    let mut stack = vec![Frame::new(transcriber.stream(), None)];
    while let Some(frame) = stack.last_mut() {
        if let Some(token) = frame.tokens.get(frame.at).cloned() {
            frame.at += 1;
            if let Some(opened) = frame.read(token, &fragments) {
                stack.push(opened);
            }
            continue;
        }
        let rebuilt = stack.pop().map(Frame::rebuilt).unwrap_or_default();
        match stack.last_mut() {
            Some(parent) => parent.out.extend(rebuilt),
            None => return rebuilt.into_iter().collect(),
        }
    }
    TokenStream::new()
}

/// A group of a transcriber being rebuilt: its tokens, where reading stands, what was written,
/// and the group to rebuild (none for a repetition, whose contents join its parent's).
struct Frame {
    tokens: Vec<TokenTree>,
    at: usize,
    out: Vec<TokenTree>,
    group: Option<(Delimiter, Span)>,
}

impl Frame {
    fn new(stream: TokenStream, group: Option<(Delimiter, Span)>) -> Self {
        Frame {
            tokens: stream.into_iter().collect(),
            at: 0,
            out: Vec::new(),
            group,
        }
    }

    /// Reads `token`, the one before `at`; returns the frame of a group it opens.
    fn read(&mut self, token: TokenTree, fragments: &HashMap<String, Fragment>) -> Option<Frame> {
        let dollar = match token {
            TokenTree::Group(group) => {
                return Some(Frame::new(
                    group.stream(),
                    Some((group.delimiter(), group.span())),
                ));
            }
            TokenTree::Punct(p) if p.as_char() == '$' => p,
            other => {
                self.out.push(other);
                return None;
            }
        };
        let Some(next) = self.tokens.get(self.at).cloned() else {
            self.out.push(TokenTree::Punct(dollar));
            return None;
        };
        self.at += 1;
        match next {
            TokenTree::Ident(name) => {
                let kind = fragments.get(&name.to_string()).copied();
                self.out.extend(metavariable(name, kind));
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis => {
                self.at += repetition_end(&self.tokens, self.at);
                return Some(Frame::new(group.stream(), None));
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                self.out
                    .push(TokenTree::Ident(Ident::new("metavar", group.span())));
            }
            other => {
                // `$$` is an escaped `$`; any other `$` stays, and what follows it is read as
                // usual.
                self.out.push(TokenTree::Punct(dollar));
                if !is_punct(Some(&other), '$') {
                    self.at -= 1;
                }
            }
        }
        None
    }

    /// What the frame becomes in its parent: a group, or a repetition's contents.
    fn rebuilt(self) -> Vec<TokenTree> {
        match self.group {
            Some((delimiter, span)) => {
                let mut group = Group::new(delimiter, self.out.into_iter().collect());
                group.set_span(span);
                vec![TokenTree::Group(group)]
            }
            None => self.out,
        }
    }
}

/// Fragment kinds that do not read as a name where they are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fragment {
    /// `vis`: may be empty, and stands before an item's keyword.
    Visibility,
    /// `block`: stands where braces are expected (`fn f() $body`).
    Block,
    /// `lifetime`: stands after `&` or in generics.
    Lifetime,
}

/// The special fragments `$name:kind` a matcher declares, by name.
fn fragments(matcher: &Group) -> HashMap<String, Fragment> {
    let mut found = HashMap::new();
    let mut pending: Vec<TokenStream> = vec![matcher.stream()];
    while let Some(stream) = pending.pop() {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            if let TokenTree::Group(group) = token {
                pending.push(group.stream());
                continue;
            }
            let (true, Some(TokenTree::Ident(name)), true, Some(TokenTree::Ident(kind))) = (
                is_punct(Some(token), '$'),
                tokens.get(i + 1),
                is_punct(tokens.get(i + 2), ':'),
                tokens.get(i + 3),
            ) else {
                continue;
            };
            let fragment = match kind.to_string().as_str() {
                "vis" => Fragment::Visibility,
                "block" => Fragment::Block,
                "lifetime" => Fragment::Lifetime,
                _ => continue,
            };
            found.insert(name.to_string(), fragment);
        }
    }
    found
}

/// What `$name` is read as.
fn metavariable(name: Ident, kind: Option<Fragment>) -> Vec<TokenTree> {
    let span = name.span();
    match kind {
        Some(Fragment::Visibility) => Vec::new(),
        Some(Fragment::Block) => {
            let mut group = Group::new(Delimiter::Brace, TokenStream::new());
            group.set_span(span);
            vec![TokenTree::Group(group)]
        }
        Some(Fragment::Lifetime) => {
            let mut quote = Punct::new('\'', Spacing::Joint);
            quote.set_span(span);
            vec![TokenTree::Punct(quote), TokenTree::Ident(name)]
        }
        None => {
            // `$crate` is `crate`; a name that is a keyword (`$type`) is written raw
            // (`r#type`) to read as a name, except those that cannot be raw.
            let text = name.to_string();
            let plain = matches!(text.as_str(), "crate" | "self" | "Self" | "super" | "_")
                || syn::parse2::<Ident>(TokenTree::Ident(name.clone()).into()).is_ok();
            if plain {
                vec![TokenTree::Ident(name)]
            } else {
                vec![TokenTree::Ident(Ident::new_raw(&text, span))]
            }
        }
    }
}

/// How many tokens after a repetition's `$( … )` are its separator and operator: `*`, `+`
/// or `?` alone, or after one separator token (`,`, `;`, a word) or a joint run of up to three
/// punctuation marks (`=>`, `::`).
fn repetition_end(tokens: &[TokenTree], at: usize) -> usize {
    let is_operator = |i: usize| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?'));
    if is_operator(at) {
        return 1;
    }
    let mut separator = 1;
    while separator < 3
        && matches!(tokens.get(at + separator - 1), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint)
        && matches!(tokens.get(at + separator), Some(TokenTree::Punct(_)))
        && !is_operator(at + separator)
    {
        separator += 1;
    }
    let separates = !matches!(tokens.get(at), None | Some(TokenTree::Group(_)));
    if separates && is_operator(at + separator) {
        separator + 1
    } else {
        0
    }
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_fat_arrow(tokens: &[TokenTree], at: usize) -> bool {
    matches!(tokens.get(at), Some(TokenTree::Punct(p)) if p.as_char() == '=' && p.spacing() == Spacing::Joint)
        && is_punct(tokens.get(at + 1), '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Vec<String> {
        let tokens: Vec<TokenTree> = body.parse::<TokenStream>().unwrap().into_iter().collect();
        rules(&tokens)
            .unwrap()
            .into_iter()
            .map(|(matcher, transcriber)| transcribe(matcher, transcriber).to_string())
            .collect()
    }

    #[test]
    fn metavariables_and_repetitions_read_as_code() {
        assert_eq!(
            read(
                "($($name:ident),* ; $v:vis $b:block $l:lifetime $type:ty) => { \
                 $(#[test] fn $name() $b)* $v struct S<$l>(&$l $type); $crate::f() };\
                 () => ( $($x),+ ; $($y)=>* ; $($z)? ; $$a ; ${count(x)} );\
                 () => { $self.f($_, $r#raw, $Self, $super) }"
            ),
            [
                "# [test] fn name () { } struct S <'l > (&'l r#type) ; crate :: f ()",
                "x ; y ; z ; $a ; metavar",
                "self . f (_ , r#raw , Self , super)",
            ]
        );
    }

    #[test]
    fn other_shapes_are_not_rules() {
        for body in ["", "a => b", "(a) => {b} c", "(a) =>"] {
            let tokens: Vec<TokenTree> = body.parse::<TokenStream>().unwrap().into_iter().collect();
            assert!(rules(&tokens).is_none(), "{body}");
        }
    }
}
