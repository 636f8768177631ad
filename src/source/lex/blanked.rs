//! Token trees for some items of a file, made by lexing a copy of the file in which every other
//! byte is blank: `proc_macro2` reads only those items, and their spans are the file's offsets.

use std::ops::Range;

use proc_macro2::{TokenStream, TokenTree};

use super::outline::Item;

/// Lexes `source` with every byte outside `items`, and every byte left out of them, turned
/// into a space, and hands each item its top-level trees. `None` if that does not give each
/// item as many trees as it has top-level tokens.
pub(super) fn lex_blanked(
    source: &str,
    items: &[(&Item, &[Range<usize>])],
) -> Option<Vec<Vec<TokenTree>>> {
    let end = items.iter().map(|(item, _)| item.range.end).max()?;
    let mut kept = vec![false; end];
    for (item, left_out) in items {
        kept.get_mut(item.range.clone())?.fill(true);
        for range in *left_out {
            kept.get_mut(range.clone())?.fill(false);
        }
    }
    let mut blanked = source.as_bytes().get(..end)?.to_vec();
    let mut at = 0;
    while at < end {
        let len = kept
            .get(at..)?
            .iter()
            .take_while(|&&k| k == kept[at])
            .count();
        if !kept[at] {
            // A gap: spaces, inside a comment when there is room for one, which the lexer
            // skips far faster than spaces one by one.
            // (Not after a `/`: `//*` would start a line comment.)
            let after_slash = at.checked_sub(1).and_then(|i| blanked.get(i)) == Some(&b'/');
            let gap = blanked.get_mut(at..at + len)?;
            gap.fill(b' ');
            if len >= 4 && !after_slash {
                gap[..2].copy_from_slice(b"/*");
                gap[len - 2..].copy_from_slice(b"*/");
            }
        }
        at += len;
    }
    // Items and what is left out of them start and end at token boundaries, so the copy is
    // valid UTF-8.
    let blanked = String::from_utf8(blanked).ok()?;
    let stream: TokenStream = blanked.parse().ok()?;
    let mut trees = stream.into_iter();
    // Items may be given in any order: proc_macro2 returns them in file order.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| items.get(i).map(|(item, _)| item.range.start));
    let mut out = vec![Vec::new(); items.len()];
    for &index in &order {
        let count = items.get(index)?.0.top.len();
        let taken: Vec<TokenTree> = trees.by_ref().take(count).collect();
        if taken.len() != count {
            return None;
        }
        *out.get_mut(index)? = taken;
    }
    trees.next().is_none().then_some(out)
}
