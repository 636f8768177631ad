//! Applying suggested fixes to files: only those of the requested applicability, never two
//! that overlap, and never a result that does not parse (ruff's `--fix` / `--unsafe-fixes`).
//!
//! A file is written only if its content is still what the check read (a [`Snapshot`] of
//! hashes taken before the check), never through a symbolic link, and atomically.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::codex::Applicability;
use crate::codex::load::display_path;
use crate::diagnostic::{Diagnostic, Fix};
use crate::engine::{Inputs, MAX_DEPTH};
use crate::source::boundary::{Boundary, read_regular};
use crate::source::lex;
use crate::source::write::{WriteError, write_atomic};
use crate::text::{LineIndex, Position};

/// Stack of the thread that re-parses a fixed file: the largest the check uses, on which an
/// item at the depth bound [`MAX_DEPTH`] is known to parse (see the engine's tests).
/// Reserved, not committed, until used.
const PARSE_STACK: usize = 64 << 20;

/// The content of each file as the check read it, by hash, keyed by its path relative to the
/// root (as diagnostics name it).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    hashes: HashMap<String, Vec<u8>>,
    limit: u64,
}

impl Snapshot {
    /// Hashes the files `inputs` will check. Take it before the check: a file changed after
    /// this no longer matches, and its fixes are not applied.
    pub fn take(inputs: &Inputs) -> Self {
        Snapshot::of(&inputs.root, &inputs.files, inputs.max_file_size)
    }

    /// Hashes `files`, shown relative to `root`; files over `limit` bytes are left out.
    pub fn of(root: &Path, files: &[PathBuf], limit: u64) -> Self {
        let hashes = files
            .par_iter()
            .filter_map(|path| {
                let bytes = read_regular(path, limit).ok()?;
                Some((display_path(path, root), Sha256::digest(&bytes).to_vec()))
            })
            .collect();
        Snapshot { hashes, limit }
    }

    /// Whether `bytes` is what `path` held when the snapshot was taken.
    fn matches(&self, path: &str, bytes: &[u8]) -> bool {
        self.hashes
            .get(path)
            .is_some_and(|hash| hash.as_slice() == Sha256::digest(bytes).as_slice())
    }
}

/// What applying fixes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Fixes written.
    pub applied: usize,
    /// Files changed.
    pub files: usize,
    /// Files left untouched, with the reason (the result would not parse, or the file changed).
    pub skipped: Vec<(String, String)>,
    /// Each fix written, in file order (`--show-fixes` lists them).
    pub fixed: Vec<Fixed>,
}

/// A fix written to a file, with the finding it resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// Path relative to the project root.
    pub path: String,
    /// Where the finding was, before the fix.
    pub start: Position,
    /// The rule's code.
    pub rule: String,
    /// The rule's name.
    pub name: String,
    /// What the fix did.
    pub description: String,
    /// How safe it was.
    pub applicability: Applicability,
}

/// Applies the fixes of `diagnostics` that `unsafe_fixes` allows to the files under `root`,
/// for files whose content is still the one `checked` recorded.
pub fn apply(
    root: &Path,
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
    checked: &Snapshot,
) -> Report {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        let allowed = match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        };
        if allowed {
            by_file.entry(&d.path).or_default().push(d);
        }
    }
    let boundary = Boundary::new(root);
    let mut report = Report::default();
    for (path, found) in by_file {
        let edits: Vec<&Fix> = found.iter().filter_map(|d| d.fix.as_ref()).collect();
        match fix_file(&boundary, &root.join(path), path, &edits, checked) {
            Ok(applied) => {
                report.applied += applied.len();
                report.files += 1;
                let mut written: Vec<Fixed> = applied
                    .into_iter()
                    .filter_map(|i| {
                        let d = found.get(i)?;
                        let fix = d.fix.as_ref()?;
                        Some(Fixed {
                            path: d.path.clone(),
                            start: d.start,
                            rule: d.rule.clone(),
                            name: d.name.clone(),
                            description: fix.description.clone(),
                            applicability: fix.applicability,
                        })
                    })
                    .collect();
                written.sort_by_key(|f| f.start);
                report.fixed.append(&mut written);
            }
            Err(reason) => report.skipped.push((path.to_owned(), reason)),
        }
    }
    report
}

/// Fixes one file, and says which of `fixes` (by index) it applied; the reason it was left
/// unchanged otherwise.
fn fix_file(
    boundary: &Boundary,
    full: &Path,
    path: &str,
    fixes: &[&Fix],
    checked: &Snapshot,
) -> Result<Vec<usize>, String> {
    if std::fs::symlink_metadata(full).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err("it is a symbolic link; --fix does not write through links".to_owned());
    }
    boundary.admit(full).map_err(|error| error.to_string())?;
    let bytes =
        read_regular(full, checked.limit).map_err(|error| format!("cannot be read: {error}"))?;
    if !checked.matches(path, &bytes) {
        return Err("it changed since it was checked; run the check again".to_owned());
    }
    let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_owned())?;
    let (edited, applied) = edit(&text, fixes)?;
    write_atomic(full, edited.as_bytes(), boundary).map_err(|error| match error {
        WriteError::Link { .. } => {
            "it is a symbolic link; --fix does not write through links".to_owned()
        }
        other => format!("cannot be written: {other}"),
    })?;
    Ok(applied)
}

/// `text` with `fixes` applied from the end backwards, skipping overlaps.
///
/// # Errors
///
/// When an item an edit falls in no longer parses as Rust: nothing is written then.
pub fn fixed_text(text: &str, fixes: &[&Fix]) -> Result<(String, usize), String> {
    edit(text, fixes).map(|(edited, applied)| (edited, applied.len()))
}

/// [`fixed_text`], saying which of `fixes` (by index) it applied.
fn edit(text: &str, fixes: &[&Fix]) -> Result<(String, Vec<usize>), String> {
    let lines = LineIndex::new(text);
    let mut edits: Vec<(usize, usize, &str, usize)> = fixes
        .iter()
        .enumerate()
        .filter_map(|(index, fix)| {
            let start = offset(&lines, text, fix.start)?;
            let end = offset(&lines, text, fix.end)?;
            (start <= end).then_some((start, end, fix.replacement.as_str(), index))
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut edited = text.to_owned();
    let mut limit = usize::MAX;
    let mut applied = Vec::new();
    let mut indices = Vec::new();
    for (start, end, replacement, index) in edits {
        if end > limit {
            continue;
        }
        edited.replace_range(start..end, replacement);
        limit = start;
        applied.push((start, end, replacement.len()));
        indices.push(index);
    }
    // Where each edit landed in the edited text: shifted by the edits before it.
    let (mut removed, mut added) = (0, 0);
    let touched: Vec<Range<usize>> = applied
        .iter()
        .rev()
        .map(|&(start, end, length)| {
            // Earlier edits lie wholly before `start`, so `removed <= start`.
            let at = start.saturating_sub(removed) + added;
            removed += end - start;
            added += length;
            at..at + length
        })
        .collect();
    let edited = reparse(edited, touched)?;
    Ok((edited, indices))
}

/// `text` back if the items holding the `touched` byte ranges still parse. Only those items
/// are parsed, as the check parsed them, with the same depth bound, on a thread with a large
/// stack: an untouched item nested too deeply to parse cannot overflow the re-parse.
fn reparse(text: String, touched: Vec<Range<usize>>) -> Result<String, String> {
    let parse = move || {
        let result = parse_bounded(&text, &touched);
        proc_macro2::extra::invalidate_current_thread_spans();
        result.map(|()| text)
    };
    let thread = std::thread::Builder::new()
        .name("codex-fix".to_owned())
        .stack_size(PARSE_STACK)
        .spawn(parse)
        .map_err(|error| {
            format!("cannot start the re-parse of the fixed file ({error}); nothing was written")
        })?;
    thread.join().unwrap_or_else(|_| {
        Err("internal error while re-parsing the fixed file; nothing was written".to_owned())
    })
}

fn parse_bounded(text: &str, touched: &[Range<usize>]) -> Result<(), String> {
    let blanked = lex::blank_preamble(text);
    let source = blanked.as_deref().unwrap_or(text);
    let would_not_parse = |error: &dyn std::fmt::Display| {
        format!("the fixed file would not parse ({error}); nothing was written")
    };
    let lexed = lex::lex(source, MAX_DEPTH).map_err(|error| would_not_parse(&error.message))?;
    let too_deep = |chunk: &lex::Chunk| !chunk.is_within(MAX_DEPTH);
    let deep = || {
        format!(
            "an item nests more than {MAX_DEPTH} levels deep, too deep to re-parse safely; nothing was written"
        )
    };
    let mut broken = false;
    for chunk in &lexed.chunks {
        let edited = touched
            .iter()
            .any(|edit| edit.start <= chunk.range.end && chunk.range.start <= edit.end);
        if !edited {
            continue;
        }
        if too_deep(chunk) {
            return Err(deep());
        }
        let tokens: TokenStream = chunk.tokens.iter().cloned().collect();
        broken |= syn::parse2::<syn::Item>(tokens).is_err();
    }
    if broken {
        // The split into items may have been wrong: the whole file decides, as in the check.
        if lexed.depth > MAX_DEPTH {
            return Err(deep());
        }
        syn::parse_file(source).map_err(|error| would_not_parse(&error))?;
    }
    Ok(())
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

    #[test]
    fn only_the_edited_items_are_re_parsed() {
        // An untouched item far too deep for syn's recursion does not stop the fix.
        let deep = format!("type T = {}u8;\n", "&".repeat(100_000));
        let text = format!("fn f() -> Option<u8> {{ x.unwrap() }}\n{deep}fn g() {{}}\n");
        let (fixed, count) = fixed_text(&text, &[&fix(1, 25, 34, "?")]).unwrap();
        assert_eq!(count, 1);
        assert!(fixed.starts_with("fn f() -> Option<u8> { x? }\n"));
        // An edit that breaks the item it lands in, after another item's edit shifted it.
        let text = "fn a() -> Option<u8> { x.unwrap() }\nfn b() { y.unwrap() }\n";
        let (first, second) = (fix(1, 25, 34, "?"), fix(2, 11, 20, "?)"));
        assert!(
            fixed_text(text, &[&first, &second])
                .unwrap_err()
                .contains("would not parse")
        );
    }

    #[test]
    fn a_file_changed_since_the_check_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lib.rs");
        std::fs::write(&file, "fn f() -> Option<u8> { x.unwrap() }\n").unwrap();
        let checked = Snapshot::of(dir.path(), std::slice::from_ref(&file), 1 << 20);
        let changed = "fn f() -> Option<u8> { \"é\".len().unwrap() }\n";
        std::fs::write(&file, changed).unwrap();
        let rule = crate::codex::Builtin::UnreadableSource.rule().unwrap();
        let at = Position { line: 1, column: 1 };
        let location = crate::diagnostic::Location {
            path: "lib.rs".to_owned(),
            start: at,
            end: at,
            snippet: crate::text::Excerpt::default(),
            item: None,
            scope: crate::codex::Scope::Prod,
        };
        let mut diagnostic = Diagnostic::new(&rule, location, None);
        diagnostic.fix = Some(fix(1, 25, 34, "?"));
        let report = apply(dir.path(), &[diagnostic.clone()], true, &checked);
        assert_eq!(report.applied, 0);
        assert_eq!(
            report.skipped,
            [(
                "lib.rs".to_owned(),
                "it changed since it was checked; run the check again".to_owned()
            )]
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), changed);
        // Checked again, the same content is fixed.
        std::fs::write(&file, "fn f() -> Option<u8> { x.unwrap() }\n").unwrap();
        let report = apply(dir.path(), &[diagnostic], true, &checked);
        assert_eq!(report.applied, 1, "{report:?}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "fn f() -> Option<u8> { x? }\n"
        );
    }
}
