//! The result cache: a run on an unchanged tree reads and hashes each file, and takes what
//! checking it gave before instead of lexing, parsing and walking it again.
//!
//! **What is cached.** Checking one file (`engine::file`) gives its findings before the
//! module tree is applied, its suppression comments, its problems, and its module facts (test
//! attributes, clippy lint levels, `mod` declarations). That depends on the file's bytes, the
//! Codex and the depth limit, and on nothing else: not on its path, not on other files. Scope,
//! item paths, lint levels from parent modules, path narrowing and suppressions are applied
//! after, on every run, from the facts of every file (`engine::finish`). So the key holds no
//! scope facts: a parent gaining `#[cfg(test)] mod tests;` changes no cached entry, it changes
//! the placement computed from the entries, as a run without cache computes it.
//!
//! **Key.** An entry's key is a BLAKE3 hash of the file's bytes and the depth limit; a pack
//! holds the entries of one fingerprint: the tool's version and build (a hash of its sources)
//! and every rule of the Codex, in order (`key`). Keyed by content, not path, an entry serves
//! any file with those bytes: a renamed file, the staged copy of a file, the merge base's copy
//! of a file under `--diff`.
//!
//! **Location.** `target/cargo-codex/` under the project root, or `CARGO_CODEX_CACHE_DIR`:
//! `target/` is ignored by every cargo project and cleared by `cargo clean`, and CI recipes
//! for Rust already keep it between jobs. The folder gets its own `.gitignore` (`*`) and a
//! `CACHEDIR.TAG`, as ruff's `.ruff_cache` does, so it stays out of git even where `target/`
//! is not ignored. Below the project root no part of its path may be a symbolic link.
//!
//! **Trust.** A merge request can commit `target/cargo-codex/` with a pack claiming that its
//! files have no findings. So every pack carries a MAC (BLAKE3 keyed hash) under a secret key
//! the project cannot read: 32 random bytes in the user's cache folder, made on first use, or
//! derived from `CARGO_CODEX_CACHE_KEY`. A pack whose MAC does not verify (planted, corrupt,
//! truncated, written on another machine) is ignored and replaced; a key file inside the
//! project is refused. Nothing in a pack is parsed before its MAC is verified.
//!
//! **Format and bounds.** One pack file per fingerprint (`pack`), read whole: one read per
//! run, values decoded (postcard) on the worker threads. Writes are atomic (a temporary file
//! renamed). Entries not used for 30 days are dropped, a pack keeps the most recently used
//! entries up to 64 MiB, a pack over 128 MiB is not read, and packs of other fingerprints are
//! deleted after 30 days unused or when more than eight are kept.

mod key;
mod pack;
mod place;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codex::Codex;
use crate::source::boundary::{self, Boundary};
use crate::source::write::{WriteError, write_atomic};
use key::Fingerprint;
pub(crate) use key::Key;
use pack::Pack;
use place::Secret;
pub use place::{Location, SecretSource};

/// Entries and packs unused for this many days are deleted.
const MAX_AGE_DAYS: u32 = 30;

/// Packs (fingerprints: Codex versions, tool builds) kept in one folder.
const MAX_PACKS: usize = 8;

/// Why the cache is off for a run, or was not saved.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// A part of the cache folder's path inside the project is a symbolic link.
    #[error("{} is a symbolic link; the cache is not read or written through links", path.display())]
    Link {
        /// The link.
        path: PathBuf,
    },
    /// A part of the cache folder's path is a file.
    #[error("{} is not a folder", path.display())]
    NotFolder {
        /// The path.
        path: PathBuf,
    },
    /// No secret key: no user cache folder and no `CARGO_CODEX_CACHE_KEY`.
    #[error("no place for the cache's key: set HOME or CARGO_CODEX_CACHE_KEY")]
    NoSecret,
    /// `CARGO_CODEX_CACHE_KEY` is too short to be a secret.
    #[error("CARGO_CODEX_CACHE_KEY is too short: give at least {min} random characters")]
    ShortSecret {
        /// The least length accepted.
        min: usize,
    },
    /// The key file would be inside the checked project, which could have brought it.
    #[error("the cache's key file {} is inside the checked project", path.display())]
    SecretInside {
        /// The key file.
        path: PathBuf,
    },
    /// The pack could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

impl CacheError {
    fn io(path: &Path, source: io::Error) -> Self {
        CacheError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What the cache did in a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files whose result came from the cache.
    pub hits: usize,
    /// Files checked because the cache had no result for them.
    pub misses: usize,
    /// The cache folder.
    pub dir: PathBuf,
    /// Whether a pack was on disk for this fingerprint but was ignored (not written with this
    /// key, corrupt, truncated or too large).
    pub rejected: bool,
    /// Entries held after the run.
    pub entries: usize,
    /// Size of the pack after the run, in bytes.
    pub bytes: u64,
}

/// An open cache: the pack of the current fingerprint, and the results computed this run.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    dir: PathBuf,
    secret: Secret,
    fingerprint: Fingerprint,
    pack: Pack,
    fresh: Mutex<Vec<(Key, Vec<u8>)>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    rejected: bool,
    bytes: u64,
    today: u32,
}

impl Cache {
    /// Opens the cache of the project at `root` for checking with `codex`.
    ///
    /// # Errors
    ///
    /// When the cache cannot be used at all: a link in its folder's path, no secret key, a key
    /// file inside the project. A pack that cannot be read or trusted is not an error: the
    /// cache starts empty.
    pub fn open(root: &Path, codex: &Codex, location: &Location) -> Result<Cache, CacheError> {
        let dir = place::dir(location, root)?;
        let secret = place::secret(&location.secret, root)?;
        let fingerprint = Fingerprint::of(codex);
        let path = dir.join(fingerprint.file_name());
        let (pack, rejected, bytes) = match read_file(&path) {
            Some(bytes) => {
                let size = bytes.len() as u64;
                match Pack::read(bytes, &secret, fingerprint) {
                    Some(pack) => (pack, false, size),
                    None => (Pack::default(), true, 0),
                }
            }
            None => (Pack::default(), path.exists(), 0),
        };
        Ok(Cache {
            root: root.to_path_buf(),
            dir,
            secret,
            fingerprint,
            pack,
            fresh: Mutex::new(Vec::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            rejected,
            bytes,
            today: today(),
        })
    }

    /// The result stored under `key`, counted as a hit or a miss.
    pub(crate) fn get<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        let value = self
            .pack
            .get(key)
            .and_then(|bytes| postcard::from_bytes(bytes).ok());
        let counter = if value.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        value
    }

    /// The result stored under `key`, neither counted nor kept alive by this use.
    pub(crate) fn peek<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        self.pack
            .peek(key)
            .and_then(|bytes| postcard::from_bytes(bytes).ok())
    }

    /// Stores `value` under `key`, to be written by [`Cache::persist`].
    pub(crate) fn put<T: Serialize>(&self, key: Key, value: &T) {
        if let Ok(bytes) = postcard::to_allocvec(value) {
            self.fresh
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((key, bytes));
        }
    }

    /// What the cache did so far.
    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            dir: self.dir.clone(),
            rejected: self.rejected,
            entries: self.pack.len(),
            bytes: self.bytes,
        }
    }

    /// Writes the results computed this run, with those already stored that were used in the
    /// last 30 days, up to the size bound; nothing is written when nothing changed.
    ///
    /// # Errors
    ///
    /// When the folder or the pack cannot be written; the cache on disk is then unchanged.
    pub fn persist(self) -> Result<Stats, CacheError> {
        let mut stats = self.stats();
        let fresh = self
            .fresh
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if fresh.is_empty() && !self.pack.needs_touch(self.today) {
            return Ok(stats);
        }
        place::prepare(&self.dir, &self.root)?;
        let oldest = self.today.saturating_sub(MAX_AGE_DAYS);
        let mut entries: Vec<(Key, u32, &[u8])> = fresh
            .iter()
            .map(|(key, value)| (*key, self.today, value.as_slice()))
            .chain(self.pack.entries(self.today))
            .filter(|&(_, day, _)| day >= oldest)
            .collect();
        // Most recently used first; the first of equal keys (files with the same bytes) wins.
        entries.sort_by_key(|&(_, day, _)| std::cmp::Reverse(day));
        let mut seen = HashSet::new();
        let mut size = 0;
        entries.retain(|&(key, _, value)| {
            if !seen.insert(key) {
                return false;
            }
            size += pack::entry_size(value.len());
            size <= pack::MAX_WRITE
        });
        let bytes = pack::write(&self.secret, self.fingerprint, entries.iter().copied());
        let name = self.fingerprint.file_name();
        let path = self.dir.join(&name);
        write_atomic(&path, &bytes, &Boundary::new(&self.root))?;
        prune(&self.dir, &name);
        stats.entries = entries.len();
        stats.bytes = bytes.len() as u64;
        Ok(stats)
    }
}

/// The bytes of the pack at `path`, if it is a regular file (not a link) within the bound.
fn read_file(path: &Path) -> Option<Vec<u8>> {
    let metadata = fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() {
        return None;
    }
    boundary::read_regular(path, pack::MAX_READ).ok()
}

/// Deletes, in the cache folder `dir`, the packs other than `keep` unused for
/// [`MAX_AGE_DAYS`] or beyond the [`MAX_PACKS`] most recent, and temporary files a killed run
/// left. Failures are ignored: the next run tries again.
fn prune(dir: &Path, keep: &str) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let age = |metadata: &fs::Metadata| {
        metadata
            .modified()
            .ok()
            .and_then(|time| now.duration_since(time).ok())
            .unwrap_or_default()
    };
    let max_age = Duration::from_secs(u64::from(MAX_AGE_DAYS) * 86_400);
    let mut packs = Vec::new();
    for entry in listing.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let path = entry.path();
        if name.ends_with(".tmp") && age(&metadata) > Duration::from_secs(86_400) {
            let _ = fs::remove_file(&path);
        } else if name.ends_with(".pack") && name != keep {
            if age(&metadata) > max_age {
                let _ = fs::remove_file(&path);
            } else {
                packs.push((age(&metadata), path));
            }
        }
    }
    packs.sort();
    for (_, path) in packs.iter().skip(MAX_PACKS - 1) {
        let _ = fs::remove_file(path);
    }
}

/// Days since 1970, the unit entries are aged in.
fn today() -> u32 {
    let seconds = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    u32::try_from(seconds / 86_400).unwrap_or(u32::MAX)
}
