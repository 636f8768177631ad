//! The changed-line filter of `--diff` and `--changed-lines-from`: a run narrowed to a change
//! reports the findings on the lines it adds or changes and, when there is a merge base to
//! compare with, the findings the merge base does not have (a change can turn lines it does
//! not touch into production code). Reading the diff is [`crate::select::changes`]'s.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Summary};
use crate::engine::Run;
use crate::select::changes::ChangedLines;

/// Rules of the tool itself saying that code was not checked; see `codex::builtin`.
const NOT_CHECKED: [&str; 3] = ["CX9000", "CX9001", "CX9002"];

/// A rule that ran out of its search budget (CX9007) left the rest of its file unchecked.
const UNCHECKED_TO_THE_END: &str = "CX9007";

/// What a run narrowed to a change keeps.
#[derive(Debug, Clone)]
pub struct ChangeFilter {
    /// The lines the change adds or changes.
    lines: ChangedLines,
    /// The fingerprints of the merge base's findings, when the run has a merge base.
    known: Option<HashSet<String>>,
}

impl ChangeFilter {
    /// Keeps the findings on `lines` and, with `known` (the fingerprints of the merge base's
    /// findings), those the merge base does not have.
    pub fn new(lines: ChangedLines, known: Option<HashSet<String>>) -> Self {
        ChangeFilter { lines, known }
    }

    /// The lines the change adds or changes.
    pub fn lines(&self) -> &ChangedLines {
        &self.lines
    }

    /// Whether findings are compared with a merge base's, so that every file must be checked
    /// (an unchanged file's findings can be new).
    pub fn has_base(&self) -> bool {
        self.known.is_some()
    }

    /// Whether `diagnostic` is reported (and may be fixed): it is about the change, or new
    /// since the merge base.
    pub fn keeps(&self, diagnostic: &Diagnostic) -> bool {
        on_changed_lines(&self.lines, diagnostic)
            || self
                .known
                .as_ref()
                .is_some_and(|known| !known.contains(&diagnostic.fingerprint))
    }

    /// Drops from `run` the findings this filter does not keep, and counts again.
    pub fn apply(&self, run: &mut Run) {
        run.diagnostics.retain(|d| self.keeps(d));
        run.summary = Summary::of(&run.diagnostics, run.summary.files, run.summary.unparsed);
    }
}

/// Whether `diagnostic` is about the change: its first line changed; for a finding that code
/// was not checked (unreadable, unparsable, empty), any line it spans changed; for a rule that
/// ran out of its search budget, any line from there to the end of the file; for a problem of a
/// whole file (line 1, no snippet), the file changed.
pub fn on_changed_lines(changed: &ChangedLines, diagnostic: &Diagnostic) -> bool {
    let path = diagnostic.path.as_str();
    let (first, last) = (diagnostic.start.line, diagnostic.end.line);
    let whole_file = first == 1 && diagnostic.snippet.is_empty();
    if whole_file && changed.touches(path) {
        return true;
    }
    if diagnostic.rule == UNCHECKED_TO_THE_END {
        return changed.overlaps(path, first, usize::MAX);
    }
    if NOT_CHECKED.contains(&diagnostic.rule.as_str()) {
        return changed.overlaps(path, first, last.max(first));
    }
    changed.contains(path, first)
}

#[cfg(test)]
mod tests {
    use std::ops::RangeInclusive;

    use super::*;
    use crate::codex::Builtin;
    use crate::diagnostic::Location;
    use crate::text::Position;

    /// The filter of a `--changed-lines-from` run reading `diff`: no merge base.
    fn parse(diff: &str) -> ChangeFilter {
        ChangeFilter::new(ChangedLines::parse(diff).unwrap(), None)
    }

    fn diagnostic(rule: &str, lines: RangeInclusive<usize>, snippet: &str) -> Diagnostic {
        let mut rule_data = Builtin::UnparsableSource.rule().unwrap();
        rule_data.id = rule.to_owned();
        let location = Location {
            path: "src/lib.rs".to_owned(),
            start: Position {
                line: *lines.start(),
                column: 1,
            },
            end: Position {
                line: *lines.end(),
                column: 1,
            },
            snippet: crate::text::Excerpt::whole(snippet),
            item: None,
            scope: crate::codex::Scope::Prod,
        };
        Diagnostic::new(&rule_data, location, None)
    }

    #[test]
    fn not_checked_findings_are_kept_when_any_line_they_span_changed() {
        let changed = parse("--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -6,0 +7 @@\n+x.unwrap();\n");
        assert!(changed.keeps(&diagnostic("CX0001", 7..=7, "x.unwrap();")));
        assert!(!changed.keeps(&diagnostic("CX0001", 5..=9, "fn f() {")));
        for rule in NOT_CHECKED {
            assert!(
                changed.keeps(&diagnostic(rule, 5..=9, "fn f() {")),
                "{rule}"
            );
            assert!(!changed.keeps(&diagnostic(rule, 8..=9, "}")), "{rule}");
            assert!(
                !changed.keeps(&diagnostic(rule, 2..=6, "fn f() {")),
                "{rule}"
            );
        }
        // A problem of the whole file is kept when the file changed at all.
        assert!(changed.keeps(&diagnostic("CX9000", 1..=1, "")));
        assert!(!changed.keeps(&diagnostic("CX9000", 1..=1, "use x;")));
        let renamed =
            parse("diff --git a/old.rs b/src/lib.rs\nrename from old.rs\nrename to src/lib.rs\n");
        assert!(renamed.keeps(&diagnostic("CX9002", 1..=1, "")));
        assert!(!renamed.keeps(&diagnostic("CX9001", 1..=3, "fn f(")));
        // A rule out of budget at line 3 left lines 3 to the end unchecked: line 7 changed.
        assert!(changed.keeps(&diagnostic("CX9007", 3..=3, "&&&x")));
        assert!(!changed.keeps(&diagnostic("CX9007", 8..=8, "&&&x")));
    }
}
