//! Literals as `proc_macro2`'s lexer reads them (strings, byte and C strings, raw or not,
//! characters, bytes, numbers, each with an optional suffix), rule by rule on bytes.
//!
//! Each reader returns the literal's end, or `None` when there is no literal there in
//! `proc_macro2`'s eyes (the scan then tries punctuation and identifiers, as it does). Suffixes and
//! the characters after a number are read as ASCII: a character outside ASCII there stops the
//! whole scan right after, where it stands between tokens.

use super::scan::{ident_not_raw, is_ident_continue, is_ident_start};

/// The end of the literal at `at`, if one starts there.
pub(super) fn literal(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    string(bytes, at)
        .or_else(|| byte_string(bytes, at))
        .or_else(|| c_string(bytes, at))
        .or_else(|| byte(text, at))
        .or_else(|| character(text, at))
        .or_else(|| float(bytes, at))
        .or_else(|| int(bytes, at))
}

fn starts(bytes: &[u8], at: usize, prefix: &[u8]) -> bool {
    bytes.get(at..).is_some_and(|rest| rest.starts_with(prefix))
}

fn suffix(bytes: &[u8], at: usize) -> usize {
    ident_not_raw(bytes, at).unwrap_or(at)
}

fn string(bytes: &[u8], at: usize) -> Option<usize> {
    if starts(bytes, at, b"\"") {
        cooked(bytes, at + 1, Cooked::Str)
    } else if starts(bytes, at, b"r") {
        raw(bytes, at + 1, Raw::Str)
    } else {
        None
    }
}

fn byte_string(bytes: &[u8], at: usize) -> Option<usize> {
    if starts(bytes, at, b"b\"") {
        cooked(bytes, at + 2, Cooked::Bytes)
    } else if starts(bytes, at, b"br") {
        raw(bytes, at + 2, Raw::Bytes)
    } else {
        None
    }
}

fn c_string(bytes: &[u8], at: usize) -> Option<usize> {
    if starts(bytes, at, b"c\"") {
        cooked(bytes, at + 2, Cooked::C)
    } else if starts(bytes, at, b"cr") {
        raw(bytes, at + 2, Raw::C)
    } else {
        None
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cooked {
    Str,
    Bytes,
    C,
}

/// A string with escapes, from just after its opening quote: the end past its suffix.
fn cooked(bytes: &[u8], mut at: usize, kind: Cooked) -> Option<usize> {
    loop {
        let rest = bytes.get(at..)?;
        // Only these bytes mean anything; everything else is content (checked for ASCII in
        // byte strings, for NUL in C strings).
        let skip = if kind == Cooked::Str {
            memchr::memchr3(b'"', b'\r', b'\\', rest)?
        } else {
            rest.iter()
                .position(|&b| matches!(b, b'"' | b'\r' | b'\\') || special(kind, b))?
        };
        at += skip;
        match *bytes.get(at)? {
            b'"' => return Some(suffix(bytes, at + 1)),
            b'\r' => {
                if bytes.get(at + 1) != Some(&b'\n') {
                    return None;
                }
                at += 2;
            }
            b'\\' => at = escape(bytes, at + 1, kind)?,
            // A NUL in a C string, a byte outside ASCII in a byte string.
            _ => return None,
        }
    }
}

fn special(kind: Cooked, byte: u8) -> bool {
    match kind {
        Cooked::Str => false,
        Cooked::Bytes => !byte.is_ascii(),
        Cooked::C => byte == 0,
    }
}

/// The escape after a backslash at `at - 1` in a string: where reading goes on.
fn escape(bytes: &[u8], at: usize, kind: Cooked) -> Option<usize> {
    let next = *bytes.get(at)?;
    match next {
        b'x' => {
            let (high, low) = (*bytes.get(at + 1)?, *bytes.get(at + 2)?);
            let ok = match kind {
                Cooked::Str => matches!(high, b'0'..=b'7') && low.is_ascii_hexdigit(),
                Cooked::Bytes => high.is_ascii_hexdigit() && low.is_ascii_hexdigit(),
                Cooked::C => {
                    high.is_ascii_hexdigit()
                        && low.is_ascii_hexdigit()
                        && (high, low) != (b'0', b'0')
                }
            };
            ok.then_some(at + 3)
        }
        b'n' | b'r' | b't' | b'\\' | b'\'' | b'"' => Some(at + 1),
        b'0' if kind != Cooked::C => Some(at + 1),
        b'u' if kind != Cooked::Bytes => {
            let (end, value) = unicode(bytes, at + 1)?;
            (kind != Cooked::C || value != '\0').then_some(end)
        }
        b'\n' | b'\r' => trailing_backslash(bytes, at + 1, next),
        _ => None,
    }
}

/// `{…}` of a `\u` escape at `at`: its end and the character.
fn unicode(bytes: &[u8], at: usize) -> Option<(usize, char)> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut value: u32 = 0;
    let mut len = 0;
    let mut i = at + 1;
    loop {
        let byte = *bytes.get(i)?;
        i += 1;
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => 10 + byte - b'a',
            b'A'..=b'F' => 10 + byte - b'A',
            b'_' if len > 0 => continue,
            b'}' if len > 0 => return char::from_u32(value).map(|c| (i, c)),
            _ => return None,
        };
        if len == 6 {
            return None;
        }
        value = value * 0x10 + u32::from(digit);
        len += 1;
    }
}

/// After a backslash and line break (`last`) in a string: the whitespace is skipped, up to the
/// next character.
fn trailing_backslash(bytes: &[u8], mut at: usize, mut last: u8) -> Option<usize> {
    loop {
        if last == b'\r' {
            if bytes.get(at) != Some(&b'\n') {
                return None;
            }
            at += 1;
        }
        match *bytes.get(at)? {
            b @ (b' ' | b'\t' | b'\n' | b'\r') => {
                last = b;
                at += 1;
            }
            _ => return Some(at),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Raw {
    Str,
    Bytes,
    C,
}

/// A raw string from just after its `r`: the end past its suffix.
fn raw(bytes: &[u8], at: usize, kind: Raw) -> Option<usize> {
    let hashes = bytes.get(at..)?.iter().position(|&b| b != b'#')?;
    if bytes.get(at + hashes) != Some(&b'"') || hashes > 255 {
        return None;
    }
    let delimiter = bytes.get(at..at + hashes)?;
    let mut i = at + hashes + 1;
    loop {
        let byte = *bytes.get(i)?;
        match byte {
            b'"' if starts(bytes, i + 1, delimiter) => {
                return Some(suffix(bytes, i + 1 + hashes));
            }
            b'\r' => {
                if bytes.get(i + 1) != Some(&b'\n') {
                    return None;
                }
                i += 1;
            }
            0 if kind == Raw::C => return None,
            _ if kind == Raw::Bytes && !byte.is_ascii() => return None,
            _ => {}
        }
        i += 1;
    }
}

/// A byte literal `b'…'`.
fn byte(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !starts(bytes, at, b"b'") {
        return None;
    }
    let from = at + 2;
    let next = match *bytes.get(from)? {
        b'\\' => match *bytes.get(from + 1)? {
            b'x' => {
                let (high, low) = (*bytes.get(from + 2)?, *bytes.get(from + 3)?);
                if !(high.is_ascii_hexdigit() && low.is_ascii_hexdigit()) {
                    return None;
                }
                from + 4
            }
            b'n' | b'r' | b't' | b'\\' | b'0' | b'\'' | b'"' => from + 2,
            _ => return None,
        },
        _ => from + 1,
    };
    if next >= bytes.len() || !text.is_char_boundary(next) || bytes.get(next) != Some(&b'\'') {
        return None;
    }
    Some(suffix(bytes, next + 1))
}

/// A character literal `'…'`.
fn character(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !starts(bytes, at, b"'") {
        return None;
    }
    let from = at + 1;
    let first = text.get(from..)?.chars().next()?;
    let next = if first == '\\' {
        match *bytes.get(from + 1)? {
            b'x' => {
                let (high, low) = (*bytes.get(from + 2)?, *bytes.get(from + 3)?);
                if !(matches!(high, b'0'..=b'7') && low.is_ascii_hexdigit()) {
                    return None;
                }
                from + 4
            }
            b'u' => unicode(bytes, from + 2)?.0,
            b'n' | b'r' | b't' | b'\\' | b'0' | b'\'' | b'"' => from + 2,
            _ => return None,
        }
    } else {
        from + first.len_utf8()
    };
    // A character must follow (the closing quote is looked for only then).
    text.get(next..)?.chars().next()?;
    if bytes.get(next) != Some(&b'\'') {
        return None;
    }
    Some(suffix(bytes, next + 1))
}

fn float(bytes: &[u8], at: usize) -> Option<usize> {
    let mut rest = float_digits(bytes, at)?;
    if bytes.get(rest).copied().is_some_and(is_ident_start) {
        rest = ident_not_raw(bytes, rest)?;
    }
    word_break(bytes, rest)
}

fn float_digits(bytes: &[u8], at: usize) -> Option<usize> {
    if !bytes.get(at).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut len = 1;
    let mut has_dot = false;
    let mut has_exp = false;
    while let Some(&byte) = bytes.get(at + len) {
        match byte {
            b'0'..=b'9' | b'_' => len += 1,
            b'.' => {
                if has_dot {
                    break;
                }
                let after = bytes.get(at + len + 1).copied();
                if after.is_some_and(|b| b == b'.' || is_ident_start(b)) {
                    return None;
                }
                len += 1;
                has_dot = true;
            }
            b'e' | b'E' => {
                len += 1;
                has_exp = true;
                break;
            }
            _ => break,
        }
    }
    if !(has_dot || has_exp) {
        return None;
    }
    if has_exp {
        let before_exp = has_dot.then_some(at + len - 1);
        let mut has_sign = false;
        let mut has_value = false;
        while let Some(&byte) = bytes.get(at + len) {
            match byte {
                b'+' | b'-' => {
                    if has_value {
                        break;
                    }
                    if has_sign {
                        return before_exp;
                    }
                    len += 1;
                    has_sign = true;
                }
                b'0'..=b'9' => {
                    len += 1;
                    has_value = true;
                }
                b'_' => len += 1,
                _ => break,
            }
        }
        if !has_value {
            return before_exp;
        }
    }
    Some(at + len)
}

fn int(bytes: &[u8], at: usize) -> Option<usize> {
    let mut rest = digits(bytes, at)?;
    if bytes.get(rest).copied().is_some_and(is_ident_start) {
        rest = ident_not_raw(bytes, rest)?;
    }
    word_break(bytes, rest)
}

fn digits(bytes: &[u8], mut at: usize) -> Option<usize> {
    let base: u8 = if starts(bytes, at, b"0x") {
        at += 2;
        16
    } else if starts(bytes, at, b"0o") {
        at += 2;
        8
    } else if starts(bytes, at, b"0b") {
        at += 2;
        2
    } else {
        10
    };
    let mut len = 0;
    let mut empty = true;
    while let Some(&byte) = bytes.get(at + len) {
        match byte {
            b'0'..=b'9' => {
                if byte - b'0' >= base {
                    return None;
                }
            }
            b'a'..=b'f' | b'A'..=b'F' => {
                if 10 + (byte.to_ascii_lowercase() - b'a') >= base {
                    break;
                }
            }
            b'_' => {
                if empty && base == 10 {
                    return None;
                }
                len += 1;
                continue;
            }
            _ => break,
        }
        len += 1;
        empty = false;
    }
    (!empty).then_some(at + len)
}

fn word_break(bytes: &[u8], at: usize) -> Option<usize> {
    (!bytes.get(at).copied().is_some_and(is_ident_continue)).then_some(at)
}
