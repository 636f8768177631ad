//! rustc-like reports drawn with ariadne: the rule code and title, the offending token
//! underlined in its source line, the help, and the incident the rule comes from.
//!
//! Diagnostics carry their own source lines (`snippet`), so nothing is read again here.
//! Positions are in characters, so ariadne is told to count characters.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};

use super::Context;
use crate::codex::Severity;
use crate::diagnostic::{Diagnostic, Summary};

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    context: &Context,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        render_one(writer, diagnostic, context)?;
    }
    write_summary(writer, diagnostics, summary)
}

fn kind(severity: Severity) -> ReportKind<'static> {
    match severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Info => ReportKind::Advice,
    }
}

fn render_one(writer: &mut dyn Write, d: &Diagnostic, context: &Context) -> io::Result<()> {
    let mut note = format!("rule {} `{}`, stage {}", d.rule, d.name, d.stage.as_str());
    if !d.incidents.is_empty() {
        let _ = write!(note, "; from incident {}", d.incidents.join(", "));
    }
    let _ = write!(note, "; see `cargo codex explain {}`", d.rule);
    if d.snippet.is_empty() {
        // Nothing to draw (an unreadable or empty file): the same frame, without source lines.
        let kind = match d.severity {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
            Severity::Info => "Advice",
        };
        writeln!(writer, "[{}] {kind}: {}", d.rule, d.title)?;
        writeln!(
            writer,
            "   ╭─[ {}:{}:{} ]",
            d.path, d.start.line, d.start.column
        )?;
        writeln!(writer, "   │\n   │ {}\n   │ ", d.message)?;
        if let Some(help) = &d.help {
            writeln!(writer, "   │ Help: {help}\n   │ ")?;
        }
        writeln!(writer, "   │ Note: {note}\n───╯")?;
        return writeln!(writer);
    }
    // ariadne numbers gutter lines from the start of its source (a display offset only moves
    // the header), so the snippet is preceded by empty lines: cheap, and the numbers are right.
    let padding = d.start.line.saturating_sub(1);
    let range = snippet_range(d);
    let span = (d.path.clone(), range.start + padding..range.end + padding);
    let mut text = format!("{}{}", "\n".repeat(padding), d.snippet.text);
    let mut report = Report::build(kind(d.severity), span.clone())
        .with_config(
            Config::default()
                .with_color(context.color)
                .with_index_type(IndexType::Char),
        )
        .with_code(&d.rule)
        .with_message(&d.title)
        .with_label(Label::new(span).with_message(&d.message))
        .with_note(note);
    if let Some(related) = d.related.as_ref().filter(|r| r.start.line > d.end.line) {
        // The related line, after empty lines up to its own number.
        text.push_str(&"\n".repeat(related.start.line - d.end.line));
        let skip = related.start.column.saturating_sub(related.snippet.column);
        let at = text.chars().count() + skip;
        let width = related
            .snippet
            .text
            .chars()
            .skip(skip)
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .count()
            .max(1);
        text.push_str(&related.snippet.text);
        let label = Label::new((d.path.clone(), at..at + width)).with_message(&related.message);
        report = report.with_label(label);
    }
    if let Some(help) = &d.help {
        report = report.with_help(help);
    }
    let source = Source::from(text);
    report
        .finish()
        .write((d.path.clone(), source), &mut *writer)?;
    writeln!(writer)
}

/// The finding's character range inside its own snippet, never past the snippet's end.
fn snippet_range(d: &Diagnostic) -> Range<usize> {
    let lines: Vec<&str> = d.snippet.text.split('\n').collect();
    let total = d.snippet.text.chars().count();
    // The snippet's first line may start at a later column (a long line cut to a window);
    // its other lines start at column 1.
    let start = d.start.column.saturating_sub(d.snippet.column).min(total);
    let before_end: usize = lines
        .iter()
        .take(d.end.line.saturating_sub(d.start.line))
        .map(|line| line.chars().count() + 1)
        .sum();
    let end_column = if d.end.line == d.start.line {
        d.end.column.saturating_sub(d.snippet.column)
    } else {
        d.end.column.saturating_sub(1)
    };
    let end = (before_end + end_column).clamp(start, total);
    start..end
}

/// The closing line of people-facing formats.
pub(super) fn write_summary(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
) -> io::Result<()> {
    let files = plural(summary.files, "file");
    if diagnostics.is_empty() {
        writeln!(writer, "No findings in {files}.")?;
    } else {
        let enforced = diagnostics.iter().filter(|d| d.is_enforced()).count();
        writeln!(
            writer,
            "Found {} ({enforced} enforced) in {files}.",
            plural(diagnostics.len(), "finding")
        )?;
    }
    if summary.baselined > 0 || summary.baseline_stale > 0 {
        writeln!(
            writer,
            "The baseline hid {} and has {} (write it again to shrink it).",
            plural(summary.baselined, "finding"),
            plural(summary.baseline_stale, "stale entry")
        )?;
    }
    if summary.unparsed > 0 {
        writeln!(
            writer,
            "{} could not be read or parsed in full; see the findings above.",
            plural(summary.unparsed, "file")
        )?;
    }
    Ok(())
}

fn plural(count: usize, noun: &str) -> String {
    match (count, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        _ => format!("{count} {noun}s"),
    }
}
