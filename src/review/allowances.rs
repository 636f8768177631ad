//! What the change accepts instead of fixing: the suppression comments (`codex:allow`) it adds
//! or changes, compared with the merge base's copy of each file, and the baseline entries it
//! adds, compared with the merge base's baseline. A reviewer reads each with its reason.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::brief::{BaselineChange, BaselineEntry, ChangeKind, SuppressionChange};
use crate::codex::load::display_path;
use crate::filter::baseline::{BaselineError, MAX_SIZE, SCHEMA};
use crate::filter::suppress::{self, Directive};
use crate::source::boundary::Boundary;
use crate::source::revision::Origin;
use crate::text::LineIndex;

/// Longest reason kept, in characters: a comment may be of any length.
const REASON: usize = 500;

/// The suppressions of `head` (a file's text now) that its merge base copy `base` lacks, or
/// has with other codes, reason or date. Comments that are not directives are left out.
pub(crate) fn suppressions(head: &str, base: Option<&str>) -> Vec<SuppressionChange> {
    let directives = |text: &str| -> Vec<Directive> {
        suppress::parse(text, &LineIndex::new(text))
            .into_iter()
            .filter(|directive| !directive.malformed)
            .collect()
    };
    let now = directives(head);
    if now.is_empty() {
        return Vec::new();
    }
    let before = base.map(directives).unwrap_or_default();
    let mut unmatched: HashMap<Key, usize> = HashMap::new();
    for directive in &before {
        *unmatched.entry(Key::of(directive)).or_default() += 1;
    }
    // Those the merge base has as they are now are not changes.
    let mut fresh = Vec::new();
    for directive in now {
        match unmatched.get_mut(&Key::of(&directive)) {
            Some(count) if *count > 0 => *count -= 1,
            _ => fresh.push(directive),
        }
    }
    // A left-over directive of the merge base with the same codes was changed into one of
    // the fresh ones (its reason or date); the first such is paired with each.
    let mut previous: HashMap<Vec<String>, Vec<&Directive>> = HashMap::new();
    for directive in before.iter().rev() {
        let key = Key::of(directive);
        if let Some(count) = unmatched.get_mut(&key).filter(|count| **count > 0) {
            *count -= 1;
            previous.entry(key.codes).or_default().push(directive);
        }
    }
    fresh
        .into_iter()
        .map(|directive| {
            let paired = previous
                .get_mut(&Key::of(&directive).codes)
                .and_then(Vec::pop);
            SuppressionChange {
                line: directive.start.line,
                target_line: directive.target,
                codes: directive.codes,
                reason: clip(&directive.reason),
                until: directive.until,
                file_wide: directive.file_wide,
                change: if paired.is_some() {
                    ChangeKind::Changed
                } else {
                    ChangeKind::Added
                },
                previous_reason: paired.map(|before| clip(&before.reason)),
            }
        })
        .collect()
}

/// What makes two directives the same suppression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    codes: Vec<String>,
    reason: String,
    until: Option<String>,
    file_wide: bool,
}

impl Key {
    fn of(directive: &Directive) -> Self {
        let mut codes = directive.codes.clone();
        codes.sort();
        Key {
            codes,
            reason: directive.reason.clone(),
            until: directive.until.clone(),
            file_wide: directive.file_wide,
        }
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(REASON) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A baseline as written, with the optional `reason` of each entry.
#[derive(Debug, Deserialize)]
struct File {
    schema: String,
    findings: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    path: String,
    rule: String,
    fingerprint: String,
    #[serde(default)]
    line: usize,
    #[serde(default)]
    snippet: String,
    #[serde(default)]
    reason: Option<String>,
}

/// The entries the working tree's baseline at `path` adds to the merge base's (`base`), and
/// how many it removes; `None` when it is the same.
///
/// # Errors
///
/// When the working tree's baseline exists but cannot be read or is not a baseline. The merge
/// base's is read as empty when it is missing or unreadable: all its entries then count as new.
pub(crate) fn baseline(
    path: &Path,
    root: &Path,
    base: &Origin,
) -> Result<Option<BaselineChange>, BaselineError> {
    let boundary = Boundary::new(root);
    let io = |source: std::io::Error| BaselineError::Io {
        path: path.to_path_buf(),
        source,
    };
    let now = match Origin::WorkTree.read(path, &boundary, MAX_SIZE) {
        Ok(Some(bytes)) => parse(&bytes).map_err(|source| BaselineError::Invalid {
            path: path.to_path_buf(),
            source,
        })?,
        Ok(None) => Vec::new(),
        Err(error) => return Err(io(error.into_io())),
    };
    let before = match base.read(path, &boundary, MAX_SIZE) {
        Ok(Some(bytes)) => parse(&bytes).unwrap_or_default(),
        _ => Vec::new(),
    };
    let key = |e: &Entry| (e.path.clone(), e.rule.clone(), e.fingerprint.clone());
    let known: BTreeSet<_> = before.iter().map(key).collect();
    let kept: BTreeSet<_> = now.iter().map(key).collect();
    let removed = known.difference(&kept).count();
    let mut seen = BTreeSet::new();
    let added: Vec<BaselineEntry> = now
        .into_iter()
        .filter(|entry| !known.contains(&key(entry)) && seen.insert(key(entry)))
        .map(|entry| BaselineEntry {
            path: entry.path,
            rule: entry.rule,
            fingerprint: entry.fingerprint,
            line: entry.line,
            snippet: entry.snippet,
            reason: entry.reason.map(|reason| clip(&reason)),
        })
        .collect();
    if added.is_empty() && removed == 0 {
        return Ok(None);
    }
    Ok(Some(BaselineChange {
        path: display_path(path, root),
        added,
        removed,
    }))
}

/// The entries of a baseline file; one of another schema holds none this version can compare.
fn parse(bytes: &[u8]) -> Result<Vec<Entry>, serde_json::Error> {
    let file: File = serde_json::from_slice(bytes)?;
    Ok(validate_schema(file))
}

/// The entries of `file` when it is of this version's schema, else none.
fn validate_schema(file: File) -> Vec<Entry> {
    if file.schema == SCHEMA {
        file.findings
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_and_changed_suppressions_are_listed() {
        let base = "fn f() {\n    a.unwrap(); // codex:allow(CX0001) checked above\n    b.unwrap(); // codex:allow(CX0001) old reason\n}\n";
        let head = "fn f() {\n    a.unwrap(); // codex:allow(CX0001) checked above\n    b.unwrap(); // codex:allow(CX0001) new reason\n    // codex:allow(CX0002, until = 2030-01-01) migration\n    c.expect(\"x\");\n}\n";
        let changes = suppressions(head, Some(base));
        let shape: Vec<(usize, usize, ChangeKind, &str, Option<&str>)> = changes
            .iter()
            .map(|c| {
                (
                    c.line,
                    c.target_line,
                    c.change,
                    c.reason.as_str(),
                    c.previous_reason.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (3, 3, ChangeKind::Changed, "new reason", Some("old reason")),
                (4, 5, ChangeKind::Added, "migration", None),
            ]
        );
        assert_eq!(changes[1].until.as_deref(), Some("2030-01-01"));
        assert!(suppressions(base, Some(base)).is_empty());
        assert_eq!(suppressions(base, None).len(), 2);
    }
}
