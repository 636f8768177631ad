//! A fast lexer for the common case: the bytes of a file turned into flat [`Tokens`] without
//! an allocation per token, accepting exactly what `proc_macro2` accepts and splitting it into
//! the same tokens.
//!
//! It follows `proc_macro2`'s lexer (`parse.rs`) rule by rule, on bytes. Where it cannot be sure
//! of giving the same answer, it gives none: any text `proc_macro2` would reject, and any
//! character outside ASCII between tokens (an identifier or whitespace it would have to look up
//! in Unicode tables). The caller then lexes the file with `proc_macro2`, which reports errors as
//! before. Characters outside ASCII inside comments, strings and characters are read as they
//! are.

use std::borrow::Cow;

use proc_macro2::{Delimiter, Spacing};

use super::tokens::{Kind, Token, Tokens, leaf};
use super::trivia::{doc_comment, skip_whitespace};

/// `proc_macro2` reads this text as a literal (rustc's stand-in for a macro expansion error),
/// not as a group holding a comment.
const ERROR: &[u8] = b"(/*ERROR*/)";

/// Characters `proc_macro2` reads as punctuation, by byte.
const PUNCTUATION: [bool; 256] = {
    let mut table = [false; 256];
    let chars = b"~!@#$%^&*-=+|;:,<.>/?'";
    let mut i = 0;
    while i < chars.len() {
        table[chars[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether `byte` is one of `proc_macro2`'s punctuation characters.
fn punctuation(byte: u8) -> bool {
    PUNCTUATION.get(usize::from(byte)).copied().unwrap_or(false)
}

/// Lexes `text` into flat tokens, or `None` when `proc_macro2` would reject it or might lex it
/// differently (see the module docs).
pub fn scan(text: &str) -> Option<Tokens<'_>> {
    let bytes = text.as_bytes();
    if u32::try_from(bytes.len()).is_err() {
        return None;
    }
    let mut list: Vec<Token> = Vec::with_capacity(bytes.len() / 5);
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    loop {
        at = skip_whitespace(bytes, at)?;
        if bytes.get(at) == Some(&b'/')
            && let Some(next) = doc_comment(bytes, at, &mut list).ok()?
        {
            at = next;
            continue;
        }
        let Some(&first) = bytes.get(at) else {
            break;
        };
        let start = offset(at);
        if starts(bytes, at, ERROR) {
            list.push(leaf(Kind::Literal, start, offset(at + ERROR.len())));
            at += ERROR.len();
        } else if let Some(delimiter) = opening(first) {
            open.push(list.len());
            list.push(leaf(Kind::Open(delimiter), start, start + 1));
            at += 1;
        } else if let Some(delimiter) = closing(first) {
            let opened = open.pop()?;
            let index = offset(list.len());
            let partner = list.get_mut(opened)?;
            if partner.kind != Kind::Open(delimiter) {
                return None;
            }
            partner.link = index;
            list.push(Token {
                kind: Kind::Close,
                start,
                end: start + 1,
                link: offset(opened),
                len: 0,
            });
            at += 1;
        } else {
            let (end, kind) = leaf_token(text, at)?;
            let token = if kind == Kind::Ident {
                Token {
                    kind,
                    start,
                    end: offset(end),
                    link: start,
                    len: offset(end - at),
                }
            } else {
                leaf(kind, start, offset(end))
            };
            list.push(token);
            at = end;
        }
    }
    open.is_empty().then_some(Tokens {
        list,
        names: Cow::Borrowed(text),
    })
}

pub(super) fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

fn opening(byte: u8) -> Option<Delimiter> {
    match byte {
        b'(' => Some(Delimiter::Parenthesis),
        b'[' => Some(Delimiter::Bracket),
        b'{' => Some(Delimiter::Brace),
        _ => None,
    }
}

fn closing(byte: u8) -> Option<Delimiter> {
    match byte {
        b')' => Some(Delimiter::Parenthesis),
        b']' => Some(Delimiter::Bracket),
        b'}' => Some(Delimiter::Brace),
        _ => None,
    }
}

pub(super) fn starts(bytes: &[u8], at: usize, prefix: &[u8]) -> bool {
    bytes.get(at..).is_some_and(|rest| rest.starts_with(prefix))
}

/// A literal, a punctuation character or an identifier at `at`, in `proc_macro2`'s order: its end
/// and kind. Only a quote, a digit or the letters `r`, `b` and `c` can start a literal; only
/// punctuation a punctuation token: other tokens go straight to the reader they need.
fn leaf_token(text: &str, at: usize) -> Option<(usize, Kind)> {
    let bytes = text.as_bytes();
    let first = *bytes.get(at)?;
    let may_be_literal = matches!(first, b'"' | b'\'' | b'0'..=b'9' | b'r' | b'b' | b'c');
    if may_be_literal && let Some(end) = super::literal::literal(text, at) {
        return Some((end, Kind::Literal));
    }
    if punctuation(first)
        && let Some((end, kind)) = punct(bytes, at)
    {
        return Some((end, kind));
    }
    ident(bytes, at).map(|end| (end, Kind::Ident))
}

fn is_punctuation(bytes: &[u8], at: usize) -> bool {
    !starts(bytes, at, b"//")
        && !starts(bytes, at, b"/*")
        && bytes.get(at).copied().is_some_and(punctuation)
}

fn punct(bytes: &[u8], at: usize) -> Option<(usize, Kind)> {
    if !is_punctuation(bytes, at) {
        return None;
    }
    let rest = at + 1;
    if bytes.get(at) == Some(&b'\'') {
        // A lifetime's quote, joined to its name.
        let after = ident_any(bytes, rest)?;
        let bad = bytes.get(after) == Some(&b'\'')
            || (bytes.get(after) == Some(&b'#') && !starts(bytes, rest, b"r#"));
        return (!bad).then_some((rest, Kind::Punct('\'', Spacing::Joint)));
    }
    let spacing = if is_punctuation(bytes, rest) {
        Spacing::Joint
    } else {
        Spacing::Alone
    };
    let c = char::from(*bytes.get(at)?);
    Some((rest, Kind::Punct(c, spacing)))
}

fn ident(bytes: &[u8], at: usize) -> Option<usize> {
    const NOT_IDENT: [&[u8]; 10] = [
        b"r\"", b"r#\"", b"r##", b"b\"", b"b'", b"br\"", b"br#", b"c\"", b"cr\"", b"cr#",
    ];
    let may_be_literal = matches!(bytes.get(at), Some(b'r' | b'b' | b'c'));
    if may_be_literal && NOT_IDENT.iter().any(|prefix| starts(bytes, at, prefix)) {
        return None;
    }
    ident_any(bytes, at)
}

/// An identifier, raw or not: its end.
fn ident_any(bytes: &[u8], at: usize) -> Option<usize> {
    let raw = starts(bytes, at, b"r#");
    let from = if raw { at + 2 } else { at };
    let end = ident_not_raw(bytes, from)?;
    if raw
        && matches!(
            bytes.get(from..end)?,
            b"_" | b"super" | b"self" | b"Self" | b"crate"
        )
    {
        return None;
    }
    Some(end)
}

/// An identifier without `r#`, ASCII only: its end.
pub(super) fn ident_not_raw(bytes: &[u8], at: usize) -> Option<usize> {
    if !bytes.get(at).copied().is_some_and(is_ident_start) {
        return None;
    }
    let len = bytes
        .get(at + 1..)?
        .iter()
        .position(|&b| !is_ident_continue(b))
        .unwrap_or(bytes.len() - at - 1);
    Some(at + 1 + len)
}

/// Whether an ASCII byte starts an identifier. Bytes outside ASCII are not read here: the scan
/// gives up on them where they stand between tokens.
pub(super) fn is_ident_start(byte: u8) -> bool {
    byte == b'_' || byte.is_ascii_alphabetic()
}

/// Whether an ASCII byte continues an identifier.
pub(super) fn is_ident_continue(byte: u8) -> bool {
    byte == b'_' || byte.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use super::*;

    /// The scan's tokens are `proc_macro2`'s, or the scan gives up where `proc_macro2` fails.
    fn agrees(text: &str) -> Option<bool> {
        let slow = text
            .parse::<TokenStream>()
            .ok()
            .map(|stream| Tokens::from_trees(stream.into_iter().collect()));
        let fast = scan(text);
        proc_macro2::extra::invalidate_current_thread_spans();
        let described = |tokens: &Tokens<'_>| -> Vec<(Kind, u32, u32, String)> {
            (0..tokens.len())
                .filter_map(|i| {
                    let t = tokens.get(i)?;
                    Some((t.kind, t.start, t.end, tokens.name(i).to_owned()))
                })
                .collect()
        };
        match (fast, slow) {
            (Some(fast), Some(slow)) => Some(described(&fast) == described(&slow)),
            (Some(_), None) => Some(false),
            // Giving up is always allowed; say so.
            (None, _) => None,
        }
    }

    #[test]
    fn tokens_are_those_of_proc_macro2() {
        let accepted = [
            "fn f<'a>(x: &'a str) -> Option<&'a u8> { x.get(0..=1).map(|b| b as u8) }",
            "let s = \"a\\\"b\\x7f\\u{10_FFFF}\\n\\\n   c\"; let r = r##\"x\"#y\"##suffix;",
            "b\"\\xff\\0\" br#\"raw\"# c\"nul\\x01\" cr\"x\" b'\\'' '\\u{1F600}' 'é' '''",
            "1 1.0 1. 1e10 1.5e-3f32 0x_ff_u8 0o17 0b1010i64 1..2 1.max(2) 1.0.max(2.0) 2.e5",
            "/// outer\n//! inner\n/** block */ /*! inner block */ /**/ /*** x */ //// x\n fn f() {}",
            "a += b; c ->d; e::<f>(); #![allow(x)] x?; &&a; a||b; ..= ... <<= >>= != == =>",
            "/* nested /* comments */ still */ r#type r#match _ __ a_1",
            "\"crlf\r\nok\" /// doc\r\n fn f() {}",
            "m! { $x:expr => $($y),* } '\\x41' b'a' \"\\\r\n  x\"",
        ];
        for text in accepted {
            assert_eq!(agrees(text), Some(true), "{text}");
        }
        let rejected = [
            "(",
            ")",
            "(]",
            "'ab'",
            "\"\\q\"",
            "\"\\x80\"",
            "b\"é\"",
            "c\"\\0\"",
            "0b12",
            "r#_",
            "/* open",
            "/// bare\rcr",
            "1e+",
            "'\\u{110000}'",
            "#",
            "b'é'",
            "\"open",
            "r#\"open\"",
            "br\"é\"",
            "'1",
        ];
        for text in rejected {
            assert_ne!(agrees(text), Some(false), "{text}");
        }
        // Outside ASCII between tokens the scan gives up (proc_macro2 decides by Unicode).
        for text in ["let é = 1;", "a\u{a0}b", "'é", "1é"] {
            assert_eq!(agrees(text), None, "{text}");
        }
        assert_eq!(agrees("f((/*ERROR*/), ( /*ERROR*/))"), Some(true));
    }

    #[test]
    fn this_crate_is_scanned_as_proc_macro2_lexes_it() {
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_ne!(agrees(&text), Some(false), "{}", path.display());
                    files += 1;
                }
            }
        }
        assert!(files > 50);
    }
}
