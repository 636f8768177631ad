//! Where the Codex's own files are read from: the working tree, or a git revision.
//!
//! A merge request can edit `codex.toml`, a rule or the baseline to switch off its own
//! findings. With `--codex-from REV` (the branch it merges into), every Codex file inside the
//! repository is read as of `REV` with `git ls-tree` and `git cat-file`, never from the working
//! tree; a file missing at `REV` is simply not there. Files outside the repository (named by the
//! operator) are read from disk. Symbolic links at `REV` are not followed.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::boundary::{Boundary, FileError, normalize, read_regular};

/// Where Codex files come from.
#[derive(Debug, Clone, Default)]
pub enum Origin {
    /// The files on disk.
    #[default]
    WorkTree,
    /// The files of a git revision.
    Revision(Revision),
}

/// A git revision of the repository holding the project.
#[derive(Debug, Clone)]
pub struct Revision {
    /// As given on the command line.
    pub name: String,
    /// The commit it names.
    commit: String,
    /// A folder inside the repository where git runs.
    base: PathBuf,
    /// `base` relative to the top of the repository, as folder names.
    prefix: Vec<String>,
}

/// One file found under a folder, with its content or why it could not be read.
pub type Found = (PathBuf, Result<Vec<u8>, FileError>);

/// One entry of `git ls-tree -l`.
struct TreeEntry {
    mode: String,
    kind: String,
    object: String,
    size: Option<u64>,
    path: String,
}

impl Revision {
    /// The revision `name` of the git repository holding `dir`.
    ///
    /// # Errors
    ///
    /// When `dir` is not in a git repository, or `name` is not a commit of it.
    pub fn open(dir: &Path, name: &str) -> io::Result<Self> {
        // Refused here rather than with `--end-of-options`, which older gits lack.
        if name.is_empty() || name.starts_with('-') {
            return Err(io::Error::other(format!("`{name}` is not a git revision")));
        }
        let commit = git(
            dir,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{name}^{{commit}}"),
            ],
        )
        .map_err(|_| {
            io::Error::other(format!(
                "--codex-from `{name}` is not a commit of the git repository there (fetch it first)"
            ))
        })?;
        let prefix = git(dir, &["rev-parse", "--show-prefix"])?;
        Ok(Revision {
            name: name.to_owned(),
            commit: String::from_utf8_lossy(&commit).trim().to_owned(),
            base: normalize(dir),
            prefix: String::from_utf8_lossy(&prefix)
                .trim_end_matches(['\n', '/'])
                .split('/')
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// `path` relative to the top of the repository, `/`-separated, when it lies inside it.
    fn in_repository(&self, path: &Path) -> Option<String> {
        let path = normalize(path);
        let path_parts: Vec<Component> = path.components().collect();
        let base_parts: Vec<Component> = self.base.components().collect();
        let common = path_parts
            .iter()
            .zip(&base_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let mut parts = self.prefix.clone();
        for _ in common..base_parts.len() {
            // Above the top of the repository: not one of its files.
            parts.pop()?;
        }
        for part in path_parts.get(common..).unwrap_or_default() {
            parts.push(part.as_os_str().to_string_lossy().into_owned());
        }
        Some(parts.join("/"))
    }

    fn entries(&self, path: &str, recursive: bool) -> io::Result<Vec<TreeEntry>> {
        let spec = if path.is_empty() { "." } else { path };
        let mut args = vec!["ls-tree", "--full-tree", "-l", "-z"];
        if recursive {
            args.push("-r");
        }
        args.extend([self.commit.as_str(), "--", spec]);
        let listing = git(&self.base, &args)?;
        Ok(listing
            .split(|&b| b == 0)
            .filter_map(|record| {
                let record = String::from_utf8_lossy(record);
                let (meta, path) = record.split_once('\t')?;
                let mut meta = meta.split_whitespace();
                Some(TreeEntry {
                    mode: meta.next()?.to_owned(),
                    kind: meta.next()?.to_owned(),
                    object: meta.next()?.to_owned(),
                    size: meta.next()?.parse().ok(),
                    path: path.to_owned(),
                })
            })
            .collect())
    }

    fn entry(&self, path: &str) -> io::Result<Option<TreeEntry>> {
        Ok(self
            .entries(path, false)?
            .into_iter()
            .find(|entry| entry.path == path))
    }

    fn blob(&self, entry: &TreeEntry, limit: u64) -> Result<Vec<u8>, FileError> {
        if entry.mode == "120000" {
            return Err(FileError::LinkAtRevision {
                revision: self.name.clone(),
            });
        }
        if entry.kind != "blob" {
            return Err(FileError::NotRegular);
        }
        let size = entry.size.unwrap_or(u64::MAX);
        if size > limit {
            return Err(FileError::TooLarge { size, limit });
        }
        Ok(git(&self.base, &["cat-file", "blob", &entry.object])?)
    }
}

impl Origin {
    /// The revision files are read from, if not the working tree.
    pub fn revision(&self) -> Option<&Revision> {
        match self {
            Origin::WorkTree => None,
            Origin::Revision(revision) => Some(revision),
        }
    }

    /// Whether `path` is read from the revision rather than from disk.
    pub fn reads_at_revision(&self, path: &Path) -> bool {
        self.locate(path).is_some()
    }

    /// Where `path` is read from: its path in the repository at the revision, or `None` for
    /// the disk.
    fn locate(&self, path: &Path) -> Option<(&Revision, String)> {
        let revision = self.revision()?;
        Some((revision, revision.in_repository(path)?))
    }

    /// The content of the file at `path`, at most `limit` bytes; `Ok(None)` when there is no
    /// such file (on disk, or at the revision).
    ///
    /// # Errors
    ///
    /// A path inside `boundary` that resolves outside it, a file that is not regular or too
    /// large, a symbolic link at the revision, an I/O or git error.
    pub fn read(
        &self,
        path: &Path,
        boundary: &Boundary,
        limit: u64,
    ) -> Result<Option<Vec<u8>>, FileError> {
        let Some((revision, inside)) = self.locate(path) else {
            boundary.admit(path)?;
            return match read_regular(path, limit) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(FileError::Io(error)) if error.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error),
            };
        };
        match revision.entry(&inside)? {
            Some(entry) => revision.blob(&entry, limit).map(Some),
            None => Ok(None),
        }
    }

    /// Whether something other than a folder is at `path`: a file, a link, a FIFO (a blob at
    /// the revision). Reading it then says what is wrong with it, rather than it being passed
    /// over in silence.
    pub fn has_file(&self, path: &Path) -> bool {
        match self.locate(path) {
            None => std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()),
            Some((revision, inside)) => {
                matches!(revision.entry(&inside), Ok(Some(entry)) if entry.kind == "blob")
            }
        }
    }

    /// Whether `path` is a folder (a tree at the revision).
    pub fn is_dir(&self, path: &Path) -> bool {
        match self.locate(path) {
            None => path.is_dir(),
            Some((_, inside)) if inside.is_empty() => true,
            Some((revision, inside)) => {
                matches!(revision.entry(&inside), Ok(Some(entry)) if entry.kind == "tree")
            }
        }
    }

    /// Every file under the folder `dir` whose name ends in `.{extension}`, sorted, each with
    /// its content (at most `limit` bytes) or why it was not read. Symbolic links to folders are
    /// not followed, so links in a loop cannot make the walk endless.
    ///
    /// # Errors
    ///
    /// When `dir` is not a folder (on disk or at the revision), or cannot be listed.
    pub fn files_under(
        &self,
        dir: &Path,
        extension: &str,
        boundary: &Boundary,
        limit: u64,
    ) -> Result<Vec<Found>, FileError> {
        let suffix = format!(".{extension}");
        let mut found = match self.locate(dir) {
            None => disk_files(dir, &suffix, boundary, limit)?,
            Some((revision, inside)) => {
                if !self.is_dir(dir) {
                    return Err(FileError::Io(io::Error::new(
                        io::ErrorKind::NotFound,
                        format!("no such folder at revision {}", revision.name),
                    )));
                }
                let strip = if inside.is_empty() {
                    String::new()
                } else {
                    format!("{inside}/")
                };
                revision
                    .entries(&inside, true)?
                    .into_iter()
                    .filter(|entry| entry.path.ends_with(&suffix))
                    .filter_map(|entry| {
                        let relative = entry.path.strip_prefix(&strip)?;
                        let path = dir.join(relative);
                        Some((path, revision.blob(&entry, limit)))
                    })
                    .collect()
            }
        };
        found.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(found)
    }
}

fn disk_files(
    dir: &Path,
    suffix: &str,
    boundary: &Boundary,
    limit: u64,
) -> Result<Vec<Found>, FileError> {
    boundary.admit(dir)?;
    if !std::fs::metadata(dir)?.is_dir() {
        return Err(FileError::NotRegular);
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(dir).to_path_buf();
                found.push((path, Err(FileError::Io(error.into()))));
                continue;
            }
        };
        let named = entry.file_name().to_string_lossy().ends_with(suffix);
        if entry.file_type().is_dir() || !named {
            continue;
        }
        let path = entry.into_path();
        let content = boundary
            .admit(&path)
            .and_then(|()| read_regular(&path, limit));
        found.push((path, content));
    }
    Ok(found)
}

/// Runs `git ARGS` in `dir` and returns what it printed (pathspecs are literal: a folder name
/// from `codex.toml` is never a pattern).
fn git(dir: &Path, args: &[&str]) -> io::Result<Vec<u8>> {
    crate::git::run(dir, args, None).map_err(io::Error::other)
}
