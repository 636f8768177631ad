//! Positions in text: byte offsets to 1-based lines and character columns, and bounded excerpts
//! of source lines for diagnostics.
//!
//! Everything downstream stores byte ranges; this is the one place they become line and column.
//! Both conversions cost time independent of the line's length, so a hostile file with
//! thousands of findings on one 200 KB line stays linear.

use std::ops::Range;

/// Longest excerpt line kept, in characters: a longer line is cut to a window around the
/// finding, so no finding copies a whole minified or generated line.
pub const EXCERPT_WIDTH: usize = 240;

/// Most lines an excerpt keeps.
pub const EXCERPT_LINES: usize = 8;

/// Characters kept before the finding when a line is cut.
const EXCERPT_LEAD: usize = EXCERPT_WIDTH / 4;

/// Bytes per block of the character-count table of non-ASCII texts.
const BLOCK: usize = 64;

/// Start offsets of every line of a text, for converting byte offsets to positions.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// For a non-ASCII text: the number of characters before each `BLOCK`-byte boundary.
    /// Empty for ASCII text, where bytes are characters.
    chars_before_block: Vec<usize>,
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

/// A bounded copy of the source lines a finding spans.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Excerpt {
    /// The lines, `\n`-separated, without line terminators; at most [`EXCERPT_LINES`] lines of
    /// at most [`EXCERPT_WIDTH`] characters.
    pub text: String,
    /// The 1-based character column, in the file, of the excerpt's first character. It is 1
    /// unless the first line was cut to a window around the finding; later lines always start
    /// at column 1 (and are cut at their end).
    pub column: usize,
    /// The same column counted in UTF-8 bytes (1-based).
    pub byte_column: usize,
}

impl Default for Excerpt {
    fn default() -> Self {
        Excerpt {
            text: String::new(),
            column: 1,
            byte_column: 1,
        }
    }
}

impl Excerpt {
    /// An excerpt holding `text` from the start of its line.
    pub fn whole(text: impl Into<String>) -> Self {
        Excerpt {
            text: text.into(),
            ..Excerpt::default()
        }
    }

    /// The first line.
    pub fn first_line(&self) -> &str {
        self.text.split('\n').next().unwrap_or("")
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
        let chars_before_block = if text.is_ascii() {
            Vec::new()
        } else {
            let mut table = Vec::with_capacity(bytes.len() / BLOCK + 1);
            let mut count = 0;
            for block in bytes.chunks(BLOCK) {
                table.push(count);
                count += block.iter().filter(|&&b| !is_continuation(b)).count();
            }
            table.push(count);
            table
        };
        LineIndex {
            starts,
            chars_before_block,
        }
    }

    /// Number of lines (a text ending with a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Characters that start before byte `offset` (which must be at most `text.len()`).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.chars_before_block.is_empty() {
            return offset;
        }
        let block = offset / BLOCK;
        let base = self.chars_before_block.get(block).copied().unwrap_or(0);
        let within = text
            .as_bytes()
            .get(block * BLOCK..offset)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| !is_continuation(b))
            .count();
        base + within
    }

    /// The position of byte `offset` in `text`; offsets past the end clamp to the end, and an
    /// offset inside a multi-byte character counts as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let column = self.chars_before(text, offset) - self.chars_before(text, start);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// Byte range of 1-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = line
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(text.len());
        let end = self
            .starts
            .get(line)
            .map_or(text.len(), |&next| next.saturating_sub(1));
        let end = end.max(start);
        let bytes = text.as_bytes();
        let end = if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The text of 1-based `line`, without its line terminator.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        text.get(self.line_range(text, line)).unwrap_or("")
    }

    /// A bounded excerpt of the lines from the one holding byte `start` to the one holding
    /// byte `end`: at most [`EXCERPT_LINES`] lines, the first cut to a window of
    /// [`EXCERPT_WIDTH`] characters around `start` when it is longer, the others cut at their
    /// end. Its cost does not depend on the length of the lines.
    pub fn excerpt(&self, text: &str, start: usize, end: usize) -> Excerpt {
        let start = start.min(text.len());
        let first = self.line_of(start) + 1;
        let last = (self.line_of(end.min(text.len())) + 1)
            .max(first)
            .min(first + EXCERPT_LINES - 1);
        let range = self.line_range(text, first);
        let at = floor_boundary(text, start.clamp(range.start, range.end));
        let from = back_chars(text, range.start, at, EXCERPT_LEAD);
        let from = if forward_chars(text, from, range.end, EXCERPT_WIDTH) == range.end {
            // The window reaches the end of the line: start it as early as the width allows.
            back_chars(text, range.start, range.end, EXCERPT_WIDTH).min(from)
        } else {
            from
        };
        let column = self.position(text, from).column;
        let mut excerpt = String::new();
        let to = forward_chars(text, from, range.end, EXCERPT_WIDTH);
        excerpt.push_str(text.get(from..to).unwrap_or(""));
        for line in first + 1..=last {
            let range = self.line_range(text, line);
            let to = forward_chars(text, range.start, range.end, EXCERPT_WIDTH);
            excerpt.push('\n');
            excerpt.push_str(text.get(range.start..to).unwrap_or(""));
        }
        Excerpt {
            text: excerpt,
            column,
            byte_column: from - range.start + 1,
        }
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// The char boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The offset `count` characters before `at`, not before `floor`.
fn back_chars(text: &str, floor: usize, at: usize, count: usize) -> usize {
    text.get(floor..at).map_or(at, |before| {
        before
            .char_indices()
            .rev()
            .take(count)
            .last()
            .map_or(at, |(i, _)| floor + i)
    })
}

/// The offset `count` characters after `at`, not after `ceiling`.
fn forward_chars(text: &str, at: usize, ceiling: usize, count: usize) -> usize {
    text.get(at..ceiling).map_or(at, |after| {
        after
            .char_indices()
            .nth(count)
            .map_or(ceiling, |(i, _)| at + i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = 1;\nlet x = \"ü\".len();\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 2), Position { line: 1, column: 2 });
        let dot = text.find(".len").unwrap();
        assert_eq!(
            index.position(text, dot),
            Position {
                line: 2,
                column: 12
            }
        );
        assert_eq!(index.line_text(text, 2), "let x = \"ü\".len();");
    }

    #[test]
    fn columns_agree_with_counting_across_blocks() {
        let line = "aé€😀b".repeat(40);
        let text = format!("{line}\n{line}\nx");
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices() {
            let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
            let expected = text[line_start..offset].chars().count() + 1;
            assert_eq!(
                index.position(&text, offset).column,
                expected,
                "at {offset}"
            );
        }
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let text = "a\r\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 99), Position { line: 2, column: 2 });
        assert_eq!(index.line_text(text, 1), "a");
        assert_eq!(index.line_text(text, 7), "");
    }

    #[test]
    fn excerpts_are_bounded_windows_around_the_finding() {
        let text = "let a = 1;\nlet b = x.unwrap();\n";
        let index = LineIndex::new(text);
        let at = text.find("unwrap").unwrap();
        let short = index.excerpt(text, at, at + 6);
        assert_eq!(
            (short.text.as_str(), short.column),
            ("let b = x.unwrap();", 1)
        );

        let long = format!("{}x.unwrap();{}", "é".repeat(1000), " ".repeat(1000));
        let index = LineIndex::new(&long);
        let at = long.find("unwrap").unwrap();
        let cut = index.excerpt(&long, at, at + 6);
        assert_eq!(cut.text.chars().count(), EXCERPT_WIDTH);
        let finding = index.position(&long, at).column;
        let within = finding - cut.column;
        assert!(
            cut.text
                .chars()
                .skip(within)
                .collect::<String>()
                .starts_with("unwrap")
        );

        let many = "x\n".repeat(100);
        let index = LineIndex::new(&many);
        assert_eq!(
            index.excerpt(&many, 0, many.len()).text.lines().count(),
            EXCERPT_LINES
        );
    }
}
