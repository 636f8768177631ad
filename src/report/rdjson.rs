//! reviewdog's Diagnostic Format: `rdjson` (one `DiagnosticResult` document) and `rdjsonl`
//! (one `Diagnostic` per line). Its columns count UTF-8 bytes, 1-based; they are computed from
//! each diagnostic's own source lines, so nothing is read again.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::codex::Severity;
use crate::diagnostic::Diagnostic;
use crate::text::{Excerpt, Position};

/// `rdjson`: the whole result as one document.
pub(super) fn render(writer: &mut dyn Write, diagnostics: &[&Diagnostic]) -> io::Result<()> {
    let document = json!({
        "source": {"name": env!("CARGO_PKG_NAME")},
        "diagnostics": diagnostics.iter().map(|d| diagnostic(d)).collect::<Vec<_>>(),
    });
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

fn diagnostic(d: &Diagnostic) -> Value {
    let severity = match d.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    };
    let mut code = json!({"value": d.rule});
    if let Some(url) = &d.url {
        code["url"] = json!(url);
    }
    let mut entry = json!({
        "message": d.message,
        "location": {
            "path": d.path,
            "range": {
                "start": position(d, d.start),
                "end": position(d, d.end),
            },
        },
        "severity": severity,
        "source": {"name": env!("CARGO_PKG_NAME")},
        "code": code,
    });
    if let Some(fix) = &d.fix {
        entry["suggestions"] = json!([{
            "range": {"start": position(d, fix.start), "end": position(d, fix.end)},
            "text": fix.replacement,
        }]);
    }
    if let Some(related) = &d.related {
        let column = byte_column(&related.snippet, related.start.line, related.start);
        entry["related_locations"] = json!([{
            "message": related.message,
            "location": {"path": d.path, "range": {"start": {"line": related.start.line, "column": column}}},
        }]);
    }
    entry
}

/// `at` with its column in UTF-8 bytes, using the diagnostic's snippet for the line's text.
fn position(d: &Diagnostic, at: Position) -> Value {
    json!({"line": at.line, "column": byte_column(&d.snippet, d.start.line, at)})
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
