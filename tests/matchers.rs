//! End to end: the `call` and `index` matcher kinds and `enforce_paths`, through a project's
//! own rule files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fmt::Write as _;

use common::{Project, heads};

const DOC: &str = "doc = \"## What it does\\nx\\n## Why is this bad?\\ny\\n## Example\\nz\"\n";

/// A rule file: `stage = "enforce"` unless `extra` gives the stage.
fn rule(id: &str, extra: &str, matcher: &str) -> String {
    let stage = if extra.contains("stage =") {
        ""
    } else {
        "stage = \"enforce\"\n"
    };
    format!(
        "id = \"{id}\"\ntitle = \"t\"\nseverity = \"error\"\n{stage}references = [\"https://example.com/rule\"]\nmessage = \"m\"\n{extra}{DOC}\n[match]\n{matcher}\n"
    )
}

#[test]
fn call_rules_resolve_aliases_groups_globs_and_macro_arguments() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n")
        .file(
            "codex-rules/process-exit.toml",
            &rule("ACME0001", "", "call = [\"std::process::exit\", \"serde_json::from_*\"]"),
        )
        .file(
            "src/lib.rs",
            "use std::process::exit as quit;\nuse std::{fs, process::{self}};\nuse serde_json as json;\n\npub fn a() { quit(1); }\npub fn b() { process::exit(2); }\npub fn c() { std::process::exit(3); }\npub fn d() { ::std::process::exit(4); }\npub fn e() -> u8 { json::from_str(\"1\").unwrap_or(0) }\npub fn f() { let _ = serde_json::from_slice::<u8>(b\"1\"); serde_json::to_string(&1); }\npub fn g() { println!(\"{:?}\", quit(5)); }\npub fn h() { my_macro!(x => quit(6)); }\npub fn i() { let _ = || quit(7); fs::read(\"x\"); exit(8); }\n",
        )
        .file("src/glob.rs", "use std::process::*;\npub fn j() { exit(9); }\n")
        .file("src/other.rs", "pub fn exit(code: i32) -> i32 { code }\npub fn k() { exit(10); }\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/glob.rs:2:14 ACME0001",
            "src/lib.rs:5:14 ACME0001",
            "src/lib.rs:6:23 ACME0001",
            "src/lib.rs:7:28 ACME0001",
            "src/lib.rs:8:30 ACME0001",
            "src/lib.rs:9:26 ACME0001",
            "src/lib.rs:10:34 ACME0001",
            "src/lib.rs:11:31 ACME0001",
            "src/lib.rs:12:29 ACME0001",
            "src/lib.rs:13:25 ACME0001",
        ],
        "{}",
        out.stdout
    );
}

#[test]
fn index_rules_and_enforce_paths() {
    let project = Project::new();
    project
        .file(
            "codex.toml",
            "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n",
        )
        .file(
            "codex-rules/map-lookup.toml",
            &rule(
                "ACME0002",
                "enforce_paths = [\"src/core/**\"]\n",
                "index = { key = \"reference\" }",
            ),
        )
        .file(
            "src/core/a.rs",
            "pub fn a(m: &M, k: K) -> u8 { m[&k] + v[0] }\n",
        )
        .file("src/edge/b.rs", "pub fn b(m: &M, k: K) -> u8 { m[&k] }\n");
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let found: Vec<(String, String, u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["stage"].as_str().unwrap().to_owned(),
                d["column"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("src/core/a.rs".to_owned(), "enforce".to_owned(), 32, 36),
            ("src/edge/b.rs".to_owned(), "warn".to_owned(), 32, 36),
        ]
    );
    assert_eq!(out.code, 1);
    project.file(
        "src/core/a.rs",
        "pub fn a(m: &M) -> u8 { m.get(&1).copied().unwrap_or(0) }\n",
    );
    assert_eq!(
        project.run(&["check"]).code,
        0,
        "warn elsewhere does not fail the run"
    );
}

/// Issue 10: `enforce_paths` in `codex.toml` narrows a default rule without editing it, and
/// one that cannot act (the rule is not enforced) is a located warning, in codex.toml or in
/// a rule file, that does not stop the run.
#[test]
fn enforce_paths_in_codex_toml_and_a_warning_when_it_cannot_act() {
    let project = Project::new();
    project
        .file(
            "codex.toml",
            "[rules.CX0001]
enforce_paths = [\"src/core/**\"]
",
        )
        .file(
            "src/core/a.rs",
            "pub fn a(x: Option<u8>) -> u8 { x.unwrap() }
",
        )
        .file(
            "src/edge/b.rs",
            "pub fn b(x: Option<u8>) -> u8 { x.unwrap() }
",
        );
    let stages = |out: &common::Output| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["path"].as_str().unwrap(),
                    d["stage"].as_str().unwrap()
                )
            })
            .collect()
    };
    let out = project.run(&["check", "--format", "json"]);
    assert_eq!(
        stages(&out),
        ["src/core/a.rs enforce", "src/edge/b.rs warn"]
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr, "",
        "an enforced rule's enforce_paths acts: no warning"
    );

    // On a warn-stage rule it would change nothing: said, located, and the run goes on.
    project.file(
        "codex.toml",
        "[rules.CX0001]\nstage = \"warn\"\nenforce_paths = [\"src/core/**\"]\n",
    );
    let out = project.run(&["check", "--format", "json"]);
    assert_eq!(stages(&out), ["src/core/a.rs warn", "src/edge/b.rs warn"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.starts_with(
            "warning: codex.toml:3:17: `enforce_paths` of CX0001 has no effect: the rule's stage is `warn`"
        ),
        "{}",
        out.stderr
    );

    // The same in a rule file.
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\n")
        .file(
            "codex-rules/map-lookup.toml",
            &rule(
                "ACME0002",
                "stage = \"shadow\"\nenforce_paths = [\"src/core/**\"]\n",
                "index = { key = \"reference\" }",
            ),
        );
    let out = project.run(&["check", "--format", "json"]);
    assert!(
        out.stderr.contains(
            "warning: codex-rules/map-lookup.toml:7:18: `enforce_paths` of ACME0002 has no effect: the rule's stage is `shadow`"
        ),
        "{}",
        out.stderr
    );

    // A bad glob is a located error, as elsewhere in codex.toml.
    project.file(
        "codex.toml",
        "[rules.CX0001]\nenforce_paths = [\"src/[**\"]\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("codex.toml:2:18: invalid glob `src/[**`"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_call_paths_and_index_keys_are_located() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\n")
        .file("src/lib.rs", "")
        .file(
            "codex-rules/bad-call.toml",
            &rule("ACME0003", "", "call = [\"std::process::*\"]"),
        )
        .file(
            "codex-rules/bad-key.toml",
            &rule("ACME0004", "", "index = { key = \"value\" }"),
        );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad-call.toml:10:9: invalid call path `std::process::*`: the last segment must name the function"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("bad-key.toml:10:17: unknown index key `value`"),
        "{}",
        out.stderr
    );
}

#[test]
fn pattern_rules_match_structurally_with_metavariables() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n")
        .file("codex-rules/lock-unwrap.toml", &rule("ACME0010", "", "pattern = \"$X.lock().unwrap()\""))
        .file("codex-rules/forget.toml", &rule("ACME0011", "", "pattern = \"std::mem::forget($X)\""))
        .file("codex-rules/truncating-cast.toml", &rule("ACME0012", "", "pattern = \"$A as u8\""))
        .file("codex-rules/same-receiver.toml", &rule("ACME0013", "", "pattern = \"$X.max($X)\""))
        .file("codex-rules/dbg-any.toml", &rule("ACME0014", "", "pattern = \"dbg!($...ARGS)\""))
        .file(
            "src/lib.rs",
            "use std::mem::forget;\nuse std::mem as memory;\npub fn f(s: &S, n: u32) -> u8 {\n    let a = s.state.lock().unwrap().len();\n    let b = s.state.read().unwrap();\n    forget(a);\n    memory::forget(b);\n    let c = (n + 1) as u8;\n    let d = n as u16;\n    let e = n.max(n) + n.max(1);\n    println!(\"{}\", s.m.lock().unwrap());\n    dbg!(a, b);\n    c\n}\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:4:28 ACME0010",
            "src/lib.rs:6:5 ACME0011",
            "src/lib.rs:7:13 ACME0011",
            "src/lib.rs:8:21 ACME0012",
            "src/lib.rs:10:15 ACME0013",
            "src/lib.rs:11:31 ACME0010",
            "src/lib.rs:12:5 ACME0014",
        ],
        "{}",
        out.stdout
    );
    project.file(
        "codex-rules/broken.toml",
        &rule("ACME0015", "", "pattern = \"$X.lock(.unwrap()\""),
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("broken.toml:10:19: pattern does not parse as a Rust expression"),
        "{}",
        out.stderr
    );
}

#[test]
fn validate_findings_carry_the_first_use_in_json() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn load(bytes: &[u8]) -> Result<usize, Error> {\n    let features: Features = serde_json::from_slice(bytes)?;\n    let n = features.entries.len();\n    validate(&features)?;\n    Ok(n)\n}\n",
    );
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "CX0004");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(42))
    );
    assert_eq!(
        d["related"],
        serde_json::json!([{"line": 3, "column": 13, "message": "first used here, before any validation"}])
    );
}

#[test]
fn rules_narrow_by_enclosing_function() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n")
        .file(
            "codex-rules/lock-in-handlers.toml",
            &rule("ACME0020", "", "method = [\"lock\"]\ninside_fn = [\"handle_*\", \"*::Api::*\"]\nnot_inside_fn = [\"handle_admin\"]"),
        )
        .file(
            "src/api.rs",
            "pub fn handle_get(m: &M) { m.lock(); }\npub fn handle_admin(m: &M) { m.lock(); }\npub fn startup(m: &M) { m.lock(); }\npub struct Api;\nimpl Api {\n    pub fn serve(&self, m: &M) { m.lock(); }\n}\nconst X: u8 = { m.lock(); 1 };\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/api.rs:1:30 ACME0020", "src/api.rs:6:36 ACME0020"],
        "{}",
        out.stdout
    );
}

/// Issue 7 (red team): thousands of glob imports times thousands of bare calls cost
/// globs x calls when every glob is a candidate for every call. Only globs a rule can match
/// through are kept: resolution stays linear and finds the same calls.
#[test]
fn i7_many_glob_imports_resolve_only_through_the_relevant_ones() {
    let project = Project::new();
    let (mut globs, mut calls) = (String::new(), String::new());
    for i in 0..3_000 {
        writeln!(globs, "use m{i}::*;").unwrap();
        write!(calls, "g{i}(); ").unwrap();
    }
    project
        .file(
            "codex.toml",
            "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n",
        )
        .file(
            "codex-rules/process-exit.toml",
            &rule(
                "ACME0001",
                "",
                "call = [\"std::process::exit\", \"*::serve\"]",
            ),
        )
        .file(
            "src/lib.rs",
            &format!(
                "{globs}use std::process::*;\n{globs}pub fn f() {{ {calls}exit(1); serve(2); }}\n"
            ),
        );
    let out = project.run(&["check", "--format", "concise"]);
    let heads = heads(&out.stdout);
    assert_eq!(heads.len(), 2, "{}", out.stdout);
    assert!(
        heads
            .iter()
            .all(|h| h.starts_with("src/lib.rs:6002:") && h.ends_with("ACME0001"))
    );
}

#[test]
fn before_rules_match_methods_of_imported_types_once_per_statement() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n")
        .file(
            "codex-rules/start.toml",
            &rule(
                "ACME0030",
                "",
                "before = { trigger = [\"acme::server::Server.start\", \"acme::listen\"], required = [\"check\"] }",
            ),
        )
        .file(
            "src/a.rs",
            "use acme::server::Server as Front;\nuse acme::*;\npub fn a(s: Front) { s.start(); }\npub fn b(s: Front) { check(); s.start(); }\npub fn c() { listen(1).start(); }\npub fn d() { join(listen(1), listen(2)); }\n",
        )
        .file("src/b.rs", "pub fn e(pool: Pool) { pool.start(); }\n")
        .file(
            "codex-rules/bad.toml",
            &rule("ACME0031", "", "call = [\"acme::Server.start\"]"),
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("bad.toml:10:9: `acme::Server.start` names a method of a type"),
        "{}",
        out.stderr
    );
    std::fs::remove_file(project.path().join("codex-rules/bad.toml")).unwrap();
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/a.rs:3:24 ACME0030",
            "src/a.rs:5:24 ACME0030",
            "src/a.rs:6:19 ACME0030",
        ],
        "{}",
        out.stdout
    );
}

#[test]
fn validate_findings_know_their_statement() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub async fn load(client: &Client) -> Result<u32, Error> {\n    // codex:allow(CX0004) the config service signs what it serves\n    let config: Config = client\n        .get(URL)\n        .send()\n        .await?\n        .json()\n        .await?;\n    Ok(config.port)\n}\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.starts_with("No findings"), "{}", out.stdout);
}
