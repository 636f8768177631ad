//! The JSON contract (`cargo-codex/diagnostics/v1`): field names and meanings are stable; new
//! fields may be added, none removed or renamed without a new schema version.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Summary};

/// Identifies the document's shape.
pub(super) const SCHEMA: &str = "cargo-codex/diagnostics/v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Tool,
    /// The commit analysed (`HEAD`), when known.
    commit: Option<&'a str>,
    diagnostics: Vec<Entry<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    name: &'a str,
    title: &'a str,
    severity: &'static str,
    stage: &'static str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    snippet: &'a str,
    item: Option<&'a str>,
    scope: &'static str,
    incidents: &'a [String],
    url: Option<&'a str>,
    fingerprint: &'a str,
    fix: Option<FixEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedEntry<'a>>,
}

#[derive(Serialize)]
struct FixEntry<'a> {
    applicability: &'static str,
    description: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct RelatedEntry<'a> {
    line: usize,
    column: usize,
    message: &'a str,
}

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    commit: Option<&str>,
) -> io::Result<()> {
    let document = Document {
        schema: SCHEMA,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        commit,
        diagnostics: diagnostics.iter().map(|d| entry(d)).collect(),
        summary,
    };
    serde_json::to_writer_pretty(&mut *writer, &document)?;
    writeln!(writer)
}

/// Serializes `diagnostics` as this format's diagnostic objects, for documents that embed
/// them (the review brief).
///
/// # Errors
///
/// When the serializer fails.
pub(super) fn serialize_diagnostics<S: serde::Serializer>(
    diagnostics: &[Diagnostic],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(diagnostics.iter().map(entry))
}

fn entry(d: &Diagnostic) -> Entry<'_> {
    Entry {
        rule: &d.rule,
        name: &d.name,
        title: &d.title,
        severity: d.severity.as_str(),
        stage: d.stage.as_str(),
        path: &d.path,
        line: d.start.line,
        column: d.start.column,
        end_line: d.end.line,
        end_column: d.end.column,
        message: &d.message,
        help: d.help.as_deref(),
        snippet: &d.snippet.text,
        item: d.item.as_deref(),
        scope: d.scope.as_str(),
        incidents: &d.incidents,
        url: d.url.as_deref(),
        fingerprint: &d.fingerprint,
        fix: d.fix.as_ref().map(|fix| FixEntry {
            applicability: fix.applicability.as_str(),
            description: &fix.description,
            line: fix.start.line,
            column: fix.start.column,
            end_line: fix.end.line,
            end_column: fix.end.column,
            replacement: &fix.replacement,
        }),
        related: d
            .related
            .iter()
            .map(|r| RelatedEntry {
                line: r.start.line,
                column: r.start.column,
                message: &r.message,
            })
            .collect(),
    }
}
