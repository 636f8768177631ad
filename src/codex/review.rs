//! Review rules: checks that only a reviewer (a person or a review bot) can judge, such as
//! "every generated config file has a size limit and a last-known-good fallback". A review rule
//! never produces a finding; the review brief ([`crate::review`]) lists it beside the changed
//! code it applies to, with its check, examples and incident.
//!
//! Where a rule applies is its [`Selector`]: path globs, and optionally the same `[match]` table
//! finding rules use, compiled by the same code, so that the selectors grow with the rule
//! language. Reading the TOML is [`crate::codex::load`]'s.

use std::path::PathBuf;

use globset::GlobSet;

use super::{Matcher, Narrowing, Scope};

/// The value of `kind` that makes a rule file a review rule.
pub const KIND: &str = "review";

/// One review rule, loaded and validated.
#[derive(Debug, Clone)]
pub struct ReviewRule {
    /// Short stable code, e.g. `CX0101`: unique among all the Codex's rules.
    pub id: String,
    /// Kebab-case name, the rule file's stem.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// What a reviewer checks, in plain language.
    pub check: String,
    /// Code that fails the check.
    pub bad: String,
    /// Code that passes it.
    pub good: String,
    /// Incident ids the rule was born from.
    pub incidents: Vec<String>,
    /// Markdown documentation (may be empty).
    pub doc: String,
    /// Where the rule applies.
    pub selector: Selector,
    /// Where the rule came from: `rules/x.toml` inside the binary, or a path on disk.
    pub origin: String,
    /// The rule file on disk, when it was loaded from one (its fixtures sit beside it).
    pub file: Option<PathBuf>,
    /// A link to the rule, when one is known.
    pub url: Option<String>,
}

/// Where a review rule applies: changed code in files its paths admit and, when it has a code
/// selector, only where that selector matches.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    /// Only files matching these globs (relative to the project root); `None` for every file
    /// (every Rust file when there is a code selector).
    pub paths: Option<GlobSet>,
    /// Never files matching these globs.
    pub exclude_paths: Option<GlobSet>,
    /// The globs of `paths` and `exclude_paths` as written, for people.
    pub globs: Vec<String>,
    /// Code the change must match, if any.
    pub code: Option<CodeSelector>,
}

impl Selector {
    /// Whether a change to the file at `path` (relative, `/`-separated) is in reach.
    pub fn admits_path(&self, path: &str) -> bool {
        self.paths.as_ref().is_none_or(|set| set.is_match(path))
            && !self
                .exclude_paths
                .as_ref()
                .is_some_and(|set| set.is_match(path))
    }
}

/// The code a change must match for a review rule to apply: a `[match]` table compiled as a
/// finding rule's, run over the changed Rust files in the same single walk.
#[derive(Debug, Clone)]
pub struct CodeSelector {
    /// What it matches.
    pub matcher: Matcher,
    /// The `[match]` table's own narrowing (`paths`, `inside_fn`…).
    pub narrowing: Narrowing,
    /// Scopes in which a match counts.
    pub scopes: Vec<Scope>,
    /// How near the change a match must be.
    pub within: Within,
}

/// How near a change a code selector's match must be for the rule to apply to it (after
/// reviewdog's filter modes: added lines, diff context, file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Within {
    /// On a line the change adds or modifies.
    Change,
    /// In the function enclosing the change (the change itself outside any function).
    #[default]
    Function,
    /// Anywhere in the changed file.
    File,
}

impl Within {
    /// The name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Within::Change => "change",
            Within::Function => "function",
            Within::File => "file",
        }
    }

    /// The value named `text`, as written in a rule file.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "change" => Some(Within::Change),
            "function" => Some(Within::Function),
            "file" => Some(Within::File),
            _ => None,
        }
    }
}
