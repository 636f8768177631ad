//! Positions in text: byte offsets to 1-based lines and character columns.
//!
//! Everything downstream stores byte ranges; this is the one place they become line and column.

use std::ops::Range;

/// Start offsets of every line of a text, for converting byte offsets to positions.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        LineIndex { starts }
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

    /// The position of byte `offset` in `text`; offsets past the end clamp to the end, and an
    /// offset inside a multi-byte character counts as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = text.get(start..).map_or(0, |rest| {
            rest.char_indices()
                .take_while(|(i, _)| start + i < offset)
                .count()
        });
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
    fn offsets_past_the_end_clamp() {
        let text = "a\r\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 99), Position { line: 2, column: 2 });
        assert_eq!(index.line_text(text, 1), "a");
        assert_eq!(index.line_text(text, 7), "");
    }
}
