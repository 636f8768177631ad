//! Testing a Codex: each rule's fixtures (`<name>/fail.rs` must fire exactly on the lines
//! marked `//~ CODE`, `<name>/pass.rs` must stay silent, `<name>/fail.stderr` holds the expected
//! human output; `verify/fixture.rs`), what `cargo codex new` left to replace
//! (`verify/placeholder.rs`) and the Codex's integrity. `cargo codex test` and this project's test suite call the same
//! function, as ast-grep's `sg test` does.

mod fixture;
mod placeholder;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::codex::{Codex, Matcher, Overrides};
use crate::config::Settings;

pub use fixture::marked_lines;

/// The outcome of testing one rule.
#[derive(Debug, Clone)]
pub struct RuleResult {
    /// Rule code.
    pub id: String,
    /// Rule name.
    pub name: String,
    /// What failed; empty when the rule passed.
    pub failures: Vec<String>,
}

/// The outcome of testing a Codex.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// One result per rule loaded from disk.
    pub rules: Vec<RuleResult>,
    /// Problems with the Codex as a whole.
    pub integrity: Vec<String>,
}

impl Verification {
    /// Whether every rule and the integrity checks passed.
    pub fn passed(&self) -> bool {
        self.integrity.is_empty() && self.rules.iter().all(|rule| rule.failures.is_empty())
    }
}

/// Makes `settings` load the rules of `cargo codex test DIRS`: the rule folders `dirs`
/// (relative to `cwd`) instead of those of `codex.toml` and of the embedded Codex, with their
/// sibling `codex/` incident folders; and without `codex.toml`'s rule changes.
pub fn select_rule_dirs(settings: &mut Settings, dirs: &[PathBuf], cwd: &Path) {
    if !dirs.is_empty() {
        settings.sources.rule_dirs.clear();
        // Rules tested from disk would clash with their embedded copies.
        settings.sources.embedded = false;
    }
    for dir in dirs {
        let dir = cwd.join(dir);
        if let Some(incidents) = dir.parent().map(|p| p.join("codex")).filter(|p| p.is_dir())
            && !settings.sources.incident_dirs.contains(&incidents)
        {
            settings.sources.incident_dirs.push(incidents);
        }
        if !settings.sources.rule_dirs.contains(&dir) {
            settings.sources.rule_dirs.push(dir);
        }
    }
    // Fixtures test rules as written; stage and severity overrides do not change what matches.
    settings.overrides = Overrides::default();
}

/// Why a run of `cargo codex test` has nothing to test, when no rule was loaded from disk: no
/// rule folder was named or configured, or the folders hold no rule file.
pub fn nothing_to_test(settings: &Settings, verification: &Verification) -> Option<String> {
    if !verification.rules.is_empty() {
        return None;
    }
    let dirs = &settings.sources.rule_dirs;
    if dirs.is_empty() {
        return Some(
            "no rule folder to test: name one (`cargo codex test rules`) or list it in \
             codex.toml (`rule_dirs = [\"rules\"]`)"
                .to_owned(),
        );
    }
    let shown: Vec<String> = dirs
        .iter()
        .map(|dir| crate::codex::load::display_path(dir, &settings.root))
        .collect();
    Some(format!(
        "no rule files (`*.toml`) in {}: `cargo codex new <name> --incident <id>` writes one",
        shown.join(", ")
    ))
}

/// Tests every rule of `codex` that was loaded from disk, and what `cargo codex new` left to
/// replace in them and in the incident records read from disk. With `bless`, missing or
/// outdated `fail.stderr` files are written instead of compared.
pub fn verify(codex: &Codex, bless: bool) -> Verification {
    let mut verification = Verification {
        integrity: integrity(codex),
        ..Verification::default()
    };
    for incident in codex.incidents() {
        if let Some(left) = incident
            .file
            .as_ref()
            .and_then(|path| placeholder::in_toml(path, &incident.origin))
        {
            verification.integrity.push(left);
        }
    }
    for rule in codex.rules() {
        let Some(file) = &rule.file else { continue };
        let dir = file.with_extension("");
        let mut failures = Vec::new();
        failures.extend(placeholder::in_toml(file, &rule.origin));
        // As the project shows it: `rules/<name>/fail.rs`.
        let fixtures = rule.origin.strip_suffix(".toml").unwrap_or(&rule.origin);
        for fixture in ["fail.rs", "pass.rs"] {
            failures.extend(placeholder::in_fixture(
                &dir.join(fixture),
                &format!("{fixtures}/{fixture}"),
            ));
        }
        failures.extend(fixture::test_rule(codex, rule, &dir, bless));
        verification.rules.push(RuleResult {
            id: rule.id.clone(),
            name: rule.name.clone(),
            failures,
        });
    }
    for rule in codex.review_rules() {
        let Some(file) = &rule.file else { continue };
        let mut failures = Vec::new();
        failures.extend(placeholder::in_toml(file, &rule.origin));
        let fixtures = rule.origin.strip_suffix(".toml").unwrap_or(&rule.origin);
        for fixture in ["applies.rs", "not_applies.rs"] {
            failures.extend(placeholder::in_fixture(
                &file.with_extension("").join(fixture),
                &format!("{fixtures}/{fixture}"),
            ));
        }
        failures.extend(super::review::test_rule(rule));
        verification.rules.push(RuleResult {
            id: rule.id.clone(),
            name: rule.name.clone(),
            failures,
        });
    }
    verification
}

/// Problems with the Codex as a whole: incidents naming unknown rules, rules without docs'
/// three headings, messages that do not follow the convention.
pub fn integrity(codex: &Codex) -> Vec<String> {
    let mut problems = Vec::new();
    for incident in codex.incidents() {
        for code in &incident.rules {
            if codex.find(code).is_none() && codex.review_rule(code).is_none() {
                problems.push(format!(
                    "incident {} lists unknown rule {code}",
                    incident.id
                ));
            }
        }
    }
    for rule in codex
        .rules()
        .iter()
        .filter(|r| !matches!(r.matcher, Matcher::Builtin(_)))
    {
        for heading in ["## What it does", "## Why is this bad?", "## Example"] {
            if !rule.doc.contains(heading) {
                problems.push(format!(
                    "{} ({}): doc lacks the heading `{heading}`",
                    rule.id, rule.origin
                ));
            }
        }
        if rule.message.starts_with(|c: char| c.is_uppercase()) || rule.message.ends_with('.') {
            problems.push(format!(
                "{} ({}): message must start lowercase and end without a period",
                rule.id, rule.origin
            ));
        }
        for incident in &rule.incidents {
            let listed = codex
                .incident(incident)
                .is_some_and(|i| i.rules.iter().any(|r| r == &rule.id));
            if !listed {
                problems.push(format!(
                    "{}: incident {incident} does not list this rule in its `rules`",
                    rule.id
                ));
            }
        }
    }
    problems.extend(super::review::integrity(codex));
    problems
}

/// A readable report of `verification`.
pub fn summarize(verification: &Verification) -> String {
    let mut text = String::new();
    for rule in &verification.rules {
        let status = if rule.failures.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        let _ = writeln!(text, "test {} {} ... {status}", rule.id, rule.name);
        for failure in &rule.failures {
            for line in failure.lines() {
                let _ = writeln!(text, "    {line}");
            }
        }
    }
    for problem in &verification.integrity {
        let _ = writeln!(text, "integrity: {problem}");
    }
    let failed = verification
        .rules
        .iter()
        .filter(|r| !r.failures.is_empty())
        .count();
    let passed = verification.rules.len() - failed;
    let _ = writeln!(
        text,
        "{passed} passed, {} failed",
        failed + usize::from(!verification.integrity.is_empty())
    );
    text
}
