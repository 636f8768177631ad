//! Testing a Codex: each rule's fixtures (`<name>/fail.rs` must fire exactly on the lines
//! marked `//~ CODE`, `<name>/pass.rs` must stay silent, `<name>/fail.stderr` holds the expected
//! human output) and the Codex's integrity. `cargo codex test` and this project's test suite
//! call the same function, as ast-grep's `sg test` does.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::codex::{Codex, Matcher, Overrides, Rule};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Summary};
use crate::engine::{self, Inputs};
use crate::report::{self, Format};

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
/// (relative to `cwd`) with their sibling `codex/` incident folders, instead of the embedded
/// Codex, and without `codex.toml`'s rule changes.
pub fn select_rule_dirs(settings: &mut Settings, dirs: &[PathBuf], cwd: &Path) {
    for dir in dirs {
        let dir = cwd.join(dir);
        if let Some(incidents) = dir.parent().map(|p| p.join("codex")).filter(|p| p.is_dir()) {
            if !settings.sources.incident_dirs.contains(&incidents) {
                settings.sources.incident_dirs.push(incidents);
            }
        }
        if !settings.sources.rule_dirs.contains(&dir) {
            settings.sources.rule_dirs.push(dir);
        }
    }
    if !dirs.is_empty() {
        // Rules tested from disk would clash with their embedded copies.
        settings.sources.embedded = false;
    }
    // Fixtures test rules as written; stage and severity overrides do not change what matches.
    settings.overrides = Overrides::default();
}

/// Tests every rule of `codex` that was loaded from disk. With `bless`, missing or outdated
/// `fail.stderr` files are written instead of compared.
pub fn verify(codex: &Codex, bless: bool) -> Verification {
    let mut verification = Verification {
        integrity: integrity(codex),
        ..Verification::default()
    };
    for rule in codex.rules() {
        let Some(file) = &rule.file else { continue };
        let failures = test_rule(codex, rule, &file.with_extension(""), bless);
        verification.rules.push(RuleResult {
            id: rule.id.clone(),
            name: rule.name.clone(),
            failures,
        });
    }
    for rule in codex
        .review_rules()
        .iter()
        .filter(|rule| rule.file.is_some())
    {
        verification.rules.push(RuleResult {
            id: rule.id.clone(),
            name: rule.name.clone(),
            failures: super::review::test_rule(rule),
        });
    }
    verification
}

fn test_rule(codex: &Codex, rule: &Rule, dir: &Path, bless: bool) -> Vec<String> {
    let mut failures = Vec::new();
    let root = dir.parent().unwrap_or(dir).to_path_buf();
    for (fixture, must_fire) in [("fail.rs", true), ("pass.rs", false)] {
        let path = dir.join(fixture);
        let Ok(text) = fs::read_to_string(&path) else {
            failures.push(format!("missing fixture {}", path.display()));
            continue;
        };
        let found = run(codex, rule, &root, &path);
        let found_lines: Vec<usize> = found.iter().map(|d| d.start.line).collect();
        let expected = if must_fire {
            marked_lines(&text, &rule.id)
        } else {
            Vec::new()
        };
        if must_fire && expected.is_empty() {
            failures.push(format!("{fixture} marks no line with `//~ {}`", rule.id));
        }
        if found_lines != expected {
            failures.push(line_diff(fixture, &expected, &found_lines));
        }
        if must_fire {
            compare_stderr(&found, &dir.join("fail.stderr"), bless, &mut failures);
        }
    }
    failures
}

fn run(codex: &Codex, rule: &Rule, root: &Path, path: &Path) -> Vec<Diagnostic> {
    let inputs = Inputs {
        root: root.to_path_buf(),
        files: vec![path.to_path_buf()],
        max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        ..Inputs::default()
    };
    engine::check(codex, &inputs)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == rule.id)
        .collect()
}

/// Lines carrying `//~ CODE` (the finding is on that line) or `//~^ CODE` (on the line above).
pub fn marked_lines(text: &str, code: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("//~") {
            rest = &rest[at + 3..];
            let ups = rest.chars().take_while(|&c| c == '^').count();
            let marked = rest[ups..]
                .split_whitespace()
                .take_while(|word| !word.starts_with("//"));
            let count = marked
                .filter(|word| word.trim_end_matches(',') == code)
                .count();
            lines.extend(std::iter::repeat_n((index + 1).saturating_sub(ups), count));
        }
    }
    lines.sort_unstable();
    lines
}

fn line_diff(fixture: &str, expected: &[usize], found: &[usize]) -> String {
    let missing: Vec<String> = expected
        .iter()
        .filter(|l| !found.contains(l))
        .map(ToString::to_string)
        .collect();
    let extra: Vec<String> = found
        .iter()
        .filter(|l| !expected.contains(l))
        .map(ToString::to_string)
        .collect();
    let mut text = format!("{fixture}: expected findings on lines {expected:?}, found {found:?}");
    if !missing.is_empty() {
        let _ = write!(
            text,
            "\n  - expected but not found: line {}",
            missing.join(", ")
        );
    }
    if !extra.is_empty() {
        let _ = write!(
            text,
            "\n  + found but not expected: line {}",
            extra.join(", ")
        );
    }
    text
}

fn compare_stderr(found: &[Diagnostic], path: &PathBuf, bless: bool, failures: &mut Vec<String>) {
    let mut rendered = Vec::new();
    let summary = Summary::of(found, 1, 0);
    let context = report::Context::default();
    if report::render(Format::Human, &mut rendered, found, &summary, &context).is_err() {
        failures.push("cannot render the human output".to_owned());
        return;
    }
    let rendered = String::from_utf8_lossy(&rendered).into_owned();
    match fs::read_to_string(path) {
        Ok(expected) if expected == rendered => {}
        _ if bless => {
            if let Err(error) = fs::write(path, &rendered) {
                failures.push(format!("cannot write {}: {error}", path.display()));
            }
        }
        Ok(expected) => failures.push(format!(
            "{} differs from the output (run with --bless to update):\n--- expected\n{expected}\n+++ actual\n{rendered}",
            path.display()
        )),
        Err(_) => failures.push(format!("missing {} (run with --bless to write it)", path.display())),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_on_the_line_and_above() {
        let text =
            "a.unwrap(); //~ CX0001\nb.unwrap(); c.unwrap(); //~ CX0001 CX0001\n//~^ CX0002\n";
        assert_eq!(marked_lines(text, "CX0001"), [1, 2, 2]);
        assert_eq!(marked_lines(text, "CX0002"), [2]);
    }
}
