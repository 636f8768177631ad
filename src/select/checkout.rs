//! What the selection reads from git, each tree checked out to a temporary folder removed
//! when dropped: the staged tree of a pre-commit check (what is about to be committed, not
//! what the working tree holds), and the merge base of a `--diff` run, so that its findings
//! can be compared with the working tree's: a change that turns unchanged lines into
//! production code (a deleted `#[cfg(test)]` or `#[test]`, the `/*` and `*/` around code
//! removed, a `mod` declaration pointed elsewhere) adds findings on lines the diff does not
//! touch. Starting git is [`crate::git`]'s; its errors become [`ChangesError`]s here.

use std::path::{Path, PathBuf};

use super::changes::ChangesError;
use crate::source::{discover, lex};

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

impl StagedTree {
    /// Exports the staged files of the repository at `repo`, with the files of the index that
    /// may give them their module scope: all that a check of the staged files reads, without
    /// writing out the rest of the index.
    ///
    /// Those are the `.rs` files beside the staged files and in the folders above
    /// ([`discover::context_paths`]) that may declare a module on their paths or at a
    /// `#[path]` ([`lex::may_declare_any`]); the check leaves the others out anyway. Whether
    /// one may is read from the working tree where git says it holds what the index holds;
    /// any other is written out.
    ///
    /// # Errors
    ///
    /// When git fails or the temporary folder cannot be made.
    pub fn export(repo: &Path) -> Result<Self, ChangesError> {
        // Paths are the repository's, from its top folder, as `git diff` prints them.
        let top = if repo.join(".git").exists() {
            repo.to_path_buf()
        } else {
            let shown = git(repo, &["rev-parse", "--show-toplevel"], None)?;
            std::path::PathBuf::from(shown.trim_end_matches(['\n', '\r']))
        };
        let git = |args: &[&str]| git(&top, args, None);
        let folder = temporary("staged")?;
        let root = folder.path().to_path_buf();
        let prefix = format!("--prefix={}/", root.display());
        let files = names(&git(&[
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMR",
            "-z",
        ])?);
        // `-v`: a tag before each name, `H` for an entry git keeps comparing with the
        // working tree (not assume-unchanged). Unmerged entries (`M`) and skip-worktree ones
        // (`S`, `s`) are left out, as `checkout-index --all` leaves them out.
        let listed = git(&["ls-files", "-v", "-z"])?;
        let tagged: Vec<(&str, &str)> = listed
            .split('\0')
            .filter_map(|entry| entry.split_once(' '))
            .filter(|(tag, _)| !matches!(*tag, "M" | "S" | "s"))
            .collect();
        let context = discover::context_paths(&files, tagged.iter().map(|&(_, path)| path));
        let mut wanted = files.clone();
        wanted.extend(may_place(&git, &top, &files, &tagged, context)?);
        wanted.sort();
        wanted.dedup();
        for batch in wanted.chunks(BATCH) {
            let mut args = vec!["checkout-index", "--force", prefix.as_str(), "--"];
            args.extend(batch.iter().map(String::as_str));
            git(&args)?;
        }
        Ok(StagedTree {
            root,
            files,
            _folder: folder,
        })
    }
}

/// Paths per git command line, so that none grows past the system's limit.
const BATCH: usize = 512;

/// The files among `context` (index entries beside and above the staged `files`) that may
/// declare a module on the staged files' paths or at a `#[path]`, or whose text the working
/// tree does not tell: an entry git does not compare with the working tree (`tagged`, from
/// `git ls-files -v`, other than `H`), one it finds changed there, or one that is not a
/// regular file of bounded size there.
fn may_place(
    git: &dyn Fn(&[&str]) -> Result<String, ChangesError>,
    top: &Path,
    files: &[String],
    tagged: &[(&str, &str)],
    context: Vec<String>,
) -> Result<Vec<String>, ChangesError> {
    let mut changed = std::collections::HashSet::new();
    for batch in context.chunks(BATCH) {
        let mut args = vec!["diff", "--name-only", "-z", "--"];
        args.extend(batch.iter().map(String::as_str));
        changed.extend(names(&git(&args)?));
    }
    let compared: std::collections::HashSet<&str> = tagged
        .iter()
        .filter(|&&(tag, _)| tag == "H")
        .map(|&(_, path)| path)
        .collect();
    let rust = files
        .iter()
        .map(String::as_str)
        .filter(|file| Path::new(file).extension().is_some_and(|ext| ext == "rs"));
    let names = lex::path_names(rust);
    // The text of an entry as the index holds it, when the working tree holds the same in a
    // regular file (a link is not followed).
    let same_text = |path: &str| {
        let file = top.join(path);
        let plain = compared.contains(path)
            && !changed.contains(path)
            && file.symlink_metadata().is_ok_and(|meta| meta.is_file());
        plain
            .then(|| crate::source::boundary::read_regular(&file, 1 << 24).ok())
            .flatten()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    };
    Ok(context
        .into_iter()
        .filter(|path| same_text(path).is_none_or(|text| lex::may_declare_any(&text, &names)))
        .collect())
}

/// The names in git's `-z` output.
fn names(listed: &str) -> Vec<String> {
    listed
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A commit's files, exported through a temporary index (the repository's own index is not
/// touched). Removed when dropped.
#[derive(Debug)]
pub struct BaseTree {
    /// The project root inside the exported tree (the project may be a subfolder of the
    /// repository).
    pub root: PathBuf,
    /// The temporary folder holding everything.
    _folder: tempfile::TempDir,
}

impl BaseTree {
    /// Exports `commit` (the merge base, see [`merge_base`]) of the repository holding
    /// `project`.
    ///
    /// # Errors
    ///
    /// When git fails (an unknown commit, no repository) or the folder cannot be made.
    pub fn export(project: &Path, commit: &str) -> Result<Self, ChangesError> {
        let prefix = git(project, &["rev-parse", "--show-prefix"], None)?
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        let folder = temporary("base")?;
        let index = folder.path().join("index");
        let tree = folder.path().join("tree");
        git(project, &["read-tree", commit], Some(&index))?;
        let destination = format!("--prefix={}/", tree.display());
        git(
            project,
            &["checkout-index", "--all", "--force", &destination],
            Some(&index),
        )?;
        let root = tree.join(&prefix);
        std::fs::create_dir_all(&root).map_err(|error| ChangesError::Git {
            args: format!("checkout-index --prefix={}/", tree.display()),
            message: format!("cannot make {}: {error}", root.display()),
        })?;
        Ok(BaseTree {
            root,
            _folder: folder,
        })
    }
}

/// The merge base of `base` and `HEAD` in the repository holding `root`. A revision that
/// starts with `-` is refused: git would read it as an option.
///
/// # Errors
///
/// When `base` starts with `-`, is unknown, or git fails.
pub fn merge_base(root: &Path, base: &str) -> Result<String, ChangesError> {
    refuse_option(base, "merge-base")?;
    let commit = git(root, &["merge-base", base, "HEAD"], None)?;
    Ok(commit.trim().to_owned())
}

/// Runs `git ARGS` in `dir`, with `index` as the index file when given, and returns the
/// bytes it printed.
pub(super) fn git_bytes(
    dir: &Path,
    args: &[&str],
    index: Option<&Path>,
) -> Result<Vec<u8>, ChangesError> {
    crate::git::run(dir, args, index).map_err(|error| ChangesError::Git {
        args: error.args,
        message: error.message,
    })
}

/// Runs `git ARGS` in `dir` and returns what it printed, as text.
fn git(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<String, ChangesError> {
    git_bytes(dir, args, index).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Refuses a revision that git would read as an option (`--output=FILE`).
pub(crate) fn refuse_option(revision: &str, command: &str) -> Result<(), ChangesError> {
    if revision.starts_with('-') {
        return Err(ChangesError::Git {
            args: format!("{command} {revision}"),
            message: "a revision cannot start with `-`".to_owned(),
        });
    }
    Ok(())
}

/// A temporary folder for an exported tree, removed when dropped.
fn temporary(kind: &str) -> Result<tempfile::TempDir, ChangesError> {
    tempfile::Builder::new()
        .prefix(&format!("cargo-codex-{kind}-"))
        .tempdir()
        .map_err(|error| ChangesError::Git {
            args: "checkout-index".to_owned(),
            message: format!("cannot make a temporary folder: {error}"),
        })
}
