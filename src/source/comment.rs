//! Finding comments in Rust source text, skipping string and character literals.
//!
//! The lexer drops ordinary comments, so suppression comments are found here, in the text.

use std::ops::Range;

/// A comment and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte range of the whole comment, delimiters included.
    pub range: Range<usize>,
    /// Nothing but whitespace precedes it on its line.
    pub own_line: bool,
}

/// Every comment in `text` whose body contains `needle`.
pub fn comments_containing(text: &str, needle: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    // Where the current line starts, and whether only whitespace precedes `i` on it; kept as
    // the scan goes, so that many comments on one long line cost no more than the line.
    let mut line_start = 0;
    let mut blank_since = 0;
    while let Some(&byte) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        if byte == b'\n' {
            line_start = i + 1;
            blank_since = i + 1;
        } else if byte.is_ascii_whitespace() && blank_since == i {
            blank_since = i + 1;
        }
        let own_line = blank_since == i && line_start <= i;
        match byte {
            b'/' if next == Some(b'/') => {
                let end = memchr::memchr(b'\n', bytes.get(i..).unwrap_or_default())
                    .map_or(bytes.len(), |n| i + n);
                push(text, i..end, needle, own_line, &mut found);
                i = end;
            }
            b'/' if next == Some(b'*') => {
                let end = block_comment_end(bytes, i);
                push(text, i..end, needle, own_line, &mut found);
                // A block comment may span lines.
                if let Some(newline) = bytes.get(i..end).and_then(|b| memchr::memrchr(b'\n', b)) {
                    line_start = i + newline + 1;
                }
                i = end;
            }
            b'"' => i = string_end(bytes, i + 1),
            b'r' if starts_raw_string(bytes, i) && !continues_identifier(bytes, i) => {
                i = raw_string_end(bytes, i + 1);
            }
            b'\'' => i = char_or_lifetime_end(bytes, i),
            _ => i += 1,
        }
    }
    found
}

fn push(text: &str, range: Range<usize>, needle: &str, own_line: bool, found: &mut Vec<Comment>) {
    let body = text.as_bytes().get(range.clone()).unwrap_or_default();
    if memchr::memmem::find(body, needle.as_bytes()).is_some() {
        found.push(Comment { range, own_line });
    }
}

/// End of a (nestable) block comment starting at `start`.
fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// End of a string whose opening quote is just before `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `r"`, `r#"`, and the `br`/`cr` forms (the prefix letter before `r` is skipped by the caller).
fn starts_raw_string(bytes: &[u8], i: usize) -> bool {
    let mut j = i + 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
}

/// Whether the byte before `i` makes `r` part of a longer identifier (`br"` and `cr"` are fine).
fn continues_identifier(bytes: &[u8], i: usize) -> bool {
    let Some(before) = i.checked_sub(1).and_then(|j| bytes.get(j)) else {
        return false;
    };
    let prefix_ok = matches!(before, b'b' | b'c')
        && !i
            .checked_sub(2)
            .and_then(|j| bytes.get(j))
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    (before.is_ascii_alphanumeric() || *before == b'_') && !prefix_ok
}

/// End of a raw string; `i` points just after the `r`.
fn raw_string_end(bytes: &[u8], mut i: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    i += 1;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'"' && (1..=hashes).all(|k| bytes.get(i + k) == Some(&b'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// Skips a character literal (`'x'`, `'\n'`, `'\u{1F600}'`, `'é'`) or just the quote of a
/// lifetime (`'a`).
fn char_or_lifetime_end(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            let mut j = i + 2;
            while let Some(&byte) = bytes.get(j) {
                j += 1;
                if byte == b'\'' && j > i + 3 {
                    return j;
                }
                if byte == b'\n' {
                    break;
                }
            }
            i + 1
        }
        Some(_) => {
            // One character (1 to 4 bytes) then a quote is a literal; otherwise a lifetime.
            let width = bytes.get(i + 1).map_or(1, |&b| utf8_width(b));
            if bytes.get(i + 1 + width) == Some(&b'\'') {
                i + 2 + width
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<(&str, bool)> {
        comments_containing(text, "allow")
            .into_iter()
            .map(|c| (&text[c.range], c.own_line))
            .collect()
    }

    #[test]
    fn finds_line_and_block_comments() {
        let text = "// allow a\nlet x = 1; // allow b\n/* allow /* nested */ c */ x";
        assert_eq!(
            bodies(text),
            [
                ("// allow a", true),
                ("// allow b", false),
                ("/* allow /* nested */ c */", true)
            ]
        );
    }

    #[test]
    fn skips_strings_chars_and_raw_strings() {
        let text = "let s = \"// allow no\"; let r = r#\"// allow \"no\"#; let c = '\"'; let l: &'a str; // allow yes";
        assert_eq!(bodies(text), [("// allow yes", false)]);
        let text = "let b = br\"// allow no\"; let e = '\\''; let u = '\\u{22}'; // allow yes";
        assert_eq!(bodies(text), [("// allow yes", false)]);
        let text = "let bar = \"x\"; // allow yes";
        assert_eq!(bodies(text), [("// allow yes", false)]);
    }
}
