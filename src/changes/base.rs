//! The merge base of a `--diff` run, exported to a temporary folder, so that its findings can
//! be compared with the working tree's: a change that turns unchanged lines into production
//! code (a deleted `#[cfg(test)]` or `#[test]`, the `/*` and `*/` around code removed, a `mod`
//! declaration pointed elsewhere) adds findings on lines the diff does not touch.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ChangesError;

/// A commit's files, exported through a temporary index (the repository's own index is not
/// touched). Removed when dropped.
#[derive(Debug)]
pub struct BaseTree {
    /// The project root inside the exported tree (the project may be a subfolder of the
    /// repository).
    pub root: PathBuf,
    /// The merge base exported.
    pub commit: String,
    /// The temporary folder holding everything.
    top: PathBuf,
}

impl BaseTree {
    /// Exports the merge base of `base` and `HEAD` of the repository holding `project`.
    ///
    /// # Errors
    ///
    /// When git fails (an unknown revision, no repository) or the folder cannot be made.
    pub fn export(project: &Path, base: &str) -> Result<Self, ChangesError> {
        if base.starts_with('-') {
            return Err(ChangesError::Git {
                args: format!("merge-base {base} HEAD"),
                message: "a revision cannot start with `-`".to_owned(),
            });
        }
        let commit = run(project, &["merge-base", base, "HEAD"], None)?
            .trim()
            .to_owned();
        let prefix = run(project, &["rev-parse", "--show-prefix"], None)?
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        let top = std::env::temp_dir().join(format!(
            "cargo-codex-base-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let tree = BaseTree {
            root: top.join("tree").join(&prefix),
            commit,
            top,
        };
        std::fs::create_dir_all(&tree.top).map_err(|error| ChangesError::Git {
            args: "checkout-index".to_owned(),
            message: format!("cannot make {}: {error}", tree.top.display()),
        })?;
        let index = tree.top.join("index");
        run(project, &["read-tree", &tree.commit], Some(&index))?;
        let destination = format!("--prefix={}/", tree.top.join("tree").display());
        run(
            project,
            &["checkout-index", "--all", "--force", &destination],
            Some(&index),
        )?;
        std::fs::create_dir_all(&tree.root).map_err(|error| ChangesError::Git {
            args: "checkout-index".to_owned(),
            message: format!("cannot make {}: {error}", tree.root.display()),
        })?;
        Ok(tree)
    }
}

impl Drop for BaseTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.top);
    }
}

/// Runs `git ARGS` in `dir`, with `index` as the index file when given.
fn run(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<String, ChangesError> {
    let failed = |message: String| ChangesError::Git {
        args: args.join(" "),
        message,
    };
    let mut command = Command::new("git");
    command.current_dir(dir).args(args);
    if let Some(index) = index {
        command.env("GIT_INDEX_FILE", index);
    }
    let output = command
        .output()
        .map_err(|error| failed(error.to_string()))?;
    if !output.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
