//! `cargo codex new`: the files a new rule starts from. The scaffold loads, passes its own
//! fixtures and ships in the `shadow` stage, so committing it changes nothing until the author
//! has replaced the placeholder matcher with the real one.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::codex::Codex;
use crate::codex::matcher::{KINDS, kind_names};
use crate::config::Settings;

/// What to scaffold.
#[derive(Debug, Clone)]
pub struct Request {
    /// Kebab-case rule name, e.g. `lock-held-across-await`.
    pub name: String,
    /// Incident id, e.g. `2026-02-03-lock-convoy`.
    pub incident: String,
    /// Folder the rule file goes in.
    pub rule_dir: PathBuf,
    /// Folder incident records go in.
    pub incident_dir: PathBuf,
}

impl Request {
    /// Rule `name` from `incident`, in the project's first rule folder (`rules/` when it names
    /// none) with its incident record in the first incident folder (else `codex/` beside the
    /// rule folder).
    pub fn in_project(settings: &Settings, name: &str, incident: &str) -> Self {
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
            incident: incident.to_owned(),
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

/// Writes the rule file, its fixtures and, when missing, the incident record.
///
/// # Errors
///
/// A malformed name or incident id, a file that already exists, or a write that fails.
pub fn scaffold(codex: &Codex, request: &Request) -> Result<Created, ScaffoldError> {
    let code = check_request(codex, request)?;
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
            "// Each line marked `//~ {code}` must be reported, and no other.\n// Replace with the code from the incident.\npub fn example(input: &Input) {{\n    input.replace_me(); //~ {code}\n}}\n"
        ),
        &mut created,
    )?;
    write(
        &fixtures.join("pass.rs"),
        "// Near misses that must stay silent: the safe way to write the same thing.\npub fn example(input: &Input) {\n    input.replace_me_safely();\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn tests_are_exempt() {\n        input().replace_me();\n    }\n}\n",
        &mut created,
    )?;
    incident(codex, request, &code, &mut created)?;
    Ok(created)
}

/// The code a new rule gets, once `request`'s name and incident id are well formed and its
/// files do not exist yet.
pub(super) fn check_request(codex: &Codex, request: &Request) -> Result<String, ScaffoldError> {
    if !crate::codex::load::is_kebab(&request.name) {
        return Err(ScaffoldError::Name(request.name.clone()));
    }
    if !is_incident_id(&request.incident) {
        return Err(ScaffoldError::Incident(request.incident.clone()));
    }
    let rule_file = request.rule_dir.join(format!("{}.toml", request.name));
    let fixtures = request.rule_dir.join(&request.name);
    for path in [&rule_file, &fixtures] {
        if path.exists() {
            return Err(ScaffoldError::Exists(path.clone()));
        }
    }
    Ok(next_code(codex))
}

/// Writes the incident record of `request` when it is missing, else notes that its `rules`
/// need the new code.
pub(super) fn incident(
    codex: &Codex,
    request: &Request,
    code: &str,
    created: &mut Created,
) -> Result<(), ScaffoldError> {
    let incident_file = request
        .incident_dir
        .join(format!("{}.toml", request.incident));
    if codex.incident(&request.incident).is_some() || incident_file.exists() {
        created.incident_to_edit = Some(incident_file);
        Ok(())
    } else {
        write(
            &incident_file,
            &incident_text(code, &request.incident),
            created,
        )
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

/// The next free code with the prefix most rules loaded from disk use (`CX` otherwise),
/// outside the range reserved for built-in rules.
fn next_code(codex: &Codex) -> String {
    let split = |id: &str| {
        let digits = id.trim_start_matches(|c: char| c.is_ascii_uppercase());
        (
            id[..id.len() - digits.len()].to_owned(),
            digits.len(),
            digits.parse::<u32>().ok(),
        )
    };
    let mut prefixes: Vec<(String, usize)> = Vec::new();
    let on_disk = codex
        .rules()
        .iter()
        .filter(|r| r.file.is_some())
        .map(|r| &r.id);
    let review_on_disk = codex.review_rules().iter().filter(|r| r.file.is_some());
    for id in on_disk.chain(review_on_disk.map(|r| &r.id)) {
        let (prefix, _, _) = split(id);
        match prefixes.iter_mut().find(|(p, _)| *p == prefix) {
            Some((_, count)) => *count += 1,
            None => prefixes.push((prefix, 1)),
        }
    }
    let prefix = prefixes
        .iter()
        .max_by_key(|(_, count)| *count)
        .map_or_else(|| "CX".to_owned(), |(p, _)| p.clone());
    let review = codex.review_rules().iter().map(|r| &r.id);
    let (width, highest) = codex
        .rules()
        .iter()
        .map(|r| &r.id)
        .chain(review)
        .map(|id| split(id))
        .filter(|(p, _, number)| {
            *p == prefix && number.is_some_and(|n| !(prefix == "CX" && n >= 9000))
        })
        .fold((4, 0), |(width, high), (_, digits, number)| {
            (width.max(digits), high.max(number.unwrap_or(0)))
        });
    format!("{prefix}{:0width$}", highest + 1)
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

fn rule_text(code: &str, request: &Request) -> String {
    let mut text = String::new();
    let _ = write!(
        text,
        r#"id = "{code}"
title = "TODO: the pattern, in a few words"
severity = "error"
# shadow: reported only in machine formats. Move to "warn", then "enforce", once the rule's
# findings on the codebase have been reviewed (or set the stage per path with enforce_paths).
stage = "shadow"
incidents = ["{incident}"]
scopes = ["prod"]
message = "TODO: what is wrong, lowercase, no final period"
help = "TODO: how to fix it"

doc = """
## What it does
TODO: what the rule flags.

## Why is this bad?
TODO: what happened in {incident}, and why this code pattern caused it.

## Example
```rust
input.replace_me();
```
Use instead:
```rust
input.replace_me_safely();
```
"""

# One matcher kind: {kinds} ({combined} may be combined):
{examples}
# See `cargo codex explain CX0001` for a complete rule, and codex/README.md for the workflow.
[match]
method = ["replace_me"]
"#,
        incident = request.incident,
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
        "date = \"{date}\"\ntitle = \"TODO: what failed, in one line\"\nsummary = \"\"\"\nTODO: what happened, from the post-mortem: the trigger, the code that assumed its input was valid,\nand why it failed everywhere at once.\n\"\"\"\nimpact = \"TODO: who was affected, how badly, for how long\"\nsource = \"TODO: link to the post-mortem\"\nrules = [\"{code}\"]\n",
        date = &id[..10]
    )
}
