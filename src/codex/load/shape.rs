//! Every mistake in the shape of a rule file or incident record at once. Deserializing stops at
//! the first wrong field; when it fails, each top-level entry is deserialized again alone (and
//! each entry of a table that holds a mistake), from the same parsed document, so every wrong
//! type and unknown key is reported where it is written. The required keys missing are named
//! together in one error.
//!
//! An entry read alone lacks the file's other required keys: those errors are about the table
//! holding it (their place is the table's), and are left out.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer};

use super::{LoadError, TextFile};

/// How deep tables are searched entry by entry (a rule's `[match]` and its inline tables).
const DEPTH: usize = 3;

/// A key every file of a kind must have, and what to say when it is missing.
pub(super) struct Required {
    /// The key.
    pub(super) key: &'static str,
    /// What to write, shown after the list of missing keys when this one is missing.
    pub(super) hint: Option<&'static str>,
}

/// Every shape error of `file`, which failed to deserialize as `T` with `first`: each wrong
/// entry's own error, and the `required` keys it lacks. Only `first` when the file is not TOML.
pub(super) fn errors<T: DeserializeOwned>(
    file: &TextFile,
    first: &toml::de::Error,
    required: &[Required],
) -> Vec<LoadError> {
    let Ok(root) = DeTable::parse(&file.text) else {
        return vec![LoadError::from_toml(file, first)];
    };
    let mut found: Vec<toml::de::Error> = Vec::new();
    let outer = root.span();
    entries::<T>(root.get_ref(), &[outer], &at_top, 0, &mut found);
    let mut errors: Vec<(usize, LoadError)> = found
        .iter()
        .map(|error| {
            let start = error.span().map_or(0, |span| span.start);
            (start, LoadError::from_toml(file, error))
        })
        .collect();
    let missing: Vec<&Required> = required
        .iter()
        .filter(|field| !root.get_ref().contains_key(field.key))
        .collect();
    if !missing.is_empty() {
        errors.push((0, missing_error(file, &missing)));
    }
    if errors.is_empty() {
        return vec![LoadError::from_toml(file, first)];
    }
    errors.sort_by_key(|(start, _)| *start);
    errors.into_iter().map(|(_, error)| error).collect()
}

/// A table of top-level entries is placed as it is.
fn at_top(table: Spanned<DeTable<'_>>) -> Spanned<DeTable<'_>> {
    table
}

/// One error naming every missing key, with what to write for each that needs saying.
fn missing_error(file: &TextFile, missing: &[&Required]) -> LoadError {
    let keys: Vec<String> = missing
        .iter()
        .map(|field| format!("`{}`", field.key))
        .collect();
    let noun = if keys.len() == 1 { "field" } else { "fields" };
    let mut message = format!("missing {noun} {}", keys.join(", "));
    for hint in missing.iter().filter_map(|field| field.hint) {
        message.push_str("; ");
        message.push_str(hint);
    }
    LoadError::invalid(file, 0..0, message)
}

/// Deserializes each entry of `table` alone as `T`, placed where `wrap` puts it in the
/// document; records the errors about the entry, and looks inside a table entry whose error
/// is about something in it. `ancestors` are the spans of the tables around the entry: errors
/// placed there are about keys missing from them, which reading one entry alone causes.
fn entries<'a, T: DeserializeOwned>(
    table: &DeTable<'a>,
    ancestors: &[Range<usize>],
    wrap: &dyn Fn(Spanned<DeTable<'a>>) -> Spanned<DeTable<'a>>,
    depth: usize,
    found: &mut Vec<toml::de::Error>,
) {
    let Some(parent) = ancestors.last().cloned() else {
        return;
    };
    for (key, value) in table {
        let mut alone = DeTable::new();
        alone.insert(key.clone(), value.clone());
        let Err(error) = T::deserialize(Deserializer::from(wrap(Spanned::new(
            parent.clone(),
            alone,
        )))) else {
            continue;
        };
        let span = error.span().unwrap_or_default();
        if ancestors.contains(&span) {
            continue;
        }
        let inner = match value.get_ref() {
            DeValue::Table(inner)
                if depth < DEPTH && span != value.span() && span != key.span() =>
            {
                inner
            }
            _ => {
                found.push(error);
                continue;
            }
        };
        let before = found.len();
        let mut deeper = ancestors.to_vec();
        deeper.push(value.span());
        let (key, value_span, parent) = (key.clone(), value.span(), parent.clone());
        let rewrap = move |table: Spanned<DeTable<'a>>| {
            let mut outer = DeTable::new();
            outer.insert(
                key.clone(),
                Spanned::new(value_span.clone(), DeValue::Table(table.into_inner())),
            );
            wrap(Spanned::new(parent.clone(), outer))
        };
        entries::<T>(inner, &deeper, &rewrap, depth + 1, found);
        if found.len() == before {
            found.push(error);
        }
    }
}
