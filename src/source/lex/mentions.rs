//! What a file's text says before it is lexed: whether it may declare a module at all, or one
//! that leads to given files. Cheap necessary conditions: a file that fails them is not lexed
//! for its declarations, one that passes only costs a lexing.

use std::collections::HashSet;
use std::hash::BuildHasher;

/// Whether `text` may declare a module: it holds the word `mod`. A file without it has no
/// `mod` declaration for the module tree, so a file read only for its declarations need not be
/// lexed. Occurrences in comments or strings only cost a lexing.
pub(super) fn may_declare_modules(text: &str) -> bool {
    words(text, "mod").next().is_some()
}

/// Whether `text` may declare a module named one of `names`, or one at a `#[path]`: it holds
/// `mod` followed by one of them (or by a comment, or a name outside ASCII), or `path = "` (or
/// a comment in between).
/// A file that does not can only declare other modules, so where the files whose folders and
/// stems are `names` stand in the module tree does not depend on it.
pub fn may_declare_any<S: BuildHasher>(text: &str, names: &HashSet<String, S>) -> bool {
    let bytes = text.as_bytes();
    let after = |at: usize| {
        let rest = bytes.get(at..).unwrap_or_default();
        let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        rest.get(blank..).unwrap_or_default()
    };
    let declares = words(text, "mod").any(|at| {
        let next = after(at + 3);
        let next = next.strip_prefix(b"r#").unwrap_or(next);
        let len = next
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        match next.get(..len) {
            // A comment, or a name that is not ASCII.
            Some([]) | None => next.first().is_some_and(|&b| b == b'/' || !b.is_ascii()),
            Some(name) => std::str::from_utf8(name).is_ok_and(|name| names.contains(name)),
        }
    });
    let path_attribute = |at: usize| match after(at + 4) {
        [b'/', ..] => true,
        [b'=', rest @ ..] => {
            // `path = "…"` (or a raw string, or a comment in between).
            let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            matches!(rest.get(blank), Some(b'"' | b'r' | b'/'))
        }
        _ => false,
    };
    declares || words(text, "path").any(path_attribute)
}

/// The folders and file stems on `paths` (relative, `/`-separated): the names a module
/// declaration that leads to one of them may give ([`may_declare_any`]).
pub fn path_names<'a>(paths: impl Iterator<Item = &'a str>) -> HashSet<String> {
    paths
        .flat_map(|path| path.split('/'))
        .map(|part| part.strip_suffix(".rs").unwrap_or(part).to_owned())
        .collect()
}

/// Offsets of `word` in `text` where it stands whole (not inside an identifier).
fn words<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(bytes, word.as_bytes()).filter(move |&at| {
        let before = at.checked_sub(1).and_then(|j| bytes.get(j)).copied();
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_mod_is_looked_for_whole() {
        assert!(may_declare_modules("#[cfg(test)]\nmod tests;"));
        assert!(may_declare_modules("x!{mod a;}"));
        assert!(!may_declare_modules("use model::module; // modify"));
        assert!(!may_declare_modules(""));
    }

    #[test]
    fn a_file_matters_to_a_module_path_when_it_may_declare_part_of_it() {
        let names: HashSet<String> = ["sync", "mpsc", "chan"].map(str::to_owned).into();
        for text in [
            "pub mod sync;",
            "cfg_rt! { pub(crate) mod   mpsc; }",
            "mod r#chan;",
            "mod /* why */ chan;",
            "mod é;",
            "#[path = \"x.rs\"] mod other;",
            "#[cfg_attr(unix, path /* */ = \"x.rs\")] mod other;",
        ] {
            assert!(may_declare_any(text, &names), "{text}");
        }
        for text in [
            "mod other; mod tests { use super::*; }",
            "fn f(path: &Path) -> bool { let path = path.join(x); path == other }",
            "mod synchronous;",
            "",
        ] {
            assert!(!may_declare_any(text, &names), "{text}");
        }
    }
}
