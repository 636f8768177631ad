//! The ready-to-copy hooks work: the git pre-commit hook checks staged content in a real
//! repository, and the pre-commit framework's manifest names flags the binary accepts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::path::Path;

use common::{Project, git};

#[test]
fn the_git_hook_checks_staged_content_not_the_working_tree() {
    let project = Project::new();
    let hooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/hooks");
    assert!(git(&project, &["init", "-q"]).status.success());
    assert!(
        git(
            &project,
            &["config", "core.hooksPath", hooks.to_str().unwrap()]
        )
        .status
        .success()
    );
    project
        .file(
            "src/lib.rs",
            "#[cfg(test)]\nmod tests;\npub fn f() -> u8 { 1 }\n",
        )
        .file("src/tests.rs", "fn t() { Some(1).unwrap(); }\n");
    git(&project, &["add", "-A"]);
    let clean = git(&project, &["commit", "-q", "-m", "clean"]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    // Stage a finding, then fix it only in the working tree: the commit must still fail.
    project.file(
        "src/lib.rs",
        "#[cfg(test)]\nmod tests;\npub fn f() -> u8 { Some(1).unwrap() }\n",
    );
    git(&project, &["add", "src/lib.rs"]);
    project.file(
        "src/lib.rs",
        "#[cfg(test)]\nmod tests;\npub fn f() -> u8 { 1 }\n",
    );
    let blocked = git(&project, &["commit", "-q", "-m", "bad"]);
    // Git passes a hook's output on through its own stderr.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&blocked.stdout),
        String::from_utf8_lossy(&blocked.stderr)
    );
    assert!(
        !blocked.status.success(),
        "the staged finding must block the commit"
    );
    assert!(said.contains("src/lib.rs:3:28: error[CX0001]"), "{said}");

    // Staging the fix lets the commit through; the staged test module stays test code.
    git(&project, &["add", "src/lib.rs"]);
    project.file("src/tests.rs", "fn t() { Some(2).unwrap(); }\n");
    git(&project, &["add", "src/tests.rs"]);
    let fixed = git(&project, &["commit", "-q", "-m", "fixed"]);
    assert!(
        fixed.status.success(),
        "{}{}",
        String::from_utf8_lossy(&fixed.stdout),
        String::from_utf8_lossy(&fixed.stderr)
    );
}

#[test]
fn the_pre_commit_manifest_uses_flags_the_binary_accepts() {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let entry = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .unwrap();
    assert!(manifest.contains("language: rust") && manifest.contains("types: [rust]"));
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("cargo-codex"));
    let args: Vec<&str> = words.collect();
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n");
    let mut with_file = args.clone();
    with_file.push("src/lib.rs");
    let out = project.run(&with_file);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("src/lib.rs:1:28: error[CX0001]"),
        "{}",
        out.stdout
    );
}

/// Every `cargo-codex` command of the CI templates, with the CI variables set to `main`, runs
/// in a real repository with a merge base and produces output its consumer can read, and a
/// merge request that edits codex.toml cannot switch its finding off. Each template runs the
/// tool once, writing its reports with `--output FORMAT=PATH`.
#[test]
fn the_ci_templates_run_as_written() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() -> u8 { 1 }\n");
    assert!(
        git(&project, &["init", "-q", "-b", "main"])
            .status
            .success()
    );
    git(&project, &["add", "-A"]);
    assert!(
        git(&project, &["commit", "-q", "-m", "base"])
            .status
            .success()
    );
    git(
        &project,
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    project.file("src/lib.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n");
    // The merge request also tries to switch the rule off: the templates read the Codex of the
    // target branch (--codex-from), so it still fails.
    project.file("codex.toml", "[rules.CX0001]\nenabled = false\n");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for template in ["ci/gitlab-ci.yml", "ci/github-workflow.yml"] {
        let text = std::fs::read_to_string(root.join(template)).unwrap();
        for line in text
            .lines()
            .filter(|l| l.contains("- cargo-codex check") || l.contains("run: cargo-codex check"))
        {
            let command = line.split("cargo-codex ").nth(1).unwrap();
            let command = command
                .split(" > ")
                .next()
                .unwrap()
                .split(" || ")
                .next()
                .unwrap();
            let command = command
                .replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
                .replace("${{ github.base_ref }}", "main")
                .replace('"', "");
            let args: Vec<&str> = command.split_whitespace().collect();
            let out = project.run(&args);
            assert_eq!(
                out.code, 1,
                "{template}: `{command}` should find the new unwrap: {}",
                out.stderr
            );
            let outputs: Vec<&str> = args
                .windows(2)
                .filter(|pair| pair[0] == "--output")
                .map(|pair| pair[1])
                .collect();
            assert!(
                !outputs.is_empty(),
                "{template}: `{command}` writes no report"
            );
            for output in outputs {
                let (format, path) = output.split_once('=').unwrap();
                let text = std::fs::read_to_string(project.path().join(path)).unwrap();
                assert!(text.contains("src/lib.rs"), "{template}: {path}: {text}");
                if format != "markdown" {
                    serde_json::from_str::<serde_json::Value>(&text).unwrap();
                }
                std::fs::remove_file(project.path().join(path)).unwrap();
            }
            if command.contains("--format github") {
                assert!(
                    out.stdout.starts_with("::error file=src/lib.rs"),
                    "{}",
                    out.stdout
                );
            }
            ran += 1;
        }
    }
    assert_eq!(ran, 2, "one run per template");
    let gitlab = std::fs::read_to_string(root.join("ci/gitlab-ci.yml")).unwrap();
    for artifact in [
        "codequality: gl-code-quality-report.json",
        "- codex-comment.md",
    ] {
        assert!(gitlab.contains(artifact), "{artifact}");
    }
}
