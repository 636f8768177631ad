//! Issue 9, "authoring, measured while porting": a Codex's own code prefix and `new --id`,
//! references beside incidents, a scaffold that cannot pass `test` unfilled, `test` with
//! nothing to test, a harness that says where (diffs, parse errors, columns, shadow rules
//! blessed as enforced), rule-file errors all at once and each once, `stage` required, and an
//! explicitly named file always checked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fs;
use std::path::Path;

use common::{Project, heads};

/// A project rule flagging `.lock()`, citing only a public reference.
const LOCK: &str = r###"id = "ACME0001"
title = "mutex lock on the request path"
severity = "error"
stage = "enforce"
references = ["RUSTSEC-2024-0001", "https://example.com/lock-convoy"]
message = "locking a mutex on the request path"
doc = "## What it does\nx\n## Why is this bad?\ny\n## Example\nz"

[match]
method = ["lock"]
"###;

/// A project with `prefix = "ACME"` and its rules in `rules/`, incidents in `codex/`.
fn project() -> Project {
    let project = Project::new();
    project
        .file(
            "codex.toml",
            "prefix = \"ACME\"\nrule_dirs = [\"rules\"]\nincident_dirs = [\"codex\"]\n",
        )
        .file("codex/.keep", "")
        .file("rules/.keep", "")
        .file("src/lib.rs", "pub fn f(m: &M) { m.lock(); }\n");
    project
}

fn read(project: &Project, path: &str) -> String {
    fs::read_to_string(project.path().join(path)).unwrap()
}

/// Replaces what `cargo codex new` left to fill in a rule named `name` (code `code`), as an
/// author would: a real title, message, help and doc, a `lock` matcher and fixtures.
fn fill(project: &Project, name: &str, code: &str) {
    let path = format!("rules/{name}.toml");
    let mut rule = read(project, &path);
    for (placeholder, text) in [
        ("TODO: the pattern, in a few words", "mutex lock"),
        (
            "TODO: what is wrong, lowercase, no final period",
            "locking a mutex",
        ),
        ("TODO: how to fix it", "send a message instead"),
        ("TODO: what the rule flags.", "Flags `.lock()`."),
        ("input.replace_me_safely();", "input.send();"),
        ("input.replace_me();", "input.lock();"),
        ("[\"replace_me\"]", "[\"lock\"]"),
    ] {
        rule = rule.replace(placeholder, text);
    }
    let why = rule
        .lines()
        .find(|line| line.starts_with("TODO: what happened"))
        .unwrap()
        .to_owned();
    rule = rule.replace(&why, "It convoyed.");
    project
        .file(&path, &rule)
        .file(
            &format!("rules/{name}/fail.rs"),
            &format!("pub fn f(m: &M) {{\n    m.lock(); //~ {code}\n}}\n"),
        )
        .file(
            &format!("rules/{name}/pass.rs"),
            "pub fn f(m: &M) {\n    m.send();\n}\n",
        );
}

#[test]
fn new_numbers_rules_with_the_projects_prefix_and_takes_an_id() {
    let project = project();
    let out = project.run(&[
        "new",
        "lock-on-request-path",
        "--incident",
        "2026-02-03-convoy",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("created rule ACME0001 `lock-on-request-path`"),
        "{}",
        out.stdout
    );
    let out = project.run(&["new", "lock-in-drop", "--incident", "2026-02-03-convoy"]);
    assert!(
        out.stdout.contains("created rule ACME0002"),
        "{}",
        out.stdout
    );
    assert!(read(&project, "rules/lock-in-drop.toml").starts_with("id = \"ACME0002\"\n"));

    // `--id`: taken by a rule, by an incident record's `rules`, by the default Codex, or not a
    // code at all.
    for (id, said) in [
        (
            "ACME0001",
            "code ACME0001 is already used by rule `lock-on-request-path`",
        ),
        (
            "CX0001",
            "code CX0001 is already used by rule `unwrap-outside-tests`",
        ),
        ("acme7", "`acme7` is not a rule code"),
        ("CX9100", "reserved for the tool's own rules"),
    ] {
        let out = project.run(&["new", "other", "--reference", "CWE-400", "--id", id]);
        assert_eq!(out.code, 2, "{id}");
        assert!(out.stderr.contains(said), "{id}: {}", out.stderr);
    }
    project.file(
        "codex/2026-01-01-old.toml",
        "date = \"2026-01-01\"\ntitle = \"t\"\nsummary = \"s\"\nrules = [\"ACME0040\"]\n",
    );
    let out = project.run(&["new", "other", "--reference", "CWE-400", "--id", "ACME0040"]);
    assert!(
        out.stderr
            .contains("code ACME0040 is already used by incident record codex/2026-01-01-old.toml"),
        "{}",
        out.stderr
    );
    // The next free code skips the codes incident records cite.
    let out = project.run(&["new", "other", "--reference", "CWE-400"]);
    assert!(
        out.stdout.contains("created rule ACME0041"),
        "{}",
        out.stdout
    );
    let out = project.run(&[
        "new",
        "chosen",
        "--reference",
        "CWE-400",
        "--id",
        "ACME0100",
    ]);
    assert!(
        out.stdout.contains("created rule ACME0100"),
        "{}",
        out.stdout
    );

    // A rule codex.toml turns off still holds its code.
    let config = read(&project, "codex.toml");
    project.file(
        "codex.toml",
        &format!("{config}[rules.ACME0100]\nenabled = false\n"),
    );
    let out = project.run(&["new", "after", "--reference", "CWE-400"]);
    assert!(
        out.stdout.contains("created rule ACME0101"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_user_repository_never_gets_cx_codes_unless_that_is_its_prefix() {
    let project = Project::new();
    project.file("src/lib.rs", "");
    let out = project.run(&["new", "lock-thing", "--incident", "2026-02-03-convoy"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("this project has no rule code prefix: add `prefix = \"ACME\"`"),
        "{}",
        out.stderr
    );
    assert!(!project.path().join("rules").exists());

    // The prefix its own rules share, when codex.toml names none.
    project
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file("rules/lock.toml", LOCK);
    let out = project.run(&["new", "lock-thing", "--reference", "CWE-833"]);
    assert!(
        out.stdout.contains("created rule ACME0002"),
        "{}",
        out.stdout
    );

    // A prefix that cannot start a code is a located error.
    project.file("codex.toml", "prefix = \"Acme1\"\n");
    let out = project.run(&["new", "x", "--reference", "CWE-833"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("codex.toml:1:10: `prefix` `Acme1` must be 1 to 8 upper-case ASCII letters"),
        "{}",
        out.stderr
    );
}

#[test]
fn new_takes_references_instead_of_an_incident_and_needs_one_or_the_other() {
    let project = project();
    let out = project.run(&["new", "lock-thing"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--incident"), "{}", out.stderr);
    assert!(out.stderr.contains("--reference"), "{}", out.stderr);
    let out = project.run(&["new", "lock-thing", "--reference", "someone said so"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`someone said so` is not a reference"),
        "{}",
        out.stderr
    );
    let out = project.run(&[
        "new",
        "lock-thing",
        "--reference",
        "RUSTSEC-2024-0001",
        "--reference",
        "https://example.com/a \"quoted\" path",
    ]);
    assert_eq!(out.code, 2, "a link holds no blank");
    let out = project.run(&[
        "new",
        "lock-thing",
        "--reference",
        "RUSTSEC-2024-0001",
        "--reference",
        "https://example.com/post-mortem",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rule = read(&project, "rules/lock-thing.toml");
    assert!(
        rule.contains(
            "references = [\"RUSTSEC-2024-0001\", \"https://example.com/post-mortem\"]\n"
        ),
        "{rule}"
    );
    assert!(!rule.contains("incidents ="), "{rule}");
    assert_eq!(
        fs::read_dir(project.path().join("codex")).unwrap().count(),
        1,
        "no incident record is written for a reference"
    );
    // The scaffold says that `stage` is required, and lists every matcher kind.
    assert!(rule.contains("# Required. shadow:"), "{rule}");
    for kind in cargo_codex::codex::matcher::KINDS {
        assert!(rule.contains(kind.example), "{}", kind.key);
    }
}

#[test]
fn references_are_shown_where_incidents_are() {
    let project = project();
    project.file("rules/lock-on-request-path.toml", LOCK);
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "ACME0001");
    assert_eq!(
        d["references"],
        serde_json::json!(["RUSTSEC-2024-0001", "https://example.com/lock-convoy"])
    );
    assert_eq!(d["incidents"], serde_json::json!([]));
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diagnostics-v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(jsonschema::is_valid(&schema, &json));

    let out = project.run(&["check", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["references"][0],
        "RUSTSEC-2024-0001"
    );
    let out = project.run(&["check"]);
    assert!(
        out.stdout
            .contains("references RUSTSEC-2024-0001, https://example.com/lock-convoy"),
        "{}",
        out.stdout
    );
    let out = project.run(&["check", "--format", "markdown"]);
    assert!(
        out.stdout.contains("(see RUSTSEC\\-2024\\-0001"),
        "{}",
        out.stdout
    );

    let out = project.run(&["explain", "ACME0001"]);
    assert!(
        out.stdout.contains(
            "## References\n- RUSTSEC-2024-0001: https://rustsec.org/advisories/RUSTSEC-2024-0001.html\n- https://example.com/lock-convoy\n"
        ),
        "{}",
        out.stdout
    );
    let out = project.run(&["rules", "--format", "json"]);
    let catalog: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rule = catalog["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == "ACME0001")
        .unwrap();
    assert_eq!(rule["references"][0], "RUSTSEC-2024-0001");
}

#[test]
fn a_rule_cites_an_incident_or_a_reference() {
    let project = project();
    project
        .file(
            "rules/empty-list.toml",
            &LOCK.replace(
                "references = [\"RUSTSEC-2024-0001\", \"https://example.com/lock-convoy\"]",
                "incidents = []",
            ),
        )
        .file(
            "rules/no-source.toml",
            &LOCK.replace("ACME0001", "ACME0002").replace(
                "references = [\"RUSTSEC-2024-0001\", \"https://example.com/lock-convoy\"]\n",
                "",
            ),
        )
        .file(
            "rules/bad-reference.toml",
            &LOCK
                .replace("ACME0001", "ACME0003")
                .replace("\"RUSTSEC-2024-0001\"", "\"the post-mortem\""),
        );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    for expected in [
        "rules/bad-reference.toml:5:15: `the post-mortem` is not a reference: write a link",
        "rules/empty-list.toml:5:13: cite where the rule comes from: `incidents = [",
        "rules/no-source.toml:1:6: cite where the rule comes from",
        "the Codex could not be loaded: 3 errors",
    ] {
        assert!(
            out.stderr.contains(expected),
            "missing `{expected}`:\n{}",
            out.stderr
        );
    }
}

#[test]
fn a_scaffold_fails_test_until_its_placeholders_are_replaced() {
    let project = project();
    project.run(&[
        "new",
        "lock-on-request-path",
        "--incident",
        "2026-02-03-convoy",
    ]);
    let out = project.run(&["test", "--bless"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    for expected in [
        "test ACME0001 lock-on-request-path ... FAILED",
        "rules/lock-on-request-path.toml:2:10: title = \"TODO: the pattern, in a few words\"",
        "rules/lock-on-request-path.toml:",
        ": method = [\"replace_me\"]",
        "rules/lock-on-request-path/fail.rs:4:11: input.replace_me(); //~ ACME0001",
        "rules/lock-on-request-path/pass.rs:3:11: input.replace_me_safely();",
        "codex/2026-02-03-convoy.toml:2:10: title = \"TODO: what failed, in one line\"",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            out.stdout
        );
    }
    fill(&project, "lock-on-request-path", "ACME0001");
    let record = read(&project, "codex/2026-02-03-convoy.toml");
    let record: String = record
        .lines()
        .map(|line| line.replace("TODO: ", ""))
        .collect::<Vec<_>>()
        .join("\n");
    project.file("codex/2026-02-03-convoy.toml", &record);
    let out = project.run(&["test", "--bless"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);
}

#[test]
fn test_with_nothing_to_test_says_so_and_fails() {
    let project = Project::new();
    project.file("src/lib.rs", "");
    let out = project.run(&["test"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "error: no rule folder to test: name one (`cargo codex test rules`) or list it in codex.toml"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    project.file("empty/.keep", "");
    let out = project.run(&["test", "empty"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: no rule files (`*.toml`) in empty"),
        "{}",
        out.stderr
    );
    let out = project.run(&["test", "missing"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot read missing"), "{}", out.stderr);
}

/// A project with one tested rule, `lock-on-request-path` (ACME0001), of stage `stage`.
fn tested(stage: &str) -> Project {
    let project = project();
    project
        .file(
            "rules/lock-on-request-path.toml",
            &LOCK.replace("stage = \"enforce\"", &format!("stage = \"{stage}\"")),
        )
        .file(
            "rules/lock-on-request-path/fail.rs",
            "pub fn f(m: &M) {\n    m.lock(); //~ ACME0001\n    n.lock(); //~ ACME0001\n}\n",
        )
        .file("rules/lock-on-request-path/pass.rs", "pub fn f() {}\n");
    project
}

#[test]
fn bless_records_a_shadow_rules_findings_as_if_enforced() {
    let project = tested("shadow");
    let out = project.run(&["test", "--bless"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let stderr = read(&project, "rules/lock-on-request-path/fail.stderr");
    assert!(
        stderr.starts_with("[ACME0001] Error: mutex lock on the request path\n"),
        "{stderr}"
    );
    assert!(stderr.contains("stage enforce"), "{stderr}");
    assert!(stderr.contains("Found 2 findings (2 enforced)"), "{stderr}");
    assert!(!stderr.contains("No findings"), "{stderr}");
}

#[test]
fn a_changed_output_is_shown_as_a_diff() {
    let project = tested("enforce");
    project.run(&["test", "--bless"]);
    let path = "rules/lock-on-request-path/fail.stderr";
    let blessed = read(&project, path);
    project.file(
        path,
        &blessed.replace("locking a mutex on the request path", "locking a mutex"),
    );
    let out = project.run(&["test"]);
    assert_eq!(out.code, 1);
    for expected in [
        "rules/lock-on-request-path/fail.stderr differs from the output (`--bless` updates it):",
        "--- rules/lock-on-request-path/fail.stderr (expected)",
        "+++ rules/lock-on-request-path/fail.stderr (actual)",
        "@@ ",
        "-   │         ╰─── locking a mutex\n",
        "+   │         ╰─── locking a mutex on the request path\n",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            out.stdout
        );
    }
    // Lines far from a change are not shown: not both outputs whole.
    assert!(!out.stdout.contains("[ACME0001] Error"), "{}", out.stdout);
}

#[test]
fn failures_say_where_with_the_code_and_a_syntax_error_is_reported() {
    let project = tested("enforce");
    project.file(
        "rules/lock-on-request-path/fail.rs",
        "pub fn f(m: &M) {\n    m.lock(); //~ ACME0001\n    m.unlock(); //~ ACME0001\n    n.lock();\n}\n",
    );
    let out = project.run(&["test", "--bless"]);
    assert_eq!(out.code, 1);
    for expected in [
        "rules/lock-on-request-path/fail.rs: 1 marked line(s) not reported, 1 finding(s) not marked",
        "  - rules/lock-on-request-path/fail.rs:3: marked `//~ ACME0001`, not reported: m.unlock();",
        "  + rules/lock-on-request-path/fail.rs:4:7: reported, not marked: n.lock();",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            out.stdout
        );
    }

    project.file(
        "rules/lock-on-request-path/fail.rs",
        "pub fn f(m: &M) {\n    m.lock(); //~ ACME0001\n    let x = 1 +;\n}\n",
    );
    let out = project.run(&["test"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(
            "rules/lock-on-request-path/fail.rs:3:16: source file that does not parse: syntax error: expected an expression"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\n      let x = 1 +;\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn every_shape_error_of_a_rule_file_at_once_each_said_once() {
    let project = project();
    project.file(
        "rules/broken.toml",
        "id = \"ACME0001\"\nseverity = \"loud\"\ntitel = \"t\"\nreferences = \"CWE-400\"\n[match]\ncall = \"std::process::exit\"\nmethod = [\"ok\", 3]\n[fix]\napplicability = \"sometimes\"\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    let expected = [
        "error: rules/broken.toml:1:1: missing fields `title`, `stage`, `message`, `doc`; write `stage = \"shadow\"` for a new rule",
        "error: rules/broken.toml:2:12: unknown severity `loud`",
        "error: rules/broken.toml:3:1: unknown field `titel`",
        "error: rules/broken.toml:4:14: expected a list, found string \"CWE-400\": write `[\"CWE-400\"]`",
        "error: rules/broken.toml:7:17: invalid type: integer `3`, expected a string",
        "error: rules/broken.toml:9:17: unknown applicability `sometimes`",
        "the Codex could not be loaded: 6 errors",
    ];
    // A matcher's names may be one name alone (docs/rules.md): `call = "x"` is not an error.
    assert!(!out.stderr.contains("broken.toml:6:"), "{}", out.stderr);
    let mut at = 0;
    for line in expected {
        let found = out.stderr[at..]
            .find(line)
            .unwrap_or_else(|| panic!("missing (or out of order) `{line}`:\n{}", out.stderr));
        at += found + line.len();
    }
    // Each said once: the message is not repeated in the drawing under it.
    assert_eq!(
        out.stderr.matches("unknown field `titel`").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(" 3 │ titel = \"t\"\n   │ ─────"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_entry_is_the_error_not_its_list_or_table() {
    let project = project();
    project
        .file(
            "rules/bad-entry.toml",
            &LOCK.replace("method = [\"lock\"]", "method = [\"a b\"]"),
        )
        .file(
            "rules/bad-pattern.toml",
            &LOCK
                .replace("ACME0001", "ACME0002")
                .replace("method = [\"lock\"]", "pattern = \"$X.lock((\""),
        );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("rules/bad-entry.toml:10:11: `a b` is not a method name"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("must list at least one"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("needs a matcher kind"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("the Codex could not be loaded: 2 errors"),
        "{}",
        out.stderr
    );
}

#[test]
fn stage_is_required_and_says_what_to_write() {
    let project = project();
    project.file(
        "rules/lock.toml",
        &LOCK.replace("stage = \"enforce\"\n", ""),
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "rules/lock.toml:1:1: missing field `stage`; write `stage = \"shadow\"` for a new rule"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn an_explicitly_named_file_is_always_checked() {
    let project = tested("enforce");
    project.file(
        "codex.toml",
        "prefix = \"ACME\"\nrule_dirs = [\"rules\"]\nincident_dirs = [\"codex\"]\nexclude = [\"generated\"]\n",
    )
    .file("generated/g.rs", "pub fn g(m: &M) { m.lock(); }\n");
    // The walk leaves out rule folders and `exclude`.
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:1:21 ACME0001"],
        "{}",
        out.stdout
    );
    // A file named on the command line is checked all the same.
    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "rules/lock-on-request-path/fail.rs",
        "generated/g.rs",
    ]);
    assert_eq!(
        heads(&out.stdout),
        [
            "generated/g.rs:1:21 ACME0001",
            "rules/lock-on-request-path/fail.rs:2:7 ACME0001",
            "rules/lock-on-request-path/fail.rs:3:7 ACME0001",
        ],
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("in 2 of 2 files"), "{}", out.stdout);
    // Unless --force-exclude (or `force_exclude`) says otherwise, as a hook passing every
    // staged file needs; the run says which it left out.
    let out = project.run(&[
        "check",
        "--force-exclude",
        "rules/lock-on-request-path/fail.rs",
        "src/lib.rs",
    ]);
    assert!(
        out.stderr.contains(
            "note: rules/lock-on-request-path/fail.rs is not checked: `exclude` or a rule folder covers it"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("in 1 of 1 file"), "{}", out.stdout);
    let config = read(&project, "codex.toml");
    project.file("codex.toml", &format!("force_exclude = true\n{config}"));
    let out = project.run(&["check", "--format", "concise", "generated/g.rs"]);
    assert!(heads(&out.stdout).is_empty(), "{}", out.stdout);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains("note: generated/g.rs is not checked"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_value_where_a_list_is_expected_shows_the_list_in_codex_toml_too() {
    let project = Project::new();
    project
        .file("src/lib.rs", "")
        .file("codex.toml", "rule_dirs = \"rules\"\nexclude = \"gen\"\n");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    for expected in [
        "codex.toml:1:13: `rule_dirs`: expected a list, found string \"rules\": write `[\"rules\"]`",
        "codex.toml:2:11: expected a list, found string \"gen\": write `[\"gen\"]`",
    ] {
        assert!(
            out.stderr.contains(expected),
            "missing `{expected}`:\n{}",
            out.stderr
        );
    }
}
