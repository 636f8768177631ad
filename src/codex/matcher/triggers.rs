//! [`Triggers`]: every rule of a Codex indexed by the words it looks at, one automaton over
//! all of them for the word search, and the glob imports a rule can match through.

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{IndexKey, Matcher, PathPattern, RuleObject, StopBy, ValidateSpec};
use crate::codex::pattern::{Tag, Tags};
use crate::codex::{Rule, RuleIndex};

/// A literal the word search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::codex) struct Needle {
    pub(super) text: String,
    pub(super) word_start: bool,
    pub(super) word_end: bool,
    /// A word the file must also contain for a hit to count.
    pub(super) file_word: Option<String>,
}

/// Every rule indexed by the words it looks at.
#[derive(Debug)]
pub struct Triggers {
    methods: Vec<(String, Vec<RuleIndex>)>,
    macros: Vec<(String, Vec<RuleIndex>)>,
    calls: Vec<(PathPattern, RuleIndex)>,
    index: Vec<(IndexKey, RuleIndex)>,
    objects: Objects,
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
                Matcher::Pattern(_) | Matcher::Object(_) => globs.all = true,
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
        let mut objects = Objects::default();
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
                    let object = Arc::new(RuleObject::of_pattern(pattern.clone()));
                    objects.add(object, rule_index, &mut needles);
                    continue;
                }
                Matcher::Object(object) => {
                    objects.add(object.clone(), rule_index, &mut needles);
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
            objects,
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

    /// Rules written as patterns and rule objects, and the `inside` rules they look up.
    pub fn objects(&self) -> &Objects {
        &self.objects
    }

    /// Whether any rule resolves paths through the file's `use` declarations.
    pub fn needs_imports(&self) -> bool {
        !self.calls.is_empty()
            || !self.objects.rules.is_empty()
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
        let bytes = text.as_bytes();
        if self.objects.parse_all {
            // Some rule has no word: every word is a trigger, so every item is parsed.
            return (0..bytes.len())
                .filter(|&i| {
                    let starts = bytes
                        .get(i)
                        .is_some_and(|&b| is_ident_byte(b) && !b.is_ascii_digit());
                    let joined = i
                        .checked_sub(1)
                        .and_then(|j| bytes.get(j))
                        .is_some_and(|&b| is_ident_byte(b));
                    starts && !joined
                })
                .collect();
        }
        let Some(search) = &self.search else {
            return Vec::new();
        };
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

/// Rules written as patterns or rule objects, offered the nodes of the kinds they can match,
/// and the rules of their `inside` relations, which the walk evaluates on each node it enters
/// so that looking up an ancestor is a look-up.
#[derive(Debug, Default)]
pub struct Objects {
    rules: Vec<(Arc<RuleObject>, RuleIndex)>,
    by_tag: Vec<Vec<usize>>,
    ancestors: Vec<Arc<RuleObject>>,
    ancestors_by_tag: Vec<Vec<usize>>,
    ancestor_ids: HashMap<usize, usize>,
    parse_all: bool,
}

impl Objects {
    fn add(&mut self, object: Arc<RuleObject>, rule: RuleIndex, needles: &mut Vec<Needle>) {
        match object.needles() {
            Some(found) => needles.extend(found),
            None => self.parse_all = true,
        }
        let tags = object.tags().unwrap_or_else(Tags::everything);
        let index = self.rules.len();
        index_tags(&mut self.by_tag, tags, index);
        let mut ups: Vec<Arc<RuleObject>> = Vec::new();
        object.walk(&mut |inner| {
            for relation in [&inner.inside, &inner.not_inside].into_iter().flatten() {
                ups.push(relation.rule.clone());
                if let StopBy::Rule(stop) = &relation.stop_by {
                    ups.push(stop.clone());
                }
            }
        });
        for up in ups {
            let key = Arc::as_ptr(&up) as usize;
            if self.ancestor_ids.contains_key(&key) {
                continue;
            }
            let id = self.ancestors.len();
            self.ancestor_ids.insert(key, id);
            let tags = up.tags().unwrap_or_else(Tags::everything);
            index_tags(&mut self.ancestors_by_tag, tags, id);
            self.ancestors.push(up);
        }
        self.rules.push((object, rule));
    }

    /// Whether there are any.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// The rule object at `index` and its rule.
    pub fn rule(&self, index: usize) -> Option<(&RuleObject, RuleIndex)> {
        self.rules
            .get(index)
            .map(|(object, rule)| (&**object, *rule))
    }

    /// The rules that can match a node of kind `tag`.
    pub fn for_tag(&self, tag: Tag) -> &[usize] {
        self.by_tag.get(tag as usize).map_or(&[], Vec::as_slice)
    }

    /// Whether some rule looks at ancestors.
    pub fn has_ancestors(&self) -> bool {
        !self.ancestors.is_empty()
    }

    /// The `inside` rules that can match a node of kind `tag`.
    pub fn ancestors_for(&self, tag: Tag) -> &[usize] {
        self.ancestors_by_tag
            .get(tag as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// The `inside` rule numbered `id`.
    pub fn ancestor(&self, id: usize) -> Option<&RuleObject> {
        self.ancestors.get(id).map(|object| &**object)
    }

    /// The number of the `inside` rule `rule`.
    pub fn ancestor_id(&self, rule: &Arc<RuleObject>) -> Option<usize> {
        self.ancestor_ids
            .get(&(Arc::as_ptr(rule) as usize))
            .copied()
    }
}

fn index_tags(table: &mut Vec<Vec<usize>>, tags: Tags, index: usize) {
    for tag in tags.iter() {
        let slot = tag as usize;
        if table.len() <= slot {
            table.resize_with(slot + 1, Vec::new);
        }
        table[slot].push(index);
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
