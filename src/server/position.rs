//! Positions between the engine and the editor. The engine counts lines and columns from 1,
//! columns in characters; the protocol counts both from 0, columns in code units of the
//! negotiated encoding: UTF-8 when the client offers it, else UTF-16, the protocol's default.
//!
//! Every conversion clamps instead of failing: a line past the end is the end of the text, a
//! column past the end of its line is the end of the line (as the protocol says), and a column
//! inside a character (between the two halves of a UTF-16 surrogate pair, or inside a UTF-8
//! sequence) is the start of that character, so an edit always falls on a character boundary.

use std::collections::HashMap;

use lsp_types::{Position as LspPosition, PositionEncodingKind};

use crate::text::{LineIndex, Position};

/// How the protocol counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units.
    Utf16,
}

impl Encoding {
    /// UTF-8 when `offered` lists it, else UTF-16 (which every client supports).
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The protocol's name for it.
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// Code units of `c`.
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// `value` as a protocol number, saturating.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The byte offset in `text` of the protocol position `at`.
pub(crate) fn offset(text: &str, lines: &LineIndex, encoding: Encoding, at: LspPosition) -> usize {
    let line = usize::try_from(at.line).map_or(usize::MAX, |line| line.saturating_add(1));
    if line > lines.line_count() {
        return text.len();
    }
    let range = lines.line_range(text, line);
    let Some(line_text) = text.get(range.clone()) else {
        return range.start.min(text.len());
    };
    let wanted = usize::try_from(at.character).unwrap_or(usize::MAX);
    let mut units = 0;
    for (index, c) in line_text.char_indices() {
        let next = units + encoding.units(c);
        if next > wanted {
            // At or inside this character: its start.
            return range.start + index;
        }
        units = next;
    }
    range.end
}

/// The protocol position of byte `offset` in `text` (clamped to the text, floored to a
/// character boundary).
pub(crate) fn position_of(
    text: &str,
    lines: &LineIndex,
    encoding: Encoding,
    offset: usize,
) -> LspPosition {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let at = lines.position(text, offset);
    let start = lines.line_range(text, at.line).start.min(offset);
    let units: usize = text
        .get(start..offset)
        .unwrap_or("")
        .chars()
        .map(|c| encoding.units(c))
        .sum();
    LspPosition::new(to_u32(at.line - 1), to_u32(units))
}

/// Converts engine positions in `text` to protocol positions, all in one pass over each line
/// involved, however many positions a line has (a minified line with thousands of findings
/// stays linear).
pub(crate) fn convert_all(
    text: &str,
    lines: &LineIndex,
    encoding: Encoding,
    positions: impl IntoIterator<Item = Position>,
) -> HashMap<Position, LspPosition> {
    let mut wanted: Vec<Position> = positions.into_iter().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = HashMap::with_capacity(wanted.len());
    if text.is_ascii() {
        for at in wanted {
            let line = at.line.saturating_sub(1);
            let length = lines.line_range(text, at.line).len();
            let column = at.column.saturating_sub(1).min(length);
            out.insert(at, LspPosition::new(to_u32(line), to_u32(column)));
        }
        return out;
    }
    let mut index = 0;
    while let Some(first) = wanted.get(index) {
        let line = first.line;
        let line_text = lines.line_text(text, line);
        let mut chars = line_text.chars();
        let (mut seen, mut units) = (0, 0);
        while let Some(at) = wanted.get(index).filter(|at| at.line == line) {
            let column = at.column.saturating_sub(1);
            while seen < column {
                let Some(c) = chars.next() else { break };
                units += encoding.units(c);
                seen += 1;
            }
            let zero_based = to_u32(line.saturating_sub(1));
            out.insert(*at, LspPosition::new(zero_based, to_u32(units)));
            index += 1;
        }
    }
    out
}

/// The protocol position of the end of `text`.
pub(crate) fn end_of(text: &str, lines: &LineIndex, encoding: Encoding) -> LspPosition {
    position_of(text, lines, encoding, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> LspPosition {
        LspPosition::new(line, character)
    }

    #[test]
    fn offsets_count_code_units_and_clamp() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 UTF-16 units.
        let text = "aé😀b\r\nx\n";
        let lines = LineIndex::new(text);
        let utf16 = |line, character| offset(text, &lines, Encoding::Utf16, at(line, character));
        assert_eq!(utf16(0, 1), 1);
        assert_eq!(utf16(0, 2), 3);
        assert_eq!(
            utf16(0, 3),
            3,
            "inside the surrogate pair: the emoji's start"
        );
        assert_eq!(utf16(0, 4), 7);
        assert_eq!(utf16(0, 99), 8, "past the end of the line: before `\\r\\n`");
        assert_eq!(utf16(1, 0), 10);
        assert_eq!(utf16(7, 0), text.len());
        assert_eq!(utf16(u32::MAX, u32::MAX), text.len());
        let utf8 = |line, character| offset(text, &lines, Encoding::Utf8, at(line, character));
        assert_eq!(utf8(0, 2), 1, "inside `é`: its start");
        assert_eq!(utf8(0, 3), 3);
        assert_eq!(utf8(0, 5), 3);
        assert_eq!(utf8(0, 7), 7);
    }

    #[test]
    fn positions_convert_in_both_directions() {
        let text = "aé😀b\nfn x() {}\n";
        let lines = LineIndex::new(text);
        let b = text.find('b').unwrap_or(0);
        assert_eq!(position_of(text, &lines, Encoding::Utf16, b), at(0, 4));
        assert_eq!(position_of(text, &lines, Encoding::Utf8, b), at(0, 7));
        assert_eq!(position_of(text, &lines, Encoding::Utf16, b - 1), at(0, 2));
        let engine = [
            Position { line: 1, column: 4 },
            Position { line: 1, column: 3 },
            Position { line: 2, column: 4 },
            Position { line: 9, column: 1 },
        ];
        let converted = convert_all(text, &lines, Encoding::Utf16, engine);
        assert_eq!(converted[&engine[0]], at(0, 4));
        assert_eq!(converted[&engine[1]], at(0, 2));
        assert_eq!(converted[&engine[2]], at(1, 3));
        assert_eq!(converted[&engine[3]], at(8, 0));
        let converted = convert_all(text, &lines, Encoding::Utf8, engine);
        assert_eq!(converted[&engine[0]], at(0, 7));
        assert_eq!(end_of(text, &lines, Encoding::Utf16), at(2, 0));
    }
}
