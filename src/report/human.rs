//! rustc-like reports: the rule code and title, the offending token underlined in its source
//! line, the help, and the incident the rule comes from; drawn by [`super::frame`].
//!
//! Diagnostics carry their own source lines (`snippet`), so nothing is read again here, and a
//! report costs the size of its excerpt whatever its line number.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Context;
use super::frame::{self, Body, Kind, Label, Line};
use crate::codex::Severity;
use crate::diagnostic::{Diagnostic, Summary};

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    context: &Context,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        let path = context.display_path(&diagnostic.path);
        writer.write_all(report(diagnostic, &path, context.color).as_bytes())?;
        writeln!(writer)?;
    }
    if context.quiet {
        return Ok(());
    }
    write_summary(writer, diagnostics, summary)
}

fn kind(severity: Severity) -> Kind {
    match severity {
        Severity::Error => Kind::Error,
        Severity::Warning => Kind::Warning,
        Severity::Info => Kind::Advice,
    }
}

/// The drawn report of `d`, its file shown as `path`.
fn report(d: &Diagnostic, path: &str, color: bool) -> String {
    let mut note = format!("rule {} `{}`, stage {}", d.rule, d.name, d.stage.as_str());
    if !d.incidents.is_empty() {
        let _ = write!(note, "; from incident {}", d.incidents.join(", "));
    }
    let _ = write!(note, "; see `cargo codex explain {}`", d.rule);
    let report = frame::Report {
        kind: kind(d.severity),
        code: Some(&d.rule),
        title: &d.title,
        path,
        line: d.start.line,
        column: d.start.column,
        body: body(d),
        help: d.help.as_deref(),
        note: Some(&note),
    };
    frame::draw(&report, color)
}

/// The finding's lines and labels; a message alone when there is no source to show (an
/// unreadable or empty file).
fn body(d: &Diagnostic) -> Body<'_> {
    if d.snippet.is_empty() {
        return Body::Message(&d.message);
    }
    let (span, mut lines) = frame::labelled(&d.snippet, d.start, d.end, &d.message);
    if let Some(related) = d.related.as_ref().filter(|r| r.start.line > d.end.line) {
        let text = related.snippet.first_line();
        let skip = related
            .start
            .column
            .saturating_sub(related.snippet.column)
            .min(text.chars().count());
        let width = text
            .chars()
            .skip(skip)
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .count()
            .max(1);
        lines.push(Line {
            number: related.start.line,
            text,
            label: Label {
                start: skip,
                end: skip + width,
                message: &related.message,
            },
        });
    }
    Body::Source(span, lines)
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
