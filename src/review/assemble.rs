//! Putting a brief together: the check pipeline's findings of the change, the diff's files and
//! hunks, each hunk's enclosing function, the review rules that apply to it, the suppressions
//! and baseline entries the change adds, and the Codex files it touches.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::brief::{
    Brief, FileBrief, FileStatus, Hunk, IncidentBrief, ReviewRuleBrief, Summary, Tool, VERSION,
};
use super::diff::FileDiff;
use super::function::Functions;
use super::selector::{self, Matches};
use super::{BriefRequest, ReviewError, allowances, codex_files, diff};
use crate::codex::{Codex, ReviewRule};
use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::pipeline::{self, BaselinePolicy, FixPolicy, Request};
use crate::select::changes::ChangesError;
use crate::select::checkout::merge_base;
use crate::select::{Changes, Selection};
use crate::source::boundary::{Boundary, normalize, read_regular};
use crate::source::revision::{Origin, Revision};

/// Longest summary of a review rule's doc, in characters.
const SUMMARY: usize = 400;

/// The brief of `request`, before any budget.
pub(super) fn assemble(codex: &Codex, request: &BriefRequest<'_>) -> Result<Brief, ReviewError> {
    let Changes::Since(base) = &request.check.selection.changes else {
        return Err(ReviewError::NoBase);
    };
    let settings = request.check.settings;
    let root = &settings.root;
    let (check, baseline_path) = read_only(&request.check);
    let outcome = pipeline::run(codex, &check)?;
    let merge_base = merge_base(root, base)?;
    let diffs = changed_files(root, base, &request.check.selection)?;
    let base_origin = Revision::open(root, &merge_base)
        .map(Origin::Revision)
        .map_err(|error| ChangesError::Git {
            args: format!("rev-parse {merge_base}"),
            message: error.to_string(),
        })?;
    let codex_changes = codex_files::changes(&diffs, settings, baseline_path.as_deref());
    let baseline = match &baseline_path {
        Some(path) => allowances::baseline(path, root, &base_origin)?,
        None => None,
    };
    let reader = Reader {
        root,
        boundary: Boundary::new(root),
        limit: settings.max_file_size,
        base: &base_origin,
    };
    let review: Vec<&ReviewRule> = codex.review_rules().iter().collect();
    let files = file_briefs(settings, &reader, &review, &diffs, outcome.diagnostics);
    let review_rules = rule_briefs(codex, &review, &files);
    let summary = summarize(
        &files,
        &review_rules,
        baseline.as_ref(),
        codex_changes.len(),
    );
    Ok(Brief {
        version: VERSION,
        tool: Tool::current(),
        base: base.clone(),
        merge_base,
        head: outcome.commit,
        summary,
        codex_changes,
        baseline,
        files,
        review_rules,
        dropped: Vec::new(),
    })
}

/// The check of `request` as a brief runs it (it reads; it never writes fixes or a baseline,
/// and it records the commit), and the baseline it compares with the merge base's.
fn read_only<'a>(request: &Request<'a>) -> (Request<'a>, Option<PathBuf>) {
    let baseline = match &request.baseline {
        BaselinePolicy::Use(path) => Some(path.clone()),
        BaselinePolicy::Configured | BaselinePolicy::Write(_) => request.settings.baseline.clone(),
    };
    let check = Request {
        fix: FixPolicy::Off,
        commit: true,
        baseline: match &request.baseline {
            BaselinePolicy::Write(_) => BaselinePolicy::Configured,
            other => other.clone(),
        },
        ..request.clone()
    };
    (check, baseline)
}

/// The files the change since `base` touches, narrowed to the selection's paths when it names
/// some.
fn changed_files(
    root: &Path,
    base: &str,
    selection: &Selection,
) -> Result<Vec<FileDiff>, ChangesError> {
    let mut diffs = diff::read(root, base)?;
    let wanted: Vec<PathBuf> = selection
        .paths
        .iter()
        .map(|path| normalize(&selection.cwd.join(path)))
        .collect();
    if !wanted.is_empty() {
        diffs.retain(|file| {
            wanted
                .iter()
                .any(|dir| root.join(&file.path).starts_with(dir))
        });
    }
    Ok(diffs)
}

/// Each changed file's brief, and one for each other file with findings of the change, sorted.
fn file_briefs(
    settings: &Settings,
    reader: &Reader<'_>,
    review: &[&ReviewRule],
    diffs: &[FileDiff],
    diagnostics: Vec<Diagnostic>,
) -> Vec<FileBrief> {
    let heads: HashMap<&str, String> = diffs
        .iter()
        .filter(|file| file.status != FileStatus::Deleted && !file.binary && is_rust(&file.path))
        .filter_map(|file| Some((file.path.as_str(), reader.head(&file.path)?)))
        .collect();
    let rust_files: Vec<PathBuf> = heads.keys().map(|path| reader.root.join(path)).collect();
    let matches = if review.iter().any(|rule| rule.selector.code.is_some()) {
        selector::matches(review, &selector::inputs(settings, rust_files), true)
    } else {
        Matches::default()
    };
    let mut findings: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for diagnostic in diagnostics {
        findings
            .entry(diagnostic.path.clone())
            .or_default()
            .push(diagnostic);
    }
    let mut files = Vec::with_capacity(diffs.len());
    for file in diffs {
        let head = heads.get(file.path.as_str()).map(String::as_str);
        let base_text = head
            .filter(|text| text.contains("codex:allow") && file.status == FileStatus::Modified)
            .and_then(|_| reader.base(&file.path));
        let context = FileContext {
            head,
            base: base_text.as_deref(),
            review,
            matches: &matches,
        };
        let found = findings.remove(&file.path).unwrap_or_default();
        files.push(file_brief(file, &context, found));
    }
    // Findings the merge base lacks in files the diff does not touch.
    for (path, found) in findings {
        files.push(FileBrief {
            path,
            status: FileStatus::Unchanged,
            binary: false,
            hunks: Vec::new(),
            findings: found,
            suppressions: Vec::new(),
            hunks_dropped: 0,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Reads the changed files, in the working tree and at the merge base, inside the project.
struct Reader<'a> {
    root: &'a Path,
    boundary: Boundary,
    limit: u64,
    base: &'a Origin,
}

impl Reader<'_> {
    /// The working tree's text of `path`, when it is a regular UTF-8 file inside the project.
    fn head(&self, path: &str) -> Option<String> {
        let file = self.root.join(path);
        self.boundary.admit(&file).ok()?;
        String::from_utf8(read_regular(&file, self.limit).ok()?).ok()
    }

    /// The merge base's text of `path`.
    fn base(&self, path: &str) -> Option<String> {
        let bytes = self
            .base
            .read(&self.root.join(path), &self.boundary, self.limit)
            .ok()??;
        String::from_utf8(bytes).ok()
    }
}

fn is_rust(path: &str) -> bool {
    Path::new(path).extension().is_some_and(|ext| ext == "rs")
}

/// What one file's brief is made from, besides its diff and findings.
struct FileContext<'a> {
    head: Option<&'a str>,
    base: Option<&'a str>,
    review: &'a [&'a ReviewRule],
    matches: &'a Matches,
}

/// One file: its hunks with their functions, findings, review rules and suppressions.
fn file_brief(file: &FileDiff, context: &FileContext<'_>, findings: Vec<Diagnostic>) -> FileBrief {
    let functions = context.head.map(Functions::of).unwrap_or_default();
    let spans: Vec<(usize, usize)> = file
        .hunks
        .iter()
        .map(super::diff::HunkRange::new_span)
        .collect();
    let enclosing = functions.of_hunks(&spans);
    let mut hunks: Vec<Hunk> = file
        .hunks
        .iter()
        .zip(enclosing)
        .map(|(range, function)| {
            let function = (file.status != FileStatus::Deleted)
                .then_some(function)
                .flatten()
                .cloned();
            let mut hunk = Hunk {
                old_start: range.old_start,
                old_lines: range.old_lines,
                new_start: range.new_start,
                new_lines: range.new_lines,
                function,
                findings: Vec::new(),
                review_rules: Vec::new(),
                suppressions: Vec::new(),
            };
            let span = hunk.function.as_ref().map(|f| (f.start_line, f.end_line));
            hunk.review_rules = context
                .review
                .iter()
                .filter(|rule| {
                    !(file.status == FileStatus::Deleted && rule.selector.code.is_some())
                })
                .filter(|rule| selector::applies(rule, &file.path, &hunk, span, context.matches))
                .map(|rule| rule.id.clone())
                .collect();
            hunk
        })
        .collect();
    let mut outside = Vec::new();
    for finding in findings {
        match hunk_at(&mut hunks, finding.start.line) {
            Some(hunk) => hunk.findings.push(finding),
            None => outside.push(finding),
        }
    }
    let mut suppressions = Vec::new();
    if let Some(head) = context.head {
        for change in allowances::suppressions(head, context.base) {
            match hunk_at(&mut hunks, change.line) {
                Some(hunk) => hunk.suppressions.push(change),
                None => suppressions.push(change),
            }
        }
    }
    FileBrief {
        path: file.path.clone(),
        status: file.status,
        binary: file.binary,
        hunks,
        findings: outside,
        suppressions,
        hunks_dropped: 0,
    }
}

/// The hunk whose new lines hold `line` (hunks are sorted and disjoint).
fn hunk_at(hunks: &mut [Hunk], line: usize) -> Option<&mut Hunk> {
    let next = hunks.partition_point(|hunk| hunk.new_end() < line);
    hunks
        .get_mut(next)
        .filter(|hunk| hunk.new_lines > 0 && hunk.new_start <= line)
}

/// The review rules that apply somewhere in `files`, each once.
fn rule_briefs(codex: &Codex, review: &[&ReviewRule], files: &[FileBrief]) -> Vec<ReviewRuleBrief> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for hunk in files.iter().flat_map(|file| &file.hunks) {
        for id in &hunk.review_rules {
            *counts.entry(id.as_str()).or_default() += 1;
        }
    }
    review
        .iter()
        .filter_map(|rule| {
            let hunks = *counts.get(rule.id.as_str())?;
            Some(ReviewRuleBrief {
                id: rule.id.clone(),
                name: rule.name.clone(),
                title: rule.title.clone(),
                check: rule.check.clone(),
                doc: (!rule.doc.trim().is_empty()).then(|| rule.doc.trim().to_owned()),
                summary: summary(&rule.doc).unwrap_or_else(|| rule.title.clone()),
                bad: Some(rule.bad.clone()),
                good: Some(rule.good.clone()),
                incidents: rule
                    .incidents
                    .iter()
                    .filter_map(|id| codex.incident(id))
                    .map(|incident| IncidentBrief {
                        id: incident.id.clone(),
                        date: incident.date.clone(),
                        title: incident.title.clone(),
                        summary: Some(incident.summary.clone()),
                    })
                    .collect(),
                url: rule.url.clone(),
                hunks,
            })
        })
        .collect()
}

/// The first paragraph of a doc that is not a heading or code, on one line, bounded.
pub(crate) fn summary(doc: &str) -> Option<String> {
    let mut paragraph: Vec<&str> = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code || trimmed.starts_with('#') || line.starts_with("    ") {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        if trimmed.is_empty() {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        paragraph.push(trimmed);
    }
    let text = paragraph.join(" ");
    if text.is_empty() {
        return None;
    }
    Some(match text.char_indices().nth(SUMMARY) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    })
}

/// Counts of the whole change.
fn summarize(
    files: &[FileBrief],
    rules: &[ReviewRuleBrief],
    baseline: Option<&super::brief::BaselineChange>,
    codex_changes: usize,
) -> Summary {
    let hunks = files.iter().flat_map(|file| &file.hunks);
    let findings = files.iter().flat_map(|file| {
        file.findings
            .iter()
            .chain(file.hunks.iter().flat_map(|h| &h.findings))
    });
    let suppressions = files
        .iter()
        .map(|file| {
            file.suppressions.len()
                + file
                    .hunks
                    .iter()
                    .map(|h| h.suppressions.len())
                    .sum::<usize>()
        })
        .sum();
    let (findings, enforced, shadow) = findings.fold((0, 0, 0), |(all, enforced, shadow), d| {
        (
            all + 1,
            enforced + usize::from(d.is_enforced()),
            shadow + usize::from(d.stage == crate::codex::Stage::Shadow),
        )
    });
    Summary {
        files: files.len(),
        hunks: hunks.count(),
        findings,
        enforced,
        shadow,
        review_rules: rules.len(),
        suppressions,
        baseline_entries: baseline.map_or(0, |b| b.added.len()),
        codex_changes,
    }
}
