//! `check --staged` writes out only the staged files and the index entries that may place them
//! in the module tree; what it reports must be what a copy of the whole index gives: scope from
//! the staged (not the working) version of a parent, from parents the working tree holds
//! unchanged, from a project folder below the repository's top, beside unmerged entries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Project, git, heads, run_in};

const UNWRAP: &str = "pub fn f() -> u8 { Some(1).unwrap() }\n";

fn commit_all(project: &Project, message: &str) {
    assert!(git(project, &["add", "-A"]).status.success());
    let done = git(project, &["commit", "-q", "-m", message]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

#[test]
fn scope_comes_from_the_staged_parents() {
    let project = Project::new();
    assert!(git(&project, &["init", "-q"]).status.success());
    project
        .file("codex.toml", "")
        .file(
            "src/lib.rs",
            "#[cfg(test)]\nmod helpers;\nmod engine;\nmod other;\n",
        )
        .file("src/helpers.rs", "pub fn h() {}\n")
        .file("src/engine.rs", "pub fn e() {}\n")
        .file("src/other.rs", "pub fn o() { Some(1).unwrap(); }\n")
        .file("src/deep/mod.rs", "pub fn d() {}\n");
    commit_all(&project, "base");

    // Parents unchanged in the working tree: helpers.rs is test code, engine.rs is not.
    project
        .file("src/helpers.rs", UNWRAP)
        .file("src/engine.rs", UNWRAP);
    assert!(
        git(&project, &["add", "src/helpers.rs", "src/engine.rs"])
            .status
            .success()
    );
    let staged = project.run(&["check", "--staged", "--format", "concise"]);
    assert_eq!(
        heads(&staged.stdout),
        ["src/engine.rs:1:28 CX0001"],
        "{staged:?}"
    );

    // The working tree's lib.rs declares nothing, unstaged: the index's is the one read.
    project.file("src/lib.rs", "pub fn nothing() {}\n");
    let staged = project.run(&["check", "--staged", "--format", "concise"]);
    assert_eq!(
        heads(&staged.stdout),
        ["src/engine.rs:1:28 CX0001"],
        "{staged:?}"
    );

    // Marked assume-unchanged, git does not compare it with the working tree: still the
    // index's is read.
    let marked = git(
        &project,
        &["update-index", "--assume-unchanged", "src/lib.rs"],
    );
    assert!(marked.status.success());
    let staged = project.run(&["check", "--staged", "--format", "concise"]);
    assert_eq!(
        heads(&staged.stdout),
        ["src/engine.rs:1:28 CX0001"],
        "{staged:?}"
    );
    let unmarked = git(
        &project,
        &["update-index", "--no-assume-unchanged", "src/lib.rs"],
    );
    assert!(unmarked.status.success());
    project.file("src/lib.rs", "mod helpers;\nmod engine;\nmod other;\n");

    // Staged, it counts: helpers.rs is production code now.
    assert!(git(&project, &["add", "src/lib.rs"]).status.success());
    let staged = project.run(&["check", "--staged", "--format", "concise"]);
    assert_eq!(
        heads(&staged.stdout),
        ["src/engine.rs:1:28 CX0001", "src/helpers.rs:1:28 CX0001"],
        "{staged:?}"
    );
}

#[test]
fn a_project_below_the_repository_top_is_checked_from_its_index() {
    let project = Project::new();
    assert!(git(&project, &["init", "-q"]).status.success());
    project
        .file("crate/codex.toml", "")
        .file(
            "crate/src/lib.rs",
            "#[cfg(test)]\nmod tests;\nmod engine;\n",
        )
        .file("crate/src/tests.rs", "pub fn t() {}\n")
        .file("crate/src/engine.rs", "pub fn e() {}\n");
    commit_all(&project, "base");
    project
        .file("crate/src/tests.rs", UNWRAP)
        .file("crate/src/engine.rs", UNWRAP);
    assert!(git(&project, &["add", "-A"]).status.success());
    let staged = run_in(
        &project.path().join("crate"),
        &["check", "--staged", "--format", "concise"],
    );
    let found = heads(&staged.stdout);
    assert_eq!(found.len(), 1, "{staged:?}");
    assert!(
        found[0].ends_with("src/engine.rs:1:28 CX0001"),
        "{staged:?}"
    );
}

#[test]
fn unmerged_entries_beside_the_staged_files_are_left_out() {
    let project = Project::new();
    assert!(
        git(&project, &["init", "-q", "-b", "main"])
            .status
            .success()
    );
    project
        .file("codex.toml", "")
        .file("src/lib.rs", "mod engine;\nmod clash;\n")
        .file("src/engine.rs", "pub fn e() {}\n")
        .file("src/clash.rs", "pub fn a() {}\n");
    commit_all(&project, "base");
    assert!(
        git(&project, &["checkout", "-q", "-b", "side"])
            .status
            .success()
    );
    project.file("src/clash.rs", "pub fn b() {}\n");
    commit_all(&project, "side");
    assert!(git(&project, &["checkout", "-q", "main"]).status.success());
    project.file("src/clash.rs", "pub fn c() {}\n");
    commit_all(&project, "main");
    // The merge stops on clash.rs; engine.rs is staged beside it.
    let merged = git(&project, &["merge", "-q", "side"]);
    assert!(!merged.status.success());
    project.file("src/engine.rs", UNWRAP);
    assert!(git(&project, &["add", "src/engine.rs"]).status.success());
    let staged = project.run(&["check", "--staged", "--format", "concise"]);
    assert_eq!(
        heads(&staged.stdout),
        ["src/engine.rs:1:28 CX0001"],
        "{staged:?}"
    );
}

/// A staged file or parent edited again after `git add`: the index's bytes are checked, in a
/// repository of either object format (the working tree is compared with the index by hashing
/// it the way git names blobs).
#[test]
fn files_edited_after_staging_are_read_from_the_index_in_both_object_formats() {
    for format in ["sha1", "sha256"] {
        let project = Project::new();
        let init = git(
            &project,
            &["init", "-q", &format!("--object-format={format}")],
        );
        assert!(init.status.success(), "{format}: {init:?}");
        project
            .file("codex.toml", "")
            .file("src/lib.rs", "mod engine;\n#[cfg(test)]\nmod helpers;\n")
            .file("src/engine.rs", "pub fn e() {}\n")
            .file("src/helpers.rs", "pub fn h() {}\n");
        commit_all(&project, "base");
        project
            .file("src/engine.rs", UNWRAP)
            .file("src/helpers.rs", UNWRAP);
        assert!(git(&project, &["add", "-A"]).status.success());
        // After staging: engine.rs loses its unwrap, lib.rs makes helpers production code.
        project
            .file("src/engine.rs", "pub fn e() {}\n")
            .file("src/lib.rs", "mod engine;\nmod helpers;\n");
        let staged = project.run(&["check", "--staged", "--format", "concise"]);
        assert_eq!(
            heads(&staged.stdout),
            ["src/engine.rs:1:28 CX0001"],
            "{format}: {staged:?}"
        );
    }
}
