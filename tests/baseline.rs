//! End to end: a baseline hides legacy findings, survives unrelated edits, reports what no
//! longer occurs, and is a sorted file that diffs well.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Project, heads};

const LEGACY: &str = "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n\npub fn b(x: Option<u8>) -> u8 {\n    x.expect(\"b\")\n}\n";

#[test]
fn a_baseline_hides_legacy_findings_and_only_new_ones_fail() {
    let project = Project::new();
    project.file("src/lib.rs", LEGACY);
    let out = project.run(&["check", "--write-baseline", "codex-baseline.json"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .contains("wrote 2 findings to the baseline codex-baseline.json"),
        "{}",
        out.stderr
    );
    let text = std::fs::read_to_string(project.path().join("codex-baseline.json")).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["schema"], "cargo-codex/baseline/v1");
    let rules: Vec<&str> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["CX0001", "CX0002"],
        "sorted by path, rule, fingerprint"
    );

    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "--baseline",
        "codex-baseline.json",
    ]);
    assert_eq!(heads(&out.stdout), Vec::<String>::new());
    assert_eq!(out.code, 0);

    // Lines added above move every finding; the baseline still matches them. A new finding fails.
    project.file(
        "src/lib.rs",
        &format!(
            "use std::fmt;\n\n{LEGACY}\npub fn c(x: Option<u8>) -> u8 {{\n    x.unwrap()\n}}\n"
        ),
    );
    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "--baseline",
        "codex-baseline.json",
    ]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:12:7 CX0001"],
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);

    // Fixing a legacy finding makes its entry stale, and the run says so.
    project.file(
        "src/lib.rs",
        &LEGACY.replace("x.expect(\"b\")", "x.unwrap_or(0)"),
    );
    let out = project.run(&["check", "--baseline", "codex-baseline.json"]);
    assert!(
        out.stdout
            .contains("The baseline hid 1 finding and has 1 stale entry"),
        "{}",
        out.stdout
    );
    let json = project.run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        "codex-baseline.json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["summary"]["baselined"], 1);
    assert_eq!(json["summary"]["baseline_stale"], 1);
}

#[test]
fn a_missing_or_invalid_baseline_is_a_usage_error() {
    let project = Project::new();
    project
        .file("src/lib.rs", LEGACY)
        .file("bad.json", "{\"not\": \"a baseline\"}");
    let out = project.run(&["check", "--baseline", "missing.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot access baseline missing.json"),
        "{}",
        out.stderr
    );
    let out = project.run(&["check", "--baseline", "bad.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("bad.json is not a cargo-codex baseline"),
        "{}",
        out.stderr
    );
}
