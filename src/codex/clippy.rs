//! What cargo-codex knows of clippy's lints, so that a clippy lint attribute silences a rule
//! exactly where it would silence clippy: the lint each form a rule matches falls under, the
//! groups of those lints, and the names clippy renamed.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Lints whose group we know, with that group. Restriction lints are in no wider group:
/// `clippy::all` covers `correctness`, `suspicious`, `style`, `complexity` and `perf` only.
const GROUPS: &[(&str, &str)] = &[
    ("unwrap_used", "restriction"),
    ("expect_used", "restriction"),
    ("panic", "restriction"),
    ("todo", "restriction"),
    ("unimplemented", "restriction"),
    ("unreachable", "restriction"),
    ("indexing_slicing", "restriction"),
    ("exit", "restriction"),
    ("dbg_macro", "restriction"),
    ("panic_in_result_fn", "restriction"),
    ("unwrap_in_result", "restriction"),
    ("get_unwrap", "restriction"),
    ("missing_panics_doc", "pedantic"),
];

/// The groups `clippy::all` stands for.
const ALL: [&str; 5] = ["correctness", "suspicious", "style", "complexity", "perf"];

/// Old names clippy still accepts for the lints above (clippy's `RENAMED` list).
const RENAMED: &[(&str, &str)] = &[
    ("option_unwrap_used", "unwrap_used"),
    ("result_unwrap_used", "unwrap_used"),
    ("option_expect_used", "expect_used"),
    ("result_expect_used", "expect_used"),
];

/// The current name of a lint: `option_unwrap_used` → `unwrap_used`.
pub fn canonical(lint: &str) -> &str {
    RENAMED
        .iter()
        .find(|(old, _)| *old == lint)
        .map_or(lint, |(_, new)| new)
}

/// Clippy's lint groups, `all` included.
const GROUP_NAMES: [&str; 10] = [
    "all",
    "correctness",
    "suspicious",
    "style",
    "complexity",
    "perf",
    "pedantic",
    "restriction",
    "nursery",
    "cargo",
];

/// The names (by current name) an attribute may write to set the level of `lint` (a current
/// name): the lint itself, its group, and `all` when that group is one `all` stands for.
/// [`covers`] holds exactly for these.
pub fn covering_names(lint: &str) -> impl Iterator<Item = &str> {
    let group = GROUPS
        .iter()
        .find(|(name, _)| *name == lint)
        .map(|(_, group)| *group);
    let all = group
        .is_some_and(|group| ALL.contains(&group))
        .then_some("all");
    std::iter::once(lint).chain(group).chain(all)
}

/// Whether these tables know `name` as a lint, an old name of one, or a group.
pub fn is_known(name: &str) -> bool {
    GROUP_NAMES.contains(&name)
        || GROUPS.iter().any(|(lint, _)| *lint == name)
        || RENAMED.iter().any(|(old, _)| *old == name)
}

/// Whether an attribute naming `written` (a lint, a renamed lint or a group) sets the level of
/// `lint` (a current name).
pub fn covers(written: &str, lint: &str) -> bool {
    let written = canonical(written);
    if written == lint {
        return true;
    }
    let group = GROUPS
        .iter()
        .find(|(name, _)| *name == lint)
        .map(|(_, group)| *group);
    group.is_some_and(|group| written == group || (written == "all" && ALL.contains(&group)))
}

/// The clippy lints a rule defers to: an `allow` or `expect` of the lint a finding falls under
/// (or of its group) silences the finding too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClippyLints {
    /// Every finding falls under this lint.
    One(String),
    /// A finding falls under the lint of the name it matched (a method, macro or function
    /// name, as in `panic` → `panic`, `todo` → `todo`); a name not listed falls under none.
    ByName(Vec<(String, String)>),
}

impl ClippyLints {
    /// The lint a finding falls under, `name` being the method, macro or function it matched
    /// (none for index, pattern and flow rules).
    pub fn lint_for(&self, name: Option<&str>) -> Option<&str> {
        match self {
            ClippyLints::One(lint) => Some(lint),
            ClippyLints::ByName(pairs) => {
                let name = name?;
                pairs
                    .iter()
                    .find(|(matched, _)| matched == name)
                    .map(|(_, lint)| lint.as_str())
            }
        }
    }
}

/// `#[allow(clippy::unwrap_used)]`, or one attribute per lint with the names it covers.
impl fmt::Display for ClippyLints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClippyLints::One(lint) => write!(f, "#[allow(clippy::{lint})]"),
            ClippyLints::ByName(pairs) => {
                let mut lints: Vec<&str> = Vec::new();
                for (_, lint) in pairs {
                    if !lints.contains(&lint.as_str()) {
                        lints.push(lint);
                    }
                }
                for (i, lint) in lints.iter().enumerate() {
                    let names: Vec<&str> = pairs
                        .iter()
                        .filter(|(_, l)| l == lint)
                        .map(|(name, _)| name.as_str())
                        .collect();
                    let separator = if i == 0 { "" } else { "; " };
                    write!(
                        f,
                        "{separator}#[allow(clippy::{lint})] for {}",
                        names.join(", ")
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// A lint name as a string; a mapping as an object, in the order written.
impl Serialize for ClippyLints {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ClippyLints::One(lint) => serializer.serialize_str(lint),
            ClippyLints::ByName(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (name, lint) in pairs {
                    map.serialize_entry(name, lint)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_renamed_lints_cover_as_in_clippy() {
        assert!(covers("unwrap_used", "unwrap_used"));
        assert!(covers("option_unwrap_used", "unwrap_used"));
        assert!(covers("result_expect_used", "expect_used"));
        assert!(covers("restriction", "todo"));
        assert!(!covers("all", "panic"));
        assert!(!covers("pedantic", "unwrap_used"));
        assert!(covers("pedantic", "missing_panics_doc"));
        assert!(!covers("panic", "todo"));
        assert!(!covers("restriction", "some_style_lint"));
        for lint in ["unwrap_used", "missing_panics_doc", "some_style_lint"] {
            for written in [
                "unwrap_used",
                "option_unwrap_used",
                "restriction",
                "pedantic",
                "all",
                "some_style_lint",
            ] {
                assert_eq!(
                    covers(written, lint),
                    covering_names(lint).any(|name| name == canonical(written)),
                    "{written} {lint}"
                );
            }
        }
        assert!(is_known("restriction") && is_known("option_unwrap_used"));
        assert!(!is_known("some_style_lint"));
    }

    #[test]
    fn names_map_to_their_lints() {
        let lints = ClippyLints::ByName(vec![
            ("panic".to_owned(), "panic".to_owned()),
            ("panic_any".to_owned(), "panic".to_owned()),
            ("todo".to_owned(), "todo".to_owned()),
        ]);
        assert_eq!(lints.lint_for(Some("panic_any")), Some("panic"));
        assert_eq!(lints.lint_for(Some("todo")), Some("todo"));
        assert_eq!(lints.lint_for(Some("unimplemented")), None);
        assert_eq!(lints.lint_for(None), None);
        assert_eq!(
            lints.to_string(),
            "#[allow(clippy::panic)] for panic, panic_any; #[allow(clippy::todo)] for todo"
        );
        assert_eq!(
            serde_json::to_string(&lints).unwrap(),
            r#"{"panic":"panic","panic_any":"panic","todo":"todo"}"#
        );
        let one = ClippyLints::One("unwrap_used".to_owned());
        assert_eq!(one.lint_for(Some("unwrap_err")), Some("unwrap_used"));
        assert_eq!(serde_json::to_string(&one).unwrap(), r#""unwrap_used""#);
    }
}
