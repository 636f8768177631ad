//! Rendering errors in rule files and `codex.toml`: file, line, column and a caret under the
//! offending text, as rustc draws them.
//!
//! A rule file can come from the merge request under review, so its text and path are shown
//! through [`super::terminal`]; and each error draws only a bounded excerpt, with one line
//! index per file, so thousands of errors in one large file stay linear.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use super::frame::{self, Body};
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
                let mut end = span.end.clamp(start, text.len());
                if end == start {
                    // An error about a place, not a text (a missing field): its first character.
                    end = text
                        .get(start..)
                        .and_then(|rest| rest.chars().next())
                        .filter(|c| *c != '\n')
                        .map_or(start, |c| start + c.len_utf8());
                }
                let from = index.position(text, start);
                // Said once, on one line (`path:line:col: message`, for logs and editors),
                // then the place underlined below it.
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
                let (span, lines) = frame::labelled(&excerpt, from, index.position(text, end), "");
                writer
                    .write_all(frame::draw_excerpt(&Body::Source(span, lines), color).as_bytes())?;
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
