//! The Codex for people: a rule's documentation, incidents, references and matcher (`cargo codex explain`)
//! and the list of rules, as a table or as JSON (`cargo codex rules`). A language server's
//! hover shows the same explanation.

use std::fmt::Write as _;

use crate::codex::{Codex, IndexKey, Matcher, Rule, reference};
use crate::report::visible;

/// Identifies the shape of [`catalog`].
pub const CATALOG_SCHEMA: &str = "cargo-codex/rules/v1";

/// What `rule` is: code, name and title; severity, stage, scopes and origin; what it matches;
/// its doc, then each incident it comes from and each public reference it cites. Every line is
/// safe to print on a terminal: the rule's strings come from the repository.
pub fn explanation(codex: &Codex, rule: &Rule) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write_explanation(&mut text, codex, rule);
    text.lines().fold(String::new(), |mut shown, line| {
        let _ = writeln!(shown, "{}", visible(line));
        shown
    })
}

fn write_explanation(out: &mut String, codex: &Codex, rule: &Rule) -> std::fmt::Result {
    writeln!(out, "{} {}: {}", rule.id, rule.name, rule.title)?;
    let scopes: Vec<&str> = rule.scopes.iter().map(|s| s.as_str()).collect();
    writeln!(
        out,
        "severity {} · stage {} · scopes {} · from {}",
        rule.severity.as_str(),
        rule.stage.as_str(),
        scopes.join(", "),
        rule.origin
    )?;
    writeln!(out, "matches: {}", describe(&rule.matcher))?;
    if let Some(lints) = &rule.clippy {
        writeln!(out, "also suppressed by {lints}")?;
    }
    writeln!(out, "\n{}", rule.doc.trim_end())?;
    for id in &rule.incidents {
        if let Some(incident) = codex.incident(id) {
            writeln!(
                out,
                "\n## Incident {} ({})\n{}\n\n{}",
                incident.id, incident.date, incident.title, incident.summary
            )?;
            if let Some(source) = &incident.source {
                writeln!(out, "\nPost-mortem: {source}")?;
            }
        }
    }
    if !rule.references.is_empty() {
        writeln!(out, "\n## References")?;
        for cited in &rule.references {
            match reference::link(cited).filter(|link| link != cited) {
                Some(link) => writeln!(out, "- {cited}: {link}")?,
                None => writeln!(out, "- {cited}")?,
            }
        }
    }
    Ok(())
}

/// What `matcher` matches, in one line.
pub fn describe(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Method(names) => format!("method calls {}", list(names, |n| format!(".{n}()"))),
        Matcher::Macro(names) => format!("macro invocations {}", list(names, |n| format!("{n}!"))),
        Matcher::Call(paths) => format!("function calls {}", list(paths, |p| format!("{p}()"))),
        Matcher::Index(IndexKey::Reference) => "indexing by reference: `map[&key]`".to_owned(),
        Matcher::Index(IndexKey::Any) => "indexing expressions: `a[i]`".to_owned(),
        Matcher::Pattern(pattern) => format!("code matching `{}`", pattern.source),
        Matcher::Object(object) => object.describe(),
        Matcher::Before { trigger, required } => format!(
            "calls to {} with no earlier call to {} in the same function",
            list(trigger, |p| format!("{p}()")),
            list(required, |p| format!("{p}()"))
        ),
        Matcher::Validate(spec) => {
            let mut sources = list(&spec.sources, |p| format!("{p}()"));
            if !spec.source_methods.is_empty() {
                sources = format!(
                    "{sources}, {}",
                    list(&spec.source_methods, |p| format!(".{p}()"))
                );
            }
            format!(
                "values from {sources} used before reaching {}",
                list(&spec.validators, |p| format!("{p}()"))
            )
        }
        Matcher::Either(parts) => parts.iter().map(describe).collect::<Vec<_>>().join("; "),
        Matcher::Builtin(_) => "raised by cargo-codex itself".to_owned(),
    }
}

/// `items`, each shown by `show`, separated by commas.
fn list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(", ")
}

/// One line per rule: code, name, severity, stage and title, in columns.
pub fn table(codex: &Codex) -> String {
    let mut text = String::new();
    for rule in codex.rules() {
        let _ = writeln!(
            text,
            "{:<8} {:<32} {:<8} {:<8} {}",
            rule.id,
            rule.name,
            rule.severity.as_str(),
            rule.stage.as_str(),
            visible(&rule.title)
        );
    }
    text.push_str(&super::review::table_rows(codex));
    text
}

/// Every rule and incident of `codex`, for scripts and bots ([`CATALOG_SCHEMA`]).
pub fn catalog(codex: &Codex) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = codex
        .rules()
        .iter()
        .map(|rule| {
            serde_json::json!({
                "id": rule.id, "name": rule.name, "title": rule.title,
                "severity": rule.severity, "stage": rule.stage, "scopes": rule.scopes,
                "incidents": rule.incidents, "references": rule.references, "clippy": rule.clippy, "message": rule.message,
                "help": rule.help, "doc": rule.doc, "matcher": describe(&rule.matcher),
                "url": rule.url, "origin": rule.origin,
            })
        })
        .collect();
    serde_json::json!({
        "schema": CATALOG_SCHEMA,
        "rules": rules,
        "review_rules": super::review::catalog(codex),
        "incidents": codex.incidents(),
    })
}
