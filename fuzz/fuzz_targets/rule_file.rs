//! One rule file through the loader (parse, validate, compile its matcher, render its errors
//! with carets); a rule that loads is then run on a small source file.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use cargo_codex::codex::load::load;
use cargo_codex::codex::{Overrides, Sources};
use cargo_codex::engine::{self, Inputs};
use cargo_codex::report::error::render_load_errors;
use libfuzzer_sys::fuzz_target;

const SAMPLE: &str = r#"use std::sync::Mutex;
use serde_json::from_str as parse;

pub fn f(m: &Mutex<u8>, v: &[u8], s: &str) -> u8 {
    let x = m.lock().unwrap();
    let y: u8 = parse(s).expect("number");
    println!("{}", v[0] as i32 + i32::from(*x));
    std::process::exit(i32::from(y));
}
"#;

struct Setup {
    dir: tempfile::TempDir,
    sources: Sources,
    input: PathBuf,
    sample: PathBuf,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let fixtures = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"));
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules");
        fs::create_dir_all(&rules).unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        let sample = dir.path().join("src/lib.rs");
        fs::write(&sample, SAMPLE).unwrap();
        let sources = Sources {
            embedded: false,
            rule_dirs: vec![rules.clone()],
            incident_dirs: vec![fixtures.join("codex")],
            root: dir.path().to_path_buf(),
            url_template: Some("https://example.com/{path}#{id}-{name}".to_owned()),
        };
        Setup {
            dir,
            sources,
            input: rules.join("input.toml"),
            sample,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    fs::write(&setup.input, data).unwrap();
    match load(&setup.sources, &Overrides::default()) {
        Ok(codex) => {
            let inputs = Inputs {
                root: setup.dir.path().to_path_buf(),
                files: vec![setup.sample.clone()],
                max_file_size: 1 << 20,
                ..Inputs::default()
            };
            let _ = engine::check(&codex, &inputs);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            render_load_errors(&mut Vec::new(), &errors, false).unwrap();
        }
    }
});
