//! The `rules` and `explain` tools: the Codex's rules in a list, and one rule in full (its doc,
//! the incidents it comes from, its examples), from the same data as `cargo codex rules` and
//! `cargo codex explain`.

use std::path::Path;

use serde_json::{Value, json};

use super::budget;
use super::error::ToolError;
use super::project::Project;
use crate::author::{self, explain};
use crate::codex::review::{self, ReviewRule};
use crate::codex::{Codex, Matcher};
use crate::source::boundary::{self, Boundary};

/// Every rule of the project's Codex: code, name, title, stage, severity, kind.
pub(crate) fn rules(project: &Project) -> Value {
    let codex = &project.codex;
    let items: Vec<Value> = codex
        .rules()
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id, "name": rule.name, "title": rule.title,
                "stage": rule.stage, "severity": rule.severity, "kind": kind(&rule.matcher),
                "scopes": rule.scopes, "incidents": rule.incidents,
            })
        })
        .chain(codex.review_rules().iter().map(|rule| {
            json!({
                "id": rule.id, "name": rule.name, "title": rule.title,
                "stage": null, "severity": null, "kind": review::KIND,
                "scopes": [], "incidents": rule.incidents,
            })
        }))
        .collect();
    let total = items.len();
    let items = budget::fit(items, budget::OUTPUT_BYTES);
    let shown = items.len();
    let mut answer = json!({ "rules": items, "total": total });
    if shown < total {
        answer["truncated"] = json!({
            "shown": shown,
            "total": total,
            "hint": "the list is over the size budget: `explain` gives any rule by code or name",
        });
    }
    answer
}

/// One rule in full: what `explain` answers.
///
/// # Errors
///
/// [`ToolError::UnknownRule`] when no rule has this code or name.
pub(crate) fn explain(project: &Project, code: &str) -> Result<Value, ToolError> {
    let codex = &project.codex;
    let Some(rule) = codex.find(code).and_then(|index| codex.rule(index)) else {
        if let Some(rule) = codex.review_rule(code) {
            return Ok(explain_review(project, rule));
        }
        let shown = budget::cut(code, 200);
        return Err(ToolError::UnknownRule(
            crate::report::visible(&shown).to_string(),
        ));
    };
    let incidents = incidents(codex, &rule.incidents);
    let text = |value: &str| budget::cut(value, budget::OUTPUT_BYTES / 4);
    let mut answer = json!({
        "id": rule.id, "name": rule.name, "title": text(&rule.title),
        "severity": rule.severity, "stage": rule.stage, "scopes": rule.scopes,
        "kind": kind(&rule.matcher), "matches": text(&explain::describe(&rule.matcher)),
        "message": text(&rule.message), "help": rule.help.as_deref().map(text),
        "clippy": rule.clippy, "url": rule.url, "origin": rule.origin,
        "doc": text(&rule.doc),
        "incidents": incidents,
    });
    let fixtures = ("bad", "fail.rs", "good", "pass.rs");
    if let Some(examples) = fixtures_of(rule.file.as_deref(), project.root(), fixtures) {
        answer["examples"] = examples;
    }
    Ok(answer)
}

/// A review rule in full: its check, examples, incidents and where it applies. It has no
/// severity or stage: it never produces a finding, the review brief lists it.
fn explain_review(project: &Project, rule: &ReviewRule) -> Value {
    let text = |value: &str| budget::cut(value, budget::OUTPUT_BYTES / 8);
    let mut answer = json!({
        "id": rule.id, "name": rule.name, "title": text(&rule.title), "kind": review::KIND,
        "check": text(&rule.check), "doc": text(&rule.doc), "url": rule.url,
        "origin": rule.origin,
        "applies_to": text(&author::review::selector(rule)),
        "examples": { "bad": text(&rule.bad), "good": text(&rule.good) },
        "incidents": incidents(&project.codex, &rule.incidents),
    });
    let fixtures = ("applies", "applies.rs", "not_applies", "not_applies.rs");
    if let Some(fixtures) = fixtures_of(rule.file.as_deref(), project.root(), fixtures) {
        answer["fixtures"] = fixtures;
    }
    answer
}

/// The records of the incidents `ids`, within a quarter of the budget.
fn incidents(codex: &Codex, ids: &[String]) -> Vec<Value> {
    let records = ids
        .iter()
        .filter_map(|id| codex.incident(id))
        .map(|incident| json!(incident))
        .collect();
    budget::fit(records, budget::OUTPUT_BYTES / 4)
}

/// Two fixtures beside a rule file, when it has them, each under its key: a finding rule's
/// `fail.rs` (`bad`, each line it must flag marked `//~ CODE`) and `pass.rs` (`good`, near
/// misses it must leave alone); a review rule's `applies.rs` and `not_applies.rs`, where its
/// selector must and must not apply. Rules without fixtures (those embedded in the binary)
/// have their example in their doc.
fn fixtures_of(
    file: Option<&Path>,
    root: &Path,
    (first_key, first, second_key, second): (&str, &str, &str, &str),
) -> Option<Value> {
    let folder = file?.with_extension("");
    let boundary = Boundary::new(root);
    let read = |name: &str| {
        let path = folder.join(name);
        // A fixture in the project that links out of it is not read.
        boundary.admit(&path).ok()?;
        let bytes = boundary::read_regular(&path, 1 << 20).ok()?;
        Some(budget::cut(
            &String::from_utf8_lossy(&bytes),
            budget::EXAMPLE_BYTES,
        ))
    };
    let (a, b) = (read(first), read(second));
    (a.is_some() || b.is_some()).then(|| json!({ first_key: a, second_key: b }))
}

/// What kind of matcher a rule is written with, as its rule file names it (a key of its
/// `[match]` table; several joined by `+`).
pub(crate) fn kind(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Method(_) => "method".to_owned(),
        Matcher::Macro(_) => "macro".to_owned(),
        Matcher::Call(_) => "call".to_owned(),
        Matcher::Index(_) => "index".to_owned(),
        Matcher::Pattern(_) => "pattern".to_owned(),
        Matcher::Object(_) => "rule-object".to_owned(),
        Matcher::Validate(_) => "validate".to_owned(),
        Matcher::Before { .. } => "before".to_owned(),
        Matcher::Either(parts) => parts.iter().map(kind).collect::<Vec<_>>().join("+"),
        Matcher::Builtin(_) => "builtin".to_owned(),
    }
}
