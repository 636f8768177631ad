//! After every file is checked: the module tree places each file (its crate root, module
//! path, test-only modules, clippy levels), which gives each finding its scope and item path;
//! rules' reach and clippy `allow`s apply, then suppression comments; the rest become sorted
//! diagnostics with fingerprints.

use super::file::{Checked, Located, Problem};
use super::{Inputs, Run};
use crate::codex::load::display_path;
use crate::codex::{Builtin, Codex, Scope};
use crate::diagnostic::{self, Diagnostic, Location, Summary};
use crate::filter::date::Date;
use crate::filter::suppress::{self, Suppressible};
use crate::source::{self, tree};
use crate::text::{Excerpt, Position};

/// The run of `checked` (one per file of `inputs.files`), placed in the module tree that
/// `context` (one per file of `inputs.context`) completes.
pub(super) fn finish(
    codex: &Codex,
    inputs: &Inputs,
    checked: Vec<Checked>,
    context: &[Checked],
) -> Run {
    let relative: Vec<String> = inputs
        .files
        .iter()
        .chain(&inputs.context)
        .map(|path| display_path(path, &inputs.root))
        .collect();
    let facts: Vec<(&str, &source::lex::ModuleFacts)> = relative
        .iter()
        .map(String::as_str)
        .zip(checked.iter().chain(context).map(|c| &c.facts))
        .collect();
    let placements = tree::place(&facts);
    let unparsed = checked.iter().filter(|c| c.is_unparsed()).count() + inputs.walk_errors.len();
    let mut diagnostics = Vec::new();
    let mut suppressed = Vec::new();
    let mut sink = Sink {
        reported: &mut diagnostics,
        suppressed: &mut suppressed,
    };
    let today = inputs.today.unwrap_or_else(Date::today_utc);
    for ((file, path), placement) in checked.into_iter().zip(&relative).zip(&placements) {
        // A file has the scope of the crate it is compiled in: where its root stands.
        let root = relative
            .get(placement.crate_root)
            .map_or(path.as_str(), String::as_str);
        let base = source::path_scope(root);
        finish_file(codex, file, path, base, placement, today, &mut sink);
    }
    if let Some(rule) = codex
        .builtin(Builtin::UnreadableSource)
        .and_then(|i| codex.rule(i))
    {
        for (path, reason) in &inputs.walk_errors {
            let location = Location {
                path: display_path(path, &inputs.root),
                start: Position { line: 1, column: 1 },
                end: Position { line: 1, column: 1 },
                snippet: Excerpt::default(),
                item: None,
                scope: Scope::Prod,
            };
            diagnostics.push(Diagnostic::new(rule, location, Some(reason.clone())));
        }
    }
    diagnostic::sort(&mut diagnostics);
    diagnostic::assign_fingerprints(&mut diagnostics);
    suppressed.sort_by(|a, b| diagnostic::order(&a.diagnostic, &b.diagnostic));
    let mut excused: Vec<Diagnostic> = suppressed.iter().map(|s| s.diagnostic.clone()).collect();
    diagnostic::assign_fingerprints(&mut excused);
    for (entry, fingerprinted) in suppressed.iter_mut().zip(excused) {
        entry.diagnostic.fingerprint = fingerprinted.fingerprint;
    }
    let summary = Summary::of(&diagnostics, inputs.files.len(), unparsed);
    Run {
        diagnostics,
        summary,
        suppressed,
    }
}

struct Placed {
    finding: Located,
    scope: Scope,
    item: Option<String>,
}

impl Suppressible for Placed {
    fn rule(&self) -> usize {
        self.finding.rule
    }
    fn line(&self) -> usize {
        self.finding.start.line
    }
    fn statement_line(&self) -> Option<usize> {
        self.finding.statement_line
    }
}

/// Where a file's findings go: reported, or excused with a justification.
struct Sink<'a> {
    reported: &'a mut Vec<Diagnostic>,
    suppressed: &'a mut Vec<diagnostic::Suppressed>,
}

fn finish_file(
    codex: &Codex,
    file: Checked,
    path: &str,
    base: Scope,
    placement: &tree::Placement,
    today: Date,
    sink: &mut Sink<'_>,
) {
    let file_scope = if placement.test_only && base != Scope::Test {
        Scope::Test
    } else {
        base
    };
    let mut candidates = Vec::new();
    for finding in file.findings {
        let Some(rule) = codex.rule(finding.rule) else {
            continue;
        };
        let scope = match file_scope {
            Scope::Test => Scope::Test,
            _ if finding.test => Scope::Test,
            _ if finding.bench => Scope::Bench,
            other => other,
        };
        let mut item_path = placement.module_path.clone();
        item_path.extend(finding.item.iter().cloned());
        let item = (!item_path.is_empty()).then(|| item_path.join("::"));
        let function = finding
            .function
            .as_deref()
            .map(|name| (name, item.as_deref().unwrap_or(name)));
        let in_reach = rule.applies_to(scope)
            && rule.narrowing.admits_path(path)
            && rule.narrowing.admits_function(function);
        if !in_reach {
            continue;
        }
        // The attributes inside the file's items are nearer than the file's and its modules'.
        let silenced_by = finding
            .clippy
            .silenced_by(&placement.allows)
            .map(ToString::to_string);
        let placed = Placed {
            finding,
            scope,
            item,
        };
        if let Some(attribute) = silenced_by {
            let diagnostic = to_diagnostic(codex, placed, path);
            sink.suppressed
                .extend(diagnostic.map(|diagnostic| diagnostic::Suppressed {
                    diagnostic,
                    justification: attribute,
                }));
        } else {
            candidates.push(placed);
        }
    }
    let outcome = suppress::apply(codex, &file.directives, candidates, today);
    sink.reported.extend(
        outcome
            .kept
            .into_iter()
            .filter_map(|placed| to_diagnostic(codex, placed, path)),
    );
    for (placed, justification) in outcome.suppressed {
        if let Some(diagnostic) = to_diagnostic(codex, placed, path) {
            sink.suppressed.push(diagnostic::Suppressed {
                diagnostic,
                justification,
            });
        }
    }
    let misuses = outcome.misuses;
    let out = &mut *sink.reported;
    let problems = file
        .problems
        .into_iter()
        .chain(misuses.into_iter().map(|m| Problem {
            kind: m.kind,
            message: m.message,
            start: m.start,
            end: m.end,
            snippet: m.snippet,
        }));
    for problem in problems {
        let Some(rule) = codex.builtin(problem.kind).and_then(|i| codex.rule(i)) else {
            continue;
        };
        let location = Location {
            path: path.to_owned(),
            start: problem.start,
            end: problem.end,
            snippet: problem.snippet,
            item: None,
            scope: file_scope,
        };
        out.push(Diagnostic::new(rule, location, Some(problem.message)));
    }
}

/// The diagnostic of a placed finding; a second label for a related location.
fn to_diagnostic(codex: &Codex, placed: Placed, path: &str) -> Option<Diagnostic> {
    let rule = codex.rule(placed.finding.rule)?;
    let related = placed.finding.related.clone();
    let message = related.as_ref().map(|(used, _)| {
        format!(
            "{}; first used unvalidated at line {}, column {}",
            rule.message, used.line, used.column
        )
    });
    let location = Location {
        path: path.to_owned(),
        start: placed.finding.start,
        end: placed.finding.end,
        snippet: placed.finding.snippet,
        item: placed.item,
        scope: placed.scope,
    };
    let mut diagnostic = Diagnostic::new(rule, location, message);
    diagnostic.fix =
        placed
            .finding
            .fix
            .zip(rule.fix.as_ref())
            .map(|((start, end, replacement), spec)| diagnostic::Fix {
                applicability: spec.applicability,
                description: spec.description.clone(),
                start,
                end,
                replacement,
            });
    diagnostic.related = related.map(|(start, snippet)| diagnostic::Related {
        start,
        snippet,
        message: "first used here, before any validation".to_owned(),
    });
    Some(diagnostic)
}
