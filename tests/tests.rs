//! The integration tests: one test crate whose modules are the files beside this one (as
//! ripgrep's `tests/tests.rs`), so the suite links once. Cargo builds no other test crate
//! (`autotests = false`): a new test file must be declared here, which
//! `every_test_file_is_a_module` checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// A temporary project to run the binary in, and git with a fixed identity.
mod common;

// Authoring rules: code prefixes and `new`, references, `test`'s harness, rule-file errors,
// explicitly named files.
mod author;
// Bad input: unreadable, unparsable, empty or huge files are reported, the run goes on.
mod bad_input;
// Baselines: legacy findings hidden, new ones reported.
mod baseline;
// The project root is a boundary nothing outside it crosses.
mod boundary;
// The result cache: same findings as without it, only edited files re-checked, never trusted
// when planted.
mod cache;
// Changed lines only, from git (`--diff`) or a diff file (`--changed-lines-from`).
mod changes;
// Exit codes, subcommands, suppressions, the JSON contract.
mod cli;
// Clippy interop: lint levels and `allow`s as clippy reads them.
mod clippy;
// The default Codex against its own fixtures, and its integrity.
mod codex;
// `--codex-from REV`: the Codex read as of the target branch.
mod codex_from;
// `codex.toml` layering, a project's own rules, located errors.
mod config;
// Issue 10's flags (--quiet, --exit-zero, --select, --output…), paths from a subfolder, and
// suppressions that expire.
mod flags;
// The ready-to-copy hooks (pre-commit) on real repositories.
mod hooks;
// Hostile input: no crash, no hang, no super-linear growth.
mod hostile;
// Output cannot be used for injection.
mod injection;
// The rule language: rule objects, patterns rooted anywhere, runs, fix templates, utils.
mod language;
// The `call` and `index` matchers and `enforce_paths`.
mod matchers;
// How findings are shown: stages, the terminal summary, the comment, SARIF suppressions.
mod report;
// The MCP server, driven over stdio as an AI client does.
mod mcp;
// The review brief of a merge request (`review --diff`), and review rules.
mod review;
// Machine formats against the official schemas.
mod schemas;
// The language server, driven over stdio as an editor does.
mod server;
// `--staged` reads the index: only what places the staged files is written out.
mod staged;
// Which code is test code, across the module tree.
mod scope;
// Dogfood: the tool's own code obeys the default Codex.
mod self_lint;
// Every output format on one fixed project (insta snapshots in `snapshots/`).
mod snapshots;

use std::fs;
use std::path::Path;

/// With `autotests = false`, a test file that is not a module here would never run.
#[test]
fn every_test_file_is_a_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = fs::read_to_string(dir.join("tests.rs")).unwrap();
    let mut missing = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let is_module = if path.is_dir() {
            path.join("mod.rs").is_file() || path.join("main.rs").is_file()
        } else {
            path.extension().is_some_and(|ext| ext == "rs") && stem != "tests"
        };
        if is_module && !root.contains(&format!("\nmod {stem};\n")) {
            missing.push(path.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "declare these in tests/tests.rs (`mod name;`), or they never run: {missing:?}"
    );
}
