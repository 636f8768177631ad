//! Every mistake in a `codex.toml` at once. Deserializing stops at the first wrong field; when
//! it fails, the file is read again key by key, so that each wrong type, unknown key and bad
//! `[rules.X]` table is reported with its own location, as rule files are.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::options::{Options, RuleOptions};
use crate::codex::load::{LoadError, TextFile, toml_message};

/// Only the `[rules]` tables, with the span of each.
#[derive(Deserialize)]
struct RulesOnly {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

/// Every error in `file`, which failed to deserialize with `first`: `first` itself, and those
/// about other places. Only `first` when the file does not even parse as TOML.
pub(super) fn all(file: &TextFile, first: &toml::de::Error) -> Vec<LoadError> {
    let Ok(top) = toml::from_str::<BTreeMap<Spanned<String>, Spanned<toml::Value>>>(&file.text)
    else {
        return vec![LoadError::from_toml(file, first)];
    };
    let mut errors = check_keys(file, top);
    if let Ok(section) = toml::from_str::<RulesOnly>(&file.text) {
        errors.extend(check_rule_tables(file, section));
    }
    // The first error as deserializing found it is the most precise; those found by reading
    // again are added where they are about other places.
    // Reading a `[rules.X]` table again knows only the table's place, so the same mistake is
    // recognised by its message.
    let at = first.span().map_or(0, |span| span.start);
    let said = first.message().trim_end();
    errors.retain(|(_, error)| match error {
        LoadError::Invalid { span, message, .. } => {
            let covers = span.start <= at && at < span.end.max(span.start + 1);
            !covers && !message.ends_with(said)
        }
        LoadError::Read { .. } => true,
    });
    errors.push((at, LoadError::from_toml(file, first)));
    // In the order they stand in the file.
    errors.sort_by_key(|(start, _)| *start);
    errors.into_iter().map(|(_, error)| error).collect()
}

/// Each top-level key: known, and of the right type, as `codex.toml`'s own options read it
/// alone (the `[rules.X]` tables are checked one by one, below).
fn check_keys(
    file: &TextFile,
    top: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
) -> Vec<(usize, LoadError)> {
    let mut errors = Vec::new();
    for (key, value) in top {
        let name = key.get_ref().clone();
        let span = value.span();
        let value = match value.into_inner() {
            toml::Value::Table(_) if name == "rules" => toml::Value::Table(toml::Table::new()),
            other => other,
        };
        let alone = toml::Table::from_iter([(name.clone(), value)]);
        if let Err(error) = reread::<Options>(&alone) {
            let message = error.message().trim_end();
            if message.starts_with("unknown field") {
                errors.push((
                    key.span().start,
                    LoadError::invalid(file, key.span(), message),
                ));
            } else {
                let message = format!("`{name}`: {}", toml_message(file, span.clone(), message));
                errors.push((span.start, LoadError::invalid(file, span, message)));
            }
        }
    }
    errors
}

/// Each `[rules.X]` table: only known keys, of the right types.
fn check_rule_tables(file: &TextFile, section: RulesOnly) -> Vec<(usize, LoadError)> {
    let mut errors = Vec::new();
    for (code, table) in section.rules {
        let span = table.span();
        let Some(table) = table.into_inner().as_table().cloned() else {
            errors.push((
                span.start,
                LoadError::invalid(
                    file,
                    span.clone(),
                    format!("`rules.{}` must be a table of settings", code.get_ref()),
                ),
            ));
            continue;
        };
        if let Err(error) = reread::<RuleOptions>(&table) {
            let message = format!(
                "`[rules.{}]`: {}",
                code.get_ref(),
                error.message().trim_end()
            );
            errors.push((span.start, LoadError::invalid(file, span, message)));
        }
    }

    errors
}

/// Reads `table` again as `T`, through its TOML text: positions (`Spanned`) exist only when
/// reading text, not a value already read.
fn reread<T: serde::de::DeserializeOwned>(table: &toml::Table) -> Result<T, toml::de::Error> {
    let text = toml::to_string(table).unwrap_or_default();
    // codex:allow(CX0004) only the error is read: the caller reports it and drops the value
    toml::from_str(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrong_key_is_reported_with_its_place() {
        // Right values that keep their place (`rule_dirs`, `scopes`) are not mistaken for wrong.
        let text = "default_rules = \"yes\"\nmax_file_size = -1\ncolour = true\nrule_dirs = [\"r\"]\n\n[rules.CX0001]\nstage = \"loud\"\nscopes = [\"prod\"]\n\n[rules.CX0002]\nenabled = 3\n";
        let file = TextFile::new("codex.toml", text);
        let first = toml::from_str::<super::super::Options>(text).unwrap_err();
        let errors: Vec<String> = all(&file, &first).iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert!(
            errors[0].starts_with("codex.toml:1:17: `default_rules`"),
            "{errors:#?}"
        );
        assert!(
            errors[1].starts_with("codex.toml:2:17: `max_file_size`"),
            "{errors:#?}"
        );
        assert!(
            errors[2].starts_with("codex.toml:3:1: unknown field `colour`"),
            "{errors:#?}"
        );
        assert!(errors[3].contains("`[rules.CX0001]`") && errors[3].contains("loud"));
        assert!(errors[4].contains("`[rules.CX0002]`"));
    }
}
