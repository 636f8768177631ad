//! The staged tree of a pre-commit check: git's index exported to a temporary folder, so that
//! what is about to be committed is checked, not what the working tree holds.

use std::path::{Path, PathBuf};

use super::changes::ChangesError;
use super::git::{git, temporary};

/// The index (staging area) of a repository, exported to a temporary folder so that what is
/// staged, not what is in the working tree, is checked. Removed when dropped.
#[derive(Debug)]
pub struct StagedTree {
    /// The exported tree; paths inside it are those of the repository.
    pub root: PathBuf,
    /// Staged files added, copied, modified or renamed, relative to the root.
    pub files: Vec<String>,
    /// The temporary folder holding the tree.
    _folder: tempfile::TempDir,
}

impl StagedTree {
    /// Exports the index of the repository at `repo`.
    ///
    /// # Errors
    ///
    /// When git fails or the temporary folder cannot be made.
    pub fn export(repo: &Path) -> Result<Self, ChangesError> {
        let git = |args: &[&str]| git(repo, args, None);
        let folder = temporary("staged")?;
        let root = folder.path().to_path_buf();
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
        Ok(StagedTree {
            root,
            files,
            _folder: folder,
        })
    }
}
