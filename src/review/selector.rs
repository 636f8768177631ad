//! Where review rules apply. A rule's code selector is its `[match]` table, compiled as a
//! finding rule's; to find its matches, the review rules with one become the rules of a Codex
//! of their own, checked over the changed files by the same engine ([`engine::check`]: one
//! walk per file, scopes, macros, `use` resolution). A match is never reported: it only says
//! where the rule applies, and a suppression comment cannot hide it from the reviewer.

use std::collections::HashMap;
use std::path::PathBuf;

use super::brief::Hunk;
use crate::codex::review::{ReviewRule, Within};
use crate::codex::{Codex, Narrowing, Rule, Severity, Stage};
use crate::diagnostic::Diagnostic;
use crate::engine::{self, Inputs};

/// The matches of each review rule's code selector, by rule code, then by path: sorted lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matches {
    lines: HashMap<String, HashMap<String, Vec<usize>>>,
}

impl Matches {
    /// Lines of `path` where `rule`'s code selector matches, sorted.
    pub(crate) fn lines(&self, rule: &str, path: &str) -> &[usize] {
        self.lines
            .get(rule)
            .and_then(|files| files.get(path))
            .map_or(&[], Vec::as_slice)
    }
}

/// The matches of `rules`' code selectors in the files of `inputs`. With `keep_paths` false,
/// the `[match]` table's own `paths` and `exclude_paths` are left out (fixtures sit in the
/// rule folder, not where the rule aims).
pub(crate) fn matches(rules: &[&ReviewRule], inputs: &Inputs, keep_paths: bool) -> Matches {
    let selectors: Vec<Rule> = rules
        .iter()
        .filter_map(|rule| as_rule(rule, keep_paths))
        .collect();
    let mut found = Matches::default();
    if selectors.is_empty() || inputs.files.is_empty() {
        return found;
    }
    let codex = Codex::new(selectors, Vec::new());
    let run = engine::check(&codex, inputs);
    let hits = run
        .diagnostics
        .iter()
        .chain(run.suppressed.iter().map(|s| &s.diagnostic));
    for Diagnostic {
        rule, path, start, ..
    } in hits
    {
        found
            .lines
            .entry(rule.clone())
            .or_default()
            .entry(path.clone())
            .or_default()
            .push(start.line);
    }
    for files in found.lines.values_mut() {
        for lines in files.values_mut() {
            lines.sort_unstable();
            lines.dedup();
        }
    }
    found
}

/// The finding rule whose findings are `rule`'s code selector's matches; `None` without one.
fn as_rule(rule: &ReviewRule, keep_paths: bool) -> Option<Rule> {
    let code = rule.selector.code.as_ref()?;
    let narrowing = if keep_paths {
        code.narrowing.clone()
    } else {
        Narrowing {
            paths: None,
            exclude_paths: None,
            ..code.narrowing.clone()
        }
    };
    Some(Rule {
        id: rule.id.clone(),
        name: rule.name.clone(),
        title: rule.title.clone(),
        severity: Severity::Info,
        stage: Stage::Shadow,
        enforce_paths: None,
        incidents: Vec::new(),
        scopes: code.scopes.clone(),
        clippy: None,
        const_contexts: true,
        message: rule.title.clone(),
        help: None,
        doc: String::new(),
        matcher: code.matcher.clone(),
        narrowing,
        fix: None,
        origin: rule.origin.clone(),
        file: None,
        url: None,
    })
}

/// Whether `rule` applies to `hunk` of the file at `path`, whose enclosing function spans
/// `function` (first and last line), given the code selectors' `matches`.
pub(crate) fn applies(
    rule: &ReviewRule,
    path: &str,
    hunk: &Hunk,
    function: Option<(usize, usize)>,
    matches: &Matches,
) -> bool {
    if !rule.selector.admits_path(path) {
        return false;
    }
    let Some(code) = &rule.selector.code else {
        return true;
    };
    let lines = matches.lines(&rule.id, path);
    let (first, last) = match code.within {
        Within::Change if hunk.new_lines == 0 => return false,
        Within::Change => (hunk.new_start, hunk.new_end()),
        Within::Function => function.unwrap_or((hunk.new_start, hunk.new_end())),
        Within::File => return !lines.is_empty(),
    };
    let next = lines.partition_point(|&line| line < first);
    lines.get(next).is_some_and(|&line| line <= last)
}

/// The inputs that check `files` (absolute paths of changed Rust files) for the selectors:
/// their parents are read for the module tree, so that test code is told apart.
pub(crate) fn inputs(settings: &crate::config::Settings, files: Vec<PathBuf>) -> Inputs {
    if files.is_empty() {
        return Inputs::default();
    }
    let selection = crate::select::Selection {
        paths: files,
        ..crate::select::Selection::of(&settings.root)
    };
    crate::select::inputs(settings, &selection, None, None)
}
