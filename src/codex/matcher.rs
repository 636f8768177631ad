//! What a rule matches, compiled from its TOML into lookups the single walk can use.
//!
//! [`Triggers`] indexes every rule by the words it looks at (method names, macro names), so the
//! walk asks "which rules care about `.unwrap`?" once per call site, whatever the number of rules,
//! and so that files and items holding none of those words need no syntax tree at all.

use aho_corasick::{AhoCorasick, MatchKind};
use globset::GlobSet;

use super::pattern::{Anchor, Pattern};
use super::{Builtin, Rule, RuleIndex};

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
    /// A Rust expression with metavariables, matched structurally.
    Pattern(Pattern),
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

/// A function path a `call` rule matches: `std::process::exit`, `serde_json::from_*` (a `*` in
/// a segment matches any characters), `*::serve` (any path ending so), or a single name such as
/// `run_forever`, which matches that function whatever its path.
///
/// `Type.method` (`pingora::server::Server.run_forever`) names a method called on a value of a
/// type: it matches a method call `x.run_forever()` in a file that imports that type (by name,
/// alias or glob), and the fully qualified call `Server::run_forever(x)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    any_prefix: bool,
    segments: Vec<String>,
    method: bool,
}

impl PathPattern {
    /// Parses a pattern.
    ///
    /// # Errors
    ///
    /// An empty segment, a character that cannot be in a path, or a last segment that is only `*`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim_start_matches("::");
        let (path, method) = match trimmed.rsplit_once('.') {
            Some((owner, name)) if !owner.is_empty() => (format!("{owner}::{name}"), true),
            Some(_) => {
                return Err(
                    "a method needs its type before the dot, like `Server.run_forever`".to_owned(),
                );
            }
            None => (trimmed.to_owned(), false),
        };
        if method && path.contains('.') {
            return Err("only one `.` may separate the type from the method".to_owned());
        }
        let mut segments: Vec<String> = path.split("::").map(str::to_owned).collect();
        let any_prefix = segments.len() > 1 && segments.first().is_some_and(|s| s == "*");
        if any_prefix {
            segments.remove(0);
        }
        for segment in &segments {
            if segment.is_empty() {
                return Err("a segment is empty".to_owned());
            }
            if !segment
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '*')
            {
                return Err(format!("`{segment}` is not a path segment"));
            }
        }
        if segments
            .last()
            .is_none_or(|last| last.chars().all(|c| c == '*'))
        {
            return Err(
                "the last segment must name the function, like `exit` or `from_*`".to_owned(),
            );
        }
        if method && segments.len() < 2 {
            return Err(
                "a method needs its type before the dot, like `Server.run_forever`".to_owned(),
            );
        }
        Ok(PathPattern {
            any_prefix,
            segments,
            method,
        })
    }

    /// Whether it names a method of a type (`Server.run_forever`).
    pub fn is_method(&self) -> bool {
        self.method
    }

    /// For a method pattern, its method name pattern and whether the resolved type path `ty`
    /// (`pingora::prelude::Server`) is the type it names.
    pub fn method_of(&self) -> Option<(&str, TypePattern<'_>)> {
        let (name, owner) = self.segments.split_last()?;
        self.method.then_some((
            name.as_str(),
            TypePattern {
                any_prefix: self.any_prefix,
                segments: owner,
            },
        ))
    }

    /// Whether the name `name` can be this pattern's last segment.
    pub fn last_matches(&self, name: &str) -> bool {
        self.segments
            .last()
            .is_some_and(|last| wildcard(last, name))
    }

    /// Whether the resolved path `path` (segments, without a leading `::`) matches.
    pub fn matches(&self, path: &[String]) -> bool {
        if self.segments.len() == 1 && !self.any_prefix {
            return path
                .last()
                .is_some_and(|last| wildcard(&self.segments[0], last));
        }
        ends_with(&self.segments, self.any_prefix, path)
    }

    /// The literal text any match must contain, for the word search, and whether it must start
    /// and end on word boundaries. A path that names its crate (`serde_yaml::from_*`) also needs
    /// that word somewhere in the file: a call reaches the crate only through a path or a `use`
    /// that spells it. A pattern with any prefix (`*::Server::bind`) uses its longest segment.
    pub(super) fn needle(&self) -> Needle {
        let literal = |segment: &str| {
            let longest = segment
                .split('*')
                .max_by_key(|piece| piece.len())
                .unwrap_or(segment)
                .to_owned();
            Needle {
                word_start: segment.starts_with(&longest),
                word_end: segment.ends_with(&longest),
                text: longest,
                file_word: None,
            }
        };
        if self.any_prefix {
            return self
                .segments
                .iter()
                .map(|segment| literal(segment))
                .max_by_key(|needle| needle.text.len())
                .unwrap_or_else(|| literal(""));
        }
        let mut needle = literal(self.segments.last().map_or("", String::as_str));
        if self.segments.len() > 1 {
            needle.file_word = self
                .segments
                .first()
                .filter(|first| {
                    !first.contains('*') && !matches!(first.as_str(), "crate" | "self" | "super")
                })
                .cloned();
        }
        needle
    }
}

impl std::fmt::Display for PathPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.any_prefix {
            f.write_str("*::")?;
        }
        match (self.method, self.segments.split_last()) {
            (true, Some((name, owner))) => write!(f, "{}.{name}", owner.join("::")),
            _ => f.write_str(&self.segments.join("::")),
        }
    }
}

/// The type part of a method pattern (`pingora::server::Server` of
/// `pingora::server::Server.run_forever`).
#[derive(Debug, Clone, Copy)]
pub struct TypePattern<'a> {
    any_prefix: bool,
    segments: &'a [String],
}

impl TypePattern<'_> {
    /// The type's own name, the last segment (`Server`).
    pub fn name(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }

    /// Whether the resolved path `path` is this type.
    pub fn matches(&self, path: &[String]) -> bool {
        ends_with(self.segments, self.any_prefix, path)
    }
}

/// Whether `path` ends with `segments` (each a `*` wildcard), exactly or, with `any_prefix`,
/// after any number of leading segments.
fn ends_with(segments: &[String], any_prefix: bool, path: &[String]) -> bool {
    let fits = if any_prefix {
        path.len() >= segments.len()
    } else {
        path.len() == segments.len()
    };
    fits && segments
        .iter()
        .rev()
        .zip(path.iter().rev())
        .all(|(pattern, segment)| wildcard(pattern, segment))
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A literal the word search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Needle {
    text: String,
    word_start: bool,
    word_end: bool,
    /// A word the file must also contain for a hit to count.
    file_word: Option<String>,
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
    calls: Vec<(PathPattern, RuleIndex)>,
    index: Vec<(IndexKey, RuleIndex)>,
    patterns: Vec<(Pattern, Anchor, RuleIndex)>,
    befores: Vec<(Vec<PathPattern>, Vec<PathPattern>, RuleIndex)>,
    validates: Vec<(ValidateSpec, RuleIndex)>,
    needles: Vec<Needle>,
    search: Option<AhoCorasick>,
    globs: GlobPrefixes,
}

/// Which glob imports (`use a::b::*;`) can change what a call resolves to, for the rules of a
/// Codex: a glob stands for every name, so each one adds a candidate path to every bare call;
/// keeping only those a rule can match keeps resolution linear in the file.
#[derive(Debug, Clone, Default)]
pub struct GlobPrefixes {
    /// Prefixes that rule paths name exactly (`std::process` for `std::process::exit`).
    exact: std::collections::HashSet<Vec<String>>,
    /// Some rule matches any prefix (`*::serve`): one glob is enough to stand for them all.
    any: bool,
    /// Some rule path has a wildcard in its prefix, or a pattern rule names paths: every glob.
    all: bool,
}

impl GlobPrefixes {
    /// The prefixes the path patterns of `rules` name.
    fn of(rules: &[Rule]) -> Self {
        let mut globs = GlobPrefixes::default();
        for matcher in rules.iter().flat_map(|rule| rule.matcher.parts()) {
            match matcher {
                Matcher::Call(patterns) => patterns.iter().for_each(|p| globs.add(p)),
                Matcher::Before { trigger, required } => {
                    trigger.iter().chain(required).for_each(|p| globs.add(p));
                }
                Matcher::Validate(spec) => spec.sources.iter().for_each(|p| globs.add(p)),
                Matcher::Pattern(_) => globs.all = true,
                _ => {}
            }
        }
        globs
    }

    fn add(&mut self, pattern: &PathPattern) {
        if let Some((_, ty)) = pattern.method_of() {
            // `use pingora::prelude::*;` brings the type `Server` of `pingora::prelude::Server.run_forever`.
            match ty.segments.split_last() {
                _ if pattern.any_prefix => self.any = true,
                Some((_, [])) | None => {}
                Some((_, prefix)) if prefix.iter().any(|s| s.contains('*')) => self.all = true,
                Some((_, prefix)) => {
                    self.exact.insert(prefix.to_vec());
                }
            }
        }
        match pattern.segments.split_last() {
            _ if pattern.any_prefix => self.any = true,
            Some((_, [])) | None => {}
            Some((_, prefix)) if prefix.iter().any(|s| s.contains('*')) => self.all = true,
            Some((_, prefix)) => {
                self.exact.insert(prefix.to_vec());
            }
        }
    }

    /// Whether a glob of `prefix` is worth keeping, `kept` globs being kept already.
    pub fn keeps(&self, prefix: &[String], kept: usize) -> bool {
        self.all || self.exact.contains(prefix) || (self.any && kept == 0)
    }
}

impl Triggers {
    /// Indexes `rules` by what they look at.
    pub(crate) fn compile(rules: &[Rule]) -> Self {
        let mut methods: Vec<(String, Vec<RuleIndex>)> = Vec::new();
        let mut macros: Vec<(String, Vec<RuleIndex>)> = Vec::new();
        let mut calls = Vec::new();
        let mut index = Vec::new();
        let mut patterns = Vec::new();
        let mut befores = Vec::new();
        let mut validates = Vec::new();
        let mut needles: Vec<Needle> = Vec::new();
        let parts = rules
            .iter()
            .enumerate()
            .flat_map(|(index, rule)| rule.matcher.parts().iter().map(move |part| (index, part)));
        for (rule_index, matcher) in parts {
            let (table, names) = match matcher {
                Matcher::Method(names) => (&mut methods, names),
                Matcher::Macro(names) => (&mut macros, names),
                Matcher::Call(patterns) => {
                    for pattern in patterns {
                        needles.push(pattern.needle());
                        calls.push((pattern.clone(), rule_index));
                    }
                    continue;
                }
                Matcher::Index(key) => {
                    let text = if *key == IndexKey::Reference {
                        "[&"
                    } else {
                        "["
                    };
                    needles.push(Needle {
                        text: text.to_owned(),
                        word_start: false,
                        word_end: false,
                        file_word: None,
                    });
                    index.push((*key, rule_index));
                    continue;
                }
                Matcher::Pattern(pattern) => {
                    let Some(anchor) = pattern.anchor() else {
                        continue;
                    };
                    let word = match &anchor {
                        Anchor::Method(name) | Anchor::Call(name) | Anchor::Macro(name) => {
                            name.clone()
                        }
                        Anchor::Cast => "as".to_owned(),
                    };
                    needles.push(Needle {
                        text: word,
                        word_start: true,
                        word_end: true,
                        file_word: None,
                    });
                    patterns.push((pattern.clone(), anchor, rule_index));
                    continue;
                }
                Matcher::Before { trigger, required } => {
                    // Only a trigger can produce a finding; it and its requirement share a function.
                    needles.extend(trigger.iter().map(PathPattern::needle));
                    befores.push((trigger.clone(), required.clone(), rule_index));
                    continue;
                }
                Matcher::Validate(spec) => {
                    needles.extend(
                        spec.sources
                            .iter()
                            .chain(&spec.source_methods)
                            .map(PathPattern::needle),
                    );
                    validates.push((spec.clone(), rule_index));
                    continue;
                }
                Matcher::Either(_) | Matcher::Builtin(_) => continue,
            };
            for name in names {
                needles.push(Needle {
                    text: name.clone(),
                    word_start: true,
                    word_end: true,
                    file_word: None,
                });
                match table.iter_mut().find(|(known, _)| known == name) {
                    Some((_, indices)) => indices.push(rule_index),
                    None => table.push((name.clone(), vec![rule_index])),
                }
            }
        }
        let search = build_search(&mut needles);
        Triggers {
            methods,
            macros,
            calls,
            index,
            patterns,
            befores,
            validates,
            needles,
            search,
            globs: GlobPrefixes::of(rules),
        }
    }

    /// Which glob imports can matter to these rules.
    pub fn glob_prefixes(&self) -> &GlobPrefixes {
        &self.globs
    }

    /// Rules that look at method calls named `name`.
    pub fn method_rules(&self, name: &proc_macro2::Ident) -> &[RuleIndex] {
        lookup(&self.methods, name)
    }

    /// Rules that look at macro invocations named `name`.
    pub fn macro_rules(&self, name: &proc_macro2::Ident) -> &[RuleIndex] {
        lookup(&self.macros, name)
    }

    /// Pattern rules with their anchors.
    pub fn patterns(&self) -> &[(Pattern, Anchor, RuleIndex)] {
        &self.patterns
    }

    /// Whether any rule resolves paths through the file's `use` declarations.
    pub fn needs_imports(&self) -> bool {
        !self.calls.is_empty()
            || !self.patterns.is_empty()
            || !self.befores.is_empty()
            || !self.validates.is_empty()
    }

    /// `validate` rules.
    pub fn validates(&self) -> &[(ValidateSpec, RuleIndex)] {
        &self.validates
    }

    /// `before` rules: triggers, requirements, rule.
    pub fn befores(&self) -> &[(Vec<PathPattern>, Vec<PathPattern>, RuleIndex)] {
        &self.befores
    }

    /// Whether any rule looks at function calls.
    pub fn has_call_rules(&self) -> bool {
        !self.calls.is_empty()
    }

    /// Rules matching a call to the resolved path `path`.
    pub fn call_rules(&self, path: &[String]) -> Vec<RuleIndex> {
        let mut rules: Vec<RuleIndex> = self
            .calls
            .iter()
            .filter(|(pattern, _)| pattern.matches(path))
            .map(|(_, rule)| *rule)
            .collect();
        rules.dedup();
        rules
    }

    /// Whether any rule looks at indexing expressions.
    pub fn has_index_rules(&self) -> bool {
        !self.index.is_empty()
    }

    /// Rules matching an indexing expression whose index is (`reference`) or is not a `&…`.
    pub fn index_rules(&self, reference: bool) -> Vec<RuleIndex> {
        self.index
            .iter()
            .filter(|(key, _)| reference || *key == IndexKey::Any)
            .map(|(_, rule)| *rule)
            .collect()
    }

    /// Byte offsets of occurrences of any trigger in `text`, in order, respecting word
    /// boundaries where the trigger is a whole name.
    ///
    /// Comments and strings count too: this is a cheap necessary condition, not a match.
    pub fn find_words(&self, text: &str) -> Vec<usize> {
        let Some(search) = &self.search else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        let mut file_words: Vec<(String, bool)> = Vec::new();
        let mut hits: Vec<usize> = search
            .find_overlapping_iter(text)
            .filter(|hit| {
                let needle = &self.needles[hit.pattern().as_usize()];
                let before = hit.start().checked_sub(1).and_then(|i| bytes.get(i));
                let after = bytes.get(hit.end());
                if let Some(word) = &needle.file_word {
                    let known = file_words
                        .iter()
                        .find(|(w, _)| w == word)
                        .map(|(_, present)| *present);
                    let present = known.unwrap_or_else(|| {
                        let present = find_word(text, word).next().is_some();
                        file_words.push((word.clone(), present));
                        present
                    });
                    if !present {
                        return false;
                    }
                }
                let joined_before = needle.word_start && before.is_some_and(|&b| is_ident_byte(b));
                let joined_after = needle.word_end && after.is_some_and(|&b| is_ident_byte(b));
                !(joined_before || joined_after)
            })
            .map(|hit| hit.start())
            .collect();
        hits.dedup();
        hits
    }
}

/// One automaton over every needle (sorted and deduplicated in place), reporting overlaps so
/// that no needle hides another at the same place.
fn build_search(needles: &mut Vec<Needle>) -> Option<AhoCorasick> {
    needles.sort_by(|a, b| a.text.cmp(&b.text));
    needles.dedup();
    if needles.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(needles.iter().map(|n| &n.text))
        .ok()
}

/// Byte offsets of whole-word occurrences of `word` in `text`.
pub fn find_word(text: &str, word: &str) -> impl Iterator<Item = usize> {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, word.as_bytes()).filter(move |&at| {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(at + word.len());
        !before.is_some_and(|&b| is_ident_byte(b)) && !after.is_some_and(|&b| is_ident_byte(b))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn path_patterns() {
        let exit = PathPattern::parse("std::process::exit").unwrap();
        assert!(exit.matches(&path("std::process::exit")));
        assert!(!exit.matches(&path("my::std::process::exit")));
        let from = PathPattern::parse("serde_json::from_*").unwrap();
        assert!(from.matches(&path("serde_json::from_str")));
        assert!(!from.matches(&path("serde_json::to_string")));
        let serve = PathPattern::parse("*::Server::bind").unwrap();
        assert!(serve.matches(&path("hyper::Server::bind")));
        assert!(!serve.matches(&path("bind")));
        let ready = PathPattern::parse("*_ready*").unwrap();
        assert!(ready.matches(&path("deps::is_ready_now")));
        assert!(PathPattern::parse("std::*").is_err());
        assert!(PathPattern::parse("a::::b").is_err());
        assert_eq!(
            from.needle(),
            Needle {
                text: "from_".to_owned(),
                word_start: true,
                word_end: false,
                file_word: Some("serde_json".to_owned()),
            }
        );
        assert_eq!(serve.needle().text, "Server");
        let run = PathPattern::parse("pingora::server::Server.run_forever").unwrap();
        assert!(run.is_method() && run.last_matches("run_forever"));
        assert!(run.matches(&path("pingora::server::Server::run_forever")));
        assert_eq!(run.to_string(), "pingora::server::Server.run_forever");
        let (_, ty) = run.method_of().unwrap();
        assert_eq!(ty.name(), "Server");
        assert!(ty.matches(&path("pingora::server::Server")));
        assert!(!ty.matches(&path("hyper::Server")));
        assert!(PathPattern::parse(".run").is_err());
        assert!(PathPattern::parse("a.b.c").is_err());
        assert!(PathPattern::parse("Server.").is_err());
    }
}
