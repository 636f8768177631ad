//! The review brief of a merge request, for a review bot (or a person): per changed file and
//! hunk, the enclosing function, the findings of the change, the review rules that apply there
//! with their check, examples and incident, the suppressions and baseline entries the change
//! adds, and every change to the Codex itself, flagged for human review. A size budget keeps
//! it inside a model's context.
//!
//! [`brief`] is the one entry point, for the command line (`cargo codex review`) and an MCP
//! server alike. It runs the check pipeline ([`crate::pipeline::run`]) for the findings, never
//! repeating its selection, filtering or baseline; what it adds is read from git and the
//! changed files. Rendering is [`crate::report::brief`]'s.
//!
//! ```no_run
//! use cargo_codex::codex::load::load;
//! use cargo_codex::config::{self, Flags};
//! use cargo_codex::pipeline::Request;
//! use cargo_codex::review::{self, Budget, BriefRequest};
//! use cargo_codex::select::{Changes, Selection};
//!
//! let project = std::path::Path::new(".");
//! let settings = config::resolve(&Flags::default(), project)
//!     .map_err(|errors| format!("{} configuration errors", errors.len()))?;
//! let codex = load(&settings.sources, &settings.overrides)
//!     .map_err(|errors| format!("{} rule errors", errors.len()))?;
//! let selection = Selection {
//!     changes: Changes::Since("origin/main".to_owned()),
//!     ..Selection::of(project)
//! };
//! let request = BriefRequest {
//!     check: Request::new(&settings, selection),
//!     budget: Some(Budget::tokens(20_000)),
//! };
//! let brief = review::brief(&codex, &request)?;
//! println!("{}", serde_json::to_string_pretty(&brief)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod allowances;
mod assemble;
pub mod brief;
mod budget;
mod codex_files;
mod diff;
mod function;
mod selector;

pub use brief::{Brief, VERSION};
pub use budget::fit;
pub(crate) use selector::matches as selector_matches;

use crate::codex::Codex;
use crate::filter::baseline::BaselineError;
use crate::pipeline::{PipelineError, Request};
use crate::select::changes::ChangesError;

/// What to brief, and how much room the brief may take.
#[derive(Debug, Clone)]
pub struct BriefRequest<'a> {
    /// The check of the change: its selection must be [`crate::select::Changes::Since`] (the
    /// base the merge request targets); its baseline policy and cache are used as given.
    pub check: Request<'a>,
    /// The most the brief may take, measured on its pretty JSON; `None` for no limit.
    pub budget: Option<Budget>,
}

/// The most a brief may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// How many units.
    pub limit: usize,
    /// Which unit.
    pub unit: BudgetUnit,
}

/// What a budget counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetUnit {
    /// Bytes of the rendering.
    Bytes,
    /// A model's tokens, estimated at [`BYTES_PER_TOKEN`] bytes each.
    Tokens,
}

/// Bytes per token in the estimate a token budget uses: about what tokenizers of current
/// models give for code and English prose.
pub const BYTES_PER_TOKEN: usize = 4;

impl Budget {
    /// `limit` bytes.
    pub fn bytes(limit: usize) -> Self {
        Budget {
            limit,
            unit: BudgetUnit::Bytes,
        }
    }

    /// `limit` tokens.
    pub fn tokens(limit: usize) -> Self {
        Budget {
            limit,
            unit: BudgetUnit::Tokens,
        }
    }

    /// The limit in bytes.
    pub fn in_bytes(self) -> usize {
        match self.unit {
            BudgetUnit::Bytes => self.limit,
            BudgetUnit::Tokens => self.limit.saturating_mul(BYTES_PER_TOKEN),
        }
    }
}

/// Why a brief could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The request's selection names no base to compare with.
    #[error("a review brief compares the change with its base: give `--diff BASE`")]
    NoBase,
    /// The check of the change failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// git failed, or its diff does not read.
    #[error(transparent)]
    Changes(#[from] ChangesError),
    /// The baseline could not be read.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
}

/// The brief of the change `request` selects.
///
/// # Errors
///
/// When the selection has no base ([`ReviewError::NoBase`]), git fails or its diff does not
/// read, or the check of the change fails (an unreadable baseline, for instance).
pub fn brief(codex: &Codex, request: &BriefRequest<'_>) -> Result<Brief, ReviewError> {
    let mut brief = assemble::assemble(codex, request)?;
    if let Some(budget) = request.budget {
        fit(
            &mut brief,
            budget.in_bytes(),
            &crate::report::brief::json_size,
        );
    }
    Ok(brief)
}
