//! One line per finding, for editors and `grep`:
//! `path:line:col: level[CODE] [*] message [name]`, coloured on a terminal as ruff colours its
//! concise output. Every string from the repository or its rules is shown through
//! [`super::terminal`], so a file name with a line break stays on its line.

use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::Style;

use super::human::is_fixable;
use super::summary::{self, Extra, FIXABLE, FIXABLE_STYLE};
use super::tally::Tally;
use super::terminal::{paint, visible};
use super::{Context, Level};
use crate::diagnostic::{Diagnostic, Summary};

const PATH: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    context: &Context,
    extra: &Extra,
) -> io::Result<()> {
    let tally = Tally::of(diagnostics);
    let color = context.color;
    if context.statistics {
        summary::statistics(writer, &tally, color)?;
    } else {
        let mut line = String::new();
        for d in diagnostics {
            line.clear();
            paint(
                &mut line,
                color,
                PATH,
                visible(&context.display_path(&d.path)),
            );
            let _ = write!(line, ":{}:{}: ", d.start.line, d.start.column);
            let level = Level::of_diagnostic(d);
            paint(
                &mut line,
                color,
                level.style().bold(),
                format_args!("{}[{}]", level.as_str(), visible(&d.rule)),
            );
            if is_fixable(d) {
                line.push(' ');
                paint(&mut line, color, FIXABLE_STYLE, FIXABLE);
            }
            let _ = write!(line, " {} ", visible(&d.message));
            paint(
                &mut line,
                color,
                DIM,
                format_args!("[{}]", visible(&d.name)),
            );
            line.push('\n');
            writer.write_all(line.as_bytes())?;
        }
    }
    if context.quiet {
        return Ok(());
    }
    summary::write(writer, &tally, summary, extra)
}
