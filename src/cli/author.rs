//! The rule authors' commands: `explain`, `rules`, `new` and `test`, each a call into
//! [`cargo_codex::author`] and its rendering.

use std::io::{self, Write};

use cargo_codex::author::{explain, scaffold, verify};
use cargo_codex::codex::Codex;
use cargo_codex::config::Settings;

use super::Status;
use super::args::ListFormat;

/// `explain CODE`: a rule's documentation, or exit 2 for an unknown code.
pub(super) fn explain(codex: &Codex, code: &str, out: &mut dyn Write) -> io::Result<Status> {
    if let Some(rule) = codex.review_rule(code) {
        out.write_all(cargo_codex::author::review::explanation(codex, rule).as_bytes())?;
        return Ok(Status::Clean);
    }
    let Some(rule) = codex.find(code).and_then(|index| codex.rule(index)) else {
        let mut err = io::stderr().lock();
        writeln!(
            err,
            "error: unknown rule `{code}`; `cargo codex rules` lists them"
        )?;
        return Ok(Status::Failure);
    };
    out.write_all(explain::explanation(codex, rule).as_bytes())?;
    Ok(Status::Clean)
}

/// `rules`: the Codex as a table or JSON.
pub(super) fn rules(codex: &Codex, format: ListFormat, out: &mut dyn Write) -> io::Result<Status> {
    match format {
        ListFormat::Table => out.write_all(explain::table(codex).as_bytes())?,
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &explain::catalog(codex))?;
            writeln!(out)?;
        }
    }
    Ok(Status::Clean)
}

/// `new NAME`: scaffolds a rule (or a review rule) and says what to do next.
pub(super) fn new_rule(
    codex: &Codex,
    settings: &Settings,
    (name, incident, review): (&str, &str, bool),
    out: &mut dyn Write,
) -> io::Result<Status> {
    let request = scaffold::Request::in_project(settings, name, incident);
    let made = if review {
        cargo_codex::author::review::scaffold(codex, &request)
    } else {
        scaffold::scaffold(codex, &request)
    };
    let created = match made {
        Ok(created) => created,
        Err(error) => {
            writeln!(io::stderr().lock(), "error: {error}")?;
            return Ok(Status::Failure);
        }
    };
    if review {
        writeln!(out, "created review rule {} `{name}`:", created.code)?;
    } else {
        writeln!(
            out,
            "created rule {} `{name}` (stage shadow):",
            created.code
        )?;
    }
    for file in &created.files {
        writeln!(out, "  {}", file.display())?;
    }
    if let Some(incident) = &created.incident_to_edit {
        writeln!(
            out,
            "add \"{}\" to `rules` in {}",
            created.code,
            incident.display()
        )?;
    }
    writeln!(
        out,
        "next: write the {}, then `cargo codex test {}`",
        if review {
            "check, examples, selector and fixtures"
        } else {
            "matcher and fixtures"
        },
        request.rule_dir.display()
    )?;
    if !settings.sources.rule_dirs.contains(&request.rule_dir) {
        writeln!(
            out,
            "to enforce it, add `rule_dirs = [\"rules\"]` and `incident_dirs = [\"codex\"]` to codex.toml"
        )?;
    }
    Ok(Status::Clean)
}

/// `test`: the Codex's rules against their fixtures; exit 1 when one fails.
pub(super) fn test(codex: &Codex, bless: bool, out: &mut dyn Write) -> io::Result<Status> {
    let verification = verify::verify(codex, bless);
    write!(out, "{}", verify::summarize(&verification))?;
    Ok(if verification.passed() {
        Status::Clean
    } else {
        Status::Findings
    })
}
