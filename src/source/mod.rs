//! Source files: finding them, reading them safely, lexing them, the module tree, test scope
//! by path, and comments. Nothing here knows about rules.
//!
//! The project's files come from whoever wrote the merge request: [`boundary`] keeps reading
//! inside the project root and to regular files of bounded size, [`write`] never writes through
//! a link and never leaves a half-written file, and [`revision`] reads the Codex's own files
//! from the branch merged into instead of the merge request.

pub mod attrs;
pub mod boundary;
pub mod comment;
pub mod depth;
pub mod discover;
pub mod lex;
pub mod revision;
pub mod tree;
pub mod write;

use std::fs;
use std::path::Path;

use boundary::{FileError, read_regular};

use crate::codex::Scope;
use crate::text::{LineIndex, Position};

/// Why a file's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// Where the problem is (line 1, column 1 when it is about the whole file).
    pub position: Position,
    /// What is wrong, for the user.
    pub reason: String,
}

impl ReadError {
    fn whole(reason: String) -> Self {
        ReadError {
            position: Position { line: 1, column: 1 },
            reason,
        }
    }
}

/// Reads a source file as UTF-8, refusing files larger than `max_size` bytes and anything but
/// regular files.
///
/// Whether the file lies inside the project is decided before: [`discover`] reports a link
/// that leads out of the project instead of listing it.
///
/// # Errors
///
/// A broken symbolic link, an I/O error, a file that is too large or not UTF-8, each with a
/// reason a user can act on.
pub fn read(path: &Path, max_size: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, max_size).map_err(|error| {
        ReadError::whole(match error {
            FileError::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
                broken_link(path)
                    .unwrap_or_else(|| format!("cannot read file: {}", io_reason(&error)))
            }
            FileError::Io(error) => format!("cannot read file: {}", io_reason(&error)),
            FileError::TooLarge { size, limit } => format!(
                "file is {size} bytes, over the {limit}-byte limit (`max_file_size` in codex.toml)"
            ),
            other => other.to_string(),
        })
    })?;
    decode(bytes)
}

/// The text of a source file's bytes, as [`read`] returns it.
///
/// # Errors
///
/// Bytes that are not UTF-8, with the position of the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(error.as_bytes().get(..offset).unwrap_or_default())
            .into_owned();
        let position = LineIndex::new(&valid).position(&valid, valid.len());
        ReadError {
            position,
            reason: format!(
                "not valid UTF-8 (first invalid byte at line {}, column {}); save it as UTF-8",
                position.line, position.column
            ),
        }
    })
}

/// The reason for a symbolic link whose target does not exist, if `path` is one.
fn broken_link(path: &Path) -> Option<String> {
    let target = fs::read_link(path).ok()?;
    Some(format!(
        "broken symbolic link (its target `{}` does not exist)",
        target.display()
    ))
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => error.to_string(),
    }
}

/// The scope a file has by where it stands: `tests/` and `benches/` folders, `examples/`,
/// and `build.rs` build scripts. Folders below a `src/` do not count (`src/tests/` is a module).
pub fn path_scope(relative: &str) -> Scope {
    let parts: Vec<&str> = relative.split('/').collect();
    let Some((file, dirs)) = parts.split_last() else {
        return Scope::Prod;
    };
    for dir in dirs {
        match *dir {
            "src" => break,
            "tests" => return Scope::Test,
            "benches" => return Scope::Bench,
            "examples" => return Scope::Example,
            _ => {}
        }
    }
    if *file == "build.rs" && !dirs.contains(&"src") {
        return Scope::Build;
    }
    Scope::Prod
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_by_path() {
        assert_eq!(path_scope("src/lib.rs"), Scope::Prod);
        assert_eq!(path_scope("tests/cli.rs"), Scope::Test);
        assert_eq!(path_scope("crates/x/tests/common/mod.rs"), Scope::Test);
        assert_eq!(path_scope("benches/walk.rs"), Scope::Bench);
        assert_eq!(path_scope("examples/demo/main.rs"), Scope::Example);
        assert_eq!(path_scope("build.rs"), Scope::Build);
        assert_eq!(path_scope("src/build.rs"), Scope::Prod);
        assert_eq!(path_scope("src/tests/mod.rs"), Scope::Prod);
    }
}
