//! Markdown built from untrusted strings, for comments posted on GitHub and GitLab: whatever a
//! source line, file name or rule string holds, it renders as the text it is, never as HTML, a
//! link, an image, a mention, a reference, a table cell, a heading or a quick action.
//!
//! - Text outside code escapes every ASCII punctuation character that can be syntax with a
//!   backslash (the Markdown spec allows it for all of them), so nothing starts markup, HTML,
//!   an entity or an autolink; the sigils of mentions and references (`@`, `#`, `!`, `~`, `%`,
//!   `$`, `&`) are followed by a WORD JOINER, since GitHub and GitLab find those in the
//!   rendered text, after escapes.
//! - Code spans use a backtick run longer than any inside, padded with spaces (the spec's
//!   rule); code blocks a fence longer than any backtick run inside, indented by one space
//!   with every line, so no line of the comment starts with text from the repository (GitLab
//!   runs `/command` lines of a note as quick actions).
//! - Line breaks never come from a string: in text, CR and LF (Markdown ends a line at
//!   either) become spaces; in code, they and other controls are shown visibly, as on a
//!   terminal (see [`super::terminal`]).
//! - Links keep only `http`/`https` or relative destinations, percent-encoded.

use std::fmt::Write as _;

use super::terminal::{self, Shown};

/// Marks a sigil as not starting a mention or reference; invisible.
const WORD_JOINER: char = '\u{2060}';

/// `text` as Markdown text outside code, on one line.
pub(super) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    escape_into(&mut out, text.trim());
    out
}

fn escape_into(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '@' | '#' | '!' | '~' | '%' | '$' | '&' => {
                out.push('\\');
                out.push(c);
                if chars.peek().is_some_and(|next| !next.is_whitespace()) {
                    out.push(WORD_JOINER);
                }
            }
            // Never syntax, and common in prose: left as they are, for a readable source.
            ',' | ';' | '?' | '\'' | '"' => out.push(c),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => push_shown(out, c),
        }
    }
}

/// A rule's prose (title, message, help) on one line: its `code spans` stay code, everything
/// else is [`text`].
pub(super) fn prose(prose: &str) -> String {
    prose_with(prose, code)
}

/// [`prose`] inside a table cell.
pub(super) fn cell_prose(prose: &str) -> String {
    prose_with(prose, cell_code)
}

fn prose_with(prose: &str, code: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(prose.len() + prose.len() / 4);
    let mut rest = prose.trim();
    while let Some(open) = rest.find('`') {
        let run = backtick_run(&rest[open..]);
        let after = &rest[open + run..];
        // A code span closes at the next run of exactly as many backticks.
        let Some(close) = find_run(after, run) else {
            break;
        };
        escape_into(&mut out, &rest[..open]);
        out.push_str(&code(&after[..close].replace(['\n', '\r'], " ")));
        rest = &after[close + run..];
    }
    escape_into(&mut out, rest);
    out
}

/// `code` as an inline code span, on one line.
pub(super) fn code(code: &str) -> String {
    let mut content = String::with_capacity(code.len());
    for c in code.chars() {
        match c {
            '\t' => content.push(' '),
            c => push_shown(&mut content, c),
        }
    }
    let fence = "`".repeat(longest_run(&content) + 1);
    // One space each side is stripped again when both are there: it keeps a backtick or a
    // space at either end of the content from merging with the fence.
    let pad =
        if content.is_empty() || content.starts_with(['`', ' ']) || content.ends_with(['`', ' ']) {
            " "
        } else {
            ""
        };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// `code` as an inline code span inside a table cell, where a pipe would end the cell even
/// inside code (GFM unescapes `\|` there).
pub(super) fn cell_code(code_text: &str) -> String {
    code(code_text).replace('|', "\\|")
}

/// `lines` as a fenced code block tagged `info`, ending with a blank line.
pub(super) fn code_block(out: &mut String, info: &str, text: &str) {
    let mut shown = String::with_capacity(text.len() + 16);
    for line in text.split('\n') {
        shown.push(' ');
        for c in line.chars() {
            match c {
                '\t' => shown.push('\t'),
                c => push_shown(&mut shown, c),
            }
        }
        shown.push('\n');
    }
    let fence = "`".repeat(longest_run(&shown).max(2) + 1);
    let _ = write!(out, " {fence}{info}\n{shown} {fence}\n\n");
}

/// A rule's Markdown documentation, rebuilt from its parts so that nothing in it is taken as
/// HTML, a link or a mention: `#` headings become bold lines, fenced or indented code becomes
/// [`code_block`]s, `-` and `*` items stay items, and every other line is [`prose`], joined into
/// paragraphs. Ends with a blank line.
pub(super) fn doc(out: &mut String, doc: &str) {
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = doc.lines().peekable();
    let flush = |out: &mut String, paragraph: &mut Vec<&str>| {
        if !paragraph.is_empty() {
            let _ = write!(out, "{}\n\n", prose(&paragraph.join(" ")));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            flush(out, &mut paragraph);
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with(fence) {
                    break;
                }
                code.push(inner);
            }
            code_block(out, "rust", &code.join("\n"));
        } else if line.starts_with("    ") && paragraph.is_empty() {
            let mut code = vec![&line[4..]];
            while let Some(inner) = lines.next_if(|l| l.starts_with("    ") || l.trim().is_empty())
            {
                code.push(inner.get(4..).unwrap_or(""));
            }
            while code.last().is_some_and(|l| l.trim().is_empty()) {
                code.pop();
            }
            code_block(out, "rust", &code.join("\n"));
        } else if trimmed.starts_with('#') {
            flush(out, &mut paragraph);
            let _ = write!(out, "**{}**\n\n", prose(trimmed.trim_start_matches('#')));
        } else if let Some(item) = trimmed.strip_prefix("- ").or(trimmed.strip_prefix("* ")) {
            flush(out, &mut paragraph);
            let _ = writeln!(out, "- {}", prose(item));
            if lines.peek().is_none_or(|next| {
                let next = next.trim_start();
                !next.starts_with("- ") && !next.starts_with("* ")
            }) {
                out.push('\n');
            }
        } else if trimmed.is_empty() {
            flush(out, &mut paragraph);
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(out, &mut paragraph);
}

/// `text` inside an HTML element of the comment (a `<summary>`), where Markdown escapes do not
/// apply: everything but ASCII letters, digits, spaces, `-`, `_` and `.` becomes a numeric
/// character reference.
pub(super) fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') {
            out.push(c);
        } else {
            let _ = write!(out, "&#x{:X};", u32::from(c));
        }
    }
    out
}

/// A link destination for `url` when it is `http`, `https` or a relative path, percent-encoded
/// so it cannot end the link, decode an entity or carry a title.
pub(super) fn destination(url: &str) -> Option<String> {
    if !is_safe_url(url) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:/?#@!$*+,;=%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    Some(out)
}

/// Whether `url` is an absolute `http`/`https` URL or a relative path, so a link to it cannot
/// run script (`javascript:`), embed data (`data:`) or reach another scheme.
pub(super) fn is_safe_url(url: &str) -> bool {
    if url.is_empty() || url.starts_with("//") || url.starts_with('\\') {
        return false;
    }
    match url.find([':', '/', '?', '#']) {
        Some(at) if url[at..].starts_with(':') => {
            let scheme = &url[..at];
            (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
                && url[at..].starts_with("://")
        }
        _ => true,
    }
}

/// Whether `url` is an absolute `http`/`https` URL.
pub(super) fn is_web_url(url: &str) -> bool {
    is_safe_url(url) && url.contains("://")
}

fn push_shown(out: &mut String, c: char) {
    match terminal::shown(c) {
        Shown::Char(c) => out.push(c),
        Shown::Escape(escape) => out.extend(escape),
    }
}

/// Length of the run of backticks `text` starts with.
fn backtick_run(text: &str) -> usize {
    text.bytes().take_while(|&b| b == b'`').count()
}

/// Byte offset of the first run of exactly `run` backticks in `text`.
fn find_run(text: &str, run: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let length = backtick_run(&text[start..]);
        if length == run {
            return Some(start);
        }
        at = start + length;
    }
    None
}

/// Length of the longest run of backticks in `text`.
fn longest_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_every_markup_character_and_breaks_mentions() {
        assert_eq!(text("a_b"), "a\\_b");
        assert_eq!(text("<img src=x>"), "\\<img src\\=x\\>");
        assert_eq!(text("@everyone #1"), "\\@\u{2060}everyone \\#\u{2060}1");
        assert_eq!(text(" two\nlines\r| x "), "two lines \\| x");
        assert_eq!(text("esc\u{1b}[31m"), "esc␛\\[31m");
    }

    #[test]
    fn prose_keeps_code_spans_as_code() {
        assert_eq!(prose("`.unwrap()` panics"), "`.unwrap()` panics");
        assert_eq!(prose("use `a` or `b`!"), "use `a` or `b`\\!");
        assert_eq!(prose("odd ` tick"), "odd \\` tick");
        assert_eq!(prose("``a`b``"), "``a`b``");
        assert_eq!(prose("`<b>`"), "`<b>`");
        assert_eq!(cell_prose("`a|b` | c"), "`a\\|b` \\| c");
    }

    #[test]
    fn code_spans_are_longer_than_any_run_inside() {
        assert_eq!(code("src/a.rs"), "`src/a.rs`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("a\nb\rc"), "`a␊b␍c`");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
    }

    #[test]
    fn code_blocks_cannot_be_closed_from_inside() {
        let mut out = String::new();
        code_block(&mut out, "rust", "let a = 1;\r~~~~\n```` x\n/merge");
        assert_eq!(
            out,
            " `````rust\n let a = 1;␍~~~~\n ```` x\n /merge\n `````\n\n"
        );
    }

    #[test]
    fn docs_keep_their_shape_and_lose_their_markup() {
        let mut out = String::new();
        doc(
            &mut out,
            "## What it does\nFlags <b>x</b>\nand @y.\n\n- one\n- `two`\n\n```rust\nlet a = 1;\n```\nUse:\n\n    b()\n",
        );
        assert_eq!(
            out,
            "**What it does**\n\nFlags \\<b\\>x\\<\\/b\\> and \\@\u{2060}y\\.\n\n- one\n- `two`\n\n ```rust\n let a = 1;\n ```\n\nUse\\:\n\n ```rust\n b()\n ```\n\n"
        );
        assert_eq!(html_text("CX1 a-b <x>&"), "CX1 a-b &#x3C;x&#x3E;&#x26;");
    }

    #[test]
    fn only_web_and_relative_links_are_kept() {
        assert_eq!(
            destination("https://example.com/a b(c)").as_deref(),
            Some("https://example.com/a%20b%28c%29")
        );
        assert_eq!(destination("rules/x.toml").as_deref(), Some("rules/x.toml"));
        assert_eq!(
            destination("&#x6A;avascript:alert(1)").as_deref(),
            Some("%26#x6A;avascript:alert%281%29")
        );
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "data:text/html,x",
            "//evil.example",
            "\u{1}javascript:x",
            "mailto:a@b",
            "http:x",
        ] {
            assert_eq!(destination(bad), None, "{bad}");
        }
    }
}
