//! Lint levels, as rustc decides them for a clippy lint: the nearest attribute that names the
//! lint (or its group, or an old name of it) wins, so a `warn` inside an `allow` reports again,
//! and a `forbid` cannot be allowed further in. Plus which attributes each expression carries.

use syn::{Attribute, Expr};

use crate::codex::clippy;
use crate::source::attrs::ClippyLevel;

/// What the lint attributes inside a file's items say about one finding's clippy lint; the
/// levels set outside them (the crate's, the modules', the file's own) come later.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClippyVerdict {
    /// The lint the finding falls under, by its current name; none when its rule names none.
    pub lint: Option<String>,
    /// The innermost attribute inside the items that sets the lint's level.
    pub nearest: Option<ClippyLevel>,
    /// A `forbid` inside the items covers the lint.
    pub forbidden: bool,
}

impl ClippyVerdict {
    /// The verdict of `levels` (outermost first) on `lint`.
    pub(crate) fn of(levels: &[ClippyLevel], lint: Option<&str>) -> Self {
        let Some(lint) = lint else {
            return ClippyVerdict::default();
        };
        let (nearest, forbidden) = decide(levels, lint);
        ClippyVerdict {
            lint: Some(lint.to_owned()),
            nearest: nearest.cloned(),
            forbidden,
        }
    }

    /// The attribute that silences the finding, `outer` being the levels set around the
    /// items (outermost first); none when the finding reports.
    pub(crate) fn silenced_by<'a>(&'a self, outer: &'a [ClippyLevel]) -> Option<&'a ClippyLevel> {
        let lint = self.lint.as_deref()?;
        let (outer_nearest, outer_forbidden) = decide(outer, lint);
        if self.forbidden || outer_forbidden {
            return None;
        }
        self.nearest
            .as_ref()
            .or(outer_nearest)
            .filter(|level| level.level.is_silent())
    }
}

/// The last of `levels` (outermost first) that sets the level of `lint`, and whether any of
/// them forbids it.
fn decide<'a>(levels: &'a [ClippyLevel], lint: &str) -> (Option<&'a ClippyLevel>, bool) {
    let mut nearest = None;
    let mut forbidden = false;
    for level in levels
        .iter()
        .filter(|level| clippy::covers(&level.lint, lint))
    {
        forbidden |= level.level == crate::source::attrs::Level::Forbid;
        nearest = Some(level);
    }
    (nearest, forbidden)
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
    use crate::source::attrs::Level;

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
        let outer = levels(outer);
        ClippyVerdict::of(&levels(inner), Some(lint))
            .silenced_by(&outer)
            .map(ToString::to_string)
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
        assert!(
            ClippyVerdict::of(&levels(&[(Allow, "panic")]), None)
                .silenced_by(&[])
                .is_none()
        );
    }
}
