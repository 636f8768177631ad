//! Changed lines: which lines of which files a merge request added or changed, read from a
//! unified diff (`git diff`, or a file a CI system provides), so that only findings there are
//! reported and a legacy codebase can adopt a rule without fixing everything first.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::Path;
use std::process::Command;

/// Added or changed lines per file (paths relative to the repository root, `/`-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines {
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
}

impl ChangedLines {
    /// Reads a unified diff: the `+++` file names and the new-side lines of each hunk.
    pub fn parse(diff: &str) -> Self {
        let mut changed = ChangedLines::default();
        let mut current: Option<String> = None;
        let mut line = 0usize;
        for text in diff.lines() {
            if let Some(name) = text.strip_prefix("+++ ") {
                let name = name.split('\t').next().unwrap_or(name).trim();
                current = (name != "/dev/null")
                    .then(|| name.strip_prefix("b/").unwrap_or(name).to_owned());
                if let Some(path) = &current {
                    changed.files.entry(path.clone()).or_default();
                }
            } else if let Some(hunk) = text.strip_prefix("@@ ") {
                line = new_start(hunk).unwrap_or(0);
            } else if text.starts_with("--- ") && line == 0 {
                // A file header, not a removed line.
            } else if let (Some(path), Some(first)) = (&current, text.chars().next()) {
                match first {
                    '+' => {
                        let ranges = changed.files.entry(path.clone()).or_default();
                        match ranges.last_mut() {
                            Some(last) if *last.end() + 1 == line => *last = *last.start()..=line,
                            _ => ranges.push(line..=line),
                        }
                        line += 1;
                    }
                    ' ' => line += 1,
                    _ => {}
                }
            }
        }
        changed
    }

    /// The changes since the merge base of `base` and the working tree, from `git`.
    ///
    /// # Errors
    ///
    /// When git is missing, `base` is unknown, or `root` is not in a repository.
    pub fn from_git(root: &Path, base: &str) -> Result<Self, ChangesError> {
        let args = [
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--unified=0",
            "--merge-base",
            base,
            "--",
        ];
        Ok(Self::parse(&git(root, &args)?))
    }

    /// The files with added or changed lines.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Whether `line` of `path` was added or changed.
    pub fn contains(&self, path: &str, line: usize) -> bool {
        self.files
            .get(path)
            .is_some_and(|ranges| ranges.iter().any(|range| range.contains(&line)))
    }

    /// Whether `path` changed at all.
    pub fn touches(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

/// Runs `git ARGS` in `dir` and returns what it printed.
fn git(dir: &Path, args: &[&str]) -> Result<String, ChangesError> {
    let failed = |message: String| ChangesError::Git {
        args: args.join(" "),
        message,
    };
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|error| failed(error.to_string()))?;
    if !output.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The new side's first line in a hunk header: `-1,2 +3,4 @@` → 3.
fn new_start(hunk: &str) -> Option<usize> {
    let plus = hunk.split_whitespace().find(|part| part.starts_with('+'))?;
    plus.trim_start_matches('+').split(',').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_new_side_lines_of_each_hunk() {
        let diff = "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,0 +2,2 @@\n+fn a() {}\n+fn b() {}\n@@ -10 +12 @@\n-old\n+new\n--- a/gone.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n--- /dev/null\n+++ b/src/new.rs\n@@ -0,0 +1 @@\n+fn c() {}\n";
        let changed = ChangedLines::parse(diff);
        assert!(changed.contains("src/lib.rs", 2) && changed.contains("src/lib.rs", 3));
        assert!(!changed.contains("src/lib.rs", 4));
        assert!(changed.contains("src/lib.rs", 12));
        assert!(changed.contains("src/new.rs", 1));
        assert_eq!(
            changed.files().collect::<Vec<_>>(),
            ["src/lib.rs", "src/new.rs"]
        );
    }
}

/// The index (staging area) of a repository, exported to a temporary folder so that what is
/// staged, not what is in the working tree, is checked. Removed when dropped.
#[derive(Debug)]
pub struct StagedTree {
    /// The exported tree; paths inside it are those of the repository.
    pub root: std::path::PathBuf,
    /// Staged files added, copied, modified or renamed, relative to the root.
    pub files: Vec<String>,
}

impl StagedTree {
    /// Exports the index of the repository at `repo`.
    ///
    /// # Errors
    ///
    /// When git fails or the temporary folder cannot be made.
    pub fn export(repo: &Path) -> Result<Self, ChangesError> {
        let git = |args: &[&str]| git(repo, args);
        let unique = format!(
            "cargo-codex-staged-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let root = std::env::temp_dir().join(unique);
        let prefix = format!("{}/", root.display());
        git(&[
            "checkout-index",
            "--all",
            "--force",
            &format!("--prefix={prefix}"),
        ])?;
        let files = git(&[
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMR",
            "-z",
        ])?
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
        Ok(StagedTree { root, files })
    }
}

impl Drop for StagedTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
