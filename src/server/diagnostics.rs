//! Checking one open document and turning its findings into the protocol's diagnostics.
//!
//! The document's unsaved text goes through the library's pipeline as `cargo codex check FILE`
//! would check the file: the files of its module tree are read from disk for their `mod`
//! declarations only, so a file under `#[cfg(test)] mod tests;` has test scope, and the
//! configured baseline hides the findings it accepted. Nothing else of the workspace is re-checked
//! when a document changes. Shadow-stage findings are left out, as in every format read by
//! people.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, Range, Uri,
};

use super::position::{self, Encoding};
use super::workspace::Project;
use crate::codex::{Severity, Stage};
use crate::diagnostic::Diagnostic;
use crate::pipeline::{self, Request};
use crate::select::Selection;
use crate::text::{LineIndex, Position};

/// Name shown as the source of every diagnostic.
pub(crate) const SOURCE: &str = "cargo-codex";

/// The findings of one check of one version of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Checked {
    /// Each finding, in report order.
    pub findings: Vec<Finding>,
}

/// One finding, as the engine reported it and as the editor shows it.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// The engine's diagnostic.
    pub diagnostic: Diagnostic,
    /// The protocol's diagnostic.
    pub lsp: LspDiagnostic,
    /// Where its fix applies, in protocol positions, when it has one.
    pub fix_range: Option<Range>,
}

impl Checked {
    /// The protocol diagnostics to publish.
    pub(crate) fn to_lsp(&self) -> Vec<LspDiagnostic> {
        self.findings.iter().map(|f| f.lsp.clone()).collect()
    }
}

/// Checks `text`, the editor's content of the file at `path`, in `project`.
///
/// # Errors
///
/// Why the check could not run (a configured baseline that cannot be read), to show.
pub(crate) fn check(
    project: &Project,
    path: &Path,
    text: &str,
    uri: &Uri,
    encoding: Encoding,
) -> Result<Checked, String> {
    let root = &project.settings.root;
    let selection = Selection {
        paths: vec![path.to_path_buf()],
        unsaved: HashMap::from([(path.to_path_buf(), Arc::<str>::from(text))]),
        ..Selection::of(root)
    };
    // The command line's pipeline, baseline included: what `check FILE` would report.
    let request = Request::new(&project.settings, selection);
    let outcome = pipeline::run(&project.codex, &request)
        .map_err(|error| format!("cargo-codex: cannot check {}: {error}", path.display()))?;
    let diagnostics: Vec<Diagnostic> = outcome
        .diagnostics
        .into_iter()
        .filter(|d| d.stage != Stage::Shadow)
        .collect();
    Ok(convert(diagnostics, text, uri, encoding))
}

/// Converts the engine's diagnostics of `text` to the protocol's.
fn convert(diagnostics: Vec<Diagnostic>, text: &str, uri: &Uri, encoding: Encoding) -> Checked {
    let lines = LineIndex::new(text);
    let mut wanted: Vec<Position> = Vec::with_capacity(diagnostics.len() * 2);
    for d in &diagnostics {
        wanted.extend([d.start, d.end]);
        wanted.extend(d.related.as_ref().map(|r| r.start));
        wanted.extend(d.fix.as_ref().into_iter().flat_map(|f| [f.start, f.end]));
    }
    let positions = position::convert_all(text, &lines, encoding, wanted);
    let at = |p: Position| positions.get(&p).copied().unwrap_or_default();
    let range = |start: Position, end: Position| Range::new(at(start), at(end));
    let findings = diagnostics
        .into_iter()
        .map(|diagnostic| {
            let related = diagnostic.related.as_ref().map(|related| {
                vec![DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), range(related.start, related.start)),
                    message: related.message.clone(),
                }]
            });
            let lsp = LspDiagnostic {
                range: range(diagnostic.start, diagnostic.end),
                severity: Some(severity(&diagnostic)),
                code: Some(NumberOrString::String(diagnostic.rule.clone())),
                // Only a link an editor can open: a rule without `rule_url` has a relative one.
                code_description: diagnostic
                    .url
                    .as_deref()
                    .and_then(|url| url.parse::<Uri>().ok())
                    .filter(|href| href.scheme().is_some())
                    .map(|href| CodeDescription { href }),
                source: Some(SOURCE.to_owned()),
                message: message(&diagnostic),
                related_information: related,
                tags: None,
                data: Some(serde_json::Value::String(diagnostic.fingerprint.clone())),
            };
            let fix_range = diagnostic.fix.as_ref().map(|fix| range(fix.start, fix.end));
            Finding {
                diagnostic,
                lsp,
                fix_range,
            }
        })
        .collect();
    Checked { findings }
}

/// The editor's severity: the rule's, except that an error of a rule still in the `warn`
/// stage, which does not fail the run, shows as a warning.
fn severity(diagnostic: &Diagnostic) -> DiagnosticSeverity {
    match diagnostic.severity {
        Severity::Error if diagnostic.stage == Stage::Enforce => DiagnosticSeverity::ERROR,
        Severity::Error | Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The message, with the rule's help on a line of its own.
fn message(diagnostic: &Diagnostic) -> String {
    match &diagnostic.help {
        Some(help) => format!("{}\nhelp: {help}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}
