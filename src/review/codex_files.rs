//! Which of the change's files belong to the Codex itself: rule files and their fixtures in
//! the rule folders, incident records, any `codex.toml`, the baseline. A change to them changes
//! what the checks report, so each is flagged for a person to review whatever the checks say.

use std::path::{Path, PathBuf};

use super::brief::{CodexChange, CodexPart};
use super::diff::FileDiff;
use crate::codex::load::display_path;
use crate::config::{FILE_NAME, Settings};

/// The Codex's files among `files`, in their order.
pub(crate) fn changes(
    files: &[FileDiff],
    settings: &Settings,
    baseline: Option<&Path>,
) -> Vec<CodexChange> {
    let root = &settings.root;
    let relative = |dirs: &[PathBuf]| -> Vec<String> {
        dirs.iter()
            .filter(|dir| dir.starts_with(root))
            .map(|dir| display_path(dir, root))
            .collect()
    };
    let rule_dirs = relative(&settings.sources.rule_dirs);
    let incident_dirs = relative(&settings.sources.incident_dirs);
    let config = settings
        .config_file
        .as_deref()
        .filter(|file| file.starts_with(root))
        .map(|file| display_path(file, root));
    let baseline = baseline
        .filter(|file| file.starts_with(root))
        .map(|file| display_path(file, root));
    let under = |dirs: &[String], path: &str| {
        dirs.iter().any(|dir| {
            dir.is_empty()
                || path
                    .strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    files
        .iter()
        .filter_map(|file| {
            let path = file.path.as_str();
            let name = path.rsplit('/').next().unwrap_or(path);
            let toml = Path::new(path)
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"));
            let part = if baseline.as_deref() == Some(path) {
                CodexPart::Baseline
            } else if name == FILE_NAME || config.as_deref() == Some(path) {
                CodexPart::Config
            } else if under(&rule_dirs, path) {
                if toml {
                    CodexPart::Rule
                } else {
                    CodexPart::Fixture
                }
            } else if under(&incident_dirs, path) && toml {
                CodexPart::Incident
            } else {
                return None;
            };
            Some(CodexChange {
                path: file.path.clone(),
                status: file.status,
                part,
                note: note(part).to_owned(),
            })
        })
        .collect()
}

/// What a reviewer should know about a change to `part`.
fn note(part: CodexPart) -> &'static str {
    match part {
        CodexPart::Rule => {
            "a rule decides what the checks report: review it as code (what it matches, its \
             stage, scopes and paths)"
        }
        CodexPart::Fixture => "a rule's fixture: what the rule is tested to report and to pass",
        CodexPart::Incident => "an incident record: the history the rules cite",
        CodexPart::Config => {
            "the Codex's configuration: which rules run, their stages and scopes, the baseline"
        }
        CodexPart::Baseline => {
            "the baseline: findings accepted instead of fixed (the entries added are listed)"
        }
    }
}
