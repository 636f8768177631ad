//! GitHub Actions workflow commands: one `::error file=…,line=…::message` annotation per
//! finding, escaped as the runner expects (`%`, CR and LF everywhere; also `:` and `,` in
//! properties, as `@actions/core` does). The stage decides the command ([`super::Level`]):
//! `error` for enforced findings, `warning` (or `notice`) for `warn`; shadow-stage findings are
//! left out, annotations are read by people.
//!
//! Every command is one line whatever the strings hold: a file name or message with a line
//! break cannot start a second command. Control characters and bidi controls in the file name,
//! title and message are shown visibly (see [`super::terminal`]), as people read them in the
//! log and the annotation; a file whose name holds them gets an annotation that may not find
//! its file, which is the small failure.

use std::io::{self, Write};

use super::Level;
use super::terminal::visible;
use crate::diagnostic::Diagnostic;

pub(super) fn render(writer: &mut dyn Write, diagnostics: &[&Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        let command = match Level::of_diagnostic(d) {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note | Level::Silent => "notice",
        };
        let title = format!(
            "{} {}: {}",
            visible(&d.rule),
            visible(&d.name),
            visible(&d.title)
        );
        let mut message = visible(&d.message).to_string();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            let lines: Vec<String> = help.lines().map(|l| visible(l).to_string()).collect();
            message.push_str(&lines.join("\n"));
        }
        writeln!(
            writer,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            property(&visible(&d.path).to_string()),
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

    #[test]
    fn a_hostile_file_name_or_message_stays_one_command() {
        let mut d = crate::report::tests::sample(
            "src/a\n::error file=x.rs::forged\r.rs",
            1,
            "bad\n::warning::forged \u{1b}[2J",
        );
        d.help = Some("one\ntwo".to_owned());
        let mut out = Vec::new();
        render(&mut out, &[&d]).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.contains("file=src/a␊%3A%3Aerror file=x.rs%3A%3Aforged␍.rs,"));
        assert!(
            out.ends_with("::bad␊::warning::forged ␛[2J%0Ahelp: one%0Atwo\n"),
            "{out}"
        );
    }
}
