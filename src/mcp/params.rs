//! What each tool accepts: one struct per tool, read from the call's arguments with serde
//! (unknown fields refused) and described to clients by its JSON Schema, whose descriptions are
//! the doc comments below. A client's model reads them to fill the arguments, so they say what
//! each field means, its default and its limits.

use rmcp::schemars::JsonSchema;
use serde::Deserialize;

/// The arguments of `check`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckParams {
    /// Files or folders to check, relative to the project root (absolute paths must lie
    /// inside it). Empty or absent: the whole project.
    #[serde(default)]
    pub(crate) paths: Vec<String>,
    /// A git revision (branch, tag or commit), e.g. `origin/main`: report only the findings
    /// on lines changed since the merge base with it, and findings the merge base does not
    /// have (as `cargo codex check --diff BASE`). Excludes `diff` and `staged`.
    #[serde(default)]
    pub(crate) diff_base: Option<String>,
    /// The text of a unified diff (`git diff` output): report only the findings on the lines
    /// it adds or changes (as `--changed-lines-from`). Excludes `diff_base` and `staged`.
    #[serde(default)]
    pub(crate) diff: Option<String>,
    /// Check the staged content of the files staged in git, as a pre-commit hook does.
    /// Excludes `diff_base` and `diff`.
    #[serde(default)]
    pub(crate) staged: bool,
    /// Report only these rules: codes (`CX0001`), names (`unwrap-outside-tests`) or code
    /// prefixes (`CX00`).
    #[serde(default)]
    pub(crate) select: Vec<String>,
    /// Leave out these rules: codes, names or code prefixes.
    #[serde(default)]
    pub(crate) ignore: Vec<String>,
    /// The most diagnostics to return (default 50, at most 500); the summary still counts
    /// them all, and `truncated` says how many were left out.
    #[serde(default)]
    pub(crate) limit: Option<usize>,
}

/// The arguments of `explain`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub(crate) struct ExplainParams {
    /// The rule's code or name, e.g. `CX0001` or `unwrap-outside-tests` (as diagnostics
    /// cite it in their `rule` and `name` fields).
    pub(crate) rule: String,
}

/// The arguments of `rules`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesParams {}

/// The arguments of `review_brief`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewBriefParams {
    /// The git revision the merge request targets (branch, tag or commit), e.g.
    /// `origin/main`: the brief covers the changes since the merge base with it.
    pub(crate) diff_base: String,
    /// Limit the brief to these files or folders, relative to the project root (default: the
    /// whole change).
    #[serde(default)]
    pub(crate) paths: Vec<String>,
    /// The most tokens the brief may take (estimated at 4 bytes each; default 20000, at most
    /// 24576). The least relevant parts are dropped first, and `dropped` lists them.
    #[serde(default)]
    pub(crate) budget_tokens: Option<usize>,
}
