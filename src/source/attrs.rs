//! What attributes say about scope and lint levels: `cfg(test)`, `#[test]`, `#[path]`,
//! `#[allow(clippy::…)]` and the other lint levels. Shared by the module tree (token level) and
//! the walk (syn level).

use std::collections::HashMap;

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

use crate::codex::clippy;

/// Whether a `cfg` predicate can only hold when compiling tests: it is false in a build
/// without `test` and may hold in one with it.
///
/// `test`, `all(test, …)` and `not(not(test))` require it; `any(test, x)` does not (unless
/// every branch does), nor does `not(test)`, nor `any()`, which no build compiles.
pub fn cfg_requires_test(meta: &Meta) -> bool {
    let without = Cfg {
        test: false,
        clippy: None,
    };
    let with = Cfg {
        test: true,
        clippy: None,
    };
    without.eval(meta) == Some(false) && with.eval(meta) != Some(false)
}

/// The `cfg` options a build is known to have; the others (features, targets, `--cfg`
/// flags) are unknown, so a predicate on them is undecided.
#[derive(Debug, Clone, Copy)]
struct Cfg {
    /// Whether `test` is set.
    test: bool,
    /// Whether `clippy` is set, when known.
    clippy: Option<bool>,
}

impl Cfg {
    /// The lint levels clippy itself reads: `clippy` is set, and `test` as given.
    fn clippy(test: bool) -> Self {
        Cfg {
            test,
            clippy: Some(true),
        }
    }

    /// What `predicate` evaluates to in this build; `None` when it depends on unknown options.
    fn eval(self, predicate: &Meta) -> Option<bool> {
        match predicate {
            Meta::Path(path) if path.is_ident("test") => Some(self.test),
            Meta::Path(path) if path.is_ident("clippy") => self.clippy,
            Meta::Path(_) | Meta::NameValue(_) => None,
            Meta::List(list) => {
                let children = list
                    .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                    .ok()?;
                let mut values = children.iter().map(|child| self.eval(child));
                if list.path.is_ident("all") {
                    // False as soon as one is false; true when all are.
                    values
                        .try_fold(Some(true), |all, value| match value {
                            Some(false) => Err(()),
                            Some(true) => Ok(all),
                            None => Ok(None),
                        })
                        .unwrap_or(Some(false))
                } else if list.path.is_ident("any") {
                    values
                        .try_fold(Some(false), |any, value| match value {
                            Some(true) => Err(()),
                            Some(false) => Ok(any),
                            None => Ok(None),
                        })
                        .unwrap_or(Some(true))
                } else if list.path.is_ident("not") && children.len() == 1 {
                    values.next().flatten().map(|value| !value)
                } else {
                    None
                }
            }
        }
    }
}

/// The branches of a `cfg_if!` chain (`if #[cfg(a)] { .. } else if #[cfg(b)] { .. } else
/// { .. }`), read in order: a branch is compiled when its predicate holds and no earlier one
/// did. Each branch costs the evaluation of its own predicate.
#[derive(Debug, Clone, Copy)]
pub struct CfgChain {
    /// Whether every earlier predicate is false, in a build without `test` and with it.
    none_before: [Option<bool>; 2],
}

impl Default for CfgChain {
    fn default() -> Self {
        CfgChain {
            none_before: [Some(true); 2],
        }
    }
}

impl CfgChain {
    /// Whether the next branch, with predicate `own` (none for the final `else`), can only be
    /// compiled for tests, as [`cfg_requires_test`] has it: `else` after `if #[cfg(not(test))]`
    /// can, `else` after `if #[cfg(test)]` cannot.
    pub fn next_requires_test(&mut self, own: Option<&Meta>) -> bool {
        let mut holds = [None; 2];
        for (at, test) in [false, true].into_iter().enumerate() {
            let cfg = Cfg { test, clippy: None };
            let own = own.map_or(Some(true), |own| cfg.eval(own));
            holds[at] = and(self.none_before[at], own);
            self.none_before[at] = and(self.none_before[at], own.map(|own| !own));
        }
        holds[0] == Some(false) && holds[1] != Some(false)
    }
}

/// Three-valued conjunction: false wins, then unknown.
fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Whether an item carrying these attributes exists only in test builds or is a test function.
pub fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| is_cfg_test(attr) || is_test_attribute(attr))
}

/// `#[cfg(<predicate requiring test>)]`.
pub fn is_cfg_test(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg")
        && attr
            .parse_args::<Meta>()
            .is_ok_and(|predicate| cfg_requires_test(&predicate))
}

/// `#[test]`, `#[tokio::test]` or any `…::test`, and the test-case attributes of common crates.
pub fn is_test_attribute(attr: &Attribute) -> bool {
    let path = attr.path();
    let Some(last) = path.segments.last() else {
        return false;
    };
    // Tool attributes (`#[rustfmt::test]`, `#[clippy::test]`) compile but make nothing a test.
    let tool = path.segments.len() > 1
        && path.segments.first().is_some_and(|first| {
            [
                "rustfmt",
                "clippy",
                "rustdoc",
                "rustc",
                "diagnostic",
                "rust_analyzer",
                "miri",
            ]
            .iter()
            .any(|tool| first.ident == tool)
        });
    if tool {
        return false;
    }
    let name = last.ident.to_string();
    name == "test"
        || (path.segments.len() == 1
            && matches!(
                name.as_str(),
                "rstest" | "test_case" | "quickcheck" | "wasm_bindgen_test"
            ))
}

/// `#[bench]`.
pub fn is_bench(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("bench"))
}

/// `#[path = "…"]`.
pub fn path_attribute(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        let Meta::NameValue(pair) = &attr.meta else {
            return None;
        };
        if !pair.path.is_ident("path") {
            return None;
        }
        match &pair.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(path),
                ..
            }) => Some(path.value()),
            _ => None,
        }
    })
}

/// A lint level, as a lint attribute sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Level {
    /// `#[allow(..)]`: the lint is silent.
    Allow,
    /// `#[expect(..)]`: the lint is silent (rustc warns when nothing was silenced).
    Expect,
    /// `#[warn(..)]`: the lint reports.
    Warn,
    /// `#[deny(..)]`: the lint reports, as an error.
    Deny,
    /// `#[forbid(..)]`: the lint reports, and no attribute further in can allow it.
    Forbid,
}

impl Level {
    /// The attribute's name: `allow`, `expect`, `warn`, `deny`, `forbid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Expect => "expect",
            Level::Warn => "warn",
            Level::Deny => "deny",
            Level::Forbid => "forbid",
        }
    }

    /// Whether the lint stays silent at this level.
    pub fn is_silent(self) -> bool {
        matches!(self, Level::Allow | Level::Expect)
    }

    fn of(path: &syn::Path) -> Option<Self> {
        let name = path.get_ident()?;
        [
            Level::Allow,
            Level::Expect,
            Level::Warn,
            Level::Deny,
            Level::Forbid,
        ]
        .into_iter()
        .find(|level| name == level.as_str())
    }
}

/// A clippy lint or lint group named by a lint attribute: `#[allow(clippy::unwrap_used)]` is
/// `{ level: Allow, lint: "unwrap_used" }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClippyLevel {
    /// The level the attribute sets.
    pub level: Level,
    /// The lint or group as written, without the `clippy::` prefix.
    pub lint: String,
}

impl std::fmt::Display for ClippyLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#[{}(clippy::{})]", self.level.as_str(), self.lint)
    }
}

/// How many distinct lint names clippy's tables here do not know a [`Levels`] keeps: far more
/// than any real crate writes, and a bound on what a file of invented names costs each module
/// below it.
const UNKNOWN_NAMES: usize = 1024;

/// Clippy lint levels in force, outermost first, as rustc decides among them: for each lint or
/// group written (by its current name), the last attribute that names it and whether any
/// forbids it. Deciding a lint costs three lookups, whatever the number of attributes; a copy
/// costs the number of distinct names (at most [`UNKNOWN_NAMES`] unknown to clippy's tables).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Levels {
    by_name: HashMap<String, Named>,
    /// The order the next level added takes.
    next: usize,
    /// How many names kept are unknown to clippy's tables.
    unknown: usize,
}

/// The last attribute naming one lint or group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Named {
    last: ClippyLevel,
    forbidden: bool,
    order: usize,
}

impl Levels {
    /// Adds a level, nearer than those already in.
    pub fn push(&mut self, level: ClippyLevel) {
        let forbidden = level.level == Level::Forbid;
        self.push_named(level, forbidden);
    }

    fn push_named(&mut self, level: ClippyLevel, forbidden: bool) {
        let order = self.next;
        let name = clippy::canonical(&level.lint).to_owned();
        if let Some(named) = self.by_name.get_mut(&name) {
            named.forbidden |= forbidden;
            named.last = level;
            named.order = order;
        } else {
            let known = clippy::is_known(&name);
            if !known && self.unknown >= UNKNOWN_NAMES {
                return;
            }
            self.unknown += usize::from(!known);
            self.by_name.insert(
                name,
                Named {
                    last: level,
                    forbidden,
                    order,
                },
            );
        }
        self.next += 1;
    }

    /// Adds `inner`'s levels, nearer than those already in.
    pub fn absorb(&mut self, inner: &Levels) {
        let mut named: Vec<&Named> = inner.by_name.values().collect();
        named.sort_by_key(|named| named.order);
        for named in named {
            self.push_named(named.last.clone(), named.forbidden);
        }
    }

    /// The nearest level set for `lint` (a current name), and whether one forbids it.
    pub fn decide(&self, lint: &str) -> (Option<&ClippyLevel>, bool) {
        let covering: Vec<&Named> = clippy::covering_names(lint)
            .filter_map(|name| self.by_name.get(name))
            .collect();
        let nearest = covering.iter().max_by_key(|named| named.order);
        let forbidden = covering.iter().any(|named| named.forbidden);
        (nearest.map(|named| &named.last), forbidden)
    }

    /// The levels kept, outermost first: the last attribute naming each lint or group.
    pub fn iter(&self) -> impl Iterator<Item = &ClippyLevel> {
        let mut named: Vec<&Named> = self.by_name.values().collect();
        named.sort_by_key(|named| named.order);
        named.into_iter().map(|named| &named.last)
    }

    /// Whether no level is set.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

impl FromIterator<ClippyLevel> for Levels {
    fn from_iter<I: IntoIterator<Item = ClippyLevel>>(levels: I) -> Self {
        let mut all = Levels::default();
        levels.into_iter().for_each(|level| all.push(level));
        all
    }
}

/// The clippy lints named by the lint attributes (`allow`, `expect`, `warn`, `deny`, `forbid`)
/// among `attrs`, in the order written: where two name the same lint, the later one wins.
///
/// A lint attribute inside `cfg_attr` counts when clippy would see it: its predicate holds with
/// `clippy` set and `test` as given (`#[cfg_attr(not(test), allow(..))]` in a library build);
/// one on unknown options (features, targets) does not count.
pub fn clippy_allows(attrs: &[Attribute], test: bool) -> Vec<ClippyLevel> {
    let mut lints = Vec::new();
    for attr in attrs {
        levels_in(&attr.meta, Cfg::clippy(test), &mut lints);
    }
    lints
}

/// Adds the clippy lint levels `meta` sets to `out`: a lint level's clippy lints, or those of
/// the attributes a `cfg_attr` applies in `cfg`. Recursion follows nested `cfg_attr`s, as deep
/// as the attribute's tokens, which passed the depth limit.
fn levels_in(meta: &Meta, cfg: Cfg, out: &mut Vec<ClippyLevel>) {
    let Meta::List(list) = meta else {
        return;
    };
    // Only `cfg_attr` and the lint levels are read: other attributes are not parsed.
    let level = Level::of(&list.path);
    if level.is_none() && !list.path.is_ident("cfg_attr") {
        return;
    }
    let Ok(args) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
        return;
    };
    let Some(level) = level else {
        let mut args = args.iter();
        if args.next().and_then(|predicate| cfg.eval(predicate)) == Some(true) {
            args.for_each(|applied| levels_in(applied, cfg, out));
        }
        return;
    };
    for lint in &args {
        // `reason = "…"` and rustc's own lints have one segment; `r#name` is `name`.
        let segments = &lint.path().segments;
        let (Some(tool), Some(name), 2) = (segments.first(), segments.last(), segments.len())
        else {
            continue;
        };
        if tool.ident.unraw() == "clippy" {
            out.push(ClippyLevel {
                level,
                lint: name.ident.unraw().to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(text: &str) -> Attribute {
        let item: syn::ItemFn = syn::parse_str(&format!("{text} fn f() {{}}")).unwrap();
        item.attrs.into_iter().next().unwrap()
    }

    #[test]
    fn cfg_predicates() {
        assert!(is_cfg_test(&attr("#[cfg(test)]")));
        assert!(is_cfg_test(&attr("#[cfg(all(test, unix))]")));
        assert!(is_cfg_test(&attr("#[cfg(all(unix, any(test, test)))]")));
        assert!(!is_cfg_test(&attr("#[cfg(any(test, feature = \"x\"))]")));
        assert!(!is_cfg_test(&attr("#[cfg(not(test))]")));
        assert!(!is_cfg_test(&attr("#[cfg(unix)]")));
        assert!(!is_cfg_test(&attr("#[cfg_attr(test, derive(Debug))]")));
        assert!(is_cfg_test(&attr("#[cfg(not(not(test)))]")));
        assert!(is_cfg_test(&attr("#[cfg(all(test, not(clippy)))]")));
        assert!(!is_cfg_test(&attr("#[cfg(any())]")));
        assert!(!is_cfg_test(&attr("#[cfg(all(test, not(test)))]")));
        assert!(!is_cfg_test(&attr("#[cfg(not(clippy))]")));
    }

    #[test]
    fn test_attributes() {
        assert!(is_test_attribute(&attr("#[test]")));
        assert!(is_test_attribute(&attr(
            "#[tokio::test(flavor = \"multi_thread\")]"
        )));
        assert!(!is_test_attribute(&attr("#[inline]")));
        assert!(!is_test_attribute(&attr("#[my::testing]")));
        assert!(!is_test_attribute(&attr("#[rustfmt::test]")));
        assert!(!is_test_attribute(&attr("#[clippy::test]")));
    }

    #[test]
    fn clippy_lints_and_paths() {
        let levels_in = |text: &str, test: bool| -> Vec<String> {
            clippy_allows(&[attr(text)], test)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        let levels = |text: &str| levels_in(text, false);
        assert_eq!(
            levels("#[allow(clippy::unwrap_used, dead_code, reason = \"x\")]"),
            ["#[allow(clippy::unwrap_used)]"]
        );
        assert_eq!(
            levels("#[expect(clippy::panic)]"),
            ["#[expect(clippy::panic)]"]
        );
        assert_eq!(
            levels("#[forbid(clippy::restriction, clippy::todo)]"),
            ["#[forbid(clippy::restriction)]", "#[forbid(clippy::todo)]"]
        );
        assert!(levels("#[rustfmt::allow(clippy::panic)]").is_empty());
        assert_eq!(
            levels("#[allow(clippy :: r#unwrap_used, r#clippy::todo)]"),
            ["#[allow(clippy::unwrap_used)]", "#[allow(clippy::todo)]"]
        );
    }

    #[test]
    fn cfg_attr_levels_count_where_clippy_sees_them() {
        let levels = |text: &str, test: bool| -> Vec<String> {
            clippy_allows(&[attr(text)], test)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        let panic = ["#[allow(clippy::panic)]"];
        // Unknown options (features, targets) decide nothing: the attribute does not count.
        assert!(levels("#[cfg_attr(x, allow(clippy::panic))]", false).is_empty());
        assert!(
            levels(
                "#[cfg_attr(feature = \"cargo-clippy\", allow(clippy::panic))]",
                false
            )
            .is_empty()
        );
        assert!(levels("#[cfg_attr(test, allow(clippy::panic))]", false).is_empty());
        assert_eq!(
            levels("#[cfg_attr(test, allow(clippy::panic))]", true),
            panic
        );
        assert_eq!(
            levels("#[cfg_attr(not(test), allow(clippy::panic))]", false),
            panic
        );
        assert!(levels("#[cfg_attr(not(test), allow(clippy::panic))]", true).is_empty());
        assert_eq!(
            levels("#[cfg_attr(clippy, allow(clippy::panic))]", false),
            panic
        );
        assert_eq!(
            levels("#[cfg_attr(all(), allow(clippy::panic))]", false),
            panic
        );
        assert!(levels("#[cfg_attr(any(), allow(clippy::panic))]", false).is_empty());
        assert_eq!(
            levels("#[cfg_attr(any(x, clippy), allow(clippy::panic))]", false),
            panic
        );
        assert!(levels("#[cfg_attr(all(x, clippy), allow(clippy::panic))]", false).is_empty());
        assert!(levels("#[cfg_attr(all(test, x), allow(clippy::panic))]", false).is_empty());
        assert!(levels("#[cfg_attr(not(x), allow(clippy::panic))]", false).is_empty());
        assert_eq!(
            levels(
                "#[cfg_attr(clippy, cfg_attr(all(), allow(clippy::panic), deny(clippy::todo)), inline)]",
                false
            ),
            ["#[allow(clippy::panic)]", "#[deny(clippy::todo)]"]
        );
        assert!(levels("#[cfg_attr(clippy)]", false).is_empty());
        assert!(
            levels(
                "#[cfg_attr(not(clippy, test), allow(clippy::panic))]",
                false
            )
            .is_empty()
        );
        assert_eq!(
            path_attribute(&[attr("#[path = \"x/y.rs\"]")]).as_deref(),
            Some("x/y.rs")
        );
    }
}
