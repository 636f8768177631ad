//! End to end: codex.toml layering, a project's own rules, and precise errors for bad rule and
//! configuration files (file, line, column, a drawn underline; exit 2; every error at once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fmt::Write as _;

use common::{Project, heads};

const CODE: &str = "pub fn f(m: &std::sync::Mutex<u8>) -> u8 {\n    let v = Some(1).unwrap();\n    *m.lock().expect(\"poisoned\") + v\n}\n";

#[test]
fn overrides_change_stage_and_turn_rules_off() {
    let project = Project::new();
    project.file("src/lib.rs", CODE);
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:21 CX0001", "src/lib.rs:3:15 CX0002"]
    );
    assert_eq!(out.code, 1);

    project.file(
        "codex.toml",
        "[rules.CX0001]\nstage = \"warn\"\n[rules.expect-outside-tests]\nenabled = false\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), ["src/lib.rs:2:21 CX0001"]);
    assert_eq!(out.code, 0, "a warn-stage finding does not fail the run");

    project.file("codex.toml", "[rules.CX0001]\nstage = \"shadow\"\nseverity = \"info\"\n[rules.CX0002]\nenabled = false\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        Vec::<String>::new(),
        "shadow findings stay out of human formats"
    );
    assert_eq!(out.code, 0);
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["stage"], "shadow");
    assert_eq!(json["diagnostics"][0]["severity"], "info");
    assert_eq!(json["summary"]["enforced"], 0);
}

#[test]
fn a_projects_own_rules_are_loaded_tested_and_enforced() {
    let project = Project::new();
    project
        .file("src/lib.rs", CODE)
        .file("src/legacy/old.rs", CODE)
        .file("codex-rules/mutex-lock-on-request-path.toml", common::LOCK_RULE)
        .file("codex-rules/mutex-lock-on-request-path/fail.rs", "fn f(m: &M) { m.lock(); } //~ ACME0001\n")
        .file("codex-rules/mutex-lock-on-request-path/pass.rs", "fn f(m: &M) { m.try_lock(); }\n")
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\nexclude = [\"target-like\"]\n[rules.CX0001]\nenabled = false\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/legacy/old.rs:3:15 CX0002",
            "src/lib.rs:3:8 ACME0001",
            "src/lib.rs:3:15 CX0002"
        ],
        "{}",
        out.stdout
    );
    let out = project.run(&["test", "codex-rules", "--bless"]);
    assert!(
        out.stdout
            .contains("test ACME0001 mutex-lock-on-request-path ... ok"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert_eq!(out.code, 0);
    let out = project.run(&["test", "codex-rules"]);
    assert_eq!(out.code, 0, "{}", out.stdout);

    project.file(
        "codex-rules/mutex-lock-on-request-path/pass.rs",
        "fn f(m: &M) { m.lock(); }\n",
    );
    let out = project.run(&["test", "codex-rules"]);
    assert!(
        out.stdout
            .contains("+ codex-rules/mutex-lock-on-request-path/pass.rs:1:17: reported, not marked: fn f(m: &M) { m.lock(); }"),
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);
}

#[test]
fn exclude_globs_and_gitignore_and_target_are_skipped() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() {}\n")
        .file("generated/big.rs", "fn f() { Some(1).unwrap(); }\n")
        .file("ignored/x.rs", "fn f() { Some(1).unwrap(); }\n")
        .file(".gitignore", "ignored/\n")
        .file("Cargo.toml", "[package]\nname = \"x\"\n")
        .file(
            "target/debug/build/out.rs",
            "fn f() { Some(1).unwrap(); }\n",
        )
        .file("codex.toml", "exclude = [\"generated\"]\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), Vec::<String>::new(), "{}", out.stdout);
    assert!(out.stdout.contains("No findings in 1 file."));
}

#[test]
fn every_rule_file_error_is_shown_with_its_place() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() {}\n")
        .file(
            "rules/unknown-key.toml",
            &common::LOCK_RULE
                .replace("ACME0001", "ACME0002")
                .replace("title =", "titel ="),
        )
        .file(
            "rules/wrong-type.toml",
            &common::LOCK_RULE
                .replace("ACME0001", "ACME0003")
                .replace("severity = \"warning\"", "severity = 3"),
        )
        .file("rules/duplicate-code.toml", common::LOCK_RULE)
        .file("rules/mutex-lock.toml", common::LOCK_RULE)
        .file(
            "rules/bad-glob.toml",
            &common::LOCK_RULE
                .replace("ACME0001", "ACME0004")
                .replace("src/legacy/**", "src/[legacy"),
        )
        .file(
            "rules/unknown-incident.toml",
            &common::LOCK_RULE.replace("ACME0001", "ACME0005").replace(
                "stage = \"enforce\"",
                "stage = \"enforce\"\nincidents = [\"2031-01-01-nope\"]",
            ),
        )
        .file(
            "rules/no-matcher.toml",
            &common::LOCK_RULE
                .replace("ACME0001", "ACME0006")
                .replace("method = [\"lock\"]\n", ""),
        )
        .file(
            "rules/unknown-kind.toml",
            &common::LOCK_RULE
                .replace("ACME0001", "ACME0007")
                .replace("method =", "methods ="),
        )
        .file("codex.toml", "rule_dirs = [\"rules\"]\n");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let err = &out.stderr;
    for expected in [
        "rules/unknown-key.toml:1:1: missing field `title`",
        "rules/unknown-key.toml:2:1: unknown field `titel`",
        "rules/wrong-type.toml:3:12: invalid type: integer `3`, expected a string",
        "rules/mutex-lock.toml:1:6: rule `ACME0001` is already defined in rules/duplicate-code.toml",
        "rules/bad-glob.toml:12:18: invalid glob `src/[legacy`",
        "rules/unknown-incident.toml:5:14: unknown incident `2031-01-01-nope`",
        "rules/no-matcher.toml:10:1: `[match]` needs a matcher kind",
        "rules/unknown-kind.toml:11:1: unknown field `methods`, expected one of `method`, `macro`",
        "the Codex could not be loaded: 8 errors",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(
        err.contains("───"),
        "errors are drawn under the offending text:\n{err}"
    );
}

#[test]
fn configuration_errors_are_located_too() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() {}\n").file(
        "codex.toml",
        "exclude = [\"a\"]\nmax_file_sise = 3\n[rules.CX0404]\nstage = \"warn\"\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("codex.toml:2:1: unknown field `max_file_sise`"),
        "{}",
        out.stderr
    );
    project.file(
        "codex.toml",
        "rule_dirs = [\"nowhere\"]\n[rules.CX0404]\nstage = \"warn\"\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("codex.toml:1:14: folder `nowhere` does not exist"),
        "{}",
        out.stderr
    );
    project.file("codex.toml", "[rules.CX0404]\nstage = \"warn\"\n");
    let out = project.run(&["check"]);
    assert!(
        out.stderr.contains("codex.toml:1:8: unknown rule `CX0404`"),
        "{}",
        out.stderr
    );
    project.file("codex.toml", "[rules.CX0001]\nstage = \"loud\"\n");
    let out = project.run(&["check"]);
    assert!(
        out.stderr.contains(
            "codex.toml:2:9: unknown stage `loud`: expected one of `shadow`, `warn`, `enforce`"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn new_scaffolds_a_rule_that_loads_and_ships_in_shadow() {
    let project = Project::new();
    project
        .file(
            "codex.toml",
            "rule_dirs = [\"codex-rules\"]\nincident_dirs = [\"incidents\"]\n",
        )
        .file(
            "codex-rules/mutex-lock-on-request-path.toml",
            common::LOCK_RULE,
        )
        .file(
            "codex-rules/mutex-lock-on-request-path/fail.rs",
            "fn f(m: &M) { m.lock(); } //~ ACME0001\n",
        )
        .file("codex-rules/mutex-lock-on-request-path/pass.rs", "\n")
        .file("incidents/.keep", "")
        .file("src/lib.rs", "pub fn f(i: &I) { i.replace_me(); }\n");
    let out = project.run(&[
        "new",
        "lock-held-across-await",
        "--incident",
        "2026-02-03-lock-convoy",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("created rule ACME0002 `lock-held-across-await` (stage shadow)"),
        "{}",
        out.stdout
    );
    for file in [
        "codex-rules/lock-held-across-await.toml",
        "codex-rules/lock-held-across-await/fail.rs",
        "codex-rules/lock-held-across-await/pass.rs",
        "incidents/2026-02-03-lock-convoy.toml",
    ] {
        assert!(project.path().join(file).is_file(), "{file} missing");
    }
    // It loads, but its placeholders fail `test` until they are replaced (see author.rs).
    let out = project.run(&["test", "codex-rules", "--bless"]);
    assert!(
        out.stdout
            .contains("test ACME0002 lock-held-across-await ... FAILED"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert_eq!(out.code, 1);
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["rule"], "ACME0002");
    assert_eq!(json["diagnostics"][0]["stage"], "shadow");
    assert_eq!(out.code, 0);

    let again = project.run(&[
        "new",
        "lock-held-across-await",
        "--incident",
        "2026-02-03-lock-convoy",
    ]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"));
    let bad = project.run(&["new", "NoCamel", "--incident", "2026-02-03-x"]);
    assert!(bad.stderr.contains("must be kebab-case"));
    let bad = project.run(&["new", "ok-name", "--incident", "yesterday"]);
    assert!(bad.stderr.contains("must be a date"));
}

/// Issue 7, "also weak today": every type error of codex.toml at once, `scopes = []` located
/// on `scopes`, pattern carets right through `\u` escapes and `"""` strings, and thousands of
/// unknown `[rules.X]` tables reported in linear time.
#[test]
fn i7_load_errors_are_all_shown_each_in_its_place() {
    let project = Project::new();
    project
        .file("src/lib.rs", "fn f() {}\n")
        .file(
            "codex.toml",
            "default_rules = \"yes\"\nmax_file_size = -1\ncolour = true\nrule_dirs = [\"rules\"]\n[rules.CX0001]\nstage = \"loud\"\n",
        );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    for place in [
        "codex.toml:1:17: `default_rules`",
        "codex.toml:2:17: `max_file_size`",
        "codex.toml:3:1: unknown field `colour`",
        "`[rules.CX0001]`",
    ] {
        assert!(out.stderr.contains(place), "{place} in {}", out.stderr);
    }

    let rule = |scopes: &str, pattern: &str| {
        common::LOCK_RULE
            .replace("id = \"ACME0001\"", &format!("id = \"ACME0001\"\n{scopes}"))
            .replace("method = [\"lock\"]", pattern)
    };
    project.file("codex.toml", "rule_dirs = [\"rules\"]\n");
    project.file(
        "rules/empty-scopes.toml",
        &rule("scopes = []", "method = [\"lock\"]"),
    );
    let escaped = rule("", "pattern = \"\\u0024X.lock(,)\"").replace("ACME0001", "ACME0002");
    let multiline = rule("", "pattern = \"\"\"\n$X.lock(,)\"\"\"").replace("ACME0001", "ACME0003");
    project.file("rules/escaped-pattern.toml", &escaped);
    project.file("rules/multiline-pattern.toml", &multiline);
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("rules/empty-scopes.toml:2:10: `scopes` must name"),
        "{}",
        out.stderr
    );
    // The caret is on the comma of the pattern, wherever the TOML literal puts it.
    let place = |text: &str| {
        let at = text.find(",)").unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
        format!("{line}:{column}:")
    };
    for (name, text) in [
        ("escaped-pattern", &escaped),
        ("multiline-pattern", &multiline),
    ] {
        let expected = format!("rules/{name}.toml:{}", place(text));
        assert!(
            out.stderr.contains(&expected),
            "{expected} in {}",
            out.stderr
        );
    }

    let mut unknown = String::new();
    for i in 0..20_000 {
        writeln!(unknown, "[rules.X{i}]").unwrap();
    }
    project
        .file("codex.toml", &unknown)
        .file("rules/empty-scopes.toml", common::LOCK_RULE);
    std::fs::remove_dir_all(project.path().join("rules")).unwrap();
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("the Codex could not be loaded: 20000 errors")
    );
}

/// Issue 8: `examples/` is a scope of its own that the default rules skip; `scopes` in
/// `codex.toml` widens a rule to it without editing the rule.
#[test]
fn i8_scopes_from_codex_toml_widen_a_rule_to_examples() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() -> u8 { 1 }\n")
        .file("examples/demo.rs", "fn main() { Some(1).unwrap(); }\n")
        .file("examples/multi/main.rs", "mod part;\nfn main() {}\n")
        .file(
            "examples/multi/part.rs",
            "pub fn p() { Some(1).expect(\"x\"); }\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), Vec::<String>::new(), "{}", out.stdout);
    assert_eq!(out.code, 0);

    project.file(
        "codex.toml",
        "[rules.CX0001]\nscopes = [\"prod\", \"example\"]\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["examples/demo.rs:1:21 CX0001"],
        "{}",
        out.stdout
    );
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["scope"], "example");
    let out = project.run(&["explain", "CX0001"]);
    assert!(
        out.stdout.contains("scopes prod, example"),
        "{}",
        out.stdout
    );

    // By name too, and for files an example's root declares.
    project.file(
        "codex.toml",
        "[rules.expect-outside-tests]\nscopes = [\"example\"]\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["examples/multi/part.rs:1:22 CX0002"],
        "{}",
        out.stdout
    );
}

/// Issue 8: `scopes` narrows a rule too: production code leaves its reach.
#[test]
fn i8_scopes_from_codex_toml_narrow_prod_away() {
    let project = Project::new();
    project.file("src/lib.rs", CODE).file(
        "build.rs",
        "fn main() { std::env::var(\"OUT_DIR\").unwrap(); }\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:2:21 CX0001", "src/lib.rs:3:15 CX0002"]
    );
    project.file("codex.toml", "[rules.CX0001]\nscopes = [\"build\"]\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["build.rs:1:38 CX0001", "src/lib.rs:3:15 CX0002"],
        "{}",
        out.stdout
    );
    // A project without rule folders has nothing for `cargo codex test` to test: said, exit 2.
    let out = project.run(&["test"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("error: no rule folder to test"),
        "{}",
        out.stderr
    );
}

/// Issue 8: a scope name `codex.toml` does not know, or no scope at all, is a located error.
#[test]
fn i8_unknown_scopes_in_codex_toml_are_located_errors() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() {}\n").file(
        "codex.toml",
        "[rules.CX0001]\nstage = \"warn\"\nscopes = [\"prod\", \"exemple\"]\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "codex.toml:3:19: unknown scope `exemple`: expected one of `prod`, `test`, `bench`, `example`, `build`"
        ),
        "{}",
        out.stderr
    );
    project.file(
        "codex.toml",
        "max_file_size = 0\n[rules.CX0001]\nscopes = []\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("codex.toml:1:1: `max_file_size` must be at least 1 byte")
            && out.stderr.contains(
                "codex.toml:3:10: `[rules.CX0001]`: `scopes` must name at least one scope"
            ),
        "{}",
        out.stderr
    );
    project.file("codex.toml", "[rules.CX0001]\nscopes = \"prod\"\n");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("codex.toml:2:10:"), "{}", out.stderr);
}
