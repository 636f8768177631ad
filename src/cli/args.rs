//! The command line as written: flags and subcommands, parsed by clap. Nothing here acts on
//! them; [`super`] turns them into a request to the library.

use std::path::PathBuf;

use cargo_codex::report::Format;
use cargo_codex::select::Shard;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "cargo-codex",
    version,
    about = "Enforce a Codex of incident-born rules on Rust code"
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    /// Use this configuration file instead of finding codex.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub(super) config: Option<PathBuf>,
    /// Add a folder of rule files (repeatable).
    #[arg(long = "rule-dir", global = true, value_name = "DIR")]
    pub(super) rule_dirs: Vec<PathBuf>,
    /// Leave out the default Codex embedded in the binary.
    #[arg(long, global = true)]
    pub(super) no_default_rules: bool,
    /// Read codex.toml, the rule and incident folders and the baseline inside the repository
    /// as of this git revision (the branch a merge request targets), not the working tree.
    #[arg(long, global = true, value_name = "REV")]
    pub(super) codex_from: Option<String>,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(super) color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Check Rust files against the Codex (the whole project by default).
    Check(Box<CheckArgs>),
    /// Show a rule's documentation, incident and matcher.
    Explain {
        /// Rule code or name, e.g. CX0001 or unwrap-outside-tests.
        rule: String,
    },
    /// List the rules of the Codex.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Scaffold a new rule (file, fixtures, incident record) with the next free code.
    New {
        /// Kebab-case name of the pattern, e.g. lock-held-across-await.
        name: String,
        /// The incident it comes from, e.g. 2026-02-03-lock-convoy.
        #[arg(long)]
        incident: String,
        /// A review rule: a check only a reviewer can judge, listed in the review brief
        /// beside the code it applies to, never a finding.
        #[arg(long)]
        review: bool,
    },
    /// The review brief of a merge request, for a review bot: per changed hunk, its function,
    /// findings, the review rules that apply, suppressions and baseline entries added, and
    /// changes to the Codex itself.
    Review(Box<super::review::ReviewArgs>),
    /// Serve the Language Server Protocol on standard input and output, for editors.
    Server,
    /// Serve the Model Context Protocol on standard input and output, for AI assistants and
    /// review bots (tools: check, explain, rules and the review brief).
    Mcp {
        /// The project folder (default: the working directory), for clients that start
        /// servers elsewhere (Claude Desktop).
        project: Option<PathBuf>,
    },
    /// Run the fixtures of the rules in the given folders and check the Codex's integrity.
    Test {
        /// Rule folders (default: those of codex.toml).
        dirs: Vec<PathBuf>,
        /// Write missing or outdated expected outputs instead of failing.
        #[arg(long)]
        bless: bool,
    },
}

// Each flag is one independent switch, as clap reads them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    /// Files or folders to check.
    pub(super) paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(super) format: Format,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    pub(super) baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file, and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub(super) write_baseline: Option<PathBuf>,
    /// Report only findings on lines changed since the merge base with BASE (a git revision).
    #[arg(long, value_name = "BASE")]
    pub(super) diff: Option<String>,
    /// Report only findings on lines this unified diff adds or changes.
    #[arg(long, value_name = "FILE", conflicts_with = "diff")]
    pub(super) changed_lines_from: Option<PathBuf>,
    /// Check the staged content of the files staged in git (for a pre-commit hook), not the
    /// working tree.
    #[arg(long, conflicts_with_all = ["diff", "changed_lines_from"])]
    pub(super) staged: bool,
    /// Apply the safe suggested fixes in place, then report what remains.
    #[arg(long, conflicts_with = "staged")]
    pub(super) fix: bool,
    /// With --fix, apply the unsafe fixes too (they may change behaviour; review the diff).
    #[arg(long, requires = "fix")]
    pub(super) unsafe_fixes: bool,
    /// Check only shard K of N (1-based), a deterministic split of the files for parallel jobs.
    /// Test scope still comes from the whole tree: the shards' findings add up to a whole run's.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub(super) shard: Option<Shard>,
    /// Neither read nor write the result cache (`target/cargo-codex`, or
    /// `$CARGO_CODEX_CACHE_DIR`): check every file anew.
    #[arg(long)]
    pub(super) no_cache: bool,
    /// Say on stderr how many files came from the cache, or why it is off.
    #[arg(long, short, conflicts_with_all = ["quiet", "silent"])]
    pub(super) verbose: bool,
    /// In the terminal formats (human, concise), show counts by rule instead of each finding.
    #[arg(long)]
    pub(super) statistics: bool,
    /// Print the findings and nothing else: no summary, no notes, no warnings about the
    /// configuration (errors still go to stderr).
    #[arg(long, short, conflicts_with = "silent")]
    pub(super) quiet: bool,
    /// Print nothing but errors; the exit code still says whether enforced findings were
    /// found. Files named by --output and --output-file are still written.
    #[arg(long, short)]
    pub(super) silent: bool,
    /// Exit with 0 even when enforced findings are found (2 still means the run failed).
    #[arg(long)]
    pub(super) exit_zero: bool,
    /// Report and fix only these rules: codes (CX0001), names (unwrap-outside-tests) or code
    /// prefixes (CX00); comma-separated or repeated. Files that could not be checked (CX9000,
    /// CX9001) are still reported unless ignored.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub(super) select: Vec<String>,
    /// Leave out these rules (codes, names or code prefixes). Where --select and --ignore both
    /// name a rule, the more specific wins (a code or name over a prefix), --ignore on a tie.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub(super) ignore: Vec<String>,
    /// Write the --format output to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub(super) output_file: Option<PathBuf>,
    /// Also write the findings in FORMAT to PATH (repeatable), from the same run:
    /// `--output sarif=codex.sarif --output markdown=comment.md`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub(super) outputs: Vec<Output>,
    /// List the fixes applied (with --fix), or those --fix would apply, on stderr.
    #[arg(long)]
    pub(super) show_fixes: bool,
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone)]
pub(super) struct Output {
    pub(super) format: Format,
    pub(super) path: PathBuf,
}

/// `FORMAT=PATH`, split at the first `=` (format names have none; a path may).
fn parse_output(text: &str) -> Result<Output, String> {
    let names = || {
        Format::all()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|value| value.get_name().to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, path)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not FORMAT=PATH: write e.g. sarif=codex.sarif (formats: {})",
            names()
        ));
    };
    let format = Format::from_str(name, true)
        .map_err(|_| format!("unknown format `{name}` (formats: {})", names()))?;
    if path.is_empty() {
        return Err(format!("`{text}` names no file: write {name}=PATH"));
    }
    Ok(Output {
        format,
        path: PathBuf::from(path),
    })
}

/// `K/N` with 1 <= K <= N.
fn parse_shard(text: &str) -> Result<Shard, String> {
    let invalid = || format!("`{text}` is not a shard: write K/N with 1 <= K <= N, like 2/4");
    let (k, n) = text.split_once('/').ok_or_else(invalid)?;
    let (k, n): (usize, usize) = (
        k.parse().map_err(|_| invalid())?,
        n.parse().map_err(|_| invalid())?,
    );
    Shard::new(k, n).ok_or_else(invalid)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ListFormat {
    Table,
    Json,
}
