//! The `[match]` table as written (serde): one struct for the top level and every rule object
//! nested in it, with the shapes that accept more than one way of writing (a name alone or a
//! list; `stop_by` as a word or a rule object).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

/// The `[match]` table as written, and any rule object nested in it: one matcher kind,
/// relational, composite and constraint keys, plus optional narrowing (at the top only).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchFile {
    pub(super) method: Option<Spanned<Names>>,
    #[serde(rename = "macro")]
    pub(super) macro_: Option<Spanned<Names>>,
    pub(super) call: Option<Spanned<Names>>,
    pub(super) index: Option<Spanned<IndexFile>>,
    pub(super) pattern: Option<Spanned<String>>,
    pub(super) before: Option<Spanned<BeforeFile>>,
    pub(super) validate: Option<Spanned<ValidateFile>>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) regex: Option<Spanned<String>>,
    pub(super) not_regex: Option<Spanned<String>>,
    pub(super) inside: Option<Spanned<Box<MatchFile>>>,
    pub(super) not_inside: Option<Spanned<Box<MatchFile>>>,
    pub(super) has: Option<Spanned<Box<MatchFile>>>,
    pub(super) not_has: Option<Spanned<Box<MatchFile>>>,
    pub(super) all: Option<Spanned<Vec<Spanned<MatchFile>>>>,
    pub(super) any: Option<Spanned<Vec<Spanned<MatchFile>>>>,
    pub(super) not: Option<Spanned<Box<MatchFile>>>,
    pub(super) matches: Option<Spanned<String>>,
    #[serde(rename = "where")]
    pub(super) where_: Option<Spanned<BTreeMap<String, Spanned<MatchFile>>>>,
    pub(super) stop_by: Option<Spanned<StopByFile>>,
    pub(super) inside_fn: Option<Vec<Spanned<String>>>,
    pub(super) not_inside_fn: Option<Vec<Spanned<String>>>,
    pub(super) paths: Option<Vec<Spanned<String>>>,
    pub(super) exclude_paths: Option<Vec<Spanned<String>>>,
}

impl MatchFile {
    /// Whether the table holds only `regex` / `not_regex`: what a run (`$...X`) can be held to.
    pub(super) fn only_text(&self) -> bool {
        self.method.is_none()
            && self.macro_.is_none()
            && self.call.is_none()
            && self.index.is_none()
            && self.pattern.is_none()
            && self.before.is_none()
            && self.validate.is_none()
            && self.kind.is_none()
            && self.inside.is_none()
            && self.not_inside.is_none()
            && self.has.is_none()
            && self.not_has.is_none()
            && self.all.is_none()
            && self.any.is_none()
            && self.not.is_none()
            && self.matches.is_none()
            && self.where_.is_none()
    }
}

/// Names as written: a list, or one name alone (`call = "std::process::exit"`).
#[derive(Debug, Clone)]
pub(super) struct Names(pub(super) Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Names;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of names like [\"unwrap\", \"expect\"], or one name")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Names, E> {
                Ok(Names(vec![Spanned::new(0..0, name.to_owned())]))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element()? {
                    names.push(name);
                }
                Ok(Names(names))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Names with their spans: one name written alone takes the span of the value.
pub(super) fn names(written: Spanned<Names>) -> Spanned<Vec<Spanned<String>>> {
    let span = written.span();
    let names = written
        .into_inner()
        .0
        .into_iter()
        .map(|name| {
            if name.span() == (0..0) {
                Spanned::new(span.clone(), name.into_inner())
            } else {
                name
            }
        })
        .collect();
    Spanned::new(span, names)
}

/// `stop_by` as written: `"neighbor"`, `"end"`, or a rule object.
#[derive(Debug, Clone)]
pub(super) enum StopByFile {
    Word(String),
    Rule(Box<MatchFile>),
}

impl<'de> Deserialize<'de> for StopByFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StopByFile;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"neighbor\", \"end\", or a rule object like { kind = \"fn\" }")
            }

            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<StopByFile, E> {
                Ok(StopByFile::Word(word.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<StopByFile, A::Error> {
                MatchFile::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|rule| StopByFile::Rule(Box::new(rule)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `index = { key = "reference" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IndexFile {
    pub(super) key: Option<Spanned<String>>,
}

/// `before = { trigger = [...], required = [...] }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BeforeFile {
    pub(super) trigger: Spanned<Vec<Spanned<String>>>,
    pub(super) required: Spanned<Vec<Spanned<String>>>,
}

/// `validate = { sources = [...], source_methods = [...], validators = [...] }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ValidateFile {
    pub(super) sources: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) source_methods: Vec<Spanned<String>>,
    pub(super) validators: Spanned<Vec<Spanned<String>>>,
}
