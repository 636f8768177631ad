//! Running git: the one place the tool starts a `git` process, with literal pathspecs (a name
//! from the repository is never a pattern) and no standard input. Callers turn its error into
//! their own.

use std::path::Path;
use std::process::{Command, Stdio};

/// `git` could not be run, or failed.
#[derive(Debug, thiserror::Error)]
#[error("`git {args}` failed: {message}")]
pub struct GitError {
    /// The arguments.
    pub args: String,
    /// What git (or starting it) said.
    pub message: String,
}

/// Runs `git ARGS` in `dir`, with `index` as the index file when given, and returns what it
/// printed.
///
/// # Errors
///
/// When git cannot be started or exits with a failure.
pub fn run(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<Vec<u8>, GitError> {
    let failed = |message: String| GitError {
        args: args.join(" "),
        message,
    };
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_LITERAL_PATHSPECS", "1")
        .args(args)
        .stdin(Stdio::null());
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
    Ok(output.stdout)
}
