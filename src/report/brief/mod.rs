//! Rendering a review brief ([`crate::review::Brief`]): as its JSON document
//! (`cargo-codex/review/v1`) or as Markdown for a merge request, each writing to the writer it
//! is given. The sizes of both renderings are what a budget measures
//! ([`crate::review::fit`]).

mod json;
mod markdown;

use std::io::{self, Write};

use crate::review::Brief;

/// The first line of the Markdown brief, for bots that update theirs in place.
pub const MARKER: &str = "<!-- cargo-codex-review -->";

/// The formats of a brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BriefFormat {
    /// The versioned JSON document (`cargo-codex/review/v1`).
    Json,
    /// Markdown for a merge request, every string from the repository escaped.
    Markdown,
}

/// Renders `brief` in `format` to `writer`.
///
/// # Errors
///
/// When writing fails.
pub fn render(format: BriefFormat, writer: &mut dyn Write, brief: &Brief) -> io::Result<()> {
    match format {
        BriefFormat::Json => json::render(writer, brief),
        BriefFormat::Markdown => writer.write_all(markdown::render(brief).as_bytes()),
    }
}

/// The size in bytes of `brief` rendered as pretty JSON.
pub fn json_size(brief: &Brief) -> usize {
    json::size(brief)
}

/// The size in bytes of `brief` rendered as Markdown.
pub fn markdown_size(brief: &Brief) -> usize {
    markdown::render(brief).len()
}

/// The size of `brief` in `format`.
pub fn size(format: BriefFormat, brief: &Brief) -> usize {
    match format {
        BriefFormat::Json => json_size(brief),
        BriefFormat::Markdown => markdown_size(brief),
    }
}
