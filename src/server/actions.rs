//! Code actions on a document's findings: a finding's suggested fix, a `codex:allow` comment
//! above the finding's line, and every safe fix of the document at once.
//!
//! Fixes are offered only when the document with the fix applied still parses (the check
//! `--fix` makes), and display-only fixes are never offered as edits. The inserted
//! `// codex:allow(CODE)` comment carries no reason: the reason is mandatory and only the
//! developer can give it, so until they write it after the comment, the suppression is itself
//! reported and suppresses nothing.

use std::collections::{HashMap, HashSet};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics::{Checked, Finding};
use super::position::{self, Encoding};
use crate::codex::{Applicability, Codex, Matcher};
use crate::fix;
use crate::text::LineIndex;

/// The kind of the action that applies every safe fix of a document.
pub(crate) const FIX_ALL: &str = "source.fixAll.cargo-codex";

/// Most findings offered quick fixes in one request: a range over a whole generated file
/// would otherwise re-parse the document once per finding.
const MAX_FINDINGS: usize = 64;

/// What a code action request is about.
pub(crate) struct Request<'a> {
    /// The document.
    pub uri: &'a Uri,
    /// Its text, as checked.
    pub text: &'a str,
    /// Its findings.
    pub checked: &'a Checked,
    /// The rules that found them.
    pub codex: &'a Codex,
    /// The range the editor asks about.
    pub range: Range,
    /// The kinds of action the editor wants, if it says.
    pub only: Option<&'a [CodeActionKind]>,
    /// How columns are counted.
    pub encoding: Encoding,
}

/// The code actions for `request`.
pub(crate) fn actions(request: &Request<'_>) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX, request.only) {
        let here: Vec<&Finding> = request
            .checked
            .findings
            .iter()
            .filter(|f| overlaps(f.lsp.range, request.range))
            .take(MAX_FINDINGS)
            .collect();
        out.extend(here.iter().filter_map(|f| fix_action(request, f)));
        let lines = LineIndex::new(request.text);
        let mut allowed = HashSet::new();
        for finding in here {
            let d = &finding.diagnostic;
            if is_suppressible(request.codex, &d.rule) && allowed.insert((&d.rule, d.start.line)) {
                out.push(allow_action(request, &lines, finding));
            }
        }
    }
    if wanted(&CodeActionKind::from(FIX_ALL), request.only) {
        out.extend(fix_all_action(request));
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// Whether `kind` is among the `only` kinds (a kind covers its sub-kinds: `source` covers
/// `source.fixAll.cargo-codex`).
fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|asked| {
            let (asked, kind) = (asked.as_str(), kind.as_str());
            kind == asked || kind.starts_with(&format!("{asked}."))
        })
    })
}

/// Whether two ranges share a position (touching counts: the cursor at a finding's end is on
/// it).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Whether findings of the rule `code` can be suppressed by a comment: the tool's own findings
/// about a file (unreadable, unparsable, a misused suppression) cannot.
fn is_suppressible(codex: &Codex, code: &str) -> bool {
    codex
        .find(code)
        .and_then(|index| codex.rule(index))
        .is_some_and(|rule| !matches!(rule.matcher, Matcher::Builtin(_)))
}

/// An edit of the request's document.
fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// The finding's fix, when it has one that may be applied and the result still parses.
fn fix_action(request: &Request<'_>, finding: &Finding) -> Option<CodeAction> {
    let d = &finding.diagnostic;
    let fix = d.fix.as_ref()?;
    let range = finding.fix_range?;
    let safe = match fix.applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => false,
        Applicability::DisplayOnly => return None,
    };
    fix::fixed_text(request.text, &[fix]).ok()?;
    let caution = if safe { "" } else { " (unsafe: review it)" };
    Some(CodeAction {
        title: format!("{}: {}{caution}", d.rule, fix.description),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![finding.lsp.clone()]),
        edit: Some(edit(
            request.uri,
            vec![TextEdit::new(range, fix.replacement.clone())],
        )),
        is_preferred: Some(safe),
        ..CodeAction::default()
    })
}

/// A `// codex:allow(CODE)` line above the finding's line, indented as it is.
fn allow_action(request: &Request<'_>, lines: &LineIndex, finding: &Finding) -> CodeAction {
    let d = &finding.diagnostic;
    let line_range = lines.line_range(request.text, d.start.line);
    let line = request.text.get(line_range.clone()).unwrap_or("");
    let indent = line
        .get(..line.len() - line.trim_start().len())
        .unwrap_or("");
    let newline = if request
        .text
        .get(line_range.end..)
        .is_some_and(|rest| rest.starts_with('\r'))
    {
        "\r\n"
    } else {
        "\n"
    };
    let at = Position::new(finding.lsp.range.start.line, 0);
    CodeAction {
        title: format!(
            "{}: allow it here with `// codex:allow({})`, then write why",
            d.rule, d.rule
        ),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![finding.lsp.clone()]),
        edit: Some(edit(
            request.uri,
            vec![TextEdit::new(
                Range::new(at, at),
                format!("{indent}// codex:allow({}){newline}", d.rule),
            )],
        )),
        is_preferred: Some(false),
        ..CodeAction::default()
    }
}

/// Every safe fix of the document, applied together, when there is one and the result parses.
fn fix_all_action(request: &Request<'_>) -> Option<CodeAction> {
    let safe: Vec<&crate::diagnostic::Fix> = request
        .checked
        .findings
        .iter()
        .filter_map(|f| f.diagnostic.fix.as_ref())
        .filter(|fix| fix.applicability == Applicability::Safe)
        .collect();
    if safe.is_empty() {
        return None;
    }
    let (fixed, count) = fix::fixed_text(request.text, &safe).ok()?;
    let lines = LineIndex::new(request.text);
    let end = position::end_of(request.text, &lines, request.encoding);
    Some(CodeAction {
        title: format!("cargo-codex: apply {count} safe fixes"),
        kind: Some(CodeActionKind::from(FIX_ALL)),
        edit: Some(edit(
            request.uri,
            vec![TextEdit::new(Range::new(Position::new(0, 0), end), fixed)],
        )),
        ..CodeAction::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_cover_their_sub_kinds() {
        let fix_all = CodeActionKind::from(FIX_ALL);
        assert!(wanted(&fix_all, None));
        assert!(wanted(&fix_all, Some(&[CodeActionKind::SOURCE])));
        assert!(wanted(&fix_all, Some(&[CodeActionKind::SOURCE_FIX_ALL])));
        assert!(!wanted(&fix_all, Some(&[CodeActionKind::QUICKFIX])));
        assert!(!wanted(
            &CodeActionKind::QUICKFIX,
            Some(&[CodeActionKind::from("quick")])
        ));
    }
}
