//! Changed lines: which lines of which files a merge request added or changed, read from a
//! unified diff (`git diff`, or a file a CI system provides), so that only findings there are
//! reported and a legacy codebase can adopt a rule without fixing everything first.
//!
//! The diff is read with `diffy`, hunk by hunk according to the counts in each hunk header, so
//! no added line is ever taken for a header whatever its text; paths git quotes are unquoted.
//! A diff that does not read is an error: a gate that guessed would let changes through.

mod base;

pub use base::BaseTree;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::Path;

use diffy::patch_set::{FileOperation, FilePatch, ParseOptions, PatchKind, PatchSet};
use diffy::{Hunk, Line};

use crate::diagnostic::Diagnostic;
use crate::source::{discover, lex};

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

/// Rules of the tool itself saying that code was not checked; see `codex::builtin`.
const NOT_CHECKED: [&str; 3] = ["CX9000", "CX9001", "CX9002"];

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
        Self::parse_bytes(&git_bytes(root, &args, None)?)
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

    /// Whether `diagnostic` is about the change, and so reported: its first line changed;
    /// for a finding that code was not checked (unreadable, unparsable, empty), any line it
    /// spans changed; for a problem of a whole file (line 1, no snippet), the file changed.
    pub fn keeps(&self, diagnostic: &Diagnostic) -> bool {
        let path = diagnostic.path.as_str();
        let (first, last) = (diagnostic.start.line, diagnostic.end.line);
        let whole_file = first == 1 && diagnostic.snippet.is_empty();
        if whole_file && self.touches(path) {
            return true;
        }
        if NOT_CHECKED.contains(&diagnostic.rule.as_str()) {
            return self.overlaps(path, first, last.max(first));
        }
        self.contains(path, first)
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
fn project_path(raw: &[u8]) -> Result<String, ChangesError> {
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

/// Runs `git ARGS` in `dir`, with `index` as the index file when given, and returns the
/// bytes it printed.
fn git_bytes(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<Vec<u8>, ChangesError> {
    crate::git::run(dir, args, index).map_err(|error| ChangesError::Git {
        args: error.args,
        message: error.message,
    })
}

/// Runs `git ARGS` in `dir` and returns what it printed, as text.
fn git(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<String, ChangesError> {
    git_bytes(dir, args, index).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// The merge base of `base` and `HEAD` in the repository holding `root`. A revision that
/// starts with `-` is refused: git would read it as an option.
///
/// # Errors
///
/// When `base` starts with `-`, is unknown, or git fails.
pub fn merge_base(root: &Path, base: &str) -> Result<String, ChangesError> {
    refuse_option(base, "merge-base")?;
    let commit = git(root, &["merge-base", base, "HEAD"], None)?;
    Ok(commit.trim().to_owned())
}

/// Refuses a revision that git would read as an option (`--output=FILE`).
fn refuse_option(revision: &str, command: &str) -> Result<(), ChangesError> {
    if revision.starts_with('-') {
        return Err(ChangesError::Git {
            args: format!("{command} {revision}"),
            message: "a revision cannot start with `-`".to_owned(),
        });
    }
    Ok(())
}

/// A temporary folder for an exported tree, removed when dropped.
fn temporary(kind: &str) -> Result<tempfile::TempDir, ChangesError> {
    tempfile::Builder::new()
        .prefix(&format!("cargo-codex-{kind}-"))
        .tempdir()
        .map_err(|error| ChangesError::Git {
            args: "checkout-index".to_owned(),
            message: format!("cannot make a temporary folder: {error}"),
        })
}

/// The index (staging area) of a repository, exported to a temporary folder so that what is
/// staged, not what is in the working tree, is checked. Removed when dropped.
#[derive(Debug)]
pub struct StagedTree {
    /// The exported tree; paths inside it are those of the repository.
    pub root: std::path::PathBuf,
    /// Staged files added, copied, modified or renamed, relative to the root.
    pub files: Vec<String>,
    /// The temporary folder holding the tree.
    _folder: tempfile::TempDir,
}

impl StagedTree {
    /// Exports the staged files of the repository at `repo`, with the files of the index that
    /// may give them their module scope: all that a check of the staged files reads, without
    /// writing out the rest of the index.
    ///
    /// Those are the `.rs` files beside the staged files and in the folders above
    /// ([`discover::context_paths`]) that may declare a module on their paths or at a
    /// `#[path]` ([`lex::may_declare_any`]); the check leaves the others out anyway. Whether
    /// one may is read from the working tree where git says it holds what the index holds;
    /// any other is written out.
    ///
    /// # Errors
    ///
    /// When git fails or the temporary folder cannot be made.
    pub fn export(repo: &Path) -> Result<Self, ChangesError> {
        // Paths are the repository's, from its top folder, as `git diff` prints them.
        let top = if repo.join(".git").exists() {
            repo.to_path_buf()
        } else {
            let shown = git(repo, &["rev-parse", "--show-toplevel"], None)?;
            std::path::PathBuf::from(shown.trim_end_matches(['\n', '\r']))
        };
        let git = |args: &[&str]| git(&top, args, None);
        let folder = temporary("staged")?;
        let root = folder.path().to_path_buf();
        let prefix = format!("--prefix={}/", root.display());
        let files = names(&git(&[
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMR",
            "-z",
        ])?);
        // `-v`: a tag before each name, `H` for an entry git keeps comparing with the
        // working tree (not assume-unchanged). Unmerged entries (`M`) and skip-worktree ones
        // (`S`, `s`) are left out, as `checkout-index --all` leaves them out.
        let listed = git(&["ls-files", "-v", "-z"])?;
        let tagged: Vec<(&str, &str)> = listed
            .split('\0')
            .filter_map(|entry| entry.split_once(' '))
            .filter(|(tag, _)| !matches!(*tag, "M" | "S" | "s"))
            .collect();
        let context = discover::context_paths(&files, tagged.iter().map(|&(_, path)| path));
        let mut wanted = files.clone();
        wanted.extend(may_place(&git, &top, &files, &tagged, context)?);
        wanted.sort();
        wanted.dedup();
        for batch in wanted.chunks(BATCH) {
            let mut args = vec!["checkout-index", "--force", prefix.as_str(), "--"];
            args.extend(batch.iter().map(String::as_str));
            git(&args)?;
        }
        Ok(StagedTree {
            root,
            files,
            _folder: folder,
        })
    }
}

/// Paths per git command line, so that none grows past the system's limit.
const BATCH: usize = 512;

/// The files among `context` (index entries beside and above the staged `files`) that may
/// declare a module on the staged files' paths or at a `#[path]`, or whose text the working
/// tree does not tell: an entry git does not compare with the working tree (`tagged`, from
/// `git ls-files -v`, other than `H`), one it finds changed there, or one that is not a
/// regular file of bounded size there.
fn may_place(
    git: &dyn Fn(&[&str]) -> Result<String, ChangesError>,
    top: &Path,
    files: &[String],
    tagged: &[(&str, &str)],
    context: Vec<String>,
) -> Result<Vec<String>, ChangesError> {
    let mut changed = std::collections::HashSet::new();
    for batch in context.chunks(BATCH) {
        let mut args = vec!["diff", "--name-only", "-z", "--"];
        args.extend(batch.iter().map(String::as_str));
        changed.extend(names(&git(&args)?));
    }
    let compared: std::collections::HashSet<&str> = tagged
        .iter()
        .filter(|&&(tag, _)| tag == "H")
        .map(|&(_, path)| path)
        .collect();
    let rust = files
        .iter()
        .map(String::as_str)
        .filter(|file| Path::new(file).extension().is_some_and(|ext| ext == "rs"));
    let names = lex::path_names(rust);
    // The text of an entry as the index holds it, when the working tree holds the same in a
    // regular file (a link is not followed).
    let same_text = |path: &str| {
        let file = top.join(path);
        let plain = compared.contains(path)
            && !changed.contains(path)
            && file.symlink_metadata().is_ok_and(|meta| meta.is_file());
        plain
            .then(|| crate::source::boundary::read_regular(&file, 1 << 24).ok())
            .flatten()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    };
    Ok(context
        .into_iter()
        .filter(|path| same_text(path).is_none_or(|text| lex::may_declare_any(&text, &names)))
        .collect())
}

/// The names in git's `-z` output.
fn names(listed: &str) -> Vec<String> {
    listed
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::Builtin;
    use crate::diagnostic::Location;
    use crate::text::Position;

    fn parse(diff: &str) -> ChangedLines {
        ChangedLines::parse(diff).unwrap()
    }

    fn lines(changed: &ChangedLines, path: &str) -> Vec<RangeInclusive<usize>> {
        changed.files.get(path).cloned().unwrap_or_default()
    }

    #[test]
    fn reads_new_side_lines_of_each_hunk() {
        let diff = "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,0 +2,2 @@\n+fn a() {}\n+fn b() {}\n@@ -10 +12 @@\n-old\n+new\n--- a/gone.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n--- /dev/null\n+++ b/src/new.rs\n@@ -0,0 +1 @@\n+fn c() {}\n";
        let changed = parse(diff);
        assert_eq!(lines(&changed, "src/lib.rs"), [2..=3, 12..=12]);
        assert_eq!(lines(&changed, "src/new.rs"), [1..=1]);
        assert_eq!(
            changed.files().collect::<Vec<_>>(),
            ["src/lib.rs", "src/new.rs"]
        );
    }

    #[test]
    fn context_lines_count_but_are_not_changes() {
        let diff = "--- a/x.rs\n+++ b/x.rs\n@@ -4,4 +4,5 @@ fn f() {\n keep\n-gone\n+one\n+two\n \n keep\n";
        // The blank line is context written without its space, as `diff.suppressBlankEmpty`
        // makes git write it.
        assert_eq!(lines(&parse(diff), "x.rs"), [5..=6]);
    }

    #[test]
    fn a_hunk_line_is_never_a_header_whatever_its_text() {
        let diff = "diff --git a/src/a.rs b/src/a.rs\nindex 1..2 100644\n--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,2 +1,7 @@\n-// -- old\n+++ /dev/null\n+--- a/src/a.rs\n+@@ -1 +1 @@\n+diff --git a/b b/b\n+\\ fake marker\n x.unwrap();\n+y.unwrap();\n";
        let changed = parse(diff);
        assert_eq!(lines(&changed, "src/a.rs"), [1..=5, 7..=7]);
        assert_eq!(changed.files().collect::<Vec<_>>(), ["src/a.rs"]);
    }

    #[test]
    fn quoted_paths_are_unquoted_as_git_quotes_them() {
        let diff = concat!(
            "diff --git \"a/src/caf\\303\\251.rs\" \"b/src/caf\\303\\251.rs\"\n",
            "new file mode 100644\n--- /dev/null\n+++ \"b/src/caf\\303\\251.rs\"\n@@ -0,0 +1 @@\n+x\n",
            "diff --git \"a/src/a \\\"q\\\" b\\\\c.rs\" \"b/src/a \\\"q\\\" b\\\\c.rs\"\n",
            "--- \"a/src/a \\\"q\\\" b\\\\c.rs\"\t\n+++ \"b/src/a \\\"q\\\" b\\\\c.rs\"\t\n@@ -1 +1 @@\n-x\n+y\n",
            "diff --git \"a/src/t\\tn\\nx.rs\" \"b/src/t\\tn\\nx.rs\"\n",
            "--- \"a/src/t\\tn\\nx.rs\"\n+++ \"b/src/t\\tn\\nx.rs\"\n@@ -1,0 +2 @@\n+z\n",
        );
        let changed = parse(diff);
        assert_eq!(
            changed.files().collect::<Vec<_>>(),
            ["src/a \"q\" b\\c.rs", "src/café.rs", "src/t\tn\nx.rs"]
        );
        assert!(changed.contains("src/café.rs", 1));
        assert!(changed.contains("src/a \"q\" b\\c.rs", 1));
        assert!(changed.contains("src/t\tn\nx.rs", 2));
    }

    #[test]
    fn a_path_that_is_not_utf8_is_read_lossily() {
        let diff = "--- /dev/null\n+++ \"b/src/\\377.rs\"\n@@ -0,0 +1 @@\n+x\n";
        assert_eq!(parse(diff).files().collect::<Vec<_>>(), ["src/\u{fffd}.rs"]);
    }

    #[test]
    fn no_newline_markers_are_not_lines() {
        let diff = "--- a/x.rs\n+++ b/x.rs\n@@ -1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n\\ No newline at end of file\ndiff --git a/y.rs b/y.rs\n--- a/y.rs\n+++ b/y.rs\n@@ -3,0 +4 @@\n+c\n";
        let changed = parse(diff);
        assert_eq!(lines(&changed, "x.rs"), [1..=2]);
        assert_eq!(lines(&changed, "y.rs"), [4..=4]);
    }

    #[test]
    fn renames_copies_and_header_only_files() {
        let diff = concat!(
            "diff --git a/old.rs b/src/new.rs\nsimilarity index 90%\nrename from old.rs\nrename to src/new.rs\n",
            "--- a/old.rs\n+++ b/src/new.rs\n@@ -3,0 +4 @@\n+added\n",
            "diff --git a/moved.rs b/\"sp ace.rs\"\nsimilarity index 100%\nrename from moved.rs\nrename to \"sp\\303\\251ace.rs\"\n",
            "diff --git a/c.rs b/copy.rs\nsimilarity index 100%\ncopy from c.rs\ncopy to copy.rs\n",
            "diff --git a/run.rs b/run.rs\nold mode 100644\nnew mode 100755\n",
            "diff --git a/empty.rs b/empty.rs\nnew file mode 100644\nindex 0000000..e69de29\n",
            "diff --git a/gone.rs b/gone.rs\ndeleted file mode 100644\nindex e69de29..0000000\n",
            "diff --git a/blob.rs b/blob.rs\nindex 1..2 100644\nBinary files a/blob.rs and b/blob.rs differ\n",
        );
        let changed = parse(diff);
        assert_eq!(
            changed.files().collect::<Vec<_>>(),
            [
                "blob.rs",
                "copy.rs",
                "empty.rs",
                "run.rs",
                "spéace.rs",
                "src/new.rs"
            ]
        );
        assert_eq!(lines(&changed, "src/new.rs"), [4..=4]);
        assert!(lines(&changed, "run.rs").is_empty() && changed.touches("run.rs"));
        assert!(changed.contains("blob.rs", 1) && changed.contains("blob.rs", 1 << 40));
        assert!(!changed.touches("gone.rs") && !changed.touches("old.rs"));
    }

    #[test]
    fn crlf_diffs_read_as_lf_ones() {
        let diff = "diff --git \"a/caf\\303\\251.rs\" \"b/caf\\303\\251.rs\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/caf\\303\\251.rs\"\n@@ -0,0 +1,2 @@\n+a\n+b\ndiff --git a/m.rs b/m.rs\nold mode 100644\nnew mode 100755\n";
        let crlf = diff.replace('\n', "\r\n");
        assert_eq!(parse(&crlf), parse(diff));
        assert_eq!(lines(&parse(&crlf), "café.rs"), [1..=2]);
        assert!(parse(&crlf).touches("m.rs"));
    }

    #[test]
    fn the_same_file_twice_merges_its_lines() {
        let diff = "--- a/x.rs\n+++ b/x.rs\n@@ -9,0 +10,2 @@\n+a\n+b\n--- a/x.rs\n+++ b/x.rs\n@@ -1,0 +2 @@\n+c\n@@ -11,0 +12 @@\n+d\n";
        let changed = parse(diff);
        assert_eq!(lines(&changed, "x.rs"), [2..=2, 10..=12]);
        assert!(changed.overlaps("x.rs", 3, 10) && changed.overlaps("x.rs", 1, 2));
        assert!(!changed.overlaps("x.rs", 3, 9) && !changed.overlaps("x.rs", 13, 99));
        assert!(!changed.overlaps("y.rs", 1, 99));
    }

    #[test]
    fn empty_is_no_change_and_garbage_is_an_error() {
        assert_eq!(parse(""), ChangedLines::default());
        assert_eq!(parse(" \n\r\n"), ChangedLines::default());
        for garbage in [
            "hello\n",
            "@@ -1 +1 @@\n-a\n+b\n",
            "\u{1b}]8;;x\u{7}\n",
            "--- \n+++ \n",
        ] {
            assert!(ChangedLines::parse(garbage).is_err(), "{garbage:?}");
        }
        let error = ChangedLines::parse("diff --git a/x b/x\nnew file mode 10\u{1b}[31m\n")
            .unwrap_err()
            .to_string();
        assert!(
            !error.contains('\u{1b}'),
            "control characters are escaped: {error}"
        );
    }

    #[test]
    fn hunks_that_disagree_with_their_header_are_errors() {
        for diff in [
            // Truncated: the header promises three new lines.
            "--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +1,3 @@\n+a\n",
            "diff --git a/x.rs b/x.rs\n--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +1,2 @@\n+a\ndiff --git a/y.rs b/y.rs\n--- a/y.rs\n+++ b/y.rs\n@@ -1 +1 @@\n-q\n+r\n",
            "--- a/x.rs\n+++ b/x.rs\n@@ -1,2 +1,2 @@\n-a\n+b\n",
            // Counts that overflow.
            "--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +18446744073709551615,2 @@\n+a\n+b\n",
            "--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +1,99999999999999999999999 @@\n+a\n",
            "--- a/x.rs\n+++ b/x.rs\n@@ -a +b @@\n+a\n",
            "--- a/x.rs\n+++ b/x.rs\n@@ -1 +1\n+a\n",
        ] {
            assert!(ChangedLines::parse(diff).is_err(), "{diff:?}");
        }
    }

    #[test]
    fn paths_that_leave_the_project_are_errors() {
        for path in ["/etc/passwd", "b/../x.rs", "../x.rs", "b/src/../../x.rs"] {
            let diff = format!("--- a/x.rs\n+++ {path}\n@@ -0,0 +1 @@\n+a\n");
            let error = ChangedLines::parse(&diff).unwrap_err();
            assert!(matches!(error, ChangesError::OutsidePath { .. }), "{path}");
        }
        let diff = "diff --git a/x b/x\nrename from x\nrename to ../y\n";
        assert!(ChangedLines::parse(diff).is_err());
    }

    #[test]
    fn no_cut_of_a_real_diff_panics() {
        let diff = concat!(
            "diff --git \"a/src/caf\\303\\251.rs\" \"b/src/caf\\303\\251.rs\"\nnew file mode 100644\n",
            "index 0000000..1111111\n--- /dev/null\n+++ \"b/src/caf\\303\\251.rs\"\t\n@@ -0,0 +1,2 @@ fn x\n",
            "++ /dev/null\n+x\n\\ No newline at end of file\n",
            "diff --git a/a.rs b/b.rs\nsimilarity index 50%\nrename from a.rs\nrename to b.rs\n",
            "--- a/a.rs\n+++ b/b.rs\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n d\n",
            "diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n",
        );
        assert_eq!(lines(&parse(diff), "src/café.rs"), [1..=2]);
        let bytes = diff.as_bytes();
        for end in 0..=bytes.len() {
            let _ = ChangedLines::parse_bytes(bytes.get(..end).unwrap_or_default());
            let mut flipped = bytes.to_vec();
            if let Some(byte) = flipped.get_mut(end) {
                *byte ^= 0x20;
            }
            let _ = ChangedLines::parse_bytes(&flipped);
        }
    }

    fn diagnostic(rule: &str, lines: RangeInclusive<usize>, snippet: &str) -> Diagnostic {
        let mut rule_data = Builtin::UnparsableSource.rule().unwrap();
        rule_data.id = rule.to_owned();
        let location = Location {
            path: "src/lib.rs".to_owned(),
            start: Position {
                line: *lines.start(),
                column: 1,
            },
            end: Position {
                line: *lines.end(),
                column: 1,
            },
            snippet: crate::text::Excerpt::whole(snippet),
            item: None,
            scope: crate::codex::Scope::Prod,
        };
        Diagnostic::new(&rule_data, location, None)
    }

    #[test]
    fn not_checked_findings_are_kept_when_any_line_they_span_changed() {
        let changed = parse("--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -6,0 +7 @@\n+x.unwrap();\n");
        assert!(changed.keeps(&diagnostic("CX0001", 7..=7, "x.unwrap();")));
        assert!(!changed.keeps(&diagnostic("CX0001", 5..=9, "fn f() {")));
        for rule in NOT_CHECKED {
            assert!(
                changed.keeps(&diagnostic(rule, 5..=9, "fn f() {")),
                "{rule}"
            );
            assert!(!changed.keeps(&diagnostic(rule, 8..=9, "}")), "{rule}");
            assert!(
                !changed.keeps(&diagnostic(rule, 2..=6, "fn f() {")),
                "{rule}"
            );
        }
        // A problem of the whole file is kept when the file changed at all.
        assert!(changed.keeps(&diagnostic("CX9000", 1..=1, "")));
        assert!(!changed.keeps(&diagnostic("CX9000", 1..=1, "use x;")));
        let renamed =
            parse("diff --git a/old.rs b/src/lib.rs\nrename from old.rs\nrename to src/lib.rs\n");
        assert!(renamed.keeps(&diagnostic("CX9002", 1..=1, "")));
        assert!(!renamed.keeps(&diagnostic("CX9001", 1..=3, "fn f(")));
    }
}
