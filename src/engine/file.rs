//! Checking one file: read once, lex once, parse only the items that hold a trigger word, walk
//! each parsed item once. Everything returned is plain, thread-independent data.

mod items;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use crate::codex::{Builtin, Codex};
use crate::filter::suppress::Directive;
use crate::source::lex::{self, ModuleFacts};
use crate::source::{self, ReadError};
use crate::text::{Excerpt, LineIndex, Position};
use items::check_text;

/// A finding placed in its file, before module-tree context is applied.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Located {
    pub rule: usize,
    pub start: Position,
    pub end: Position,
    pub snippet: Excerpt,
    pub item: Vec<String>,
    pub function: Option<String>,
    pub test: bool,
    pub bench: bool,
    pub clippy: super::lints::ClippyVerdict,
    pub statement_line: Option<usize>,
    pub related: Option<(Position, Excerpt)>,
    pub fix: Option<(Position, Position, String)>,
}

/// A built-in finding about the file itself.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Problem {
    pub kind: Builtin,
    pub message: String,
    pub start: Position,
    pub end: Position,
    pub snippet: Excerpt,
}

/// What checking one file produced.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Checked {
    pub facts: ModuleFacts,
    pub findings: Vec<Located>,
    pub problems: Vec<Problem>,
    pub directives: Vec<Directive>,
}

impl Checked {
    fn problem(kind: Builtin, message: String, start: Position, snippet: Excerpt) -> Self {
        Checked {
            problems: vec![Problem {
                kind,
                message,
                start,
                end: start,
                snippet,
            }],
            ..Checked::default()
        }
    }

    /// Whether some of the file could not be read or parsed.
    pub(super) fn is_unparsed(&self) -> bool {
        self.problems.iter().any(|p| {
            matches!(
                p.kind,
                Builtin::UnreadableSource | Builtin::UnparsableSource
            )
        })
    }
}

/// Checks the file at `path` (or `unsaved`, its text in an editor, instead of the disk),
/// refusing text over `max_size` bytes and leaving out items whose estimated recursion depth
/// passes `limit` (see [`crate::source::depth`]).
pub(crate) fn check(
    codex: &Codex,
    path: &Path,
    unsaved: Option<&str>,
    max_size: u64,
    limit: usize,
) -> Checked {
    check_read(codex, read(path, unsaved, max_size), limit)
}

/// Checks a file already read as `bytes`: what [`check`] gives for a file holding them. The
/// path plays no part, which is what lets the result cache key it by content alone.
pub(crate) fn check_bytes(codex: &Codex, bytes: Vec<u8>, limit: usize) -> Checked {
    check_read(codex, source::decode(bytes).map(Cow::Owned), limit)
}

fn check_read(codex: &Codex, read: Result<Cow<'_, str>, ReadError>, limit: usize) -> Checked {
    let text = match read {
        Ok(text) => text,
        Err(ReadError { position, reason }) => {
            return Checked::problem(
                Builtin::UnreadableSource,
                reason,
                position,
                Excerpt::default(),
            );
        }
    };
    if text.is_empty() {
        let start = Position { line: 1, column: 1 };
        return Checked::problem(
            Builtin::EmptySource,
            "this file is empty".to_owned(),
            start,
            Excerpt::default(),
        );
    }
    let lines = LineIndex::new(&text);
    let checked = check_text(codex, &text, &lines, limit);
    // Spans point into a per-thread table that would otherwise grow with every file.
    proc_macro2::extra::invalidate_current_thread_spans();
    checked
}

/// Reads and lexes the file at `path` (or `unsaved`) for its module facts only: a parent of
/// checked files that is not itself checked. A file that cannot be read or lexed has no facts,
/// nor one that cannot declare a module named one of `names` (the folders and stems of the
/// checked files) or one at a `#[path]`: it cannot change where they stand.
pub(crate) fn facts(
    path: &Path,
    unsaved: Option<&str>,
    max_size: u64,
    limit: usize,
    names: &HashSet<String>,
) -> ModuleFacts {
    let Ok(text) = read(path, unsaved, max_size) else {
        return ModuleFacts::default();
    };
    if !lex::may_declare_any(&text, names) {
        return ModuleFacts::default();
    }
    let facts = lex::declared_modules(&text, limit);
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

/// The text of `path`: `unsaved` when given, held to the same size limit as a file on disk.
fn read<'t>(
    path: &Path,
    unsaved: Option<&'t str>,
    max_size: u64,
) -> Result<Cow<'t, str>, ReadError> {
    let Some(text) = unsaved else {
        return source::read(path, max_size).map(Cow::Owned);
    };
    let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if size > max_size {
        return Err(ReadError {
            position: Position { line: 1, column: 1 },
            reason: format!(
                "file is {size} bytes, over the {max_size}-byte limit (`max_file_size` in codex.toml)"
            ),
        });
    }
    Ok(Cow::Borrowed(text))
}
