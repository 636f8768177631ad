//! How much a tool may answer. A model's context is small and a hostile repository can hold
//! millions of findings or a rule with a huge doc, so every answer is cut to a size, and says
//! so. The main budget matches what MCP clients accept by default (Claude Code warns past
//! 25,000 tokens, about 100 KB of JSON).

use serde_json::Value;

/// The most bytes of JSON items (diagnostics, rules) one answer carries.
pub(crate) const OUTPUT_BYTES: usize = 96 * 1024;

/// The most bytes of an error's text.
pub(crate) const ERROR_BYTES: usize = 16 * 1024;

/// The most bytes of one example (a rule's fixture file).
pub(crate) const EXAMPLE_BYTES: usize = 8 * 1024;

/// `text`, cut to at most `max` bytes (at a character boundary) with a note saying so.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let kept = text.get(..end).unwrap_or_default();
    format!("{kept}\n… (cut: {end} of {} bytes shown)", text.len())
}

/// The first of `items` whose JSON adds up to at most `max` bytes.
pub(crate) fn fit(items: Vec<Value>, max: usize) -> Vec<Value> {
    let mut used = 0;
    let mut kept = Vec::new();
    for item in items {
        // `Value`'s `Display` writes compact JSON, as it goes on the wire.
        used += item.to_string().len() + 1;
        if used > max {
            break;
        }
        kept.push(item);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_a_character_boundary_and_says_so() {
        assert_eq!(cut("short", 10), "short");
        let cut = cut("ééé", 3);
        assert!(cut.starts_with("é\n"), "{cut}");
        assert!(cut.contains("2 of 6 bytes"), "{cut}");
    }

    #[test]
    fn items_are_kept_while_they_fit() {
        let items = vec![Value::from("aaaa"), Value::from("bbbb"), Value::from("c")];
        // Each string is 6 bytes of JSON, plus a separator.
        assert_eq!(fit(items.clone(), 14).len(), 2);
        assert_eq!(fit(items.clone(), 6).len(), 0);
        assert_eq!(fit(items, 1000).len(), 3);
    }
}
