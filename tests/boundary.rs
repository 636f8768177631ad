//! The project root is a boundary (issue 7, section 3): nothing outside it reaches the output
//! through a link, paths in codex.toml stay inside it, loaders read only bounded regular files
//! and never hang, and writes never go through a link. Every run is bounded by a deadline, so a
//! hang fails the test instead of blocking the suite.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Output, Project, binary, git};

/// A string that must never appear in any output: it only exists outside the project.
const SECRET: &str = "TOKEN-0f9e8d7c-must-not-leak";

/// Runs `cargo-codex ARGS` in `dir` with `SECRET` in its environment, killed after 20 s.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("CODEX_TEST_SECRET", SECRET)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`cargo-codex {}` did not finish in 20 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        code: status.code().unwrap_or(-1),
    }
}

/// A folder outside the project holding the secret, as `.rs` and `.toml` files.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("// {SECRET}\npub fn f() {{ Some(1).unwrap(); }}\n");
    std::fs::write(dir.path().join("secret.rs"), &text).unwrap();
    let rule = format!("id = \"CX0500\"\ntitle = \"{SECRET}\"\n");
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/leak.toml"), &rule).unwrap();
    std::fs::write(dir.path().join("leak.toml"), &rule).unwrap();
    dir
}

fn assert_no_secret(out: &Output, what: &str) {
    assert!(
        !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
        "{what} printed the secret:\n{}\n{}",
        out.stdout,
        out.stderr
    );
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn a_link_out_of_the_project_is_reported_without_its_content_in_every_format() {
    let secret = outside();
    let project = Project::new();
    project.file("src/lib.rs", "pub mod notes;\npub mod env;\npub mod ok;\n");
    project.file("src/real.rs", "pub fn g() { Some(2).unwrap(); }\n");
    symlink(
        secret.path().join("secret.rs"),
        project.path().join("src/notes.rs"),
    )
    .unwrap();
    symlink("/proc/self/environ", project.path().join("src/env.rs")).unwrap();
    // A link that stays inside the project keeps working.
    symlink("real.rs", project.path().join("src/ok.rs")).unwrap();
    for format in [
        "human", "concise", "json", "sarif", "markdown", "github", "gitlab", "rdjson",
    ] {
        let out = run(
            project.path(),
            &["check", "--format", format, "--color", "never"],
        );
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert_no_secret(&out, format);
        assert!(
            out.stdout.contains("points outside the project, not read"),
            "{format}: {}",
            out.stdout
        );
    }
    let out = run(project.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["snippet"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let outside_rule = |path: &str| (path.to_owned(), "CX9000".to_owned(), String::new());
    assert!(found.contains(&outside_rule("src/env.rs")), "{found:?}");
    assert!(found.contains(&outside_rule("src/notes.rs")), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(path, rule, _)| path == "src/ok.rs" && rule == "CX0001"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(path, rule, _)| path == "src/real.rs" && rule == "CX0001"),
        "{found:?}"
    );
}

#[test]
fn a_link_out_is_refused_when_named_or_taken_from_a_diff() {
    let secret = outside();
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() {}\n");
    assert!(
        git(&project, &["init", "-q", "-b", "main"])
            .status
            .success()
    );
    git(&project, &["add", "-A"]);
    assert!(
        git(&project, &["commit", "-q", "-m", "base"])
            .status
            .success()
    );
    symlink(
        secret.path().join("secret.rs"),
        project.path().join("src/notes.rs"),
    )
    .unwrap();
    symlink(secret.path(), project.path().join("linked")).unwrap();
    git(&project, &["add", "-A"]);
    assert!(
        git(&project, &["commit", "-q", "-m", "mr"])
            .status
            .success()
    );
    for args in [
        &["check", "--diff", "main~1", "--format", "markdown"][..],
        &["check", "src/notes.rs", "--format", "json"],
        &["check", "linked", "--format", "json"],
        &["check", "linked/secret.rs", "--format", "json"],
        &["check", "src/../linked/secret.rs", "--format", "json"],
    ] {
        let out = run(project.path(), args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert_no_secret(&out, &args.join(" "));
        assert!(
            out.stdout.contains("points outside the project, not read"),
            "{args:?}: {}",
            out.stdout
        );
    }
    // A file the operator names outside the project is theirs to check.
    let named = secret.path().join("secret.rs");
    let out = run(project.path(), &["check", named.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("CX0001"), "{}", out.stdout);
}

#[test]
fn fix_never_writes_through_a_link() {
    let secret = outside();
    let before = std::fs::read_to_string(secret.path().join("secret.rs")).unwrap();
    let project = Project::new();
    let body = "pub fn f() -> Option<u8> { Some(1).unwrap(); None }\n";
    project.file(
        "src/lib.rs",
        "pub mod inner;\npub mod notes;\npub mod alias;\n",
    );
    // Not a `.rs` file, so only reached through the link.
    project.file("real/inner.txt", body);
    symlink(
        secret.path().join("secret.rs"),
        project.path().join("src/notes.rs"),
    )
    .unwrap();
    symlink("../real/inner.txt", project.path().join("src/alias.rs")).unwrap();
    project.file("src/inner.rs", body);
    let out = run(project.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_no_secret(&out, "--fix");
    assert_eq!(
        std::fs::read_to_string(secret.path().join("secret.rs")).unwrap(),
        before
    );
    // The link inside the project is checked but not written through; its target is unchanged.
    assert!(
        out.stderr
            .contains("left src/alias.rs unchanged: it is a symbolic link"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(project.path().join("real/inner.txt")).unwrap(),
        body
    );
    assert!(
        std::fs::symlink_metadata(project.path().join("src/alias.rs"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // The regular file is fixed.
    assert_eq!(
        std::fs::read_to_string(project.path().join("src/inner.rs")).unwrap(),
        "pub fn f() -> Option<u8> { Some(1)?; None }\n"
    );
}

#[test]
fn write_baseline_never_writes_through_a_link() {
    let secret = outside();
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() { Some(1).unwrap(); }\n");
    let target = secret.path().join("leak.toml");
    let before = std::fs::read_to_string(&target).unwrap();
    symlink(&target, project.path().join("codex-baseline.json")).unwrap();
    let out = run(
        project.path(),
        &["check", "--write-baseline", "codex-baseline.json"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "codex-baseline.json is a symbolic link; cargo-codex does not write through links"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before);
    // Written to a real file, the baseline replaces it whole.
    let out = run(project.path(), &["check", "--write-baseline", "real.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(project.path(), &["check", "--baseline", "real.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn codex_toml_paths_must_stay_inside_the_project() {
    let secret = outside();
    let project_parent = tempfile::tempdir().unwrap();
    let root = project_parent.path().join("project");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
    // `../x` from the project, with rule files holding the secret.
    std::fs::create_dir(project_parent.path().join("x")).unwrap();
    std::fs::copy(
        secret.path().join("leak.toml"),
        project_parent.path().join("x/leak.toml"),
    )
    .unwrap();
    symlink(secret.path().join("rules"), root.join("linked-rules")).unwrap();
    let absolute = secret.path().join("rules");
    let cases = [
        ("rule_dirs = [\"../x\"]\n", 14, "leads outside the project"),
        (
            "incident_dirs = [\"rules/../../x\"]\n",
            18,
            "leads outside the project",
        ),
        (
            &format!("rule_dirs = [\"{}\"]\n", absolute.display()),
            14,
            "is an absolute path",
        ),
        (
            "rule_dirs = [\"linked-rules\"]\n",
            14,
            "resolves outside the project through a symbolic link",
        ),
        (
            "baseline = \"../x/leak.toml\"\n",
            12,
            "leads outside the project",
        ),
    ];
    for (config, column, message) in cases {
        std::fs::write(root.join("codex.toml"), config).unwrap();
        let out = run(&root, &["check"]);
        assert_eq!(out.code, 2, "{config}: {}", out.stderr);
        assert_no_secret(&out, config);
        let head = format!("codex.toml:1:{column}: ");
        assert!(
            out.stderr.contains(&head) && out.stderr.contains(message),
            "{config}: {}",
            out.stderr
        );
    }
    // A folder inside the project, named the long way round, is fine.
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(root.join("codex.toml"), "rule_dirs = [\"src/../rules\"]\n").unwrap();
    let out = run(&root, &["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // On the command line, the operator may name a folder anywhere.
    std::fs::remove_file(root.join("codex.toml")).unwrap();
    let out = run(&root, &["check", "--rule-dir", "../x"]);
    assert_eq!(
        out.code, 2,
        "the outside rule file is incomplete: {}",
        out.stderr
    );
    assert!(out.stderr.contains("leak.toml"), "{}", out.stderr);
}

#[test]
fn rule_files_that_are_not_regular_files_fail_at_once() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() {}\n")
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file("rules/.keep", "");
    let rules = project.path().join("rules");
    // Two links to `.`: following them would walk 2^40 paths.
    symlink(".", rules.join("a")).unwrap();
    symlink(".", rules.join("b")).unwrap();
    let out = run(project.path(), &["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    symlink("/dev/zero", rules.join("zero.toml")).unwrap();
    mkfifo(&rules.join("fifo.toml"));
    let out = run(project.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("rules/zero.toml: points outside the project, not read"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("rules/fifo.toml: not a regular file"),
        "{}",
        out.stderr
    );

    // From a folder the operator names outside the project, a device is still refused.
    let elsewhere = tempfile::tempdir().unwrap();
    symlink("/dev/zero", elsewhere.path().join("zero.toml")).unwrap();
    mkfifo(&elsewhere.path().join("fifo.toml"));
    std::fs::remove_file(project.path().join("codex.toml")).unwrap();
    let out = run(
        project.path(),
        &["check", "--rule-dir", elsewhere.path().to_str().unwrap()],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("not a regular file").count(),
        2,
        "{}",
        out.stderr
    );
}

#[test]
fn oversized_or_special_codex_files_are_errors_not_hangs() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() { Some(1).unwrap(); }\n")
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file("rules/.keep", "");
    let big = format!(
        "id = \"CX0100\"\ndoc = \"\"\"{}\"\"\"\n",
        "x".repeat(2 << 20)
    );
    project.file("rules/big.toml", &big);
    let out = run(project.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("rules/big.toml") && out.stderr.contains("over the 1048576-byte limit"),
        "{}",
        out.stderr
    );
    std::fs::remove_file(project.path().join("rules/big.toml")).unwrap();

    // A baseline that is a FIFO or a link to /dev/zero.
    mkfifo(&project.path().join("fifo.json"));
    symlink("/dev/zero", project.path().join("zero.json")).unwrap();
    for (name, reason) in [
        ("fifo.json", "not a regular file"),
        ("zero.json", "points outside the project, not read"),
    ] {
        let out = run(project.path(), &["check", "--baseline", name]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains(reason), "{name}: {}", out.stderr);
    }

    // codex.toml itself as a FIFO.
    std::fs::remove_file(project.path().join("codex.toml")).unwrap();
    mkfifo(&project.path().join("codex.toml"));
    let out = run(project.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}

#[test]
fn a_codex_file_that_is_not_utf8_is_located_relative_to_the_root() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() {}\n")
        .bytes("codex.toml", b"rule_dirs = [\"rules\"]\n# caf\xe9\n")
        .file("rules/.keep", "");
    let out = run(&project.path().join("src"), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("codex.toml:2:6: not valid UTF-8"),
        "{}",
        out.stderr
    );
    std::fs::write(
        project.path().join("codex.toml"),
        "rule_dirs = [\"rules\"]\n",
    )
    .unwrap();
    project.bytes(
        "rules/bad-bytes.toml",
        b"id = \"CX0100\"\ntitle = \"\xff\"\n",
    );
    let out = run(project.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("rules/bad-bytes.toml:2:10: not valid UTF-8"),
        "{}",
        out.stderr
    );
}

/// A 2.7 KB file with a fixable `.unwrap()` and a 2,600-deep type: the fix re-parses the file
/// and must not overflow a stack.
#[test]
fn fixing_a_deeply_nested_file_does_not_abort() {
    let project = Project::new();
    let deep = format!("pub type T = {}u8;\n", "&".repeat(2_600));
    let text = format!("pub fn f() -> Option<u8> {{ Some(1).unwrap(); None }}\n{deep}");
    project.file("src/lib.rs", &text);
    let out = run(project.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(matches!(out.code, 0..=2), "{}: {}", out.code, out.stderr);
    // Only the edited item is re-parsed, so the deep one does not stop the fix.
    let fixed = text.replace(".unwrap()", "?");
    let read = || std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    assert_eq!(read(), fixed, "{}", out.stderr);
    let generic = format!(
        "pub fn f() -> Option<u8> {{ Some(1).unwrap(); None }}\npub type T = {}u8{};\n",
        "Vec<".repeat(2_600),
        ">".repeat(2_600)
    );
    project.file("src/lib.rs", &generic);
    let out = run(project.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(matches!(out.code, 0..=2), "{}: {}", out.code, out.stderr);
    assert_eq!(read(), generic.replace(".unwrap()", "?"), "{}", out.stderr);
}
