//! How prominently a finding is shown, the same in every format: its rule's stage decides, and
//! the rule's severity can only lower a finding that does not fail the run.
//!
//! | stage     | shown as                                    | formats                    |
//! | --------- | ------------------------------------------- | -------------------------- |
//! | `enforce` | error (the run fails)                       | all                        |
//! | `warn`    | warning; a note when the severity is `info` | all                        |
//! | `shadow`  | nothing (SARIF level `none`)                | `json` and `sarif` only    |
//!
//! A `warn`-stage rule of severity `error` is a warning: it does not fail the run, so it must
//! not read as if it did (issue 10).

use anstyle::{Ansi256Color, AnsiColor, Style};

use crate::codex::{Severity, Stage};
use crate::diagnostic::Diagnostic;

/// How a finding is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// An enforced finding: the run fails.
    Error,
    /// A `warn`-stage finding.
    Warning,
    /// A `warn`-stage finding of an `info` rule.
    Note,
    /// A `shadow`-stage finding: recorded by machine formats, shown to no one.
    Silent,
}

impl Level {
    /// The level of a finding of `severity` at `stage`.
    pub fn of(stage: Stage, severity: Severity) -> Level {
        match (stage, severity) {
            (Stage::Enforce, _) => Level::Error,
            (Stage::Warn, Severity::Info) => Level::Note,
            (Stage::Warn, _) => Level::Warning,
            (Stage::Shadow, _) => Level::Silent,
        }
    }

    /// The level of `diagnostic`.
    pub fn of_diagnostic(diagnostic: &Diagnostic) -> Level {
        Level::of(diagnostic.stage, diagnostic.severity)
    }

    /// The lowercase name, as SARIF spells it: `error`, `warning`, `note`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Silent => "none",
        }
    }

    /// Its colour on a terminal, as rustc and ruff colour them.
    pub(super) fn style(self) -> Style {
        match self {
            Level::Error => Style::new().fg_color(Some(AnsiColor::Red.into())),
            Level::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            Level::Note | Level::Silent => Style::new().fg_color(Some(Ansi256Color(147).into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_decides_and_severity_only_lowers_a_warning() {
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            assert_eq!(Level::of(Stage::Enforce, severity), Level::Error);
            assert_eq!(Level::of(Stage::Shadow, severity), Level::Silent);
        }
        assert_eq!(Level::of(Stage::Warn, Severity::Error), Level::Warning);
        assert_eq!(Level::of(Stage::Warn, Severity::Warning), Level::Warning);
        assert_eq!(Level::of(Stage::Warn, Severity::Info), Level::Note);
    }
}
