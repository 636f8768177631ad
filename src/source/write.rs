//! Writing a project file safely: never through a symbolic link, and atomically (a temporary
//! file in the same folder, renamed over the old one), so a killed run leaves the old content
//! or the new, never a truncated file. Used by `--fix` and `--write-baseline`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::boundary::Boundary;

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The path is a symbolic link: writing through it could change a file anywhere.
    #[error("{} is a symbolic link; cargo-codex does not write through links", path.display())]
    Link {
        /// The link.
        path: PathBuf,
    },
    /// The path is inside the project, but its folder resolves outside it.
    #[error("{} is in a folder that resolves outside the project; not written", path.display())]
    Outside {
        /// The path.
        path: PathBuf,
    },
    /// The path is a folder, FIFO or device.
    #[error("{} is not a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
    },
    /// The folder or file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// Replaces the content of the file at `path` (or creates it) with `bytes`, keeping its
/// permissions. A path inside `boundary` must stay inside it: its folder must not be a link
/// leading out.
///
/// # Errors
///
/// When `path` is a symbolic link or not a regular file, its folder leads out of the project,
/// or the write fails; the file is then unchanged.
pub fn write_atomic(path: &Path, bytes: &[u8], boundary: &Boundary) -> Result<(), WriteError> {
    let io = |source: io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let permissions = match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            return Err(WriteError::Link {
                path: path.to_path_buf(),
            });
        }
        Ok(metadata) if !metadata.is_file() => {
            return Err(WriteError::NotRegular {
                path: path.to_path_buf(),
            });
        }
        Ok(metadata) => Some(metadata.permissions()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(io(error)),
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if boundary.claims(path) && boundary.admit(folder).is_err() {
        return Err(WriteError::Outside {
            path: path.to_path_buf(),
        });
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cargo-codex-").suffix(".tmp");
    #[cfg(unix)]
    if permissions.is_none() {
        // A new file gets the usual mode (less the umask), not the private one of temporaries.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(folder).map_err(io)?;
    temporary.write_all(bytes).map_err(io)?;
    if let Some(permissions) = permissions {
        temporary
            .as_file()
            .set_permissions(permissions)
            .map_err(io)?;
    }
    temporary.as_file().sync_all().map_err(io)?;
    // A rename replaces whatever is at `path` now, a link included, without following it.
    temporary.persist(path).map_err(|error| io(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.rs");
        fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&file, fs::Permissions::from_mode(0o750)).unwrap();
        }
        write_atomic(&file, b"new", &Boundary::new(dir.path())).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o750);
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_write_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.json");
        fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = write_atomic(&link, b"new", &Boundary::new(dir.path())).unwrap_err();
        assert!(error.to_string().contains("link.json is a symbolic link"));
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        // Nor into a linked folder that leads out of the project.
        let project = dir.path().join("project");
        fs::create_dir(&project).unwrap();
        std::os::unix::fs::symlink(dir.path(), project.join("out")).unwrap();
        let error = write_atomic(
            &project.join("out/new.json"),
            b"new",
            &Boundary::new(&project),
        )
        .unwrap_err();
        assert!(matches!(error, WriteError::Outside { .. }), "{error}");
        assert!(!dir.path().join("new.json").exists());
    }
}
