//! `--select` and `--ignore`: which rules' findings a run reports and fixes. A selector is a
//! rule's code (`CX0001`), its name (`unwrap-outside-tests`) or a prefix of codes (`CX00`).
//!
//! As in ruff, `--select` replaces the set of rules (all of them without it) and `--ignore`
//! takes from it; when both name a rule, the more specific selector wins (a code or a name over
//! any prefix, a longer prefix over a shorter one), and `--ignore` wins a tie. Every rule still
//! runs, so suppressions of a rule left out are still used, not reported as unused; only what
//! is reported and fixed changes. Files that could not be checked at all (CX9000, CX9001), and
//! rules whose searches ran out of budget in a file (CX9007), are reported whatever `--select`
//! says, unless `--ignore` names them: a narrowed run must not pass because the file it was
//! about does not parse or exhausts the rule.

use std::collections::HashSet;

use crate::codex::{Builtin, Codex, Matcher, Rule};
use crate::diagnostic::{Diagnostic, Summary};
use crate::engine::Run;

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{flag} `{selector}`: no rule has this code or name, and no code starts with it; \
     `cargo codex rules` lists them"
)]
pub struct UnknownSelector {
    /// `--select` or `--ignore`.
    pub flag: &'static str,
    /// The selector as written.
    pub selector: String,
}

/// The rules whose findings a run keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFilter {
    kept: HashSet<String>,
}

impl RuleFilter {
    /// The filter `--select select --ignore ignore` makes of `codex`'s rules; `None` when both
    /// are empty (every rule is kept).
    ///
    /// # Errors
    ///
    /// The first selector, in `--select` then `--ignore`, that matches no rule.
    pub fn new(
        codex: &Codex,
        select: &[String],
        ignore: &[String],
    ) -> Result<Option<RuleFilter>, UnknownSelector> {
        if select.is_empty() && ignore.is_empty() {
            return Ok(None);
        }
        for (flag, selectors) in [("--select", select), ("--ignore", ignore)] {
            if let Some(unknown) = selectors.iter().find(|s| {
                codex
                    .rules()
                    .iter()
                    .all(|rule| specificity(s, rule).is_none())
            }) {
                return Err(UnknownSelector {
                    flag,
                    selector: unknown.clone(),
                });
            }
        }
        let best = |selectors: &[String], rule: &Rule| {
            selectors.iter().filter_map(|s| specificity(s, rule)).max()
        };
        let kept = codex
            .rules()
            .iter()
            .filter(|rule| {
                let selected = if select.is_empty() || is_not_checked(rule) {
                    best(select, rule).or(Some(0))
                } else {
                    best(select, rule)
                };
                match (selected, best(ignore, rule)) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(selected), Some(ignored)) => selected > ignored,
                }
            })
            .map(|rule| rule.id.clone())
            .collect();
        Ok(Some(RuleFilter { kept }))
    }

    /// Whether the findings of the rule with this code are kept.
    pub fn keeps(&self, rule: &str) -> bool {
        self.kept.contains(rule)
    }

    /// Leaves in `run` the findings (reported and suppressed) of the kept rules, and counts
    /// again.
    pub fn apply(&self, run: &mut Run) {
        run.diagnostics.retain(|d| self.keeps(&d.rule));
        run.suppressed.retain(|s| self.keeps(&s.diagnostic.rule));
        run.summary = Summary::of(&run.diagnostics, run.summary.files, run.summary.unparsed);
    }

    /// Whether `diagnostic` is kept.
    pub fn keeps_diagnostic(&self, diagnostic: &Diagnostic) -> bool {
        self.keeps(&diagnostic.rule)
    }
}

/// How specifically `selector` names `rule`: a code or a name most, a prefix of the code by its
/// length; `None` when it does not name it.
fn specificity(selector: &str, rule: &Rule) -> Option<usize> {
    if selector == rule.id || selector == rule.name {
        Some(usize::MAX)
    } else if !selector.is_empty() && rule.id.starts_with(selector) {
        Some(selector.len())
    } else {
        None
    }
}

/// The built-in rules saying that a file, or a rule in it, was not checked.
fn is_not_checked(rule: &Rule) -> bool {
    matches!(
        rule.matcher,
        Matcher::Builtin(
            Builtin::UnreadableSource
                | Builtin::UnparsableSource
                | Builtin::RuleSearchBudgetExhausted
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::Sources;
    use crate::codex::load::load;

    fn codex() -> Codex {
        let sources = Sources {
            embedded: true,
            ..Sources::default()
        };
        load(&sources, &crate::codex::Overrides::default()).unwrap()
    }

    fn kept(select: &[&str], ignore: &[&str]) -> Vec<String> {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let codex = codex();
        let filter = RuleFilter::new(&codex, &owned(select), &owned(ignore))
            .unwrap()
            .unwrap();
        let mut kept: Vec<String> = filter.kept.into_iter().collect();
        kept.sort();
        kept
    }

    #[test]
    fn codes_names_and_prefixes_with_the_more_specific_winning() {
        assert_eq!(
            kept(&["CX0001", "expect-outside-tests"], &[]),
            ["CX0001", "CX0002", "CX9000", "CX9001", "CX9007"]
        );
        assert_eq!(
            kept(&["CX000"], &["CX0004", "CX0005", "CX0006", "CX9"]),
            ["CX0001", "CX0002", "CX0003"]
        );
        assert_eq!(
            kept(&["CX0001"], &["CX00"]),
            ["CX0001", "CX9000", "CX9001", "CX9007"],
            "a code beats a prefix"
        );
        assert_eq!(
            kept(&["CX0001"], &["CX0001"]),
            ["CX9000", "CX9001", "CX9007"],
            "a tie ignores"
        );
        assert_eq!(kept(&[], &["CX9"]).len(), 6);
        assert!(RuleFilter::new(&codex(), &[], &[]).unwrap().is_none());
    }

    #[test]
    fn a_selector_naming_no_rule_is_an_error() {
        let error =
            RuleFilter::new(&codex(), &["CX0001".to_owned()], &["CX42".to_owned()]).unwrap_err();
        assert_eq!(error.flag, "--ignore");
        assert!(error.to_string().starts_with("--ignore `CX42`: no rule"));
        assert!(RuleFilter::new(&codex(), &["cx0001".to_owned()], &[]).is_err());
    }
}
