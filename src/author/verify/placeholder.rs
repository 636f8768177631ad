//! What `cargo codex new` leaves for a human to replace: texts starting with
//! [`scaffold::TODO`] in rule files and incident records, and [`scaffold::PLACEHOLDER`] in rule
//! files and fixtures. Each one left is a failure naming its file, line and column, so a
//! scaffold committed as it was written cannot pass `cargo codex test`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::author::scaffold::{PLACEHOLDER, TODO};
use crate::report;

/// The placeholders left in the TOML file at `path` (shown as `shown`): a string or a line of a
/// multi-line string that starts with `TODO:`, and the placeholder name anywhere. `None` when
/// there are none (or the file cannot be read: loading it already said so).
pub(super) fn in_toml(path: &Path, shown: &str) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    left(shown, &text, true)
}

/// The placeholder name left in the fixture at `path` (shown as `shown`).
pub(super) fn in_fixture(path: &Path, shown: &str) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    left(shown, &text, false)
}

fn left(shown: &str, text: &str, toml: bool) -> Option<String> {
    let mut found = String::new();
    for (index, line) in text.lines().enumerate() {
        // The scaffold's comments name the placeholders; a comment is not the rule.
        if toml && line.trim_start().starts_with('#') {
            continue;
        }
        let at = line.find(PLACEHOLDER).or_else(|| {
            let at = line.find(TODO).filter(|_| toml)?;
            // `title = "TODO: …"`, or a line of a `"""` string: not `// TODO:` in an example.
            let before = line.get(..at).unwrap_or_default().trim_end();
            (before.is_empty() || before.ends_with(['"', '\''])).then_some(at)
        });
        if let Some(at) = at {
            let column = line
                .get(..at)
                .map_or(1, |before| before.chars().count() + 1);
            let _ = write!(
                found,
                "\n  {shown}:{}:{column}: {}",
                index + 1,
                report::visible(line.trim())
            );
        }
    }
    (!found.is_empty())
        .then(|| format!("{shown}: placeholders of `cargo codex new` left to replace:{found}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todo_texts_and_the_placeholder_name_are_found_with_their_place() {
        let rule = "# a `TODO:` in a comment\ntitle = \"TODO: the pattern\"\ndoc = \"\"\"\nTODO: what it flags\n    // TODO: in an example\n\"\"\"\n[match]\nmethod = [\"replace_me\"]\n";
        let found = left("rules/x.toml", rule, true).unwrap();
        assert!(found.contains("\n  rules/x.toml:2:10: title"), "{found}");
        assert!(found.contains("\n  rules/x.toml:4:1: TODO"), "{found}");
        assert!(
            !found.contains("x.toml:1:") && !found.contains("x.toml:5:"),
            "{found}"
        );
        assert!(found.contains("\n  rules/x.toml:8:12: method"), "{found}");
        assert!(left("f.rs", "// TODO: later\nfn f() {}\n", false).is_none());
        assert!(left("f.rs", "fn f() { x.replace_me_safely() }\n", false).is_some());
    }
}
