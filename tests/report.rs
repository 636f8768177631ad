//! How findings are shown, end to end (issue 10): the stage decides the level in every format,
//! the terminal summary (counts by rule, files, fixes, shadow findings, time), `--statistics`,
//! colours by span, the merge-request comment's links and cut, and SARIF's suppressions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::process::Command;

use common::{Project, git};

/// `.unwrap()` at `warn`, `panic!` at `shadow`, `.expect()` enforced.
fn staged() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "pub fn f(x: Option<u8>) -> u8 {\n    let a = x.unwrap();\n    let b = x.expect(\"b\");\n    if a == b {\n        panic!(\"same\");\n    }\n    a\n}\n",
        )
        .file(
            "codex.toml",
            "[rules.CX0001]\nstage = \"warn\"\n\n[rules.CX0003]\nstage = \"shadow\"\n",
        );
    project
}

#[test]
fn the_stage_decides_how_a_finding_is_shown_in_every_format() {
    let project = staged();
    let run = |format: &str| {
        let out = project.run(&["check", "--color", "never", "--format", format]);
        assert_eq!(out.code, 1, "{format}: the enforced finding fails the run");
        out.stdout
    };
    // People's formats: the warn-stage finding is a warning, the shadow one is not there.
    let human = run("human");
    assert!(human.contains("[CX0001] Warning:"), "{human}");
    assert!(human.contains("[CX0002] Error:"), "{human}");
    let concise = run("concise");
    assert!(concise.contains(": warning[CX0001] "), "{concise}");
    assert!(concise.contains(": error[CX0002] "), "{concise}");
    for (format, out) in [("human", &human), ("concise", &concise)] {
        assert!(
            out.contains(
                "1 shadow-stage finding not shown; `--format json` or `--format sarif` lists them."
            ),
            "{format}: {out}"
        );
    }
    let github = run("github");
    assert!(
        github.contains("::warning file=src/lib.rs,line=2,"),
        "{github}"
    );
    assert!(
        github.contains("::error file=src/lib.rs,line=3,"),
        "{github}"
    );
    let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
    let severities: Vec<(&str, &str)> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap(),
                i["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(severities, [("CX0001", "minor"), ("CX0002", "critical")]);
    let rdjson: serde_json::Value = serde_json::from_str(&run("rdjson")).unwrap();
    let severities: Vec<(&str, &str)> = rdjson["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"]["value"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(severities, [("CX0001", "WARNING"), ("CX0002", "ERROR")]);
    let rdjsonl = run("rdjsonl");
    assert_eq!(rdjsonl.lines().count(), 2, "{rdjsonl}");
    for (format, out) in [
        ("human", &human),
        ("concise", &concise),
        ("github", &github),
        ("rdjsonl", &rdjsonl),
        ("markdown", &run("markdown")),
    ] {
        assert!(
            !out.contains("CX0003"),
            "{format} shows a shadow finding: {out}"
        );
    }
    // Machine formats keep the shadow finding, SARIF at level `none`.
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let levels: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("CX0001", "warning"),
            ("CX0002", "error"),
            ("CX0003", "none")
        ]
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let default_level = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["defaultConfiguration"]["level"].clone()
    };
    assert_eq!(default_level("CX0001"), "warning");
    assert_eq!(default_level("CX0003"), "none");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "CX0003" && d["stage"] == "shadow")
    );
}

/// A project rule with a safe fix, beside the default rules.
fn fixable() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "pub fn a(x: Option<u8>) -> Option<u8> {\n    let v = x.unwrap();\n    Some(v)\n}\n\npub fn b(x: Option<u8>) -> Option<u8> {\n    Some(x.unwrap())\n}\n",
        )
        .file("src/other.rs", "pub fn c(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n")
        .file("src/clean.rs", "pub fn d() {}\n")
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file(
            "rules/unwrap-in-option-fn.toml",
            "id = \"ACME0001\"\ntitle = \"`.unwrap()` where `?` would do\"\nseverity = \"error\"\nstage = \"warn\"\nreferences = [\"https://example.com/rule\"]\nmessage = \"`?` hands the `None` to the caller\"\nhelp = \"write `?`\"\ndoc = \"\"\"\n## What it does\nx\n\n## Why is this bad?\nx\n\n## Example\nx\n\"\"\"\n\n[fix]\nkind = \"try-operator\"\napplicability = \"safe\"\n\n[match]\nmethod = [\"unwrap\"]\n",
        );
    project
}

#[test]
fn the_summary_counts_rules_files_and_fixes_and_help_is_shown_once_per_rule() {
    let project = fixable();
    let out = project.run(&["check", "--color", "never"]);
    let human = &out.stdout;
    // Two rules, each with its help and note once, whatever the number of findings.
    assert_eq!(human.matches("│ Help: ").count(), 2, "{human}");
    assert_eq!(human.matches("│ Note: ").count(), 2, "{human}");
    assert_eq!(
        human.matches("[ACME0001] Warning: [*] ").count(),
        2,
        "{human}"
    );
    assert!(
        human.contains(
            "Found 6 findings (3 enforced) in 2 of 3 files:\n  3  ACME0001  unwrap-in-option-fn\n  3  CX0001    unwrap-outside-tests\n[*] 2 fixable with `--fix` (2 more with `--fix --unsafe-fixes`).\n"
        ),
        "{human}"
    );
    let concise = project.run(&["check", "--format", "concise"]).stdout;
    assert!(
        concise.contains("src/lib.rs:2:15: warning[ACME0001] [*] `?` hands the `None` to the caller [unwrap-in-option-fn]\n"),
        "{concise}"
    );
    assert_eq!(common::heads(&concise).len(), 6, "{concise}");
    // A report piped or saved says nothing of time: two runs print the same.
    assert_eq!(project.run(&["check", "--color", "never"]).stdout, *human);
    assert!(!human.contains("Finished in"));
}

#[test]
fn statistics_shows_counts_by_rule_instead_of_each_finding() {
    let project = fixable();
    for format in ["human", "concise"] {
        let out = project.run(&["check", "--statistics", "--format", format]);
        assert_eq!(out.code, 1);
        assert!(
            out.stdout.starts_with(
                "count  rule      level    fixable   name\n    3  ACME0001  warning  [*] 2     unwrap-in-option-fn\n    3  CX0001    error    2 unsafe  unwrap-outside-tests\n\n"
            ),
            "{format}: {}",
            out.stdout
        );
        assert!(
            !out.stdout.contains("src/lib.rs"),
            "{format}: {}",
            out.stdout
        );
        assert!(
            out.stdout
                .contains("Found 6 findings (3 enforced) in 2 of 3 files.\n"),
            "{format}: {}",
            out.stdout
        );
    }
    // Machine formats are not changed by it.
    let json = project.run(&["check", "--statistics", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 6);
}

/// Colours cost a few escapes per line, never one per character (issue 10: 2.65x the bytes).
#[test]
fn colours_are_spans() {
    let project = fixable();
    for format in ["human", "concise"] {
        let plain = project
            .run(&["check", "--color", "never", "--format", format])
            .stdout;
        let colored = project
            .run(&["check", "--color", "always", "--format", format])
            .stdout;
        assert!(!plain.contains('\u{1b}'), "{format}");
        assert!(colored.contains("\u{1b}["), "{format}: coloured when asked");
        for line in colored.lines() {
            let escapes = line.matches('\u{1b}').count();
            assert!(escapes <= 12, "{format}: {escapes} escapes in {line:?}");
        }
        assert!(
            colored.len() * 10 < plain.len() * 17,
            "{format}: {} bytes coloured, {} plain",
            colored.len(),
            plain.len()
        );
    }
}

/// On a terminal the summary ends with the time the run took.
#[test]
fn a_terminal_is_told_how_long_the_run_took() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to run the binary on a pseudo-terminal");
        return;
    }
    let project = fixable();
    let command = format!("{} check --color never", common::binary().display());
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(project.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default().trim_end();
    assert!(
        last.starts_with("Finished in ") && (last.ends_with("ms.") || last.ends_with("s.")),
        "{stdout}"
    );
}

#[test]
fn the_comment_links_files_lines_and_project_rules_at_the_analysed_commit() {
    let project = Project::new();
    project
        .file("README.md", "a repository whose project sits in a folder\n")
        .file("proxy/src/lib.rs", "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")
        .file("proxy/codex.toml", "rule_dirs = [\"rules\"]\n")
        .file(
            "proxy/rules/no-exit.toml",
            "id = \"ACME0002\"\ntitle = \"exit in a library\"\nseverity = \"error\"\nstage = \"enforce\"\nreferences = [\"https://example.com/rule\"]\nmessage = \"this ends the process\"\ndoc = \"\"\"\n## What it does\nx\n\n## Why is this bad?\nx\n\n## Example\nx\n\"\"\"\n\n[match]\ncall = [\"std::process::exit\"]\n",
        )
        .file("proxy/src/exit.rs", "pub fn g() { std::process::exit(1) }\n");
    assert!(
        git(&project, &["init", "-q", "-b", "main"])
            .status
            .success()
    );
    assert!(git(&project, &["add", "-A"]).status.success());
    assert!(git(&project, &["commit", "-qm", "one"]).status.success());
    let head = String::from_utf8(git(&project, &["rev-parse", "HEAD"]).stdout).unwrap();
    let head = head.trim();
    let vars = [
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_REPOSITORY", "acme/monorepo"),
        // The merge commit a pull request's job checks out is HEAD; this one is not used.
        ("GITHUB_SHA", "ffffffffffffffffffffffffffffffffffffffff"),
    ];
    let out = common::run_env_in(
        &project.path().join("proxy"),
        &["check", "--format", "markdown"],
        &vars,
    );
    let blob = format!("https://github.com/acme/monorepo/blob/{head}/proxy/");
    let markdown = &out.stdout;
    assert!(markdown.starts_with("<!-- cargo-codex -->\n"), "{markdown}");
    assert!(
        markdown.contains(&format!(
            "### [`src/lib.rs`]({blob}src/lib.rs) · 1 finding\n"
        )),
        "{markdown}"
    );
    assert!(
        markdown.contains(&format!("[line 1]({blob}src/exit.rs#L1)")),
        "{markdown}"
    );
    // The project's rule links to its file; the embedded one has its doc inlined instead.
    assert!(
        markdown.contains(&format!(
            "| [ACME0002]({blob}rules/no-exit.toml) `no-exit` |"
        )),
        "{markdown}"
    );
    assert!(
        markdown.contains("| **CX0001** `unwrap-outside-tests` |"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "<details><summary>CX0001 unwrap-outside-tests</summary>\n\n**What it does**"
        ),
        "{markdown}"
    );
    assert!(!markdown.contains("ffffffff"), "{markdown}");
    assert!(
        markdown.contains("**2 findings** (2 enforced) in 2 of 2 files."),
        "{markdown}"
    );

    // Outside CI nothing is linked: a repository-relative link would not resolve in a comment.
    let local = common::run_env_in(
        &project.path().join("proxy"),
        &["check", "--format", "markdown"],
        &[],
    );
    assert!(!local.stdout.contains("]("), "{}", local.stdout);
    assert!(
        local
            .stdout
            .contains("<details><summary>ACME0002 no-exit</summary>"),
        "{}",
        local.stdout
    );
}

#[test]
fn markdown_comments_stay_under_the_note_limit_and_say_what_was_cut() {
    let project = Project::new();
    let body = "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n".repeat(100);
    for i in 0..30 {
        project.file(&format!("src/m{i:02}.rs"), &body);
    }
    project.file("src/z.rs", "pub fn g() { panic!() }\n");
    let out = project.run(&["check", "--format", "markdown"]);
    let markdown = &out.stdout;
    assert!(markdown.len() < 65_000, "{}", markdown.len());
    assert!(
        markdown.contains("**3001 findings** (3001 enforced) in 31 of 31 files."),
        "{markdown}"
    );
    // The table by rule counts every finding, cut or not.
    assert!(
        markdown.contains(
            "| **CX0001** `unwrap-outside-tests` | `.unwrap()` outside test code | enforce | 3000 |"
        ),
        "{}",
        &markdown[..600]
    );
    assert!(
        markdown.contains("| **CX0003** `panic-outside-tests` |"),
        "{markdown}"
    );
    let shown = markdown.matches("\n#### ").count();
    assert!((100..3001).contains(&shown), "{shown}");
    let tail = &markdown[markdown.len() - 3000..];
    assert!(
        markdown.contains(&format!(
            "_This comment shows {shown} of 3001 findings to stay under the platforms' 65000-character limit"
        )),
        "{tail}"
    );
    // Every file is either shown whole under its heading or counted in the table of what was
    // cut: the counts by file add up.
    let mut hidden = 0;
    for line in markdown.lines().filter(|l| l.starts_with("| `src/")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        hidden += cells[3].parse::<usize>().unwrap();
    }
    assert_eq!(hidden, 3001 - shown, "{tail}");
    assert!(markdown.contains("| `src/z.rs` | 1 | 1 |"), "{tail}");
    // Help once per rule shown, no suggestion blocks in a general comment.
    assert_eq!(markdown.matches("**help:**").count(), 1);
    assert!(!markdown.contains("suggestion"));
}

#[test]
fn plurals_are_right_in_the_comment() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n",
    );
    let markdown = project.run(&["check", "--format", "markdown"]).stdout;
    assert!(
        markdown.contains("**1 finding** (1 enforced) in 1 of 1 file."),
        "{markdown}"
    );
    assert!(
        markdown.contains("### `src/lib.rs` · 1 finding\n"),
        "{markdown}"
    );
    project.file("src/lib.rs", "pub fn f() {}\n");
    let clean = project.run(&["check", "--format", "markdown"]).stdout;
    assert_eq!(
        clean,
        "<!-- cargo-codex -->\n## cargo-codex\n\nNo findings in 1 file.\n"
    );
}

/// Findings the baseline hides stay in SARIF as suppressed (`external`), beside those
/// `codex:allow` excuses (`inSource`), and the document still validates.
#[test]
fn sarif_records_baselined_findings_as_external_suppressions() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\npub fn b(x: Option<u8>) -> u8 {\n    x.unwrap() // codex:allow(CX0001) checked by the caller\n}\n",
    );
    let written = project.run(&["check", "--write-baseline", "baseline.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    project.file(
        "src/new.rs",
        "pub fn c(x: Option<u8>) -> u8 {\n    x.expect(\"c\")\n}\n",
    );
    let out = project.run(&["check", "--baseline", "baseline.json", "--format", "sarif"]);
    assert_eq!(out.code, 1, "the new finding fails the run: {}", out.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let schema = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json"),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results: Vec<(&str, &str, Option<&str>)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap(),
                r["suppressions"][0]["kind"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("CX0002", "src/new.rs", None),
            ("CX0001", "src/lib.rs", Some("inSource")),
            ("CX0001", "src/lib.rs", Some("external")),
        ]
    );
    let human = project.run(&["check", "--baseline", "baseline.json", "--color", "never"]);
    assert!(
        human
            .stdout
            .contains("The baseline hid 1 finding and has 0 stale entries"),
        "{}",
        human.stdout
    );
}

/// `rule_url` links the project's own rule files; a rule embedded in the binary is not one of
/// them, so it keeps its doc inlined rather than a link that would not resolve.
#[test]
fn the_rule_url_template_links_project_rules_only() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\npub fn g() { std::process::exit(1) }\n",
        )
        .file(
            "codex.toml",
            "rule_dirs = [\"rules\"]\nrule_url = \"https://git.example.com/acme/proxy/-/blob/main/{path}\"\n",
        )
        .file(
            "rules/no-exit.toml",
            "id = \"ACME0002\"\ntitle = \"exit in a library\"\nseverity = \"error\"\nstage = \"enforce\"\nreferences = [\"https://example.com/rule\"]\nmessage = \"this ends the process\"\ndoc = \"\"\"\n## What it does\nx\n\n## Why is this bad?\nx\n\n## Example\nx\n\"\"\"\n\n[match]\ncall = [\"std::process::exit\"]\n",
        );
    let markdown = project.run(&["check", "--format", "markdown"]).stdout;
    assert!(
        markdown.contains(
            "| [ACME0002](https://git.example.com/acme/proxy/-/blob/main/rules/no-exit.toml) `no-exit` |"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("| **CX0001** `unwrap-outside-tests` |"),
        "{markdown}"
    );
    assert!(markdown.contains("<details><summary>CX0001 unwrap-outside-tests</summary>"));
    let json: serde_json::Value =
        serde_json::from_str(&project.run(&["check", "--format", "json"]).stdout).unwrap();
    let urls: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["url"].as_str().unwrap()))
        .collect();
    assert_eq!(
        urls,
        [
            ("CX0001", "rules/unwrap-outside-tests.toml"),
            (
                "ACME0002",
                "https://git.example.com/acme/proxy/-/blob/main/rules/no-exit.toml"
            )
        ]
    );
}
