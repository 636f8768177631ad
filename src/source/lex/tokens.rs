//! A file's tokens laid out flat: a delimited group is its opening token, its contents and its
//! closing token, each opening token linked to its closing one. Reading them needs no copy and
//! no recursion, where `proc_macro2`'s token trees are copied at every level they are iterated.

use std::borrow::Cow;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword (`r#` included for a raw one); its name is [`Tokens::name`].
    Ident,
    /// A literal: string, character, number, with its suffix.
    Literal,
    /// One punctuation character, joined to a punctuation character right after it or not.
    Punct(char, Spacing),
    /// An opening delimiter; [`Token::link`] is the index of its closing token.
    Open(Delimiter),
    /// A closing delimiter; [`Token::link`] is the index of its opening token.
    Close,
}

/// One token and the bytes of the file it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// First byte.
    pub start: u32,
    /// Byte after the last.
    pub end: u32,
    /// For a delimiter, the index of its partner; for an identifier, where its name starts in
    /// the names ([`NAMELESS`] for the `doc` of a doc comment).
    pub link: u32,
    /// For an identifier, the length of its name.
    pub len: u32,
}

/// The `link` of the `doc` identifier that a doc comment stands for: its name is not in the
/// text.
pub const NAMELESS: u32 = u32::MAX;

/// A token sequence and the text its identifiers' names are read from.
#[derive(Debug, Clone, Default)]
pub struct Tokens<'a> {
    /// Every token, groups laid out flat.
    pub list: Vec<Token>,
    /// Where identifiers' names are: the file's text, or the names gathered from token trees.
    pub names: Cow<'a, str>,
}

impl Tokens<'_> {
    /// The token at `index`.
    pub fn get(&self, index: usize) -> Option<&Token> {
        self.list.get(index)
    }

    /// How many tokens there are, delimiters included.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The name of the identifier at `index` (`""` for anything else).
    pub fn name(&self, index: usize) -> &str {
        match self.list.get(index) {
            Some(token) if token.kind == Kind::Ident => {
                if token.link == NAMELESS {
                    return "doc";
                }
                let start = token.link as usize;
                self.names
                    .get(start..start + token.len as usize)
                    .unwrap_or_default()
            }
            _ => "",
        }
    }

    /// Whether the token at `index` is the identifier `word`.
    pub fn is_word(&self, index: usize, word: &str) -> bool {
        // The length first: most identifiers are not the word.
        self.list
            .get(index)
            .is_some_and(|token| token.kind == Kind::Ident && token.len as usize == word.len())
            && self.name(index) == word
    }

    /// Whether the token at `index` is the punctuation character `c`.
    pub fn is_punct(&self, index: usize, c: char) -> bool {
        matches!(self.list.get(index), Some(Token { kind: Kind::Punct(p, _), .. }) if *p == c)
    }

    /// The index after the token at `index` at the same level: past a whole group for an
    /// opening delimiter.
    pub fn next_sibling(&self, index: usize) -> usize {
        match self.list.get(index) {
            Some(Token {
                kind: Kind::Open(_),
                link,
                ..
            }) => *link as usize + 1,
            _ => index + 1,
        }
    }

    /// The bytes covered by the tokens `from..to` (indices at one level).
    pub fn bytes(&self, from: usize, to: usize) -> std::ops::Range<usize> {
        let start = self.list.get(from).map_or(0, |t| t.start as usize);
        let end = to
            .checked_sub(1)
            .and_then(|last| self.list.get(last))
            .map_or(start, |t| t.end as usize);
        start..end.max(start)
    }

    /// Lays out token trees flat, without recursion: each group's contents are read once, the
    /// groups being entered kept on a stack of iterators. Positions are the tokens' spans; a
    /// group's opening token is its first byte and its closing token its last.
    pub fn from_trees(trees: Vec<TokenTree>) -> Tokens<'static> {
        let mut list: Vec<Token> = Vec::new();
        let mut names = String::new();
        // The groups being read: the index of the opening token, where the group ends, and
        // what is left of its contents.
        let mut open: Vec<(Option<usize>, u32, std::vec::IntoIter<TokenTree>)> =
            vec![(None, 0, trees.into_iter())];
        while let Some((opened, group_end, level)) = open.last_mut() {
            let Some(tree) = level.next() else {
                let (opened, end) = (*opened, *group_end);
                open.pop();
                if let Some(opened) = opened {
                    let index = clamp(list.len());
                    if let Some(token) = list.get_mut(opened) {
                        token.link = index;
                    }
                    list.push(Token {
                        kind: Kind::Close,
                        start: end.saturating_sub(1),
                        end,
                        link: clamp(opened),
                        len: 0,
                    });
                }
                continue;
            };
            let span = tree.span().byte_range();
            let (start, end) = (clamp(span.start), clamp(span.end));
            let token = match &tree {
                TokenTree::Ident(ident) => {
                    let at = names.len();
                    names.push_str(&ident.to_string());
                    Token {
                        kind: Kind::Ident,
                        start,
                        end,
                        link: clamp(at),
                        len: clamp(names.len() - at),
                    }
                }
                TokenTree::Literal(_) => leaf(Kind::Literal, start, end),
                TokenTree::Punct(punct) => {
                    leaf(Kind::Punct(punct.as_char(), punct.spacing()), start, end)
                }
                TokenTree::Group(group) => leaf(
                    Kind::Open(group.delimiter()),
                    start,
                    start.saturating_add(1),
                ),
            };
            list.push(token);
            if let TokenTree::Group(group) = tree {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                open.push((Some(list.len() - 1), end, inner.into_iter()));
            }
        }
        Tokens {
            list,
            names: Cow::Owned(names),
        }
    }

    /// Lays out a token stream flat; see [`Tokens::from_trees`].
    pub fn from_stream(stream: &TokenStream) -> Tokens<'static> {
        Tokens::from_trees(stream.clone().into_iter().collect())
    }
}

/// A token that is not an identifier and not yet linked.
pub(super) fn leaf(kind: Kind, start: u32, end: u32) -> Token {
    Token {
        kind,
        start,
        end,
        link: 0,
        len: 0,
    }
}

fn clamp(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
