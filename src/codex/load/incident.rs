//! Incident records: what happened, read from `codex/<id>.toml`, whose file name is the id.

use serde::Deserialize;
use toml::Spanned;

use super::shape::{self, Required};
use super::{LoadError, TextFile, stem};
use crate::codex::Incident;

/// An incident record as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentFile {
    id: Option<Spanned<String>>,
    date: String,
    title: String,
    summary: String,
    impact: Option<String>,
    source: Option<String>,
    #[serde(default)]
    rules: Vec<String>,
}

/// The keys an incident record must have.
const REQUIRED: &[Required] = &[
    Required {
        key: "date",
        hint: None,
    },
    Required {
        key: "title",
        hint: None,
    },
    Required {
        key: "summary",
        hint: None,
    },
];

/// The incident record `file`.
pub(super) fn parse(file: &TextFile) -> Result<Incident, Vec<LoadError>> {
    let raw: IncidentFile = toml::from_str(&file.text)
        .map_err(|first| shape::errors::<IncidentFile>(file, &first, REQUIRED))?;
    validate_incident(file, &raw).map_err(|error| vec![error])?;
    let id = stem(&file.path).to_owned();
    let mut summary = raw.summary.trim().to_owned();
    if let Some(impact) = raw.impact {
        summary.push_str("\n\nImpact: ");
        summary.push_str(impact.trim());
    }
    Ok(Incident {
        id,
        date: raw.date,
        title: raw.title,
        summary,
        source: raw.source,
        rules: raw.rules,
        origin: file.path.clone(),
        file: None,
    })
}

/// An incident's `id`, when written, must be its file name.
fn validate_incident(file: &TextFile, raw: &IncidentFile) -> Result<(), LoadError> {
    let id = stem(&file.path);
    match &raw.id {
        Some(written) if written.get_ref() != id => Err(LoadError::invalid(
            file,
            written.span(),
            format!(
                "incident id `{}` must equal the file name `{id}`",
                written.get_ref()
            ),
        )),
        _ => Ok(()),
    }
}
