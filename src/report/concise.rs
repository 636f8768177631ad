//! One line per finding, for editors and `grep`: `path:line:col: severity[CODE] message [name]`.
//! Every string from the repository or its rules is shown through [`super::terminal`], so a
//! file name with a line break stays on its line.

use std::io::{self, Write};

use super::Context;
use super::terminal::visible;
use crate::diagnostic::{Diagnostic, Summary};

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
    context: &Context,
) -> io::Result<()> {
    for d in diagnostics {
        writeln!(
            writer,
            "{}:{}:{}: {}[{}] {} [{}]",
            visible(&context.display_path(&d.path)),
            d.start.line,
            d.start.column,
            d.severity.as_str(),
            visible(&d.rule),
            visible(&d.message),
            visible(&d.name)
        )?;
    }
    if context.quiet {
        return Ok(());
    }
    super::human::write_summary(writer, diagnostics, summary)
}
