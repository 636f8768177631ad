//! Why a run of the pipeline failed: each error of a stage, as that stage says it, and the
//! fixes already written when a later stage failed (the files changed all the same).

use std::error::Error;
use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::filter::baseline::BaselineError;
use crate::fix;
use crate::select::changes::ChangesError;

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The diff file of `--changed-lines-from` could not be read.
    #[error("cannot read the diff {}: {error}", path.display())]
    ReadDiff {
        /// The file.
        path: PathBuf,
        /// Why (part of the message: a diff that cannot be read has no cause to show apart).
        error: io::Error,
    },
    /// git failed, or a diff does not read.
    #[error(transparent)]
    Changes(#[from] ChangesError),
    /// A baseline could not be read or written.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// Fixes were written, then a later stage failed.
    #[error(transparent)]
    AfterFixes(Box<AfterFixes>),
}

impl PipelineError {
    /// `error`, which happened after `fixes` were written.
    pub(super) fn after_fixes(fixes: fix::Report, error: PipelineError) -> Self {
        PipelineError::AfterFixes(Box::new(AfterFixes { fixes, error }))
    }
}

/// A failure after fixes were written: it reads as the failure itself, and carries what
/// fixing did, so that a front end can say which files changed.
#[derive(Debug)]
pub struct AfterFixes {
    /// What fixing did.
    pub fixes: fix::Report,
    /// What failed next.
    pub error: PipelineError,
}

impl fmt::Display for AfterFixes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl Error for AfterFixes {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.error.source()
    }
}
