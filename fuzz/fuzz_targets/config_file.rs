//! One `codex.toml` through discovery, validation and merging with flags; settings that
//! resolve are then used to load the Codex, and errors are rendered with carets.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cargo_codex::codex::load::load;
use cargo_codex::config::{self, Flags};
use cargo_codex::report::error::render_load_errors;
use libfuzzer_sys::fuzz_target;

struct Setup {
    dir: tempfile::TempDir,
    root: PathBuf,
}

/// A project with a `codex-rules/` folder (the fixtures' rules) and a `codex/` folder (their
/// incident), which the input may name.
fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let fixtures = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"));
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        copy(&fixtures.join("rules"), &root.join("codex-rules"));
        copy(&fixtures.join("codex"), &root.join("codex"));
        fs::create_dir_all(root.join("src")).unwrap();
        Setup { dir, root }
    })
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Whether `dir` is inside the project: a fuzzed `rule_dirs = ["/"]` would walk the whole
/// machine (issue 7 section 3 makes such paths an error).
fn inside(root: &Path, dir: &Path) -> bool {
    dir.canonicalize().is_ok_and(|dir| dir.starts_with(root))
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let _ = &setup.dir;
    let root = &setup.root;
    fs::write(root.join("codex.toml"), data).unwrap();
    let flags = Flags {
        start: Some(root.clone()),
        ..Flags::default()
    };
    match config::resolve(&flags, root) {
        Ok(settings) => {
            let sources = &settings.sources;
            let mut dirs = sources.rule_dirs.iter().chain(&sources.incident_dirs);
            if dirs.all(|dir| inside(root, dir))
                && let Err(errors) = load(sources, &settings.overrides)
            {
                render_load_errors(&mut Vec::new(), &errors, false).unwrap();
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            render_load_errors(&mut Vec::new(), &errors, false).unwrap();
        }
    }
});
