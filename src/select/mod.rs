//! Where inputs are selected: which files a run checks and which version of them. The whole
//! project or named paths ([`Selection`]); the files a diff changed ([`changes`]) and, for
//! `--diff`, the merge base to compare with; the staged tree of a pre-commit check (both
//! checked out from git, [`checkout`]); one shard of the files for parallel jobs ([`Shard`]).

pub mod changes;
pub mod checkout;
pub mod staged;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Settings;
use crate::engine::Inputs;
use crate::source::boundary::normalize;
use crate::source::discover;
use changes::ChangedLines;
use staged::StagedTree;

/// Which files a run checks, and which of their findings it reports.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Files or folders to check, relative to `cwd` unless absolute. None: the project, or
    /// `cwd` when it is a folder inside the project (as ruff does).
    pub paths: Vec<PathBuf>,
    /// The folder the request is made from: a command line's working directory.
    pub cwd: PathBuf,
    /// Which version of the files is checked, and which lines are reported.
    pub changes: Changes,
    /// Only this shard of the files.
    pub shard: Option<Shard>,
    /// Text to check instead of what the disk holds, by absolute path: an editor's unsaved
    /// buffers. Such a file is checked even before it exists on disk. Not used with
    /// [`Changes::Staged`], which checks the index.
    pub unsaved: HashMap<PathBuf, Arc<str>>,
}

impl Selection {
    /// The project, or the folder `cwd` inside it, as it is in the working tree.
    pub fn of(cwd: impl Into<PathBuf>) -> Self {
        Selection {
            cwd: cwd.into(),
            ..Selection::default()
        }
    }
}

/// Which version of the files a run checks, and which of their findings it reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Changes {
    /// The working tree; every finding.
    #[default]
    All,
    /// The staged content of the staged files, as a pre-commit hook commits them (`--staged`).
    Staged,
    /// Findings on lines changed since the merge base with this git revision, and findings the
    /// merge base does not have (`--diff BASE`).
    Since(String),
    /// Findings on lines the unified diff in this file adds or changes
    /// (`--changed-lines-from FILE`). The path is used as given, like a baseline's.
    DiffFile(PathBuf),
}

/// One of `count` deterministic parts of the files, for parallel jobs. Test scope still comes
/// from the whole tree: the shards' findings add up to a whole run's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, at most `count`.
    index: usize,
    count: usize,
}

impl Shard {
    /// Shard `index` of `count`, 1-based; `None` unless `1 <= index <= count`.
    pub fn new(index: usize, count: usize) -> Option<Self> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// Whether the file at `position` in the sorted list of files is in this shard.
    fn holds(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

/// The files a run reads: the named paths (or the project, or `cwd`), narrowed to the files of
/// `changed` and to a shard, plus the parents that give them their module scope. With `staged`,
/// the staged files are read from the exported index instead of the working tree.
pub fn inputs(
    settings: &Settings,
    selection: &Selection,
    changed: Option<&ChangedLines>,
    staged: Option<&StagedTree>,
) -> Inputs {
    let root = staged.map_or(&settings.root, |tree| &tree.root);
    let cwd = &selection.cwd;
    // `..` folded by name, so that `check ..` from `src/net` reports `src/lib.rs`.
    let mut paths: Vec<PathBuf> = selection
        .paths
        .iter()
        .map(|p| normalize(&cwd.join(p)))
        .collect();
    // Run from a subfolder with no paths, check that folder (as ruff does); paths stay
    // relative to the project root.
    if paths.is_empty() && *cwd != settings.root && cwd.starts_with(&settings.root) {
        paths.push(cwd.clone());
    }
    if let (Some(changed), true) = (changed, selection.paths.is_empty()) {
        // Only the changed files need checking; deleted ones are gone.
        paths = changed
            .files()
            .map(|file| root.join(file))
            .filter(|file| file.is_file())
            .collect();
    }
    if let Some(tree) = staged {
        paths = tree
            .files
            .iter()
            .filter(|file| Path::new(file).extension().is_some_and(|ext| ext == "rs"))
            .map(|file| root.join(file))
            .collect();
    }
    let narrowed = changed.is_some() || staged.is_some();
    let unsaved = if staged.is_some() {
        HashMap::new()
    } else {
        selection.unsaved.clone()
    };
    // Discovery sees the disk: an unsaved buffer of a file not written yet is added after it.
    let (new, on_disk): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut paths)
        .into_iter()
        .partition(|path| unsaved.contains_key(path) && !path.exists() && path.starts_with(root));
    paths = on_disk;
    let mut found = if (narrowed || !new.is_empty()) && paths.is_empty() {
        discover::Discovered::default()
    } else {
        discover::discover(root, &paths, &settings.exclude)
    };
    found.files.extend(new);
    found.files.sort();
    found.files.dedup();
    outside_rule_dirs(settings, root, &mut found.files);
    let mut context = if paths.is_empty() {
        Vec::new()
    } else {
        discover::context_files(root, &found.files)
    };
    if let Some(shard) = selection.shard {
        // Files are sorted, so every job computes the same split. The other shards' files
        // are read for their `mod` declarations only, so that a file's scope comes from the
        // whole tree: `#[cfg(test)] mod tests;` may sit in another shard.
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut found.files)
            .into_iter()
            .enumerate()
            .partition(|(position, _)| shard.holds(*position));
        found.files = mine.into_iter().map(|(_, file)| file).collect();
        context.extend(others.into_iter().map(|(_, file)| file));
        context.sort();
    }
    Inputs {
        root: root.clone(),
        files: found.files,
        context,
        walk_errors: found.errors,
        max_file_size: settings.max_file_size,
        overlay: unsaved,
        today: settings.today,
    }
}

/// Every file of the project as found under `root` (the project, or a copy of it such as the
/// merge base's tree).
pub fn project(settings: &Settings, root: &Path) -> Inputs {
    let mut found = discover::discover(root, &[], &settings.exclude);
    outside_rule_dirs(settings, root, &mut found.files);
    Inputs {
        root: root.to_path_buf(),
        files: found.files,
        context: Vec::new(),
        walk_errors: found.errors,
        max_file_size: settings.max_file_size,
        today: settings.today,
        ..Inputs::default()
    }
}

/// Leaves out of `files` (under `root`, the project or a copy of it) those in rule folders:
/// they hold fixtures written to fire, tested by `cargo codex test`.
fn outside_rule_dirs(settings: &Settings, root: &Path, files: &mut Vec<PathBuf>) {
    let rule_dirs: Vec<PathBuf> = settings
        .sources
        .rule_dirs
        .iter()
        .map(|dir| {
            dir.strip_prefix(&settings.root)
                .map_or_else(|_| dir.clone(), |relative| root.join(relative))
        })
        .collect();
    files.retain(|file| !rule_dirs.iter().any(|dir| file.starts_with(dir)));
}
