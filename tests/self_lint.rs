//! Dogfood: the tool's own code obeys the default Codex (no `.unwrap()`, `.expect()` or
//! `panic!` outside tests), as Clippy's `tests/dogfood.rs` checks Clippy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

#[test]
fn the_tool_obeys_its_own_codex() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = common::run_in(
        root,
        &[
            "check", "--format", "concise", "src", "build.rs", "tests", "examples",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("No findings in "), "{}", out.stdout);
}
