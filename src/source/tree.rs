//! The module tree: which files a crate includes through `mod` declarations, and what each
//! inherits from its parent (test-only status, module path, allowed clippy lints).
//!
//! A file's scope can depend on another file: `#[cfg(test)] mod tests;` in `lib.rs` makes
//! `tests.rs` test code. This module sees only paths and [`ModuleFacts`]; it reads nothing.

use std::collections::HashMap;

use super::attrs::Levels;
use super::lex::{ModDecl, ModuleFacts};

/// What a file inherits from where the module tree puts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// The file compiles only for tests.
    pub test_only: bool,
    /// Its module path inside its crate (`src/config/load.rs` → `["config", "load"]`).
    pub module_path: Vec<String>,
    /// The crate root the file is reached from (by its index in the files placed; its own
    /// index for a root). A file's scope is its crate's: `#[path = "../examples/e.rs"]` in
    /// `src/lib.rs` makes `e.rs` library code.
    pub crate_root: usize,
    /// Clippy lint levels set for the whole file by its ancestors and itself.
    pub allows: Levels,
}

/// Places every file; `files` are `/`-separated paths relative to the project root.
///
/// Files no declaration reaches are crate roots (or orphans): their module path is guessed
/// from their location. A file reached both from test-only and from normal code is normal code.
pub fn place(files: &[(&str, &ModuleFacts)]) -> Vec<Placement> {
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, (path, _))| (*path, i))
        .collect();
    let mut owns_dir: Vec<bool> = files.iter().map(|(path, _)| owns_directory(path)).collect();
    // A file loaded through `#[path]` owns its directory, like `mod.rs`; one pass finds them.
    for (i, (path, facts)) in files.iter().enumerate() {
        for decl in facts.decls.iter().filter(|d| d.path_attr.is_some()) {
            if let Some(target) = resolve(path, owns_dir[i], decl, &index) {
                owns_dir[target] = true;
            }
        }
    }
    let edges: Vec<Vec<(usize, &ModDecl)>> = files
        .iter()
        .enumerate()
        .map(|(i, (path, facts))| {
            facts
                .decls
                .iter()
                .filter_map(|decl| Some((resolve(path, owns_dir[i], decl, &index)?, decl)))
                .filter(|(target, _)| *target != i)
                .collect()
        })
        .collect();
    let mut reached = vec![false; files.len()];
    edges
        .iter()
        .flatten()
        .for_each(|(target, _)| reached[*target] = true);

    // Files are taken in path order, so the placement does not depend on the order they are
    // given in: a shard's files come first, the rest of the tree after, and every shard must
    // place a file as the whole run does.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| files[i].0);
    let mut placed: Vec<Option<Placement>> = vec![None; files.len()];
    let mut work = Vec::new();
    for &i in &order {
        let (path, facts) = files[i];
        if !reached[i] {
            placed[i] = Some(Placement {
                test_only: facts.test_only,
                crate_root: i,
                module_path: guess_module_path(path),
                allows: facts.allows.clone(),
            });
            work.push(i);
        }
    }
    // Files only reachable through a cycle (which rustc rejects) become roots too.
    let mut unplaced = order.into_iter();
    loop {
        while let Some(parent) = work.pop() {
            let Some(from) = placed[parent].clone() else {
                continue;
            };
            for (child, decl) in &edges[parent] {
                let facts = files[*child].1;
                // A file compiled into several crates keeps its most production-like place:
                // library code reached from a test crate too (`#[path]` in `tests/`) is still
                // library code. The rank is known before the placement is built, so that many
                // declarations of one file cost one placement each time it improves (a few).
                let rank = |test_only: bool, crate_root: usize| {
                    let root = files.get(crate_root).map_or("", |(path, _)| *path);
                    (test_only, scope_rank(super::path_scope(root)))
                };
                let test_only = from.test_only || decl.test_only || facts.test_only;
                let better = match &placed[*child] {
                    None => true,
                    Some(existing) => {
                        rank(test_only, from.crate_root)
                            < rank(existing.test_only, existing.crate_root)
                    }
                };
                if !better {
                    continue;
                }
                let mut module_path = from.module_path.clone();
                module_path.extend(decl.inline_path.iter().cloned());
                module_path.push(decl.name.clone());
                let mut allows = from.allows.clone();
                allows.absorb(&decl.around);
                allows.absorb(&decl.allows);
                allows.absorb(&facts.allows);
                placed[*child] = Some(Placement {
                    test_only,
                    crate_root: from.crate_root,
                    module_path,
                    allows,
                });
                work.push(*child);
            }
        }
        // Placed files stay placed: the search for the next orphan goes on from the last.
        let Some(orphan) = unplaced.find(|&i| placed[i].is_none()) else {
            break;
        };
        let (path, facts) = files[orphan];
        placed[orphan] = Some(Placement {
            test_only: facts.test_only,
            crate_root: orphan,
            module_path: guess_module_path(path),
            allows: facts.allows.clone(),
        });
        work.push(orphan);
    }
    placed.into_iter().map(Option::unwrap_or_default).collect()
}

/// How production-like a crate's scope is, lowest first.
fn scope_rank(scope: crate::codex::Scope) -> u8 {
    use crate::codex::Scope;
    match scope {
        Scope::Prod => 0,
        Scope::Build => 1,
        Scope::Example => 2,
        Scope::Bench => 3,
        Scope::Test => 4,
    }
}

/// Whether `mod x;` in this file looks for `x.rs` beside it (`mod.rs`, `lib.rs`, `main.rs`,
/// and crate roots) rather than in a folder named after it.
fn owns_directory(path: &str) -> bool {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    // `tests/`, `benches/` and `examples/` hold crate roots, but not below a `src/`, where
    // `src/runtime/tests/` is a module folder (tokio's).
    let (parents, last) = dir.rsplit_once('/').unwrap_or(("", dir));
    let crate_root_dir = dir.ends_with("src/bin")
        || (matches!(last, "tests" | "benches" | "examples")
            && !parents.split('/').any(|part| part == "src"));
    matches!(file, "mod.rs" | "lib.rs" | "main.rs" | "build.rs") || crate_root_dir
}

fn resolve(
    parent: &str,
    owns_dir: bool,
    decl: &ModDecl,
    index: &HashMap<&str, usize>,
) -> Option<usize> {
    let (dir, file) = parent.rsplit_once('/').unwrap_or(("", parent));
    let mut base = dir.to_owned();
    if !owns_dir {
        let stem = file.strip_suffix(".rs").unwrap_or(file);
        base = join(&base, stem);
    }
    for module in &decl.inline_path {
        base = join(&base, module);
    }
    let candidates = match &decl.path_attr {
        Some(path) if decl.inline_path.is_empty() => vec![join(dir, path)],
        Some(path) => vec![join(&base, path)],
        None => vec![
            join(&base, &format!("{}.rs", decl.name)),
            join(&join(&base, &decl.name), "mod.rs"),
        ],
    };
    candidates
        .iter()
        .find_map(|candidate| index.get(normalize(candidate).as_str()).copied())
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_owned()
    } else {
        format!("{dir}/{rest}")
    }
}

/// Resolves `.` and `..` lexically: `src/a/../b.rs` → `src/b.rs`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The module path a file would have if its crate declared it where it stands.
fn guess_module_path(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let Some(src) = parts.iter().rposition(|part| *part == "src") else {
        return Vec::new();
    };
    let mut module: Vec<String> = parts
        .iter()
        .skip(src + 1)
        .map(|part| part.strip_suffix(".rs").unwrap_or(part).to_owned())
        .collect();
    if module.first().is_some_and(|first| first == "bin") {
        return Vec::new();
    }
    if module
        .last()
        .is_some_and(|last| matches!(last.as_str(), "mod" | "lib" | "main"))
    {
        module.pop();
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str, test_only: bool) -> ModDecl {
        ModDecl {
            name: name.to_owned(),
            inline_path: Vec::new(),
            path_attr: None,
            test_only,
            around: std::sync::Arc::default(),
            allows: Levels::default(),
        }
    }

    fn facts(decls: Vec<ModDecl>) -> ModuleFacts {
        ModuleFacts {
            decls,
            ..ModuleFacts::default()
        }
    }

    #[test]
    fn test_status_and_paths_flow_down_the_tree() {
        let lib = facts(vec![decl("engine", false), decl("tests", true)]);
        let engine = facts(vec![decl("visit", false), {
            let mut d = decl("fixtures", true);
            d.path_attr = Some("../testdata/fixtures.rs".to_owned());
            d
        }]);
        let leaf = ModuleFacts::default();
        let files = [
            ("src/lib.rs", &lib),
            ("src/engine/mod.rs", &engine),
            ("src/engine/visit.rs", &leaf),
            ("src/tests.rs", &leaf),
            ("src/testdata/fixtures.rs", &leaf),
            ("src/orphan.rs", &leaf),
        ];
        let placed = place(&files);
        let summary: Vec<(bool, String)> = placed
            .iter()
            .map(|p| (p.test_only, p.module_path.join("::")))
            .collect();
        assert_eq!(
            summary,
            [
                (false, String::new()),
                (false, "engine".to_owned()),
                (false, "engine::visit".to_owned()),
                (true, "tests".to_owned()),
                (true, "engine::fixtures".to_owned()),
                (false, "orphan".to_owned()),
            ]
        );
    }

    #[test]
    fn non_mod_rs_files_look_in_their_own_folder() {
        let config = facts(vec![decl("load", false)]);
        let lib = facts(vec![decl("config", true)]);
        let leaf = ModuleFacts::default();
        let files = [
            ("src/lib.rs", &lib),
            ("src/config.rs", &config),
            ("src/config/load.rs", &leaf),
        ];
        let placed = place(&files);
        assert!(placed[2].test_only);
        assert_eq!(placed[2].module_path, ["config", "load"]);
    }

    #[test]
    fn a_tests_folder_below_src_is_a_module_folder() {
        let tests = facts(vec![decl("loom", false)]);
        let loom = facts(vec![decl("yield_now", false)]);
        let integration = facts(vec![decl("helper", false)]);
        let leaf = ModuleFacts::default();
        let files = [
            ("src/runtime/tests/mod.rs", &tests),
            ("src/runtime/tests/loom.rs", &loom),
            ("src/runtime/tests/loom/yield_now.rs", &leaf),
            ("crates/x/tests/it.rs", &integration),
            ("crates/x/tests/helper.rs", &leaf),
        ];
        let placed = place(&files);
        assert_eq!(placed[2].crate_root, 0);
        assert_eq!(
            placed[2].module_path,
            ["runtime", "tests", "loom", "yield_now"]
        );
        assert_eq!(placed[4].crate_root, 3);
    }

    #[test]
    fn placement_does_not_depend_on_the_order_files_are_given_in() {
        let shared = |name: &str| {
            let mut d = decl(name, false);
            d.path_attr = Some("shared.rs".to_owned());
            d
        };
        let a = facts(vec![shared("from_a")]);
        let b = facts(vec![shared("from_b")]);
        let cycle = facts(vec![decl("c2", false)]);
        let cycle2 = facts(vec![decl("c1", false)]);
        let leaf = ModuleFacts::default();
        let files = [
            ("src/a/lib.rs", &a),
            ("src/a/shared.rs", &leaf),
            ("src/b/lib.rs", &b),
            ("src/c/c1.rs", &cycle),
            ("src/c/c2.rs", &cycle2),
        ];
        let forward = place(&files);
        let mut reversed = files;
        reversed.reverse();
        let mut backward = place(&reversed);
        backward.reverse();
        let paths = |placed: &[Placement]| -> Vec<String> {
            placed.iter().map(|p| p.module_path.join("::")).collect()
        };
        assert_eq!(paths(&forward), paths(&backward));
    }

    #[test]
    fn reached_from_prod_and_test_means_prod() {
        let lib = facts(vec![decl("a", true), {
            let mut d = decl("b", false);
            d.path_attr = Some("a.rs".to_owned());
            d
        }]);
        let leaf = ModuleFacts::default();
        let placed = place(&[("src/lib.rs", &lib), ("src/a.rs", &leaf)]);
        assert!(!placed[1].test_only);
    }
}
