//! A merge-request comment: a summary table by rule, then each finding with its code, title,
//! incident, `path:line`, snippet and help, linked to the rule when a link is known. The comment
//! stays under GitLab's and GitHub's note limit, saying how many findings were cut.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::markup;
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
    let mut rows = 0;
    for ((_, name), (count, first)) in &by_rule {
        let row = format!(
            "| {} {} | {} | {} | {count} |\n",
            link(first),
            markup::cell_code(&clip(name, TITLE)),
            markup::cell_prose(&clip(&first.title, TITLE)),
            first.stage.as_str()
        );
        if text.len() + row.len() > LIMIT / 2 {
            break;
        }
        text.push_str(&row);
        rows += 1;
    }
    if rows < by_rule.len() {
        let _ = writeln!(
            text,
            "\n_{} more rules were cut to keep this comment short._",
            by_rule.len() - rows
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

/// Longest title shown, in characters; a rule file could hold a title of any length.
const TITLE: usize = 200;

/// Longest message or help shown, in characters.
const PROSE: usize = 2_000;

fn entry(d: &Diagnostic) -> String {
    let mut text = format!(
        "### {} {}: {}\n\n{}",
        link(d),
        markup::prose(&clip(&d.title, TITLE)),
        markup::code(&format!("{}:{}", d.path, d.start.line)),
        markup::prose(&clip(&d.message, PROSE))
    );
    if !d.incidents.is_empty() {
        let incidents: Vec<String> = d.incidents.iter().map(|i| markup::text(i)).collect();
        let _ = write!(text, " (incident {})", incidents.join(", "));
    }
    text.push_str("\n\n");
    if !d.snippet.is_empty() {
        markup::code_block(&mut text, "rust", &d.snippet.text);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(text, "**help:** {}\n", markup::prose(&clip(help, PROSE)));
    }
    if let Some(line) = suggested_line(d).filter(|line| markup::is_verbatim(line)) {
        let fix = d.fix.as_ref().map_or("", |f| f.applicability.as_str());
        // Not indented like the snippet: the platforms apply the block's text as it is.
        let fence = "`".repeat(3.max(markup::longest_run(&line) + 1));
        let _ = writeln!(
            text,
            "Suggested fix ({fix}):\n\n{fence}suggestion\n{line}\n{fence}\n"
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

/// The rule's code, linked to the rule when its link is safe to follow.
fn link(d: &Diagnostic) -> String {
    let code = markup::text(&clip(&d.rule, TITLE));
    match d.url.as_deref().and_then(markup::destination) {
        Some(url) => format!("[{code}]({url})"),
        None => format!("**{code}**"),
    }
}

/// At most `max` characters of `text`, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

/// Length of the longest run of backticks in `text`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::Applicability;
    use crate::diagnostic::Fix;
    use crate::report::tests::sample;
    use crate::text::{Excerpt, Position};

    fn fixable(line: &str, replacement: &str) -> Diagnostic {
        let mut d = sample("src/a.rs", 3, "m");
        d.snippet = Excerpt::whole(line);
        let at = line.find(".unwrap()").unwrap() + 1;
        d.fix = Some(Fix {
            applicability: Applicability::Safe,
            description: "propagate".to_owned(),
            start: Position {
                line: 3,
                column: at,
            },
            end: Position {
                line: 3,
                column: at + ".unwrap()".len(),
            },
            replacement: replacement.to_owned(),
        });
        d
    }

    #[test]
    fn a_one_line_fix_is_offered_as_a_suggestion() {
        let entry = entry(&fixable("    let v = x.unwrap(); // ```", "?"));
        assert!(
            entry.contains(
                "Suggested fix (safe):\n\n````suggestion\n    let v = x?; // ```\n````\n"
            ),
            "{entry}"
        );
    }

    #[test]
    fn a_suggestion_that_would_not_be_verbatim_is_left_out() {
        for (line, replacement) in [
            ("    let v = x.unwrap(); // \u{1b}[2J", "?"),
            ("    let v = x.unwrap();", "?\n/merge"),
            ("/approve x.unwrap()", "?"),
        ] {
            let entry = entry(&fixable(line, replacement));
            assert!(!entry.contains("suggestion"), "{entry}");
        }
    }

    #[test]
    fn long_rule_strings_are_clipped() {
        let mut d = sample("src/a.rs", 1, &"m".repeat(10_000));
        d.title = "t".repeat(1_000);
        let entry = entry(&d);
        assert!(entry.len() < 3_000, "{}", entry.len());
        assert!(entry.contains(&format!("{}…", "t".repeat(TITLE))));
    }
}
