//! GitLab Code Quality: a JSON array of CodeClimate-style issues (`description`, `check_name`,
//! `fingerprint`, `severity`, `location.path`, `location.lines.begin`), without a byte-order
//! mark. Shadow-stage findings are left out: the merge-request widget is read by people.

use std::io::{self, Write};

use serde::Serialize;

use super::Level;
use super::terminal::visible;
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub(super) fn render(writer: &mut dyn Write, diagnostics: &[&Diagnostic]) -> io::Result<()> {
    let issues: Vec<Issue<'_>> = diagnostics
        .iter()
        .map(|d| Issue {
            // Shown to people in the merge-request widget: controls from a rule or the
            // source are shown, not passed on (the path must stay as is to name the file).
            description: format!(
                "{} {}: {}",
                visible(&d.rule),
                visible(&d.name),
                visible(&d.message)
            ),
            check_name: &d.rule,
            fingerprint: &d.fingerprint,
            severity: severity(d),
            location: Location {
                path: &d.path,
                lines: Lines {
                    begin: d.start.line,
                    end: d.end.line,
                },
            },
        })
        .collect();
    serde_json::to_writer_pretty(&mut *writer, &issues)?;
    writeln!(writer)
}

/// GitLab's scale, from the finding's level: an enforced finding fails the pipeline, so it is
/// `critical`; a warning is `minor`.
fn severity(d: &Diagnostic) -> &'static str {
    match Level::of_diagnostic(d) {
        Level::Error => "critical",
        Level::Warning => "minor",
        Level::Note | Level::Silent => "info",
    }
}
