//! The project root as a boundary, and reading files safely.
//!
//! A merge request controls the files under the project root, symbolic links included. A link
//! that resolves outside the root (`src/notes.rs -> /proc/self/environ`) must not bring outside
//! bytes into the output, so a path that names something inside the root must also resolve
//! inside it. Paths outside the root are the operator's own (named on the command line) and are
//! not restricted. Reading accepts only regular files, up to a size limit, so a FIFO or a link
//! to `/dev/zero` fails at once instead of hanging or filling memory.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Why a file of the project was not read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A path inside the project that resolves outside it (through a symbolic link).
    #[error("points outside the project, not read")]
    Outside,
    /// A directory, FIFO, socket or device.
    #[error("not a regular file (a directory, FIFO or device)")]
    NotRegular,
    /// A file over the size limit.
    #[error("file is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Its size (at least this many bytes when it grew while read).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A symbolic link in a git revision, which is not followed.
    #[error("a symbolic link at revision {revision}, not followed")]
    LinkAtRevision {
        /// The revision as given.
        revision: String,
    },
    /// What the operating system or git said.
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl FileError {
    /// This error as an [`io::Error`], for error types that carry one.
    pub fn into_io(self) -> io::Error {
        match self {
            FileError::Io(error) => error,
            other => io::Error::other(other),
        }
    }
}

/// The project root, by name and as resolved on disk.
#[derive(Debug, Clone)]
pub struct Boundary {
    root: PathBuf,
    resolved: PathBuf,
}

impl Boundary {
    /// The boundary of the project at `root`.
    pub fn new(root: &Path) -> Self {
        let root = normalize(root);
        let resolved = fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        Boundary { root, resolved }
    }

    /// Whether `path` names something inside the project, by its name alone (`.` and `..`
    /// folded, symbolic links not followed).
    pub fn claims(&self, path: &Path) -> bool {
        normalize(path).starts_with(&self.root)
    }

    /// Checks that `path`, when it names something inside the project, also resolves inside
    /// it. A path that does not resolve (missing, a broken link) passes: reading it reports why.
    ///
    /// # Errors
    ///
    /// [`FileError::Outside`] when a symbolic link leads out of the project.
    pub fn admit(&self, path: &Path) -> Result<(), FileError> {
        if !self.claims(path) {
            return Ok(());
        }
        match fs::canonicalize(path) {
            Ok(real) if !real.starts_with(&self.resolved) => Err(FileError::Outside),
            _ => Ok(()),
        }
    }
}

/// `path` made absolute (against the working directory) with `.` and `..` folded by name.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads the regular file at `path` (following symbolic links), refusing anything else and
/// files over `limit` bytes.
///
/// # Errors
///
/// [`FileError::NotRegular`], [`FileError::TooLarge`], or the I/O error.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let metadata = fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(FileError::NotRegular);
    }
    if metadata.len() > limit {
        return Err(FileError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    let file = fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(FileError::NotRegular);
    }
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    // Some files say they are empty and are not (`/proc`): the limit holds while reading too.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(FileError::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_folded_before_they_are_compared() {
        let boundary = Boundary::new(Path::new("/project"));
        assert!(boundary.claims(Path::new("/project/src/../src/lib.rs")));
        assert!(!boundary.claims(Path::new("/project/../secret.rs")));
        assert!(!boundary.claims(Path::new("/projectile/lib.rs")));
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
    }

    #[test]
    fn a_link_out_of_the_project_is_refused_and_one_inside_is_not() {
        let outside = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.rs"), "token").unwrap();
        std::fs::write(project.path().join("lib.rs"), "fn f() {}").unwrap();
        let boundary = Boundary::new(project.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(
                outside.path().join("secret.rs"),
                project.path().join("out.rs"),
            )
            .unwrap();
            symlink("lib.rs", project.path().join("in.rs")).unwrap();
            assert!(matches!(
                boundary.admit(&project.path().join("out.rs")),
                Err(FileError::Outside)
            ));
            assert!(boundary.admit(&project.path().join("in.rs")).is_ok());
        }
        // The operator may name files anywhere.
        assert!(boundary.admit(&outside.path().join("secret.rs")).is_ok());
    }

    #[test]
    fn only_regular_files_under_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular(&file, 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&file, 4),
            Err(FileError::TooLarge { size: 5, limit: 4 })
        ));
        assert!(matches!(
            read_regular(dir.path(), 4),
            Err(FileError::NotRegular)
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 4),
            Err(FileError::NotRegular)
        ));
    }
}
