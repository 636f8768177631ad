//! `cargo codex new`: the files a new rule starts from, with a code of the project's prefix.
//! The scaffold loads and ships in the `shadow` stage, so committing it changes nothing; its
//! placeholders ([`TODO`], [`PLACEHOLDER`]) make `cargo codex test` fail, naming each line, until
//! the author has replaced them with the real rule.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::codex::matcher::{KINDS, kind_names};
use crate::codex::{Codex, reference};
use crate::config::Settings;

/// How the scaffold starts each text a human must write; `cargo codex test` fails while a
/// string or doc line of a rule file or incident record still starts with it.
pub const TODO: &str = "TODO:";

/// The name the scaffold's matcher and fixtures use for the code to match; `cargo codex test`
/// fails while it is left in a rule file or a fixture.
pub const PLACEHOLDER: &str = "replace_me";

/// What to scaffold.
#[derive(Debug, Clone)]
pub struct Request {
    /// Kebab-case rule name, e.g. `lock-held-across-await`.
    pub name: String,
    /// Incident id, e.g. `2026-02-03-lock-convoy`.
    pub incident: Option<String>,
    /// Public references (links, advisory ids) the rule cites.
    pub references: Vec<String>,
    /// The code to give the rule; `None` for the next free code with `prefix`.
    pub id: Option<String>,
    /// The project's code prefix (`codex.toml`'s `prefix`), e.g. `ACME`.
    pub prefix: Option<String>,
    /// Folder the rule file goes in.
    pub rule_dir: PathBuf,
    /// Folder incident records go in.
    pub incident_dir: PathBuf,
}

impl Request {
    /// Rule `name` in the project's first rule folder (`rules/` when it names none), with its
    /// incident record (if any) in the first incident folder (else `codex/` beside the rule
    /// folder), and the project's code prefix.
    pub fn in_project(settings: &Settings, name: &str) -> Self {
        let rule_dir = settings
            .sources
            .rule_dirs
            .first()
            .cloned()
            .unwrap_or_else(|| settings.root.join("rules"));
        let incident_dir = settings
            .sources
            .incident_dirs
            .first()
            .cloned()
            .unwrap_or_else(|| {
                rule_dir
                    .parent()
                    .map_or_else(|| settings.root.join("codex"), |p| p.join("codex"))
            });
        Request {
            name: name.to_owned(),
            incident: None,
            references: Vec::new(),
            id: None,
            prefix: settings.prefix.clone(),
            rule_dir,
            incident_dir,
        }
    }
}

/// Why scaffolding failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The name is not kebab-case.
    #[error(
        "rule name `{0}` must be kebab-case and name the pattern, like `lock-held-across-await`"
    )]
    Name(String),
    /// The incident id is not `YYYY-MM-DD-words`.
    #[error("incident id `{0}` must be a date and kebab-case words, like `2026-02-03-lock-convoy`")]
    Incident(String),
    /// A reference is neither a link nor an advisory id.
    #[error("`{0}` is not a reference: give {forms}", forms = reference::FORMS)]
    Reference(String),
    /// Neither an incident nor a reference.
    #[error(
        "a rule cites where it comes from: give --incident YYYY-MM-DD-words (writes its record) \
         or --reference (a link or an advisory id), or both"
    )]
    NoSource,
    /// A review rule without an incident.
    #[error("a review rule cites the incident it comes from: give --incident YYYY-MM-DD-words")]
    ReviewIncident,
    /// `--id` is not a code.
    #[error("`{0}` is not a rule code: upper-case letters then digits, like `ACME0001`")]
    Code(String),
    /// `--id` is reserved for the tool's own rules.
    #[error("codes CX9000 to CX9999 are reserved for the tool's own rules; pick another")]
    Reserved,
    /// `--id` is taken.
    #[error(
        "code {code} is already used by {by}; pick another, or leave out --id for the next free one"
    )]
    Taken {
        /// The code.
        code: String,
        /// What uses it: a rule or an incident record.
        by: String,
    },
    /// No prefix is known to number the rule with.
    #[error(
        "this project has no rule code prefix: add `prefix = \"ACME\"` (your letters) to codex.toml \
         for codes ACME0001, ACME0002…, or pass --id"
    )]
    NoPrefix,
    /// A file would be overwritten.
    #[error("{} already exists; pick another name", .0.display())]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// The files written and the code given to the rule.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new rule's code.
    pub code: String,
    /// Every file written, in order.
    pub files: Vec<PathBuf>,
    /// An existing incident record whose `rules` list needs the new code by hand.
    pub incident_to_edit: Option<PathBuf>,
}

/// Writes the rule file, its fixtures and, when the rule cites an incident that has none yet,
/// the incident record.
///
/// # Errors
///
/// A malformed name, incident id, reference or code; no incident and no reference; a code
/// already used or none to give; a file that already exists, or a write that fails.
pub fn scaffold(codex: &Codex, request: &Request) -> Result<Created, ScaffoldError> {
    let code = check_request(codex, request)?;
    if request.incident.is_none() && request.references.is_empty() {
        return Err(ScaffoldError::NoSource);
    }
    let rule_file = request.rule_dir.join(format!("{}.toml", request.name));
    let fixtures = request.rule_dir.join(&request.name);
    let mut created = Created {
        code: code.clone(),
        files: Vec::new(),
        incident_to_edit: None,
    };
    write(&rule_file, &rule_text(&code, request), &mut created)?;
    write(
        &fixtures.join("fail.rs"),
        &format!(
            "// Each line marked `//~ {code}` must be reported, and no other.\n// Replace with the code from the incident.\npub fn example(input: &Input) {{\n    input.{PLACEHOLDER}(); //~ {code}\n}}\n"
        ),
        &mut created,
    )?;
    write(
        &fixtures.join("pass.rs"),
        &format!(
            "// Near misses that must stay silent: the safe way to write the same thing.\npub fn example(input: &Input) {{\n    input.{PLACEHOLDER}_safely();\n}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn tests_are_exempt() {{\n        input().{PLACEHOLDER}();\n    }}\n}}\n"
        ),
        &mut created,
    )?;
    incident(codex, request, &code, &mut created)?;
    Ok(created)
}

/// The code a new rule gets (`--id`, or the next free one), once `request`'s name, incident id
/// and references are well formed and its files do not exist yet.
pub(super) fn check_request(codex: &Codex, request: &Request) -> Result<String, ScaffoldError> {
    if !crate::codex::load::is_kebab(&request.name) {
        return Err(ScaffoldError::Name(request.name.clone()));
    }
    if let Some(incident) = request.incident.as_ref().filter(|id| !is_incident_id(id)) {
        return Err(ScaffoldError::Incident(incident.clone()));
    }
    if let Some(bad) = request
        .references
        .iter()
        .find(|cited| !reference::is_reference(cited))
    {
        return Err(ScaffoldError::Reference(bad.clone()));
    }
    let rule_file = request.rule_dir.join(format!("{}.toml", request.name));
    let fixtures = request.rule_dir.join(&request.name);
    for path in [&rule_file, &fixtures] {
        if path.exists() {
            return Err(ScaffoldError::Exists(path.clone()));
        }
    }
    match &request.id {
        Some(id) => chosen_code(codex, id),
        None => next_code(codex, request.prefix.as_deref()),
    }
}

/// Writes the incident record `request` cites when it is missing, else notes that its `rules`
/// need the new code; nothing when it cites none.
pub(super) fn incident(
    codex: &Codex,
    request: &Request,
    code: &str,
    created: &mut Created,
) -> Result<(), ScaffoldError> {
    let Some(incident) = &request.incident else {
        return Ok(());
    };
    let incident_file = request.incident_dir.join(format!("{incident}.toml"));
    if codex.incident(incident).is_some() || incident_file.exists() {
        created.incident_to_edit = Some(incident_file);
        Ok(())
    } else {
        write(&incident_file, &incident_text(code, incident), created)
    }
}

pub(super) fn write(path: &Path, text: &str, created: &mut Created) -> Result<(), ScaffoldError> {
    let wrap = |source| ScaffoldError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(wrap)?;
    }
    fs::write(path, text).map_err(wrap)?;
    created.files.push(path.to_path_buf());
    Ok(())
}

/// `id`, when it is a code no rule or incident record of `codex` uses yet.
fn chosen_code(codex: &Codex, id: &str) -> Result<String, ScaffoldError> {
    if !crate::codex::load::is_rule_code(id) {
        return Err(ScaffoldError::Code(id.to_owned()));
    }
    if id.starts_with("CX9") {
        return Err(ScaffoldError::Reserved);
    }
    if let Some(rule) = codex.find(id).and_then(|index| codex.rule(index)) {
        return Err(ScaffoldError::Taken {
            code: id.to_owned(),
            by: format!("rule `{}` ({})", rule.name, rule.origin),
        });
    }
    if let Some(rule) = codex.review_rule(id) {
        return Err(ScaffoldError::Taken {
            code: id.to_owned(),
            by: format!("review rule `{}` ({})", rule.name, rule.origin),
        });
    }
    if let Some(incident) = codex
        .incidents()
        .iter()
        .find(|incident| incident.rules.iter().any(|code| code == id))
    {
        return Err(ScaffoldError::Taken {
            code: id.to_owned(),
            by: format!("incident record {}", incident.origin),
        });
    }
    Ok(id.to_owned())
}

/// The next free code with `prefix`, or when `codex.toml` names none, with the prefix every
/// rule (finding or review) of the project's own folders shares. Codes of review rules and
/// those cited by incident records count as used, and so does the range reserved for built-in
/// rules.
fn next_code(codex: &Codex, prefix: Option<&str>) -> Result<String, ScaffoldError> {
    let split = |id: &str| {
        let digits = id.trim_start_matches(|c: char| c.is_ascii_uppercase());
        let prefix = id
            .get(..id.len() - digits.len())
            .unwrap_or_default()
            .to_owned();
        (prefix, digits.len(), digits.parse::<u32>().ok())
    };
    let prefix = if let Some(prefix) = prefix {
        prefix.to_owned()
    } else {
        let on_disk = codex
            .rules()
            .iter()
            .filter(|rule| rule.file.is_some())
            .map(|rule| &rule.id);
        let review_on_disk = codex
            .review_rules()
            .iter()
            .filter(|rule| rule.file.is_some())
            .map(|rule| &rule.id);
        let mut shared = on_disk.chain(review_on_disk).map(|id| split(id).0);
        let first = shared.next().ok_or(ScaffoldError::NoPrefix)?;
        if !shared.all(|other| other == first) {
            return Err(ScaffoldError::NoPrefix);
        }
        first
    };
    let used = codex
        .rules()
        .iter()
        .map(|rule| rule.id.as_str())
        .chain(codex.review_rules().iter().map(|rule| rule.id.as_str()))
        .chain(
            codex
                .incidents()
                .iter()
                .flat_map(|incident| incident.rules.iter().map(String::as_str)),
        )
        .map(split)
        .filter(|(p, _, number)| *p == prefix && number.is_some_and(|n| !(p == "CX" && n >= 9000)));
    let (width, highest) = used.fold((4, 0), |(width, high), (_, digits, number)| {
        (width.max(digits), high.max(number.unwrap_or(0)))
    });
    let code = format!("{prefix}{:0width$}", highest + 1);
    if code.starts_with("CX9") {
        return Err(ScaffoldError::Reserved);
    }
    Ok(code)
}

fn is_incident_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    let date = bytes.len() > 11
        && bytes.iter().take(10).enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes.get(10) == Some(&b'-');
    date && crate::codex::load::is_kebab(&id[11..])
}

/// `text` as a TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn rule_text(code: &str, request: &Request) -> String {
    let mut cites = String::new();
    if let Some(incident) = &request.incident {
        let _ = writeln!(cites, "incidents = [{}]", quoted(incident));
    }
    if !request.references.is_empty() {
        let list: Vec<String> = request.references.iter().map(|r| quoted(r)).collect();
        let _ = writeln!(cites, "references = [{}]", list.join(", "));
    }
    let source = request
        .incident
        .as_deref()
        .or(request.references.first().map(String::as_str))
        .unwrap_or_default();
    let mut text = String::new();
    let _ = write!(
        text,
        r#"id = "{code}"
title = "{TODO} the pattern, in a few words"
severity = "error"
# Required. shadow: findings appear only in JSON and SARIF and never fail the run. Move to
# "warn", then "enforce", once its findings on the codebase have been reviewed (or enforce it
# on some paths only with enforce_paths).
stage = "shadow"
# Where the rule comes from: incident records (codex/<id>.toml) and/or public references
# (links, CVE-…, GHSA-…, RUSTSEC-…, CWE-… ids); at least one.
{cites}scopes = ["prod"]
message = "{TODO} what is wrong, lowercase, no final period"
help = "{TODO} how to fix it"

doc = """
## What it does
{TODO} what the rule flags.

## Why is this bad?
{TODO} what happened ({source}), and why this code pattern caused it.

## Example
```rust
input.{PLACEHOLDER}();
```
Use instead:
```rust
input.{PLACEHOLDER}_safely();
```
"""

# One matcher kind: {kinds} ({combined} may be combined):
{examples}
# See `cargo codex explain CX0001` for a complete rule, and codex/README.md for the workflow.
# `cargo codex test` fails, naming the line, while a `{TODO}` or `{PLACEHOLDER}` is left.
[match]
method = ["{PLACEHOLDER}"]
"#,
        kinds = kind_names(KINDS),
        combined = kind_names(KINDS.iter().filter(|kind| kind.combines)).replace(" or ", " and "),
        examples = KINDS
            .iter()
            .map(|kind| format!("#   {}", kind.example))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    text
}

fn incident_text(code: &str, id: &str) -> String {
    format!(
        "date = \"{date}\"\ntitle = \"{TODO} what failed, in one line\"\nsummary = \"\"\"\n{TODO} what happened, from the post-mortem: the trigger, the code that assumed its input was valid,\nand why it failed everywhere at once.\n\"\"\"\nimpact = \"{TODO} who was affected, how badly, for how long\"\nsource = \"{TODO} link to the post-mortem\"\nrules = [\"{code}\"]\n",
        date = id.get(..10).unwrap_or_default()
    )
}
