//! Changed lines: which lines of which files a merge request added or changed, read from a
//! unified diff (`git diff`, or a file a CI system provides), so that only findings there are
//! reported and a legacy codebase can adopt a rule without fixing everything first.
//!
//! The diff is read with `diffy`, hunk by hunk according to the counts in each hunk header, so
//! no added line is ever taken for a header whatever its text; paths git quotes are unquoted.
//! A diff that does not read is an error: a gate that guessed would let changes through.
//! Which findings a change keeps is decided in [`crate::filter::changed`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::Path;

use diffy::patch_set::{FileOperation, FilePatch, ParseOptions, PatchKind, PatchSet};
use diffy::{Hunk, Line};

use super::checkout::{git_bytes, refuse_option};

/// Added or changed lines per file (paths relative to the project root, `/`-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines {
    /// Sorted, disjoint, non-adjacent ranges of 1-based lines.
    files: BTreeMap<String, Vec<RangeInclusive<usize>>>,
}

/// Why the changes could not be had.
#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    /// `git` could not be run or failed.
    #[error("`git {args}` failed: {message}")]
    Git {
        /// The arguments.
        args: String,
        /// What git said.
        message: String,
    },
    /// The diff is not a unified diff, or one of its hunks does not match its header.
    #[error("cannot read the diff: {message}")]
    Diff {
        /// What is wrong, with control characters escaped.
        message: String,
    },
    /// The diff names a file that cannot be in the project: absolute, or with `..`.
    #[error("the diff names a file outside the project: {path:?}")]
    OutsidePath {
        /// The path as the diff gives it.
        path: String,
    },
}

impl ChangedLines {
    /// Reads a unified diff: `git diff` output (with `diff --git` headers, renames, copies,
    /// mode changes, binary files) or a plain one (`---`/`+++` headers only). Each file's
    /// added lines are those marked `+` in its hunks; a binary file counts as changed
    /// throughout, as git shows none of its lines.
    ///
    /// # Errors
    ///
    /// When the text is not empty yet holds no diff, a hunk does not match its header, a
    /// header is malformed, or a path is absolute or climbs out with `..`.
    pub fn parse(diff: &str) -> Result<Self, ChangesError> {
        Self::parse_bytes(diff.as_bytes())
    }

    /// [`ChangedLines::parse`] for bytes: file contents and names need not be UTF-8.
    fn parse_bytes(diff: &[u8]) -> Result<Self, ChangesError> {
        let mut changed = ChangedLines::default();
        if diff.iter().all(u8::is_ascii_whitespace) {
            return Ok(changed);
        }
        let diff = without_carriage_returns(diff);
        // Two readings, joined: the `---`/`+++` one finds every text hunk, even one after a
        // `diff --git` section where git's reading would stop looking; git's one adds files
        // its headers alone describe (mode change, empty, binary). Each needs its header.
        let has_line = |start: &[u8]| {
            diff.split(|&b| b == b'\n')
                .any(|line| line.starts_with(start))
        };
        let mut readings = Vec::new();
        if has_line(b"--- ") || has_line(b"+++ ") {
            readings.push(ParseOptions::unidiff());
        }
        if has_line(b"diff --git ") {
            readings.push(ParseOptions::gitdiff());
        }
        if readings.is_empty() {
            return Err(ChangesError::Diff {
                message: "no `diff --git`, `---` or `+++` header".to_owned(),
            });
        }
        for options in readings {
            for patch in PatchSet::parse_bytes(&diff, options) {
                let patch = patch.map_err(|error| ChangesError::Diff {
                    message: error.to_string().escape_debug().to_string(),
                })?;
                changed.add(&patch)?;
            }
        }
        for ranges in changed.files.values_mut() {
            merge(ranges);
        }
        Ok(changed)
    }

    /// Records the new side of one file's patch; a deleted file has none.
    fn add(&mut self, file: &FilePatch<'_, [u8]>) -> Result<(), ChangesError> {
        let path = match file.operation() {
            FileOperation::Delete(_) => return Ok(()),
            // `+++` and `diff --git` names carry git's `b/` prefix (if any); `rename to` and
            // `copy to` names never do.
            FileOperation::Create(path) | FileOperation::Modify { modified: path, .. } => {
                path.strip_prefix(b"b/").unwrap_or(path)
            }
            FileOperation::Rename { to, .. } | FileOperation::Copy { to, .. } => to,
        };
        let ranges = self.files.entry(project_path(path)?).or_default();
        match file.patch() {
            PatchKind::Binary(_) => ranges.push(1..=usize::MAX),
            PatchKind::Text(text) => {
                for hunk in text.hunks() {
                    add_hunk(ranges, hunk);
                }
            }
        }
        Ok(())
    }

    /// The changes since the merge base of `base` and the working tree, from `git`.
    ///
    /// Paths are relative to `root`, whatever the user's git configuration: renames are not
    /// followed (a moved file is new, as its baseline keys are), textconv and external diff
    /// drivers are off, and prefixes are `a/` and `b/`.
    ///
    /// # Errors
    ///
    /// When git is missing, `base` is unknown, `root` is not in a repository, or git's output
    /// does not read (see [`ChangedLines::parse`]).
    pub fn from_git(root: &Path, base: &str) -> Result<Self, ChangesError> {
        Self::parse_bytes(&diff_since(root, base)?)
    }

    /// The files with added or changed lines.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Whether `line` of `path` was added or changed.
    pub fn contains(&self, path: &str, line: usize) -> bool {
        self.overlaps(path, line, line)
    }

    /// Whether any line from `first` to `last` (inclusive) of `path` was added or changed.
    pub fn overlaps(&self, path: &str, first: usize, last: usize) -> bool {
        let Some(ranges) = self.files.get(path) else {
            return false;
        };
        let next = ranges.partition_point(|range| *range.end() < first);
        ranges.get(next).is_some_and(|range| *range.start() <= last)
    }

    /// Whether `path` changed at all.
    pub fn touches(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

/// Records the added lines of one hunk, numbering new-side lines from the header's start.
fn add_hunk(ranges: &mut Vec<RangeInclusive<usize>>, hunk: &Hunk<'_, [u8]>) {
    let mut line = hunk.new_range().start();
    for text in hunk.lines() {
        match text {
            Line::Insert(_) => {
                match ranges.last_mut() {
                    Some(last) if last.end().checked_add(1) == Some(line) => {
                        *last = *last.start()..=line;
                    }
                    _ => ranges.push(line..=line),
                }
                line = line.saturating_add(1);
            }
            Line::Context(_) => line = line.saturating_add(1),
            Line::Delete(_) => {}
        }
    }
}

/// Sorts `ranges` and joins those that overlap or touch, so lookups can bisect.
fn merge(ranges: &mut Vec<RangeInclusive<usize>>) {
    ranges.sort_unstable_by_key(|range| *range.start());
    let mut merged: Vec<RangeInclusive<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if *range.start() <= last.end().saturating_add(1) => {
                if range.end() > last.end() {
                    *last = *last.start()..=*range.end();
                }
            }
            _ => merged.push(range),
        }
    }
    *ranges = merged;
}

/// A path from the diff as a project-relative path, refusing any that could leave the project
/// (git never writes such; a hand-made diff might, and the files it names are read).
pub(crate) fn project_path(raw: &[u8]) -> Result<String, ChangesError> {
    let path = String::from_utf8_lossy(raw).into_owned();
    if path.is_empty() || path.starts_with('/') || path.split('/').any(|part| part == "..") {
        return Err(ChangesError::OutsidePath { path });
    }
    Ok(path)
}

/// The diff with CRLF line ends made LF, as a diff saved on Windows has them. Only line
/// numbers are read from hunks, so a CR dropped from a content line changes nothing, and git
/// quotes a CR in a path.
fn without_carriage_returns(diff: &[u8]) -> Cow<'_, [u8]> {
    if !diff.windows(2).any(|pair| pair == b"\r\n") {
        return Cow::Borrowed(diff);
    }
    let mut lf = Vec::with_capacity(diff.len());
    for line in diff.split_inclusive(|&byte| byte == b'\n') {
        match line.strip_suffix(b"\r\n") {
            Some(text) => {
                lf.extend_from_slice(text);
                lf.push(b'\n');
            }
            None => lf.extend_from_slice(line),
        }
    }
    Cow::Owned(lf)
}

/// The unified diff (no context lines) of the working tree against the merge base of `base`
/// and `HEAD`, from `git` run in `root`: paths relative to `root`, whatever the user's git
/// configuration (renames not followed, textconv and external diff drivers off, prefixes
/// `a/` and `b/`). What `--diff` and the review brief both read.
///
/// # Errors
///
/// When `base` starts with `-`, or git fails.
pub fn diff_since(root: &Path, base: &str) -> Result<Vec<u8>, ChangesError> {
    refuse_option(base, "diff")?;
    let args = [
        "diff",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "--relative",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--submodule=short",
        "--unified=0",
        "--merge-base",
        base,
        "--",
    ];
    git_bytes(root, &args, None)
}

#[cfg(test)]
mod tests;
