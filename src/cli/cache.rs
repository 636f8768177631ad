//! The result cache as the command line uses it: opened unless `--no-cache`, saved after the
//! run, and what it did said on stderr with `--verbose`.

use std::io::{self, Write};
use std::path::Path;

use cargo_codex::cache::{Cache, Location};
use cargo_codex::codex::Codex;
use cargo_codex::config::Settings;

use super::args::CheckArgs;

/// The result cache, unless `--no-cache`; with `--verbose`, why it is off.
pub(super) fn open(
    codex: &Codex,
    settings: &Settings,
    args: &CheckArgs,
    cwd: &Path,
) -> Option<Cache> {
    if args.no_cache {
        return None;
    }
    match Cache::open(&settings.root, codex, &Location::from_env(cwd)) {
        Ok(cache) => Some(cache),
        Err(error) => {
            if args.verbose {
                let _ = writeln!(io::stderr().lock(), "cache: off: {error}");
            }
            None
        }
    }
}

/// Writes what the run added to the cache; with `--verbose`, says what the cache did.
pub(super) fn save(cache: Option<Cache>, verbose: bool) -> io::Result<()> {
    let Some(cache) = cache else {
        return Ok(());
    };
    let before = cache.stats();
    let saved = cache.persist();
    if !verbose {
        return Ok(());
    }
    let mut err = io::stderr().lock();
    if before.rejected {
        writeln!(
            err,
            "cache: ignored the stored results: not written with this machine's key, or damaged"
        )?;
    }
    let stats = saved.as_ref().unwrap_or(&before);
    writeln!(
        err,
        "cache: {} files from the cache, {} checked; {} holds {} results ({} KiB)",
        stats.hits,
        stats.misses,
        stats.dir.display(),
        stats.entries,
        stats.bytes.div_ceil(1024)
    )?;
    if let Err(error) = saved {
        writeln!(err, "cache: not saved: {error}")?;
    }
    Ok(())
}
