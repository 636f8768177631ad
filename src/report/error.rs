//! Rendering errors in rule files and `codex.toml`: file, line, column and a caret under the
//! offending text, as rustc draws them.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};

use crate::codex::LoadError;

/// Errors drawn with their source line; past this many, errors are listed one per line, so a
/// file with thousands of mistakes gives a readable report in linear time.
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
    // Each file's lines are indexed once, whatever the number of errors in it.
    let mut sources: HashMap<String, Source<Arc<str>>> = HashMap::new();
    let mut drawn = 0;
    for error in errors {
        match error {
            LoadError::Invalid {
                file,
                span,
                message,
            } => {
                // The plain `path:line:col: message` line first, for logs and editors.
                writeln!(writer, "error: {error}")?;
                if drawn == DRAWN {
                    continue;
                }
                drawn += 1;
                let source = sources
                    .entry(file.path.clone())
                    .or_insert_with(|| Source::from(Arc::clone(&file.text)));
                let start = span.start.min(file.text.len());
                let end = span.end.clamp(start, file.text.len());
                let id = file.path.clone();
                Report::build(ReportKind::Error, (id.clone(), start..end))
                    .with_config(
                        Config::default()
                            .with_color(color)
                            .with_index_type(IndexType::Byte),
                    )
                    .with_message("invalid Codex configuration")
                    .with_label(Label::new((id.clone(), start..end)).with_message(message))
                    .finish()
                    .write((id, &*source), &mut *writer)?;
            }
            LoadError::Read { .. } => writeln!(writer, "error: {error}")?,
        }
    }
    if drawn == DRAWN && errors.len() > DRAWN {
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
    )
}
