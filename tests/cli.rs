//! End to end: exit codes, the `cargo codex` form, subcommands, suppressions, the JSON contract
//! and fingerprints, by running the binary in temporary projects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Project, heads};

#[test]
fn exit_codes_follow_the_design() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() -> Option<u8> { Some(1) }\n");
    assert_eq!(project.run(&["check"]).code, 0);
    project.file("src/lib.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n");
    assert_eq!(project.run(&["check"]).code, 1);
    let bad_flag = project.run(&["check", "--frobnicate"]);
    assert_eq!(bad_flag.code, 2);
    assert!(bad_flag.stderr.contains("--frobnicate"));
    assert_eq!(project.run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(project.run(&["--version"]).code, 0);
}

#[test]
fn runs_as_a_cargo_subcommand() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n");
    let out = project.run(&["codex", "check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), ["src/lib.rs:1:28 CX0001"]);
    assert_eq!(out.code, 1);
}

#[test]
fn suppressions_need_a_reason_a_known_rule_and_a_finding() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    let a = x.unwrap(); // codex:allow(CX0001) checked by the caller\n    // codex:allow(unwrap-outside-tests) the chain starts from a constant\n    let b = Some(2)\n        .map(|v| v + 1)\n        .unwrap();\n    let c = x.unwrap(); // codex:allow(CX0001)\n    let d = x.expect(\"x\"); // codex:allow(CX0042) typo in the code\n    // codex:allow(CX0003) nothing panics below\n    a + b + c + d\n}\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:7:15 CX0001",
            "src/lib.rs:7:25 CX9003",
            "src/lib.rs:8:15 CX0002",
            "src/lib.rs:8:28 CX9004",
            "src/lib.rs:9:5 CX9005",
        ],
        "{}",
        out.stdout
    );
    project.file(
        "src/lib.rs",
        "// codex:allow-file(CX0001) generated from the schema; inputs are validated upstream\npub fn f(x: Option<u8>) -> u8 { x.unwrap() + x.unwrap() }\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), Vec::<String>::new(), "{}", out.stdout);
}

#[test]
fn json_follows_the_contract() {
    let project = Project::new();
    project.file(
        "src/config.rs",
        "pub fn load(text: &str) -> u32 {\n    let café = \"é\"; let n: u32 = text.parse().unwrap();\n    n\n}\n",
    );
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["schema"], "cargo-codex/diagnostics/v1");
    assert_eq!(json["tool"]["name"], "cargo-codex");
    let d = &json["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "rule",
        "name",
        "severity",
        "stage",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "snippet",
        "item",
        "scope",
        "incidents",
        "url",
        "fingerprint",
        "fix",
    ] {
        assert!(keys.contains(&key), "missing key {key}");
    }
    assert_eq!(d["rule"], "CX0001");
    assert_eq!(d["path"], "src/config.rs");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(47)),
        "columns count characters, not bytes (49)"
    );
    assert_eq!(d["end_column"], 53);
    assert_eq!(d["item"], "config::load");
    assert_eq!(d["incidents"][0], "2025-11-18-bot-management-feature-file");
    assert_eq!(d["fingerprint"].as_str().unwrap().len(), 32);
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "unparsed": 0, "diagnostics": 1, "enforced": 1})
    );
}

fn fingerprints(project: &Project) -> Vec<String> {
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let project = Project::new();
    let body =
        "fn other() {}\n\npub fn load(x: Option<u8>) -> u8 {\n    x.unwrap() + x.unwrap()\n}\n";
    project.file("src/lib.rs", body);
    let before = fingerprints(&project);
    assert_eq!(before.len(), 2);
    assert_ne!(
        before[0], before[1],
        "identical findings in one function stay distinct"
    );
    project.file(
        "src/lib.rs",
        &format!(
            "use std::fmt;\n\n// a comment\n{}",
            body.replace("fn other() {}", "fn renamed(\n) {\n}")
        ),
    );
    assert_eq!(fingerprints(&project), before);
    project.file(
        "src/lib.rs",
        &body.replace("x.unwrap() + x.unwrap()", "x.unwrap()  +  x.unwrap()"),
    );
    assert_eq!(
        fingerprints(&project),
        before,
        "whitespace changes keep fingerprints"
    );
}

#[test]
fn explain_and_rules_describe_the_codex() {
    let project = Project::new();
    let out = project.run(&["explain", "CX0001"]);
    assert_eq!(out.code, 0);
    for expected in [
        "CX0001 unwrap-outside-tests",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "method calls .unwrap(), .unwrap_err()",
        "Incident 2025-11-18-bot-management-feature-file",
        "200 features",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing {expected}:\n{}",
            out.stdout
        );
    }
    assert_eq!(project.run(&["explain", "unwrap-outside-tests"]).code, 0);
    let unknown = project.run(&["explain", "CX7777"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule `CX7777`"));

    let table = project.run(&["rules"]);
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.starts_with("CX0003") && l.contains("panic-outside-tests"))
    );
    let json: serde_json::Value =
        serde_json::from_str(&project.run(&["rules", "--format", "json"]).stdout).unwrap();
    let ids: Vec<&str> = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "CX0001", "CX0002", "CX0003", "CX0004", "CX0005", "CX0006", "CX9000", "CX9001",
            "CX9002", "CX9003", "CX9004", "CX9005", "CX9006", "CX9007"
        ]
    );
    assert_eq!(
        json["incidents"][0]["id"],
        "2025-11-18-bot-management-feature-file"
    );
}

#[test]
fn output_is_deterministic_across_parallel_runs() {
    let project = Project::new();
    for i in 0..40 {
        project.file(
            &format!("src/m{i}.rs"),
            "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n",
        );
    }
    let first = project.run(&["check", "--format", "json"]).stdout;
    for _ in 0..3 {
        assert_eq!(project.run(&["check", "--format", "json"]).stdout, first);
    }
}

#[test]
fn run_from_a_subfolder_checks_that_folder() {
    let project = Project::new();
    project
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("a/src/lib.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n")
        .file("b/src/lib.rs", "pub fn g() -> u8 { Some(1).unwrap() }\n");
    // The terminal shows paths from the subfolder (issue 10), machine formats from the root.
    let out = common::run_in(&project.path().join("a"), &["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:1:28 CX0001"],
        "{}",
        out.stdout
    );
    let out = common::run_in(&project.path().join("a"), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["path"], "a/src/lib.rs");
    assert_eq!(json["summary"]["diagnostics"], 1);
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout).len(), 2);
}

#[test]
fn shards_split_the_files_deterministically_and_completely() {
    let project = Project::new();
    for i in 0..10 {
        project.file(
            &format!("src/m{i}.rs"),
            "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n",
        );
    }
    let mut all: Vec<String> = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = project.run(&["check", "--format", "concise", "--shard", &shard]);
        let found = heads(&out.stdout);
        assert!((3..=4).contains(&found.len()), "{shard}: {found:?}");
        assert_eq!(
            project
                .run(&["check", "--format", "concise", "--shard", &shard])
                .stdout,
            out.stdout
        );
        all.extend(found);
    }
    all.sort();
    assert_eq!(all.len(), 10);
    all.dedup();
    assert_eq!(all.len(), 10, "no file is in two shards");
    let bad = project.run(&["check", "--shard", "4/3"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is not a shard"));
}

#[test]
fn fixes_are_suggested_and_applied_only_when_asked() {
    let project = Project::new();
    let before = "pub fn load(text: &str) -> Result<u32, std::num::ParseIntError> {\n    let n: u32 = text.parse().unwrap();\n    let m = text\n        .len()\n        .checked_add(1)\n        .expect(\"fits\");\n    Ok(n + m as u32)\n}\n\npub fn plain() -> u8 {\n    Some(1).unwrap()\n}\n";
    project.file("src/lib.rs", before);
    let json: serde_json::Value =
        serde_json::from_str(&project.run(&["check", "--format", "json"]).stdout).unwrap();
    let fixes: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["fix"])
        .collect();
    assert_eq!(fixes[0]["applicability"], "unsafe");
    assert_eq!(fixes[0]["replacement"], "?");
    assert_eq!(
        (
            fixes[0]["line"].as_u64(),
            fixes[0]["column"].as_u64(),
            fixes[0]["end_column"].as_u64()
        ),
        (Some(2), Some(30), Some(39))
    );
    assert!(
        fixes[2].is_null(),
        "no `?` in a function that returns neither Result nor Option"
    );

    let safe_only = project.run(&["check", "--fix"]);
    assert!(
        safe_only.stderr.contains("applied 0 fixes in 0 files"),
        "{}",
        safe_only.stderr
    );
    assert_eq!(
        std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap(),
        before
    );

    let out = project.run(&["check", "--fix", "--unsafe-fixes", "--format", "concise"]);
    assert!(
        out.stderr.contains("applied 2 fixes in 1 file"),
        "{}",
        out.stderr
    );
    let after = std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    assert!(
        after.contains("let n: u32 = text.parse()?;")
            && after.contains("        .checked_add(1)?;\n    Ok("),
        "{after}"
    );
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:10:13 CX0001"],
        "what remains is reported: {}",
        out.stdout
    );
    assert_eq!(out.code, 1);
}
