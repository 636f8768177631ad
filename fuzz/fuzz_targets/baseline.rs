//! One baseline file through the loader, then applied to real findings.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use cargo_codex::codex::load::load;
use cargo_codex::codex::{Overrides, Sources};
use cargo_codex::diagnostic::Diagnostic;
use cargo_codex::engine::{self, Inputs};
use cargo_codex::filter::baseline::Baseline;
use libfuzzer_sys::fuzz_target;

struct Setup {
    _dir: tempfile::TempDir,
    input: PathBuf,
    diagnostics: Vec<Diagnostic>,
}

/// Findings of the embedded Codex on a small file, made once.
fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        let file = dir.path().join("src/lib.rs");
        fs::write(
            &file,
            "pub fn f() -> u8 { Some(1).unwrap() }\npub fn g() -> u8 { Some(1).unwrap() }\npub fn h() { panic!(\"x\") }\n",
        )
        .unwrap();
        let sources = Sources {
            embedded: true,
            root: dir.path().to_path_buf(),
            ..Sources::default()
        };
        let codex = load(&sources, &Overrides::default()).unwrap();
        let inputs = Inputs {
            root: dir.path().to_path_buf(),
            files: vec![file],
            max_file_size: 1 << 20,
            ..Inputs::default()
        };
        let diagnostics = engine::check(&codex, &inputs).diagnostics;
        assert!(diagnostics.len() >= 3);
        Setup {
            input: dir.path().join("codex-baseline.json"),
            _dir: dir,
            diagnostics,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    fs::write(&setup.input, data).unwrap();
    let root = setup.input.parent().unwrap();
    let origin = cargo_codex::source::revision::Origin::WorkTree;
    if let Ok(baseline) = Baseline::load(&setup.input, root, &origin) {
        let mut diagnostics = setup.diagnostics.clone();
        let applied = baseline.apply(&mut diagnostics);
        assert_eq!(diagnostics.len() + applied.hidden, setup.diagnostics.len());
    }
});
