//! Snapshots of every output format on one fixed project: no colours, relative paths, no time
//! (the summary says how long a run took only on a terminal). The project has findings of each
//! stage (`enforce`, `warn`, `shadow`), a rule with two findings and a fixable one.
//! Update with `INSTA_UPDATE=always cargo test --test integration snapshots::` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::Project;

fn project() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "mod config;\n#[cfg(test)]\nmod tests;\n\npub fn serve(port: Option<u16>) -> u16 {\n    let port = port\n        .map(|p| p + 1)\n        .unwrap();\n    if port == 0 {\n        panic!(\"no port\");\n    }\n    port\n}\n",
        )
        .file(
            "src/config.rs",
            "pub struct Loader;\n\nimpl Loader {\n    /// Loads the feature file (café).\n    pub fn load(&self, text: &str) -> usize {\n        let n: usize = text.parse().expect(\"a number\"); // codex:allow(CX0002)\n        n\n    }\n}\n",
        )
        .file("src/tests.rs", "fn t() { Some(1).unwrap(); }\n")
        .file("src/empty.rs", "")
        .bytes("src/latin1.rs", b"// caf\xe9\n")
        // A fix (`?`), a second finding of a rule, a `warn` rule and a `shadow` one.
        .file(
            "src/fixable.rs",
            "use std::collections::HashMap;\n\npub fn first(v: &[u8]) -> Option<u8> {\n    let x = v.first().copied().unwrap();\n    Some(x)\n}\n\npub fn get(m: &HashMap<u8, u8>) -> u8 {\n    m[&1]\n}\n",
        )
        .file(
            "codex.toml",
            "[rules.CX0003]\nstage = \"warn\"\n\n[rules.CX0005]\nstage = \"shadow\"\n",
        );
    project
}

#[test]
fn human() {
    let out = project().run(&["check", "--color", "never"]);
    insta::assert_snapshot!("human", out.stdout);
}

#[test]
fn concise() {
    let out = project().run(&["check", "--format", "concise"]);
    insta::assert_snapshot!("concise", out.stdout);
}

#[test]
fn json() {
    let out = project().run(&["check", "--format", "json"]);
    insta::assert_snapshot!("json", out.stdout);
}

#[test]
fn sarif() {
    let out = project().run(&["check", "--format", "sarif"]);
    insta::assert_snapshot!("sarif", out.stdout);
}

#[test]
fn gitlab() {
    let out = project().run(&["check", "--format", "gitlab"]);
    insta::assert_snapshot!("gitlab", out.stdout);
}

#[test]
fn github() {
    let out = project().run(&["check", "--format", "github"]);
    insta::assert_snapshot!("github", out.stdout);
}

#[test]
fn rdjson() {
    let out = project().run(&["check", "--format", "rdjson"]);
    insta::assert_snapshot!("rdjson", out.stdout);
}

#[test]
fn markdown() {
    let out = project().run(&["check", "--format", "markdown"]);
    insta::assert_snapshot!("markdown", out.stdout);
}

#[test]
fn rdjsonl() {
    let out = project().run(&["check", "--format", "rdjsonl"]);
    insta::assert_snapshot!("rdjsonl", out.stdout);
}

#[test]
fn statistics() {
    let out = project().run(&["check", "--statistics"]);
    insta::assert_snapshot!("statistics", out.stdout);
}

/// The comment as a GitHub Actions job posts it: files, lines and rules linked at the commit.
#[test]
fn markdown_on_github() {
    let out = project().run_env(
        &["check", "--format", "markdown"],
        &[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/proxy"),
            ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
        ],
    );
    insta::assert_snapshot!("markdown_on_github", out.stdout);
}
