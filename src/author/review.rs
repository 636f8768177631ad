//! Rule authors' tools for review rules: what one is, for people (`cargo codex explain`, the
//! rows and entries it adds to `cargo codex rules`), testing its selector against its fixtures
//! (`cargo codex test`: `<name>/applies.rs` marks with `//~ CODE` each line where the code
//! selector must match, `<name>/not_applies.rs` holds near misses where it must not), and the
//! files `cargo codex new --review` starts from.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::explain::describe;
use super::scaffold::{self, Created, Request, ScaffoldError};
use super::verify::marked_lines;
use crate::codex::review::Within;
use crate::codex::{Codex, ReviewRule};
use crate::engine::Inputs;
use crate::report::visible;

/// What `rule` is: code, name and title; where it applies; its check, examples and doc; each
/// incident it comes from. Every line is safe to print on a terminal.
pub fn explanation(codex: &Codex, rule: &ReviewRule) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{} {}: {}", rule.id, rule.name, rule.title);
    let _ = writeln!(
        text,
        "review rule (never a finding: the review brief lists it beside the changed code it \
         applies to) · from {}",
        rule.origin
    );
    let _ = writeln!(text, "applies to: {}", selector(rule));
    let _ = writeln!(text, "\n## Check\n{}", rule.check.trim_end());
    let _ = writeln!(text, "\n## Fails the check\n{}", indent(&rule.bad));
    let _ = writeln!(text, "\n## Passes it\n{}", indent(&rule.good));
    if !rule.doc.trim().is_empty() {
        let _ = writeln!(text, "\n{}", rule.doc.trim_end());
    }
    for id in &rule.incidents {
        if let Some(incident) = codex.incident(id) {
            let _ = writeln!(
                text,
                "\n## Incident {} ({})\n{}\n\n{}",
                incident.id, incident.date, incident.title, incident.summary
            );
            if let Some(source) = &incident.source {
                let _ = writeln!(text, "\nPost-mortem: {source}");
            }
        }
    }
    text.lines().fold(String::new(), |mut shown, line| {
        let _ = writeln!(shown, "{}", visible(line));
        shown
    })
}

/// Where `rule` applies, in one line.
pub fn selector(rule: &ReviewRule) -> String {
    let paths = if rule.selector.globs.is_empty() {
        "changed code".to_owned()
    } else {
        format!("changed code in {}", rule.selector.globs.join(", "))
    };
    let Some(code) = &rule.selector.code else {
        return paths;
    };
    let place = match code.within {
        Within::Change => "on a changed line",
        Within::Function => "in the function enclosing the change",
        Within::File => "in the changed file",
    };
    let scopes: Vec<&str> = code.scopes.iter().map(|s| s.as_str()).collect();
    format!(
        "{paths}, where {place} there are {} ({} code)",
        describe(&code.matcher),
        scopes.join(", ")
    )
}

fn indent(code: &str) -> String {
    code.trim_end()
        .lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line per review rule, in the columns of [`super::explain::table`]: its stage column
/// reads `review`.
pub fn table_rows(codex: &Codex) -> String {
    let mut text = String::new();
    for rule in codex.review_rules() {
        let _ = writeln!(
            text,
            "{:<8} {:<32} {:<8} {:<8} {}",
            rule.id,
            rule.name,
            "-",
            "review",
            visible(&rule.title)
        );
    }
    text
}

/// Every review rule, for scripts and bots (the `review_rules` of `cargo codex rules --format
/// json`).
pub fn catalog(codex: &Codex) -> Vec<serde_json::Value> {
    codex
        .review_rules()
        .iter()
        .map(|rule| {
            serde_json::json!({
                "id": rule.id, "name": rule.name, "title": rule.title, "kind": "review",
                "check": rule.check, "bad": rule.bad, "good": rule.good,
                "incidents": rule.incidents, "doc": rule.doc, "applies_to": selector(rule),
                "url": rule.url, "origin": rule.origin,
            })
        })
        .collect()
}

/// What fails in `rule`'s fixtures: the lines where its code selector matches in
/// `applies.rs` must be those marked `//~ CODE`, and `not_applies.rs` must have none. A rule
/// without a code selector applies by path alone and needs no fixtures. The selector's paths
/// are not applied to fixtures, which sit in the rule folder.
pub fn test_rule(rule: &ReviewRule) -> Vec<String> {
    let mut failures = Vec::new();
    let Some(file) = &rule.file else {
        return failures;
    };
    if rule.selector.code.is_none() {
        return failures;
    }
    let dir = file.with_extension("");
    let root = dir.parent().unwrap_or(&dir).to_path_buf();
    for (fixture, must_apply) in [("applies.rs", true), ("not_applies.rs", false)] {
        let path = dir.join(fixture);
        let Ok(text) = fs::read_to_string(&path) else {
            failures.push(format!("missing fixture {}", path.display()));
            continue;
        };
        let found = matched_lines(rule, &root, &path);
        let expected = if must_apply {
            marked_lines(&text, &rule.id)
        } else {
            Vec::new()
        };
        if must_apply && expected.is_empty() {
            failures.push(format!("{fixture} marks no line with `//~ {}`", rule.id));
        }
        if found != expected {
            failures.push(format!(
                "{fixture}: expected the selector to match on lines {expected:?}, it matches on {found:?}"
            ));
        }
    }
    failures
}

fn matched_lines(rule: &ReviewRule, root: &Path, path: &Path) -> Vec<usize> {
    let inputs = Inputs {
        root: root.to_path_buf(),
        files: vec![path.to_path_buf()],
        max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        ..Inputs::default()
    };
    let relative = crate::codex::load::display_path(path, root);
    crate::review::selector_matches(&[rule], &inputs, false)
        .lines(&rule.id, &relative)
        .to_vec()
}

/// Problems of the Codex's review rules as a whole: each incident a rule cites must list it.
pub fn integrity(codex: &Codex) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in codex.review_rules() {
        for incident in &rule.incidents {
            let listed = codex
                .incident(incident)
                .is_some_and(|i| i.rules.iter().any(|r| r == &rule.id));
            if !listed {
                problems.push(format!(
                    "{}: incident {incident} does not list this rule in its `rules`",
                    rule.id
                ));
            }
        }
    }
    problems
}

/// Writes a review rule file, its fixtures and, when missing, the incident record: `cargo
/// codex new --review`.
///
/// # Errors
///
/// A malformed name or incident id, a file that already exists, or a write that fails.
pub fn scaffold(codex: &Codex, request: &Request) -> Result<Created, ScaffoldError> {
    let code = scaffold::check_request(codex, request)?;
    // A review rule cites incident records only.
    let Some(incident) = request.incident.as_deref() else {
        return Err(ScaffoldError::ReviewIncident);
    };
    let rule_file = request.rule_dir.join(format!("{}.toml", request.name));
    let fixtures = request.rule_dir.join(&request.name);
    let mut created = Created {
        code: code.clone(),
        files: Vec::new(),
        incident_to_edit: None,
    };
    scaffold::write(&rule_file, &rule_text(&code, incident), &mut created)?;
    scaffold::write(
        &fixtures.join("applies.rs"),
        &format!(
            "// The selector must match on each line marked `//~ {code}`, and no other.\n// Replace with the code from the incident.\npub fn load(bytes: &[u8]) -> Config {{\n    let config = replace_me(bytes); //~ {code}\n    config\n}}\n"
        ),
        &mut created,
    )?;
    scaffold::write(
        &fixtures.join("not_applies.rs"),
        "// Code the rule must not be listed for.\npub fn load(bytes: &[u8]) -> Config {\n    Config::default()\n}\n",
        &mut created,
    )?;
    scaffold::incident(codex, request, &code, &mut created)?;
    Ok(created)
}

fn rule_text(code: &str, incident: &str) -> String {
    format!(
        r#"# A review rule: a check only a reviewer can judge. It never reports a finding; the review
# brief (`cargo codex review`) lists it beside the changed code its selector applies to.
kind = "review"
id = "{code}"
title = "TODO: what the reviewer checks, in a few words"
incidents = ["{incident}"]
check = """
TODO: what the reviewer must check in the changed code, in plain language: what must hold,
and what to ask for when it does not.
"""
bad = """
let config = replace_me(bytes);
"""
good = """
let config = replace_me_with_a_fallback(bytes, &last_known_good);
"""
doc = """
## What it checks
TODO: the property, and why no syntax rule can check it.

## Why is this bad?
TODO: what happened in {incident}, and why this kind of code caused it.
"""

# Where it applies (optional): `paths` and `exclude_paths` globs, and a `[match]` table as
# finding rules have (see `cargo codex explain CX0001`). `within` says how near the change a
# match must be: "change" (on a changed line), "function" (in the function enclosing the
# change; the default) or "file". `scopes` (default ["prod"]) says in which code a match counts.
within = "function"

[match]
call = ["replace_me"]
"#
    )
}
