//! End to end: bad input gets a clear diagnostic naming the file and the reason, the run goes
//! on, and every other finding is still reported, in every format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Project, heads};

fn bad_tree() -> Project {
    let project = Project::new();
    project
        .file("src/good.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n")
        .bytes("src/latin1.rs", b"fn f() {}\n// caf\xe9\nfn g() { Some(1).unwrap(); }\n")
        .file("src/empty.rs", "")
        .file(
            "src/syntax.rs",
            "fn ok() -> u8 { Some(1).unwrap() }\nfn broken() { let = ; Some(2).unwrap() }\nfn fine() { Some(3).expect(\"x\"); }\n",
        )
        .file("src/unbalanced.rs", "fn f( { Some(1).unwrap() }\n")
        .file(
            "src/deep.rs",
            &format!("fn f() {{ Some(1).unwrap(); let y = {}1{}; }}\n", "(".repeat(100_000), ")".repeat(100_000)),
        )
        .file("src/chain.rs", &format!("fn g() -> u32 {{ Some(1).unwrap() + {} }}\n", vec!["1"; 2_000].join(" + ")))
        .file("src/longchain.rs", &format!("fn g() -> u32 {{ Some(1).unwrap() + {} }}\n", vec!["1"; 50_000].join(" + ")))
        .file("src/notrust.rs", "this is ' not \" rust unwrap\n");
    std::os::unix::fs::symlink("missing.rs", project.path().join("src/broken.rs")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(project.path().join("src/pipe.rs"))
        .status();
    assert!(fifo.is_ok_and(|status| status.success()));
    project
}

#[test]
fn every_bad_file_is_reported_and_the_run_goes_on() {
    let project = bad_tree();
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/broken.rs:1:1 CX9000",
            "src/chain.rs:1:25 CX0001",
            "src/deep.rs:1:1 CX9001",
            "src/empty.rs:1:1 CX9002",
            "src/good.rs:1:28 CX0001",
            "src/latin1.rs:2:7 CX9000",
            "src/longchain.rs:1:1 CX9001",
            "src/notrust.rs:1:1 CX9001",
            "src/pipe.rs:1:1 CX9000",
            "src/syntax.rs:1:25 CX0001",
            "src/syntax.rs:2:1 CX9001",
            "src/syntax.rs:3:21 CX0002",
            "src/unbalanced.rs:1:1 CX9001",
        ],
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("broken symbolic link"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("not valid UTF-8"));
    assert!(out.stdout.contains("not a regular file"));
    assert!(out.stdout.contains("more than 256 levels deep"));
    assert!(
        out.stdout
            .contains("8 files could not be read or parsed in full")
    );
    assert_eq!(out.code, 1);
}

#[test]
fn bad_files_appear_in_json_and_human_output_too() {
    let project = bad_tree();
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["summary"]["unparsed"], 8);
    assert_eq!(json["summary"]["files"], 11);
    let reasons: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "CX9000")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3);
    let human = project.run(&["check", "--color", "never"]);
    assert!(
        human
            .stdout
            .contains("[CX9000] Error: source file that cannot be read"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("╭─[ src/broken.rs:1:1 ]"));
}

#[test]
fn files_over_the_size_limit_are_reported_not_read() {
    let project = Project::new();
    let line = "pub fn f() -> u8 { 1 }\n";
    project
        .file("src/huge.rs", &line.repeat(40 * 1024 * 1024 / line.len()))
        .file("src/ok.rs", "fn g() { Some(1).unwrap(); }\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/huge.rs:1:1 CX9000", "src/ok.rs:1:18 CX0001"]
    );
    assert!(out.stdout.contains("over the 33554432-byte limit"));

    // The limit is configurable: a 2 MB file is read by default and refused under a 1 MB limit.
    let project = Project::new();
    project.file(
        "src/big.rs",
        &format!(
            "{}fn g() {{ Some(1).unwrap(); }}\n",
            line.repeat(2_000_000 / line.len())
        ),
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/big.rs:86957:18 CX0001"],
        "{}",
        out.stdout
    );
    project.file("codex.toml", "max_file_size = 1_000_000\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), ["src/big.rs:1:1 CX9000"]);
}

#[test]
fn a_byte_order_mark_and_a_shebang_keep_positions() {
    let project = Project::new();
    project.file(
        "src/main.rs",
        "\u{feff}#!/usr/bin/env run-cargo-script\nfn main() { Some(1).unwrap(); }\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), ["src/main.rs:2:21 CX0001"]);
}
