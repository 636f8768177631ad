//! A merge-request comment, posted by a bot as one general note:
//!
//! - a hidden marker first (`<!-- cargo-codex -->`), so a bot can find its own comment and
//!   edit it in place instead of posting a new one on every push;
//! - the totals, a table by rule (always complete), and the documentation of each rule that
//!   has no page to link to (the rules embedded in the binary) in a collapsed `<details>`;
//! - the findings grouped by file, each file and line linked at the analysed commit when the
//!   forge is known ([`super::Forge`]), the rule's help on its first finding only;
//! - under GitHub's and GitLab's note limit: when findings must be cut, a table lists how many
//!   of each file's findings are not shown, and the comment says what was cut.
//!
//! A rule links to its own `url` when that is a web address (or the `rule_url` template made
//! it one), else to its file at the analysed commit when it lives in the repository. Suggested
//! fixes are described, not offered as ```` ```suggestion ```` blocks: those only work in
//! comments on a line. Every string from the repository or its rules goes through
//! [`super::markup`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::tally::{Tally, plural};
use super::{Context, Forge, RuleInfo, markup};
use crate::diagnostic::{Diagnostic, Summary};

/// Notes longer than this are refused by GitHub (65,536) and GitLab.
const LIMIT: usize = 65_000;

/// The first line of every comment, for bots that update theirs in place.
pub(super) const MARKER: &str = "<!-- cargo-codex -->";

/// Room for the table by rule; past it (thousands of rules), rows are cut.
const RULE_TABLE: usize = LIMIT / 4;

/// Room for the rules' documentation; past it, a rule's doc is left to `cargo codex explain`.
const DOCS: usize = LIMIT / 4;

/// Longest doc inlined, in characters.
const DOC: usize = 6_000;

/// Room for the table of findings not shown, by file.
const CUT_TABLE: usize = LIMIT / 6;

/// Longest title or path shown, in characters; a rule file could hold a title of any length.
const TITLE: usize = 200;

/// Longest message or help shown, in characters.
const PROSE: usize = 2_000;

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    context: &Context,
) -> io::Result<()> {
    let mut text = format!("{MARKER}\n## cargo-codex\n\n");
    if diagnostics.is_empty() {
        let _ = writeln!(text, "No findings in {}.", plural(summary.files, "file"));
        return writer.write_all(text.as_bytes());
    }
    let tally = Tally::of(diagnostics);
    let links = Links::new(context);
    let _ = writeln!(
        text,
        "**{}** ({} enforced) in {} of {}.\n",
        plural(tally.findings, "finding"),
        tally.enforced,
        tally.files.len(),
        plural(summary.files, "file")
    );
    rule_table(&mut text, &tally, &links);
    rule_docs(&mut text, &tally, &links);
    findings(&mut text, diagnostics, &tally, &links);
    writer.write_all(text.as_bytes())
}

/// The links a comment can make.
struct Links<'a> {
    forge: Option<&'a Forge>,
    rules: HashMap<&'a str, &'a RuleInfo>,
}

impl<'a> Links<'a> {
    fn new(context: &'a Context) -> Self {
        Links {
            forge: context.forge.as_ref(),
            rules: context.rules.iter().map(|r| (r.id.as_str(), r)).collect(),
        }
    }

    /// A page for `d`'s rule: its own web address, else its file at the analysed commit.
    fn rule(&self, d: &Diagnostic) -> Option<String> {
        if let Some(url) = d.url.as_deref().filter(|url| markup::is_web_url(url)) {
            return markup::destination(url);
        }
        let path = self.rules.get(d.rule.as_str())?.path.as_deref()?;
        self.forge?.file(path, None)
    }

    /// `path` at `line`, at the analysed commit.
    fn file(&self, path: &str, line: Option<usize>) -> Option<String> {
        self.forge?.file(path, line)
    }
}

/// The rule's code, linked to its page when there is one.
fn code(d: &Diagnostic, links: &Links<'_>) -> String {
    let code = markup::text(&clip(&d.rule, TITLE));
    match links.rule(d) {
        Some(url) => format!("[{code}]({url})"),
        None => format!("**{code}**"),
    }
}

/// One row per rule, every rule (unless there are thousands).
fn rule_table(text: &mut String, tally: &Tally<'_>, links: &Links<'_>) {
    text.push_str("| rule | title | stage | findings |\n| --- | --- | --- | ---: |\n");
    let start = text.len();
    let mut rows = 0;
    for rule in &tally.rules {
        let d = rule.first;
        let row = format!(
            "| {} {} | {} | {} | {} |\n",
            code(d, links),
            markup::cell_code(&clip(&d.name, TITLE)),
            markup::cell_prose(&clip(&d.title, TITLE)),
            d.stage.as_str(),
            rule.count
        );
        if text.len() - start + row.len() > RULE_TABLE {
            break;
        }
        text.push_str(&row);
        rows += 1;
    }
    if rows < tally.rules.len() {
        let left: usize = tally.rules.iter().skip(rows).map(|r| r.count).sum();
        let _ = writeln!(
            text,
            "\n_{} with {} left out of this table to keep the comment short._",
            plural(tally.rules.len() - rows, "more rule"),
            plural(left, "finding")
        );
    }
    text.push('\n');
}

/// The documentation of each rule without a page, collapsed.
fn rule_docs(text: &mut String, tally: &Tally<'_>, links: &Links<'_>) {
    let start = text.len();
    let mut left_out = Vec::new();
    for rule in &tally.rules {
        let d = rule.first;
        let Some(info) = links.rules.get(d.rule.as_str()) else {
            continue;
        };
        if links.rule(d).is_some() || info.doc.trim().is_empty() {
            continue;
        }
        let mut entry = format!(
            "<details><summary>{} {}</summary>\n\n",
            markup::html_text(&clip(&d.rule, TITLE)),
            markup::html_text(&clip(&d.name, TITLE))
        );
        markup::doc(&mut entry, &clip(&info.doc, DOC));
        entry.push_str("</details>\n\n");
        if text.len() - start + entry.len() > DOCS {
            left_out.push(markup::code(&clip(&d.rule, TITLE)));
            continue;
        }
        text.push_str(&entry);
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            text,
            "_`cargo codex explain` documents {} (left out to keep the comment short)._\n",
            left_out.join(", ")
        );
    }
}

/// The findings, by file, as many as fit; then what was cut.
fn findings(text: &mut String, diagnostics: &[&Diagnostic], tally: &Tally<'_>, links: &Links<'_>) {
    let counts: HashMap<&str, usize> = tally.files.iter().map(|f| (f.path, f.count)).collect();
    // Room kept for the table of what is cut, in case it is needed.
    let cut_rows: usize = tally
        .files
        .iter()
        .map(|f| cut_row(f.path, f.count, f.count, links).len())
        .sum();
    let budget = LIMIT.saturating_sub(cut_rows.min(CUT_TABLE) + 1_000);
    let mut helped: HashSet<&str> = HashSet::new();
    let mut shown = 0;
    let mut current: Option<&str> = None;
    for d in diagnostics {
        let mut entry = String::new();
        if current != Some(d.path.as_str()) {
            let count = counts.get(d.path.as_str()).copied().unwrap_or(0);
            file_heading(&mut entry, &d.path, count, links);
        }
        let explained = !helped.contains(d.rule.as_str());
        finding(&mut entry, d, explained, links);
        if text.len() + entry.len() > budget {
            break;
        }
        text.push_str(&entry);
        current = Some(&d.path);
        if explained {
            helped.insert(&d.rule);
        }
        shown += 1;
    }
    if shown < diagnostics.len() {
        cut(text, diagnostics, shown, tally, links);
    }
}

/// `### [`path`](link) · N findings`.
fn file_heading(text: &mut String, path: &str, count: usize, links: &Links<'_>) {
    let name = markup::code(&clip(path, TITLE));
    let name = match links.file(path, None) {
        Some(url) => format!("[{name}]({url})"),
        None => name,
    };
    let _ = writeln!(text, "### {name} · {}\n", plural(count, "finding"));
}

/// One finding: rule, title and line; message and incident; source; help the first time.
fn finding(text: &mut String, d: &Diagnostic, explained: bool, links: &Links<'_>) {
    let line = format!("line {}", d.start.line);
    let line = match links.file(&d.path, Some(d.start.line)) {
        Some(url) => format!("[{line}]({url})"),
        None => line,
    };
    let _ = write!(
        text,
        "#### {} {} · {line}\n\n{}",
        code(d, links),
        markup::prose(&clip(&d.title, TITLE)),
        markup::prose(&clip(&d.message, PROSE))
    );
    if !d.incidents.is_empty() {
        let incidents: Vec<String> = d.incidents.iter().map(|i| markup::text(i)).collect();
        let _ = write!(text, " (incident {})", incidents.join(", "));
    }
    if !d.references.is_empty() {
        let references: Vec<String> = d.references.iter().map(|r| markup::text(r)).collect();
        let _ = write!(text, " (see {})", references.join(", "));
    }
    text.push_str("\n\n");
    if !d.snippet.is_empty() {
        markup::code_block(text, "rust", &d.snippet.text);
    }
    if let Some(help) = d.help.as_ref().filter(|_| explained) {
        let _ = writeln!(text, "**help:** {}\n", markup::prose(&clip(help, PROSE)));
    }
    if let Some(fix) = &d.fix {
        let _ = writeln!(
            text,
            "**fix** ({}): {}\n",
            fix.applicability.as_str(),
            markup::prose(&clip(&fix.description, PROSE))
        );
    }
}

/// What was cut: how many findings, and a table of the files whose findings are not all shown.
fn cut(
    text: &mut String,
    diagnostics: &[&Diagnostic],
    shown: usize,
    tally: &Tally<'_>,
    links: &Links<'_>,
) {
    let mut shown_by_file: HashMap<&str, usize> = HashMap::new();
    for d in diagnostics.iter().take(shown) {
        *shown_by_file.entry(&d.path).or_insert(0) += 1;
    }
    let _ = writeln!(
        text,
        "---\n\n_This comment shows {shown} of {} to stay under the platforms' {LIMIT}-character limit; the table by rule above counts them all. `cargo codex check` lists every finding._\n\n| file | findings | not shown |\n| --- | ---: | ---: |",
        plural(diagnostics.len(), "finding"),
    );
    let start = text.len();
    let mut files_left = 0;
    let mut findings_left = 0;
    for file in &tally.files {
        let shown = shown_by_file.get(file.path).copied().unwrap_or(0);
        if shown == file.count {
            continue;
        }
        let row = cut_row(file.path, file.count, file.count - shown, links);
        if files_left > 0 || text.len() - start + row.len() > CUT_TABLE {
            files_left += 1;
            findings_left += file.count - shown;
            continue;
        }
        text.push_str(&row);
    }
    if files_left > 0 {
        let _ = writeln!(
            text,
            "| _{} more_ | | {findings_left} |",
            plural(files_left, "file")
        );
    }
}

fn cut_row(path: &str, count: usize, hidden: usize, links: &Links<'_>) -> String {
    let name = markup::cell_code(&clip(path, TITLE));
    let name = match links.file(path, None) {
        Some(url) => format!("[{name}]({url})"),
        None => name,
    };
    format!("| {name} | {count} | {hidden} |\n")
}

/// At most `max` characters of `text`, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample;

    fn rendered(diagnostics: &[Diagnostic], context: &Context) -> String {
        let shown: Vec<&Diagnostic> = diagnostics.iter().collect();
        let summary = Summary::of(diagnostics, 9, 0);
        let mut out = Vec::new();
        render(&mut out, &shown, &summary, context).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn findings_are_grouped_by_file_with_help_once_per_rule() {
        let all = [
            sample("src/a.rs", 1, "m"),
            sample("src/a.rs", 2, "m"),
            sample("src/b.rs", 3, "m"),
        ];
        let out = rendered(&all, &Context::default());
        assert!(out.starts_with("<!-- cargo-codex -->\n## cargo-codex\n\n**3 findings** (3 enforced) in 2 of 9 files.\n"), "{out}");
        assert_eq!(
            out.matches("### `src/a.rs` · 2 findings").count(),
            1,
            "{out}"
        );
        assert_eq!(
            out.matches("### `src/b.rs` · 1 finding\n").count(),
            1,
            "{out}"
        );
        assert_eq!(out.matches("**help:**").count(), 1, "{out}");
        assert!(!out.contains("suggestion"), "{out}");
    }

    #[test]
    fn files_and_lines_link_to_the_analysed_commit() {
        let context = Context {
            forge: Forge::new("https://github.com/a/b/blob/", "abcdef1", ""),
            ..Context::default()
        };
        let out = rendered(&[sample("src/a.rs", 4, "m")], &context);
        assert!(
            out.contains(
                "### [`src/a.rs`](https://github.com/a/b/blob/abcdef1/src/a.rs) · 1 finding"
            ),
            "{out}"
        );
        assert!(
            out.contains("[line 4](https://github.com/a/b/blob/abcdef1/src/a.rs#L4)"),
            "{out}"
        );
    }

    #[test]
    fn long_rule_strings_are_clipped() {
        let mut d = sample("src/a.rs", 1, &"m".repeat(10_000));
        d.title = "t".repeat(1_000);
        let mut entry = String::new();
        finding(&mut entry, &d, true, &Links::new(&Context::default()));
        assert!(entry.len() < 3_000, "{}", entry.len());
        assert!(entry.contains(&format!("{}…", "t".repeat(TITLE))));
    }
}
