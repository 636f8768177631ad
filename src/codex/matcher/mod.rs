//! What a rule matches, compiled from its TOML into lookups the single walk can use.
//!
//! [`Triggers`] indexes every rule by the words it looks at (method names, macro names), so the
//! walk asks "which rules care about `.unwrap`?" once per call site, whatever the number of rules,
//! and so that files and items holding none of those words need no syntax tree at all.

mod object;
mod path;
mod triggers;

use std::sync::Arc;

use globset::GlobSet;

use super::Builtin;
use super::pattern::Pattern;

pub use object::{
    Atomic, KIND_NAMES, Kind, KindTest, Relation, RuleObject, StopBy, TextRegex, Util,
};
pub use path::{PathPattern, TypePattern};
pub use triggers::{GlobPrefixes, Objects, Triggers, find_word};

/// A key a rule's `[match]` table may use to say what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatcherKind {
    /// The key, e.g. `method`.
    pub key: &'static str,
    /// A line of TOML using it.
    pub example: &'static str,
    /// Whether it may be combined with the other combinable kinds in one `[match]`.
    pub combines: bool,
}

/// Every matcher kind, in the order the docs list them: the one list that the loader's errors,
/// the rule `cargo codex new` scaffolds and the README follow (a test holds the README to it).
pub const KINDS: &[MatcherKind] = &[
    MatcherKind {
        key: "method",
        example: r#"method = ["lock"]"#,
        combines: true,
    },
    MatcherKind {
        key: "macro",
        example: r#"macro = ["dbg"]"#,
        combines: true,
    },
    MatcherKind {
        key: "call",
        example: r#"call = ["std::process::exit", "serde_json::from_*", "*::serve"]"#,
        combines: true,
    },
    MatcherKind {
        key: "index",
        example: r#"index = { key = "reference" }"#,
        combines: false,
    },
    MatcherKind {
        key: "pattern",
        example: r#"pattern = "$X.lock().unwrap()""#,
        combines: false,
    },
    MatcherKind {
        key: "before",
        example: r#"before = { trigger = ["axum::serve"], required = ["check_*"] }"#,
        combines: false,
    },
    MatcherKind {
        key: "validate",
        example: r#"validate = { sources = ["serde_json::from_*"], source_methods = ["json"], validators = ["validate*", "try_from"] }"#,
        combines: false,
    },
];

/// The keys of `kinds` as prose: `method, macro or call`.
pub fn kind_names<'a>(kinds: impl IntoIterator<Item = &'a MatcherKind>) -> String {
    let keys: Vec<&str> = kinds.into_iter().map(|kind| kind.key).collect();
    match keys.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// What a rule matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Method calls by name (`x.unwrap()`), and their fully qualified form
    /// (`Option::unwrap(x)`, `<Result<_, _>>::unwrap`).
    Method(Vec<String>),
    /// Macro invocations by name: `panic!`, `std::panic!` and `core::panic!` alike.
    Macro(Vec<String>),
    /// Function calls by path, resolved through the file's `use` declarations and aliases.
    Call(Vec<PathPattern>),
    /// Indexing expressions (`map[&key]`), which panic when the key is absent.
    Index(IndexKey),
    /// Rust code with metavariables, matched structurally.
    Pattern(Pattern),
    /// A rule object: a node matching all of its keys (relations, composites, constraints).
    Object(Arc<RuleObject>),
    /// A value produced by a source must reach a validator before any other use.
    Validate(ValidateSpec),
    /// A *trigger* call (a function path, a method name, or `Type.method`) with no *required*
    /// call earlier in the same function; reported once per statement.
    Before {
        /// Calls that need a required call before them.
        trigger: Vec<PathPattern>,
        /// Calls that satisfy the requirement.
        required: Vec<PathPattern>,
    },
    /// Any of several `method`, `macro` and `call` matchers (`panic!` and
    /// `std::panic::panic_any`); the other kinds stand alone.
    Either(Vec<Matcher>),
    /// Raised by the tool itself; no rule file can use it.
    Builtin(Builtin),
}

impl Matcher {
    /// The matchers this one is made of: those of [`Matcher::Either`], else itself.
    pub fn parts(&self) -> &[Matcher] {
        match self {
            Matcher::Either(parts) => parts,
            other => std::slice::from_ref(other),
        }
    }
}

/// A compiled `validate` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateSpec {
    /// Function calls producing upstream input.
    pub sources: Vec<PathPattern>,
    /// Method names producing upstream input (`json`).
    pub source_methods: Vec<PathPattern>,
    /// Function or method names that validate.
    pub validators: Vec<PathPattern>,
}

/// Which indexing expressions an `index` rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKey {
    /// Every `a[b]`.
    Any,
    /// Only `a[&b]`: a lookup by reference, as maps are indexed.
    Reference,
}

/// Where a rule applies, beyond its scopes.
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    /// Only files matching these globs (relative to the project root).
    pub paths: Option<GlobSet>,
    /// Never files matching these globs.
    pub exclude_paths: Option<GlobSet>,
    /// Only inside functions whose name or item path matches these globs.
    pub inside_fn: Option<GlobSet>,
    /// Never inside functions whose name or item path matches these globs.
    pub not_inside_fn: Option<GlobSet>,
}

impl Narrowing {
    /// Whether a finding at `path` (relative, `/`-separated) is in the rule's reach.
    pub fn admits_path(&self, path: &str) -> bool {
        self.paths.as_ref().is_none_or(|set| set.is_match(path))
            && !self
                .exclude_paths
                .as_ref()
                .is_some_and(|set| set.is_match(path))
    }

    /// Whether a finding inside function `function` (its name and its item path) is in reach.
    /// Code outside any function has `function == None`.
    pub fn admits_function(&self, function: Option<(&str, &str)>) -> bool {
        let matches = |set: &GlobSet| {
            function.is_some_and(|(name, path)| set.is_match(name) || set.is_match(path))
        };
        self.inside_fn.as_ref().is_none_or(matches)
            && !self.not_inside_fn.as_ref().is_some_and(matches)
    }

    /// Whether the rule narrows by enclosing function at all.
    pub fn uses_functions(&self) -> bool {
        self.inside_fn.is_some() || self.not_inside_fn.is_some()
    }
}
