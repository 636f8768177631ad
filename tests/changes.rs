//! End to end: only findings on the lines a merge request changed, from git or a diff file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::{Project, heads};

fn git(project: &Project, args: &[&str]) {
    let output = common::git(project, args);
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn diff_reports_only_changed_lines_since_the_merge_base() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "pub fn legacy(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n",
        )
        .file(
            "src/other.rs",
            "pub fn old(x: Option<u8>) -> u8 { x.unwrap() }\n",
        );
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "base"]);
    git(&project, &["checkout", "-q", "-b", "feature"]);
    project.file(
        "src/lib.rs",
        "pub fn legacy(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n\npub fn new(x: Option<u8>) -> u8 {\n    x.expect(\"new\")\n}\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout).len(), 3);
    let out = project.run(&["check", "--format", "concise", "--diff", "main"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:6:7 CX0002"],
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stdout.contains("in 1 file"),
        "only changed files are checked: {}",
        out.stdout
    );
    assert_eq!(out.code, 1);

    let json = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(project.path())
        .output()
        .unwrap();
    assert_eq!(
        json["commit"],
        String::from_utf8_lossy(&head.stdout).trim(),
        "JSON names the analysed commit"
    );
    assert_eq!(
        json["diagnostics"][0]["url"],
        "rules/unwrap-outside-tests.toml"
    );

    let bad = project.run(&["check", "--diff", "no-such-branch"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("git diff"), "{}", bad.stderr);
}

#[test]
fn changed_lines_from_a_diff_file() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\npub fn b(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n")
        .file("changes.diff", "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -3,0 +4,3 @@\n+pub fn b(x: Option<u8>) -> u8 {\n+    x.unwrap()\n+}\n");
    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "--changed-lines-from",
        "changes.diff",
    ]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:5:7 CX0001"],
        "{}",
        out.stdout
    );
    project.file("changes.diff", "");
    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "--changed-lines-from",
        "changes.diff",
    ]);
    assert!(
        out.stdout.contains("No findings in 0 files"),
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 0);
}
