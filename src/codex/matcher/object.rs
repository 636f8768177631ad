//! Rule objects: what a `[match]` table with relational or composite keys compiles to, as in
//! ast-grep. Every key present must hold: what the node is (`pattern`, `method`, `macro`,
//! `call`, `kind`, `regex`), where it is (`inside`, `not_inside`, `has`, `not_has`), and logic
//! (`all`, `any`, `not`, `matches`), with constraints on metavariables (`where`).
//!
//! Also here: which kinds of node an object can match ([`RuleObject::tags`]), to offer it only
//! those, and the words its matches contain ([`RuleObject::needles`]), for the word search.

use std::sync::Arc;

use super::PathPattern;
use super::triggers::Needle;
use crate::codex::pattern::{Pattern, Tag, Tags};

/// A compiled rule object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleObject {
    /// What the node is, by its syntax.
    pub atomic: Option<Atomic>,
    /// What kind of node it is.
    pub kind: Option<KindTest>,
    /// A regular expression its source text must match.
    pub regex: Option<TextRegex>,
    /// A regular expression its source text must not match.
    pub not_regex: Option<TextRegex>,
    /// An ancestor must match.
    pub inside: Option<Relation>,
    /// No ancestor may match.
    pub not_inside: Option<Relation>,
    /// A descendant must match.
    pub has: Option<Relation>,
    /// No descendant may match.
    pub not_has: Option<Relation>,
    /// Every one must match.
    pub all: Vec<RuleObject>,
    /// At least one must match (when not empty).
    pub any: Vec<RuleObject>,
    /// Must not match.
    pub not: Option<Box<RuleObject>>,
    /// A named utility rule that must match.
    pub matches: Option<Arc<Util>>,
    /// Rules the code bound to metavariables must match, by metavariable name.
    pub constraints: Vec<(String, RuleObject)>,
}

/// What a node is, by its syntax: at most one per rule object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atomic {
    /// A pattern.
    Pattern(Pattern),
    /// Method calls by name.
    Method(Vec<String>),
    /// Macro invocations by name.
    Macro(Vec<String>),
    /// Function calls by path, resolved through `use`.
    Call(Vec<PathPattern>),
}

/// A named utility rule (`matches = "name"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Util {
    /// Its name.
    pub name: String,
    /// Its rule.
    pub object: RuleObject,
}

/// A relational key: the rule another node must match, and how far to look for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// What the other node must match.
    pub rule: Arc<RuleObject>,
    /// How far to look.
    pub stop_by: StopBy,
}

/// How far a relational rule looks (ast-grep's `stopBy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopBy {
    /// The parent (`inside`) or the direct children (`has`) only.
    Neighbor,
    /// All ancestors or all descendants.
    End,
    /// Up or down to the first node matching this rule, that node included.
    Rule(Arc<RuleObject>),
}

/// A regular expression over a node's source text.
#[derive(Debug, Clone)]
pub struct TextRegex(pub regex::Regex);

impl Eq for TextRegex {}

impl PartialEq for TextRegex {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

/// A `kind` test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTest {
    /// The kind.
    pub kind: Kind,
    /// `not-…`: the node must not be of this kind.
    pub negated: bool,
}

macro_rules! kinds {
    ($($kind:ident = $name:literal: $doc:literal,)*) => {
        /// A kind of node a rule can name (`kind = "unsafe-block"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kind {
            $(#[doc = $doc] $kind,)*
        }

        /// Every kind, with its name and what it is.
        pub const KIND_NAMES: &[(Kind, &str, &str)] = &[$((Kind::$kind, $name, $doc),)*];
    };
}

kinds! {
    Expression = "expression": "any expression",
    Literal = "literal": "a literal: `1`, `\"a\"`, `true`",
    String = "string": "a string literal",
    Integer = "integer": "an integer literal",
    Identifier = "identifier": "a single name: `x`, `config`",
    Path = "path": "a path, in an expression or a type: `std::env::var`",
    Call = "call": "a function call",
    MethodCall = "method-call": "a method call",
    Macro = "macro": "a macro invocation",
    Closure = "closure": "a closure",
    Block = "block": "a block expression `{ .. }`",
    UnsafeBlock = "unsafe-block": "an `unsafe { .. }` block",
    AsyncBlock = "async-block": "an `async { .. }` block",
    Loop = "loop": "a `for`, `while` or `loop` loop",
    If = "if": "an `if` (or `if let`) expression",
    Match = "match": "a `match` expression",
    Await = "await": "an `.await`",
    Try = "try": "a `?`",
    StructLiteral = "struct-literal": "a struct literal `X { .. }`",
    Reference = "reference": "a reference `&x`, `&mut x`",
    Cast = "cast": "an `as` cast",
    Field = "field": "a field access `x.f`",
    Index = "index": "an indexing `x[i]`",
    Return = "return": "a `return`",
    Let = "let": "a `let` statement",
    Fn = "fn": "a function, in a module, an impl or a trait",
    UnsafeFn = "unsafe-fn": "an `unsafe fn`",
    AsyncFn = "async-fn": "an `async fn`",
    Impl = "impl": "an `impl` block",
    UnsafeImpl = "unsafe-impl": "an `unsafe impl` block",
    Trait = "trait": "a trait definition",
    Mod = "mod": "a module",
    Use = "use": "a `use` item",
    Struct = "struct": "a struct definition",
    Enum = "enum": "an enum definition",
    Static = "static": "a `static` item",
    Const = "const": "a `const` item",
    Item = "item": "any item",
    Type = "type": "a type",
    Attribute = "attribute": "an attribute `#[..]`",
}

impl Kind {
    /// The kind named `name`.
    pub fn named(name: &str) -> Option<Kind> {
        KIND_NAMES
            .iter()
            .find(|(_, known, _)| *known == name)
            .map(|(kind, _, _)| *kind)
    }

    /// The nodes of this kind (a superset for kinds with a further test, like `unsafe-fn`).
    pub fn tags(self) -> Tags {
        let of = Tags::of;
        match self {
            Kind::Expression => Tags::expressions(),
            Kind::Literal | Kind::String | Kind::Integer => of(Tag::Lit),
            Kind::Identifier | Kind::Path => Tags::all_of(&[Tag::ExprPath, Tag::TypePath]),
            Kind::Call => of(Tag::Call),
            Kind::MethodCall => of(Tag::MethodCall),
            Kind::Macro => of(Tag::Macro),
            Kind::Closure => of(Tag::Closure),
            Kind::Block => of(Tag::Block),
            Kind::UnsafeBlock => of(Tag::Unsafe),
            Kind::AsyncBlock => of(Tag::Async),
            Kind::Loop => Tags::all_of(&[Tag::ForLoop, Tag::While, Tag::Loop]),
            Kind::If => of(Tag::If),
            Kind::Match => of(Tag::Match),
            Kind::Await => of(Tag::Await),
            Kind::Try => of(Tag::Try),
            Kind::StructLiteral => of(Tag::Struct),
            Kind::Reference => of(Tag::Reference),
            Kind::Cast => of(Tag::Cast),
            Kind::Field => of(Tag::Field),
            Kind::Index => of(Tag::Index),
            Kind::Return => of(Tag::Return),
            Kind::Let => of(Tag::Local),
            Kind::Fn | Kind::UnsafeFn | Kind::AsyncFn => of(Tag::Fn),
            Kind::Impl | Kind::UnsafeImpl => of(Tag::Impl),
            Kind::Trait => of(Tag::Trait),
            Kind::Mod => of(Tag::Mod),
            Kind::Use => of(Tag::Use),
            Kind::Struct => of(Tag::ItemStruct),
            Kind::Enum => of(Tag::ItemEnum),
            Kind::Static => of(Tag::Static),
            Kind::Const => of(Tag::Const),
            Kind::Item => Tags::all_of(&[
                Tag::Fn,
                Tag::Impl,
                Tag::Mod,
                Tag::Use,
                Tag::Static,
                Tag::Const,
                Tag::ItemStruct,
                Tag::ItemEnum,
                Tag::Trait,
                Tag::ItemType,
                Tag::OtherItem,
            ]),
            Kind::Type => Tags::types(),
            Kind::Attribute => of(Tag::Attr),
        }
    }

    /// A keyword every node of this kind spells, if any.
    fn keywords(self) -> Option<&'static [&'static str]> {
        Some(match self {
            Kind::UnsafeBlock | Kind::UnsafeFn | Kind::UnsafeImpl => &["unsafe"],
            Kind::AsyncBlock | Kind::AsyncFn => &["async"],
            Kind::Fn => &["fn"],
            Kind::Loop => &["for", "while", "loop"],
            Kind::If => &["if"],
            Kind::Match => &["match"],
            Kind::Await => &["await"],
            Kind::Cast => &["as"],
            Kind::Return => &["return"],
            Kind::Let => &["let"],
            Kind::Use => &["use"],
            Kind::Static => &["static"],
            Kind::Const => &["const"],
            Kind::Struct => &["struct"],
            Kind::Enum => &["enum"],
            _ => return None,
        })
    }
}

/// Items whose members may be left out of the parse (`impl`, trait, module): a rule that can
/// match one must see all of it.
fn block_items() -> Tags {
    Tags::all_of(&[Tag::Impl, Tag::Trait, Tag::Mod, Tag::OtherItem])
}

fn word(text: &str) -> Needle {
    Needle {
        text: text.to_owned(),
        word_start: true,
        word_end: true,
        file_word: None,
    }
}

impl RuleObject {
    /// A rule object of one pattern.
    pub fn of_pattern(pattern: Pattern) -> Self {
        RuleObject {
            atomic: Some(Atomic::Pattern(pattern)),
            ..RuleObject::default()
        }
    }

    /// The kinds of nodes the object can match; `None` when it does not narrow them (it holds
    /// only `not`, `regex` or relations).
    pub fn tags(&self) -> Option<Tags> {
        let mut narrowed: Option<Tags> = None;
        let mut narrow = |tags: Tags| {
            narrowed = Some(narrowed.map_or(tags, |known| known.intersection(tags)));
        };
        match &self.atomic {
            Some(Atomic::Pattern(pattern)) => narrow(pattern.tags()),
            Some(Atomic::Method(_)) => narrow(Tags::of(Tag::MethodCall)),
            Some(Atomic::Macro(_)) => narrow(Tags::of(Tag::Macro)),
            Some(Atomic::Call(_)) => narrow(Tags::of(Tag::Call)),
            None => {}
        }
        if let Some(kind) = self.kind.as_ref().filter(|kind| !kind.negated) {
            narrow(kind.kind.tags());
        }
        for child in &self.all {
            if let Some(tags) = child.tags() {
                narrow(tags);
            }
        }
        if !self.any.is_empty() {
            let union = self
                .any
                .iter()
                .map(RuleObject::tags)
                .try_fold(Tags::NONE, |set, tags| tags.map(|tags| set.union(tags)));
            if let Some(union) = union {
                narrow(union);
            }
        }
        if let Some(util) = &self.matches
            && let Some(tags) = util.object.tags()
        {
            narrow(tags);
        }
        narrowed
    }

    /// Words one of which every match contains; `None` when they cannot be derived, and the
    /// items must all be parsed.
    pub(in crate::codex) fn needles(&self) -> Option<Vec<Needle>> {
        if self
            .tags()
            .is_none_or(|tags| !tags.intersection(block_items()).is_empty())
        {
            return None;
        }
        self.own_needles()
    }

    fn own_needles(&self) -> Option<Vec<Needle>> {
        let atomic = match &self.atomic {
            Some(Atomic::Pattern(pattern)) => pattern.word().map(|w| vec![word(&w.text)]),
            Some(Atomic::Method(names) | Atomic::Macro(names)) => {
                Some(names.iter().map(|name| word(name)).collect())
            }
            Some(Atomic::Call(paths)) => Some(paths.iter().map(PathPattern::needle).collect()),
            None => None,
        };
        let kind = self
            .kind
            .as_ref()
            .filter(|kind| !kind.negated)
            .and_then(|kind| kind.kind.keywords())
            .map(|keywords| keywords.iter().map(|k| word(k)).collect());
        let any = if self.any.is_empty() {
            None
        } else {
            self.any
                .iter()
                .map(RuleObject::own_needles)
                .try_fold(Vec::new(), |mut all, needles| {
                    all.extend(needles?);
                    Some(all)
                })
        };
        let has = self.has.as_ref().and_then(|has| has.rule.own_needles());
        let all = self.all.iter().find_map(RuleObject::own_needles);
        let util = self.matches.as_ref().and_then(|u| u.object.own_needles());
        atomic.or(kind).or(any).or(all).or(util).or(has)
    }

    /// Every rule object inside this one (itself first), through relations, composites,
    /// constraints and utilities.
    pub fn walk<'o>(&'o self, visit: &mut dyn FnMut(&'o RuleObject)) {
        visit(self);
        for relation in [&self.inside, &self.not_inside, &self.has, &self.not_has]
            .into_iter()
            .flatten()
        {
            relation.rule.walk(visit);
            if let StopBy::Rule(stop) = &relation.stop_by {
                stop.walk(visit);
            }
        }
        for child in self.all.iter().chain(&self.any) {
            child.walk(visit);
        }
        if let Some(not) = &self.not {
            not.walk(visit);
        }
        if let Some(util) = &self.matches {
            util.object.walk(visit);
        }
        for (_, constraint) in &self.constraints {
            constraint.walk(visit);
        }
    }

    /// What the object matches, in one line (`explain`).
    pub fn describe(&self) -> String {
        let what = match &self.atomic {
            Some(Atomic::Pattern(pattern)) => format!("code matching `{}`", pattern.source),
            Some(Atomic::Method(names)) => format!("method calls .{}()", names.join("(), .")),
            Some(Atomic::Macro(names)) => format!("macro invocations {}!", names.join("!, ")),
            Some(Atomic::Call(paths)) => {
                let paths: Vec<String> = paths.iter().map(ToString::to_string).collect();
                format!("function calls {}()", paths.join("(), "))
            }
            None => match (&self.kind, &self.matches) {
                (Some(kind), _) => {
                    let name = KIND_NAMES
                        .iter()
                        .find(|(known, _, _)| *known == kind.kind)
                        .map_or("", |(_, name, _)| *name);
                    format!("{}`{name}` nodes", if kind.negated { "non-" } else { "" })
                }
                (None, Some(util)) => format!("code matching the utility `{}`", util.name),
                (None, None) => "code".to_owned(),
            },
        };
        let mut conditions = Vec::new();
        for (key, present) in [
            ("inside", self.inside.is_some()),
            ("not inside", self.not_inside.is_some()),
            ("containing", self.has.is_some()),
            ("not containing", self.not_has.is_some()),
            ("any of several", !self.any.is_empty()),
            ("all of several", !self.all.is_empty()),
            ("not matching", self.not.is_some()),
            ("constrained", !self.constraints.is_empty()),
        ] {
            if present {
                conditions.push(key);
            }
        }
        if conditions.is_empty() {
            what
        } else {
            format!("{what} ({} rules)", conditions.join(", "))
        }
    }

    /// Whether this object or one inside it looks at ancestors (`inside`, `not_inside`).
    pub fn looks_up(&self) -> bool {
        let mut up = false;
        self.walk(&mut |object| up |= object.inside.is_some() || object.not_inside.is_some());
        up
    }
}
