//! A merge-request comment: a summary table by rule, then each finding with its code, title,
//! incident, `path:line`, snippet and help, linked to the rule when a link is known. The comment
//! stays under GitLab's and GitHub's note limit, saying how many findings were cut.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Summary};

/// Notes longer than this are refused by GitHub (65,536) and GitLab; leave room for a header.
const LIMIT: usize = 65_000;

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
) -> io::Result<()> {
    let mut text = String::from("## cargo-codex\n\n");
    if diagnostics.is_empty() {
        let _ = writeln!(text, "No findings in {} files.", summary.files);
        return writer.write_all(text.as_bytes());
    }
    let mut by_rule: BTreeMap<(&str, &str), (usize, &Diagnostic)> = BTreeMap::new();
    for d in diagnostics {
        by_rule.entry((&d.rule, &d.name)).or_insert((0, d)).0 += 1;
    }
    let _ = writeln!(
        text,
        "{} findings ({} enforced) in {} files.\n\n| rule | title | stage | findings |\n| --- | --- | --- | ---: |",
        diagnostics.len(),
        summary.enforced,
        summary.files
    );
    for ((rule, name), (count, first)) in &by_rule {
        let _ = writeln!(
            text,
            "| {} `{name}` | {} | {} | {count} |",
            link(rule, first),
            escape(&first.title),
            first.stage.as_str()
        );
    }
    text.push('\n');
    let mut shown = 0;
    for d in diagnostics {
        let entry = entry(d);
        if text.len() + entry.len() + 200 > LIMIT {
            break;
        }
        text.push_str(&entry);
        shown += 1;
    }
    if shown < diagnostics.len() {
        let _ = writeln!(
            text,
            "_{} more findings were cut to keep this comment under {LIMIT} characters; run `cargo codex check` for all of them._",
            diagnostics.len() - shown
        );
    }
    writer.write_all(text.as_bytes())
}

fn entry(d: &Diagnostic) -> String {
    let mut text = format!(
        "### {} {}: `{}:{}`\n\n{}",
        link(&d.rule, d),
        escape(&d.title),
        d.path,
        d.start.line,
        escape(&d.message)
    );
    if !d.incidents.is_empty() {
        let _ = write!(text, " (incident {})", d.incidents.join(", "));
    }
    text.push_str("\n\n");
    if !d.snippet.is_empty() {
        let fence = if d.snippet.text.contains("```") {
            "~~~~"
        } else {
            "```"
        };
        let _ = writeln!(text, "{fence}rust\n{}\n{fence}\n", d.snippet.text);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(text, "**help:** {}\n", escape(help));
    }
    if let Some(line) = suggested_line(d) {
        let fix = d.fix.as_ref().map_or("", |f| f.applicability.as_str());
        let _ = writeln!(
            text,
            "Suggested fix ({fix}):\n\n```suggestion\n{line}\n```\n"
        );
    }
    text
}

/// The finding's line with a one-line fix applied, for a GitLab/GitHub suggestion block.
fn suggested_line(d: &Diagnostic) -> Option<String> {
    let fix = d.fix.as_ref()?;
    if fix.start.line != d.start.line || fix.end.line != fix.start.line {
        return None;
    }
    if d.snippet.column != 1 {
        // A line cut to a window cannot be suggested whole.
        return None;
    }
    let line = d.snippet.first_line();
    let before: String = line
        .chars()
        .take(fix.start.column.saturating_sub(1))
        .collect();
    let after: String = line
        .chars()
        .skip(fix.end.column.saturating_sub(1))
        .collect();
    Some(format!("{before}{}{after}", fix.replacement))
}

fn link(rule: &str, d: &Diagnostic) -> String {
    match &d.url {
        Some(url) => format!("[{rule}]({url})"),
        None => format!("**{rule}**"),
    }
}

/// Keeps table cells and headings intact: pipes and line breaks would end them.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
