//! The brief as Markdown, for a merge request or a bot's context:
//!
//! - a hidden marker first ([`super::MARKER`]), so a bot can find its own note and edit it;
//! - the counts, then the changes to the Codex itself in a table (they need a person), the
//!   baseline entries added, each file's hunks with their function, findings, review rules and
//!   suppressions, the review rules with their check, incident, examples and doc, and what the
//!   budget left out.
//!
//! Every string from the repository, the diff or the rules goes through [`markup`]: a file
//! name, a reason or a rule's text renders as the text it is, never as HTML, a link, a mention
//! or a quick action. Shadow-stage findings are left out, as in every format for people.

use std::fmt::Write as _;

use super::super::markup;
use crate::codex::Stage;
use crate::diagnostic::Diagnostic;
use crate::review::brief::{
    BaselineChange, Brief, ChangeKind, FileBrief, FileStatus, Hunk, ReviewRuleBrief,
    SuppressionChange,
};

/// Longest title, name or path shown, in characters.
const SHORT: usize = 200;

/// Longest message, reason or check shown, in characters.
const LONG: usize = 2_000;

/// Longest example or doc shown, in characters.
const BLOCK: usize = 8_000;

pub(super) fn render(brief: &Brief) -> String {
    let mut out = format!("{}\n## cargo-codex review brief\n\n", super::MARKER);
    counts(&mut out, brief);
    codex_changes(&mut out, brief);
    if let Some(baseline) = &brief.baseline {
        baseline_change(&mut out, baseline);
    }
    if !brief.files.is_empty() {
        out.push_str("### Changes\n\n");
        for file in &brief.files {
            file_section(&mut out, file);
        }
    }
    if !brief.review_rules.is_empty() {
        out.push_str("### Review rules\n\n");
        for rule in &brief.review_rules {
            review_rule(&mut out, rule);
        }
    }
    if !brief.dropped.is_empty() {
        out.push_str("### Left out to fit the budget\n\n");
        for dropped in &brief.dropped {
            let _ = writeln!(
                out,
                "- **{}** ({}): {}",
                markup::text(dropped.part),
                dropped.count,
                markup::prose(&dropped.note)
            );
        }
        out.push('\n');
    }
    out
}

fn counts(out: &mut String, brief: &Brief) {
    let s = &brief.summary;
    let shown = s.findings - s.shadow;
    let _ = write!(
        out,
        "Changes since {} (merge base {}): {}, {}",
        markup::code(&clip(&brief.base, SHORT)),
        markup::code(brief.merge_base.get(..12).unwrap_or(&brief.merge_base)),
        plural(s.files, "file"),
        plural(s.hunks, "hunk"),
    );
    let _ = write!(
        out,
        " · **{}** ({} enforced)",
        plural(shown, "finding"),
        s.enforced
    );
    let verb = if s.review_rules == 1 {
        "applies"
    } else {
        "apply"
    };
    let _ = write!(out, " · {} {verb}", plural(s.review_rules, "review rule"));
    if s.suppressions > 0 {
        let _ = write!(
            out,
            " · **{} added or changed**",
            plural(s.suppressions, "suppression")
        );
    }
    if s.baseline_entries > 0 {
        let _ = write!(
            out,
            " · **{} added**",
            plural(s.baseline_entries, "baseline entry")
        );
    }
    if s.codex_changes > 0 {
        let _ = write!(
            out,
            " · **{} changed**",
            plural(s.codex_changes, "Codex file")
        );
    }
    out.push_str(".\n\n");
}

fn codex_changes(out: &mut String, brief: &Brief) {
    if brief.codex_changes.is_empty() {
        return;
    }
    out.push_str(
        "### ⚠ Changes to the Codex\n\nThe change edits the Codex itself, which decides what \
         the checks report: a person should review these files, whatever the checks say.\n\n\
         | file | part | change | why it matters |\n| --- | --- | --- | --- |\n",
    );
    for change in &brief.codex_changes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            markup::cell_code(&clip(&change.path, SHORT)),
            change.part.as_str(),
            change.status.as_str(),
            markup::cell_prose(&change.note)
        );
    }
    out.push('\n');
}

fn baseline_change(out: &mut String, baseline: &BaselineChange) {
    let _ = write!(
        out,
        "### Baseline {}: {} added, {} removed\n\n",
        markup::code(&clip(&baseline.path, SHORT)),
        plural(baseline.added.len(), "entry"),
        baseline.removed
    );
    if !baseline.added.is_empty() {
        out.push_str("Each added entry accepts a finding instead of fixing it:\n\n");
    }
    for entry in &baseline.added {
        let reason = entry.reason.as_deref().map_or_else(
            || "_no reason given_".to_owned(),
            |reason| markup::text(&clip(reason, LONG)),
        );
        let _ = writeln!(
            out,
            "- {} line {}, **{}**: {} — {}",
            markup::code(&clip(&entry.path, SHORT)),
            entry.line,
            markup::text(&clip(&entry.rule, SHORT)),
            markup::code(&clip(entry.snippet.trim(), SHORT)),
            reason
        );
    }
    out.push('\n');
}

fn file_section(out: &mut String, file: &FileBrief) {
    let binary = if file.binary { ", binary" } else { "" };
    let _ = write!(
        out,
        "#### {} ({}{binary})\n\n",
        markup::code(&clip(&file.path, SHORT)),
        file.status.as_str()
    );
    for hunk in &file.hunks {
        if file.status == FileStatus::Deleted {
            let _ = writeln!(out, "- **Deleted** ({})", plural(hunk.old_lines, "line"));
        } else {
            hunk_item(out, hunk);
        }
    }
    let findings: Vec<&Diagnostic> = shown(&file.findings);
    if !findings.is_empty() || !file.suppressions.is_empty() {
        out.push_str("- Outside the hunks (new since the merge base):\n");
        for finding in findings {
            finding_item(out, finding);
        }
        for suppression in &file.suppressions {
            suppression_item(out, suppression);
        }
    }
    if file.hunks_dropped > 0 {
        let _ = writeln!(
            out,
            "- _{} with nothing to say left out._",
            plural(file.hunks_dropped, "hunk")
        );
    }
    out.push('\n');
}

fn hunk_item(out: &mut String, hunk: &Hunk) {
    let place = if hunk.new_lines == 0 && hunk.new_start == 0 {
        format!("**{} deleted** at the top", plural(hunk.old_lines, "line"))
    } else if hunk.new_lines == 0 {
        format!(
            "**{} deleted** after line {}",
            plural(hunk.old_lines, "line"),
            hunk.new_start
        )
    } else if hunk.new_lines == 1 {
        format!("**Line {}**", hunk.new_start)
    } else {
        format!("**Lines {}–{}**", hunk.new_start, hunk.new_end())
    };
    let _ = write!(out, "- {place}");
    if let Some(function) = &hunk.function {
        let _ = write!(
            out,
            ", in {} (lines {}–{})",
            markup::code(&clip(&function.name, SHORT)),
            function.start_line,
            function.end_line
        );
        if let Some(signature) = &function.signature {
            let _ = write!(out, ": {}", markup::code(&clip(signature, SHORT * 2)));
        }
    }
    out.push('\n');
    for finding in shown(&hunk.findings) {
        finding_item(out, finding);
    }
    for id in &hunk.review_rules {
        let _ = writeln!(
            out,
            "  - Review rule **{}** applies (see below)",
            markup::text(&clip(id, SHORT))
        );
    }
    for suppression in &hunk.suppressions {
        suppression_item(out, suppression);
    }
}

/// The findings people see: all but the shadow-stage ones.
fn shown(findings: &[Diagnostic]) -> Vec<&Diagnostic> {
    findings
        .iter()
        .filter(|d| d.stage != Stage::Shadow)
        .collect()
}

fn finding_item(out: &mut String, d: &Diagnostic) {
    let _ = writeln!(
        out,
        "  - Finding **{}** {} ({}, {}) line {}: {}",
        markup::text(&clip(&d.rule, SHORT)),
        markup::code(&clip(&d.name, SHORT)),
        d.severity.as_str(),
        d.stage.as_str(),
        d.start.line,
        markup::prose(&clip(&d.message, LONG))
    );
}

fn suppression_item(out: &mut String, s: &SuppressionChange) {
    let kind = match s.change {
        ChangeKind::Added => "added",
        ChangeKind::Changed => "changed",
    };
    let wide = if s.file_wide { " (whole file)" } else { "" };
    let reason = if s.reason.trim().is_empty() {
        "_no reason: it suppresses nothing_".to_owned()
    } else {
        markup::text(&clip(&s.reason, LONG))
    };
    let _ = write!(
        out,
        "  - Suppression {kind}{wide} line {} for {}: {}",
        s.line,
        markup::code(&clip(&s.codes.join(", "), SHORT)),
        reason
    );
    if let Some(until) = &s.until {
        let _ = write!(out, " (until {})", markup::code(&clip(until, SHORT)));
    }
    if let Some(previous) = &s.previous_reason {
        let _ = write!(out, "; was: {}", markup::text(&clip(previous, LONG)));
    }
    out.push('\n');
}

fn review_rule(out: &mut String, rule: &ReviewRuleBrief) {
    let _ = write!(
        out,
        "#### {} {}: {}\n\nApplies to {}.\n\n**Check:**\n\n",
        markup::text(&clip(&rule.id, SHORT)),
        markup::code(&clip(&rule.name, SHORT)),
        markup::prose(&clip(&rule.title, SHORT)),
        plural(rule.hunks, "hunk")
    );
    markup::doc(out, &joined_items(&clip(&rule.check, LONG)));
    for incident in &rule.incidents {
        let _ = write!(
            out,
            "Born from incident {} ({}): {}",
            markup::code(&clip(&incident.id, SHORT)),
            markup::text(&clip(&incident.date, SHORT)),
            markup::prose(&clip(&incident.title, SHORT))
        );
        if let Some(summary) = &incident.summary {
            let _ = write!(out, ". {}", markup::prose(&clip(summary, LONG)));
        }
        out.push_str("\n\n");
    }
    if rule.bad.is_some() || rule.good.is_some() {
        out.push_str("<details><summary>Examples</summary>\n\n");
        for (label, code) in [("Fails the check:", &rule.bad), ("Passes it:", &rule.good)] {
            if let Some(code) = code {
                let _ = write!(out, "{label}\n\n");
                markup::code_block(out, "rust", clip(code, BLOCK).trim_end());
            }
        }
        out.push_str("</details>\n\n");
    }
    match &rule.doc {
        Some(doc) => {
            out.push_str("<details><summary>Documentation</summary>\n\n");
            markup::doc(out, &clip(doc, BLOCK));
            out.push_str("</details>\n\n");
        }
        None => {
            let _ = write!(out, "{}\n\n", markup::prose(&clip(&rule.summary, LONG)));
        }
    }
}

/// `text` with each list item's continuation lines joined to it, so that an item wrapped in
/// the rule file stays one item.
fn joined_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_item = false;
    for line in text.lines() {
        let trimmed = line.trim();
        let starts_item = trimmed.starts_with("- ") || trimmed.starts_with("* ");
        let block = trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("```");
        if in_item && !starts_item && !block && !line.starts_with("    ") {
            out.push(' ');
            out.push_str(trimmed);
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
        in_item = starts_item;
    }
    out
}

/// `text` cut to `limit` characters, with `…` when cut.
fn clip(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// `count` and `noun`, with an `s` unless it is one (`entry` becomes `entries`).
fn plural(count: usize, noun: &str) -> String {
    match (count, noun.strip_suffix('y')) {
        (1, _) => format!("{count} {noun}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        (_, None) => format!("{count} {noun}s"),
    }
}
