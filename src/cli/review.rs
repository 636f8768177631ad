//! `cargo codex review --diff BASE`: the review brief of a merge request, for a review bot.
//! Builds the library's request ([`cargo_codex::review::brief`]), fits each rendering into the
//! budget and writes it to standard output and to each `--output FORMAT=PATH`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cargo_codex::codex::Codex;
use cargo_codex::config::Settings;
use cargo_codex::pipeline::{BaselinePolicy, Request};
use cargo_codex::report::brief::{self as render, BriefFormat};
use cargo_codex::report::visible;
use cargo_codex::review::{self, BriefRequest, Budget};
use cargo_codex::select::{Changes, Selection};
use clap::{Args, ValueEnum};

use super::Status;

/// `cargo codex review`'s flags.
#[derive(Debug, Args)]
pub(super) struct ReviewArgs {
    /// Limit the brief to these files or folders (default: the whole change).
    pub(super) paths: Vec<PathBuf>,
    /// The revision the merge request targets: the brief covers the change since its merge
    /// base with HEAD (the working tree included).
    #[arg(long, value_name = "BASE")]
    pub(super) diff: String,
    /// Format written to standard output.
    #[arg(long, value_enum, default_value_t = BriefFormat::Markdown)]
    pub(super) format: BriefFormat,
    /// Also write the brief in FORMAT to PATH (repeatable): `--output json=codex-review.json`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub(super) outputs: Vec<(BriefFormat, PathBuf)>,
    /// The most each rendering may take, so it fits a model's context: bytes (`60000`,
    /// `64k`) or tokens estimated at 4 bytes each (`16ktokens`); `none` for no limit. The least
    /// relevant parts are left out first, and the brief says which.
    #[arg(long, value_name = "SIZE", default_value = "100ktokens", value_parser = parse_budget)]
    pub(super) budget: BudgetArg,
    /// Use this baseline file instead of the one codex.toml names.
    #[arg(long, value_name = "FILE")]
    pub(super) baseline: Option<PathBuf>,
    /// Write no brief to standard output (only the --output files).
    #[arg(long, short)]
    pub(super) quiet: bool,
}

/// A `--budget`: `None` for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BudgetArg(Option<Budget>);

/// Writes the brief `args` asks for.
///
/// # Errors
///
/// When standard output or standard error fails.
pub(super) fn run(
    codex: &Codex,
    settings: &Settings,
    args: &ReviewArgs,
    cwd: &Path,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let request = BriefRequest {
        check: Request {
            baseline: args
                .baseline
                .clone()
                .map_or(BaselinePolicy::Configured, BaselinePolicy::Use),
            ..Request::new(
                settings,
                Selection {
                    paths: args.paths.clone(),
                    changes: Changes::Since(args.diff.clone()),
                    ..Selection::of(cwd)
                },
            )
        },
        budget: None,
    };
    let brief = match review::brief(codex, &request) {
        Ok(brief) => brief,
        Err(error) => return super::report_error(&error),
    };
    let rendered = |format: BriefFormat| -> io::Result<Vec<u8>> {
        let mut brief = brief.clone();
        if let BudgetArg(Some(budget)) = args.budget {
            review::fit(&mut brief, budget.in_bytes(), &|b| render::size(format, b));
        }
        let mut bytes = Vec::new();
        render::render(format, &mut bytes, &brief)?;
        Ok(bytes)
    };
    let mut written = true;
    for (format, path) in &args.outputs {
        let bytes = rendered(*format)?;
        if let Err(error) = super::output::write_file(&cwd.join(path), &bytes, &settings.root) {
            writeln!(
                io::stderr().lock(),
                "error: the {} brief was not written: {}",
                format_name(*format),
                visible(&error)
            )?;
            written = false;
        }
    }
    if !args.quiet {
        out.write_all(&rendered(args.format)?)?;
    }
    Ok(if written {
        Status::Clean
    } else {
        Status::Failure
    })
}

fn format_name(format: BriefFormat) -> String {
    format
        .to_possible_value()
        .map_or_else(|| format!("{format:?}"), |v| v.get_name().to_owned())
}

/// `FORMAT=PATH` for a brief.
fn parse_output(text: &str) -> Result<(BriefFormat, PathBuf), String> {
    let Some((name, path)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not FORMAT=PATH: write e.g. json=codex-review.json (formats: json, markdown)"
        ));
    };
    let format = BriefFormat::from_str(name, true)
        .map_err(|_| format!("unknown brief format `{name}` (formats: json, markdown)"))?;
    if path.is_empty() {
        return Err(format!("`{text}` names no file: write {name}=PATH"));
    }
    Ok((format, PathBuf::from(path)))
}

/// A budget: `none`, or a number with an optional `k` or `m` and an optional unit (`b`,
/// `bytes`, `t`, `tokens`; bytes when none).
fn parse_budget(text: &str) -> Result<BudgetArg, String> {
    let invalid = || {
        format!("`{text}` is not a size: write bytes (60000, 64k) or tokens (16ktokens), or `none`")
    };
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if compact == "none" {
        return Ok(BudgetArg(None));
    }
    let digits = compact.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = compact.split_at(digits);
    let number: usize = number.parse().map_err(|_| invalid())?;
    let (scale, unit) = match rest.as_bytes().first() {
        Some(b'k') => (1_000, &rest[1..]),
        Some(b'm') => (1_000_000, &rest[1..]),
        _ => (1, rest),
    };
    let limit = number.checked_mul(scale).ok_or_else(invalid)?;
    match unit {
        "" | "b" | "bytes" => Ok(BudgetArg(Some(Budget::bytes(limit)))),
        "t" | "tokens" => Ok(BudgetArg(Some(Budget::tokens(limit)))),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_in_bytes_and_tokens() {
        assert_eq!(
            parse_budget("60000"),
            Ok(BudgetArg(Some(Budget::bytes(60_000))))
        );
        assert_eq!(
            parse_budget("64k"),
            Ok(BudgetArg(Some(Budget::bytes(64_000))))
        );
        assert_eq!(
            parse_budget("16ktokens"),
            Ok(BudgetArg(Some(Budget::tokens(16_000))))
        );
        assert_eq!(
            parse_budget("2000 tokens"),
            Ok(BudgetArg(Some(Budget::tokens(2_000))))
        );
        assert_eq!(parse_budget("none"), Ok(BudgetArg(None)));
        assert!(parse_budget("lots").is_err());
        assert!(parse_budget("99999999999999999999").is_err());
        assert!(parse_budget("5 parsecs").is_err());
    }
}
