//! One rule against its fixtures: `fail.rs` must fire exactly on its marked lines, `pass.rs`
//! must stay silent, and the human output of `fail.rs` must equal `fail.stderr`. Failures say
//! where (`rules/<name>/fail.rs:line:column`) and show the code; a fixture that does not parse
//! says why and where; a changed output is shown as a unified diff. A `shadow` rule's output is
//! rendered, and blessed, as if it were enforced, so that it shows what the rule finds.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::codex::{Builtin, Codex, Rule, Stage};
use crate::diagnostic::{Diagnostic, Summary};
use crate::engine::{self, Inputs};
use crate::report::{self, Format};

/// The failures of `rule`, whose fixtures are in `dir` (`rules/<name>/`). With `bless`, a
/// missing or outdated `fail.stderr` is written instead.
pub(super) fn test_rule(codex: &Codex, rule: &Rule, dir: &Path, bless: bool) -> Vec<String> {
    let mut failures = Vec::new();
    let root = dir.parent().unwrap_or(dir).to_path_buf();
    for (fixture, must_fire) in [("fail.rs", true), ("pass.rs", false)] {
        let path = dir.join(fixture);
        // As the project shows it: `rules/<name>/fail.rs`.
        let shown = format!(
            "{}/{fixture}",
            rule.origin.strip_suffix(".toml").unwrap_or(&rule.origin)
        );
        let Ok(text) = fs::read_to_string(&path) else {
            failures.push(format!("missing fixture {}", path.display()));
            continue;
        };
        let (found, unchecked) = run(codex, rule, &root, &path);
        for problem in &unchecked {
            failures.push(not_checked(&shown, &text, problem));
        }
        let expected = if must_fire {
            marked_lines(&text, &rule.id)
        } else {
            Vec::new()
        };
        if must_fire && expected.is_empty() {
            failures.push(format!("{shown} marks no line with `//~ {}`", rule.id));
        }
        if let Some(mismatch) = mismatch(&shown, &text, &rule.id, &expected, &found) {
            failures.push(mismatch);
        }
        if must_fire {
            let expected = Expected {
                path: &dir.join("fail.stderr"),
                shown: &shown.replace("fail.rs", "fail.stderr"),
            };
            compare_stderr(&found, &expected, bless, &mut failures);
        }
    }
    failures
}

/// The findings of `rule` on the fixture at `path`, and the findings saying that the fixture
/// (or part of it) could not be read or parsed, so no rule was checked there.
fn run(codex: &Codex, rule: &Rule, root: &Path, path: &Path) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let inputs = Inputs {
        root: root.to_path_buf(),
        files: vec![path.to_path_buf()],
        max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        ..Inputs::default()
    };
    let unchecked: Vec<&str> = [Builtin::UnreadableSource, Builtin::UnparsableSource]
        .into_iter()
        .filter_map(|kind| codex.builtin(kind))
        .filter_map(|index| codex.rule(index))
        .map(|builtin| builtin.id.as_str())
        .collect();
    engine::check(codex, &inputs)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == rule.id || unchecked.contains(&d.rule.as_str()))
        .partition(|d| d.rule == rule.id)
}

/// Why (part of) a fixture was not checked, at the place of the error: a syntax error names
/// its line and column in its message (`… (at line 3, column 16); this part was not checked`).
fn not_checked(shown: &str, text: &str, problem: &Diagnostic) -> String {
    let (line, column) =
        error_place(&problem.message).unwrap_or((problem.start.line, problem.start.column));
    let code = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim();
    format!(
        "{shown}:{line}:{column}: {}: {}\n  {}",
        problem.title,
        problem.message,
        report::visible(code)
    )
}

/// The `line, column` a message names as `(at line L, column C)`.
fn error_place(message: &str) -> Option<(usize, usize)> {
    let (_, rest) = message.rsplit_once("(at line ")?;
    let (line, rest) = rest.split_once(", column ")?;
    let (column, _) = rest.split_once(')')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Lines carrying `//~ CODE` (the finding is on that line) or `//~^ CODE` (on the line above).
pub fn marked_lines(text: &str, code: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("//~") {
            rest = &rest[at + 3..];
            let ups = rest.chars().take_while(|&c| c == '^').count();
            let marked = rest[ups..]
                .split_whitespace()
                .take_while(|word| !word.starts_with("//"));
            let count = marked
                .filter(|word| word.trim_end_matches(',') == code)
                .count();
            lines.extend(std::iter::repeat_n((index + 1).saturating_sub(ups), count));
        }
    }
    lines.sort_unstable();
    lines
}

/// What differs between the marked lines and the findings, each with its place and code:
/// `- name/fail.rs:4: marked, not reported: input.lock();` and
/// `+ name/fail.rs:7:11: reported, not marked: m.lock()`. `None` when they agree (a line
/// marked twice needs two findings).
fn mismatch(
    shown: &str,
    text: &str,
    code: &str,
    expected: &[usize],
    found: &[Diagnostic],
) -> Option<String> {
    // Both are sorted by line: one merge pairs them.
    let mut found_sorted: Vec<&Diagnostic> = found.iter().collect();
    found_sorted.sort_by_key(|d| (d.start.line, d.start.column));
    let (mut unmatched, mut extra) = (Vec::new(), Vec::new());
    let (mut marks, mut finds) = (
        expected.iter().peekable(),
        found_sorted.into_iter().peekable(),
    );
    loop {
        match (marks.peek(), finds.peek()) {
            (Some(&&line), Some(d)) if line == d.start.line => {
                marks.next();
                finds.next();
            }
            (Some(&&line), Some(d)) if line < d.start.line => {
                unmatched.push(line);
                marks.next();
            }
            (Some(&&line), None) => {
                unmatched.push(line);
                marks.next();
            }
            (_, Some(_)) => extra.extend(finds.next()),
            (None, None) => break,
        }
    }
    if unmatched.is_empty() && extra.is_empty() {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let source = |line: usize| {
        let text = lines.get(line.saturating_sub(1)).copied().unwrap_or("");
        // The mark itself is not the code.
        let code = text.split("//~").next().unwrap_or(text).trim();
        report::visible(code)
    };
    let mut out = if expected.is_empty() {
        format!("{shown}: must report nothing, reported {}", extra.len())
    } else {
        format!(
            "{shown}: {} marked line(s) not reported, {} finding(s) not marked",
            unmatched.len(),
            extra.len()
        )
    };
    for line in unmatched {
        let _ = write!(
            out,
            "\n  - {shown}:{line}: marked `//~ {code}`, not reported: {}",
            source(line)
        );
    }
    for d in extra {
        let _ = write!(
            out,
            "\n  + {shown}:{}:{}: reported, not marked: {}",
            d.start.line,
            d.start.column,
            source(d.start.line)
        );
    }
    Some(out)
}

/// A file of expected output, and its path as shown.
struct Expected<'a> {
    path: &'a Path,
    shown: &'a str,
}

/// Compares the human output of `found`, rendered as if the rule were enforced, with the
/// `expected` file; writes it there instead with `bless`.
fn compare_stderr(
    found: &[Diagnostic],
    expected: &Expected<'_>,
    bless: bool,
    failures: &mut Vec<String>,
) {
    let Expected { path, shown } = *expected;
    // A `shadow` rule's findings are hidden from the human output: the expected output records
    // what the rule finds, as if it were enforced. (`warn` ones are shown, as warnings.)
    let enforced: Vec<Diagnostic> = found
        .iter()
        .cloned()
        .map(|d| match d.stage {
            Stage::Shadow => Diagnostic {
                stage: Stage::Enforce,
                ..d
            },
            _ => d,
        })
        .collect();
    let mut rendered = Vec::new();
    let summary = Summary::of(&enforced, 1, 0);
    let context = report::Context::default();
    if report::render(Format::Human, &mut rendered, &enforced, &summary, &context).is_err() {
        failures.push("cannot render the human output".to_owned());
        return;
    }
    let rendered = String::from_utf8_lossy(&rendered).into_owned();
    match fs::read_to_string(path) {
        Ok(expected) if expected == rendered => {}
        _ if bless => {
            if let Err(error) = fs::write(path, &rendered) {
                failures.push(format!("cannot write {shown}: {error}"));
            }
        }
        Ok(expected) => {
            let patch = diffy::DiffOptions::new()
                .set_original_filename(format!("{shown} (expected)"))
                .set_modified_filename(format!("{shown} (actual)"))
                .create_patch(&expected, &rendered);
            failures.push(format!(
                "{shown} differs from the output (`--bless` updates it):\n{}",
                patch.to_string().trim_end()
            ));
        }
        Err(_) => failures.push(format!("missing {shown} (`--bless` writes it)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_on_the_line_and_above() {
        let text =
            "a.unwrap(); //~ CX0001\nb.unwrap(); c.unwrap(); //~ CX0001 CX0001\n//~^ CX0002\n";
        assert_eq!(marked_lines(text, "CX0001"), [1, 2, 2]);
        assert_eq!(marked_lines(text, "CX0002"), [2]);
    }

    #[test]
    fn a_syntax_error_is_placed_where_its_message_says() {
        let message = "syntax error: expected an expression (at line 3, column 16); this part was \
                       not checked";
        assert_eq!(error_place(message), Some((3, 16)));
        assert_eq!(error_place("this file could not be read"), None);
    }
}
