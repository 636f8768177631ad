//! SARIF 2.1.0 for GitHub code scanning and other viewers: `tool.driver.rules` describes every
//! rule (title, message, Markdown doc, link, default level); each result carries its rule,
//! level, region (`columnKind` `unicodeCodePoints`, end column exclusive, as our columns are),
//! snippet, related location and a `partialFingerprints` entry that survives rebases.
//! Shadow-stage findings are kept with level `none`, so they are recorded but never alert;
//! findings excused by `codex:allow` or a clippy `allow` carry `suppressions`.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Context;
use crate::codex::{Severity, Stage};
use crate::diagnostic::Diagnostic;

/// The `partialFingerprints` key; bump its version if the fingerprint recipe changes.
const FINGERPRINT_KEY: &str = "cargoCodex/v1";

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    context: &Context,
) -> io::Result<()> {
    let rules: Vec<Value> = context
        .rules
        .iter()
        .map(|rule| {
            let mut entry = json!({
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.message},
                "help": {"text": rule.message, "markdown": rule.doc},
                "defaultConfiguration": {"level": level(rule.severity)},
            });
            if let Some(url) = rule.url.as_ref().filter(|url| url.contains("://")) {
                entry["helpUri"] = json!(url);
            }
            entry
        })
        .collect();
    let mut results: Vec<Value> = diagnostics.iter().map(|d| result(d, context)).collect();
    // Excused findings stay visible to code scanning as suppressed results, with the reason.
    results.extend(context.suppressed.iter().map(|excused| {
        let mut entry = result(&excused.diagnostic, context);
        entry["suppressions"] =
            json!([{"kind": "inSource", "justification": excused.justification}]);
        entry
    }));
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": env!("CARGO_PKG_NAME"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *writer, &document)?;
    writeln!(writer)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(d: &Diagnostic, context: &Context) -> Value {
    let uri = d.path.replace(' ', "%20");
    let region = json!({
        "startLine": d.start.line,
        "startColumn": d.start.column,
        "endLine": d.end.line,
        "endColumn": d.end.column.max(d.start.column + usize::from(d.end.line == d.start.line)),
        "snippet": {"text": d.snippet.text},
    });
    let mut result = json!({
        "ruleId": d.rule,
        "level": if d.stage == Stage::Shadow { "none" } else { level(d.severity) },
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": region,
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: d.fingerprint},
        "properties": {
            "stage": d.stage.as_str(),
            "scope": d.scope.as_str(),
            "incidents": d.incidents,
            "item": d.item,
        },
    });
    if let Some(index) = context.rules.iter().position(|rule| rule.id == d.rule) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([{
            "description": {"text": format!("{} ({})", fix.description, fix.applicability.as_str())},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "replacements": [{
                    "deletedRegion": {
                        "startLine": fix.start.line,
                        "startColumn": fix.start.column,
                        "endLine": fix.end.line,
                        "endColumn": fix.end.column,
                    },
                    "insertedContent": {"text": fix.replacement},
                }],
            }],
        }]);
    }
    if let Some(related) = &d.related {
        result["relatedLocations"] = json!([{
            "id": 1,
            "message": {"text": related.message},
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": related.start.line, "startColumn": related.start.column},
            },
        }]);
    }
    result
}
