//! Baselines: accepted legacy findings, so a codebase can adopt a rule and fail only on new
//! ones. Entries are keyed by (rule, path, fingerprint), never by line number, so they survive
//! edits elsewhere in a file. The file is sorted, pretty JSON, so it diffs well in review.
//!
//! A baseline inside the project is read like the rest of the Codex: only a regular file,
//! under [`MAX_SIZE`], not through a link leading out of the project, and as of the
//! `--codex-from` revision when one is given (a merge request cannot accept its own findings).

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::source::boundary::Boundary;
use crate::source::revision::Origin;
use crate::source::write::{WriteError, write_atomic};

/// Identifies the file's shape.
pub const SCHEMA: &str = "cargo-codex/baseline/v1";

/// Largest baseline read, in bytes (about 300,000 findings).
pub const MAX_SIZE: u64 = 64 << 20;

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read or written.
    #[error("cannot access baseline {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The file is not a baseline.
    #[error("{} is not a cargo-codex baseline: {source}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The file is a baseline of another version.
    #[error("{} is a baseline of schema `{found}`; this version reads `{SCHEMA}` (write it again)", path.display())]
    Schema {
        /// The file.
        path: PathBuf,
        /// The schema it declares.
        found: String,
    },
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// Path relative to the project root.
    pub path: String,
    /// Rule code.
    pub rule: String,
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// The line when recorded, for readers only; matching ignores it.
    #[serde(default)]
    pub line: usize,
    /// The source line when recorded, for readers only.
    #[serde(default)]
    pub snippet: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    schema: String,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    entries: Vec<Entry>,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden because the baseline accepts them.
    pub hidden: usize,
    /// Those findings, in report order (SARIF records them as suppressed).
    pub accepted: Vec<Diagnostic>,
    /// Baseline entries that matched no finding: fixed code, so the baseline can shrink.
    pub stale: usize,
}

impl Baseline {
    /// Reads the baseline file at `path` from `origin`. A baseline missing at the
    /// `--codex-from` revision is empty: it accepts nothing until it is merged.
    ///
    /// # Errors
    ///
    /// When the file cannot be read (missing from the working tree, not a regular file, too
    /// large, a link leading out of the project at `root`) or is not a baseline.
    pub fn load(path: &Path, root: &Path, origin: &Origin) -> Result<Self, BaselineError> {
        let io = |source: io::Error| BaselineError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = match origin.read(path, &Boundary::new(root), MAX_SIZE) {
            Ok(Some(bytes)) => bytes,
            Ok(None) if origin.reads_at_revision(path) => return Ok(Baseline::default()),
            Ok(None) => {
                return Err(io(io::Error::new(io::ErrorKind::NotFound, "no such file")));
            }
            Err(error) => return Err(io(error.into_io())),
        };
        let file: File =
            serde_json::from_slice(&bytes).map_err(|source| BaselineError::Invalid {
                path: path.to_path_buf(),
                source,
            })?;
        validate_schema(&file, path)?;
        Ok(Baseline {
            entries: file.findings,
        })
    }

    /// Removes accepted findings from `diagnostics`, and returns them.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) -> Applied {
        let keys: BTreeSet<(&str, &str, &str)> = self
            .entries
            .iter()
            .map(|e| (e.path.as_str(), e.rule.as_str(), e.fingerprint.as_str()))
            .collect();
        let mut matched: BTreeSet<(String, String, String)> = BTreeSet::new();
        let (accepted, kept): (Vec<Diagnostic>, Vec<Diagnostic>) =
            std::mem::take(diagnostics).into_iter().partition(|d| {
                let key = (d.path.as_str(), d.rule.as_str(), d.fingerprint.as_str());
                keys.contains(&key)
            });
        *diagnostics = kept;
        for d in &accepted {
            matched.insert((d.path.clone(), d.rule.clone(), d.fingerprint.clone()));
        }
        Applied {
            hidden: accepted.len(),
            stale: keys.len() - matched.len(),
            accepted,
        }
    }
}

fn validate_schema(file: &File, path: &Path) -> Result<(), BaselineError> {
    if file.schema == SCHEMA {
        Ok(())
    } else {
        Err(BaselineError::Schema {
            path: path.to_path_buf(),
            found: file.schema.clone(),
        })
    }
}

/// Writes `diagnostics` as a baseline, sorted by path, rule and fingerprint, atomically and
/// never through a symbolic link or out of the project at `root`.
///
/// # Errors
///
/// When the file cannot be written.
pub fn write(path: &Path, root: &Path, diagnostics: &[Diagnostic]) -> Result<usize, BaselineError> {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .map(|d| Entry {
            path: d.path.clone(),
            rule: d.rule.clone(),
            fingerprint: d.fingerprint.clone(),
            line: d.start.line,
            snippet: d.first_line().trim().to_owned(),
        })
        .collect();
    findings.sort();
    findings
        .dedup_by(|a, b| (&a.path, &a.rule, &a.fingerprint) == (&b.path, &b.rule, &b.fingerprint));
    let count = findings.len();
    let file = File {
        schema: SCHEMA.to_owned(),
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    write_atomic(path, text.as_bytes(), &Boundary::new(root))?;
    Ok(count)
}
