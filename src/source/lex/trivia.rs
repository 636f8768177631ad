//! Whitespace and comments as `proc_macro2` reads them: skipped, but for doc comments, which
//! become the tokens of a `#[doc = "…"]` attribute.

use proc_macro2::{Delimiter, Spacing};

use super::scan::{offset, starts};
use super::tokens::{Kind, NAMELESS, Token, leaf};

/// Skips whitespace and comments that are not doc comments. `None` at a character outside
/// ASCII (`proc_macro2` decides by Unicode whether it is whitespace) or an unterminated comment.
pub(super) fn skip_whitespace(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(&byte) = bytes.get(at) {
        if byte == b'/' {
            if starts(bytes, at, b"//")
                && (!starts(bytes, at, b"///") || starts(bytes, at, b"////"))
                && !starts(bytes, at, b"//!")
            {
                at = memchr::memchr(b'\n', bytes.get(at..)?).map_or(bytes.len(), |i| at + i);
                continue;
            } else if starts(bytes, at, b"/**/") {
                at += 4;
                continue;
            } else if starts(bytes, at, b"/*")
                && (!starts(bytes, at, b"/**") || starts(bytes, at, b"/***"))
                && !starts(bytes, at, b"/*!")
            {
                at = block_comment(bytes, at)?;
                continue;
            }
        }
        match byte {
            b' ' | 0x09..=0x0d => at += 1,
            _ if byte.is_ascii() => return Some(at),
            _ => return None,
        }
    }
    Some(at)
}

/// The end of the (nested) block comment at `at`.
fn block_comment(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    if !rest.starts_with(b"/*") {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < rest.len() {
        match (rest.get(i), rest.get(i + 1)) {
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                i += 1;
            }
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + i + 2);
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reads a doc comment at `at` into the tokens `proc_macro2` makes of it (`#`, `!` for an inner
/// one, and `[doc = "…"]`, all spanning the comment). `Some(None)`: no doc comment here;
/// `Err`: one that `proc_macro2` rejects (a carriage return not followed by a line feed).
pub(super) fn doc_comment(
    bytes: &[u8],
    at: usize,
    list: &mut Vec<Token>,
) -> Result<Option<usize>, GiveUp> {
    let line = |from: usize| -> Option<(usize, usize)> {
        // The content ends before `\n` or `\r\n`; the comment at the `\n`.
        let end = memchr::memchr(b'\n', bytes.get(from..)?).map_or(bytes.len(), |i| from + i);
        let content = if end > from && bytes.get(end - 1) == Some(&b'\r') && end < bytes.len() {
            end - 1
        } else {
            end
        };
        Some((content, end))
    };
    let (content, end, inner) = if starts(bytes, at, b"//!") {
        let (content, end) = line(at + 3).ok_or(GiveUp)?;
        (at + 3..content, end, true)
    } else if starts(bytes, at, b"/*!") {
        let end = block_comment(bytes, at).ok_or(GiveUp)?;
        (at + 3..end - 2, end, true)
    } else if starts(bytes, at, b"///") && !starts(bytes, at, b"////") {
        let (content, end) = line(at + 3).ok_or(GiveUp)?;
        (at + 3..content, end, false)
    } else if starts(bytes, at, b"/**") && !starts(bytes, at, b"/***") {
        let end = block_comment(bytes, at).ok_or(GiveUp)?;
        (at + 3..end - 2, end, false)
    } else {
        return Ok(None);
    };
    let text = bytes.get(content).ok_or(GiveUp)?;
    let mut crs = memchr::memchr_iter(b'\r', text);
    if crs.any(|cr| text.get(cr + 1) != Some(&b'\n')) {
        return Err(GiveUp);
    }
    let (lo, hi) = (offset(at), offset(end));
    let first = list.len();
    list.push(leaf(Kind::Punct('#', Spacing::Alone), lo, hi));
    if inner {
        list.push(leaf(Kind::Punct('!', Spacing::Alone), lo, hi));
    }
    let opened = list.len();
    list.push(Token {
        kind: Kind::Open(Delimiter::Bracket),
        start: lo,
        end: lo + 1,
        link: offset(opened + 4),
        len: 0,
    });
    list.push(Token {
        kind: Kind::Ident,
        start: lo,
        end: hi,
        link: NAMELESS,
        len: 3,
    });
    list.push(leaf(Kind::Punct('=', Spacing::Alone), lo, hi));
    list.push(leaf(Kind::Literal, lo, hi));
    list.push(Token {
        kind: Kind::Close,
        start: hi.saturating_sub(1).max(lo),
        end: hi,
        link: offset(opened),
        len: 0,
    });
    debug_assert_eq!(list.len(), first + 6 + usize::from(inner));
    Ok(Some(end))
}

/// The scan cannot answer for this text.
pub(super) struct GiveUp;
