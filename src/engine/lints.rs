//! Lint levels, as rustc decides them for a clippy lint: the nearest attribute that names the
//! lint (or its group, or an old name of it) wins, so a `warn` inside an `allow` reports again,
//! and a `forbid` cannot be allowed further in. Plus which attributes each expression carries.

use syn::{Attribute, Expr};

use crate::codex::clippy;
use crate::source::attrs::{ClippyLevel, Level, Levels};

/// What the lint attributes inside a file's items say about one finding's clippy lint; the
/// levels set outside them (the crate's, the modules', the file's own) come later.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ClippyVerdict {
    /// The lint the finding falls under, by its current name; none when its rule names none.
    pub lint: Option<String>,
    /// The innermost attribute inside the items that sets the lint's level.
    pub nearest: Option<ClippyLevel>,
    /// A `forbid` inside the items covers the lint.
    pub forbidden: bool,
}

impl ClippyVerdict {
    /// The attribute that silences the finding, `outer` being the levels set around the
    /// items; none when the finding reports.
    pub(crate) fn silenced_by<'a>(&'a self, outer: &'a Levels) -> Option<&'a ClippyLevel> {
        let lint = self.lint.as_deref()?;
        let (outer_nearest, outer_forbidden) = outer.decide(lint);
        if self.forbidden || outer_forbidden {
            return None;
        }
        self.nearest
            .as_ref()
            .or(outer_nearest)
            .filter(|level| level.level.is_silent())
    }
}

/// The clippy lint levels set by the nodes around the walk's position, outermost first, with,
/// for each lint the Codex's rules defer to, those that cover it: a finding's verdict then
/// costs the same whatever the number of attributes around it.
#[derive(Debug, Default)]
pub(crate) struct InnerLevels {
    levels: Vec<ClippyLevel>,
    tracked: Vec<Tracked>,
}

/// One lint the rules defer to: which levels cover it (indices into `levels`), how many forbid.
#[derive(Debug)]
struct Tracked {
    lint: String,
    covering: Vec<usize>,
    forbids: usize,
}

impl InnerLevels {
    /// Levels tracked for `lints` (current names).
    pub(crate) fn tracking<'a>(lints: impl IntoIterator<Item = &'a str>) -> Self {
        let mut tracked: Vec<Tracked> = Vec::new();
        for lint in lints {
            if !tracked.iter().any(|t| t.lint == lint) {
                tracked.push(Tracked {
                    lint: lint.to_owned(),
                    covering: Vec::new(),
                    forbids: 0,
                });
            }
        }
        InnerLevels {
            levels: Vec::new(),
            tracked,
        }
    }

    /// How many levels are set.
    pub(crate) fn len(&self) -> usize {
        self.levels.len()
    }

    /// Sets a level, nearer than those already set.
    pub(crate) fn push(&mut self, level: ClippyLevel) {
        let at = self.levels.len();
        for tracked in &mut self.tracked {
            if clippy::covers(&level.lint, &tracked.lint) {
                tracked.covering.push(at);
                tracked.forbids += usize::from(level.level == Level::Forbid);
            }
        }
        self.levels.push(level);
    }

    /// Keeps the first `len` levels (leaving the nodes that set the others).
    pub(crate) fn truncate(&mut self, len: usize) {
        for tracked in &mut self.tracked {
            while let Some(&at) = tracked.covering.last() {
                if at < len {
                    break;
                }
                tracked.covering.pop();
                let forbid = self
                    .levels
                    .get(at)
                    .is_some_and(|level| level.level == Level::Forbid);
                tracked.forbids -= usize::from(forbid);
            }
        }
        self.levels.truncate(len);
    }

    /// What the levels set say of `lint` (a current name); a lint not tracked is decided by
    /// reading every level.
    pub(crate) fn verdict(&self, lint: Option<&str>) -> ClippyVerdict {
        let Some(lint) = lint else {
            return ClippyVerdict::default();
        };
        let (nearest, forbidden) =
            if let Some(tracked) = self.tracked.iter().find(|t| t.lint == lint) {
                (
                    tracked
                        .covering
                        .last()
                        .and_then(|&at| self.levels.get(at))
                        .cloned(),
                    tracked.forbids > 0,
                )
            } else {
                let covering = || {
                    self.levels
                        .iter()
                        .filter(|level| clippy::covers(&level.lint, lint))
                };
                (
                    covering().next_back().cloned(),
                    covering().any(|level| level.level == Level::Forbid),
                )
            };
        ClippyVerdict {
            lint: Some(lint.to_owned()),
            nearest,
            forbidden,
        }
    }
}

/// The attributes written on an expression, inner ones of its block included
/// (`{ #![allow(..)] .. }`).
pub(crate) fn expr_attrs(expr: &Expr) -> &[Attribute] {
    match expr {
        Expr::Array(e) => &e.attrs,
        Expr::Assign(e) => &e.attrs,
        Expr::Async(e) => &e.attrs,
        Expr::Await(e) => &e.attrs,
        Expr::Binary(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Break(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::Cast(e) => &e.attrs,
        Expr::Closure(e) => &e.attrs,
        Expr::Const(e) => &e.attrs,
        Expr::Continue(e) => &e.attrs,
        Expr::Field(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::Group(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Index(e) => &e.attrs,
        Expr::Infer(e) => &e.attrs,
        Expr::Let(e) => &e.attrs,
        Expr::Lit(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Paren(e) => &e.attrs,
        Expr::Path(e) => &e.attrs,
        Expr::Range(e) => &e.attrs,
        Expr::RawAddr(e) => &e.attrs,
        Expr::Reference(e) => &e.attrs,
        Expr::Repeat(e) => &e.attrs,
        Expr::Return(e) => &e.attrs,
        Expr::Struct(e) => &e.attrs,
        Expr::Try(e) => &e.attrs,
        Expr::TryBlock(e) => &e.attrs,
        Expr::Tuple(e) => &e.attrs,
        Expr::Unary(e) => &e.attrs,
        Expr::Unsafe(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        Expr::Yield(e) => &e.attrs,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(written: &[(Level, &str)]) -> Vec<ClippyLevel> {
        written
            .iter()
            .map(|(level, lint)| ClippyLevel {
                level: *level,
                lint: (*lint).to_owned(),
            })
            .collect()
    }

    fn silenced(inner: &[(Level, &str)], outer: &[(Level, &str)], lint: &str) -> Option<String> {
        let outer: Levels = levels(outer).into_iter().collect();
        // Tracked and untracked lints decide alike.
        let mut untracked = InnerLevels::default();
        let mut tracked = InnerLevels::tracking([lint]);
        for level in levels(inner) {
            untracked.push(level.clone());
            tracked.push(level);
        }
        let found = tracked
            .verdict(Some(lint))
            .silenced_by(&outer)
            .map(ToString::to_string);
        assert_eq!(
            found,
            untracked
                .verdict(Some(lint))
                .silenced_by(&outer)
                .map(ToString::to_string)
        );
        found
    }

    #[test]
    fn leaving_nodes_restores_the_levels_around() {
        use Level::{Allow, Forbid};
        let mut inner = InnerLevels::tracking(["unwrap_used", "todo"]);
        inner.push(levels(&[(Allow, "restriction")]).remove(0));
        let outer = inner.len();
        for level in levels(&[(Forbid, "unwrap_used"), (Allow, "todo"), (Allow, "all")]) {
            inner.push(level);
        }
        assert!(inner.verdict(Some("unwrap_used")).forbidden);
        assert_eq!(
            inner.verdict(Some("todo")).nearest.map(|l| l.to_string()),
            Some("#[allow(clippy::todo)]".to_owned())
        );
        inner.truncate(outer);
        let unwrap = inner.verdict(Some("unwrap_used"));
        assert!(!unwrap.forbidden);
        assert_eq!(
            unwrap.nearest.map(|l| l.to_string()),
            Some("#[allow(clippy::restriction)]".to_owned())
        );
    }

    #[test]
    fn the_nearest_attribute_wins_and_forbid_holds() {
        use Level::{Allow, Deny, Expect, Forbid, Warn};
        assert_eq!(
            silenced(&[(Allow, "unwrap_used")], &[], "unwrap_used").as_deref(),
            Some("#[allow(clippy::unwrap_used)]")
        );
        assert!(
            silenced(
                &[(Allow, "unwrap_used"), (Warn, "unwrap_used")],
                &[],
                "unwrap_used"
            )
            .is_none()
        );
        assert!(
            silenced(
                &[(Deny, "restriction")],
                &[(Allow, "unwrap_used")],
                "unwrap_used"
            )
            .is_none()
        );
        assert_eq!(
            silenced(
                &[],
                &[(Deny, "unwrap_used"), (Expect, "restriction")],
                "unwrap_used"
            )
            .as_deref(),
            Some("#[expect(clippy::restriction)]")
        );
        assert!(
            silenced(
                &[(Allow, "unwrap_used")],
                &[(Forbid, "restriction")],
                "unwrap_used"
            )
            .is_none()
        );
        assert!(silenced(&[(Forbid, "panic"), (Allow, "panic")], &[], "panic").is_none());
        assert!(silenced(&[(Allow, "panic")], &[], "todo").is_none());
        assert!(silenced(&[(Allow, "all")], &[], "todo").is_none());
        let mut panic = InnerLevels::tracking(["panic"]);
        panic.push(levels(&[(Allow, "panic")]).remove(0));
        assert!(
            panic
                .verdict(None)
                .silenced_by(&Levels::default())
                .is_none()
        );
    }
}
