//! The change's files and hunks, read from `git diff --merge-base BASE` with no context lines:
//! each hunk is exactly a run of lines the change replaces, with its old and new line ranges
//! (what [`crate::select::changes`] keeps only the added lines of). Paths are checked as the
//! selection checks them: none may leave the project.

use diffy::patch_set::{FileOperation, FilePatch, ParseOptions, PatchKind, PatchSet};

use super::brief::FileStatus;
use crate::select::changes::{ChangesError, project_path};

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileDiff {
    /// Path relative to the project root (the new one; the old one for a deletion).
    pub(crate) path: String,
    /// Added, modified or deleted (renames are read as a deletion and an addition).
    pub(crate) status: FileStatus,
    /// Binary: git shows no lines.
    pub(crate) binary: bool,
    /// Its hunks, in order.
    pub(crate) hunks: Vec<HunkRange>,
}

/// Where one hunk is, on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HunkRange {
    /// First old line (the one before, when it replaces none).
    pub(crate) old_start: usize,
    /// Old lines replaced.
    pub(crate) old_lines: usize,
    /// First new line (the one before, when it adds none).
    pub(crate) new_start: usize,
    /// New lines.
    pub(crate) new_lines: usize,
}

impl HunkRange {
    /// The new lines it covers, inclusive; a deletion covers the line it follows (at least 1).
    pub(crate) fn new_span(&self) -> (usize, usize) {
        let first = self.new_start.max(1);
        (first, first + self.new_lines.saturating_sub(1))
    }
}

/// The files the change since the merge base of `base` touches, from `git diff` run in `root`
/// (paths relative to it), sorted by path.
///
/// # Errors
///
/// When `base` starts with `-`, git fails, or its output does not read.
pub(crate) fn read(root: &std::path::Path, base: &str) -> Result<Vec<FileDiff>, ChangesError> {
    parse(&crate::select::changes::diff_since(root, base)?)
}

/// The files of a git diff.
///
/// # Errors
///
/// When a file's patch does not read or names a path outside the project.
pub(crate) fn parse(diff: &[u8]) -> Result<Vec<FileDiff>, ChangesError> {
    let mut files = Vec::new();
    if diff.iter().all(u8::is_ascii_whitespace) {
        return Ok(files);
    }
    for patch in PatchSet::parse_bytes(diff, ParseOptions::gitdiff()) {
        let patch = patch.map_err(|error| ChangesError::Diff {
            message: error.to_string().escape_debug().to_string(),
        })?;
        files.push(file_diff(&patch)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn file_diff(file: &FilePatch<'_, [u8]>) -> Result<FileDiff, ChangesError> {
    let strip = |path: &[u8]| -> Vec<u8> {
        path.strip_prefix(b"b/")
            .or_else(|| path.strip_prefix(b"a/"))
            .unwrap_or(path)
            .to_vec()
    };
    let (path, status) = match file.operation() {
        FileOperation::Delete(path) => (strip(path), FileStatus::Deleted),
        FileOperation::Create(path) => (strip(path), FileStatus::Added),
        FileOperation::Modify { modified, .. } => (strip(modified), FileStatus::Modified),
        FileOperation::Rename { to, .. } | FileOperation::Copy { to, .. } => {
            (to.to_vec(), FileStatus::Added)
        }
    };
    let path = project_path(&path)?;
    let (binary, hunks) = match file.patch() {
        PatchKind::Binary(_) => (true, Vec::new()),
        PatchKind::Text(text) => (
            false,
            text.hunks()
                .iter()
                .map(|hunk| HunkRange {
                    old_start: hunk.old_range().start(),
                    old_lines: hunk.old_range().len(),
                    new_start: hunk.new_range().start(),
                    new_lines: hunk.new_range().len(),
                })
                .collect(),
        ),
    };
    Ok(FileDiff {
        path,
        status,
        binary,
        hunks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_hunks_on_both_sides() {
        let diff = b"diff --git a/src/a.rs b/src/a.rs\nindex 1..2 100644\n--- a/src/a.rs\n+++ b/src/a.rs\n@@ -2,0 +3,2 @@ fn f() {\n+x\n+y\n@@ -9 +10,0 @@\n-z\ndiff --git a/gone.rs b/gone.rs\ndeleted file mode 100644\nindex 1..0\n--- a/gone.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-fn g() {}\ndiff --git a/new.rs b/new.rs\nnew file mode 100644\nindex 0..1\n--- /dev/null\n+++ b/new.rs\n@@ -0,0 +1 @@\n+fn h() {}\n";
        let files = parse(diff).unwrap();
        let shape: Vec<(&str, FileStatus, usize)> = files
            .iter()
            .map(|f| (f.path.as_str(), f.status, f.hunks.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("gone.rs", FileStatus::Deleted, 1),
                ("new.rs", FileStatus::Added, 1),
                ("src/a.rs", FileStatus::Modified, 2)
            ]
        );
        let a = &files[2].hunks;
        assert_eq!(
            a[0],
            HunkRange {
                old_start: 2,
                old_lines: 0,
                new_start: 3,
                new_lines: 2
            }
        );
        assert_eq!(a[0].new_span(), (3, 4));
        assert_eq!(a[1].new_span(), (10, 10));
        assert_eq!(files[0].hunks[0].new_span(), (1, 1));
    }

    #[test]
    fn paths_out_of_the_project_are_refused() {
        let diff =
            b"diff --git a/../x.rs b/../x.rs\n--- a/../x.rs\n+++ b/../x.rs\n@@ -1 +1 @@\n-a\n+b\n";
        assert!(matches!(parse(diff), Err(ChangesError::OutsidePath { .. })));
    }
}
