//! The merge base of a `--diff` run, exported to a temporary folder, so that its findings can
//! be compared with the working tree's: a change that turns unchanged lines into production
//! code (a deleted `#[cfg(test)]` or `#[test]`, the `/*` and `*/` around code removed, a `mod`
//! declaration pointed elsewhere) adds findings on lines the diff does not touch.

use std::path::{Path, PathBuf};

use super::changes::ChangesError;
use super::git::{git, refuse_option, temporary};

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
        let prefix = git(project, &["rev-parse", "--show-prefix"], None)?
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        let folder = temporary("base")?;
        let index = folder.path().join("index");
        let tree = folder.path().join("tree");
        git(project, &["read-tree", commit], Some(&index))?;
        let destination = format!("--prefix={}/", tree.display());
        git(
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
    let commit = git(root, &["merge-base", base, "HEAD"], None)?;
    Ok(commit.trim().to_owned())
}
