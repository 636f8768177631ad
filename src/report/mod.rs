//! Rendering diagnostics: one format per file, one entry point, writing to a writer it is given.
//! Nothing here prints, reads files or decides the exit code.

mod concise;
pub mod error;
mod github;
mod gitlab;
mod human;
mod json;
mod markdown;
mod rdjson;
mod sarif;

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
    /// SARIF 2.1.0, for GitHub code scanning and any SARIF viewer.
    Sarif,
    /// GitLab Code Quality report.
    Gitlab,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// reviewdog's Diagnostic Format, one document.
    Rdjson,
    /// reviewdog's Diagnostic Format, one diagnostic per line.
    Rdjsonl,
    /// A merge-request comment, under the platforms' size limit.
    Markdown,
}

impl Format {
    /// Whether the format is read by people (shadow-stage findings are left out of these).
    pub fn is_for_people(self) -> bool {
        matches!(
            self,
            Format::Human | Format::Concise | Format::Gitlab | Format::Github
        )
    }
}

/// What a renderer may need beyond the diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Use ANSI colours.
    pub color: bool,
    /// The rules that ran, for formats that describe them (SARIF).
    pub rules: Vec<RuleInfo>,
    /// The commit analysed, when the project is a git checkout.
    pub commit: Option<String>,
    /// Findings excused in the source, for formats that record suppressions (SARIF).
    pub suppressed: Vec<crate::diagnostic::Suppressed>,
}

/// What a format may say about a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Code.
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// What is wrong.
    pub message: String,
    /// Markdown documentation.
    pub doc: String,
    /// Link.
    pub url: Option<String>,
    /// Default severity.
    pub severity: crate::codex::Severity,
}

impl RuleInfo {
    /// The rendering-side view of `rule`.
    pub fn of(rule: &crate::codex::Rule) -> Self {
        RuleInfo {
            id: rule.id.clone(),
            name: rule.name.clone(),
            title: rule.title.clone(),
            message: rule.message.clone(),
            doc: rule.doc.clone(),
            url: rule.url.clone(),
            severity: rule.severity,
        }
    }
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
        Format::Json => json::render(writer, &shown, summary, context.commit.as_deref()),
        Format::Sarif => sarif::render(writer, &shown, context),
        Format::Gitlab => gitlab::render(writer, &shown),
        Format::Github => github::render(writer, &shown),
        Format::Rdjson => rdjson::render(writer, &shown),
        Format::Rdjsonl => rdjson::render_lines(writer, &shown),
        Format::Markdown => markdown::render(writer, &shown, summary),
    }
}
