//! Checking one file through the result cache ([`crate::cache`]): read and hash it, take the
//! stored result for those bytes, else check it and store the result.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use super::file::{self, Checked};
use crate::cache::{Cache, Key};
use crate::codex::Codex;
use crate::source::boundary::read_regular;
use crate::source::lex::ModuleFacts;

/// What [`file::check`] gives for the file at `path`, from `cache` when its bytes were checked
/// before with this Codex and `limit`.
pub(super) fn check(cache: &Cache, codex: &Codex, path: &Path, max: u64, limit: usize) -> Checked {
    let Ok(bytes) = read_regular(path, max) else {
        // Nothing to key a file that cannot be read by: it is reported as without a cache.
        return super::check_guarded(codex, path, None, max, limit);
    };
    let key = Key::of(&bytes, limit);
    if let Some(checked) = cache.get(&key) {
        return checked;
    }
    match panic::catch_unwind(AssertUnwindSafe(|| file::check_bytes(codex, bytes, limit))) {
        Ok(checked) => {
            cache.put(key, &checked);
            checked
        }
        // A bug: reported as without a cache, and not stored.
        Err(_) => super::check_guarded(codex, path, None, max, limit),
    }
}

/// The module facts of the file at `path` when `cache` holds its result: a file read only for
/// its `mod` declarations. Its facts from a whole check say the same of its declarations.
pub(super) fn facts(cache: &Cache, path: &Path, max: u64, limit: usize) -> Option<ModuleFacts> {
    let bytes = read_regular(path, max).ok()?;
    cache
        .peek::<Checked>(&Key::of(&bytes, limit))
        .map(|checked| checked.facts)
}
