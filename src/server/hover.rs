//! Hover: on a finding, the rule's documentation and the incident it was born from; on a code
//! inside a `codex:allow(…)` comment, the documentation of the rule it names.

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Range};

use super::diagnostics::Checked;
use super::position::{self, Encoding};
use crate::codex::{Codex, Rule};
use crate::diagnostic::Diagnostic;
use crate::text::LineIndex;

/// The hover at `at` in a document with `text` and findings `checked`.
pub(crate) fn hover(
    codex: &Codex,
    checked: &Checked,
    text: &str,
    at: Position,
    encoding: Encoding,
) -> Option<Hover> {
    let mut markdown = String::new();
    // A code in a suppression comment names the rule the reader wants to know about, even when
    // the comment itself is a finding (unused, say).
    if let Some((rule, code_range)) = allow_code_at(codex, text, at, encoding) {
        describe_rule(&mut markdown, codex, rule);
        return Some(markup(markdown, code_range));
    }
    let mut range: Option<Range> = None;
    let mut shown: Vec<&str> = Vec::new();
    for finding in &checked.findings {
        let r = finding.lsp.range;
        if !(r.start <= at && at <= r.end) || shown.contains(&finding.diagnostic.rule.as_str()) {
            continue;
        }
        shown.push(&finding.diagnostic.rule);
        if !markdown.is_empty() {
            markdown.push_str("\n\n---\n\n");
        }
        describe_finding(&mut markdown, codex, &finding.diagnostic);
        range.get_or_insert(r);
    }
    range.map(|range| markup(markdown, range))
}

/// A hover of `markdown` over `range`.
fn markup(markdown: String, range: Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    }
}

/// A finding: what was found and where, then its rule.
fn describe_finding(out: &mut String, codex: &Codex, d: &Diagnostic) {
    let _ = write!(
        out,
        "**{}** `{}`: {}\n\n{} · {} · scope {}",
        d.rule,
        d.name,
        d.title,
        d.severity.as_str(),
        d.stage.as_str(),
        d.scope.as_str()
    );
    if let Some(item) = &d.item {
        let _ = write!(out, " · in `{item}`");
    }
    let _ = write!(out, "\n\n{}", d.message);
    if let Some(help) = &d.help {
        let _ = write!(out, "\n\nhelp: {help}");
    }
    if let Some(fix) = &d.fix {
        let _ = write!(
            out,
            "\n\nfix ({}): {}",
            fix.applicability.as_str(),
            fix.description
        );
    }
    if let Some(rule) = codex.find(&d.rule).and_then(|index| codex.rule(index)) {
        out.push_str("\n\n");
        describe_doc(out, codex, rule);
    }
}

/// A rule on its own: its title, then its documentation.
fn describe_rule(out: &mut String, codex: &Codex, rule: &Rule) {
    let _ = write!(
        out,
        "**{}** `{}`: {}\n\n{} · {}\n\n",
        rule.id,
        rule.name,
        rule.title,
        rule.severity.as_str(),
        rule.stage.as_str()
    );
    describe_doc(out, codex, rule);
}

/// The rule's documentation, its incidents, its references and its link.
fn describe_doc(out: &mut String, codex: &Codex, rule: &Rule) {
    out.push_str(rule.doc.trim_end());
    for id in &rule.incidents {
        match codex.incident(id) {
            Some(incident) => {
                let _ = write!(
                    out,
                    "\n\n### Incident {} ({})\n{}\n\n{}",
                    incident.id,
                    incident.date,
                    incident.title,
                    incident.summary.trim_end()
                );
                if let Some(source) = &incident.source {
                    let _ = write!(out, "\n\nPost-mortem: {source}");
                }
            }
            None => {
                let _ = write!(out, "\n\n### Incident {id}");
            }
        }
    }
    if !rule.references.is_empty() {
        out.push_str("\n\n### References");
        for cited in &rule.references {
            let _ = write!(out, "\n- {cited}");
        }
    }
    if let Some(url) = &rule.url {
        let _ = write!(out, "\n\n{url}");
    }
}

/// The rule named by the code under `at` inside a `codex:allow(…)` comment, and the code's
/// range.
fn allow_code_at<'c>(
    codex: &'c Codex,
    text: &str,
    at: Position,
    encoding: Encoding,
) -> Option<(&'c Rule, Range)> {
    let lines = LineIndex::new(text);
    let offset = position::offset(text, &lines, encoding, at);
    let line_number = usize::try_from(at.line).ok()?.checked_add(1)?;
    let line_range = lines.line_range(text, line_number);
    let line = text.get(line_range.clone())?;
    let marker = line.find("codex:allow")?;
    let open = marker + line.get(marker..)?.find('(')? + 1;
    let close = open + line.get(open..)?.find(')')?;
    let within = offset.checked_sub(line_range.start)?;
    if within < open || within > close {
        return None;
    }
    // The code around the cursor, between separators.
    let listed = line.get(open..close)?;
    let cursor = within - open;
    let is_separator = |c: char| c == ',' || c.is_whitespace();
    let start = listed
        .get(..cursor)?
        .rfind(is_separator)
        .map_or(0, |at| at + 1);
    let end = listed
        .get(cursor..)?
        .find(is_separator)
        .map_or(listed.len(), |at| cursor + at);
    let code = listed.get(start..end)?;
    let rule = codex.rule(codex.find(code)?)?;
    let from = line_range.start + open + start;
    let to = line_range.start + open + end;
    let range = Range::new(
        position::position_of(text, &lines, encoding, from),
        position::position_of(text, &lines, encoding, to),
    );
    Some((rule, range))
}
