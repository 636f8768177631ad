//! Counts over the findings a format shows: by rule, by file, fixable, enforced. The terminal
//! summary, `--statistics` and the merge-request comment are all drawn from one [`Tally`].

use std::collections::HashMap;

use super::Level;
use crate::codex::Applicability;
use crate::diagnostic::Diagnostic;

/// What a format's findings add up to.
#[derive(Debug, Default)]
pub(super) struct Tally<'a> {
    /// One entry per rule, most findings first, then by code.
    pub(super) rules: Vec<RuleCount<'a>>,
    /// One entry per file, in the order the findings come (by path, as reports sort them).
    pub(super) files: Vec<FileCount<'a>>,
    /// Findings shown.
    pub(super) findings: usize,
    /// Findings that fail the run.
    pub(super) enforced: usize,
    /// Findings `--fix` fixes.
    pub(super) safe_fixes: usize,
    /// Findings only `--fix --unsafe-fixes` fixes.
    pub(super) unsafe_fixes: usize,
}

/// The findings of one rule.
#[derive(Debug)]
pub(super) struct RuleCount<'a> {
    /// Its first finding, for the code, name, title and stage.
    pub(super) first: &'a Diagnostic,
    /// How many.
    pub(super) count: usize,
    /// The most prominent level among them.
    pub(super) level: Level,
    /// How many `--fix` fixes.
    pub(super) safe_fixes: usize,
    /// How many only `--fix --unsafe-fixes` fixes.
    pub(super) unsafe_fixes: usize,
}

/// The findings of one file.
#[derive(Debug)]
pub(super) struct FileCount<'a> {
    /// Its path, relative to the project root.
    pub(super) path: &'a str,
    /// How many.
    pub(super) count: usize,
}

impl<'a> Tally<'a> {
    /// Counts `diagnostics`.
    pub(super) fn of(diagnostics: &[&'a Diagnostic]) -> Self {
        let mut tally = Tally {
            findings: diagnostics.len(),
            ..Tally::default()
        };
        let mut by_rule: HashMap<&str, usize> = HashMap::new();
        let mut by_file: HashMap<&str, usize> = HashMap::new();
        for &d in diagnostics {
            let level = Level::of_diagnostic(d);
            let (safe, unsafe_) = match d.fix.as_ref().map(|fix| fix.applicability) {
                Some(Applicability::Safe) => (1, 0),
                Some(Applicability::Unsafe) => (0, 1),
                Some(Applicability::DisplayOnly) | None => (0, 0),
            };
            tally.enforced += usize::from(d.is_enforced());
            tally.safe_fixes += safe;
            tally.unsafe_fixes += unsafe_;
            let index = *by_rule.entry(&d.rule).or_insert_with(|| {
                tally.rules.push(RuleCount {
                    first: d,
                    count: 0,
                    level,
                    safe_fixes: 0,
                    unsafe_fixes: 0,
                });
                tally.rules.len() - 1
            });
            if let Some(rule) = tally.rules.get_mut(index) {
                rule.count += 1;
                rule.level = rule.level.min(level);
                rule.safe_fixes += safe;
                rule.unsafe_fixes += unsafe_;
            }
            let index = *by_file.entry(&d.path).or_insert_with(|| {
                tally.files.push(FileCount {
                    path: &d.path,
                    count: 0,
                });
                tally.files.len() - 1
            });
            if let Some(file) = tally.files.get_mut(index) {
                file.count += 1;
            }
        }
        tally.rules.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.first.rule.cmp(&b.first.rule))
        });
        tally
    }
}

/// `count noun`, with the noun in the plural unless the count is one (`1 file`, `2 entries`).
pub(super) fn plural(count: usize, noun: &str) -> String {
    match (count, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        _ => format!("{count} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::Stage;
    use crate::diagnostic::Fix;
    use crate::report::tests::sample;

    #[test]
    fn counts_by_rule_file_and_fix() {
        let mut a = sample("src/a.rs", 1, "m");
        a.fix = Some(Fix {
            applicability: Applicability::Safe,
            description: "d".to_owned(),
            start: a.start,
            end: a.end,
            replacement: "?".to_owned(),
        });
        let b = sample("src/a.rs", 2, "m");
        let mut c = sample("src/b.rs", 1, "m");
        c.rule = "CX0002".to_owned();
        c.stage = Stage::Warn;
        let all = [&a, &b, &c];
        let tally = Tally::of(&all);
        assert_eq!(
            (tally.findings, tally.enforced, tally.safe_fixes),
            (3, 2, 1)
        );
        let rules: Vec<(&str, usize, Level)> = tally
            .rules
            .iter()
            .map(|r| (r.first.rule.as_str(), r.count, r.level))
            .collect();
        assert_eq!(
            rules,
            [("CX0001", 2, Level::Error), ("CX0002", 1, Level::Warning)]
        );
        let files: Vec<(&str, usize)> = tally.files.iter().map(|f| (f.path, f.count)).collect();
        assert_eq!(files, [("src/a.rs", 2), ("src/b.rs", 1)]);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "finding"), "1 finding");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(2, "stale entry"), "2 stale entries");
    }
}
