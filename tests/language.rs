//! The rule language (issue 9, docs/rules.md): one fixture rule per capability
//! (tests/fixtures/language), the real-world example rules (docs/examples), fix templates
//! applied by `--fix`, located load errors, and trigger words that still keep items unparsed.

use std::fmt::Write as _;
use std::path::Path;

use cargo_codex::author::verify;
use cargo_codex::codex::load::load;
use cargo_codex::codex::{Overrides, Sources};

use crate::common::{Project, heads};

fn verify_folder(folder: &str, expected_rules: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let sources = Sources {
        embedded: false,
        rule_dirs: vec![root.join("rules")],
        // Rules adopted from public rulesets cite references, and need no incident records.
        incident_dirs: [root.join("codex")]
            .into_iter()
            .filter(|dir| dir.is_dir())
            .collect(),
        root: root.clone(),
        url_template: None,
    };
    let codex =
        load(&sources, &Overrides::default()).unwrap_or_else(|errors| panic!("{errors:#?}"));
    let verification = verify::verify(&codex, false);
    assert!(
        verification.passed(),
        "{}",
        verify::summarize(&verification)
    );
    assert_eq!(verification.rules.len(), expected_rules);
}

/// Each capability has a rule whose `fail.rs` fires exactly on its marked lines and whose
/// `pass.rs` stays silent.
#[test]
fn every_capability_passes_its_fixtures() {
    verify_folder("tests/fixtures/language", 27);
}

/// The real-world rules of docs/examples (advisories, clippy and rustc lints, semgrep-rules).
#[test]
fn the_example_rules_pass_their_fixtures() {
    verify_folder("docs/examples", 6);
}

const DOC: &str = "doc = \"## What it does\\nx\\n## Why is this bad?\\ny\\n## Example\\nz\"\n";

fn rule(id: &str, body: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"t\"\nseverity = \"warning\"\nstage = \"enforce\"\nreferences = [\"https://example.com/rule\"]\nmessage = \"m\"\n{DOC}\n{body}\n"
    )
}

fn project() -> Project {
    let project = Project::new();
    project.file(
        "codex.toml",
        "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n",
    );
    project
}

#[test]
fn a_fix_template_rewrites_the_node_with_the_bound_source_text() {
    let project = project();
    project
        .file(
            "codex-rules/chars-enumerate.toml",
            &rule(
                "LANG0001",
                "[match]\npattern = \"$S.chars().enumerate()\"\n\n[fix]\ntemplate = \"$S.char_indices()\"\napplicability = \"unsafe\"\n",
            ),
        )
        .file(
            "src/lib.rs",
            "pub fn f(s: &str) -> usize {\n    let n = s .trim( /* kept */ ).chars().enumerate().count();\n    for (i, c) in s\n        .chars()\n        .enumerate()\n    {\n        let _ = (i, c);\n    }\n    n\n}\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:43 LANG0001", "src/lib.rs:5:10 LANG0001"],
        "{}",
        out.stdout
    );
    let out = project.run(&["check", "--fix"]);
    assert_eq!(
        out.code, 1,
        "an unsafe fix is not applied without --unsafe-fixes"
    );
    let out = project.run(&["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let fixed = std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    assert_eq!(
        fixed,
        "pub fn f(s: &str) -> usize {\n    let n = s .trim( /* kept */ ).char_indices().count();\n    for (i, c) in s.char_indices()\n    {\n        let _ = (i, c);\n    }\n    n\n}\n"
    );
}

/// Every mistake is one error, located in the TOML (inside the pattern string for a pattern),
/// with no follow-up error about the same rule.
#[test]
fn load_errors_are_located_once_each() {
    let project = project();
    let cases: &[(&str, &str, &str)] = &[
        (
            "semgrep",
            "[match]\npattern = \"foo(...)\"",
            "semgrep.toml:10:16: `...` is semgrep's ellipsis: write `..` here",
        ),
        (
            "unparsed",
            "[match]\npattern = \"$X.lock(.unwrap()\"",
            "unparsed.toml:10:19: pattern does not parse as a Rust expression",
        ),
        (
            "unsupported",
            "[match]\npattern = \"match $X { _ => 1 }\"",
            "unsupported.toml:10:18: metavariables and `..` are not supported inside",
        ),
        (
            "kind",
            "[match]\nkind = \"unsafe-blok\"",
            "kind.toml:10:8: unknown kind `unsafe-blok`",
        ),
        (
            "stop",
            "[match]\nmethod = \"x\"\nstop_by = \"end\"",
            "stop.toml:11:11: `stop_by` belongs in `inside`",
        ),
        (
            "below",
            "[match]\nmethod = \"x\"\nhas = { pattern = \"a()\", inside = { kind = \"fn\" } }",
            "below.toml:11:7: `inside` and `not_inside` cannot be used within `has`",
        ),
        (
            "unknown-util",
            "[match]\nmethod = \"x\"\nmatches = \"nope\"",
            "unknown-util.toml:11:11: unknown utility `nope`",
        ),
        (
            "cycle",
            "[match]\nmethod = \"x\"\nmatches = \"a\"\n\n[utils.a]\nmatches = \"b\"\n\n[utils.b]\npattern = \"y()\"\nnot = { matches = \"a\" }",
            "cycle.toml:18:19: utility `a` refers back to itself: a → b → a",
        ),
        (
            "where",
            "[match]\npattern = \"f($X)\"\n\n[match.where.Y]\nregex = \"a\"",
            "where.toml:12:1: `$Y` is not a metavariable of this rule's patterns",
        ),
        (
            "run",
            "[match]\npattern = \"f($...X)\"\n\n[match.where.X]\nkind = \"literal\"",
            "run.toml:12:1: `$...X` is a run",
        ),
        (
            "template",
            "[match]\npattern = \"f($X)\"\n\n[fix]\ntemplate = \"g($Y)\"\napplicability = \"safe\"",
            "template.toml:13:12: `$Y` in the template is not a metavariable",
        ),
        (
            "negative",
            "[match]\nnot = { pattern = \"f()\" }",
            "negative.toml:9:1: `[match]` must say what the flagged node is",
        ),
        (
            "regex",
            "[match]\npattern = \"f($X)\"\nregex = \"(unclosed\"",
            "regex.toml:11:9: invalid regular expression",
        ),
        (
            "two",
            "[match]\npattern = \"f()\"\nmethod = \"g\"\ninside = { kind = \"fn\" }",
            "two.toml:10:11: a rule object has one of `pattern`, `method`, `macro` or `call`",
        ),
    ];
    for (name, body, _) in cases {
        project.file(
            &format!("codex-rules/{name}.toml"),
            &rule("LANG0001", body).replace("LANG0001", &format!("LANG{:04}", name.len())),
        );
    }
    project.file("src/lib.rs", "pub fn f() {}\n");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    for (name, _, expected) in cases {
        let found: Vec<&&str> = errors
            .iter()
            .filter(|line| line.contains(&format!("/{name}.toml:")))
            .collect();
        assert_eq!(found.len(), 1, "{name}: {found:#?}\n{}", out.stderr);
        assert!(found[0].contains(expected), "{name}: {}", found[0]);
    }
}

/// A single name needs no list; one rule file may combine a shared utility with a local one.
#[test]
fn names_alone_and_utilities_shared_and_local() {
    let project = project();
    project
        .file(
            "codex-rules/utils.toml",
            "[forget-call]\npattern = \"std::mem::forget($X)\"\n",
        )
        .file(
            "codex-rules/exit.toml",
            &rule("LANG0001", "[match]\ncall = \"std::process::exit\""),
        )
        .file(
            "codex-rules/forget.toml",
            &rule(
                "LANG0002",
                "[match]\nany = [{ matches = \"forget-call\" }, { matches = \"local\" }]\n\n[utils.local]\npattern = \"std::mem::drop($X)\"",
            ),
        )
        .file(
            "src/lib.rs",
            "use std::mem;\npub fn f(x: u8) {\n    mem::forget(x);\n    mem::drop(x);\n    std::process::exit(1);\n}\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:3:10 LANG0002",
            "src/lib.rs:4:10 LANG0002",
            "src/lib.rs:5:19 LANG0001"
        ],
        "{}{}",
        out.stdout,
        out.stderr
    );
}

/// Trigger words come from the rule: an item holding none is not parsed (its syntax error goes
/// unseen), unless some rule's words cannot be derived, which makes every item parsed.
#[test]
fn items_without_a_rule_word_stay_unparsed_unless_a_rule_has_no_word() {
    let project = project();
    project
        .file(
            "codex-rules/unsafe-block.toml",
            &rule("LANG0001", "[match]\npattern = \"unsafe { .. }\""),
        )
        .file(
            "src/lib.rs",
            "pub fn broken() { let = ; }\npub fn f(p: *const u8) -> u8 { unsafe { *p } }\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:32 LANG0001"],
        "{}",
        out.stdout
    );
    project.file(
        "codex-rules/closure.toml",
        &rule("LANG0002", "[match]\nkind = \"closure\""),
    );
    let out = project.run(&["check", "--format", "concise"]);
    let found = heads(&out.stdout);
    assert!(
        found
            .iter()
            .any(|line| line.starts_with("src/lib.rs:1:") && line.contains("CX9")),
        "the broken item is parsed once a rule has no word: {found:?}"
    );
}

/// Run searches are paid from a budget linear in the file: a statement sequence that would
/// be searched from each of 20k statements to the end of their block finishes, and the rest of
/// the file is still checked.
#[test]
fn a_sequence_search_over_a_huge_block_stays_linear() {
    let project = project();
    let block = format!(
        "pub fn g() {{\n{}    never(b);\n}}\npub fn h(p: *const u8) -> u8 {{ unsafe {{ *p }} }}\n",
        "    let a = x();\n".repeat(20_000)
    );
    project
        .file(
            "codex-rules/sequence.toml",
            &rule(
                "LANG0001",
                "[match]\npattern = \"let $A = x(); ..; never($A);\"",
            ),
        )
        .file(
            "codex-rules/unsafe.toml",
            &rule("LANG0002", "[match]\npattern = \"unsafe { .. }\""),
        )
        .file("src/lib.rs", &block);
    let started = std::time::Instant::now();
    let out = project.run(&["check", "--format", "concise"]);
    let found = heads(&out.stdout);
    assert_eq!(
        found,
        ["src/lib.rs:2:5 CX9007", "src/lib.rs:20004:32 LANG0002"],
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("rule LANG0001 ran out of its search budget")
    );
    // A bound on a hang, not a speed test: the quadratic search is 200 million steps.
    assert!(started.elapsed().as_secs() < 120);
}

/// A `has` search that runs out of its rule's budget in a file is reported once for that rule
/// and file (CX9007, enforced, so the run fails), at the node where it ran out; the rule's
/// findings before it stay (its `&never()` in `last` is the one lost), and other rules are
/// not starved.
#[test]
fn a_has_search_out_of_budget_is_reported_once_per_rule_and_file() {
    let project = project();
    // Each `&&..&x` nests 200 references: every one is a candidate whose `has` search walks
    // all the references below it, 20,000 steps for about 250 bytes. `never` is a parameter,
    // so that the rule's word keeps the item parsed.
    let deep = format!("{}x", "&".repeat(200));
    let mut text = String::from("pub fn first() -> u8 { let _ = &never(); 0 }\n");
    for n in 0..200 {
        writeln!(
            text,
            "pub fn f{n}(x: u8, never: u8) {{ let _ = (never, {deep}); }}"
        )
        .unwrap();
    }
    text.push_str("pub fn last() -> u8 { let _ = &never(); unsafe { 0 } }\n");
    project
        .file(
            "codex-rules/has.toml",
            &rule(
                "LANG0001",
                "[match]\nkind = \"reference\"\nhas = { call = [\"never\"], stop_by = \"end\" }\n",
            ),
        )
        .file(
            "codex-rules/unsafe.toml",
            &rule("LANG0002", "[match]\npattern = \"unsafe { .. }\"\n"),
        )
        .file("src/lib.rs", &format!("mod other;\n{text}"))
        .file("src/other.rs", &text);
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:2:32 LANG0001",
            "src/lib.rs:164:150 CX9007",
            "src/lib.rs:203:41 LANG0002",
            "src/other.rs:1:32 LANG0001",
            "src/other.rs:163:143 CX9007",
            "src/other.rs:202:41 LANG0002",
        ],
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout
            .matches("rule LANG0001 ran out of its search budget")
            .count(),
        2,
        "{}",
        out.stdout
    );
}
