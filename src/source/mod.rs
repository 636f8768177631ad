//! Source files: finding them, reading them safely, lexing them, the module tree, test scope
//! by path, and comments. Nothing here knows about rules.

pub mod attrs;
pub mod comment;
pub mod depth;
pub mod discover;
pub mod lex;
pub mod tree;

use std::fs;
use std::io::Read;
use std::path::Path;

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

/// Reads a source file as UTF-8, refusing files larger than `max_size` bytes.
///
/// # Errors
///
/// A broken symbolic link, an I/O error, a file that is too large or not UTF-8, each with a
/// reason a user can act on.
pub fn read(path: &Path, max_size: u64) -> Result<String, ReadError> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => {
            let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            let reason = if link {
                let target = fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                format!("broken symbolic link (its target `{target}` does not exist)")
            } else {
                format!("cannot read file: {}", io_reason(&error))
            };
            return Err(ReadError::whole(reason));
        }
    };
    if !metadata.is_file() {
        // A FIFO or device would block or never end; only regular files are read.
        return Err(ReadError::whole(
            "not a regular file (a directory, FIFO or device)".to_owned(),
        ));
    }
    if metadata.len() > max_size {
        return Err(ReadError::whole(format!(
            "file is {} bytes, over the {max_size}-byte limit (`max_file_size` in codex.toml)",
            metadata.len()
        )));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| {
            file.take(max_size.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(|error| ReadError::whole(format!("cannot read file: {}", io_reason(&error))))?;
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
