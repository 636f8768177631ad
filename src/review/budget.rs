//! Fitting a brief into a size budget, so that it stays inside a model's context: the least
//! relevant parts go first, and each drop is recorded in the brief ([`Dropped`]).
//!
//! In order: the review rules' full docs (their summaries stay), their bad and good examples,
//! the incidents' summaries (their titles stay), the functions' signatures (their names and
//! lines stay), hunks with nothing to say, files left with nothing to say, the review rules'
//! checks past their first 300 characters, then whole files,
//! those with only review rules before those with findings or suppressions (and the review
//! rules only they cite); last, the lists of
//! baseline entries and Codex changes are cut (their counts stay in the summary). Counts in
//! [`super::brief::Summary`] always describe the whole change.

use super::brief::{Brief, Dropped, FileBrief};

/// Bytes kept for the notes of what was dropped.
const SLACK: usize = 1024;

/// Leaves out of `brief` what it takes for `measure(brief)` to be at most `limit`, least
/// relevant first, and says so in `brief.dropped`. Returns whether it fits.
pub fn fit(brief: &mut Brief, limit: usize, measure: &dyn Fn(&Brief) -> usize) -> bool {
    if measure(brief) <= limit {
        return true;
    }
    let full = limit;
    // Room for the notes of what is dropped, which are added after each measure.
    let limit = limit.saturating_sub(SLACK);
    let steps: [fn(&mut Brief) -> Option<Dropped>; 7] = [
        drop_docs,
        drop_examples,
        drop_incident_summaries,
        drop_signatures,
        drop_quiet_hunks,
        drop_quiet_files,
        cut_checks,
    ];
    for step in steps {
        if measure(brief) <= limit {
            return true;
        }
        if let Some(dropped) = step(brief) {
            brief.dropped.push(dropped);
        }
    }
    if measure(brief) <= full {
        return true;
    }
    drop_files(brief, limit, measure);
    if measure(brief) <= full {
        return true;
    }
    cut_lists(brief);
    measure(brief) <= full
}

fn drop_docs(brief: &mut Brief) -> Option<Dropped> {
    let count = brief
        .review_rules
        .iter_mut()
        .filter_map(|rule| rule.doc.take())
        .count();
    (count > 0).then(|| Dropped {
        part: "docs",
        count,
        note: "review rules' docs (summaries kept; `cargo codex explain CODE`)".to_owned(),
    })
}

fn drop_examples(brief: &mut Brief) -> Option<Dropped> {
    let mut count = 0;
    for rule in &mut brief.review_rules {
        count += usize::from(rule.bad.take().is_some()) + usize::from(rule.good.take().is_some());
    }
    (count > 0).then(|| Dropped {
        part: "examples",
        count,
        note: "review rules' bad and good examples".to_owned(),
    })
}

fn drop_incident_summaries(brief: &mut Brief) -> Option<Dropped> {
    let count = brief
        .review_rules
        .iter_mut()
        .flat_map(|rule| rule.incidents.iter_mut())
        .filter_map(|incident| incident.summary.take())
        .count();
    (count > 0).then(|| Dropped {
        part: "incident-summaries",
        count,
        note: "incidents' summaries (titles kept)".to_owned(),
    })
}

fn drop_signatures(brief: &mut Brief) -> Option<Dropped> {
    let count = brief
        .files
        .iter_mut()
        .flat_map(|file| file.hunks.iter_mut())
        .filter_map(|hunk| hunk.function.as_mut()?.signature.take())
        .count();
    (count > 0).then(|| Dropped {
        part: "signatures",
        count,
        note: "functions' signatures (names and lines kept)".to_owned(),
    })
}

fn drop_quiet_hunks(brief: &mut Brief) -> Option<Dropped> {
    let mut count = 0;
    for file in &mut brief.files {
        let before = file.hunks.len();
        file.hunks.retain(|hunk| !hunk.is_quiet());
        let dropped = before - file.hunks.len();
        file.hunks_dropped += dropped;
        count += dropped;
    }
    (count > 0).then(|| Dropped {
        part: "quiet-hunks",
        count,
        note: "hunks with nothing to say (counted in `hunks_dropped`)".to_owned(),
    })
}

/// Longest check kept once checks are cut, in characters.
const CHECK: usize = 300;

fn cut_checks(brief: &mut Brief) -> Option<Dropped> {
    let mut count = 0;
    for rule in &mut brief.review_rules {
        if let Some((at, _)) = rule.check.char_indices().nth(CHECK) {
            rule.check.truncate(at);
            rule.check.push('…');
            count += 1;
        }
    }
    (count > 0).then(|| Dropped {
        part: "checks",
        count,
        note: format!(
            "review rules' checks past {CHECK} characters (`cargo codex explain CODE` shows them)"
        ),
    })
}

/// Whether a file has nothing left to say.
fn is_quiet(file: &FileBrief) -> bool {
    file.hunks.is_empty() && file.findings.is_empty() && file.suppressions.is_empty()
}

fn drop_quiet_files(brief: &mut Brief) -> Option<Dropped> {
    let before = brief.files.len();
    brief.files.retain(|file| !is_quiet(file));
    let count = before - brief.files.len();
    (count > 0).then(|| Dropped {
        part: "quiet-files",
        count,
        note: "files with nothing to say".to_owned(),
    })
}

/// How much a file matters to a reviewer: findings and suppressions over review rules alone.
fn relevance(file: &FileBrief) -> usize {
    let findings = !file.findings.is_empty()
        || !file.suppressions.is_empty()
        || file
            .hunks
            .iter()
            .any(|hunk| !hunk.findings.is_empty() || !hunk.suppressions.is_empty());
    usize::from(findings)
}

/// Drops whole files, least relevant and last in path order first, until the brief fits or no
/// file is left. Each file's share of the size is measured once; the brief is measured again
/// after each batch, so the loop ends after a few batches.
fn drop_files(brief: &mut Brief, limit: usize, measure: &dyn Fn(&Brief) -> usize) {
    // Each file's share is measured in a brief holding nothing else, so that measuring every
    // file costs their total size, whatever the size of the rest.
    let mut skeleton = brief.clone_header();
    let empty = measure(&skeleton);
    // (relevance, path, share of the size), dropped from the end: the most relevant stay,
    // and among equals the first paths.
    let mut order: Vec<(usize, String, usize)> = Vec::with_capacity(brief.files.len());
    for file in &brief.files {
        skeleton.files = vec![file.clone()];
        let share = measure(&skeleton).saturating_sub(empty).max(1);
        order.push((relevance(file), file.path.clone(), share));
    }
    order.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut count = 0;
    let mut unused = 0;
    loop {
        let size = measure(brief);
        if size <= limit || order.is_empty() {
            break;
        }
        let mut excess = size - limit;
        // A file's share leaves out the review rules it alone cites, so a batch stops before
        // the file that would cover the rest of the excess: measuring again may show it fits.
        let mut gone = std::collections::HashSet::new();
        while let Some((_, _, share)) = order.last() {
            if !gone.is_empty() && *share >= excess {
                break;
            }
            let share = *share;
            if let Some((_, path, _)) = order.pop() {
                gone.insert(path);
            }
            if share >= excess {
                break;
            }
            excess -= share;
        }
        count += gone.len();
        brief.files.retain(|file| !gone.contains(&file.path));
        // The review rules only those files cited go with them.
        unused += drop_unused_rules(brief);
    }
    if unused > 0 {
        brief.dropped.push(Dropped {
            part: "review-rules",
            count: unused,
            note: "review rules of those files only".to_owned(),
        });
    }
    if count > 0 {
        brief.dropped.push(Dropped {
            part: "files",
            count,
            note: "whole files, those without findings or suppressions first (`--budget none` \
                   shows them)"
                .to_owned(),
        });
    }
}

/// Drops the review rules no hunk left in the brief cites; returns how many.
fn drop_unused_rules(brief: &mut Brief) -> usize {
    let cited: std::collections::HashSet<String> = brief
        .files
        .iter()
        .flat_map(|file| &file.hunks)
        .flat_map(|hunk| hunk.review_rules.iter().cloned())
        .collect();
    let before = brief.review_rules.len();
    brief
        .review_rules
        .retain(|rule| cited.contains(rule.id.as_str()));
    before - brief.review_rules.len()
}

/// Cuts the baseline entries and Codex changes to their first few, as a last resort.
fn cut_lists(brief: &mut Brief) {
    const KEEP: usize = 20;
    if let Some(baseline) = &mut brief.baseline {
        if baseline.added.len() > KEEP {
            let count = baseline.added.len() - KEEP;
            baseline.added.truncate(KEEP);
            brief.dropped.push(Dropped {
                part: "baseline-entries",
                count,
                note: format!("baseline entries added, past the first {KEEP}"),
            });
        }
    }
    if brief.codex_changes.len() > KEEP {
        let count = brief.codex_changes.len() - KEEP;
        brief.codex_changes.truncate(KEEP);
        brief.dropped.push(Dropped {
            part: "codex-changes",
            count,
            note: format!("changed Codex files, past the first {KEEP}"),
        });
    }
}
