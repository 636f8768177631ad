//! GitHub Actions workflow commands: one `::error file=…,line=…::message` annotation per
//! finding, escaped as the runner expects (`%`, CR and LF everywhere; also `:` and `,` in
//! properties). Shadow-stage findings are left out: annotations are read by people.

use std::io::{self, Write};

use crate::codex::Severity;
use crate::diagnostic::Diagnostic;

pub(super) fn render(writer: &mut dyn Write, diagnostics: &[&Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = format!("{} {}: {}", d.rule, d.name, d.title);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            writer,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            property(&d.path),
            d.start.line,
            d.end.line,
            d.start.column,
            d.end.column,
            property(&title),
            data(&message)
        )?;
    }
    Ok(())
}

/// Escapes a command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
