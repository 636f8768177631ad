//! What attributes say about scope and lint levels: `cfg(test)`, `#[test]`, `#[path]`,
//! `#[allow(clippy::…)]` and the other lint levels. Shared by the module tree (token level) and
//! the walk (syn level).

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

/// Whether a `cfg` predicate can only hold when compiling tests.
///
/// `test` and `all(test, …)` require it; `any(test, x)` does not (unless every branch does),
/// nor does `not(test)`.
pub fn cfg_requires_test(meta: &Meta) -> bool {
    match meta {
        Meta::Path(path) => path.is_ident("test"),
        Meta::NameValue(_) => false,
        Meta::List(list) => {
            let Ok(children) =
                list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                return false;
            };
            if list.path.is_ident("all") {
                children.iter().any(cfg_requires_test)
            } else if list.path.is_ident("any") {
                !children.is_empty() && children.iter().all(cfg_requires_test)
            } else {
                false
            }
        }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The clippy lints named by the lint attributes (`allow`, `expect`, `warn`, `deny`, `forbid`)
/// among `attrs`, in the order written: where two name the same lint, the later one wins.
pub fn clippy_allows(attrs: &[Attribute]) -> Vec<ClippyLevel> {
    let mut lints = Vec::new();
    for attr in attrs {
        let Some(level) = Level::of(attr.path()) else {
            continue;
        };
        let Ok(list) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
            continue;
        };
        for meta in list {
            // `reason = "…"` and rustc's own lints have one segment.
            let segments = &meta.path().segments;
            if segments.len() == 2 && segments.first().is_some_and(|s| s.ident == "clippy") {
                if let Some(lint) = segments.last() {
                    lints.push(ClippyLevel {
                        level,
                        lint: lint.ident.to_string(),
                    });
                }
            }
        }
    }
    lints
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
        let levels = |text: &str| -> Vec<String> {
            clippy_allows(&[attr(text)])
                .iter()
                .map(ToString::to_string)
                .collect()
        };
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
        assert!(levels("#[cfg_attr(x, allow(clippy::panic))]").is_empty());
        assert!(levels("#[rustfmt::allow(clippy::panic)]").is_empty());
        assert_eq!(
            path_attribute(&[attr("#[path = \"x/y.rs\"]")]).as_deref(),
            Some("x/y.rs")
        );
    }
}
