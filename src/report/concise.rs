//! One line per finding, for editors and `grep`: `path:line:col: severity[CODE] message [name]`.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Summary};

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    summary: &Summary,
) -> io::Result<()> {
    for d in diagnostics {
        writeln!(
            writer,
            "{}:{}:{}: {}[{}] {} [{}]",
            d.path,
            d.start.line,
            d.start.column,
            d.severity.as_str(),
            d.rule,
            d.message,
            d.name
        )?;
    }
    super::human::write_summary(writer, diagnostics, summary)
}
