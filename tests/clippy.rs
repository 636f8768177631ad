//! End to end: clippy interop as clippy has it. Lint levels nest through the module tree as
//! rustc's do (the nearest attribute wins, `forbid` holds), each form a rule matches answers to
//! its own lint, groups and renamed lints count, and const contexts are skipped by the rules
//! that say so. Plus the errors a rule's `clippy` key can get.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

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

/// Justifications of the suppressed findings, as SARIF records them: the attribute written.
fn justifications(project: &Project) -> Vec<(String, u64, String)> {
    let out = project.run(&["check", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut found: Vec<(String, u64, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                location["region"]["startLine"].as_u64().unwrap(),
                r["suppressions"][0]["justification"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn lint_levels_nest_through_the_module_tree_as_in_rustc() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "#![allow(clippy::restriction)]\n#![forbid(clippy::todo)]\nmod relaxed;\nmod strict;\n#[warn(clippy::expect_used)]\nmod warned;\n#[allow(clippy::todo)]\nmod drafts;\npub fn f() -> u8 { Some(1).unwrap() }\n",
        )
        // The crate allows restriction lints, so `unwrap` is silent; `todo` is forbidden.
        .file(
            "src/relaxed.rs",
            "pub fn r() -> u8 {\n    Some(1).unwrap();\n    todo!()\n}\n",
        )
        // `warn` in the file is nearer than the crate's `allow`; `forbid` cannot be allowed.
        .file(
            "src/strict.rs",
            "#![warn(clippy::unwrap_used)]\npub fn s() -> u8 {\n    #[allow(clippy::todo)]\n    {\n        todo!()\n    }\n}\npub fn u() -> u8 {\n    Some(1).unwrap()\n}\n#[allow(clippy::unwrap_used)]\npub fn v() -> u8 {\n    Some(1).unwrap()\n}\n",
        )
        // `warn` on the declaration re-enables `expect_used` for the whole file, down to the
        // nearer `expect`.
        .file(
            "src/warned.rs",
            "pub fn w() -> u8 {\n    Some(1).expect(\"x\") + Some(2).unwrap()\n}\n#[expect(clippy::expect_used)]\npub fn x() -> u8 {\n    Some(1).expect(\"x\")\n}\n",
        )
        // `todo` is forbidden at the root: the `allow` on the declaration changes nothing;
        // `panic` is allowed by the root's group, `panic_any` too.
        .file(
            "src/drafts.rs",
            "pub fn d(v: u8) -> u8 {\n    if v == 0 {\n        panic!(\"zero\")\n    }\n    if v == 1 {\n        std::panic::panic_any(v)\n    }\n    todo!()\n}\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/drafts.rs:8:5 CX0003",
            "src/relaxed.rs:3:5 CX0003",
            "src/strict.rs:5:9 CX0003",
            "src/strict.rs:9:13 CX0001",
            "src/warned.rs:2:13 CX0002",
        ],
        "{}",
        out.stdout
    );
    let allow_restriction = "#[allow(clippy::restriction)]".to_owned();
    assert_eq!(
        justifications(&project),
        [
            ("src/drafts.rs".to_owned(), 3, allow_restriction.clone()),
            ("src/drafts.rs".to_owned(), 6, allow_restriction.clone()),
            ("src/lib.rs".to_owned(), 9, allow_restriction.clone()),
            ("src/relaxed.rs".to_owned(), 2, allow_restriction.clone()),
            (
                "src/strict.rs".to_owned(),
                13,
                "#[allow(clippy::unwrap_used)]".to_owned()
            ),
            ("src/warned.rs".to_owned(), 2, allow_restriction),
            (
                "src/warned.rs".to_owned(),
                6,
                "#[expect(clippy::expect_used)]".to_owned()
            ),
        ]
    );
}

/// Issue 8, items 3 and 6: block-like statements and struct-expression fields carry lint
/// attributes, and each macro answers to its own lint (`#[allow(clippy::panic)]` no longer
/// silences `todo!`), by old names too.
#[test]
fn i8_attributes_on_statements_and_fields_and_one_lint_per_form() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub struct S { pub a: u8 }\npub fn f(flag: bool) -> S {\n    #[allow(clippy::unwrap_used)]\n    if flag {\n        Some(1).unwrap();\n    }\n    #[allow(clippy::unwrap_used)]\n    for _ in 0..1 {\n        Some(1).unwrap();\n    }\n    #[allow(clippy::unwrap_used)]\n    unsafe {\n        Some(1).unwrap();\n    }\n    #[allow(clippy::panic)]\n    if flag {\n        todo!()\n    }\n    S {\n        #[allow(clippy::option_unwrap_used)]\n        a: Some(1).unwrap(),\n    }\n}\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:17:9 CX0003"],
        "{}",
        out.stdout
    );
}

/// Issue 8, item 4: const contexts across shapes, in a file of their own and next to code that
/// runs.
#[test]
fn i8_const_contexts_are_left_to_the_compiler() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "const SOME: Option<u8> = Some(1);\nconst X: u8 = SOME.unwrap();\nconst _: () = {\n    if X == 0 {\n        panic!()\n    }\n};\npub static T: [u8; SOME.expect(\"n\") as usize] = [0; SOME.unwrap() as usize];\npub fn f() -> u8 {\n    let a = const { SOME.unwrap() };\n    a + SOME.unwrap()\n}\npub const fn g() -> u8 {\n    SOME.unwrap()\n}\npub static LAZY: std::sync::LazyLock<u8> = std::sync::LazyLock::new(|| SOME.unwrap());\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:11:14 CX0001",
            "src/lib.rs:14:10 CX0001",
            "src/lib.rs:16:77 CX0001",
        ],
        "{}",
        out.stdout
    );
}

/// A project's own rule: `const_contexts` defaults to checking them (a rule against a call
/// still fires in a const), `method`/`macro`/`call` combine, and a `clippy` table gives each
/// matched name its lint, groups included.
#[test]
fn custom_rules_choose_const_contexts_and_map_names_to_lints() {
    let project = Project::new();
    project
        .file(
            "codex.toml",
            "rule_dirs = [\"codex-rules\"]\ndefault_rules = false\n",
        )
        .file(
            "codex-rules/transmute.toml",
            &rule("ACME0001", "", "call = [\"std::mem::transmute\"]"),
        )
        .file(
            "codex-rules/transmute-at-run-time.toml",
            &rule(
                "ACME0002",
                "const_contexts = false\n",
                "call = [\"std::mem::transmute\"]",
            ),
        )
        .file(
            "codex-rules/exits.toml",
            &rule(
                "ACME0003",
                "clippy = { dbg = \"dbg_macro\", \"exit\" = \"exit\" }\n",
                "macro = [\"dbg\"]\ncall = [\"std::process::exit\"]",
            ),
        )
        .file(
            "src/lib.rs",
            "pub const BITS: u32 = unsafe { std::mem::transmute(1f32) };\npub fn now() -> u32 {\n    unsafe { std::mem::transmute(1f32) }\n}\n#[allow(clippy::exit)]\npub fn a(v: u8) {\n    dbg!(v);\n    std::process::exit(1);\n}\n#[allow(clippy::restriction)]\npub fn b(v: u8) {\n    dbg!(v);\n    std::process::exit(1);\n}\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:1:42 ACME0001",
            "src/lib.rs:3:24 ACME0001",
            "src/lib.rs:3:24 ACME0002",
            "src/lib.rs:7:5 ACME0003",
        ],
        "{}",
        out.stdout
    );
    let explain = project.run(&["explain", "ACME0003"]);
    assert!(
        explain.stdout.contains(
            "also suppressed by #[allow(clippy::dbg_macro)] for dbg; #[allow(clippy::exit)] for exit"
        ) && explain
            .stdout
            .contains("macro invocations dbg!; function calls std::process::exit()"),
        "{}",
        explain.stdout
    );
}

#[test]
fn the_default_rules_say_which_lint_silences_each_form() {
    let project = Project::new();
    project.file("src/lib.rs", "pub fn f() {}\n");
    let explain = project.run(&["explain", "CX0003"]);
    assert!(
        explain.stdout.contains(
            "also suppressed by #[allow(clippy::panic)] for panic, panic_any; \
             #[allow(clippy::todo)] for todo; #[allow(clippy::unimplemented)] for unimplemented"
        ),
        "{}",
        explain.stdout
    );
    let rules: serde_json::Value =
        serde_json::from_str(&project.run(&["rules", "--format", "json"]).stdout).unwrap();
    let clippy = |id: &str| {
        rules["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["clippy"]
            .clone()
    };
    assert_eq!(clippy("CX0001"), "unwrap_used");
    assert_eq!(clippy("CX0003")["panic_any"], "panic");
    assert_eq!(clippy("CX0003")["todo"], "todo");
}

#[test]
fn every_mistake_in_a_clippy_key_is_shown_with_its_place() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\n")
        .file("src/lib.rs", "pub fn f() {}\n")
        .file(
            "codex-rules/prefixed.toml",
            &rule(
                "ACME0001",
                "clippy = \"clippy::unwrap_used\"\n",
                "method = [\"unwrap\"]",
            ),
        )
        .file(
            "codex-rules/unknown-name.toml",
            &rule(
                "ACME0002",
                "clippy = { lock = \"mutex_lock\", unlock = \"mutex_unlock\" }\n",
                "method = [\"lock\"]",
            ),
        )
        .file(
            "codex-rules/table-without-names.toml",
            &rule(
                "ACME0003",
                "clippy = { index = \"indexing_slicing\" }\n",
                "index = { key = \"reference\" }",
            ),
        )
        .file(
            "codex-rules/empty-table.toml",
            &rule("ACME0004", "clippy = {}\n", "macro = [\"dbg\"]"),
        )
        .file(
            "codex-rules/wrong-type.toml",
            &rule("ACME0005", "clippy = 3\n", "macro = [\"dbg\"]"),
        )
        .file(
            "codex-rules/two-kinds.toml",
            &rule(
                "ACME0006",
                "",
                "macro = [\"dbg\"]\nindex = { key = \"reference\" }",
            ),
        )
        .file(
            "codex-rules/bad-lint.toml",
            &rule(
                "ACME0007",
                "clippy = { dbg = \"dbg-macro\" }\n",
                "macro = [\"dbg\"]",
            ),
        )
        .file(
            "codex-rules/const-contexts.toml",
            &rule("ACME0008", "const_contexts = \"no\"\n", "macro = [\"dbg\"]"),
        );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let err = &out.stderr;
    for expected in [
        "codex-rules/prefixed.toml:7:10: `clippy::unwrap_used` is not a clippy lint name",
        "codex-rules/unknown-name.toml:7:33: `unlock` is not a name this rule matches",
        "codex-rules/table-without-names.toml:7:10: a `clippy` table maps the names",
        "codex-rules/empty-table.toml:7:10: the `clippy` table is empty",
        "codex-rules/wrong-type.toml:7:10: invalid type: integer `3`, expected a clippy lint name",
        "codex-rules/two-kinds.toml:11:9: a rule has one matcher kind",
        "codex-rules/bad-lint.toml:7:18: `dbg-macro` is not a clippy lint name: write it as in",
        "codex-rules/const-contexts.toml:7:18: invalid type: string \"no\", expected a boolean",
        "the Codex could not be loaded: 8 errors",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

/// A rule that records nothing in a const context leaves the fix of the finding before it alone.
#[test]
fn a_skipped_const_finding_does_not_take_over_an_earlier_fix() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "const SOME: Option<u8> = Some(1);\npub fn f() -> Option<u8> {\n    let a = Some(1).unwrap();\n    let b = const { SOME.unwrap() };\n    Some(a + b)\n}\n",
    );
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{}", out.stdout);
    let fix = &diagnostics[0]["fix"];
    assert_eq!((&fix["line"], &fix["column"]), (&3.into(), &20.into()));
}

/// Lint attributes where rustc reads them, checked against clippy 0.1.95: a lint level on a
/// macro invocation (statement or item) does not reach what it expands to (rustc warns "unused
/// attribute"); `cfg_attr` counts when its predicate holds in clippy's library build (`clippy`
/// set, `test` not); `r#` names are names; `clippy::all` is not the restriction group; an
/// associated function of the project's own type named `unwrap` is not `Option::unwrap`.
#[test]
fn lint_attributes_count_where_clippy_reads_them() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "macro_rules! st { ($e:expr) => { $e; }; }
macro_rules! items { ($($i:item)*) => { $($i)* }; }
#[allow(clippy::unwrap_used)]
items! { mod expanded; }
#[cfg_attr(all(), allow(clippy::unwrap_used))]
mod cfg_attr_all;
pub fn stmt_macros() {
    #[allow(clippy::unwrap_used)]
    st!(Some(1).unwrap());
    #[allow(clippy::unwrap_used)]
    let _v = vec![Some(2).unwrap()];
}
#[allow(clippy::unwrap_used)]
items! { pub fn item_macro() { Some(3).unwrap(); } }
#[cfg_attr(not(test), allow(clippy::unwrap_used))]
pub fn not_test() { Some(4).unwrap(); }
#[cfg_attr(clippy, allow(clippy::unwrap_used))]
pub fn under_clippy() { Some(5).unwrap(); }
#[cfg_attr(test, allow(clippy::unwrap_used))]
pub fn only_tests() { Some(6).unwrap(); }
#[cfg_attr(any(), allow(clippy::unwrap_used))]
pub fn never() { Some(7).unwrap(); }
#[allow(clippy::r#unwrap_used)]
pub fn raw() { Some(8).unwrap(); }
#[allow(clippy::all)]
pub fn all() { Some(9).unwrap(); }
pub struct S;
#[allow(clippy::unwrap_used)]
impl S { pub fn f(&self) { Some(10).unwrap(); } }
pub trait T {
    #[allow(clippy::unwrap_used)]
    fn d(&self) { Some(11).unwrap(); }
}
pub fn closures() {
    #[allow(clippy::unwrap_used)]
    let _c = || Some(12).unwrap();
    #[allow(clippy::unwrap_used)]
    let _f = async { Some(13).unwrap() };
}
mod error;
use crate::error::MatchesError;
pub fn own(id: &str, r: Result<u8, MatchesError>) -> u8 {
    MatchesError::unwrap(id, r) + Option::unwrap(Some(14)) + Result::<u8, ()>::unwrap(Ok(15))
}
",
        )
        .file("src/expanded.rs", "pub fn e() { Some(1).unwrap(); }\n")
        .file("src/cfg_attr_all.rs", "pub fn c() { Some(1).unwrap(); }\n")
        .file(
            "src/error.rs",
            "pub struct MatchesError;\nimpl MatchesError {\n    pub fn unwrap<T>(_: &str, r: Result<T, Self>) -> T {\n        r.unwrap_or_else(|_| std::process::abort())\n    }\n}\n",
        );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/expanded.rs:1:22 CX0001",
            "src/lib.rs:9:17 CX0001",
            "src/lib.rs:14:40 CX0001",
            "src/lib.rs:20:31 CX0001",
            "src/lib.rs:22:26 CX0001",
            "src/lib.rs:26:24 CX0001",
            "src/lib.rs:43:43 CX0001",
            "src/lib.rs:43:80 CX0001",
        ],
        "{}",
        out.stdout
    );
}

/// Macro tokens syn cannot read as code (`quote!` with `#var` interpolations) are scanned; an
/// attribute among them covers its item or statement, up to the next `{ … }` or `;`: tokio's
/// `#[tokio::main]` quotes `#[allow(clippy::expect_used)] { … .expect(..) … }`.
#[test]
fn attributes_in_tokens_syn_cannot_read_cover_what_follows() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn gen() -> proc_macro2::TokenStream {
    let rt = quote! { x };
    quote_spanned! {span=>
        #[allow(clippy::expect_used)]
        {
            #rt.expect(\"a\");
        }
        #rt.expect(\"b\");
        #[cfg(test)]
        fn t() { #rt.unwrap(); }
        #rt.unwrap();
        #(#rt.expect(\"c\");)*
    }
}
",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:8:13 CX0002",
            "src/lib.rs:11:13 CX0001",
            "src/lib.rs:12:15 CX0002",
        ],
        "{}",
        out.stdout
    );
}
