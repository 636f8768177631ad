//! End to end: only findings on the lines a merge request changed, from git or a diff file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

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
        out.stdout.contains("in 1 of 2 files"),
        "the whole project is checked, against the merge base: {}",
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

/// A repository whose `main` holds `base` and whose checked-out branch `feature` commits
/// `change` on top, as a merge request does.
fn merge_request(base: &[(&str, &str)], change: &[(&str, &str)]) -> Project {
    let project = Project::new();
    for (path, text) in base {
        project.file(path, text);
    }
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "--allow-empty", "-m", "base"]);
    git(&project, &["checkout", "-q", "-b", "feature"]);
    for (path, text) in change {
        project.file(path, text);
    }
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "--allow-empty", "-m", "change"]);
    project
}

/// `(path, line, rule)` of each finding `check --diff main` reports, and the exit code.
fn diff_findings(project: &Project) -> (Vec<(String, u64, String)>, i32) {
    let out = project.run(&["check", "--format", "json", "--diff", "main"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}{}", out.stdout, out.stderr));
    let findings = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (findings, out.code)
}

const UNWRAP: &str = "pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n";

#[test]
fn i7_a_new_file_whose_name_git_quotes_is_checked() {
    for name in [
        "src/café.rs",
        "src/a \"q\" b\\c.rs",
        "src/tab\there.rs",
        "src/sp ace.rs",
    ] {
        let project = merge_request(&[("src/lib.rs", "pub fn ok() {}\n")], &[(name, UNWRAP)]);
        let (findings, code) = diff_findings(&project);
        assert_eq!(
            findings,
            [(name.to_owned(), 2, "CX0001".to_owned())],
            "{name:?}"
        );
        assert_eq!(code, 1, "{name:?}");
    }
}

#[test]
fn i7_an_added_line_that_looks_like_a_header_does_not_end_the_hunk() {
    // The removed comment line reads `--- gone */` in the diff.
    let base = "pub fn ok() {}\n/*\n-- gone */\n";
    for header in [
        "++ /dev/null",
        "--- a/src/lib.rs",
        "@@ -1 +1 @@",
        "++ b/src/other.rs",
    ] {
        // One hunk (`@@ -3 +3,5 @@`): the comment line first, the `.unwrap()` after it.
        let changed = format!("pub fn ok() {{}}\n/*\n{header}\n*/\n{UNWRAP}");
        let project = merge_request(&[("src/lib.rs", base)], &[("src/lib.rs", &changed)]);
        let (findings, code) = diff_findings(&project);
        assert_eq!(
            findings,
            [("src/lib.rs".to_owned(), 6, "CX0001".to_owned())],
            "{header:?}"
        );
        assert_eq!(code, 1, "{header:?}");
    }
}

#[test]
fn i7_git_configuration_cannot_hide_changes() {
    // Renames are not followed: a moved file's lines are all new, as its baseline keys are.
    let project = merge_request(&[("src/old.rs", UNWRAP)], &[]);
    git(&project, &["mv", "src/old.rs", "src/new.rs"]);
    git(&project, &["commit", "-q", "-m", "move"]);
    for (key, value) in [
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("diff.renames", "copies"),
        ("diff.srcPrefix", "s/"),
        ("diff.dstPrefix", "d/"),
        ("diff.external", "true"),
        ("color.diff", "always"),
        ("core.quotePath", "false"),
    ] {
        git(&project, &["config", key, value]);
        let (findings, code) = diff_findings(&project);
        assert_eq!(
            findings,
            [("src/new.rs".to_owned(), 2, "CX0001".to_owned())],
            "{key}"
        );
        assert_eq!(code, 1, "{key}");
    }
}

#[test]
fn i7_a_file_marked_binary_counts_as_changed_throughout() {
    // A merge request cannot hide its lines by marking Rust files binary for git.
    let project = merge_request(
        &[("src/lib.rs", "pub fn ok() {}\n")],
        &[
            (".gitattributes", "*.rs -diff\n"),
            ("src/lib.rs", &format!("pub fn ok() {{}}\n{UNWRAP}")),
        ],
    );
    let (findings, code) = diff_findings(&project);
    assert_eq!(
        findings,
        [("src/lib.rs".to_owned(), 3, "CX0001".to_owned())]
    );
    assert_eq!(code, 1);
}

#[test]
fn i7_diff_paths_are_relative_to_the_project_in_a_subfolder() {
    let project = merge_request(
        &[
            ("crate/codex.toml", ""),
            ("crate/src/lib.rs", "pub fn ok() {}\n"),
        ],
        &[("crate/src/lib.rs", &format!("pub fn ok() {{}}\n{UNWRAP}"))],
    );
    let out = common::run_in(
        &project.path().join("crate"),
        &["check", "--format", "concise", "--diff", "main"],
    );
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:3:7 CX0001"],
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert_eq!(out.code, 1);
}

#[test]
fn i7_a_change_inside_an_item_too_deep_to_check_is_reported() {
    let deep = format!("{}1{}", "(".repeat(300), ")".repeat(300));
    let base = format!(
        "pub fn deep(x: Option<u8>) -> u8 {{\n    let y = {deep};\n    y + x.unwrap_or(0)\n}}\n"
    );
    let changed = format!(
        "pub fn deep(x: Option<u8>) -> u8 {{\n    let y = {deep};\n    let z = x.unwrap();\n    y + z\n}}\n"
    );
    let project = merge_request(&[("src/lib.rs", &base)], &[("src/lib.rs", &changed)]);
    let (findings, code) = diff_findings(&project);
    assert!(
        findings
            .iter()
            .any(|(path, _, rule)| path == "src/lib.rs" && rule == "CX9001"),
        "{findings:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn i7_a_change_that_makes_the_file_unlexable_is_reported() {
    // The stray quote leaves the rest of the file unlexable; the lexer reports it on an
    // unchanged line further down, but no line of the file was checked.
    let base = "pub fn a() {}\n\npub fn b() {}\n\npub fn c() -> &'static str {\n    \"y\"\n}\n";
    let changed = base.replace(
        "pub fn b() {}",
        "pub fn b(x: Option<u8>) -> u8 { let _s = \"; x.unwrap() }",
    );
    let project = merge_request(&[("src/lib.rs", base)], &[("src/lib.rs", &changed)]);
    let (findings, code) = diff_findings(&project);
    assert!(
        findings
            .iter()
            .any(|(path, _, rule)| path == "src/lib.rs" && rule == "CX9001"),
        "{findings:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn i7_a_malformed_diff_file_fails_the_run() {
    let project = Project::new();
    project.file("src/lib.rs", UNWRAP);
    for diff in [
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -0,0 +1,3 @@\n+pub fn f(x: Option<u8>) -> u8 {\n",
        "not a diff\n",
        "--- a/x\n+++ /etc/passwd\n@@ -0,0 +1 @@\n+x\n",
    ] {
        project.file("changes.diff", diff);
        let out = project.run(&["check", "--changed-lines-from", "changes.diff"]);
        assert_eq!(out.code, 2, "{diff:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("diff"), "{}", out.stderr);
    }
}

/// Issue 7 (red team): a change can turn lines it does not touch into production code. With
/// `--diff`, findings the merge base does not have are reported with those on changed lines.
#[test]
fn i7_a_change_that_makes_untouched_code_production_code_is_reported() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "deleted #[cfg(test)]",
            "#[cfg(test)]\nmod tests {\n    pub fn f() -> u8 { Some(1).unwrap() }\n}\n",
            "mod tests {\n    pub fn f() -> u8 { Some(1).unwrap() }\n}\n",
        ),
        (
            "comment markers removed",
            "/*\npub fn f() -> u8 { Some(1).unwrap() }\n*/\n",
            "pub fn f() -> u8 { Some(1).unwrap() }\n",
        ),
        (
            "test-only module declared for every build",
            "#[cfg(test)]\nmod helpers;\n",
            "mod helpers;\n",
        ),
    ];
    for (name, before, after) in cases {
        let project = Project::new();
        project
            .file("src/lib.rs", before)
            .file("src/helpers.rs", "pub fn h() -> u8 { Some(1).unwrap() }\n")
            .file("src/legacy.rs", "pub fn old() -> u8 { Some(2).unwrap() }\n");
        git(&project, &["init", "-q", "-b", "main"]);
        git(&project, &["add", "-A"]);
        git(&project, &["commit", "-q", "-m", "base"]);
        git(&project, &["checkout", "-q", "-b", "mr"]);
        project.file("src/lib.rs", after);
        git(&project, &["commit", "-q", "-am", "mr"]);
        let out = project.run(&["check", "--format", "concise", "--diff", "main"]);
        assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
        let found = heads(&out.stdout);
        assert!(
            found.iter().all(|h| !h.starts_with("src/legacy.rs")),
            "{name}: legacy findings stay out: {found:?}"
        );
        assert!(!found.is_empty(), "{name}");
    }
}

/// Review: a `--diff` value that starts with `-` reached `git diff` as an option
/// (`--output=FILE` truncated a file), and `--diff --fix` fixed findings outside the change.
#[test]
fn i7_diff_values_are_revisions_and_fixes_stay_inside_the_change() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() -> Option<u8> { Some(1) }\n")
        .file(
            "src/old.rs",
            "pub fn old(x: Option<u8>) -> Option<u8> { Some(x.unwrap()) }\n",
        );
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "base"]);
    let out = project.run(&["check", "--diff=--output=src/lib.rs"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let lib = std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    assert!(lib.contains("Some(1)"), "the file is untouched: {lib:?}");

    project.file(
        "src/lib.rs",
        "pub fn f(y: Option<u8>) -> Option<u8> { Some(y.unwrap()) }\n",
    );
    let out = project.run(&["check", "--diff", "main", "--fix", "--unsafe-fixes"]);
    assert!(out.stderr.contains("applied 1 fixes"), "{}", out.stderr);
    let old = std::fs::read_to_string(project.path().join("src/old.rs")).unwrap();
    assert!(
        old.contains("x.unwrap()"),
        "code outside the change is not fixed: {old}"
    );
    let lib = std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    assert!(lib.contains("y?"), "{lib}");
}
