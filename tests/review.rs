//! `cargo codex review --diff BASE`: the review brief of a merge-request-like branch in a real
//! git repository. Its hunks and their functions, the findings of the change, the review rules
//! that apply (the default Codex's and a project's own), the suppressions and baseline entries
//! the branch adds, the Codex files it changes, the budget's drops; the JSON against its
//! schema; snapshots of both renderings; review rules in `explain`, `rules`, `test` and `new`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use common::Project;
use serde_json::Value;

/// Runs git in `project` with a fixed identity and fixed dates, so commits (and so the brief's
/// merge base) are the same on every run.
fn git(project: &Project, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(project.path())
        .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const CODEX_TOML: &str = "rule_dirs = [\"codex-rules\"]\nincident_dirs = [\"codex\"]\nbaseline = \"codex-baseline.json\"\n";

const INCIDENT: &str = "date = \"2026-01-01\"\ntitle = \"Timeouts in the network layer\"\nsummary = \"A change to the retry loop retried forever.\"\nrules = [\"ACME0101\"]\n";

/// A project review rule that applies by path alone.
const NET_RULE: &str = r###"kind = "review"
id = "ACME0101"
title = "network retries are bounded"
incidents = ["2026-01-01-net-timeouts"]
check = "Check that every retry loop has a bound and a backoff."
bad = "loop { if send().is_ok() { break; } }"
good = "for delay in backoff().take(5) { if send().is_ok() { break; } sleep(delay); }"
doc = "## What it checks\nRetry loops in the network layer."
paths = ["src/net/**"]
"###;

const CONFIG_BASE: &str = "use std::collections::HashMap;

pub struct Loader {
    features: Vec<u8>,
}

impl Loader {
    pub fn load(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let features: Vec<u8> = serde_json::from_slice(bytes)?;
        self.features = features;
        Ok(())
    }

    pub fn count(&self) -> usize {
        self.features.len()
    }
}

pub fn legacy(x: Option<u8>) -> u8 {
    x.unwrap()
}
";

const CONFIG_HEAD: &str = "use std::collections::HashMap;

pub struct Loader {
    features: Vec<u8>,
}

impl Loader {
    pub fn load(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let features: Vec<u8> = serde_json::from_slice(bytes)?;
        self.features = features;
        let first = self.features.first().expect(\"checked\"); // codex:allow(CX0002) the file is never empty
        Ok(())
    }

    pub fn count(&self) -> usize {
        self.features.len()
    }

    pub fn reload(&mut self) {
        self.load(b\"[]\").unwrap();
    }
}

pub fn legacy(x: Option<u8>) -> u8 {
    x.unwrap()
}
";

const LOOKUP: &str = "pub fn apply(ctx: &Context, id: &str) -> u8 {
    let result = ctx.results.get(id);
    result.map_or(0, |r| r.action)
}
";

const BASELINE_BASE: &str = r#"{
  "schema": "cargo-codex/baseline/v1",
  "findings": [
    {
      "path": "src/config.rs",
      "rule": "CX0001",
      "fingerprint": "FINGERPRINT",
      "line": 20,
      "snippet": "x.unwrap()"
    }
  ]
}
"#;

/// A repository whose branch `feature` is a merge request into `main`: it changes the loader
/// (a finding, a suppression, a function the default CX0007 review rule applies to), adds a
/// lookup (CX0008), changes the network layer (the project's ACME0101, by path), deletes a
/// file, adds a baseline entry with a reason, and edits the project's review rule and incident.
fn merge_request() -> Project {
    let project = Project::new();
    project
        .file(
            "codex.toml",
            &CODEX_TOML.replace("baseline = \"codex-baseline.json\"\n", ""),
        )
        .file("codex/2026-01-01-net-timeouts.toml", INCIDENT)
        .file("codex-rules/net-retry-without-bound.toml", NET_RULE)
        .file(
            "src/lib.rs",
            "pub mod config;\npub mod net;\npub mod old;\n",
        )
        .file("src/config.rs", CONFIG_BASE)
        .file("src/net/mod.rs", "pub fn send() -> bool {\n    true\n}\n")
        .file("src/old.rs", "pub fn gone() {}\n");
    git(&project, &["init", "-q"]);
    // The baseline accepts the legacy finding: its fingerprint is the tool's.
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "base"]);
    let json = project.run(&["check", "--format", "json"]);
    let fingerprint = serde_json::from_str::<Value>(&json.stdout)
        .ok()
        .and_then(|d| {
            d["diagnostics"]
                .as_array()?
                .iter()
                .find(|d| d["path"] == "src/config.rs")
                .map(|d| d["fingerprint"].as_str().unwrap_or_default().to_owned())
        });
    let fingerprint = fingerprint.unwrap_or_else(|| "0".repeat(32));
    project.file("codex.toml", CODEX_TOML).file(
        "codex-baseline.json",
        &BASELINE_BASE.replace("FINGERPRINT", &fingerprint),
    );
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "baseline"]);

    git(&project, &["checkout", "-qb", "feature"]);
    project
        .file("src/config.rs", CONFIG_HEAD)
        .file("src/lookup.rs", LOOKUP)
        .file(
            "src/net/mod.rs",
            "pub fn send() -> bool {\n    retry(|| true)\n}\n",
        )
        .file("src/lib.rs", "pub mod config;\npub mod lookup;\npub mod net;\n")
        .file(
            "codex-rules/net-retry-without-bound.toml",
            &NET_RULE.replace("bounded\"", "bounded and logged\""),
        )
        .file(
            "codex/2026-01-01-net-timeouts.toml",
            &INCIDENT.replace("forever.", "forever, on every machine."),
        )
        .file(
            "codex-baseline.json",
            &BASELINE_BASE.replace("FINGERPRINT", &fingerprint).replace(
                "    }\n  ]",
                "    },\n    {\n      \"path\": \"src/lookup.rs\",\n      \"rule\": \"CX0005\",\n      \"fingerprint\": \"00000000000000000000000000000001\",\n      \"line\": 2,\n      \"snippet\": \"ctx.results[id]\",\n      \"reason\": \"the loader always fills it\"\n    }\n  ]",
            ),
        );
    std::fs::remove_file(project.path().join("src/old.rs")).unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "feature"]);
    project
}

fn brief(project: &Project, args: &[&str]) -> Value {
    let mut all = vec!["review", "--diff", "main", "--format", "json"];
    all.extend_from_slice(args);
    let out = project.run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// A file's path, status and hunks: `(new_start, new_lines, function)`.
type Shape = (String, String, Vec<(u64, u64, String)>);

/// The [`Shape`] of each file.
fn shape(brief: &Value) -> Vec<Shape> {
    brief["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            let hunks = file["hunks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h["new_start"].as_u64().unwrap(),
                        h["new_lines"].as_u64().unwrap(),
                        h["function"]["name"].as_str().unwrap_or("-").to_owned(),
                    )
                })
                .collect();
            (
                file["path"].as_str().unwrap().to_owned(),
                file["status"].as_str().unwrap().to_owned(),
                hunks,
            )
        })
        .collect()
}

fn hunk<'a>(brief: &'a Value, path: &str, line: u64) -> &'a Value {
    brief["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no file {path}"))["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| {
            let start = h["new_start"].as_u64().unwrap();
            start <= line && line < start + h["new_lines"].as_u64().unwrap().max(1)
        })
        .unwrap_or_else(|| panic!("no hunk at {path}:{line}"))
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_brief_lists_hunks_functions_findings_rules_allowances_and_codex_changes() {
    let project = merge_request();
    let brief = brief(&project, &[]);
    assert_eq!(brief["version"], "cargo-codex/review/v1");
    assert_eq!(brief["base"], "main");
    let files = shape(&brief);
    let f = |s: &str| s.to_owned();
    assert_eq!(
        files,
        [
            (
                f("codex-baseline.json"),
                f("modified"),
                vec![(10, 8, f("-"))]
            ),
            (
                f("codex-rules/net-retry-without-bound.toml"),
                f("modified"),
                vec![(3, 1, f("-"))]
            ),
            (
                f("codex/2026-01-01-net-timeouts.toml"),
                f("modified"),
                vec![(3, 1, f("-"))]
            ),
            (
                f("src/config.rs"),
                f("modified"),
                vec![(11, 1, f("Loader::load")), (18, 4, f("Loader::reload"))]
            ),
            (
                f("src/lib.rs"),
                f("modified"),
                vec![(2, 1, f("-")), (3, 0, f("-"))]
            ),
            (f("src/lookup.rs"), f("added"), vec![(1, 4, f("apply"))]),
            (f("src/net/mod.rs"), f("modified"), vec![(2, 1, f("send"))]),
            (f("src/old.rs"), f("deleted"), vec![(0, 0, f("-"))]),
        ]
    );

    // Findings of the change only: the new unwrap, not the legacy one the baseline accepts.
    let reload = hunk(&brief, "src/config.rs", 20);
    assert_eq!(strings(&reload["findings"], "rule"), ["CX0001"]);
    assert_eq!(reload["findings"][0]["line"], 20);
    assert_eq!(reload["function"]["signature"], "pub fn reload(&mut self)");
    assert_eq!(reload["function"]["start_line"], 19);
    assert_eq!(reload["function"]["end_line"], 21);
}

#[test]
fn the_brief_lists_the_review_rules_and_allowances_of_each_hunk() {
    let project = merge_request();
    let brief = brief(&project, &[]);
    let f = |s: &str| s.to_owned();
    let reload = hunk(&brief, "src/config.rs", 20);
    // The default Codex's CX0007 applies to the change inside `load`, which deserializes a
    // file, and not to `reload`, which does not; CX0008 to the new lookup; the project's
    // ACME0101 to the network layer by path.
    let load = hunk(&brief, "src/config.rs", 11);
    assert_eq!(load["review_rules"], serde_json::json!(["CX0007"]));
    assert_eq!(reload["review_rules"], serde_json::json!([]));
    let lookup = hunk(&brief, "src/lookup.rs", 2);
    assert_eq!(lookup["review_rules"], serde_json::json!(["CX0008"]));
    let net = hunk(&brief, "src/net/mod.rs", 2);
    assert_eq!(net["review_rules"], serde_json::json!(["ACME0101"]));
    let rules: Vec<(String, u64)> = brief["review_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["hunks"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [(f("ACME0101"), 1), (f("CX0007"), 1), (f("CX0008"), 1)]
    );
    let cx0007 = &brief["review_rules"][1];
    assert!(
        cx0007["check"]
            .as_str()
            .unwrap()
            .contains("last known good")
    );
    assert!(
        cx0007["bad"]
            .as_str()
            .unwrap()
            .contains("serde_json::from_slice")
    );
    assert_eq!(
        cx0007["incidents"][0]["id"],
        "2025-11-18-bot-management-feature-file"
    );
    assert!(cx0007["incidents"][0]["summary"].is_string());

    // The suppression the branch adds, with its reason, on its hunk.
    assert_eq!(
        load["suppressions"][0]["codes"],
        serde_json::json!(["CX0002"])
    );
    assert_eq!(load["suppressions"][0]["reason"], "the file is never empty");
    assert_eq!(load["suppressions"][0]["change"], "added");
    assert_eq!(load["suppressions"][0]["line"], 11);

    // The baseline entry it adds, with its reason.
    let baseline = &brief["baseline"];
    assert_eq!(baseline["path"], "codex-baseline.json");
    assert_eq!(baseline["removed"], 0);
    assert_eq!(strings(&baseline["added"], "path"), ["src/lookup.rs"]);
    assert_eq!(baseline["added"][0]["reason"], "the loader always fills it");

    // Every Codex file it changes, flagged.
    let changes: Vec<(String, String)> = brief["codex_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_owned(),
                c["part"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (f("codex-baseline.json"), f("baseline")),
            (f("codex-rules/net-retry-without-bound.toml"), f("rule")),
            (f("codex/2026-01-01-net-timeouts.toml"), f("incident")),
        ]
    );
    let summary = &brief["summary"];
    assert_eq!(
        (
            summary["files"].as_u64(),
            summary["hunks"].as_u64(),
            summary["findings"].as_u64(),
            summary["review_rules"].as_u64(),
            summary["suppressions"].as_u64(),
            summary["baseline_entries"].as_u64(),
            summary["codex_changes"].as_u64(),
        ),
        (
            Some(8),
            Some(10),
            Some(1),
            Some(3),
            Some(1),
            Some(1),
            Some(3)
        )
    );
    assert_eq!(brief["dropped"], serde_json::json!([]));
}

/// A finding in the brief is the same object `check --diff --format json` reports.
#[test]
fn findings_are_the_json_formats_objects() {
    let project = merge_request();
    let brief = brief(&project, &[]);
    let out = project.run(&["check", "--diff", "main", "--format", "json"]);
    let check: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        hunk(&brief, "src/config.rs", 20)["findings"][0],
        check["diagnostics"][0]
    );
}

#[test]
fn a_budget_drops_the_least_relevant_parts_first_and_says_so() {
    let project = merge_request();
    let whole = project.run(&[
        "review", "--diff", "main", "--format", "json", "--budget", "none",
    ]);
    let whole_size = whole.stdout.len();
    // Just under the whole: the docs go first, the rest stays.
    let budget = (whole_size - 200).to_string();
    let brief_docs = brief(&project, &["--budget", &budget]);
    assert_eq!(strings(&brief_docs["dropped"], "part"), ["docs"]);
    assert!(brief_docs["review_rules"][0]["doc"].is_null());
    assert!(brief_docs["review_rules"][0]["summary"].is_string());
    assert!(brief_docs["review_rules"][0]["bad"].is_string());

    // Small: examples, incident summaries, signatures and quiet hunks go, then files, those
    // with findings last; counts still describe the whole change.
    // (About 9.7 kB are left after the quiet files go, 2.3 kB of them `src/config.rs`.)
    let out = project.run(&[
        "review", "--diff", "main", "--format", "json", "--budget", "8500",
    ]);
    assert!(out.stdout.len() <= 8500, "{} bytes", out.stdout.len());
    let small: Value = serde_json::from_str(&out.stdout).unwrap();
    let parts = strings(&small["dropped"], "part");
    assert_eq!(
        parts[..5],
        [
            "docs",
            "examples",
            "incident-summaries",
            "signatures",
            "quiet-hunks"
        ]
    );
    assert_eq!(small["summary"]["files"], 8);
    assert!(small["review_rules"][0]["bad"].is_null());
    let kept: Vec<&str> = small["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["src/config.rs"], "{}", out.stdout);
    assert_eq!(strings(&small["review_rules"], "id"), ["CX0007"]);

    // In tokens, and in Markdown, which says what it left out.
    let out = project.run(&["review", "--diff", "main", "--budget", "1000tokens"]);
    assert!(out.stdout.len() <= 2400, "{} bytes", out.stdout.len());
    assert!(
        out.stdout.contains("### Left out to fit the budget"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_markdown_brief_escapes_what_the_branch_wrote() {
    let project = merge_request();
    project.file(
        "src/net/mod.rs",
        "pub fn send() -> bool {\n    retry(|| true) // codex:allow(CX0001) <img src=x onerror=alert(1)> @everyone \u{1b}[31m\n}\n",
    );
    project.file("src/`<b>|x.rs", "pub fn f() {}\n");
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "hostile"]);
    let out = project.run(&["review", "--diff", "main"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = &out.stdout;
    assert!(md.starts_with("<!-- cargo-codex-review -->\n"), "{md}");
    assert!(!md.contains("<img src=x"), "{md}");
    assert!(
        md.contains("#### ``src/`<b>|x.rs`` (added)"),
        "a code span: {md}"
    );
    assert!(!md.contains('\u{1b}'), "{md}");
    assert!(!md.contains("@everyone"), "{md}");
    assert!(
        md.contains("\\<img src\\=x onerror\\=alert\\(1\\)\\>"),
        "{md}"
    );
    let json = brief(&project, &[]);
    assert!(
        serde_json::to_string(&json)
            .unwrap()
            .contains("\\u001b[31m"),
        "JSON escapes control characters"
    );
}

#[test]
fn the_json_brief_validates_against_its_schema() {
    let project = merge_request();
    let document = brief(&project, &[]);
    assert_contract(&document);
    // With the budget's drops and nulls too.
    assert_contract(&brief(&project, &["--budget", "3000"]));
    let mut broken = document.clone();
    broken["files"][0]["status"] = "renamed".into();
    assert!(
        !jsonschema::validator_for(&schema())
            .unwrap()
            .is_valid(&broken)
    );
}

/// The brief's diagnostics are described as the JSON format's are.
#[test]
fn the_review_schema_describes_findings_as_the_diagnostics_schema_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let diagnostics: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("schemas/diagnostics-v1.schema.json")).unwrap(),
    )
    .unwrap();
    let review = schema();
    for def in ["diagnostic", "line", "column", "end_column"] {
        assert_eq!(review["$defs"][def], diagnostics["$defs"][def], "{def}");
    }
}

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/review-v1.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Validates against the published schema, and against it with no undeclared property.
fn assert_contract(document: &Value) {
    let mut strict = schema();
    close(&mut strict);
    for schema in [schema(), strict] {
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

fn close(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") {
                map.insert("additionalProperties".to_owned(), false.into());
            }
            map.values_mut().for_each(close);
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

#[test]
fn snapshots_of_both_renderings() {
    let project = merge_request();
    let json = project.run(&["review", "--diff", "main", "--format", "json"]);
    insta::assert_snapshot!("review_json", json.stdout);
    let markdown = project.run(&["review", "--diff", "main", "--format", "markdown"]);
    insta::assert_snapshot!("review_markdown", markdown.stdout);
}

#[test]
fn a_brief_needs_a_base_and_a_repository() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() {}\n");
    let out = project.run(&["review", "--diff", "main"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("error: "), "{}", out.stderr);
    let out = project.run(&["review"]);
    assert_eq!(out.code, 2);
    let project = merge_request();
    let out = project.run(&["review", "--diff", "--output=x"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let out = project.run(&["review", "--diff", "main", "--budget", "lots"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a size"), "{}", out.stderr);
}

#[test]
fn outputs_are_written_from_one_run() {
    let project = merge_request();
    let out = project.run(&[
        "review",
        "--diff",
        "main",
        "--quiet",
        "--output",
        "out/brief.json",
        "--output",
        "markdown=out/brief.md",
    ]);
    assert_eq!(
        out.code, 2,
        "`out/brief.json` has no format: {}",
        out.stderr
    );
    let out = project.run(&[
        "review",
        "--diff",
        "main",
        "--quiet",
        "--output",
        "json=out/brief.json",
        "--output",
        "markdown=out/brief.md",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(project.path().join("out/brief.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["version"], "cargo-codex/review/v1");
    let md = std::fs::read_to_string(project.path().join("out/brief.md")).unwrap();
    assert!(md.starts_with("<!-- cargo-codex-review -->"));
}

/// `--codex-from`: the review rules and the baseline come from the target branch, and the
/// branch's edits to them are still flagged.
#[test]
fn with_codex_from_the_targets_rules_apply_and_the_edits_are_flagged() {
    let project = merge_request();
    let out = project.run(&[
        "review",
        "--diff",
        "main",
        "--codex-from",
        "main",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let brief: Value = serde_json::from_str(&out.stdout).unwrap();
    let acme = brief["review_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ACME0101")
        .unwrap();
    assert_eq!(acme["title"], "network retries are bounded");
    assert_eq!(brief["codex_changes"].as_array().unwrap().len(), 3);
}

#[test]
fn review_rules_in_explain_rules_test_and_new() {
    let project = merge_request();
    let out = project.run(&["explain", "ACME0101"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("ACME0101 net-retry-without-bound: network retries")
    );
    assert!(
        out.stdout
            .contains("applies to: changed code in src/net/**"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("## Check\nCheck that every retry loop"));
    let out = project.run(&["explain", "CX0007"]);
    assert!(
        out.stdout.contains(
            "in the function enclosing the change there are function calls serde_json::from_*()"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("## Incident 2025-11-18-bot-management-feature-file")
    );

    let table = project.run(&["rules"]).stdout;
    let row = table.lines().find(|l| l.starts_with("CX0008")).unwrap();
    assert!(row.contains(" review "), "{row}");
    let json: Value =
        serde_json::from_str(&project.run(&["rules", "--format", "json"]).stdout).unwrap();
    let ids = strings(&json["review_rules"], "id");
    assert_eq!(ids, ["ACME0101", "CX0007", "CX0008"]);
    assert!(!strings(&json["rules"], "id").contains(&"CX0007".to_owned()));

    // `new --review` scaffolds a review rule that loads, and passes its own fixtures once its
    // placeholders are replaced (until then `test` names each one).
    let out = project.run(&[
        "new",
        "--review",
        "cache-entry-assumed-fresh",
        "--incident",
        "2026-01-01-net-timeouts",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("created review rule ACME0102"),
        "{}",
        out.stdout
    );
    let incident = project.path().join("codex/2026-01-01-net-timeouts.toml");
    let text = std::fs::read_to_string(&incident).unwrap();
    std::fs::write(
        &incident,
        text.replace("[\"ACME0101\"]", "[\"ACME0101\", \"ACME0102\"]"),
    )
    .unwrap();
    let out = project.run(&["test"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "codex-rules/cache-entry-assumed-fresh.toml:5:10: title = \"TODO: what the reviewer checks"
        ),
        "{}",
        out.stdout
    );
    for file in [
        "codex-rules/cache-entry-assumed-fresh.toml",
        "codex-rules/cache-entry-assumed-fresh/applies.rs",
        "codex-rules/cache-entry-assumed-fresh/not_applies.rs",
    ] {
        let path = project.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("TODO: ", "")
                .replace("replace_me", "parse_config"),
        )
        .unwrap();
    }
    let out = project.run(&["test"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("test ACME0102 cache-entry-assumed-fresh ... ok"),
        "{}",
        out.stdout
    );

    // A fixture whose marks disagree with the selector fails.
    let applies = project
        .path()
        .join("codex-rules/cache-entry-assumed-fresh/applies.rs");
    let text = std::fs::read_to_string(&applies).unwrap();
    std::fs::write(&applies, text.replace("//~ ACME0102", "")).unwrap();
    let out = project.run(&["test"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("applies.rs marks no line"),
        "{}",
        out.stdout
    );
}

#[test]
fn review_rule_mistakes_are_located() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"r\"]\n")
        .file(
            "r/a.toml",
            "kind = \"reviews\"\nid = \"ACME1\"\ntitle = \"t\"\n",
        )
        .file(
            "r/b.toml",
            "kind = \"review\"\nid = \"ACME2\"\ntitle = \"t\"\ncheck = \"\"\nbad = \"x\"\ngood = \"y\"\nwithin = \"change\"\n",
        )
        .file(
            "r/c.toml",
            "kind = \"review\"\nid = \"CX0001\"\ntitle = \"t\"\ncheck = \"c\"\nbad = \"x\"\ngood = \"y\"\n",
        )
        .file(
            "r/d.toml",
            "kind = \"review\"\nid = \"ACME4\"\ntitle = \"t\"\ncheck = \"c\"\nbad = \"x\"\ngood = \"y\"\nwithin = \"nearby\"\n[match]\nmethod = [\"get\"]\n",
        )
        .file("src/lib.rs", "");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    for expected in [
        "r/a.toml:1:8: unknown rule kind `reviews`",
        "r/b.toml:4:9: `check` must not be empty",
        "r/b.toml:7:10: `within` narrows where a `[match]` counts",
        "r/d.toml:7:10: unknown `within` value `nearby`",
        "r/c.toml:2:6: rule `CX0001` is already defined",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
}

/// The `cargo-codex review` command of each CI template, with the CI variables set to the
/// target branch `main`, runs in a real repository with a merge base and writes the brief as
/// JSON and Markdown, the files the template publishes as artifacts. The branch's edit to its
/// own review rule does not change the rule the brief applies (`--codex-from`).
#[test]
fn the_ci_templates_publish_the_brief() {
    let project = merge_request();
    git(
        &project,
        &["update-ref", "refs/remotes/origin/main", "main"],
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for template in ["ci/gitlab-ci.yml", "ci/github-workflow.yml"] {
        let text = std::fs::read_to_string(root.join(template)).unwrap();
        for line in text.lines().filter(|l| l.contains("cargo-codex review ")) {
            let command = line
                .split("cargo-codex ")
                .nth(1)
                .unwrap()
                .replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
                .replace("${{ github.base_ref }}", "main")
                .replace('"', "");
            let args: Vec<&str> = command.split_whitespace().collect();
            let out = project.run(&args);
            assert_eq!(out.code, 0, "{template}: `{command}`: {}", out.stderr);
            let outputs: Vec<(&str, &str)> = args
                .windows(2)
                .filter(|pair| pair[0] == "--output")
                .map(|pair| pair[1].split_once('=').unwrap())
                .collect();
            let formats: Vec<&str> = outputs.iter().map(|(format, _)| *format).collect();
            assert_eq!(formats, ["json", "markdown"], "{template}");
            for (format, path) in outputs {
                assert!(
                    text.contains(&format!("- {path}")) || text.contains(&format!(" {path}\n")),
                    "{template} does not publish {path}"
                );
                let written = std::fs::read_to_string(project.path().join(path)).unwrap();
                if format == "json" {
                    let brief: Value = serde_json::from_str(&written).unwrap();
                    assert_contract(&brief);
                    assert_eq!(brief["base"], "origin/main");
                    assert_eq!(brief["summary"]["findings"], 1);
                    let acme = brief["review_rules"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["id"] == "ACME0101")
                        .unwrap();
                    assert_eq!(acme["title"], "network retries are bounded");
                } else {
                    assert!(written.starts_with("<!-- cargo-codex-review -->"));
                    assert!(written.contains("### ⚠ Changes to the Codex"));
                }
                std::fs::remove_file(project.path().join(path)).unwrap();
            }
            ran += 1;
        }
    }
    assert_eq!(ran, 2, "one review per template");
}

/// The sample brief in the README's "For review bots" is what the tool writes for the merge
/// request it describes. Update it with `UPDATE_README=1 cargo test --test integration
/// review::the_readme`.
#[test]
fn the_readme_sample_brief_is_the_tools_output() {
    let project = Project::new();
    project.file(
        "src/config.rs",
        "pub fn load(bytes: &[u8]) -> Result<Features, Error> {\n    let features: Features = serde_json::from_slice(bytes)?;\n    Ok(features)\n}\n",
    );
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "base"]);
    git(&project, &["checkout", "-qb", "feature"]);
    project
        .file(
            "src/config.rs",
            "pub fn load(bytes: &[u8]) -> Result<Features, Error> {\n    let features: Features = serde_json::from_slice(bytes)?;\n    let first = features.first().unwrap(); // codex:allow(CX0001) the generator never writes an empty file\n    Ok(features)\n}\n\npub fn feature(features: &Features, name: &str) -> u8 {\n    features.get(name).expect(\"every feature is known\")\n}\n",
        )
        .file("codex.toml", "[rules.CX0002]\nstage = \"warn\"\n");
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "feature"]);
    let out = project.run(&["review", "--diff", "main", "--budget", "1000tokens"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (start, end) = (
        "<!-- sample-brief:start -->\n````markdown\n",
        "````\n<!-- sample-brief:end -->",
    );
    let from = readme.find(start).expect("the README has a sample brief") + start.len();
    let to = from + readme[from..].find(end).unwrap();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..from], out.stdout, &readme[to..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[from..to],
        out.stdout,
        "the README's sample brief is stale: run with UPDATE_README=1"
    );
}

/// Runs `cargo-codex ARGS` in `project` and fails when it is still running after a deadline
/// far above what linear work takes (so a stall fails the test instead of blocking the suite).
fn bounded(project: &Project, args: &[&str]) -> common::Output {
    use std::time::{Duration, Instant};
    let out = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (out.path().join("stdout"), out.path().join("stderr"));
    let mut child = Command::new(common::binary())
        .args(args)
        .current_dir(project.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(90) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`{args:?}` still running after 90 s, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |path| String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    common::Output {
        stdout: read(&stdout),
        stderr: read(&stderr),
        code: status.code().unwrap_or(-1),
    }
}

/// A merge request is hostile input: tens of thousands of hunks, functions and suppressions,
/// functions nested thousands deep, file names that are markup or terminal escapes, and a link
/// out of the project. The brief ends, stays within its budget, reads nothing outside the root
/// and shows every name as text.
#[test]
fn a_hostile_merge_request_gets_a_bounded_brief() {
    let project = Project::new();
    let many = (0..20_000).fold(String::new(), |mut text, i| {
        let _ = writeln!(text, "pub fn f{i}() {{}}");
        text
    });
    project
        .file("src/lib.rs", "pub mod many;\n")
        .file("src/many.rs", &many);
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "base"]);
    git(&project, &["checkout", "-qb", "feature"]);
    // Every other line changed: 10,000 hunks, each with a new suppression and a lookup.
    let changed: String = (0..20_000)
        .map(|i| {
            if i % 2 == 0 {
                format!("pub fn f{i}() {{ m.get(&1); }} // codex:allow(CX0001) reason {i}\n")
            } else {
                format!("pub fn f{i}() {{}}\n")
            }
        })
        .collect();
    let deep = format!("{}{}", "fn a() {\n".repeat(20_000), "}\n".repeat(20_000));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.rs"),
        "fn secret_fn() { x.unwrap(); } // codex:allow(CX0001) SECRET\n",
    )
    .unwrap();
    project
        .file("src/many.rs", &changed)
        .file("src/deep.rs", &deep)
        .file("src/a\nb\u{1b}[31m<img src=x>.rs", "pub fn named() {}\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.rs"),
        project.path().join("src/leak.rs"),
    )
    .unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "hostile"]);

    let out = bounded(
        &project,
        &[
            "review", "--diff", "main", "--format", "json", "--budget", "none",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let brief: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(!out.stdout.contains("SECRET") && !out.stdout.contains("secret_fn"));
    let many = brief["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "src/many.rs")
        .unwrap();
    let hunks = many["hunks"].as_array().unwrap();
    assert_eq!(hunks.len(), 10_000);
    assert_eq!(hunks[9_999]["function"]["name"], "f19998");
    assert_eq!(hunks[9_999]["suppressions"][0]["reason"], "reason 19998");
    assert_eq!(hunks[9_999]["review_rules"], serde_json::json!(["CX0008"]));
    let paths = strings(&brief["files"], "path");
    assert!(
        paths.contains(&"src/a\nb\u{1b}[31m<img src=x>.rs".to_owned()),
        "{paths:?}"
    );

    let out = bounded(&project, &["review", "--diff", "main", "--budget", "20k"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.len() <= 20_000, "{} bytes", out.stdout.len());
    assert!(!out.stdout.contains('\u{1b}'));
    assert!(out.stdout.contains("### Left out to fit the budget"));
}

#[test]
fn a_codex_file_name_cannot_break_out_of_its_table_cell() {
    use comrak::nodes::NodeValue;
    let project = merge_request();
    // A fixture in a rule folder is a Codex change, listed in the table, where a pipe (even
    // after a backslash, even inside a code span) could end the cell and start HTML.
    project.file(
        "codex-rules/a\\|<img src=x onerror=alert(1)>\\\\|b.rs",
        "x\n",
    );
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-qm", "hostile fixture"]);
    let out = project.run(&["review", "--diff", "main"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let arena = comrak::Arena::new();
    let mut options = comrak::Options::default();
    options.extension.table = true;
    let root = comrak::parse_document(&arena, &out.stdout, &options);
    let mut rows = 0;
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::HtmlInline(html) => panic!("inline HTML {html:?}:\n{}", out.stdout),
            NodeValue::TableRow(_) => {
                rows += 1;
                assert_eq!(node.children().count(), 4, "a row keeps its cells");
            }
            _ => {}
        }
    }
    assert!(rows > 1, "{}", out.stdout);
}
