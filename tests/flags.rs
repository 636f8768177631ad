//! End to end, issue 10: the flags people expect from ruff and clippy (`--quiet`, `--silent`,
//! `--exit-zero`, `--select` / `--ignore`, `--output-file`, `--output FORMAT=PATH`,
//! `--show-fixes`), paths shown from the working directory in terminal formats, and
//! suppressions that expire (`until = YYYY-MM-DD`, with `CARGO_CODEX_TODAY` as today).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use crate::common::{self, Output, Project, heads};

/// Runs `cargo-codex ARGS` in `dir` with `envs` set.
fn run_env(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let output = Command::new(common::binary())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CARGO_CODEX_TODAY")
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    Output {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// A suppression with `until` holds through its day (UTC), then suppresses nothing: the finding
/// is back and the suppression is reported (CX9006, a warning: the finding's own stage fails
/// the run). A date that is not one suppresses nothing from the start.
#[test]
fn suppressions_expire_after_their_until_date() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    // codex:allow(CX0001, until = 2027-03-31) the loader validates x until v2 ships\n    x.unwrap()\n}\npub fn g(x: Option<u8>) -> u8 {\n    x.unwrap() // codex:allow(CX0001, until = 2027-02-30) a day that does not exist\n}\n",
    );
    let check = |today: &str| {
        run_env(
            project.path(),
            &["check", "--format", "concise"],
            &[("CARGO_CODEX_TODAY", today)],
        )
    };
    let on_the_day = check("2027-03-31");
    assert_eq!(
        heads(&on_the_day.stdout),
        ["src/lib.rs:6:7 CX0001", "src/lib.rs:6:16 CX9006"],
        "{}",
        on_the_day.stdout
    );
    assert!(
        on_the_day.stdout.contains(
            "`until = 2027-02-30` is not a date, so this suppression suppresses nothing: write `until = YYYY-MM-DD`"
        ),
        "{}",
        on_the_day.stdout
    );
    let after = check("2027-04-01");
    assert_eq!(
        heads(&after.stdout),
        [
            "src/lib.rs:2:5 CX9006",
            "src/lib.rs:3:7 CX0001",
            "src/lib.rs:6:7 CX0001",
            "src/lib.rs:6:16 CX9006",
        ],
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains(
            "suppression of CX0001 held until 2027-03-31 and has expired (today is 2027-04-01, UTC)"
        ),
        "{}",
        after.stdout
    );
    assert_eq!(after.code, 1);

    // Once the code is fixed, the expired comment alone is a warning, not a failure.
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    // codex:allow(CX0001, until = 2027-03-31) the loader validates x until v2 ships\n    x.unwrap_or(0)\n}\n",
    );
    let fixed = check("2027-04-01");
    assert_eq!(
        heads(&fixed.stdout),
        ["src/lib.rs:2:5 CX9006"],
        "{}",
        fixed.stdout
    );
    assert_eq!(fixed.code, 0);

    // Without the variable, today is the clock's: a date long past has expired.
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap() // codex:allow(CX0001, until = 2020-01-01) long gone\n}\n",
    );
    let out = run_env(project.path(), &["check", "--format", "concise"], &[]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:7 CX0001", "src/lib.rs:2:16 CX9006"],
        "{}",
        out.stdout
    );
    let bad = check("someday");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("CARGO_CODEX_TODAY=`someday` is not a date"),
        "{}",
        bad.stderr
    );
}
