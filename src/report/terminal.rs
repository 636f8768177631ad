//! Text from the checked repository, made safe to print on a terminal: every control character
//! is shown visibly, as rustc shows it, and never written raw.
//!
//! Source lines, file names, suppression reasons and (since a merge request can edit rule
//! files) rule titles and messages are all written by whoever opened the merge request. Raw,
//! they could move the cursor, recolour or erase what was printed (ESC, CSI, OSC), ring the
//! bell, overwrite a line (CR, backspace), start a forged line of output (LF, so a file name
//! could print a fake `::error file=…` workflow command), or reorder what a reviewer reads
//! with the Unicode bidirectional controls of "Trojan Source" (CVE-2021-42574).
//!
//! C0 controls and DEL become their Unicode control pictures (`␛`, `␍`, `␊`), one column wide
//! like the character they stand for, as rustc's emitter draws them; C1 controls, the bidi
//! controls, the line and paragraph separators and the invisible zero-width characters become
//! `\u{…}` escapes (std's [`char::escape_unicode`]). Tabs are left to the caller: harmless in a
//! message, expanded to spaces in a drawn source line.

use std::fmt::{self, Write as _};

use unicode_width::UnicodeWidthChar;

/// How one character is shown.
pub(super) enum Shown {
    /// The character itself, or the control picture standing for it.
    Char(char),
    /// A `\u{…}` escape.
    Escape(std::char::EscapeUnicode),
}

/// How `c` is shown on a terminal.
pub(super) fn shown(c: char) -> Shown {
    match c {
        '\u{0}'..='\u{1f}' => Shown::Char(
            char::from_u32(0x2400 + u32::from(c)).unwrap_or(char::REPLACEMENT_CHARACTER),
        ),
        '\u{7f}' => Shown::Char('\u{2421}'),
        c if is_hidden(c) => Shown::Escape(c.escape_unicode()),
        c => Shown::Char(c),
    }
}

/// Characters other than C0 and DEL that must not reach a terminal raw: the C1 controls
/// (U+0080–U+009F, among them CSI and OSC), the bidi controls (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069), the line and paragraph separators, and the zero-width
/// characters that hide text (U+200B–U+200D, U+2060–U+2064, U+FEFF).
fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Whether every character of `text` is shown as itself (the common case, checked first).
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
        || !text
            .chars()
            .any(|c| c.is_control() || (c > '\u{7f}' && is_hidden(c)))
}

/// Columns `c` takes once shown, at display column `column` (tabs reach the next multiple
/// of four).
pub(super) fn width(c: char, column: usize) -> usize {
    match (c, shown(c)) {
        ('\t', _) => 4 - column % 4,
        (_, Shown::Char(c)) => c.width().unwrap_or(1),
        (_, Shown::Escape(escape)) => escape.len(),
    }
}

/// Writes `c` as shown, tabs expanded at display column `column`.
pub(super) fn push(out: &mut String, c: char, column: usize) {
    match (c, shown(c)) {
        ('\t', _) => out.extend(std::iter::repeat_n(' ', width(c, column))),
        (_, Shown::Char(c)) => out.push(c),
        (_, Shown::Escape(escape)) => out.extend(escape),
    }
}

/// Untrusted text on one line: every control character, line breaks included, shown visibly.
pub(super) struct Visible<'a>(pub(super) &'a str);

impl fmt::Display for Visible<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_plain(self.0) {
            return f.write_str(self.0);
        }
        for c in self.0.chars() {
            match (c, shown(c)) {
                ('\t', _) => f.write_char('\t')?,
                (_, Shown::Char(c)) => f.write_char(c)?,
                (_, Shown::Escape(escape)) => write!(f, "{escape}")?,
            }
        }
        Ok(())
    }
}

/// `text` shown on one line; see [`Visible`].
pub(super) fn visible(text: &str) -> Visible<'_> {
    Visible(text)
}

/// Writes `text` to `out` in `style` when `color`: one escape before the span and one reset
/// after it, never one per character.
pub(super) fn paint(out: &mut String, color: bool, style: anstyle::Style, text: impl fmt::Display) {
    if color {
        let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
    } else {
        let _ = write!(out, "{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_written() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\rc\u{8}d\ne\u{9b}31m\u{202e}f\u{2066}\u{7f}";
        let shown = visible(hostile).to_string();
        assert_eq!(shown, "a␛]0;pwned␇b␍c␈d␊e\\u{9b}31m\\u{202e}f\\u{2066}␡");
        assert!(!shown.chars().any(char::is_control));
        assert_eq!(
            visible("plain: café, 好, tab\tkept").to_string(),
            "plain: café, 好, tab\tkept"
        );
    }

    #[test]
    fn widths_follow_what_is_shown() {
        assert_eq!(width('a', 0), 1);
        assert_eq!(width('好', 0), 2);
        assert_eq!(width('\u{1b}', 0), 1);
        assert_eq!(width('\u{202e}', 0), "\\u{202e}".len());
        assert_eq!(width('\t', 1), 3);
        let mut out = String::new();
        push(&mut out, '\t', 2);
        push(&mut out, '\u{9b}', 4);
        assert_eq!(out, "  \\u{9b}");
    }
}
