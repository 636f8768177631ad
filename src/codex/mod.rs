//! The rule model: what a rule is, once loaded and validated, and the Codex that holds them.
//!
//! Reading and checking TOML lives in [`load`]; compiling what a rule matches into lookups the
//! walk can use lives in [`matcher`]. The engine sees only the types here, never TOML.

mod builtin;
pub mod clippy;
pub mod compile;
pub mod load;
pub mod matcher;
pub mod pattern;
pub mod reference;
pub mod review;

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use builtin::Builtin;
pub use clippy::ClippyLints;
pub use load::{LoadError, LoadWarning, Overrides, RuleOverride, Sources};
pub use matcher::{IndexKey, Matcher, Narrowing, PathPattern, Triggers, ValidateSpec};
pub use review::ReviewRule;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum Severity {
    /// Something that breaks in production.
    Error,
    /// Something that is likely to break.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The lowercase name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How far a rule has been rolled out: the Codex applies "fail small" to itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum Stage {
    /// Reported only in machine formats; never changes the exit code.
    Shadow,
    /// Shown everywhere; never changes the exit code.
    Warn,
    /// Shown everywhere; a finding makes the run fail.
    Enforce,
}

impl Stage {
    /// The lowercase name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Shadow => "shadow",
            Stage::Warn => "warn",
            Stage::Enforce => "enforce",
        }
    }
}

/// Which kind of code a finding sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum Scope {
    /// Code that ships.
    Prod,
    /// Code compiled only for tests.
    Test,
    /// Benchmarks.
    Bench,
    /// Examples.
    Example,
    /// Build scripts.
    Build,
}

impl Scope {
    /// The lowercase name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Prod => "prod",
            Scope::Test => "test",
            Scope::Bench => "bench",
            Scope::Example => "example",
            Scope::Build => "build",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How safe a suggested fix is to apply without review (ruff's `Applicability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "String")]
pub enum Applicability {
    /// Keeps the code's meaning: applied by `--fix`.
    Safe,
    /// May change meaning or not compile: applied by `--fix --unsafe-fixes`.
    Unsafe,
    /// Shown as a suggestion only, never applied.
    DisplayOnly,
}

impl Applicability {
    /// The name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

impl TryFrom<String> for Applicability {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "safe" => Ok(Applicability::Safe),
            "unsafe" => Ok(Applicability::Unsafe),
            "display-only" => Ok(Applicability::DisplayOnly),
            other => Err(format!(
                "unknown applicability `{other}`: expected one of `safe`, `unsafe`, `display-only`"
            )),
        }
    }
}

/// A rule's suggested fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixSpec {
    /// What the fix does to the code.
    pub kind: FixKind,
    /// How safe it is.
    pub applicability: Applicability,
    /// What the fix does, for people.
    pub description: String,
}

/// The kinds of fix a rule file can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixKind {
    /// `.unwrap()` → `?` where the enclosing function returns `Result` or `Option`.
    TryOperator,
    /// The matched code becomes the template, each metavariable replaced by the source text of
    /// the code bound to it.
    Template(Vec<TemplatePart>),
}

/// A piece of a fix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Text written as is.
    Text(String),
    /// A metavariable: the source text of the code bound to it.
    Var(String),
}

/// One rule of the Codex, loaded and validated.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Short stable code, e.g. `CX0001`: suppressions and citations use it.
    pub id: String,
    /// Kebab-case name, the rule file's stem, e.g. `unwrap-outside-tests`.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// Rollout stage.
    pub stage: Stage,
    /// When set, an `enforce` rule is enforced only on matching paths and warns elsewhere.
    pub enforce_paths: Option<globset::GlobSet>,
    /// Incident ids the rule was born from.
    pub incidents: Vec<String>,
    /// Public references it cites: links and advisory ids (see [`mod@reference`]).
    pub references: Vec<String>,
    /// Scopes in which the rule applies.
    pub scopes: Vec<Scope>,
    /// The clippy lints whose `allow`/`expect` attributes also suppress this rule.
    pub clippy: Option<ClippyLints>,
    /// Whether the rule applies in const contexts (const and static initializers, `const`
    /// blocks, array lengths, const generic arguments, enum discriminants): code evaluated
    /// while compiling, where a panic fails the build instead of production.
    pub const_contexts: bool,
    /// What is wrong, as shown on each finding.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Markdown documentation: What it does / Why is this bad? / Example.
    pub doc: String,
    /// What the rule matches.
    pub matcher: Matcher,
    /// Where the rule applies.
    pub narrowing: Narrowing,
    /// A suggested fix, if the rule has one.
    pub fix: Option<FixSpec>,
    /// Where the rule came from: `rules/x.toml` inside the binary, or a path on disk.
    pub origin: String,
    /// The rule file on disk, when it was loaded from one (its fixtures sit beside it).
    pub file: Option<std::path::PathBuf>,
    /// A link to the rule, when one is known.
    pub url: Option<String>,
}

impl Rule {
    /// The stage of a finding at `path`: `enforce` narrows to `enforce_paths` when given.
    pub fn stage_at(&self, path: &str) -> Stage {
        match &self.enforce_paths {
            Some(paths) if self.stage == Stage::Enforce && !paths.is_match(path) => Stage::Warn,
            _ => self.stage,
        }
    }

    /// Whether the rule applies to code of this scope.
    pub fn applies_to(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// An incident record: what happened, and which rules came out of it.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    /// Stable id, the record's file stem, e.g. `2025-11-18-bot-management-feature-file`.
    pub id: String,
    /// Day it happened, `YYYY-MM-DD`.
    pub date: String,
    /// One-line title.
    pub title: String,
    /// What happened.
    pub summary: String,
    /// Where the public post-mortem is.
    pub source: Option<String>,
    /// Rules that came out of it.
    pub rules: Vec<String>,
    /// Where the record came from.
    pub origin: String,
    /// The record on disk, when it was read from one.
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
}

/// Index of a rule inside its [`Codex`].
pub type RuleIndex = usize;

/// The loaded, validated set of rules and incidents, with matchers compiled for the walk.
#[derive(Debug)]
pub struct Codex {
    rules: Vec<Rule>,
    incidents: Vec<Incident>,
    by_code: HashMap<String, RuleIndex>,
    triggers: Triggers,
    warnings: Vec<LoadWarning>,
    review: Vec<ReviewRule>,
}

impl Codex {
    /// Builds a Codex from rules already validated by [`load`].
    pub(crate) fn new(rules: Vec<Rule>, incidents: Vec<Incident>) -> Self {
        let mut by_code = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            by_code.insert(rule.id.clone(), index);
            by_code.insert(rule.name.clone(), index);
        }
        let triggers = Triggers::compile(&rules);
        Codex {
            rules,
            incidents,
            by_code,
            triggers,
            warnings: Vec::new(),
            review: Vec::new(),
        }
    }

    /// The same Codex, with its review rules (which the walk never sees).
    pub(crate) fn with_review_rules(mut self, review: Vec<ReviewRule>) -> Self {
        self.review = review;
        self
    }

    /// Every review rule, sorted by code.
    pub fn review_rules(&self) -> &[ReviewRule] {
        &self.review
    }

    /// The review rule with this code (`CX0101`) or name.
    pub fn review_rule(&self, code_or_name: &str) -> Option<&ReviewRule> {
        self.review
            .iter()
            .find(|rule| rule.id == code_or_name || rule.name == code_or_name)
    }

    /// The same Codex, with what loading it found that loads but has no effect.
    pub(crate) fn with_warnings(mut self, warnings: Vec<LoadWarning>) -> Self {
        self.warnings = warnings;
        self
    }

    /// What loading found that loads but has no effect (an `enforce_paths` on a rule that is
    /// not enforced), for the front end to show.
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// Every rule, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule at `index`.
    pub fn rule(&self, index: RuleIndex) -> Option<&Rule> {
        self.rules.get(index)
    }

    /// Every incident record.
    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// The incident with this id.
    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|incident| incident.id == id)
    }

    /// Finds a rule by its code (`CX0001`) or its name (`unwrap-outside-tests`).
    pub fn find(&self, code_or_name: &str) -> Option<RuleIndex> {
        self.by_code.get(code_or_name).copied()
    }

    /// The index of the built-in rule of this kind, when it is enabled.
    pub fn builtin(&self, kind: Builtin) -> Option<RuleIndex> {
        self.rules
            .iter()
            .position(|rule| rule.matcher == Matcher::Builtin(kind))
    }

    /// The compiled lookups the walk uses.
    pub fn triggers(&self) -> &Triggers {
        &self.triggers
    }
}

impl TryFrom<String> for Severity {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            other => Err(format!(
                "unknown severity `{other}`: expected one of `error`, `warning`, `info`"
            )),
        }
    }
}

impl TryFrom<String> for Stage {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "shadow" => Ok(Stage::Shadow),
            "warn" => Ok(Stage::Warn),
            "enforce" => Ok(Stage::Enforce),
            other => Err(format!(
                "unknown stage `{other}`: expected one of `shadow`, `warn`, `enforce`"
            )),
        }
    }
}

impl TryFrom<String> for Scope {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "prod" => Ok(Scope::Prod),
            "test" => Ok(Scope::Test),
            "bench" => Ok(Scope::Bench),
            "example" => Ok(Scope::Example),
            "build" => Ok(Scope::Build),
            other => Err(format!(
                "unknown scope `{other}`: expected one of `prod`, `test`, `bench`, `example`, `build`"
            )),
        }
    }
}
