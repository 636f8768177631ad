//! Rendering errors in rule files and `codex.toml`: file, line, column and a caret under the
//! offending text, as rustc draws them.

use std::io::{self, Write};

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};

use crate::codex::LoadError;

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
    for error in errors {
        match error {
            LoadError::Invalid {
                file,
                span,
                message,
            } => {
                // The plain `path:line:col: message` line first, for logs and editors.
                writeln!(writer, "error: {error}")?;
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
                    .write((id, Source::from(file.text.as_ref())), &mut *writer)?;
            }
            LoadError::Read { .. } => writeln!(writer, "error: {error}")?,
        }
    }
    let noun = if errors.len() == 1 { "error" } else { "errors" };
    writeln!(
        writer,
        "the Codex could not be loaded: {} {noun}",
        errors.len()
    )
}
