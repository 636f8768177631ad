//! Diagnostics as plain data: what every output format renders, and nothing about rendering.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::codex::{Rule, Scope, Severity, Stage};
use crate::text::{Excerpt, Position};

/// One finding: which rule fired, where, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Rule code, e.g. `CX0001`.
    pub rule: String,
    /// Rule name, e.g. `unwrap-outside-tests`.
    pub name: String,
    /// Rule title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Rollout stage.
    pub stage: Stage,
    /// Path relative to the project root, `/`-separated.
    pub path: String,
    /// Start of the offending token (1-based line, 1-based character column).
    pub start: Position,
    /// End of the offending token, exclusive.
    pub end: Position,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The source lines the finding spans: a bounded excerpt, so a long line is cut to a
    /// window around the finding (its `column` says where the window starts).
    pub snippet: Excerpt,
    /// Enclosing item path, e.g. `config::Loader::load`; `None` at file level.
    pub item: Option<String>,
    /// Kind of code the finding is in.
    pub scope: Scope,
    /// Incidents the rule was born from.
    pub incidents: Vec<String>,
    /// Link to the rule.
    pub url: Option<String>,
    /// Stable identity of the finding across unrelated edits; see [`assign_fingerprints`].
    pub fingerprint: String,
    /// A second place the finding is about, e.g. the first unvalidated use of a value.
    pub related: Option<Related>,
    /// A suggested edit.
    pub fix: Option<Fix>,
}

/// A suggested edit: replace the text from `start` to `end` (same file) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// How safe it is to apply.
    pub applicability: crate::codex::Applicability,
    /// What it does.
    pub description: String,
    /// Start of the replaced text.
    pub start: Position,
    /// End of the replaced text, exclusive.
    pub end: Position,
    /// The new text.
    pub replacement: String,
}

/// A finding that a suppression comment or a clippy `allow` excused, with its justification.
/// Only formats that record suppressions (SARIF) show these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// The finding.
    pub diagnostic: Diagnostic,
    /// Why it is acceptable, as written in the suppression.
    pub justification: String,
}

/// A secondary location of a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Where, in the same file.
    pub start: Position,
    /// Its source line, a bounded excerpt.
    pub snippet: Excerpt,
    /// What happens there.
    pub message: String,
}

/// Where a diagnostic points, before it is tied to a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the project root.
    pub path: String,
    /// Start position.
    pub start: Position,
    /// End position, exclusive.
    pub end: Position,
    /// The lines spanned, a bounded excerpt.
    pub snippet: Excerpt,
    /// Enclosing item path.
    pub item: Option<String>,
    /// Scope of the code.
    pub scope: Scope,
}

impl Diagnostic {
    /// A diagnostic of `rule` at `location`; `message` replaces the rule's own when given.
    pub fn new(rule: &Rule, location: Location, message: Option<String>) -> Self {
        Diagnostic {
            rule: rule.id.clone(),
            name: rule.name.clone(),
            title: rule.title.clone(),
            severity: rule.severity,
            stage: rule.stage_at(&location.path),
            path: location.path,
            start: location.start,
            end: location.end,
            message: message.unwrap_or_else(|| rule.message.clone()),
            help: rule.help.clone(),
            snippet: location.snippet,
            item: location.item,
            scope: location.scope,
            incidents: rule.incidents.clone(),
            url: rule.url.clone(),
            fingerprint: String::new(),
            related: None,
            fix: None,
        }
    }

    /// Whether this finding makes the run fail.
    pub fn is_enforced(&self) -> bool {
        self.stage == Stage::Enforce
    }

    /// The line holding the start of the finding.
    pub fn first_line(&self) -> &str {
        self.snippet.first_line()
    }
}

/// Sorts diagnostics by (path, start, rule): a parallel run gives byte-identical output.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(order);
}

/// The report order: path, start, rule, then end and message to break ties.
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (&a.path, a.start, &a.rule, a.end, &a.message)
        .cmp(&(&b.path, b.start, &b.rule, b.end, &b.message))
}

/// Gives each diagnostic a fingerprint built from its rule, path, enclosing item and the
/// whitespace-normalized line it is on, plus its rank among identical findings. Line numbers
/// are left out, so adding lines above, reformatting other code or renaming another function
/// changes nothing; two identical findings in one function stay distinct by rank.
///
/// `diagnostics` must already be sorted.
pub fn assign_fingerprints(diagnostics: &mut [Diagnostic]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for diagnostic in diagnostics.iter_mut() {
        let normalized: Vec<&str> = diagnostic.first_line().split_whitespace().collect();
        let key = format!(
            "{}\0{}\0{}\0{}",
            diagnostic.rule,
            diagnostic.path,
            diagnostic.item.as_deref().unwrap_or(""),
            normalized.join(" ")
        );
        let rank = seen.entry(key.clone()).or_insert(0);
        let mut hasher = Sha256::new();
        hasher.update(key.as_bytes());
        hasher.update(b"\0");
        hasher.update(rank.to_string().as_bytes());
        *rank += 1;
        let digest = hasher.finalize();
        diagnostic.fingerprint = hex::encode(&digest[..16]);
    }
}

/// Counts for the end of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Files (or parts of files) that could not be read or parsed.
    pub unparsed: usize,
    /// Diagnostics reported.
    pub diagnostics: usize,
    /// Diagnostics of enforced rules.
    pub enforced: usize,
    /// Findings hidden by the baseline.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
    /// Baseline entries that no longer occur (the baseline can shrink).
    #[serde(skip_serializing_if = "is_zero")]
    pub baseline_stale: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes fields by reference
fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl Summary {
    /// Summarizes `diagnostics` over `files` files, `unparsed` of which could not be checked.
    pub fn of(diagnostics: &[Diagnostic], files: usize, unparsed: usize) -> Self {
        Summary {
            files,
            unparsed,
            diagnostics: diagnostics.len(),
            enforced: diagnostics.iter().filter(|d| d.is_enforced()).count(),
            baselined: 0,
            baseline_stale: 0,
        }
    }
}
