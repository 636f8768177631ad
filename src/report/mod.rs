//! Rendering diagnostics: one format per file (the review brief's in [`brief`]), one entry point, writing to a writer it is given.
//! Nothing here prints, reads files or decides the exit code.

pub mod brief;
mod concise;
pub mod error;
mod frame;
mod github;
mod gitlab;
mod human;
mod json;
mod level;
mod link;
mod markdown;
mod markup;
mod path;
mod rdjson;
mod sarif;
mod summary;
mod tally;
mod terminal;

pub use level::Level;
pub use link::Forge;

use std::io::{self, Write};
use std::time::Duration;

use crate::codex::Stage;
use crate::diagnostic::{Diagnostic, Summary};

pub use path::DisplayBase;

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
    /// Every format, in the order `--format` lists them.
    pub fn all() -> &'static [Format] {
        <Format as clap::ValueEnum>::value_variants()
    }

    /// Whether the format is read by people: shadow-stage findings are left out of these, and
    /// kept only in `json` and `sarif` (level `none`).
    pub fn is_for_people(self) -> bool {
        !matches!(self, Format::Json | Format::Sarif)
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
    /// Findings the baseline hid, for formats that record suppressions (SARIF).
    pub baselined: Vec<Diagnostic>,
    /// How long the run took, for the terminal summary; `None` leaves it out.
    pub elapsed: Option<Duration>,
    /// Terminal formats show counts by rule instead of each finding (`--statistics`).
    pub statistics: bool,
    /// Where the files can be browsed at the analysed commit, for links in the comment.
    pub forge: Option<Forge>,
    /// Where terminal formats show paths from (the working directory); machine formats keep
    /// them root-relative.
    pub display_base: DisplayBase,
    /// Findings only (`--quiet`): terminal formats leave out their summary and hints.
    pub quiet: bool,
}

impl Context {
    /// How a terminal format (human, concise, statistics) shows `path`, a root-relative path:
    /// from the working directory, so that a terminal can open it.
    pub fn display_path<'a>(&self, path: &'a str) -> std::borrow::Cow<'a, str> {
        self.display_base.show(path)
    }
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
    /// Rollout stage (findings outside `enforce_paths` warn instead).
    pub stage: Stage,
    /// The rule file's path relative to the project root, when it was read from the project's
    /// working tree (so it can be linked at the analysed commit); `None` for rules embedded in
    /// the binary or read from elsewhere.
    pub path: Option<String>,
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
            stage: rule.stage,
            path: rule.file.is_some().then(|| rule.origin.clone()),
        }
    }
}

/// `text` from the checked repository or its rules, shown safely on a terminal: control
/// characters (ESC, BEL, CR, LF…) and bidi controls become visible pictures or `\u{..}`
/// escapes. For anything else that prints such text (e.g. `explain`).
pub fn visible(text: &str) -> impl std::fmt::Display + '_ {
    terminal::visible(text)
}

/// Serializes `diagnostics` as the `json` format's diagnostic objects (`serialize_with` for
/// documents that embed findings, as the review brief does).
///
/// # Errors
///
/// When the serializer fails.
pub fn serialize_diagnostics<S: serde::Serializer>(
    diagnostics: &[Diagnostic],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    json::serialize_diagnostics(diagnostics, serializer)
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
        .filter(|d| !format.is_for_people() || d.stage != Stage::Shadow)
        .collect();
    let extra = summary::Extra {
        shadow: diagnostics.len() - shown.len(),
        elapsed: context.elapsed,
        color: context.color,
        statistics: context.statistics,
    };
    // Standard output is line-buffered: without a buffer of our own, pretty JSON would cost a
    // system call per line.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, writer);
    let writer: &mut dyn Write = &mut buffered;
    match format {
        Format::Human => human::render(writer, &shown, summary, context, &extra),
        Format::Concise => concise::render(writer, &shown, summary, context, &extra),
        Format::Json => json::render(writer, &shown, summary, context.commit.as_deref()),
        Format::Sarif => sarif::render(writer, &shown, context),
        Format::Gitlab => gitlab::render(writer, &shown),
        Format::Github => github::render(writer, &shown),
        Format::Rdjson => rdjson::render(writer, &shown),
        Format::Rdjsonl => rdjson::render_lines(writer, &shown),
        Format::Markdown => markdown::render(writer, &shown, summary, context),
    }?;
    buffered.flush()
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::codex::{Applicability, Scope, Severity, Stage};
    use crate::diagnostic::{Fix, Related};
    use crate::text::{Excerpt, Position};

    /// A finding on `line` of `path`, with a help, an incident and a link.
    pub(super) fn sample(path: &str, line: usize, message: &str) -> Diagnostic {
        let at = |column| Position { line, column };
        Diagnostic {
            rule: "CX0001".to_owned(),
            name: "unwrap-outside-tests".to_owned(),
            title: "`.unwrap()` outside test code".to_owned(),
            severity: Severity::Error,
            stage: Stage::Enforce,
            path: path.to_owned(),
            start: at(21),
            end: at(27),
            message: message.to_owned(),
            help: Some("propagate the error with `?`".to_owned()),
            snippet: Excerpt::whole("    let v = input.é.unwrap(); // note"),
            item: Some("m::f".to_owned()),
            scope: Scope::Prod,
            incidents: vec!["2025-11-18-bot-management-feature-file".to_owned()],
            url: Some("rules/unwrap-outside-tests.toml".to_owned()),
            fingerprint: format!("{line:032x}"),
            related: None,
            fix: None,
        }
    }

    /// `count` findings far down a file: line numbers grow by `step`, so any work per finding
    /// that depends on its line number shows.
    fn many(count: usize, step: usize) -> Vec<Diagnostic> {
        (0..count)
            .map(|i| {
                let line = 1 + i * step;
                let mut d = sample(
                    &format!("src/m{}.rs", i / 1000),
                    line,
                    "`.unwrap()` panics when the value is `None` or `Err`",
                );
                d.related = (i % 10 == 0).then(|| Related {
                    start: Position {
                        line: line + step / 2 + 1,
                        column: 5,
                    },
                    snippet: Excerpt::whole("    use_it(v);"),
                    message: "used here".to_owned(),
                });
                d.fix = (i % 7 == 0).then(|| Fix {
                    applicability: Applicability::Unsafe,
                    description: "propagate with `?`".to_owned(),
                    start: Position { line, column: 20 },
                    end: Position { line, column: 29 },
                    replacement: "?".to_owned(),
                });
                d
            })
            .collect()
    }

    fn rendered(format: Format, diagnostics: &[Diagnostic]) -> Vec<u8> {
        let summary = Summary::of(diagnostics, 40, 0);
        let mut out = Vec::new();
        render(format, &mut out, diagnostics, &summary, &Context::default()).unwrap();
        out
    }

    #[test]
    fn every_format_is_linear_whatever_the_line_numbers() {
        // Findings about 2^40 lines apart: any work in proportion to a line number (padding
        // before an excerpt, as ariadne needed) would never end.
        let step = 1 << 40;
        for &format in Format::all() {
            let small = rendered(format, &many(1000, step)).len();
            let large = rendered(format, &many(2000, step)).len();
            assert!(
                large * 10 <= small * 22,
                "{format:?}: {small} bytes for 1,000 findings, {large} for 2,000"
            );
        }
    }

    /// Renders 40,000 findings in every format and prints the time each takes; run by hand with
    /// `cargo test --release --lib report::tests::forty_thousand -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn forty_thousand_findings_render_time() {
        let diagnostics = many(40_000, 50);
        for &format in Format::all() {
            let started = Instant::now();
            let out = rendered(format, &diagnostics);
            eprintln!(
                "{format:?}: {:.3} s, {} bytes",
                started.elapsed().as_secs_f64(),
                out.len()
            );
        }
    }
}
