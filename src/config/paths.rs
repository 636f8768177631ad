//! Where the project is and where `codex.toml`'s paths may lead: the configuration file and
//! project root found from where the run starts, and every path the file names kept inside
//! the root.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::{FILE_NAME, Flags};
use crate::codex::load::{LoadError, TextFile};
use crate::source::boundary::{Boundary, FileError, normalize};
use crate::source::revision::Origin;

/// What paths written in `codex.toml` are checked against.
pub(super) struct Paths<'a> {
    pub(super) root: &'a Path,
    pub(super) boundary: &'a Boundary,
    pub(super) origin: &'a Origin,
    pub(super) file: Option<&'a TextFile>,
}

impl Paths<'_> {
    /// The path `written` names, if it stays inside the project; a located error otherwise.
    pub(super) fn inside(
        &self,
        written: &Spanned<String>,
        errors: &mut Vec<LoadError>,
    ) -> Option<PathBuf> {
        let file = self.file?;
        match inside_root(self.root, self.boundary, self.origin, written.get_ref()) {
            Ok(resolved) => Some(resolved),
            Err(message) => {
                errors.push(LoadError::invalid(file, written.span(), message));
                None
            }
        }
    }

    /// The folders of `list` that stay inside the project and exist.
    pub(super) fn dirs(
        &self,
        list: Vec<Spanned<String>>,
        errors: &mut Vec<LoadError>,
    ) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in list {
            let Some(path) = self.inside(&dir, errors) else {
                continue;
            };
            if self.origin.is_dir(&path) {
                out.push(path);
            } else if let Some(file) = self.file {
                let at = self
                    .origin
                    .revision()
                    .map(|revision| format!(" at revision {}", revision.name))
                    .unwrap_or_default();
                errors.push(LoadError::invalid(
                    file,
                    dir.span(),
                    format!(
                        "folder `{}` does not exist{at} (paths are relative to {FILE_NAME})",
                        dir.get_ref(),
                    ),
                ));
            }
        }
        out
    }
}

/// `written`, a path from `codex.toml`, made absolute under `root`, if it stays inside it: not
/// absolute, no `..` leading out, and (on disk) no symbolic link leading out.
fn inside_root(
    root: &Path,
    boundary: &Boundary,
    origin: &Origin,
    written: &str,
) -> Result<PathBuf, String> {
    let rule = "paths in codex.toml must stay inside the project";
    if Path::new(written).has_root() || Path::new(written).is_absolute() {
        return Err(format!(
            "`{written}` is an absolute path; {rule} (write it relative to {FILE_NAME})"
        ));
    }
    let path = root.join(written);
    if !boundary.claims(&path) {
        return Err(format!("`{written}` leads outside the project; {rule}"));
    }
    let path = normalize(&path);
    if origin.revision().is_none()
        && let Err(FileError::Outside) = boundary.admit(&path)
    {
        return Err(format!(
            "`{written}` resolves outside the project through a symbolic link; {rule}"
        ));
    }
    Ok(path)
}

/// The folder where discovery starts: the first path argument's (a file's parent), else the
/// working directory.
pub(super) fn start_dir(flags: &Flags, cwd: &Path) -> PathBuf {
    let start = flags
        .start
        .as_ref()
        .map_or_else(|| cwd.to_path_buf(), |p| absolute(p, cwd));
    if start.is_dir() {
        start
    } else {
        start
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    }
}

/// The configuration file (explicit, or the nearest `codex.toml` above where the run starts,
/// in `origin`) and the project root: the file's folder, else the enclosing git repository,
/// else the working directory when the run starts inside it, else the starting folder.
pub(super) fn locate(
    flags: &Flags,
    cwd: &Path,
    start_dir: &Path,
    origin: &Origin,
) -> (Option<PathBuf>, PathBuf) {
    let config_file = match &flags.config {
        Some(path) => Some(absolute(path, cwd)),
        None => start_dir
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|path| origin.has_file(path)),
    };
    let root = match &config_file {
        Some(file) => file
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
        None => match start_dir.ancestors().find(|dir| dir.join(".git").exists()) {
            Some(repository) => repository.to_path_buf(),
            None if start_dir.starts_with(cwd) => cwd.to_path_buf(),
            None => start_dir.to_path_buf(),
        },
    };
    (config_file, root)
}

/// `path`, made absolute against `cwd` when relative, with `.` and `..` folded by name (as a
/// shell does `cd ..`): `check ..` from `src/net` names `src`, whose files are `src/lib.rs`,
/// not `src/net/../lib.rs`.
pub(super) fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    normalize(&cwd.join(path))
}
