//! Checking a set of files against the Codex: each file read, lexed, parsed and walked once, in
//! parallel; then the module tree gives each finding its scope and item path; then
//! suppressions; then sorted diagnostics with fingerprints.

mod before;
mod cached;
mod file;
mod finish;
mod flow;
mod guard;
mod imports;
mod lints;
mod macros;
mod prune;
mod visit;

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::Cache;
use crate::codex::load::display_path;
use crate::codex::{Builtin, Codex};
use crate::diagnostic::{self, Diagnostic, Summary};
use crate::filter::date::Date;
use crate::source;
use crate::text::{Excerpt, Position};
use file::{Checked, Problem};
use finish::finish;

/// Deepest estimated recursion ([`crate::source::depth`]) of an item handed to syn and the
/// walk. Hand-written code stays far below it; generated or hostile input above it is
/// reported (CX9001) instead of overflowing a stack.
pub const MAX_DEPTH: usize = 256;

/// Stack sizes tried for the worker threads, largest first. syn parses, walks and drops trees
/// recursively; the memory is reserved, not committed, until used. Where even the smallest
/// cannot be reserved (a tight `ulimit -v`), the files are checked on the calling thread.
const WORKER_STACKS: [usize; 4] = [64 << 20, 16 << 20, 4 << 20, 1 << 20];

/// Stack one unit of estimated depth may take: measured at up to 60 KB for nested generics in
/// a debug build of syn plus the walk (8 KB in release), doubled for margin.
const STACK_PER_UNIT: usize = 128 << 10;

/// Stack assumed for the calling thread when no worker pool could be made.
const CALLER_STACK: usize = 2 << 20;

/// The depth limit that a stack of `bytes` can afford, at most [`MAX_DEPTH`].
fn depth_limit(bytes: usize) -> usize {
    (bytes / STACK_PER_UNIT).min(MAX_DEPTH)
}

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Project root: paths are shown relative to it.
    pub root: PathBuf,
    /// Files to check.
    pub files: Vec<PathBuf>,
    /// Files read only for the module tree (parents of `files` that are not checked).
    pub context: Vec<PathBuf>,
    /// Entries that could not be walked, with the reason.
    pub walk_errors: Vec<(PathBuf, String)>,
    /// Files larger than this many bytes are reported, not read.
    pub max_file_size: u64,
    /// Text read instead of the file on disk, by path: an editor's unsaved buffers.
    pub overlay: HashMap<PathBuf, Arc<str>>,
    /// The day suppressions' `until` dates are compared with; `None` for today's date in UTC.
    pub today: Option<Date>,
}

/// The result of a run.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Every diagnostic, sorted, with fingerprints.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
    /// Findings excused by a suppression comment or a clippy `allow`, sorted, with fingerprints.
    pub suppressed: Vec<diagnostic::Suppressed>,
}

/// Checks `inputs` against `codex`.
pub fn check(codex: &Codex, inputs: &Inputs) -> Run {
    check_cached(codex, inputs, None)
}

/// Checks `inputs` against `codex`, taking the result of each file whose bytes were checked
/// before from `cache`, and storing the others' there. The output is the same as without.
pub fn check_cached(codex: &Codex, inputs: &Inputs, cache: Option<&Cache>) -> Run {
    let max = inputs.max_file_size;
    let unsaved = |path: &PathBuf| inputs.overlay.get(path).map(|text| &**text);
    // Unsaved editor text is checked as it is; files on disk go through the cache.
    let work = |limit: usize| {
        move |path: &PathBuf| match (cache, unsaved(path)) {
            (Some(cache), None) => cached::check(cache, codex, path, max, limit),
            (_, text) => check_guarded(codex, path, text, max, limit),
        }
    };
    let names = path_names(inputs);
    let names = &names;
    let context = |limit: usize| {
        move |path: &PathBuf| Checked {
            facts: cache
                .filter(|_| unsaved(path).is_none())
                .and_then(|cache| cached::facts(cache, path, max, limit))
                .unwrap_or_else(|| {
                    panic::catch_unwind(AssertUnwindSafe(|| {
                        file::facts(path, unsaved(path), max, limit, names)
                    }))
                    .unwrap_or_default()
                }),
            ..Checked::default()
        }
    };
    let run = |limit: usize| {
        let checked: Vec<Checked> = inputs.files.par_iter().map(work(limit)).collect();
        let context: Vec<Checked> = inputs.context.par_iter().map(context(limit)).collect();
        (checked, context)
    };
    let pool = WORKER_STACKS.iter().find_map(|&stack| {
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(stack)
            .build()
            .ok()?;
        Some((pool, depth_limit(stack)))
    });
    let (checked, context) = if let Some((pool, limit)) = pool {
        pool.install(|| run(limit))
    } else {
        // No thread could be started: one file after another, on this thread.
        let limit = depth_limit(CALLER_STACK);
        let checked = inputs.files.iter().map(work(limit)).collect();
        let context = inputs.context.iter().map(context(limit)).collect();
        (checked, context)
    };
    finish(codex, inputs, checked, &context)
}

/// The folders and file stems on the paths of the checked files: a module declaration that
/// leads to one of them names one of these (or gives a `#[path]`).
fn path_names(inputs: &Inputs) -> HashSet<String> {
    if inputs.context.is_empty() {
        return HashSet::new();
    }
    let relative: Vec<String> = inputs
        .files
        .iter()
        .map(|path| display_path(path, &inputs.root))
        .collect();
    source::lex::path_names(relative.iter().map(String::as_str))
}

/// Checks one file; a bug that panics while checking it is reported on the file, and the run
/// goes on.
fn check_guarded(
    codex: &Codex,
    path: &Path,
    unsaved: Option<&str>,
    max: u64,
    limit: usize,
) -> Checked {
    panic::catch_unwind(AssertUnwindSafe(|| {
        file::check(codex, path, unsaved, max, limit)
    }))
    .unwrap_or_else(|_| Checked {
        problems: vec![Problem {
            kind: Builtin::UnparsableSource,
            message: "internal error while checking this file; please report it with the file"
                .to_owned(),
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 1 },
            snippet: Excerpt::default(),
        }],
        ..Checked::default()
    })
}
