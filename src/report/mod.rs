//! Rendering diagnostics: one format per file, one entry point, writing to a writer it is given.
//! Nothing here prints, reads files or decides the exit code.

mod concise;
pub mod error;
mod human;
mod json;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Summary};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like reports with the source line, help and incident.
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Concise,
    /// The versioned JSON contract for bots and scripts.
    Json,
}

impl Format {
    /// Whether the format is read by people (shadow-stage findings are left out of these).
    pub fn is_for_people(self) -> bool {
        matches!(self, Format::Human | Format::Concise)
    }
}

/// What a renderer may need beyond the diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Use ANSI colours.
    pub color: bool,
    /// Number of rules in the Codex that ran.
    pub rules: usize,
}

/// Renders `diagnostics` in `format` to `writer`.
///
/// # Errors
///
/// When writing fails.
pub fn render(
    format: Format,
    writer: &mut dyn Write,
    diagnostics: &[Diagnostic],
    summary: &Summary,
    context: &Context,
) -> io::Result<()> {
    let shown: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| !format.is_for_people() || d.stage != crate::codex::Stage::Shadow)
        .collect();
    match format {
        Format::Human => human::render(writer, &shown, summary, context),
        Format::Concise => concise::render(writer, &shown, summary),
        Format::Json => json::render(writer, &shown, summary),
    }
}
