//! The tools the server offers: their names, descriptions and input schemas for `tools/list`,
//! and a call dispatched to the module that answers it. Every answer is JSON (structured
//! content, with the same JSON as text); every failure is a tool error whose text says what to
//! change.

use std::error::Error as _;
use std::sync::Arc;

use rmcp::handler::server::common::{schema_for_empty_input, schema_for_input};
use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool as ToolInfo, ToolAnnotations};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::budget;
use super::error::ToolError;
use super::params::{CheckParams, ExplainParams, ReviewBriefParams, RulesParams};
use super::project::Project;
use super::{Context, catalog, check, review};

/// A tool of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Check,
    Explain,
    Rules,
    ReviewBrief,
}

impl Tool {
    const ALL: [Tool; 4] = [Tool::Check, Tool::Explain, Tool::Rules, Tool::ReviewBrief];

    /// The tool called `name`, if there is one.
    pub(crate) fn named(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|tool| tool.name() == name)
    }

    /// Its name on the wire.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tool::Check => "check",
            Tool::Explain => "explain",
            Tool::Rules => "rules",
            Tool::ReviewBrief => "review_brief",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Tool::Check => "Check Rust code against the Codex",
            Tool::Explain => "Explain a Codex rule",
            Tool::Rules => "List the Codex's rules",
            Tool::ReviewBrief => "Review brief of a merge request",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Tool::Check => {
                "Check the project's Rust code against its Codex (rules born from production \
                 incidents) and return the findings as the versioned JSON contract \
                 `cargo-codex/diagnostics/v1`: each diagnostic has the rule code and name, \
                 severity, stage, path relative to the project root, 1-based line and column, \
                 message, help, snippet, enclosing item, incidents, fingerprint and suggested \
                 fix; `summary` counts all of them (`enforced` > 0 means CI would fail). Check \
                 the whole project, some `paths`, only the lines changed since `diff_base` (as \
                 a merge request does), the lines of a unified `diff`, or the `staged` files. \
                 At most `limit` diagnostics are returned; `truncated` says how many were left \
                 out. Cite findings by rule code; `explain` tells why a rule exists."
            }
            Tool::Explain => {
                "Explain one rule of the Codex, by code (`CX0001`) or name \
                 (`unwrap-outside-tests`): its documentation (what it does, why it is bad, an \
                 example), the incidents it was born from, what it matches, its severity, stage \
                 and scopes, and its example files when it has them (`bad` must be flagged, \
                 `good` must not)."
            }
            Tool::Rules => {
                "List the rules of the project's Codex: code (`id`), name, title, stage \
                 (shadow, warn, enforce), severity, kind (the matcher: method, macro, call, \
                 index, pattern, validate, before, builtin; `review` for rules only a \
                 reviewer can judge), scopes and incidents."
            }
            Tool::ReviewBrief => {
                "The review brief of the change since `diff_base` (the branch a merge request \
                 targets), as the versioned JSON document `cargo-codex/review/v1`: per changed \
                 file and hunk, the enclosing function, the deterministic findings of the change \
                 (as `check` returns them), the review rules that apply there (checks only a \
                 reviewer can judge, with their bad and good examples and incident: judge the \
                 change against each), the suppressions and baseline entries the change adds \
                 with their reasons, and every change to the Codex itself, which needs a \
                 person's review. Within `budget_tokens`; `dropped` lists what did not fit."
            }
        }
    }

    fn schema(self) -> Arc<JsonObject> {
        let schema = match self {
            Tool::Check => schema_for_input::<CheckParams>(),
            Tool::Explain => schema_for_input::<ExplainParams>(),
            Tool::Rules => Ok(schema_for_empty_input()),
            Tool::ReviewBrief => schema_for_input::<ReviewBriefParams>(),
        };
        schema.unwrap_or_else(|_| schema_for_empty_input())
    }

    /// How the tool is shown in `tools/list`.
    pub(crate) fn info(self) -> ToolInfo {
        // No tool writes to the project: `check` never applies fixes.
        let annotations = ToolAnnotations::with_title(self.title())
            .read_only(true)
            .destructive(false)
            .idempotent(true)
            .open_world(false);
        ToolInfo::new(self.name(), self.description(), self.schema())
            .with_title(self.title())
            .with_annotations(annotations)
    }
}

/// Every tool, as `tools/list` shows them.
pub(crate) fn list() -> Vec<ToolInfo> {
    Tool::ALL.into_iter().map(Tool::info).collect()
}

/// Answers a call of `tool` with `arguments`: the project is loaded as it is now.
pub(crate) fn call(context: &Context, tool: Tool, arguments: Option<JsonObject>) -> CallToolResult {
    match answer(context, tool, arguments) {
        Ok(value) => CallToolResult::structured(value),
        Err(error) => failure(&error),
    }
}

fn answer(
    context: &Context,
    tool: Tool,
    arguments: Option<JsonObject>,
) -> Result<Value, ToolError> {
    let arguments = arguments.unwrap_or_default();
    match tool {
        Tool::Check => {
            let params: CheckParams = parse(tool, arguments)?;
            check::check(&project(context)?, &params)
        }
        Tool::Explain => {
            let params: ExplainParams = parse(tool, arguments)?;
            catalog::explain(&project(context)?, &params.rule)
        }
        Tool::Rules => {
            let _: RulesParams = parse(tool, arguments)?;
            Ok(catalog::rules(&project(context)?))
        }
        Tool::ReviewBrief => {
            let params: ReviewBriefParams = parse(tool, arguments)?;
            review::brief(&project(context)?, params)
        }
    }
}

fn project(context: &Context) -> Result<Project, ToolError> {
    Project::load(&context.flags, &context.cwd)
}

/// `arguments` as the tool's parameters.
fn parse<P: DeserializeOwned>(tool: Tool, arguments: JsonObject) -> Result<P, ToolError> {
    // codex:allow(CX0004) the arguments become a typed struct with `deny_unknown_fields` here; each tool checks its values' ranges (limit, paths) before using them
    serde_json::from_value(Value::Object(arguments)).map_err(|error| ToolError::Arguments {
        tool: tool.name(),
        message: error.to_string(),
    })
}

/// A tool error: the error and its causes, as text the client's model reads.
pub(crate) fn failure(error: &ToolError) -> CallToolResult {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    CallToolResult::error(vec![ContentBlock::text(budget::cut(
        &text,
        budget::ERROR_BYTES,
    ))])
}
