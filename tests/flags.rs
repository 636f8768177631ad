//! End to end, issue 10: the flags people expect from ruff and clippy (`--quiet`, `--silent`,
//! `--exit-zero`, `--select` / `--ignore`, `--output-file`, `--output FORMAT=PATH`,
//! `--show-fixes`), paths shown from the working directory in terminal formats, and
//! suppressions that expire (`until = YYYY-MM-DD`, with `CARGO_CODEX_TODAY` as today).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use crate::common::{self, Output, Project, heads};

/// Runs `cargo-codex ARGS` in `dir` with `envs` set.
fn run_env(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let output = Command::new(common::binary())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CARGO_CODEX_TODAY")
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    Output::from(output)
}

/// A suppression with `until` holds through its day (UTC), then suppresses nothing: the finding
/// is back and the suppression is reported (CX9006, a warning: the finding's own stage fails
/// the run). A date that is not one suppresses nothing from the start.
#[test]
fn suppressions_expire_after_their_until_date() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    // codex:allow(CX0001, until = 2027-03-31) the loader validates x until v2 ships\n    x.unwrap()\n}\npub fn g(x: Option<u8>) -> u8 {\n    x.unwrap() // codex:allow(CX0001, until = 2027-02-30) a day that does not exist\n}\n",
    );
    let check = |today: &str| {
        run_env(
            project.path(),
            &["check", "--format", "concise"],
            &[("CARGO_CODEX_TODAY", today)],
        )
    };
    let on_the_day = check("2027-03-31");
    assert_eq!(
        heads(&on_the_day.stdout),
        ["src/lib.rs:6:7 CX0001", "src/lib.rs:6:16 CX9006"],
        "{}",
        on_the_day.stdout
    );
    assert!(
        on_the_day.stdout.contains(
            "`until = 2027-02-30` is not a date, so this suppression suppresses nothing: write `until = YYYY-MM-DD`"
        ),
        "{}",
        on_the_day.stdout
    );
    let after = check("2027-04-01");
    assert_eq!(
        heads(&after.stdout),
        [
            "src/lib.rs:2:5 CX9006",
            "src/lib.rs:3:7 CX0001",
            "src/lib.rs:6:7 CX0001",
            "src/lib.rs:6:16 CX9006",
        ],
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains(
            "suppression of CX0001 held until 2027-03-31 and has expired (today is 2027-04-01, UTC)"
        ),
        "{}",
        after.stdout
    );
    assert_eq!(after.code, 1);

    // Once the code is fixed, the expired comment alone is a warning, not a failure.
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    // codex:allow(CX0001, until = 2027-03-31) the loader validates x until v2 ships\n    x.unwrap_or(0)\n}\n",
    );
    let fixed = check("2027-04-01");
    assert_eq!(
        heads(&fixed.stdout),
        ["src/lib.rs:2:5 CX9006"],
        "{}",
        fixed.stdout
    );
    assert_eq!(fixed.code, 0);

    // Without the variable, today is the clock's: a date long past has expired.
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap() // codex:allow(CX0001, until = 2020-01-01) long gone\n}\n",
    );
    let out = run_env(project.path(), &["check", "--format", "concise"], &[]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:7 CX0001", "src/lib.rs:2:16 CX9006"],
        "{}",
        out.stdout
    );
    let bad = check("someday");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("CARGO_CODEX_TODAY=`someday` is not a date"),
        "{}",
        bad.stderr
    );
}

/// A project with an unwrap in `src/lib.rs` (fixable with `?`, unsafe), an expect in
/// `src/net/mod.rs`, and a suppressed CX0003.
fn project() -> Project {
    let project = Project::new();
    project
        // The project root is where codex.toml is (else the git repository).
        .file("codex.toml", "")
        .file(
            "src/lib.rs",
            "pub mod net;\npub fn f(x: Option<u8>) -> Option<u8> {\n    let v = x.unwrap();\n    Some(v)\n}\n",
        )
        .file(
            "src/net/mod.rs",
            "pub fn g(x: Option<u8>) -> u8 {\n    todo!() // codex:allow(CX0003) sketch, replaced before release\n}\npub fn h(x: Option<u8>) -> u8 { x.expect(\"x\") }\n",
        );
    project
}

/// ruff's `-q` (the findings, nothing else) and `-s` (nothing; the exit code says it all);
/// errors still reach stderr.
#[test]
fn quiet_prints_only_findings_and_silent_nothing() {
    let project = project();
    project.file(
        "codex.toml",
        "[rules.CX0005]\nenforce_paths = [\"src/**\"]\n",
    );
    let normal = project.run(&["check", "--format", "concise"]);
    assert!(
        normal.stdout.contains("Found 2 findings"),
        "{}",
        normal.stdout
    );
    assert!(
        normal.stderr.starts_with("warning: codex.toml:2:17"),
        "{}",
        normal.stderr
    );

    let quiet = project.run(&["check", "--format", "concise", "--quiet"]);
    assert_eq!(
        quiet.stdout.lines().collect::<Vec<_>>(),
        normal.stdout.lines().take(2).collect::<Vec<_>>(),
        "the findings without the summary"
    );
    assert_eq!(quiet.stderr, "", "no warning either");
    assert_eq!(quiet.code, 1);
    let human = project.run(&["check", "-q"]);
    assert!(human.stdout.contains("[CX0001] Error"), "{}", human.stdout);
    assert!(!human.stdout.contains("Found 2"), "{}", human.stdout);

    let silent = project.run(&["check", "-s"]);
    assert_eq!((silent.stdout.as_str(), silent.stderr.as_str()), ("", ""));
    assert_eq!(silent.code, 1);
    let failed = project.run(&["check", "-s", "--select", "CX42"]);
    assert_eq!(failed.code, 2);
    assert!(
        failed.stderr.contains("--select `CX42`"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        project.run(&["check", "-q", "-s"]).code,
        2,
        "one or the other"
    );
}

#[test]
fn exit_zero_reports_but_passes() {
    let project = project();
    let out = project.run(&["check", "--format", "concise", "--exit-zero"]);
    assert_eq!(out.code, 0);
    assert_eq!(heads(&out.stdout).len(), 2, "{}", out.stdout);
    project.file("codex.toml", "max_file_size = 0\n");
    assert_eq!(
        project.run(&["check", "--exit-zero"]).code,
        2,
        "a run that failed still says so"
    );
}

/// `--select` / `--ignore` take codes, names and code prefixes; the more specific wins; an
/// unknown selector is an error; the rules left out still run, so their suppressions are not
/// reported as unused, and what `--fix` writes is narrowed too.
#[test]
fn select_and_ignore_by_code_name_and_prefix() {
    let project = project();
    let run = |args: &[&str]| {
        let mut all = vec!["check", "--format", "concise"];
        all.extend(args);
        heads(&project.run(&all).stdout)
    };
    let lib = "src/lib.rs:3:15 CX0001";
    let net = "src/net/mod.rs:4:35 CX0002";
    assert_eq!(run(&[]), [lib, net]);
    assert_eq!(run(&["--select", "CX0001"]), [lib]);
    assert_eq!(run(&["--select", "expect-outside-tests"]), [net]);
    assert_eq!(run(&["--select", "CX00", "--ignore", "CX0002"]), [lib]);
    assert_eq!(
        run(&["--select", "CX0002", "--ignore", "CX00"]),
        [net],
        "a code beats a prefix"
    );
    assert_eq!(run(&["--ignore", "CX0001,unwrap-outside-tests"]), [net]);
    // CX0003 is ignored, yet its suppression is used: no CX9005.
    assert_eq!(run(&["--ignore", "CX0003"]), [lib, net]);

    let unknown = project.run(&["check", "--ignore", "CX0001", "--select", "no-such-rule"]);
    assert_eq!(unknown.code, 2);
    assert_eq!(
        unknown.stderr,
        "error: --select `no-such-rule`: no rule has this code or name, and no code starts with it; `cargo codex rules` lists them\n"
    );

    // A file that cannot be checked is reported whatever the selection, unless ignored.
    project.file("src/broken.rs", "fn broken( {\n");
    assert!(
        run(&["--select", "CX0002"])
            .iter()
            .any(|h| h.ends_with("CX9001"))
    );
    assert!(
        !run(&["--select", "CX0002", "--ignore", "CX9001"])
            .iter()
            .any(|h| h.ends_with("CX9001"))
    );
    std::fs::remove_file(project.path().join("src/broken.rs")).unwrap();

    // `--fix --unsafe-fixes --select CX0002` leaves CX0001's fixable unwrap alone.
    let before = std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    let fixed = project.run(&["check", "--fix", "--unsafe-fixes", "--select", "CX0002"]);
    assert!(fixed.stderr.contains("applied 0 fixes"), "{}", fixed.stderr);
    assert_eq!(
        std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap(),
        before
    );
}

/// `--output-file` sends `--format` to a file; `--output FORMAT=PATH` adds reports from the
/// same run; files are written atomically and never through a symbolic link.
#[test]
fn output_files_and_several_formats_from_one_run() {
    let project = project();
    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "--output",
        "sarif=reports/codex.sarif",
        "--output",
        "json=codex.json",
        "--output",
        "markdown=comment.md",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        heads(&out.stdout).len(),
        2,
        "stdout keeps --format: {}",
        out.stdout
    );
    let read = |path: &str| std::fs::read_to_string(project.path().join(path)).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&read("reports/codex.sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let reported = results.iter().filter(|r| r.get("suppressions").is_none());
    assert_eq!(reported.count(), 2, "{sarif}");
    let json: serde_json::Value = serde_json::from_str(&read("codex.json")).unwrap();
    assert_eq!(json["summary"]["diagnostics"], 2);
    assert!(read("comment.md").contains("CX0002"));

    let out = project.run(&[
        "check",
        "--output-file",
        "findings.txt",
        "--format",
        "concise",
    ]);
    assert_eq!((out.stdout.as_str(), out.code), ("", 1));
    let written = read("findings.txt");
    assert_eq!(heads(&written).len(), 2, "{written}");
    assert!(
        written.contains("Found 2 findings"),
        "files get the summary whatever -q"
    );

    // Silent prints nothing, but the files asked for are still written.
    let out = project.run(&["check", "-s", "--output", "gitlab=gl.json"]);
    assert_eq!((out.stdout.as_str(), out.code), ("", 1));
    serde_json::from_str::<serde_json::Value>(&read("gl.json")).unwrap();

    for bad in ["sarif", "xml=out.xml", "sarif="] {
        let out = project.run(&["check", "--output", bad]);
        assert_eq!(out.code, 2, "{bad}");
        assert!(
            out.stderr.contains("--output <FORMAT=PATH>"),
            "{bad}: {}",
            out.stderr
        );
    }

    #[cfg(unix)]
    {
        let outside = Project::new();
        outside.file("victim.txt", "keep me\n");
        std::os::unix::fs::symlink(
            outside.path().join("victim.txt"),
            project.path().join("link.sarif"),
        )
        .unwrap();
        let out = project.run(&["check", "--output", "sarif=link.sarif"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("the sarif report was not written")
                && out.stderr.contains("symbolic link"),
            "{}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(outside.path().join("victim.txt")).unwrap(),
            "keep me\n"
        );
    }
}

/// `--show-fixes` lists on stderr what `--fix` would apply (by applicability), or applied.
#[test]
fn show_fixes_lists_pending_and_applied_fixes() {
    let project = project();
    let out = project.run(&["check", "--format", "concise", "--show-fixes"]);
    assert_eq!(
        out.stderr,
        "1 fix to apply with --fix --unsafe-fixes (review the diff):\n  src/lib.rs:3:15: CX0001 propagate the failure to the caller with `?` [unwrap-outside-tests]\n"
    );
    let out = project.run(&["check", "--fix", "--unsafe-fixes", "--show-fixes", "-q"]);
    assert_eq!(
        out.stderr,
        "1 fix applied:\n  src/lib.rs:3:15: CX0001 propagate the failure to the caller with `?` [unwrap-outside-tests]\n"
    );
    assert!(
        std::fs::read_to_string(project.path().join("src/lib.rs"))
            .unwrap()
            .contains("let v = x?;")
    );
    let out = project.run(&["check", "--show-fixes", "--format", "concise"]);
    assert_eq!(out.stderr, "no fixes to apply\n");
}

/// Terminal formats show paths from the working directory, so a terminal can open them;
/// machine formats stay relative to the project root.
#[test]
fn terminal_paths_are_relative_to_the_working_directory() {
    let project = project();
    let net = project.path().join("src/net");
    let concise = common::run_in(&net, &["check", "--format", "concise", ".."]);
    assert_eq!(
        heads(&concise.stdout),
        ["../lib.rs:3:15 CX0001", "mod.rs:4:35 CX0002"],
        "{}",
        concise.stdout
    );
    let human = common::run_in(&net, &["check", ".."]);
    assert!(
        human.stdout.contains("─[ ../lib.rs:3:15 ]"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("─[ mod.rs:4:35 ]"),
        "{}",
        human.stdout
    );
    for format in ["json", "sarif", "github", "gitlab", "rdjson", "markdown"] {
        let out = common::run_in(&net, &["check", "--format", format, ".."]);
        assert!(
            out.stdout.contains("src/net/mod.rs"),
            "{format}: {}",
            out.stdout
        );
        assert!(!out.stdout.contains("../"), "{format}: {}", out.stdout);
    }
    // From outside the project, through the path to it.
    let parent = project.path().parent().unwrap();
    let name = project.path().file_name().unwrap().to_str().unwrap();
    let out = common::run_in(parent, &["check", "--format", "concise", name]);
    assert_eq!(
        heads(&out.stdout),
        [
            format!("{name}/src/lib.rs:3:15 CX0001"),
            format!("{name}/src/net/mod.rs:4:35 CX0002")
        ],
        "{}",
        out.stdout
    );
}
