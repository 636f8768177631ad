//! What a cached result is keyed by: the file's bytes and the depth limit (an entry's [`Key`]),
//! and the tool's build and the Codex (the [`Fingerprint`] naming the pack the entry is in).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::codex::{Codex, Narrowing, Rule};

/// The key of one file's result: a BLAKE3 hash of its bytes and the depth limit it was checked
/// with. BLAKE3 resists collisions, so no one can write two files with one key, one to be
/// checked (and cached) and one to take its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Key([u8; 32]);

impl Key {
    /// The key of a file holding `bytes`, checked with depth limit `limit`.
    pub(crate) fn of(bytes: &[u8], limit: usize) -> Key {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&(limit as u64).to_le_bytes());
        hasher.update(bytes);
        Key(*hasher.finalize().as_bytes())
    }

    /// A key as stored.
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }

    /// The key's bytes, to store.
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// What every result in one pack was computed with: this build of the tool and every rule of
/// the Codex that could change what the walk finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of this build checking with `codex`.
    pub(crate) fn of(codex: &Codex) -> Fingerprint {
        let mut text = String::new();
        let _ = write!(
            text,
            "cargo-codex {} build {} for {}-{}\n{} rules\n",
            env!("CARGO_PKG_VERSION"),
            env!("CARGO_CODEX_BUILD_ID"),
            std::env::consts::ARCH,
            std::env::consts::OS,
            codex.rules().len()
        );
        for rule in codex.rules() {
            describe(rule, &mut text);
        }
        Fingerprint(*blake3::hash(text.as_bytes()).as_bytes())
    }

    /// A fingerprint as stored.
    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Fingerprint {
        Fingerprint(bytes)
    }

    /// The fingerprint's bytes, to store.
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The name of the pack file holding results of this fingerprint.
    pub(crate) fn file_name(self) -> String {
        format!("{}.pack", hex::encode(&self.0[..16]))
    }
}

/// Writes what of `rule` the fingerprint covers. Every field is named (no `..`), so a field
/// added to [`Rule`] does not compile here until someone decides whether it belongs.
///
/// Rules are told apart by their position: findings name rules by index. The glob sets
/// (`paths`, `exclude_paths`, `inside_fn`, `not_inside_fn`, `enforce_paths`) count by their
/// number of globs only, because their `Debug` output holds per-process state; what they
/// decide (a rule's reach by path and function, its stage by path) is applied after the
/// cache, to every finding of every run, so the cached results do not depend on them.
fn describe(rule: &Rule, out: &mut String) {
    let Rule {
        id,
        name,
        title,
        severity,
        stage,
        enforce_paths,
        incidents,
        scopes,
        clippy,
        const_contexts,
        message,
        help,
        doc,
        matcher,
        narrowing,
        fix,
        origin,
        file,
        url,
    } = rule;
    let Narrowing {
        paths,
        exclude_paths,
        inside_fn,
        not_inside_fn,
    } = narrowing;
    let globs = |set: Option<&globset::GlobSet>| set.map(globset::GlobSet::len);
    let _ = writeln!(
        out,
        "{id:?} {name:?} {title:?} {severity:?} {stage:?} {incidents:?} {scopes:?} {clippy:?} \
         {const_contexts:?} {message:?} {help:?} {doc:?} {matcher:?} {fix:?} {origin:?} \
         {file:?} {url:?} {:?} {:?} {:?} {:?} {:?}",
        globs(enforce_paths.as_ref()),
        globs(paths.as_ref()),
        globs(exclude_paths.as_ref()),
        globs(inside_fn.as_ref()),
        globs(not_inside_fn.as_ref()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_content_and_limit() {
        let a = Key::of(b"fn f() {}", 256);
        assert_eq!(a, Key::of(b"fn f() {}", 256));
        assert_ne!(a, Key::of(b"fn f() { }", 256));
        assert_ne!(a, Key::of(b"fn f() {}", 32));
    }
}
