//! rustc-like reports: the rule code and title, the offending token underlined in its source
//! line, the help, and the incident the rule comes from; drawn by [`super::frame`]. A rule's
//! help and note are shown on its first finding only; `[*]` marks what `--fix` fixes; the
//! summary ([`super::summary`]) counts by rule, or `--statistics` shows only the counts.
//!
//! Diagnostics carry their own source lines (`snippet`), so nothing is read again here, and a
//! report costs the size of its excerpt whatever its line number.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::frame::{self, Body, Kind, Label, Line};
use super::summary::{self, Extra};
use super::tally::Tally;
use super::{Context, Level};
use crate::codex::Applicability;
use crate::diagnostic::{Diagnostic, Summary};

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    context: &Context,
    extra: &Extra,
) -> io::Result<()> {
    let tally = Tally::of(diagnostics);
    if context.statistics {
        summary::statistics(writer, &tally, context.color)?;
    } else {
        // The help and note of a rule are the same on each of its findings: in full on its
        // first, left out of the others (issue 10: 11 lines per finding, the same each time).
        let mut explained: HashSet<&str> = HashSet::new();
        for diagnostic in diagnostics {
            let first = explained.insert(&diagnostic.rule);
            let path = context.display_path(&diagnostic.path);
            writer.write_all(report(diagnostic, &path, first, context.color).as_bytes())?;
            writeln!(writer)?;
        }
    }
    if context.quiet {
        return Ok(());
    }
    summary::write(writer, &tally, summary, extra)
}

fn kind(level: Level) -> Kind {
    match level {
        Level::Error => Kind::Error,
        Level::Warning => Kind::Warning,
        Level::Note | Level::Silent => Kind::Advice,
    }
}

/// The drawn report of `d`, its file shown as `path`; with its rule's help and note when
/// `explained` is its rule's first.
fn report(d: &Diagnostic, path: &str, explained: bool, color: bool) -> String {
    let mut note = format!("rule {} `{}`, stage {}", d.rule, d.name, d.stage.as_str());
    if !d.incidents.is_empty() {
        let _ = write!(note, "; from incident {}", d.incidents.join(", "));
    }
    if !d.references.is_empty() {
        let _ = write!(note, "; references {}", d.references.join(", "));
    }
    let _ = write!(note, "; see `cargo codex explain {}`", d.rule);
    let report = frame::Report {
        kind: kind(Level::of_diagnostic(d)),
        code: Some(&d.rule),
        title: &d.title,
        path,
        line: d.start.line,
        column: d.start.column,
        body: body(d),
        help: d.help.as_deref().filter(|_| explained),
        note: explained.then_some(note.as_str()),
        fixable: is_fixable(d),
    };
    frame::draw(&report, color)
}

/// Whether `--fix` fixes `d` (unsafe fixes are counted in the summary, as ruff counts them).
pub(super) fn is_fixable(d: &Diagnostic) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|fix| fix.applicability == Applicability::Safe)
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
