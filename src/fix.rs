//! Applying suggested fixes to files: only those of the requested applicability, never two
//! that overlap, and never a result that does not parse (ruff's `--fix` / `--unsafe-fixes`).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::codex::Applicability;
use crate::diagnostic::{Diagnostic, Fix};
use crate::text::{LineIndex, Position};

/// What applying fixes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Fixes written.
    pub applied: usize,
    /// Files changed.
    pub files: usize,
    /// Files left untouched, with the reason (the result would not parse, or the file changed).
    pub skipped: Vec<(String, String)>,
}

/// Applies the fixes of `diagnostics` that `unsafe_fixes` allows to the files under `root`.
pub fn apply(root: &Path, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Report {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        let allowed = match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        };
        if allowed {
            by_file.entry(&d.path).or_default().push(fix);
        }
    }
    let mut report = Report::default();
    for (path, fixes) in by_file {
        let full = root.join(path);
        let Ok(text) = fs::read_to_string(&full) else {
            report
                .skipped
                .push((path.to_owned(), "cannot be read".to_owned()));
            continue;
        };
        match fixed_text(&text, &fixes) {
            Ok((fixed, count)) => match fs::write(&full, fixed) {
                Ok(()) => {
                    report.applied += count;
                    report.files += 1;
                }
                Err(error) => report
                    .skipped
                    .push((path.to_owned(), format!("cannot be written: {error}"))),
            },
            Err(reason) => report.skipped.push((path.to_owned(), reason)),
        }
    }
    report
}

/// `text` with `fixes` applied from the end backwards, skipping overlaps.
///
/// # Errors
///
/// When the result does not parse as Rust: nothing is written then.
pub fn fixed_text(text: &str, fixes: &[&Fix]) -> Result<(String, usize), String> {
    let lines = LineIndex::new(text);
    let mut edits: Vec<(usize, usize, &str)> = fixes
        .iter()
        .filter_map(|fix| {
            let start = offset(&lines, text, fix.start)?;
            let end = offset(&lines, text, fix.end)?;
            (start <= end).then_some((start, end, fix.replacement.as_str()))
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut edited = text.to_owned();
    let mut limit = usize::MAX;
    let mut count = 0;
    for (start, end, replacement) in edits {
        if end > limit {
            continue;
        }
        edited.replace_range(start..end, replacement);
        limit = start;
        count += 1;
    }
    syn::parse_file(&edited).map_err(|error| {
        format!("the fixed file would not parse ({error}); nothing was written")
    })?;
    Ok((edited, count))
}

/// The byte offset of a 1-based line and character column.
fn offset(lines: &LineIndex, text: &str, at: Position) -> Option<usize> {
    let range = lines.line_range(text, at.line);
    let line = text.get(range.clone())?;
    let within: usize = line
        .chars()
        .take(at.column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    Some(range.start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(line: usize, start: usize, end: usize, replacement: &str) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            description: String::new(),
            start: Position {
                line,
                column: start,
            },
            end: Position { line, column: end },
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn applies_from_the_end_and_refuses_what_does_not_parse() {
        let text = "fn f() -> Option<u8> { let é = x.unwrap(); y.unwrap() }\n";
        let (a, b) = (fix(1, 33, 42, "?"), fix(1, 45, 54, "?"));
        let (fixed, count) = fixed_text(text, &[&a, &b]).unwrap();
        assert_eq!(fixed, "fn f() -> Option<u8> { let é = x?; y? }\n");
        assert_eq!(count, 2);
        let broken = fix(1, 1, 3, "fn (");
        assert!(
            fixed_text(text, &[&broken])
                .unwrap_err()
                .contains("would not parse")
        );
    }
}
