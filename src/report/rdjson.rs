//! reviewdog's Diagnostic Format: `rdjson` (one `DiagnosticResult` document) and `rdjsonl`
//! (one `Diagnostic` per line). Its columns count UTF-8 bytes, 1-based; they are computed from
//! each diagnostic's own source lines, so nothing is read again. Severity follows the stage
//! ([`super::Level`]); shadow-stage findings are left out, reviewdog posts what it reads.

use std::io::{self, Write};

use serde::Serialize;

use super::{Level, markup};
use crate::diagnostic::Diagnostic;
use crate::text::{Excerpt, Position};

// The document's types, borrowing from the diagnostics. Fields are in alphabetical order, the
// order the output has always had.

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<RdDiagnostic<'a>>,
    source: Source,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    code: Code<'a>,
    location: Location<'a, Range>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_locations: Option<[RelatedLocation<'a>; 1]>,
    severity: &'static str,
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestions: Option<[Suggestion<'a>; 1]>,
}

#[derive(Serialize)]
struct Code<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    value: &'a str,
}

#[derive(Serialize)]
struct Location<'a, R> {
    path: &'a str,
    range: R,
}

#[derive(Serialize)]
struct Range {
    end: RdPosition,
    start: RdPosition,
}

#[derive(Serialize)]
struct StartOnly {
    start: RdPosition,
}

#[derive(Serialize)]
struct RdPosition {
    column: usize,
    line: usize,
}

#[derive(Serialize)]
struct RelatedLocation<'a> {
    location: Location<'a, StartOnly>,
    message: &'a str,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    range: Range,
    text: &'a str,
}

const SOURCE: Source = Source {
    name: env!("CARGO_PKG_NAME"),
};

/// `rdjson`: the whole result as one document.
pub(super) fn render(writer: &mut dyn Write, diagnostics: &[&Diagnostic]) -> io::Result<()> {
    let document = Document {
        diagnostics: diagnostics.iter().map(|d| diagnostic(d)).collect(),
        source: SOURCE,
    };
    serde_json::to_writer_pretty(&mut *writer, &document)?;
    writeln!(writer)
}

/// `rdjsonl`: one diagnostic per line.
pub(super) fn render_lines(writer: &mut dyn Write, diagnostics: &[&Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        serde_json::to_writer(&mut *writer, &diagnostic(d))?;
        writeln!(writer)?;
    }
    Ok(())
}

fn diagnostic(d: &Diagnostic) -> RdDiagnostic<'_> {
    let severity = match Level::of_diagnostic(d) {
        Level::Error => "ERROR",
        Level::Warning => "WARNING",
        Level::Note | Level::Silent => "INFO",
    };
    RdDiagnostic {
        code: Code {
            // reviewdog shows it as a link.
            url: d.url.as_deref().filter(|url| markup::is_safe_url(url)),
            value: &d.rule,
        },
        location: Location {
            path: &d.path,
            range: Range {
                end: position(d, d.end),
                start: position(d, d.start),
            },
        },
        message: &d.message,
        related_locations: d.related.as_ref().map(|related| {
            let column = byte_column(&related.snippet, related.start.line, related.start);
            [RelatedLocation {
                location: Location {
                    path: &d.path,
                    range: StartOnly {
                        start: RdPosition {
                            column,
                            line: related.start.line,
                        },
                    },
                },
                message: &related.message,
            }]
        }),
        severity,
        source: SOURCE,
        suggestions: d.fix.as_ref().map(|fix| {
            [Suggestion {
                range: Range {
                    end: position(d, fix.end),
                    start: position(d, fix.start),
                },
                text: &fix.replacement,
            }]
        }),
    }
}

/// `at` with its column in UTF-8 bytes, using the diagnostic's snippet for the line's text.
fn position(d: &Diagnostic, at: Position) -> RdPosition {
    RdPosition {
        column: byte_column(&d.snippet, d.start.line, at),
        line: at.line,
    }
}

/// The 1-based byte column of `at`, using `snippet` (whose first line is `first_line`) for the
/// text of its line; the snippet's first line may start at a later column.
fn byte_column(snippet: &Excerpt, first_line: usize, at: Position) -> usize {
    let index = at.line.saturating_sub(first_line);
    let line = snippet.text.split('\n').nth(index).unwrap_or("");
    if index == 0 {
        let within = at.column.saturating_sub(snippet.column) + 1;
        line_byte_column(line, within) + snippet.byte_column - 1
    } else {
        line_byte_column(line, at.column)
    }
}

/// The 1-based byte column of 1-based character column `column` in `line`.
fn line_byte_column(line: &str, column: usize) -> usize {
    let before: usize = line
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let past_end = column
        .saturating_sub(1)
        .saturating_sub(line.chars().count());
    before + past_end + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_become_bytes() {
        assert_eq!(line_byte_column("let é = x.unwrap();", 1), 1);
        assert_eq!(line_byte_column("let é = x.unwrap();", 11), 12);
        assert_eq!(line_byte_column("ab", 3), 3);
        let cut = Excerpt {
            text: "é.unwrap()".to_owned(),
            column: 101,
            byte_column: 201,
        };
        let at = Position {
            line: 7,
            column: 102,
        };
        assert_eq!(byte_column(&cut, 7, at), 203);
    }
}
