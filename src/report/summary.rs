//! The end of a terminal report (`human`, `concise`), as ruff ends its own: how many findings in
//! how many of the files checked, the count of each rule, what `--fix` would fix, what the
//! baseline hid, how many shadow-stage findings were left out and how to see them, and how long
//! the run took. `--statistics` replaces the findings with a table of counts by rule.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use super::tally::{Tally, plural};
use super::terminal::{paint, visible};
use crate::diagnostic::Summary;

/// What the end of a terminal report says beyond the findings shown.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Extra {
    /// Shadow-stage findings left out.
    pub(super) shadow: usize,
    /// How long the run took, when it is to be said.
    pub(super) elapsed: Option<Duration>,
    /// Whether to use colours.
    pub(super) color: bool,
    /// Whether the counts by rule were already shown as a table (`--statistics`).
    pub(super) statistics: bool,
}

/// The marker of a finding `--fix` fixes, as ruff marks them.
pub(super) const FIXABLE: &str = "[*]";

/// The colour of [`FIXABLE`].
pub(super) const FIXABLE_STYLE: Style =
    Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

const BOLD: Style = Style::new().bold();

/// Writes the summary.
pub(super) fn write(
    writer: &mut dyn Write,
    tally: &Tally<'_>,
    summary: &Summary,
    extra: &Extra,
) -> io::Result<()> {
    let color = extra.color;
    let mut out = String::new();
    let files = plural(summary.files, "file");
    if tally.findings == 0 {
        let _ = writeln!(out, "No findings in {files}.");
    } else {
        paint(
            &mut out,
            color,
            BOLD,
            format_args!(
                "Found {} ({} enforced) in {} of {files}",
                plural(tally.findings, "finding"),
                tally.enforced,
                tally.files.len()
            ),
        );
        if extra.statistics {
            out.push_str(".\n");
        } else {
            out.push_str(":\n");
            by_rule(&mut out, tally, color);
        }
    }
    fixes(&mut out, tally, color);
    if summary.baselined > 0 || summary.baseline_stale > 0 {
        let _ = writeln!(
            out,
            "The baseline hid {} and has {} (write it again to shrink it).",
            plural(summary.baselined, "finding"),
            plural(summary.baseline_stale, "stale entry")
        );
    }
    if extra.shadow > 0 {
        let _ = writeln!(
            out,
            "{} not shown; `--format json` or `--format sarif` lists them.",
            plural(extra.shadow, "shadow-stage finding")
        );
    }
    if summary.unparsed > 0 {
        let _ = writeln!(
            out,
            "{} could not be read or parsed in full; see the findings above.",
            plural(summary.unparsed, "file")
        );
    }
    if let Some(elapsed) = extra.elapsed {
        let _ = writeln!(out, "Finished in {}.", seconds(elapsed));
    }
    writer.write_all(out.as_bytes())
}

/// One line per rule: count, code, name.
fn by_rule(out: &mut String, tally: &Tally<'_>, color: bool) {
    let width = tally
        .rules
        .first()
        .map_or(1, |rule| rule.count.to_string().len());
    let codes: Vec<String> = tally
        .rules
        .iter()
        .map(|rule| visible(&rule.first.rule).to_string())
        .collect();
    let code_width = codes.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    for (rule, code) in tally.rules.iter().zip(&codes) {
        let _ = write!(out, "  {:>width$}  ", rule.count);
        paint(
            out,
            color,
            rule.level.style(),
            format_args!("{code:<code_width$}"),
        );
        let _ = writeln!(out, "  {}", visible(&rule.first.name));
    }
}

/// What `--fix` would fix, and what only `--unsafe-fixes` would.
fn fixes(out: &mut String, tally: &Tally<'_>, color: bool) {
    let (safe, unsafe_) = (tally.safe_fixes, tally.unsafe_fixes);
    if safe > 0 {
        paint(out, color, FIXABLE_STYLE, FIXABLE);
        let _ = write!(out, " {safe} fixable with `--fix`");
        if unsafe_ > 0 {
            let _ = write!(out, " ({unsafe_} more with `--fix --unsafe-fixes`)");
        }
        out.push_str(".\n");
    } else if unsafe_ > 0 {
        let _ = writeln!(
            out,
            "{unsafe_} fixable with `--fix --unsafe-fixes` (unsafe fixes may change behaviour: review the diff)."
        );
    }
}

/// `--statistics`: a table of counts by rule, most findings first.
pub(super) fn statistics(writer: &mut dyn Write, tally: &Tally<'_>, color: bool) -> io::Result<()> {
    if tally.rules.is_empty() {
        return Ok(());
    }
    let rows: Vec<[String; 4]> = tally
        .rules
        .iter()
        .map(|rule| {
            let fixable = match (rule.safe_fixes, rule.unsafe_fixes) {
                (0, 0) => "-".to_owned(),
                (safe, 0) => format!("{FIXABLE} {safe}"),
                (0, unsafe_) => format!("{unsafe_} unsafe"),
                (safe, unsafe_) => format!("{FIXABLE} {safe} + {unsafe_} unsafe"),
            };
            [
                rule.count.to_string(),
                visible(&rule.first.rule).to_string(),
                rule.level.as_str().to_owned(),
                fixable,
            ]
        })
        .collect();
    let header = ["count", "rule", "level", "fixable"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let [count, code, level, fixable] = widths;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>count$}  {:<code$}  {:<level$}  {:<fixable$}  name",
        header[0], header[1], header[2], header[3]
    );
    for (row, rule) in rows.iter().zip(&tally.rules) {
        let style = rule.level.style();
        let _ = write!(out, "{:>count$}  ", row[0]);
        paint(&mut out, color, style, format_args!("{:<code$}", row[1]));
        let _ = write!(out, "  {:<level$}  ", row[2]);
        let fix = format!("{:<fixable$}", row[3]);
        match fix.strip_prefix(FIXABLE) {
            Some(rest) => {
                paint(&mut out, color, FIXABLE_STYLE, FIXABLE);
                out.push_str(rest);
            }
            None => out.push_str(&fix),
        }
        let _ = writeln!(out, "  {}", visible(&rule.first.name));
    }
    out.push('\n');
    writer.write_all(out.as_bytes())
}

/// `0.41s`, or `12ms` under a second.
fn seconds(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{}ms", elapsed.as_millis())
    } else {
        format!("{:.2}s", elapsed.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::{Applicability, Stage};
    use crate::diagnostic::{Diagnostic, Fix};
    use crate::report::tests::sample;

    fn fixable(mut d: Diagnostic, applicability: Applicability) -> Diagnostic {
        d.fix = Some(Fix {
            applicability,
            description: "d".to_owned(),
            start: d.start,
            end: d.end,
            replacement: "?".to_owned(),
        });
        d
    }

    fn written(diagnostics: &[Diagnostic], extra: &Extra) -> String {
        let shown: Vec<&Diagnostic> = diagnostics.iter().collect();
        let tally = Tally::of(&shown);
        let summary = Summary {
            files: 7,
            ..Summary::default()
        };
        let mut out = Vec::new();
        if extra.statistics {
            statistics(&mut out, &tally, extra.color).unwrap();
        }
        write(&mut out, &tally, &summary, extra).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn findings() -> Vec<Diagnostic> {
        let mut warn = sample("src/b.rs", 3, "m");
        warn.rule = "CX0002".to_owned();
        warn.name = "expect-outside-tests".to_owned();
        warn.stage = Stage::Warn;
        vec![
            fixable(sample("src/a.rs", 1, "m"), Applicability::Safe),
            fixable(sample("src/a.rs", 2, "m"), Applicability::Unsafe),
            sample("src/a.rs", 3, "m"),
            warn,
        ]
    }

    #[test]
    fn counts_by_rule_files_fixes_shadow_and_time() {
        let extra = Extra {
            shadow: 2,
            elapsed: Some(Duration::from_millis(1234)),
            ..Extra::default()
        };
        assert_eq!(
            written(&findings(), &extra),
            "Found 4 findings (3 enforced) in 2 of 7 files:\n  3  CX0001  unwrap-outside-tests\n  1  CX0002  expect-outside-tests\n[*] 1 fixable with `--fix` (1 more with `--fix --unsafe-fixes`).\n2 shadow-stage findings not shown; `--format json` or `--format sarif` lists them.\nFinished in 1.23s.\n"
        );
        assert_eq!(written(&[], &Extra::default()), "No findings in 7 files.\n");
    }

    #[test]
    fn statistics_is_a_table_by_rule() {
        let extra = Extra {
            statistics: true,
            ..Extra::default()
        };
        assert_eq!(
            written(&findings(), &extra),
            "count  rule    level    fixable           name\n    3  CX0001  error    [*] 1 + 1 unsafe  unwrap-outside-tests\n    1  CX0002  warning  -                 expect-outside-tests\n\nFound 4 findings (3 enforced) in 2 of 7 files.\n[*] 1 fixable with `--fix` (1 more with `--fix --unsafe-fixes`).\n"
        );
    }

    #[test]
    fn colours_are_spans() {
        let extra = Extra {
            color: true,
            ..Extra::default()
        };
        let out = written(&findings(), &extra);
        assert!(out.contains("\u{1b}[31mCX0001\u{1b}[0m"), "{out:?}");
        assert_eq!(out.matches('\u{1b}').count(), 8, "{out:?}");
    }
}
