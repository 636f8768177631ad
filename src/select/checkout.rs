//! What the selection reads from git at a commit, checked out to a temporary folder removed
//! when dropped: the merge base of a `--diff` run, so that its findings
//! can be compared with the working tree's: a change that turns unchanged lines into
//! production code (a deleted `#[cfg(test)]` or `#[test]`, the `/*` and `*/` around code
//! removed, a `mod` declaration pointed elsewhere) adds findings on lines the diff does not
//! touch. Starting git is [`crate::git`]'s; its errors become [`ChangesError`]s here. The
//! staged tree of a pre-commit check is [`super::staged`]'s.

use std::path::{Path, PathBuf};

use super::changes::ChangesError;

/// A commit's files, exported through a temporary index (the repository's own index is not
/// touched). Removed when dropped.
#[derive(Debug)]
pub struct BaseTree {
    /// The project root inside the exported tree (the project may be a subfolder of the
    /// repository).
    pub root: PathBuf,
    /// The temporary folder holding everything.
    _folder: tempfile::TempDir,
}

impl BaseTree {
    /// Exports `commit` (the merge base, see [`merge_base`]) of the repository holding
    /// `project`.
    ///
    /// # Errors
    ///
    /// When git fails (an unknown commit, no repository) or the folder cannot be made.
    pub fn export(project: &Path, commit: &str) -> Result<Self, ChangesError> {
        let prefix = git_text(project, &["rev-parse", "--show-prefix"], None)?
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        let folder = temporary("base")?;
        let index = folder.path().join("index");
        let tree = folder.path().join("tree");
        git_text(project, &["read-tree", commit], Some(&index))?;
        let destination = format!("--prefix={}/", tree.display());
        git_text(
            project,
            &["checkout-index", "--all", "--force", &destination],
            Some(&index),
        )?;
        let root = tree.join(&prefix);
        std::fs::create_dir_all(&root).map_err(|error| ChangesError::Git {
            args: format!("checkout-index --prefix={}/", tree.display()),
            message: format!("cannot make {}: {error}", root.display()),
        })?;
        Ok(BaseTree {
            root,
            _folder: folder,
        })
    }
}

/// The merge base of `base` and `HEAD` in the repository holding `root`. A revision that
/// starts with `-` is refused: git would read it as an option.
///
/// # Errors
///
/// When `base` starts with `-`, is unknown, or git fails.
pub fn merge_base(root: &Path, base: &str) -> Result<String, ChangesError> {
    refuse_option(base, "merge-base")?;
    let commit = git_text(root, &["merge-base", base, "HEAD"], None)?;
    Ok(commit.trim().to_owned())
}

/// Runs `git ARGS` in `dir`, with `index` as the index file when given, and returns the
/// bytes it printed.
pub(super) fn git_bytes(
    dir: &Path,
    args: &[&str],
    index: Option<&Path>,
) -> Result<Vec<u8>, ChangesError> {
    crate::git::run(dir, args, index).map_err(|error| ChangesError::Git {
        args: error.args,
        message: error.message,
    })
}

/// Runs `git ARGS` in `dir` and returns what it printed, as text.
pub(super) fn git_text(
    dir: &Path,
    args: &[&str],
    index: Option<&Path>,
) -> Result<String, ChangesError> {
    git_bytes(dir, args, index).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Refuses a revision that git would read as an option (`--output=FILE`).
pub(crate) fn refuse_option(revision: &str, command: &str) -> Result<(), ChangesError> {
    if revision.starts_with('-') {
        return Err(ChangesError::Git {
            args: format!("{command} {revision}"),
            message: "a revision cannot start with `-`".to_owned(),
        });
    }
    Ok(())
}

/// A temporary folder for an exported tree, removed when dropped.
pub(super) fn temporary(kind: &str) -> Result<tempfile::TempDir, ChangesError> {
    tempfile::Builder::new()
        .prefix(&format!("cargo-codex-{kind}-"))
        .tempdir()
        .map_err(|error| ChangesError::Git {
            args: "checkout-index".to_owned(),
            message: format!("cannot make a temporary folder: {error}"),
        })
}
