//! Rendering errors in rule files and `codex.toml`: file, line, column and a caret under the
//! offending text, as rustc draws them.
//!
//! A rule file can come from the merge request under review, so its text and path are shown
//! through [`super::terminal`]; and each error draws only a bounded excerpt, with one line
//! index per file, so thousands of errors in one large file stay linear.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use super::frame::{self, Body, Kind};
use super::terminal::visible;
use crate::codex::LoadError;
use crate::text::LineIndex;

/// Errors drawn with their source line; past this many, errors are listed one per line, so a
/// file with thousands of mistakes gives a readable report.
const DRAWN: usize = 50;

/// Writes every load error to `writer`, then a count.
///
/// # Errors
///
/// When writing fails.
pub fn render_load_errors(
    writer: &mut dyn Write,
    errors: &[LoadError],
    color: bool,
) -> io::Result<()> {
    // Standard error is not buffered: one system call per line would make thousands of errors
    // slow.
    let mut buffered = io::BufWriter::new(writer);
    let writer = &mut buffered;
    let mut indexes: HashMap<usize, LineIndex> = HashMap::new();
    let mut drawn = 0;
    for error in errors {
        match error {
            LoadError::Invalid {
                file,
                span,
                message,
            } => {
                let text: &str = &file.text;
                let index = indexes
                    .entry(Arc::as_ptr(&file.text).addr())
                    .or_insert_with(|| LineIndex::new(text));
                let start = span.start.min(text.len());
                let end = span.end.clamp(start, text.len());
                let from = index.position(text, start);
                // The plain `path:line:col: message` line first, for logs and editors.
                writeln!(
                    writer,
                    "error: {}:{}:{}: {}",
                    visible(&file.path),
                    from.line,
                    from.column,
                    visible(message)
                )?;
                if drawn == DRAWN {
                    continue;
                }
                drawn += 1;
                let excerpt = index.excerpt(text, start, end);
                let (span, lines) =
                    frame::labelled(&excerpt, from, index.position(text, end), message);
                let report = frame::Report {
                    kind: Kind::Error,
                    code: None,
                    title: "invalid Codex configuration",
                    path: &file.path,
                    line: from.line,
                    column: from.column,
                    body: Body::Source(span, lines),
                    help: None,
                    note: None,
                    fixable: false,
                };
                writer.write_all(frame::draw(&report, color).as_bytes())?;
            }
            LoadError::Read { .. } => writeln!(writer, "error: {}", visible(&error.to_string()))?,
        }
    }
    if errors.len() > drawn && drawn == DRAWN {
        writeln!(
            writer,
            "(the first {DRAWN} errors are drawn with their source; the others are listed above)"
        )?;
    }
    let noun = if errors.len() == 1 { "error" } else { "errors" };
    writeln!(
        writer,
        "the Codex could not be loaded: {} {noun}",
        errors.len()
    )?;
    buffered.flush()
}
