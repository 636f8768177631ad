//! The default Codex tests itself: every rule's fixtures fire exactly on their marked lines,
//! near misses stay silent, the human output matches `fail.stderr`, and the Codex is whole.
//! Update expected outputs with `cargo run -- test rules --bless`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use cargo_codex::author::verify;
use cargo_codex::codex::load::load;
use cargo_codex::codex::{Matcher, Overrides, Sources};

fn disk_codex() -> cargo_codex::codex::Codex {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = Sources {
        embedded: false,
        rule_dirs: vec![root.join("rules")],
        incident_dirs: vec![root.join("codex")],
        root: root.to_path_buf(),
        url_template: None,
    };
    load(&sources, &Overrides::default()).unwrap_or_else(|errors| panic!("{errors:#?}"))
}

#[test]
fn every_rule_passes_its_fixtures() {
    let verification = verify::verify(&disk_codex(), false);
    assert!(
        verification.passed(),
        "{}",
        verify::summarize(&verification)
    );
    assert_eq!(
        verification.rules.len(),
        8,
        "six finding rules, two review rules"
    );
}

#[test]
fn the_embedded_codex_is_the_one_on_disk() {
    let embedded = load(
        &Sources {
            embedded: true,
            ..Sources::default()
        },
        &Overrides::default(),
    )
    .unwrap();
    let disk = disk_codex();
    let ids = |codex: &cargo_codex::codex::Codex| -> Vec<String> {
        codex
            .rules()
            .iter()
            .map(|r| format!("{} {} {:?}", r.id, r.name, r.matcher))
            .collect()
    };
    assert_eq!(ids(&embedded), ids(&disk));
    assert!(
        embedded
            .rules()
            .iter()
            .any(|r| matches!(r.matcher, Matcher::Builtin(_)))
    );
}

#[test]
fn incidents_are_cited_and_complete() {
    let codex = disk_codex();
    let incident = codex
        .incident("2025-11-18-bot-management-feature-file")
        .unwrap();
    assert_eq!(
        incident.rules,
        ["CX0001", "CX0002", "CX0003", "CX0004", "CX0007"]
    );
    assert!(incident.summary.contains("200"));
    assert!(verify::integrity(&codex).is_empty());
}

#[test]
fn a_rule_citing_an_unknown_incident_does_not_load() {
    let dir = tempfile::tempdir().unwrap();
    let rule = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/unwrap-outside-tests.toml"),
    )
    .unwrap()
    .replace(
        "2025-11-18-bot-management-feature-file",
        "2099-01-01-unknown",
    );
    std::fs::write(dir.path().join("unwrap-outside-tests.toml"), rule).unwrap();
    let sources = Sources {
        embedded: false,
        rule_dirs: vec![dir.path().to_path_buf()],
        root: dir.path().to_path_buf(),
        ..Sources::default()
    };
    let errors = load(&sources, &Overrides::default()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .to_string()
            .starts_with("unwrap-outside-tests.toml:5:14: unknown incident `2099-01-01-unknown`"),
        "{}",
        errors[0]
    );
}

/// `call` and `pattern`, which no default rule uses, have fixtures of their own.
#[test]
fn matcher_kinds_without_a_default_rule_pass_their_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let sources = Sources {
        embedded: false,
        rule_dirs: vec![root.join("rules")],
        incident_dirs: vec![root.join("codex")],
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
    let kinds: Vec<bool> = codex
        .rules()
        .iter()
        .filter(|r| r.file.is_some())
        .map(|r| matches!(r.matcher, Matcher::Call(_) | Matcher::Pattern(_)))
        .collect();
    assert_eq!(kinds, [true, true]);
}

/// Issue 10: the matcher kinds the README's rule example lists, those of codex/README.md's
/// table and those `cargo codex new` writes in its scaffold are the loader's (`KINDS`).
#[test]
fn the_docs_and_the_scaffold_list_the_matcher_kinds_the_loader_accepts() {
    use cargo_codex::codex::matcher::KINDS;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = readme.split("id = \"ACME0001\"").nth(1).unwrap();
    let listed: Vec<&str> = example
        .split("[match]\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|line| !line.starts_with("exclude_paths"))
        .map(|line| line.trim_start_matches("# "))
        .collect();
    assert_eq!(listed.len(), KINDS.len(), "{listed:#?}");
    for (line, kind) in listed.iter().zip(KINDS) {
        assert!(
            line.starts_with(kind.example),
            "README: `{line}` should be `{}`",
            kind.example
        );
    }

    let guide = std::fs::read_to_string(root.join("codex/README.md")).unwrap();
    let section = guide.split("One matcher kind per rule").nth(1).unwrap();
    let mut table: Vec<&str> = section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            line.strip_prefix("| `")?
                .split_once('`')
                .map(|(key, _)| key)
        })
        .collect();
    table.sort_unstable();
    let mut keys: Vec<&str> = KINDS.iter().map(|kind| kind.key).collect();
    keys.sort_unstable();
    assert_eq!(table, keys, "codex/README.md's table of matcher kinds");

    let project = crate::common::Project::new();
    project.file("src/lib.rs", "");
    let out = project.run(&[
        "new",
        "lock-in-handler",
        "--incident",
        "2026-02-03-lock-convoy",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let scaffold =
        std::fs::read_to_string(project.path().join("rules/lock-in-handler.toml")).unwrap();
    for kind in KINDS {
        assert!(
            scaffold.contains(kind.example),
            "the scaffold should show `{}`:\n{scaffold}",
            kind.example
        );
    }
    assert!(
        scaffold.contains("# One matcher kind: method, macro, call, index, pattern, before or validate (method, macro and call may be combined):"),
        "{scaffold}"
    );
}
