//! Inline suppressions: `// codex:allow(CX0001) <reason>` at the end of a line, or alone on the
//! line before the code it excuses; `// codex:allow-file(CX0001) <reason>` for a whole file.
//!
//! The reason is mandatory. A suppression without one suppresses nothing, and one that names an
//! unknown rule or suppresses nothing is itself reported, so suppressions cannot rot silently.
//! The comment must start with `codex:allow`, so prose that mentions it is not a directive.
//!
//! A suppression may expire: `codex:allow(CX0001, until = 2027-03-31) <reason>` holds through
//! that day (UTC). After it, or when the date is not a `YYYY-MM-DD` day, it suppresses nothing
//! and is reported (CX9006), as clippy reports an `#[expect]` that no longer holds; the key =
//! value form inside the parentheses follows clippy's `#[expect(lint, reason = "…")]`.

use std::collections::HashMap;

use super::date::Date;
use crate::codex::{Builtin, Codex, RuleIndex};
use crate::source::comment::comments_containing;
use crate::text::{Excerpt, LineIndex, Position};

const MARKER: &str = "codex:allow";

/// One suppression comment.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Directive {
    /// Codes or names as written.
    pub codes: Vec<String>,
    /// The `until = …` date as written, if any (checked when applied: it depends on today).
    pub until: Option<String>,
    /// Whether a reason follows the codes.
    pub has_reason: bool,
    /// The reason, as written.
    pub reason: String,
    /// `codex:allow-file`: the whole file.
    pub file_wide: bool,
    /// The line whose findings it covers.
    pub target: usize,
    /// Where the comment is.
    pub start: Position,
    /// End of the comment, exclusive.
    pub end: Position,
    /// The comment's line.
    pub snippet: Excerpt,
    /// The comment could not be read as a directive.
    pub malformed: bool,
}

/// Reads every suppression directive in `text`.
pub(crate) fn parse(text: &str, lines: &LineIndex) -> Vec<Directive> {
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut next_code = NextCodeLine::default();
    comments_containing(text, MARKER)
        .into_iter()
        .filter_map(|comment| {
            let body = text.get(comment.range.clone())?;
            let body = body.trim_start_matches(['/', '*', '!']).trim_start();
            let rest = body.strip_prefix(MARKER)?;
            let (file_wide, rest) = match rest.strip_prefix("-file") {
                Some(rest) => (true, rest),
                None => (false, rest),
            };
            let start = lines.position(text, comment.range.start);
            let end = lines.position(text, comment.range.end);
            let target = if comment.own_line {
                next_code.after(text, lines, end.line)
            } else {
                start.line
            };
            let mut directive = Directive {
                codes: Vec::new(),
                until: None,
                has_reason: false,
                reason: String::new(),
                file_wide,
                target,
                start,
                end,
                snippet: lines.excerpt(text, comment.range.start, comment.range.start),
                malformed: true,
            };
            let Some(inside) = rest.strip_prefix('(') else {
                return Some(directive);
            };
            let Some((codes, reason)) = inside.split_once(')') else {
                return Some(directive);
            };
            for part in codes.split(',') {
                match until_value(part) {
                    // Two dates cannot both hold: keep both, which is no date.
                    Some(date) => match &mut directive.until {
                        Some(first) => {
                            first.push_str(", ");
                            first.push_str(date);
                        }
                        None => directive.until = Some(date.to_owned()),
                    },
                    None => directive
                        .codes
                        .extend(part.split_whitespace().map(str::to_owned)),
                }
            }
            let reason = reason.trim_end().trim_end_matches("*/").trim();
            let reason = reason.trim_start_matches([':', '-', '—']).trim();
            directive.has_reason = !reason.is_empty();
            reason.clone_into(&mut directive.reason);
            directive.malformed = directive.codes.is_empty();
            Some(directive)
        })
        .collect()
}

/// Why `directive` no longer suppresses anything on `today`: its `until` date has passed, or
/// is not a date; `None` when it has no `until` or holds today.
fn expiry(directive: &Directive, today: Date) -> Option<String> {
    let written = directive.until.as_deref()?;
    match Date::parse(written) {
        None => Some(format!(
            "`until = {written}` is not a date, so this suppression suppresses nothing: write \
             `until = YYYY-MM-DD`"
        )),
        Some(until) if until < today => Some(format!(
            "suppression of {} held until {until} and has expired (today is {today}, UTC): what \
             it covered is reported again",
            directive.codes.join(", ")
        )),
        Some(_) => None,
    }
}

/// The date of a `until = DATE` part of a directive's parentheses (trimmed; the whole part
/// after `until` when the `=` is missing, so that it is reported as not a date).
fn until_value(part: &str) -> Option<&str> {
    let rest = part.trim().strip_prefix("until")?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '='])) {
        return None; // a rule named `until-…`
    }
    let rest = rest.trim_start();
    Some(rest.strip_prefix('=').unwrap_or(rest).trim())
}

/// Finds the first line after a given one that holds code (not blank, not only a comment).
/// Directives come in file order, so the search resumes where the last one stopped: a run of
/// thousands of directive lines is read once, not once per directive.
#[derive(Default)]
struct NextCodeLine {
    /// The last answer: (the line searched after, the code line found).
    last: Option<(usize, usize)>,
}

impl NextCodeLine {
    fn after(&mut self, text: &str, lines: &LineIndex, line: usize) -> usize {
        let from = match self.last {
            // Everything between the last search's start and its answer is not code.
            Some((searched, found)) if searched <= line && line < found => found,
            _ => line + 1,
        };
        let found = (from..=lines.line_count())
            .find(|&n| {
                let content = lines.line_text(text, n).trim_start();
                !(content.is_empty()
                    || content.starts_with("//")
                    || content.starts_with("/*")
                    || content.starts_with('*'))
            })
            .unwrap_or(line + 1);
        self.last = Some((line, found));
        found
    }
}

/// A finding as suppressions see it.
pub(crate) trait Suppressible {
    /// The rule that fired.
    fn rule(&self) -> RuleIndex;
    /// The line it is on.
    fn line(&self) -> usize;
    /// The line its statement starts on, when inside one.
    fn statement_line(&self) -> Option<usize>;
}

/// A problem with a suppression comment, to report as a built-in diagnostic.
#[derive(Debug, Clone)]
pub(crate) struct Misuse {
    /// Which built-in rule.
    pub kind: Builtin,
    /// Specific message.
    pub message: String,
    /// Where.
    pub start: Position,
    /// End, exclusive.
    pub end: Position,
    /// The comment's line.
    pub snippet: Excerpt,
}

/// What applying suppressions did.
pub(crate) struct Outcome<F> {
    /// Findings no directive covers.
    pub kept: Vec<F>,
    /// Findings a directive covers, with its reason.
    pub suppressed: Vec<(F, String)>,
    /// Directives that are wrong or unused.
    pub misuses: Vec<Misuse>,
}

/// Separates the findings that directives suppress, and reports directives that are wrong,
/// expired by `today` or unused.
pub(crate) fn apply<F: Suppressible>(
    codex: &Codex,
    directives: &[Directive],
    findings: Vec<F>,
    today: Date,
) -> Outcome<F> {
    let mut misuses = Vec::new();
    let mut active: Vec<(usize, RuleIndex, bool)> = Vec::new();
    for (d, directive) in directives.iter().enumerate() {
        let misuse = |kind, message: String| Misuse {
            kind,
            message,
            start: directive.start,
            end: directive.end,
            snippet: directive.snippet.clone(),
        };
        if directive.malformed {
            misuses.push(misuse(
                Builtin::UnknownRuleInSuppression,
                "malformed suppression: write `codex:allow(CODE) reason`".to_owned(),
            ));
            continue;
        }
        let expired = expiry(directive, today);
        if let Some(message) = &expired {
            misuses.push(misuse(Builtin::ExpiredSuppression, message.clone()));
        }
        let expired = expired.is_some();
        if !directive.has_reason {
            misuses.push(misuse(
                Builtin::SuppressionWithoutReason,
                format!(
                    "suppression of {} gives no reason, so it suppresses nothing",
                    directive.codes.join(", ")
                ),
            ));
        }
        for code in &directive.codes {
            match codex.find(code) {
                Some(rule) if directive.has_reason && !expired => active.push((d, rule, false)),
                Some(_) => {}
                None => misuses.push(misuse(
                    Builtin::UnknownRuleInSuppression,
                    format!("unknown rule `{code}` in suppression"),
                )),
            }
        }
    }
    // Active directives by the line they cover, and file-wide ones, so each finding looks at
    // the few that can cover it.
    let mut by_line: HashMap<(usize, RuleIndex), Vec<usize>> = HashMap::new();
    let mut file_wide: HashMap<RuleIndex, Vec<usize>> = HashMap::new();
    for (a, (d, rule, _)) in active.iter().enumerate() {
        let directive = &directives[*d];
        if directive.file_wide {
            file_wide.entry(*rule).or_default().push(a);
        } else {
            by_line
                .entry((directive.target, *rule))
                .or_default()
                .push(a);
        }
    }
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for finding in findings {
        let rule = finding.rule();
        let mut covering: Vec<usize> = file_wide.get(&rule).cloned().unwrap_or_default();
        covering.extend(by_line.get(&(finding.line(), rule)).into_iter().flatten());
        if let Some(statement) = finding.statement_line().filter(|&s| s != finding.line()) {
            covering.extend(by_line.get(&(statement, rule)).into_iter().flatten());
        }
        covering.sort_unstable();
        let mut reason = None;
        for a in covering {
            if let Some((d, _, used)) = active.get_mut(a) {
                *used = true;
                reason.get_or_insert_with(|| directives[*d].reason.clone());
            }
        }
        match reason {
            Some(reason) => suppressed.push((finding, reason)),
            None => kept.push(finding),
        }
    }
    for (d, rule, used) in &active {
        if !used {
            let directive = &directives[*d];
            let name = codex.rule(*rule).map_or("?", |r| r.id.as_str());
            misuses.push(Misuse {
                kind: Builtin::UnusedSuppression,
                message: format!("suppression of {name} matches no finding"),
                start: directive.start,
                end: directive.end,
                snippet: directive.snippet.clone(),
            });
        }
    }
    Outcome {
        kept,
        suppressed,
        misuses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives(text: &str) -> Vec<Directive> {
        parse(text, &LineIndex::new(text))
    }

    #[test]
    fn reads_codes_reasons_and_targets() {
        let text = "// codex:allow(CX0001, CX0002) checked above\n\n// another comment\nlet x = y.unwrap();\nlet z = w.unwrap(); // codex:allow(CX0001)\n";
        let found = directives(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].codes, ["CX0001", "CX0002"]);
        assert!(found[0].has_reason);
        assert_eq!(found[0].target, 4);
        assert!(!found[1].has_reason);
        assert_eq!(found[1].target, 5);
    }

    #[test]
    fn a_run_of_directive_lines_all_target_the_code_after_it() {
        let text = "// codex:allow(CX0001) r\n".repeat(5_000) + "\n// note\nlet x = y.unwrap();\n";
        let found = directives(&text);
        assert_eq!(found.len(), 5_000);
        assert!(found.iter().all(|d| d.target == 5_003));
        let line = "/* codex:allow(CX0001) r */ ".repeat(5_000);
        let found = directives(&line);
        assert!(found.iter().skip(1).all(|d| d.target == 1));
        assert_eq!(found[0].target, 2, "the first one stands alone on its line");
    }

    #[test]
    fn reads_until_dates_beside_the_codes() {
        let found = directives(
            "// codex:allow(CX0001, until = 2027-03-31) r\n// codex:allow(CX0001 CX0002,until=2027-1-1) r\n// codex:allow(until-x, CX0003) r\n// codex:allow(CX0001, until 2027-03-31, until = 2028-01-01) r\n",
        );
        assert_eq!(found[0].codes, ["CX0001"]);
        assert_eq!(found[0].until.as_deref(), Some("2027-03-31"));
        assert_eq!(found[1].codes, ["CX0001", "CX0002"]);
        assert_eq!(found[1].until.as_deref(), Some("2027-1-1"));
        assert_eq!(found[2].codes, ["until-x", "CX0003"]);
        assert_eq!(found[2].until, None);
        assert_eq!(
            found[3].until.as_deref(),
            Some("2027-03-31, 2028-01-01"),
            "two dates are none"
        );
    }

    #[test]
    fn prose_mentioning_the_marker_is_not_a_directive() {
        assert!(
            directives("/// Write `codex:allow(CX0001) reason` to suppress.\nfn f() {}").is_empty()
        );
        let file = directives("// codex:allow-file(CX0003) generated code\n");
        assert!(file[0].file_wide && file[0].has_reason);
        assert!(directives("// codex:allow CX0001 oops\n")[0].malformed);
    }
}
