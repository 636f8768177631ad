//! Why a tool call failed. Each failure is answered to the client as a tool error (a result
//! with `isError`), whose text its model reads to correct the call; none ends the server.

use std::io;

use crate::filter::rules::UnknownSelector;
use crate::pipeline::PipelineError;
use crate::review::ReviewError;

/// Why a tool could not answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ToolError {
    /// The arguments do not fit the tool's input schema, or contradict each other.
    #[error("invalid arguments for `{tool}`: {message}")]
    Arguments {
        /// The tool called.
        tool: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A path that names something outside the project root, or resolves outside it.
    #[error(
        "`{path}` is outside the project root {root}: name files and folders inside it, relative to the root"
    )]
    Outside {
        /// The path as given.
        path: String,
        /// The project root.
        root: String,
    },
    /// The configuration or the Codex does not load; the text lists every error.
    #[error("the Codex does not load:\n{0}")]
    Load(String),
    /// No rule has this code or name.
    #[error("unknown rule `{0}`: the `rules` tool lists the rules' codes and names")]
    UnknownRule(String),
    /// `select` or `ignore` names no rule.
    #[error(transparent)]
    Selector(#[from] UnknownSelector),
    /// The check failed: git, a diff that does not read, a baseline.
    #[error("the check failed: {0}")]
    Pipeline(#[from] PipelineError),
    /// The review brief could not be made.
    #[error("the review brief failed: {0}")]
    Review(#[from] ReviewError),
    /// An answer over the size any answer may take, even after its own budget.
    #[error("the answer of `{tool}` would be {size} bytes, over the limit: {hint}")]
    TooLarge {
        /// The tool called.
        tool: &'static str,
        /// The size of the answer.
        size: usize,
        /// What to do instead.
        hint: &'static str,
    },
    /// A temporary file could not be written, or a result not serialized.
    #[error("the server failed: {0}")]
    Io(#[from] io::Error),
    /// A bug: the tool panicked.
    #[error("internal error in `{0}`; please report it")]
    Internal(String),
}
