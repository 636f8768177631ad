//! The `check` tool: the check pipeline ([`crate::pipeline::run`]) on the paths or the change
//! the client names, answered as the JSON format (`cargo-codex/diagnostics/v1`) renders it, cut
//! to a budget.

use std::io::Write as _;

use serde_json::{Value, json};

use super::budget;
use super::error::ToolError;
use super::params::CheckParams;
use super::project::Project;
use crate::filter::rules::RuleFilter;
use crate::pipeline::{self, Request};
use crate::report::{self, Format};
use crate::select::{Changes, Selection};

const TOOL: &str = "check";

/// Diagnostics returned when the client names no limit.
const DEFAULT_LIMIT: usize = 50;

/// The most diagnostics a client may ask for.
const MAX_LIMIT: usize = 500;

/// Runs the check `params` asks for on `project`.
///
/// # Errors
///
/// Contradicting or invalid arguments, a path outside the root, an unknown rule selector, or
/// the pipeline failing (git, a diff, a baseline).
pub(crate) fn check(project: &Project, params: &CheckParams) -> Result<Value, ToolError> {
    let codex = &project.codex;
    let rules = RuleFilter::new(codex, &params.select, &params.ignore)?;
    let paths = params
        .paths
        .iter()
        .map(|path| project.confine(TOOL, path))
        .collect::<Result<Vec<_>, _>>()?;
    // Held until the run is over: `--changed-lines-from` reads a file.
    let mut diff_file = None;
    let changes = match (&params.diff_base, &params.diff, params.staged) {
        (None, None, false) => Changes::All,
        (Some(base), None, false) => {
            if base.trim().is_empty() {
                return Err(arguments("`diff_base` is empty: name a git revision"));
            }
            Changes::Since(base.clone())
        }
        (None, Some(diff), false) => {
            let mut file = tempfile::NamedTempFile::new()?;
            file.write_all(diff.as_bytes())?;
            let path = file.path().to_path_buf();
            diff_file = Some(file);
            Changes::DiffFile(path)
        }
        (None, None, true) => Changes::Staged,
        _ => {
            return Err(arguments(
                "`diff_base`, `diff` and `staged` exclude each other: give one at most",
            ));
        }
    };
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if limit > MAX_LIMIT {
        return Err(arguments(&format!(
            "`limit` is {limit}, over {MAX_LIMIT}: narrow the check with `paths`, `select` or a diff instead"
        )));
    }
    let settings = &project.settings;
    let selection = Selection {
        paths,
        changes,
        ..Selection::of(settings.root.clone())
    };
    let request = Request {
        rules,
        commit: true,
        ..Request::new(settings, selection)
    };
    let outcome = pipeline::run(codex, &request)?;
    drop(diff_file);
    let total = outcome.diagnostics.len();
    let first = outcome
        .diagnostics
        .get(..limit.min(total))
        .unwrap_or_default();
    let context = report::Context {
        commit: outcome.commit.clone(),
        ..report::Context::default()
    };
    let mut rendered = Vec::new();
    report::render(
        Format::Json,
        &mut rendered,
        first,
        &outcome.summary,
        &context,
    )?;
    // codex:allow(CX0004) our own JSON report, read back to cut its list to the budget; nothing here comes from outside the process
    let mut document: Value = serde_json::from_slice(&rendered).map_err(std::io::Error::from)?;
    let diagnostics = match document.get_mut("diagnostics").map(Value::take) {
        Some(Value::Array(items)) => budget::fit(items, budget::OUTPUT_BYTES),
        _ => Vec::new(),
    };
    let shown = diagnostics.len();
    document["diagnostics"] = Value::Array(diagnostics);
    if shown < total {
        document["truncated"] = json!({
            "shown": shown,
            "total": total,
            "hint": format!(
                "{} of {total} diagnostics shown (limit {limit}, at most {} bytes): narrow the \
                 check with `paths`, `select` or a diff to see the others",
                shown,
                budget::OUTPUT_BYTES
            ),
        });
    }
    let warnings: Vec<String> = codex
        .warnings()
        .iter()
        .take(20)
        .map(ToString::to_string)
        .collect();
    if !warnings.is_empty() {
        document["warnings"] = json!(warnings);
    }
    Ok(document)
}

fn arguments(message: &str) -> ToolError {
    ToolError::Arguments {
        tool: TOOL,
        message: message.to_owned(),
    }
}
