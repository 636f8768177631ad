//! `--codex-from REV` (issue 7, section 6): a merge request that edits `codex.toml`, a rule or
//! the baseline to switch off its own findings still gets them, because the Codex is read as of
//! the branch it merges into. Every test runs on a real git repository.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Output, Project, git, heads, run_in};

const RULE: &str = r###"id = "CX0100"
title = "call to `dangerous()`"
severity = "error"
stage = "enforce"
incidents = ["2026-01-01-dangerous"]
message = "`dangerous()` must not be called"
doc = "## What it does\nFlags `dangerous()`.\n\n## Why is this bad?\nIt is.\n\n## Example\n    x.dangerous()\nUse instead:\n    x.safe()"

[match]
method = ["dangerous"]
"###;

const INCIDENT: &str = r#"date = "2026-01-01"
title = "A dangerous call"
summary = "Someone called dangerous()."
rules = ["CX0100"]
"#;

/// A repository whose `main` holds `files`, checked out on a branch `mr`.
fn repository(files: &[(&str, &str)]) -> Project {
    let project = Project::new();
    for (path, text) in files {
        project.file(path, text);
    }
    assert!(
        git(&project, &["init", "-q", "-b", "main"])
            .status
            .success()
    );
    commit(&project, "base");
    assert!(
        git(&project, &["checkout", "-q", "-b", "mr"])
            .status
            .success()
    );
    project
}

fn commit(project: &Project, message: &str) {
    git(project, &["add", "-A"]);
    let done = git(project, &["commit", "-q", "--allow-empty", "-m", message]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

fn check(project: &Project, args: &[&str]) -> Output {
    let mut all = vec!["check", "--format", "concise"];
    all.extend_from_slice(args);
    project.run(&all)
}

#[test]
fn a_merge_request_cannot_disable_a_rule_in_codex_toml() {
    let project = repository(&[("src/lib.rs", "pub fn f() -> u8 { 1 }\n")]);
    project
        .file("codex.toml", "[rules.CX0001]\nenabled = false\n")
        .file("src/lib.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n");
    commit(&project, "disable CX0001");
    assert_eq!(check(&project, &[]).code, 0, "the bypass this closes");
    for args in [
        &["--codex-from", "main"][..],
        &["--codex-from", "main", "--diff", "main"],
        &["--codex-from", "main", "src/lib.rs"],
    ] {
        let out = check(&project, args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert_eq!(heads(&out.stdout), ["src/lib.rs:1:28 CX0001"], "{args:?}");
    }
    // Read at main, where there is no codex.toml: an invalid one in the working tree is ignored.
    project.file("codex.toml", "not toml at all [");
    assert_eq!(check(&project, &["--codex-from", "main"]).code, 1);
}

#[test]
fn a_merge_request_cannot_edit_or_remove_a_rule() {
    let project = repository(&[
        (
            "codex.toml",
            "rule_dirs = [\"rules\"]\nincident_dirs = [\"codex\"]\n",
        ),
        ("rules/dangerous-call.toml", RULE),
        ("codex/2026-01-01-dangerous.toml", INCIDENT),
        ("src/lib.rs", "pub fn f() {}\n"),
    ]);
    project.file("src/lib.rs", "pub fn f(x: X) { x.dangerous(); }\n");
    project.file(
        "rules/dangerous-call.toml",
        &RULE.replace("[\"dangerous\"]", "[\"nothing_matches\"]"),
    );
    commit(&project, "edit the rule");
    assert_eq!(check(&project, &[]).code, 0, "the bypass this closes");
    let out = check(&project, &["--codex-from", "main"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(heads(&out.stdout), ["src/lib.rs:1:20 CX0100"]);

    // Removing the rule, its folder and codex.toml changes nothing either.
    std::fs::remove_dir_all(project.path().join("rules")).unwrap();
    std::fs::remove_dir_all(project.path().join("codex")).unwrap();
    std::fs::remove_file(project.path().join("codex.toml")).unwrap();
    commit(&project, "remove the rule");
    let out = check(&project, &["--codex-from", "main"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:1:20 CX0100"],
        "{}",
        out.stderr
    );

    // The other commands read the same Codex.
    let out = project.run(&["explain", "CX0100", "--codex-from", "main"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Someone called dangerous()."),
        "{}",
        out.stdout
    );
    let out = project.run(&["rules", "--codex-from", "main"]);
    assert!(out.stdout.contains("CX0100"), "{}", out.stdout);
    let out = project.run(&["rules"]);
    assert!(!out.stdout.contains("CX0100"), "{}", out.stdout);
}

#[test]
fn a_merge_request_cannot_accept_its_own_findings_in_the_baseline() {
    let legacy = "pub fn old() -> u8 { Some(1).unwrap() }\n";
    let project = repository(&[("src/lib.rs", legacy)]);
    // main records its legacy finding.
    git(&project, &["checkout", "-q", "main"]);
    let out = project.run(&["check", "--write-baseline", "codex-baseline.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    commit(&project, "baseline");
    git(&project, &["checkout", "-q", "mr"]);
    git(&project, &["merge", "-q", "main"]);

    // The merge request adds a finding and writes it into the baseline.
    project.file(
        "src/lib.rs",
        &format!("{legacy}pub fn new() -> u8 {{ Some(2).unwrap() }}\n"),
    );
    let out = project.run(&["check", "--write-baseline", "codex-baseline.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    commit(&project, "accept my own finding");
    let flag = ["--baseline", "codex-baseline.json"];
    assert_eq!(check(&project, &flag).code, 0, "the bypass this closes");
    let out = check(&project, &[&flag[..], &["--codex-from", "main"]].concat());
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(heads(&out.stdout), ["src/lib.rs:2:30 CX0001"]);

    // The same through `baseline` in codex.toml, which the merge request cannot change either.
    git(&project, &["checkout", "-q", "main"]);
    project.file("codex.toml", "baseline = \"codex-baseline.json\"\n");
    commit(&project, "name the baseline");
    git(&project, &["checkout", "-q", "mr"]);
    git(&project, &["merge", "-q", "main"]);
    project.file("codex.toml", "baseline = \"mine.json\"\n");
    project.file(
        "mine.json",
        "{\"schema\": \"cargo-codex/baseline/v1\", \"findings\": []}\n",
    );
    commit(&project, "another baseline");
    let out = check(&project, &["--codex-from", "main"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:30 CX0001"],
        "{}",
        out.stderr
    );

    // A baseline that main does not have accepts nothing.
    let out = check(
        &project,
        &["--baseline", "mine.json", "--codex-from", "main"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(heads(&out.stdout).len(), 2, "{}", out.stdout);
}

#[test]
fn the_codex_of_a_project_in_a_subfolder_is_found_at_the_revision() {
    let project = repository(&[
        (
            "crates/app/codex.toml",
            "rule_dirs = [\"rules\"]\nincident_dirs = [\"codex\"]\n",
        ),
        ("crates/app/rules/dangerous-call.toml", RULE),
        ("crates/app/codex/2026-01-01-dangerous.toml", INCIDENT),
        ("crates/app/src/lib.rs", "pub fn f() {}\n"),
    ]);
    std::fs::remove_file(project.path().join("crates/app/codex.toml")).unwrap();
    project.file(
        "crates/app/src/lib.rs",
        "pub fn f(x: X) { x.dangerous(); }\n",
    );
    commit(&project, "drop the project's codex.toml");
    let out = check(&project, &["crates/app", "--codex-from", "main"]);
    // The project is crates/app; the terminal shows the path from the repository's root,
    // where the run stands.
    assert_eq!(
        heads(&out.stdout),
        ["crates/app/src/lib.rs:1:20 CX0100"],
        "{}",
        out.stderr
    );
    let out = run_in(
        &project.path().join("crates/app/src"),
        &["check", "--format", "concise", "--codex-from", "main"],
    );
    // The terminal shows the path from where the run stands (`crates/app/src`).
    assert_eq!(heads(&out.stdout), ["lib.rs:1:20 CX0100"], "{}", out.stderr);
}

#[test]
fn revision_problems_are_usage_errors() {
    let project = repository(&[
        ("codex.toml", "rule_dirs = [\"rules\"]\n"),
        ("rules/.keep", ""),
        ("src/lib.rs", "pub fn f() {}\n"),
    ]);
    let out = check(&project, &["--codex-from", "no-such-branch"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`no-such-branch` is not a commit"),
        "{}",
        out.stderr
    );
    let out = check(&project, &["--codex-from", "--upload-pack=evil"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = project.run(&["test", "--codex-from", "main"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--codex-from applies to"),
        "{}",
        out.stderr
    );

    // A rule folder at the revision holding a link is an error, not a followed link.
    #[cfg(unix)]
    {
        git(&project, &["checkout", "-q", "main"]);
        std::os::unix::fs::symlink("/etc/passwd", project.path().join("rules/x.toml")).unwrap();
        commit(&project, "link");
        let out = check(&project, &["--codex-from", "main"]);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr
                .contains("rules/x.toml: a symbolic link at revision main, not followed"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("note: the Codex's files"),
            "{}",
            out.stderr
        );
    }

    // Outside a git repository.
    let plain = Project::new();
    plain.file("src/lib.rs", "pub fn f() {}\n");
    let out = check(&plain, &["--codex-from", "main"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}
