//! What attributes say about scope and lint levels: `cfg(test)`, `#[test]`, `#[path]`,
//! `#[allow(clippy::…)]` and the other lint levels. Shared by the module tree (token level) and
//! the walk (syn level).

mod levels;
#[cfg(test)]
mod tests;

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

pub use levels::{ClippyLevel, Level, Levels, clippy_allows};

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
