//! git for the selection: errors as [`ChangesError`], revisions that look like options refused,
//! and temporary folders for the trees exported from git (the staged one and the merge base).
//! Starting git itself is [`crate::git`]'s.

use std::path::Path;

use super::changes::ChangesError;

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
pub(super) fn git(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<String, ChangesError> {
    git_bytes(dir, args, index).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Refuses a revision that git would read as an option (`--output=FILE`).
pub(super) fn refuse_option(revision: &str, command: &str) -> Result<(), ChangesError> {
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
