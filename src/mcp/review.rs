//! The `review_brief` tool: the review brief of the change since a base
//! ([`crate::review::brief`], the `cargo-codex/review/v1` document of `cargo codex review`),
//! within a token budget the brief itself keeps by dropping its least relevant parts.

use serde_json::Value;

use super::budget;
use super::error::ToolError;
use super::params::ReviewBriefParams;
use super::project::Project;
use crate::pipeline::Request;
use crate::review::{self, BYTES_PER_TOKEN, BriefRequest, Budget};
use crate::select::{Changes, Selection};

const TOOL: &str = "review_brief";

/// The budget when the client names none.
const DEFAULT_TOKENS: usize = 20_000;

/// The largest budget a client may ask for: the size of any answer.
const MAX_TOKENS: usize = budget::OUTPUT_BYTES / BYTES_PER_TOKEN;

/// The brief of the change since `params.diff_base`.
///
/// # Errors
///
/// An empty base or a budget over the maximum; git failing or the check failing.
pub(crate) fn brief(project: &Project, params: ReviewBriefParams) -> Result<Value, ToolError> {
    if params.diff_base.trim().is_empty() {
        return Err(arguments(
            "`diff_base` is empty: name the git revision the change targets",
        ));
    }
    let tokens = params.budget_tokens.unwrap_or(DEFAULT_TOKENS);
    if tokens > MAX_TOKENS {
        return Err(arguments(&format!(
            "`budget_tokens` is {tokens}, over {MAX_TOKENS}: run `cargo codex review` for a larger brief"
        )));
    }
    let paths = params
        .paths
        .iter()
        .map(|path| project.confine(TOOL, path))
        .collect::<Result<Vec<_>, _>>()?;
    let settings = &project.settings;
    let selection = Selection {
        paths,
        changes: Changes::Since(params.diff_base),
        ..Selection::of(settings.root.clone())
    };
    let request = BriefRequest {
        check: Request::new(settings, selection),
        budget: Some(Budget::tokens(tokens)),
    };
    let brief = review::brief(&project.codex, &request)?;
    let value = serde_json::to_value(&brief).map_err(std::io::Error::from)?;
    // The brief keeps its budget by dropping parts; what it cannot drop is still bounded here.
    let size = value.to_string().len();
    if size > budget::OUTPUT_BYTES * 2 {
        return Err(ToolError::TooLarge {
            tool: TOOL,
            size,
            hint: "run `cargo codex review --diff BASE` and read its output in parts",
        });
    }
    Ok(value)
}

fn arguments(message: &str) -> ToolError {
    ToolError::Arguments {
        tool: TOOL,
        message: message.to_owned(),
    }
}
