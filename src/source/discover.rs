//! Which files a run checks: walking folders with `ignore` (honouring `.gitignore`), skipping
//! Cargo's `target/` folders and the configured excludes.
//!
//! Symbolic links to folders are not followed. A path inside the project root that resolves
//! outside it (a link to `/proc/self/environ`, to `../..`, or through a linked folder) is not
//! listed but reported as an error, "points outside the project, not read", whether it was found
//! by the walk, named on the command line or taken from a diff: its bytes are not the project's.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use ignore::WalkBuilder;

use super::boundary::Boundary;
use crate::codex::load::display_path;

/// The files found, and the entries that could not be walked.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Rust files to check, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Entries the walk could not read, with the reason.
    pub errors: Vec<(PathBuf, String)>,
}

/// Which files `exclude` leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Files named in `paths` are listed even when `exclude` matches them: someone asked for
    /// them (as ruff and ripgrep treat a path on the command line).
    Kept,
    /// Every file `exclude` matches is left out, named or found (`--force-exclude`, and the
    /// files a diff or the index selects).
    Excluded,
}

/// Finds the Rust files under `paths` (or under `root` when `paths` is empty).
///
/// Files named explicitly are checked even without a `.rs` extension, and even when `exclude`
/// matches them unless `named` says otherwise; files under folders must end in `.rs`.
/// `exclude` globs are matched against paths relative to `root`. Paths under `root` that
/// resolve outside it are reported in `errors`, never listed in `files`.
pub fn discover(root: &Path, paths: &[PathBuf], exclude: &GlobSet, named: Named) -> Discovered {
    let mut found = Discovered::default();
    let boundary = Boundary::new(root);
    let roots = if paths.is_empty() {
        vec![root.to_path_buf()]
    } else {
        paths.to_vec()
    };
    let excluded = |path: &Path| !exclude.is_empty() && exclude.is_match(display_path(path, root));
    for start in roots {
        let is_dir = std::fs::symlink_metadata(&start).is_ok_and(|m| m.is_dir());
        if !is_dir && named == Named::Excluded && excluded(&start) {
            continue;
        }
        if let Err(error) = boundary.admit(&start) {
            found.errors.push((start, error.to_string()));
            continue;
        }
        if !is_dir {
            // A named file, a symlink or a missing path: reading it reports what is wrong.
            found.files.push(start);
            continue;
        }
        let walker = WalkBuilder::new(&start)
            .require_git(false)
            .follow_links(false)
            .sort_by_file_name(Ord::cmp)
            .filter_entry(move |entry| {
                !(entry.file_type().is_some_and(|t| t.is_dir()) && is_cargo_target(entry.path()))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    if is_dir || path.extension().is_none_or(|ext| ext != "rs") || excluded(path) {
                        continue;
                    }
                    // Only a link can lead out: nothing else below `start` is followed.
                    match entry.path_is_symlink().then(|| boundary.admit(path)) {
                        Some(Err(error)) => {
                            found.errors.push((path.to_path_buf(), error.to_string()));
                        }
                        _ => found.files.push(path.to_path_buf()),
                    }
                }
                Err(error) => {
                    let path = error_path(&error).unwrap_or_else(|| start.clone());
                    found.errors.push((path, error.to_string()));
                }
            }
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

/// Cargo's build folder: `target/` beside a `Cargo.toml`, or any folder Cargo tagged.
fn is_cargo_target(dir: &Path) -> bool {
    dir.file_name().is_some_and(|name| name == "target")
        && (dir.join("CACHEDIR.TAG").exists()
            || dir.join(".rustc_info.json").exists()
            || dir
                .parent()
                .is_some_and(|parent| parent.join("Cargo.toml").exists()))
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Files that may declare `files` as modules without being checked themselves: the `.rs` files
/// directly inside each folder from a file's own up to `root`. Reading their `mod` lines lets a
/// file passed alone (as pre-commit does) keep the test scope its parent gives it. Links that
/// lead out of the project are left out.
pub fn context_files(root: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let boundary = Boundary::new(root);
    let checked: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut dirs: HashSet<&Path> = HashSet::new();
    for file in files {
        for dir in file.ancestors().skip(1) {
            // Folders already seen had their ancestors added then.
            if !dir.starts_with(root) || !dirs.insert(dir) {
                break;
            }
        }
    }
    let mut context: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        // A file that is not a link is where its folder is: one resolution per folder.
        let folder_inside = boundary.admit(dir).is_ok();
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_none_or(|ext| ext != "rs") || checked.contains(path.as_path()) {
                continue;
            }
            let plain = entry.file_type().is_ok_and(|kind| kind.is_file()) && folder_inside;
            if plain || (path.is_file() && boundary.admit(&path).is_ok()) {
                context.push(path);
            }
        }
    }
    context.sort();
    context
}

/// The paths among `candidates` that [`context_files`] would read for `files`, all relative to
/// the root and `/`-separated (as git lists them): the `.rs` files directly inside a folder
/// from a `.rs` file's own up to the root. Lets a copy of a tree hold only what a check of
/// `files` reads.
pub fn context_paths<'a>(
    files: &[String],
    candidates: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut folders: HashSet<&str> = HashSet::new();
    let rust = |path: &str| Path::new(path).extension().is_some_and(|ext| ext == "rs");
    for file in files.iter().filter(|file| rust(file)) {
        let mut path = file.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            path = parent;
        }
        folders.insert("");
    }
    candidates
        .filter(|candidate| {
            let folder = candidate.rsplit_once('/').map_or("", |(folder, _)| folder);
            rust(candidate) && folders.contains(folder)
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_paths_are_the_rust_files_beside_and_above() {
        let files = ["a/b/c.rs".to_owned(), "a/x.txt".to_owned()];
        let all = [
            "lib.rs",
            "a.rs",
            "a/mod.rs",
            "a/b/c.rs",
            "a/b/d.rs",
            "a/b/e/f.rs",
            "a/g/h.rs",
            "a/b/notes.md",
            "z/y.rs",
        ];
        assert_eq!(
            context_paths(&files, all.into_iter()),
            ["lib.rs", "a.rs", "a/mod.rs", "a/b/c.rs", "a/b/d.rs"]
        );
    }
}
