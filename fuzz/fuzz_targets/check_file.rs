//! One source file, beside a file with a known finding, through the whole check, every output
//! format and the fix re-parse. Suppression comments (`// codex:allow(...)`) reach the
//! crate-private suppression parser through here; `fuzz/codex.dict` seeds them.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use cargo_codex::codex::load::load;
use cargo_codex::codex::{Codex, Overrides, Sources};
use cargo_codex::diagnostic::Fix;
use cargo_codex::engine::{self, Inputs};
use cargo_codex::fix;
use cargo_codex::report::{self, Context, Format, RuleInfo};
use libfuzzer_sys::fuzz_target;

struct Setup {
    dir: tempfile::TempDir,
    codex: Codex,
    good: PathBuf,
    input: PathBuf,
}

/// The embedded Codex plus the test fixtures' `pattern` rule, loaded once.
fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let fixtures = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"));
        let dir = tempfile::tempdir().unwrap();
        let sources = Sources {
            embedded: true,
            rule_dirs: vec![fixtures.join("rules")],
            incident_dirs: vec![fixtures.join("codex")],
            root: dir.path().to_path_buf(),
            url_template: None,
        };
        let codex = load(&sources, &Overrides::default()).unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        let good = dir.path().join("src/good.rs");
        fs::write(&good, "pub fn f() -> u8 { Some(1).unwrap() }\n").unwrap();
        let input = dir.path().join("src/input.rs");
        Setup {
            dir,
            codex,
            good,
            input,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    fs::write(&setup.input, data).unwrap();
    let inputs = Inputs {
        root: setup.dir.path().to_path_buf(),
        files: vec![setup.good.clone(), setup.input.clone()],
        context: Vec::new(),
        walk_errors: Vec::new(),
        max_file_size: 1 << 20,
        ..Inputs::default()
    };
    let run = engine::check(&setup.codex, &inputs);
    assert!(
        run.diagnostics
            .iter()
            .any(|d| d.path == "src/good.rs" && d.rule == "CX0001"),
        "the neighbour's finding was lost: {:?}",
        run.diagnostics
    );
    for d in &run.diagnostics {
        assert!(
            !d.message.starts_with("internal error"),
            "the engine caught a panic: {}",
            d.message
        );
    }
    let context = Context {
        color: false,
        rules: setup.codex.rules().iter().map(RuleInfo::of).collect(),
        commit: None,
        suppressed: run.suppressed.clone(),
        ..Context::default()
    };
    for &format in Format::all() {
        let mut out = Vec::new();
        report::render(format, &mut out, &run.diagnostics, &run.summary, &context).unwrap();
        check_output(format, &out);
    }
    // `--fix` re-parses the fixed text on the calling thread.
    if let Ok(text) = std::str::from_utf8(data) {
        let fixes: Vec<&Fix> = run
            .diagnostics
            .iter()
            .filter(|d| d.path == "src/input.rs")
            .filter_map(|d| d.fix.as_ref())
            .collect();
        if !fixes.is_empty() {
            let _ = fix::fixed_text(text, &fixes);
        }
    }
});

/// What every format must keep whatever the source says.
fn check_output(format: Format, out: &[u8]) {
    match format {
        Format::Json | Format::Sarif | Format::Gitlab | Format::Rdjson => {
            serde_json::from_slice::<serde_json::Value>(out).unwrap();
        }
        Format::Rdjsonl => {
            for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                serde_json::from_slice::<serde_json::Value>(line).unwrap();
            }
        }
        // One workflow command per line: a source line or path cannot start another.
        Format::Github => {
            for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                assert!(line.starts_with(b"::"), "forged line in github output");
            }
        }
        // Nothing raw reaches a terminal: rustc shows control characters visibly.
        Format::Human | Format::Concise => {
            let text = String::from_utf8_lossy(out);
            let raw = text
                .chars()
                .find(|c| matches!(c, '\u{1b}' | '\u{7}' | '\r' | '\u{9b}'));
            assert!(raw.is_none(), "raw {raw:?} in {format:?} output");
        }
        Format::Markdown => {}
    }
}
