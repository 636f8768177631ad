//! The rustc-like frame of a report, drawn the way ariadne draws it: a header with the code and
//! title, the location, numbered source lines with the finding underlined and labelled, then
//! help and note.
//!
//! It is drawn here rather than by ariadne for two reasons. ariadne numbers lines from the
//! start of the text it is given, so a finding on line 100,000 needed 100,000 lines of padding
//! before its excerpt (40,000 findings took minutes, issue 7); here a frame costs the size of
//! what it shows. And every string is written through [`terminal`](super::terminal), so
//! nothing from the checked repository reaches the terminal raw.

mod draw;

use anstyle::Style;

use crate::text::{Excerpt, Position};
pub(super) use draw::draw;

/// How bad, as the header says it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// `Error`.
    Error,
    /// `Warning`.
    Warning,
    /// `Advice`.
    Advice,
}

impl Kind {
    /// Its colour: that of the level it stands for.
    fn style(self) -> Style {
        match self {
            Kind::Error => super::Level::Error.style(),
            Kind::Warning => super::Level::Warning.style(),
            Kind::Advice => super::Level::Note.style(),
        }
    }
}

/// A label under one source line: characters `start..end` of the line, and what it says.
pub(super) struct Label<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) message: &'a str,
}

/// A numbered source line with its label.
pub(super) struct Line<'a> {
    pub(super) number: usize,
    pub(super) text: &'a str,
    pub(super) label: Label<'a>,
}

/// A label from one line to a later one: its first and last lines are drawn, joined by an
/// arrow in the margin, and the message comes after the last.
pub(super) struct Span<'a> {
    /// Number and text of the first line, and the character where the label starts.
    pub(super) first: (usize, &'a str, usize),
    /// Number and text of the last line, and the character where the label ends.
    pub(super) last: (usize, &'a str, usize),
    pub(super) message: &'a str,
}

/// What a frame shows between its location and its help.
pub(super) enum Body<'a> {
    /// No source line, only a message.
    Message(&'a str),
    /// Labelled source lines, in ascending order (a span first, when there is one).
    Source(Option<Span<'a>>, Vec<Line<'a>>),
}

/// One report.
pub(super) struct Report<'a> {
    pub(super) kind: Kind,
    pub(super) code: Option<&'a str>,
    pub(super) title: &'a str,
    pub(super) path: &'a str,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) body: Body<'a>,
    pub(super) help: Option<&'a str>,
    pub(super) note: Option<&'a str>,
    /// Whether `--fix` fixes it: marked `[*]` before the title, as ruff marks them.
    pub(super) fixable: bool,
}

/// The label of `start..end` over `excerpt` (whose first line is `start.line`): under one line,
/// or a span over several.
pub(super) fn labelled<'a>(
    excerpt: &'a Excerpt,
    start: Position,
    end: Position,
    message: &'a str,
) -> (Option<Span<'a>>, Vec<Line<'a>>) {
    let lines: Vec<&str> = excerpt.text.split('\n').collect();
    let first = lines.first().copied().unwrap_or("");
    let first_len = first.chars().count();
    // The excerpt's first line may start at a later column (a long line cut to a window); its
    // other lines start at column 1.
    let from = start.column.saturating_sub(excerpt.column).min(first_len);
    let line = |to: usize| Line {
        number: start.line,
        text: first,
        label: Label {
            start: from,
            end: to,
            message,
        },
    };
    let below = end.line.saturating_sub(start.line);
    match (below, end.column) {
        (0, _) => {
            let to = end.column.saturating_sub(excerpt.column);
            (None, vec![line(to.clamp(from, first_len))])
        }
        // Up to the start of the next line: the line and its line break.
        (1, 0 | 1) => (None, vec![line(first_len + 1)]),
        _ => {
            // When the end is at a line's start, the last character is the line break before
            // it; an excerpt holds a bounded number of lines.
            let (index, to) = if end.column <= 1 {
                (below - 1, None)
            } else {
                (below, Some(end.column - 1))
            };
            let index = index.min(lines.len().saturating_sub(1));
            let text = lines.get(index).copied().unwrap_or("");
            let len = text.chars().count();
            let span = Span {
                first: (start.line, first, from),
                last: (
                    start.line + index,
                    text,
                    to.map_or(len + 1, |to| to.min(len)),
                ),
                message,
            };
            (Some(span), Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(body: Body<'_>, line: usize) -> Report<'_> {
        Report {
            kind: Kind::Warning,
            code: Some("CX1"),
            title: "title",
            path: "src/a.rs",
            line,
            column: 1,
            body,
            help: Some("one\ntwo"),
            note: None,
            fixable: false,
        }
    }

    fn labelled(number: usize, text: &str, start: usize, end: usize) -> Line<'_> {
        Line {
            number,
            text,
            label: Label {
                start,
                end,
                message: "here",
            },
        }
    }

    #[test]
    fn underlines_follow_what_is_shown_before_them() {
        // The bidi override is shown as `\u{202e}` (8 columns), the tab reaches column 12, the
        // wide character takes two: the underline still sits under `x`.
        let text = "\u{202e}\t好x";
        let drawn = draw(
            &report(Body::Source(None, vec![labelled(7, text, 3, 4)]), 7),
            false,
        );
        assert_eq!(
            drawn,
            "[CX1] Warning: title\n   ╭─[ src/a.rs:7:1 ]\n   │\n 7 │ \\u{202e}    好x\n   │               ┬  \n   │               ╰── here\n   │ \n   │ Help: one\n   │       two\n───╯\n"
        );
    }

    #[test]
    fn far_lines_cost_nothing_and_set_the_margin() {
        let line = 1_000_000_000_000;
        let drawn = draw(
            &report(
                Body::Source(None, vec![labelled(line, "a.b()", 2, 3)]),
                line,
            ),
            false,
        );
        assert!(drawn.contains("\n 1000000000000 │ a.b()\n"), "{drawn}");
        assert!(drawn.ends_with("\n───────────────╯\n"), "{drawn}");
    }

    #[test]
    fn a_span_over_lines_is_drawn_in_the_margin() {
        let span = Span {
            first: (9, "let a = b", 8),
            last: (12, "    .c();", 7),
            message: "spans",
        };
        let drawn = draw(&report(Body::Source(Some(span), Vec::new()), 9), false);
        assert_eq!(
            drawn,
            "[CX1] Warning: title\n    ╭─[ src/a.rs:9:1 ]\n    │\n  9 │ ╭─▶ let a = b\n    ┆ ┆   \n 12 │ ├─▶     .c();\n    │ │              \n    │ ╰────────────── spans\n    │     \n    │     Help: one\n    │           two\n────╯\n"
        );
    }
}
