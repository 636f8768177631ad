//! Rules the tool itself raises: about inputs it could not check and suppressions that rot.
//!
//! They have no matcher a rule file could express, so they are defined here; otherwise they are
//! ordinary rules: `explain`, `codex.toml` overrides and every output format treat them alike.

use super::{Matcher, Narrowing, Rule, Scope, Severity, Stage};

/// The kinds of finding the tool raises about its own inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Builtin {
    /// A source file that cannot be read: I/O error, broken symlink, not UTF-8, too large.
    UnreadableSource,
    /// A source file that does not lex or parse, or nests too deeply to parse safely.
    UnparsableSource,
    /// An empty source file.
    EmptySource,
    /// A `codex:allow` comment without a reason.
    SuppressionWithoutReason,
    /// A `codex:allow` comment naming a rule the Codex does not have.
    UnknownRuleInSuppression,
    /// A `codex:allow` comment that suppresses nothing.
    UnusedSuppression,
    /// A `codex:allow(..., until = DATE)` comment past its date, or whose date is not one.
    ExpiredSuppression,
    /// A rule whose relational searches (`has`, statement runs, chains) ran out of their
    /// per-file budget, so its findings in the rest of the file are unknown.
    RuleSearchBudgetExhausted,
}

struct Spec {
    kind: Builtin,
    id: &'static str,
    name: &'static str,
    title: &'static str,
    severity: Severity,
    stage: Stage,
    message: &'static str,
    help: &'static str,
    doc: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        kind: Builtin::UnreadableSource,
        id: "CX9000",
        name: "unreadable-source",
        title: "source file that cannot be read",
        severity: Severity::Error,
        stage: Stage::Enforce,
        message: "this file could not be read, so no rule was checked on it",
        help: "fix the file (encoding, permissions, symlink target) or exclude it in codex.toml",
        doc: "## What it does\nReports a Rust source file that could not be read: an I/O error, a broken \
symbolic link, contents that are not UTF-8, or a file larger than `max_file_size`.\n\n\
## Why is this bad?\nA file the linter cannot read is a file no rule was checked on. Skipping it \
silently would let the very code an incident warns about through.\n\n## Example\n\
A file saved as Latin-1 instead of UTF-8.\n\nUse instead: save it as UTF-8, or add it to \
`exclude` in `codex.toml` if it is not Rust.",
    },
    Spec {
        kind: Builtin::UnparsableSource,
        id: "CX9001",
        name: "unparsable-source",
        title: "source file that does not parse",
        severity: Severity::Error,
        stage: Stage::Enforce,
        message: "this code does not parse as Rust, so no rule was checked on it",
        help: "fix the syntax error (`cargo check` shows it too) or exclude the file in codex.toml",
        doc: "## What it does\nReports Rust code that does not lex or parse, or that nests deeper than \
the parser can safely follow.\n\n## Why is this bad?\nRules cannot be checked on code that \
cannot be parsed. Other items of the same file are still checked.\n\n## Example\n\
    fn broken( {\n\nUse instead:\n\n    fn fixed() {}",
    },
    Spec {
        kind: Builtin::EmptySource,
        id: "CX9002",
        name: "empty-source",
        title: "empty source file",
        severity: Severity::Info,
        stage: Stage::Warn,
        message: "this file is empty",
        help: "delete the file, or give it content (an empty module is usually a leftover)",
        doc: "## What it does\nReports a `.rs` file with no content at all.\n\n## Why is this bad?\n\
An empty file is often a truncated write or a leftover module; it is reported so that nothing \
the run saw goes unmentioned. It never fails the run.\n\n## Example\nAn empty `src/util.rs`.\n\n\
Use instead: remove it and its `mod util;` declaration.",
    },
    Spec {
        kind: Builtin::SuppressionWithoutReason,
        id: "CX9003",
        name: "suppression-without-reason",
        title: "`codex:allow` without a reason",
        severity: Severity::Error,
        stage: Stage::Enforce,
        message: "this suppression gives no reason, so it suppresses nothing",
        help: "write why the finding is acceptable after the closing parenthesis",
        doc: "## What it does\nReports a `codex:allow(...)` comment with no reason after it. Such a \
comment does not suppress anything.\n\n## Why is this bad?\nA suppression is a decision; the \
reason is what lets a reviewer check it and a later reader undo it.\n\n## Example\n\
    let v = x.unwrap(); // codex:allow(CX0001)\n\nUse instead:\n\n\
    let v = x.unwrap(); // codex:allow(CX0001) checked non-empty two lines above",
    },
    Spec {
        kind: Builtin::UnknownRuleInSuppression,
        id: "CX9004",
        name: "unknown-rule-in-suppression",
        title: "`codex:allow` naming an unknown rule",
        severity: Severity::Error,
        stage: Stage::Enforce,
        message: "this suppression names a rule the Codex does not have",
        help: "use a rule code or name listed by `cargo codex rules`",
        doc: "## What it does\nReports a `codex:allow(...)` comment naming a rule code or name that \
the loaded Codex does not contain.\n\n## Why is this bad?\nA misspelt code suppresses nothing \
while looking as if it did.\n\n## Example\n    // codex:allow(CX001) typo\n\nUse instead:\n\n\
    // codex:allow(CX0001) reason",
    },
    Spec {
        kind: Builtin::UnusedSuppression,
        id: "CX9005",
        name: "unused-suppression",
        title: "`codex:allow` that suppresses nothing",
        severity: Severity::Warning,
        stage: Stage::Enforce,
        message: "this suppression matches no finding",
        help: "remove the comment: the code it excused has changed",
        doc: "## What it does\nReports a `codex:allow(...)` comment for a rule that has no finding on \
the line it covers.\n\n## Why is this bad?\nStale suppressions rot silently: when the code \
changes again, they would hide a new, unreviewed finding.\n\n## Example\n\
    // codex:allow(CX0001) parsed above\n    let v = x.unwrap_or_default();\n\n\
Use instead: remove the comment.",
    },
    Spec {
        kind: Builtin::ExpiredSuppression,
        id: "CX9006",
        name: "expired-suppression",
        title: "`codex:allow` past its `until` date",
        severity: Severity::Warning,
        stage: Stage::Warn,
        message: "this suppression has expired, so the finding it covered is reported again",
        help: "fix the code, or write a new `until` date with the reason it still holds",
        doc: "## What it does\nReports a `codex:allow(CODES, until = YYYY-MM-DD) reason` comment \
whose date has passed (it is compared with today's date in UTC), or whose `until` is not a day \
written `YYYY-MM-DD`. Such a comment suppresses nothing: the findings it covered are reported \
again, with their own rule's stage. It is a warning; set `[rules.CX9006] stage = \"enforce\"` in \
`codex.toml` to fail the run on any expired suppression.\n\n## Why is this bad?\nA \
suppression that is meant to be temporary (until a dependency is upgraded, a migration ends) \
is forgotten once it is written. A date turns it into a decision someone has to renew, as \
vulnerability scanners do with ignores that expire.\n\n## Example\n\n    // codex:allow(CX0001, until = 2026-01-31) the loader validates it until v2\n    \
let port = env_port().unwrap();\n\nUse instead: the fix the comment was waiting for, or a new \
date and reason.",
    },
    Spec {
        kind: Builtin::RuleSearchBudgetExhausted,
        id: "CX9007",
        name: "rule-search-budget-exhausted",
        title: "rule whose searches ran out of budget in a file",
        severity: Severity::Warning,
        stage: Stage::Enforce,
        message: "a rule's searches ran out of budget here, so its findings in the rest of this \
file are unknown",
        help: "split the generated or repetitive code, or exclude the file in codex.toml; the \
budget is 64 search steps per byte of the file",
        doc: "## What it does\nReports, once per rule and file, the node where a rule's relational \
searches (`has`, `..` runs of statements or arguments, method-chain ellipsis) ran out of the \
budget they share in that file: 64 steps per byte, far more than code written by people \
needs. From that node to the end of the file, that rule's findings are unknown; the message \
names the rule.\n\n## Why is this bad?\nThe budget keeps a hostile file from making a run \
quadratic, but a file that exhausts it would otherwise lose the rule's findings silently, \
and code placed after the exhausting part would pass unchecked. It is enforced, like a file \
that does not parse, so that such input cannot be used to slip a finding through; it is a \
warning because the code itself may be fine.\n\n## Example\nA generated file of 20,000 \
statements searched by a rule `let $A = x(); ..; never($A);`, where every `let` starts a \
search to the end of the block.\n\nUse instead: split the generated code into smaller \
functions or files, or exclude it in `codex.toml` if it is not reviewed code.",
    },
];

impl Builtin {
    /// Every built-in kind.
    pub const ALL: [Builtin; 8] = [
        Builtin::UnreadableSource,
        Builtin::UnparsableSource,
        Builtin::EmptySource,
        Builtin::SuppressionWithoutReason,
        Builtin::UnknownRuleInSuppression,
        Builtin::UnusedSuppression,
        Builtin::ExpiredSuppression,
        Builtin::RuleSearchBudgetExhausted,
    ];

    /// The rule for this kind, before `codex.toml` overrides.
    pub(crate) fn rule(self) -> Option<Rule> {
        let spec = SPECS.iter().find(|spec| spec.kind == self)?;
        Some(Rule {
            id: spec.id.to_owned(),
            name: spec.name.to_owned(),
            title: spec.title.to_owned(),
            severity: spec.severity,
            stage: spec.stage,
            enforce_paths: None,
            incidents: Vec::new(),
            references: Vec::new(),
            scopes: vec![
                Scope::Prod,
                Scope::Test,
                Scope::Bench,
                Scope::Example,
                Scope::Build,
            ],
            clippy: None,
            const_contexts: true,
            message: spec.message.to_owned(),
            help: Some(spec.help.to_owned()),
            doc: spec.doc.to_owned(),
            matcher: Matcher::Builtin(self),
            narrowing: Narrowing::default(),
            fix: None,
            origin: "built-in".to_owned(),
            file: None,
            url: None,
        })
    }
}
