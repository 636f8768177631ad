//! What a rule matches, compiled from its TOML into lookups the single walk can use.
//!
//! [`Triggers`] indexes every rule by the words it looks at (method names, macro names), so the
//! walk asks "which rules care about `.unwrap`?" once per call site, whatever the number of rules,
//! and so that files and items holding none of those words need no syntax tree at all.

use aho_corasick::{AhoCorasick, MatchKind};
use globset::GlobSet;

use super::{Builtin, Rule, RuleIndex};

/// What a rule matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Method calls by name (`x.unwrap()`), and their fully qualified form
    /// (`Option::unwrap(x)`, `<Result<_, _>>::unwrap`).
    Method(Vec<String>),
    /// Macro invocations by name: `panic!`, `std::panic!` and `core::panic!` alike.
    Macro(Vec<String>),
    /// Raised by the tool itself; no rule file can use it.
    Builtin(Builtin),
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

/// Every rule indexed by the words it looks at.
#[derive(Debug)]
pub struct Triggers {
    methods: Vec<(String, Vec<RuleIndex>)>,
    macros: Vec<(String, Vec<RuleIndex>)>,
    words: Option<AhoCorasick>,
}

impl Triggers {
    /// Indexes `rules` by method and macro name.
    pub(crate) fn compile(rules: &[Rule]) -> Self {
        let mut methods: Vec<(String, Vec<RuleIndex>)> = Vec::new();
        let mut macros: Vec<(String, Vec<RuleIndex>)> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let (table, names) = match &rule.matcher {
                Matcher::Method(names) => (&mut methods, names),
                Matcher::Macro(names) => (&mut macros, names),
                Matcher::Builtin(_) => continue,
            };
            for name in names {
                match table.iter_mut().find(|(known, _)| known == name) {
                    Some((_, indices)) => indices.push(index),
                    None => table.push((name.clone(), vec![index])),
                }
            }
        }
        let mut all: Vec<&str> = methods
            .iter()
            .chain(&macros)
            .map(|(name, _)| name.as_str())
            .collect();
        all.sort_unstable();
        all.dedup();
        let words = if all.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&all)
                .ok()
        };
        Triggers {
            methods,
            macros,
            words,
        }
    }

    /// Rules that look at method calls named `name`.
    pub fn method_rules(&self, name: &proc_macro2::Ident) -> &[RuleIndex] {
        lookup(&self.methods, name)
    }

    /// Rules that look at macro invocations named `name`.
    pub fn macro_rules(&self, name: &proc_macro2::Ident) -> &[RuleIndex] {
        lookup(&self.macros, name)
    }

    /// Byte offsets of whole-word occurrences of any trigger word in `text`, in order.
    ///
    /// Comments and strings count too: this is a cheap necessary condition, not a match.
    pub fn find_words(&self, text: &str) -> Vec<usize> {
        let Some(words) = &self.words else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        words
            .find_iter(text)
            .filter(|hit| {
                let before = hit.start().checked_sub(1).and_then(|i| bytes.get(i));
                let after = bytes.get(hit.end());
                !before.is_some_and(|&b| is_ident_byte(b))
                    && !after.is_some_and(|&b| is_ident_byte(b))
            })
            .map(|hit| hit.start())
            .collect()
    }
}

fn lookup<'a>(table: &'a [(String, Vec<RuleIndex>)], name: &proc_macro2::Ident) -> &'a [RuleIndex] {
    table
        .iter()
        .find(|(known, _)| name == known)
        .map_or(&[], |(_, indices)| indices.as_slice())
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}
