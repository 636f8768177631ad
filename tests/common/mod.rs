//! A temporary project to run the binary in, as ripgrep's `tests/util.rs` does.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary folder holding a project.
pub(crate) struct Project {
    dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub(crate) struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl From<std::process::Output> for Output {
    fn from(output: std::process::Output) -> Self {
        Output {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code().unwrap_or(-1),
        }
    }
}

/// A project rule (`ACME0001`) that flags `.lock()` outside `src/legacy/`.
pub(crate) const LOCK_RULE: &str = r###"id = "ACME0001"
title = "mutex lock"
severity = "warning"
stage = "enforce"
references = ["https://example.com/lock-convoy"]
message = "locking a mutex on the request path"
help = "use the actor instead"
doc = "## What it does\nx\n## Why is this bad?\ny\n## Example\nz"

[match]
method = ["lock"]
exclude_paths = ["src/legacy/**"]
"###;

impl Project {
    pub(crate) fn new() -> Self {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `relative`, creating folders.
    pub(crate) fn file(&self, relative: &str, text: &str) -> &Self {
        self.bytes(relative, text.as_bytes())
    }

    pub(crate) fn bytes(&self, relative: &str, bytes: &[u8]) -> &Self {
        let path = self.dir.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    /// Runs `cargo-codex ARGS` in the project folder.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        run_in(self.dir.path(), args)
    }

    /// Runs `cargo-codex ARGS` in the project folder with the environment variables `vars`
    /// set (a CI's, for instance).
    pub(crate) fn run_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        run_env_in(self.dir.path(), args, vars)
    }
}

/// The CI variables the tool reads (for links in the merge-request comment): removed from
/// every run, so that the suite gives the same results in a CI job as on a laptop.
pub(crate) const CI_VARS: [&str; 5] = [
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "CI_PROJECT_URL",
    "CI_COMMIT_SHA",
];

pub(crate) fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cargo-codex"))
}

pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    run_env_in(dir, args, &[])
}

/// Runs `cargo-codex ARGS` in `dir` with the environment variables `vars` set.
pub(crate) fn run_env_in(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).current_dir(dir).env_remove("NO_COLOR");
    for var in CI_VARS {
        command.env_remove(var);
    }
    let output = command.envs(vars.iter().copied()).output().unwrap();
    Output::from(output)
}

/// The `path:line:col: …[CODE]` heads of concise output, without messages.
pub(crate) fn heads(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| line.contains(']') && line.contains(": "))
        .filter(|line| !line.starts_with("Found") && !line.starts_with("No findings"))
        .map(|line| {
            let (location, rest) = line.split_once(": ").unwrap();
            let code = rest.split_once('[').unwrap().1.split_once(']').unwrap().0;
            format!("{location} {code}")
        })
        .collect()
}

/// Runs `git ARGS` in the project with a fixed identity and this crate's binary first on
/// `PATH` (so hooks find `cargo-codex`).
pub(crate) fn git(project: &Project, args: &[&str]) -> std::process::Output {
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(project.path())
        .env("PATH", path)
        .output()
        .unwrap()
}
