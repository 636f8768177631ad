//! The review brief as plain data: what [`super::brief`] returns, what the `json` and
//! `markdown` renderings of `cargo codex review` show ([`crate::report::brief`]), and what an
//! MCP server hands a model. Serialized with serde, it is the `cargo-codex/review/v1` document
//! (`schemas/review-v1.schema.json`); findings serialize as the `json` format's diagnostics.

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// Identifies the document's shape.
pub const VERSION: &str = "cargo-codex/review/v1";

/// Everything a reviewer needs about one merge request, per changed file and hunk.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    /// Always [`VERSION`].
    pub version: &'static str,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The revision the change is compared with, as given (`origin/main`).
    pub base: String,
    /// The merge base of `base` and `HEAD`: the commit the change starts from.
    pub merge_base: String,
    /// `HEAD`, when the project is a git checkout with a commit.
    pub head: Option<String>,
    /// Counts of the whole change, before the budget dropped anything.
    pub summary: Summary,
    /// Files of the Codex itself (rules, incidents, `codex.toml`, the baseline) that the change
    /// adds, modifies or deletes: each needs a person's review, since the Codex decides what
    /// the checks report.
    pub codex_changes: Vec<CodexChange>,
    /// Entries the change adds to the baseline (findings accepted instead of fixed), when it
    /// changes the baseline.
    pub baseline: Option<BaselineChange>,
    /// The changed files, sorted by path, each with its hunks.
    pub files: Vec<FileBrief>,
    /// The review rules that apply somewhere in the change, sorted by code; hunks name them by
    /// code.
    pub review_rules: Vec<ReviewRuleBrief>,
    /// What the size budget left out, least relevant first; empty when nothing was.
    pub dropped: Vec<Dropped>,
}

impl Brief {
    /// A copy of the brief's header (version, tool, revisions, summary) with no content.
    #[must_use]
    pub fn clone_header(&self) -> Brief {
        Brief {
            version: self.version,
            tool: self.tool.clone(),
            base: self.base.clone(),
            merge_base: self.merge_base.clone(),
            head: self.head.clone(),
            summary: self.summary,
            codex_changes: Vec::new(),
            baseline: None,
            files: Vec::new(),
            review_rules: Vec::new(),
            dropped: Vec::new(),
        }
    }
}

/// Name and version of the tool.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `cargo-codex`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

impl Tool {
    /// This build.
    pub fn current() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Counts of the whole change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files changed (and files with findings the merge base lacks).
    pub files: usize,
    /// Hunks in them.
    pub hunks: usize,
    /// Findings of the change (as `check --diff` reports them).
    pub findings: usize,
    /// Those of enforced rules.
    pub enforced: usize,
    /// Those of shadow-stage rules, which only machine formats show (the markdown brief
    /// leaves them out).
    pub shadow: usize,
    /// Review rules that apply somewhere.
    pub review_rules: usize,
    /// Suppression comments added or changed.
    pub suppressions: usize,
    /// Baseline entries added.
    pub baseline_entries: usize,
    /// Files of the Codex changed.
    pub codex_changes: usize,
}

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// New in the change.
    Added,
    /// Changed.
    Modified,
    /// Deleted.
    Deleted,
    /// Not in the diff, yet with findings the merge base lacks (a deleted `#[cfg(test)]`
    /// elsewhere made its code production code).
    Unchanged,
}

impl FileStatus {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Modified => "modified",
            FileStatus::Deleted => "deleted",
            FileStatus::Unchanged => "unchanged",
        }
    }
}

/// One changed file.
#[derive(Debug, Clone, Serialize)]
pub struct FileBrief {
    /// Path relative to the project root, `/`-separated.
    pub path: String,
    /// How it changed.
    pub status: FileStatus,
    /// Whether it is binary (git shows none of its lines).
    pub binary: bool,
    /// Its hunks, in order.
    pub hunks: Vec<Hunk>,
    /// Findings of the change outside every hunk (on lines the diff does not touch, but new
    /// since the merge base).
    #[serde(serialize_with = "crate::report::serialize_diagnostics")]
    pub findings: Vec<Diagnostic>,
    /// Suppressions added or changed outside every hunk.
    pub suppressions: Vec<SuppressionChange>,
    /// Hunks the budget left out of `hunks` (they had nothing to say).
    pub hunks_dropped: usize,
}

/// One hunk: a run of lines the change replaces.
#[derive(Debug, Clone, Serialize)]
pub struct Hunk {
    /// First line replaced in the merge base's file (the line before, when none is).
    pub old_start: usize,
    /// How many lines it replaces.
    pub old_lines: usize,
    /// First line of the new text; for a deletion, the line it follows (0 at the top).
    pub new_start: usize,
    /// How many lines the new text has; 0 for a deletion.
    pub new_lines: usize,
    /// The innermost function enclosing the change, when there is one.
    pub function: Option<Function>,
    /// Findings on its lines, as the `json` format's diagnostics.
    #[serde(serialize_with = "crate::report::serialize_diagnostics")]
    pub findings: Vec<Diagnostic>,
    /// Codes of the review rules that apply to it (described in [`Brief::review_rules`]).
    pub review_rules: Vec<String>,
    /// Suppressions it adds or changes.
    pub suppressions: Vec<SuppressionChange>,
}

impl Hunk {
    /// The last new line it covers (the line a deletion follows).
    pub fn new_end(&self) -> usize {
        self.new_start + self.new_lines.saturating_sub(1)
    }

    /// Whether it has nothing to say beyond its place: no finding, rule or suppression.
    pub fn is_quiet(&self) -> bool {
        self.findings.is_empty() && self.review_rules.is_empty() && self.suppressions.is_empty()
    }
}

/// A function enclosing a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Function {
    /// Its name, with the type of its `impl` block when it has one (`Loader::load`).
    pub name: String,
    /// Its signature, on one line and bounded in length; `None` when the budget dropped it.
    pub signature: Option<String>,
    /// First line of the function (its first attribute or qualifier).
    pub start_line: usize,
    /// Last line (its closing brace).
    pub end_line: usize,
}

/// Whether a suppression is new or a changed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Not in the merge base's file.
    Added,
    /// In the merge base's file with other codes, reason or date.
    Changed,
}

/// A suppression comment (`codex:allow`) the change adds or changes.
#[derive(Debug, Clone, Serialize)]
pub struct SuppressionChange {
    /// Line of the comment.
    pub line: usize,
    /// Line of the code it covers (the comment's own, or the next line of code).
    pub target_line: usize,
    /// Rule codes or names it names.
    pub codes: Vec<String>,
    /// The reason written after the codes (empty when missing: then it suppresses nothing).
    pub reason: String,
    /// Its `until = …` date, if any.
    pub until: Option<String>,
    /// `codex:allow-file`: the whole file.
    pub file_wide: bool,
    /// New or changed.
    pub change: ChangeKind,
    /// The reason it had in the merge base, when changed.
    pub previous_reason: Option<String>,
}

/// What the change does to the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineChange {
    /// The baseline file, relative to the project root.
    pub path: String,
    /// Entries it adds: findings accepted rather than fixed.
    pub added: Vec<BaselineEntry>,
    /// How many entries it removes (fixed findings; nothing to review).
    pub removed: usize,
}

/// One added baseline entry.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineEntry {
    /// Path of the accepted finding.
    pub path: String,
    /// Its rule.
    pub rule: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Its line when recorded.
    pub line: usize,
    /// Its source line when recorded.
    pub snippet: String,
    /// Why it is accepted, when the entry says.
    pub reason: Option<String>,
}

/// Which part of the Codex a changed file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodexPart {
    /// A rule file in a rule folder.
    Rule,
    /// A rule's fixture or expected output (beside the rule files).
    Fixture,
    /// An incident record.
    Incident,
    /// A `codex.toml`.
    Config,
    /// The baseline.
    Baseline,
}

impl CodexPart {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            CodexPart::Rule => "rule",
            CodexPart::Fixture => "fixture",
            CodexPart::Incident => "incident",
            CodexPart::Config => "config",
            CodexPart::Baseline => "baseline",
        }
    }
}

/// A file of the Codex the change touches.
#[derive(Debug, Clone, Serialize)]
pub struct CodexChange {
    /// Path relative to the project root.
    pub path: String,
    /// How it changed.
    pub status: FileStatus,
    /// What it is.
    pub part: CodexPart,
    /// What a reviewer should look at.
    pub note: String,
}

/// A review rule, once per brief.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRuleBrief {
    /// Code.
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// What to check.
    pub check: String,
    /// Its documentation; `None` when the budget dropped it (see `summary`).
    pub doc: Option<String>,
    /// The first paragraph of its documentation, or its title.
    pub summary: String,
    /// Code that fails the check; `None` when the budget dropped it.
    pub bad: Option<String>,
    /// Code that passes it; `None` when the budget dropped it.
    pub good: Option<String>,
    /// The incidents it was born from.
    pub incidents: Vec<IncidentBrief>,
    /// Link to the rule, when known.
    pub url: Option<String>,
    /// How many hunks it applies to.
    pub hunks: usize,
}

/// An incident a review rule cites.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentBrief {
    /// Id, e.g. `2025-11-18-bot-management-feature-file`.
    pub id: String,
    /// Day it happened.
    pub date: String,
    /// One-line title.
    pub title: String,
    /// What happened; `None` when the budget dropped it.
    pub summary: Option<String>,
}

/// One kind of content the budget left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// Which part: `docs`, `examples`, `incident-summaries`, `signatures`, `quiet-hunks`,
    /// `quiet-files`, `checks`, `files`, `review-rules`, `baseline-entries`, `codex-changes`.
    pub part: &'static str,
    /// How many items.
    pub count: usize,
    /// What was left out, and where to find it.
    pub note: String,
}
