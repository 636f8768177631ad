//! Where the cache lives, and the secret key that makes its content the operator's own.
//!
//! The folder may sit inside the checked project (`target/cargo-codex` by default), where a
//! merge request controls what is on disk: no part of it below the project root may be a
//! symbolic link, and nothing is written through one. The secret key must not be readable
//! from the project: it lives in the user's cache folder, or comes from the environment.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::CacheError;
use crate::source::boundary::{self, Boundary};

/// The cache folder's name under the project's `target/`.
const DEFAULT_DIR: [&str; 2] = ["target", "cargo-codex"];

/// The marker other tools (backup, archivers) read to skip a cache folder.
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by cargo-codex.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// Shortest secret accepted from the environment.
const MIN_SECRET_TEXT: usize = 16;

/// Where the cache is and where its secret key comes from, as the operator set them: never
/// from the repository (a `codex.toml` is part of the code under review, and could point the
/// cache anywhere).
#[derive(Debug, Clone, Default)]
pub struct Location {
    /// The cache folder; `None` for `target/cargo-codex` under the project root.
    pub dir: Option<PathBuf>,
    /// Where the secret key comes from.
    pub secret: SecretSource,
}

/// Where the key authenticating the cache comes from.
#[derive(Debug, Clone, Default)]
pub enum SecretSource {
    /// None: the cache is off.
    #[default]
    Missing,
    /// Derived from this text: for CI jobs that keep the cache folder between runs but not the
    /// home folder (a protected, masked variable).
    Text(String),
    /// 32 random bytes kept in this file, made on first use.
    File(PathBuf),
}

impl Location {
    /// The location the environment gives: `CARGO_CODEX_CACHE_DIR` (relative to `cwd`), and
    /// the secret from `CARGO_CODEX_CACHE_KEY` or else a key file in the user's cache folder
    /// (`$XDG_CACHE_HOME/cargo-codex/key`, `~/.cache/cargo-codex/key`…).
    pub fn from_env(cwd: &Path) -> Location {
        let dir = std::env::var_os("CARGO_CODEX_CACHE_DIR")
            .filter(|dir| !dir.is_empty())
            .map(|dir| cwd.join(dir));
        let secret = match std::env::var("CARGO_CODEX_CACHE_KEY") {
            Ok(text) if !text.is_empty() => SecretSource::Text(text),
            _ => dirs::cache_dir().map_or(SecretSource::Missing, |dir| {
                SecretSource::File(dir.join("cargo-codex").join("key"))
            }),
        };
        Location { dir, secret }
    }
}

/// The key that authenticates every pack.
#[derive(Debug)]
pub(crate) struct Secret([u8; 32]);

impl Secret {
    /// A secret of these bytes.
    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Secret {
        Secret(bytes)
    }

    /// The MAC of `body` under this secret.
    pub(crate) fn mac(&self, body: &[u8]) -> blake3::Hash {
        blake3::keyed_hash(&self.0, body)
    }
}

/// The cache folder for the project at `root`, checked: below the root, no part of it may be
/// a symbolic link or anything but a folder. Parts that do not exist yet are made on writing.
pub(crate) fn dir(location: &Location, root: &Path) -> Result<PathBuf, CacheError> {
    let root = boundary::normalize(root);
    let dir = match &location.dir {
        Some(dir) => boundary::normalize(dir),
        None => DEFAULT_DIR
            .iter()
            .fold(root.clone(), |dir, part| dir.join(part)),
    };
    walk_below(&root, &dir, false)?;
    Ok(dir)
}

/// Makes the cache folder `dir` (checked by [`dir`]) if need be, with its `.gitignore` and
/// `CACHEDIR.TAG`.
pub(crate) fn prepare(dir: &Path, root: &Path) -> Result<(), CacheError> {
    let root = boundary::normalize(root);
    if dir.starts_with(&root) {
        walk_below(&root, dir, true)?;
    } else {
        // The operator's own place, outside the project.
        fs::create_dir_all(dir).map_err(|source| CacheError::io(dir, source))?;
    }
    // `create_new` does not follow a link planted under these names.
    for (name, text) in [
        (
            ".gitignore",
            "# Made by cargo-codex: its result cache.\n*\n",
        ),
        ("CACHEDIR.TAG", CACHEDIR_TAG),
    ] {
        let path = dir.join(name);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => file
                .write_all(text.as_bytes())
                .map_err(|source| CacheError::io(&path, source))?,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(source) => return Err(CacheError::io(&path, source)),
        }
    }
    Ok(())
}

/// Checks each part of `dir` below `root`: a folder, not a link. With `make`, the missing
/// parts are made, one at a time, and checked once made; without, a missing part ends the walk.
fn walk_below(root: &Path, dir: &Path, make: bool) -> Result<(), CacheError> {
    let Ok(below) = dir.strip_prefix(root) else {
        return Ok(());
    };
    let mut at = root.to_path_buf();
    for part in below.components() {
        at.push(part);
        let metadata = match fs::symlink_metadata(&at) {
            Err(error) if error.kind() == io::ErrorKind::NotFound && make => {
                match fs::create_dir(&at) {
                    Ok(()) => {}
                    Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(source) => return Err(CacheError::io(&at, source)),
                }
                fs::symlink_metadata(&at).map_err(|source| CacheError::io(&at, source))?
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(CacheError::io(&at, source)),
            Ok(metadata) => metadata,
        };
        if metadata.file_type().is_symlink() {
            return Err(CacheError::Link { path: at });
        }
        if !metadata.is_dir() {
            return Err(CacheError::NotFolder { path: at });
        }
    }
    Ok(())
}

/// The secret key, from `source`; a key file is made on first use. A key file inside the
/// project at `root` is refused: the project could have brought it.
pub(crate) fn secret(source: &SecretSource, root: &Path) -> Result<Secret, CacheError> {
    match source {
        SecretSource::Missing => Err(CacheError::NoSecret),
        SecretSource::Text(text) if text.chars().count() < MIN_SECRET_TEXT => {
            Err(CacheError::ShortSecret {
                min: MIN_SECRET_TEXT,
            })
        }
        SecretSource::Text(text) => Ok(Secret(blake3::derive_key(
            "cargo-codex result cache secret v1",
            text.as_bytes(),
        ))),
        SecretSource::File(path) => key_file(path, root),
    }
}

fn key_file(path: &Path, root: &Path) -> Result<Secret, CacheError> {
    let inside = || CacheError::SecretInside {
        path: path.to_path_buf(),
    };
    if Boundary::new(root).claims(path) {
        return Err(inside());
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(|source| CacheError::io(folder, source))?;
    let real_root = fs::canonicalize(root).map_err(|source| CacheError::io(root, source))?;
    let real_folder = fs::canonicalize(folder).map_err(|source| CacheError::io(folder, source))?;
    if real_folder.starts_with(real_root) {
        return Err(inside());
    }
    match boundary::read_regular(path, 64) {
        Ok(bytes) => {
            if let Ok(bytes) = <[u8; 32]>::try_from(bytes.as_slice()) {
                return Ok(Secret(bytes));
            }
            // Not a key this tool wrote: replace it.
            make_key(path, folder, true)
        }
        Err(boundary::FileError::Io(error)) if error.kind() == io::ErrorKind::NotFound => {
            make_key(path, folder, false)
        }
        Err(error) => Err(CacheError::io(path, error.into_io())),
    }
}

/// Writes a new random key to `path` (readable by its owner only). Without `replace`, a key
/// another run made meanwhile wins, and is read.
fn make_key(path: &Path, folder: &Path, replace: bool) -> Result<Secret, CacheError> {
    let io = |source: io::Error| CacheError::io(path, source);
    let mut bytes = [0; 32];
    getrandom::fill(&mut bytes).map_err(|error| io(io::Error::other(error.to_string())))?;
    // A temporary file is made readable by its owner only.
    let mut file = tempfile::Builder::new()
        .prefix(".key-")
        .tempfile_in(folder)
        .map_err(io)?;
    file.write_all(&bytes).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    let persisted = if replace {
        file.persist(path).map(drop)
    } else {
        file.persist_noclobber(path).map(drop)
    };
    match persisted {
        Ok(()) => Ok(Secret(bytes)),
        Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => {
            let bytes = boundary::read_regular(path, 64).map_err(|error| io(error.into_io()))?;
            <[u8; 32]>::try_from(bytes.as_slice())
                .map(Secret)
                .map_err(|_| io(io::Error::other("not a cargo-codex key")))
        }
        Err(error) => Err(io(error.error)),
    }
}
