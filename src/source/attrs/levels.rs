//! Clippy lint levels set by attributes (`allow`, `expect`, `warn`, `deny`, `forbid`, and
//! those a `cfg_attr` applies when clippy runs), and the levels in force at a point, decided as
//! rustc decides among them.

use std::collections::HashMap;

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

use super::Cfg;
use crate::codex::clippy;

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
