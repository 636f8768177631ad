//! Compiling a rule's `[fix]`: the `try-operator` kind, or a `template` of the replacement
//! code, whose `$NAME`s are replaced by the source text of the code bound to them.

use serde::Deserialize;
use toml::Spanned;

use super::matcher_vars;
use crate::codex::load::{LoadError, TextFile};
use crate::codex::{Applicability, FixKind, FixSpec, Matcher, TemplatePart};

/// `[fix]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    kind: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
    applicability: Applicability,
    description: Option<String>,
}

/// Compiles the `[fix]` written at `written`, for a rule matching with `matcher`.
pub(crate) fn fix(
    file: &TextFile,
    written: Spanned<FixFile>,
    matcher: &Matcher,
) -> Result<FixSpec, Vec<LoadError>> {
    let span = written.span();
    let fix = written.into_inner();
    let invalid = |span, message: String| vec![LoadError::invalid(file, span, message)];
    let (kind, default) = match (fix.kind, fix.template) {
        (Some(kind), None) => {
            if kind.get_ref() != "try-operator" {
                return Err(invalid(
                    kind.span(),
                    format!(
                        "unknown fix kind `{}`: the one kind is `try-operator`; for other fixes \
                         write a `template`",
                        kind.get_ref()
                    ),
                ));
            }
            if !matches!(matcher, Matcher::Method(_)) {
                return Err(invalid(
                    span,
                    "a `try-operator` fix needs a `method` matcher".to_owned(),
                ));
            }
            (FixKind::TryOperator, "propagate with `?`".to_owned())
        }
        (None, Some(template)) => {
            if !matches!(matcher, Matcher::Pattern(_) | Matcher::Object(_)) {
                return Err(invalid(
                    template.span(),
                    "a `template` fix needs a `pattern` (or a rule object) whose metavariables it \
                     uses"
                        .to_owned(),
                ));
            }
            let parts = parse_template(template.get_ref());
            let vars = matcher_vars(matcher);
            for part in &parts {
                if let TemplatePart::Var(name) = part
                    && !vars.iter().any(|(known, _)| known == name)
                {
                    return Err(invalid(
                        template.span(),
                        format!(
                            "`${name}` in the template is not a metavariable of the rule's \
                                 patterns"
                        ),
                    ));
                }
            }
            let default = format!("replace with `{}`", template.get_ref());
            (FixKind::Template(parts), default)
        }
        (Some(kind), Some(_)) => {
            return Err(invalid(
                kind.span(),
                "a fix has a `kind` or a `template`, not both".to_owned(),
            ));
        }
        (None, None) => {
            return Err(invalid(
                span,
                "a fix needs a `template` (`template = \"$A.char_indices()\"`) or \
                 `kind = \"try-operator\"`"
                    .to_owned(),
            ));
        }
    };
    Ok(FixSpec {
        kind,
        applicability: fix.applicability,
        description: fix.description.unwrap_or(default),
    })
}

/// The parts of a template: text, and `$NAME` / `$...NAME` / `$$$NAME` metavariables.
fn parse_template(template: &str) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        text.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let after = after
            .strip_prefix("...")
            .or_else(|| after.strip_prefix("$$"))
            .unwrap_or(after);
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if len == 0 {
            text.push('$');
            rest = &rest[at + 1..];
            continue;
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(std::mem::take(&mut text)));
        }
        parts.push(TemplatePart::Var(after[..len].to_owned()));
        rest = &after[len..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_metavariables() {
        assert_eq!(
            parse_template("$A.char_indices() + $...REST$"),
            vec![
                TemplatePart::Var("A".to_owned()),
                TemplatePart::Text(".char_indices() + ".to_owned()),
                TemplatePart::Var("REST".to_owned()),
                TemplatePart::Text("$".to_owned()),
            ]
        );
    }
}
