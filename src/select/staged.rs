//! The staged tree of a pre-commit check: what is about to be committed, not what the working
//! tree holds, written to a temporary folder removed when dropped.
//!
//! Only what a check of the staged files reads is written: the staged files, and the files of
//! the index beside them and in the folders above that may place them in the module tree. A
//! file whose working-tree bytes hash to the object the index names holds what the index holds,
//! so it is copied from the bytes already read; git writes only the others. In the usual case
//! (nothing edited since `git add`) that is two git processes, run at the same time, and no
//! third.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use sha1::Digest as _;

use super::changes::ChangesError;
use super::checkout::{git_text, temporary};
use crate::source::{boundary, discover, lex};

/// The index (staging area) of a repository, exported to a temporary folder so that what is
/// staged, not what is in the working tree, is checked. Removed when dropped.
#[derive(Debug)]
pub struct StagedTree {
    /// The exported tree; paths inside it are those of the repository.
    pub root: PathBuf,
    /// Staged files added, copied, modified or renamed, relative to the root.
    pub files: Vec<String>,
    /// The temporary folder holding the tree.
    _folder: tempfile::TempDir,
}

/// The largest file read from the working tree to compare with the index; a larger one is
/// left to git to write.
const READ_LIMIT: u64 = 1 << 24;

/// Paths per git command line, so that none grows past the system's limit.
const BATCH: usize = 512;

impl StagedTree {
    /// Exports the staged files of the repository at `repo`, with the files of the index that
    /// may give them their module scope: the `.rs` files beside the staged files and in the
    /// folders above ([`discover::context_paths`]) that may declare a module on their paths or
    /// at a `#[path]` ([`lex::may_declare_any`]); the check leaves the others out anyway.
    ///
    /// # Errors
    ///
    /// When git fails or the temporary folder cannot be made or written.
    pub fn export(repo: &Path) -> Result<Self, ChangesError> {
        // Paths are the repository's, from its top folder, as `git diff` prints them.
        let top = if repo.join(".git").exists() {
            repo.to_path_buf()
        } else {
            let shown = git_text(repo, &["rev-parse", "--show-toplevel"], None)?;
            PathBuf::from(shown.trim_end_matches(['\n', '\r']))
        };
        let git = |args: &[&str]| git_text(&top, args, None);
        let (staged, listed) = std::thread::scope(|scope| {
            let staged = scope.spawn(|| {
                git(&[
                    "diff",
                    "--cached",
                    "--name-only",
                    "--diff-filter=ACMR",
                    "-z",
                ])
            });
            let listed = git(&["ls-files", "-v", "-s", "-z"]);
            let staged = staged.join().unwrap_or_else(|_| {
                Err(ChangesError::Git {
                    args: "diff --cached".to_owned(),
                    message: "the thread running git stopped".to_owned(),
                })
            });
            (staged, listed)
        });
        let files = names(&staged?);
        let listed = listed?;
        let index = entries(&listed);
        let folder = temporary("staged")?;
        let root = folder.path().to_path_buf();
        let rust_files = files
            .iter()
            .map(String::as_str)
            .filter(|file| Path::new(file).extension().is_some_and(|ext| ext == "rs"));
        let module_names = lex::path_names(rust_files);
        let context = discover::context_paths(&files, index.keys().copied());
        let mut from_git = Vec::new();
        for path in &files {
            match index
                .get(path.as_str())
                .and_then(|entry| same(&top, path, entry))
            {
                Some(bytes) => write_entry(&root, path, &bytes)?,
                None => from_git.push(path.as_str()),
            }
        }
        for path in &context {
            if files.contains(path) {
                continue;
            }
            let Some(entry) = index.get(path.as_str()) else {
                continue;
            };
            match same(&top, path, entry) {
                Some(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    if lex::may_declare_any(&text, &module_names) {
                        write_entry(&root, path, &bytes)?;
                    }
                }
                None => from_git.push(path.as_str()),
            }
        }
        let prefix = format!("--prefix={}/", root.display());
        for batch in from_git.chunks(BATCH) {
            let mut args = vec!["checkout-index", "--force", prefix.as_str(), "--"];
            args.extend(batch.iter().copied());
            git(&args)?;
        }
        Ok(StagedTree {
            root,
            files,
            _folder: folder,
        })
    }
}

/// An entry of the index as `git ls-files -v -s` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry<'a> {
    /// `100644`, `100755`, `120000` (a link) or `160000` (a submodule).
    mode: &'a str,
    /// The object's name: 40 hex digits (SHA-1) or 64 (SHA-256).
    object: &'a str,
}

/// The entries of `git ls-files -v -s -z` that `checkout-index` writes: unmerged entries
/// (a stage other than 0, or the tag `M`) and skip-worktree ones (`S`, `s`) are left out.
fn entries(listed: &str) -> HashMap<&str, Entry<'_>> {
    listed
        .split('\0')
        .filter_map(|line| {
            let (meta, path) = line.split_once('\t')?;
            let mut fields = meta.split(' ');
            let (tag, mode, object, stage) = (
                fields.next()?,
                fields.next()?,
                fields.next()?,
                fields.next()?,
            );
            let kept = stage == "0" && !matches!(tag, "M" | "S" | "s");
            kept.then_some((path, Entry { mode, object }))
        })
        .collect()
}

/// The bytes of `path` in the working tree at `top`, when they are what the index holds: a
/// regular file (a link is not followed) of a regular entry, whose bytes hash to the entry's
/// object name.
fn same(top: &Path, path: &str, entry: &Entry<'_>) -> Option<Vec<u8>> {
    if !matches!(entry.mode, "100644" | "100755") {
        return None;
    }
    let file = top.join(path);
    if !file.symlink_metadata().is_ok_and(|meta| meta.is_file()) {
        return None;
    }
    let bytes = boundary::read_regular(&file, READ_LIMIT).ok()?;
    (blob_name(&bytes, entry.object.len())? == entry.object).then_some(bytes)
}

/// The name git gives a blob of `bytes`, in the hash whose names have `digits` hex digits.
fn blob_name(bytes: &[u8], digits: usize) -> Option<String> {
    let header = format!("blob {}\0", bytes.len());
    let digest: Vec<u8> = match digits {
        40 => sha1::Sha1::new()
            .chain_update(header.as_bytes())
            .chain_update(bytes)
            .finalize()
            .to_vec(),
        64 => sha2::Sha256::new()
            .chain_update(header.as_bytes())
            .chain_update(bytes)
            .finalize()
            .to_vec(),
        _ => return None,
    };
    Some(hex::encode(digest))
}

/// Writes `bytes` at the repository path `path` under `root`, refusing a path that is not a
/// plain relative one (git never stores such a path; a damaged index might).
fn write_entry(root: &Path, path: &str, bytes: &[u8]) -> Result<(), ChangesError> {
    let failed = |message: String| ChangesError::Git {
        args: "checkout-index".to_owned(),
        message,
    };
    let relative = Path::new(path);
    if !relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
    {
        return Err(failed(format!("the index holds an unsafe path: {path:?}")));
    }
    let target = root.join(relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| failed(format!("cannot make {}: {error}", parent.display())))?;
    }
    std::fs::write(&target, bytes)
        .map_err(|error| failed(format!("cannot write {}: {error}", target.display())))
}

/// The names in git's `-z` output.
fn names(listed: &str) -> Vec<String> {
    listed
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_names_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`, and with `--object-format=sha256`.
        assert_eq!(
            blob_name(b"hello\n", 40).as_deref(),
            Some("ce013625030ba8dba906f756967f9e9ca394464a")
        );
        assert_eq!(
            blob_name(b"hello\n", 64).as_deref(),
            Some("2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4")
        );
        assert_eq!(blob_name(b"hello\n", 12), None);
    }

    #[test]
    fn unmerged_and_skip_worktree_entries_are_left_out() {
        let listed = "H 100644 aa 0\ta.rs\0M 100644 bb 1\tb.rs\0S 100644 cc 0\tc.rs\0\
                      H 100644 dd 2\td.rs\0h 100755 ee 0\te.rs\0";
        let index = entries(listed);
        let mut kept: Vec<&str> = index.keys().copied().collect();
        kept.sort_unstable();
        assert_eq!(kept, ["a.rs", "e.rs"]);
        assert_eq!(index["e.rs"].mode, "100755");
    }

    #[test]
    fn paths_that_leave_the_tree_are_refused() {
        let folder = tempfile::tempdir().unwrap();
        for path in ["../x.rs", "/etc/x.rs", "a/../../x.rs", "./a.rs"] {
            assert!(write_entry(folder.path(), path, b"").is_err(), "{path}");
        }
        write_entry(folder.path(), "a/b/c.rs", b"fn f() {}").unwrap();
        assert_eq!(
            std::fs::read(folder.path().join("a/b/c.rs")).unwrap(),
            b"fn f() {}"
        );
    }
}
