//! Dogfood: the tool's own code obeys the default Codex (no `.unwrap()`, `.expect()` or
//! `panic!` outside tests), as Clippy's `tests/dogfood.rs` checks Clippy. It runs the README's
//! `cargo codex check` as written, in this repository: its `codex.toml` keeps the rule
//! fixtures out, and the fuzz targets unwrap as tests do, under a clippy `allow`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

#[test]
fn the_tool_obeys_its_own_codex() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = common::run_in(
        root,
        &["codex", "check", "--format", "concise", "--no-cache"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("No findings in "), "{}", out.stdout);
}

/// The fuzz targets are checked too: they are production code as far as the Codex knows, and
/// opt out of CX0001-CX0003 as test files do, with clippy's `allow`.
#[test]
fn the_check_covers_the_fuzz_targets() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = common::run_in(
        root,
        &[
            "check",
            "--format",
            "json",
            "--no-cache",
            "fuzz/fuzz_targets",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        report["summary"]["files"].as_u64().unwrap() >= 6,
        "{report}"
    );
    assert_eq!(report["summary"]["diagnostics"], 0, "{report}");
}
