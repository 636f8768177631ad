//! Function paths a rule names (`std::process::exit`, `serde_json::from_*`, `*::serve`,
//! `Type.method`), and how a resolved call path is matched against them.

use super::triggers::Needle;

/// A function path a `call` rule matches: `std::process::exit`, `serde_json::from_*` (a `*` in
/// a segment matches any characters), `*::serve` (any path ending so), or a single name such as
/// `run_forever`, which matches that function whatever its path.
///
/// `Type.method` (`pingora::server::Server.run_forever`) names a method called on a value of a
/// type: it matches a method call `x.run_forever()` in a file that imports that type (by name,
/// alias or glob), and the fully qualified call `Server::run_forever(x)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    pub(super) any_prefix: bool,
    pub(super) segments: Vec<String>,
    method: bool,
}

impl PathPattern {
    /// Parses a pattern.
    ///
    /// # Errors
    ///
    /// An empty segment, a character that cannot be in a path, or a last segment that is only `*`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim_start_matches("::");
        let (path, method) = match trimmed.rsplit_once('.') {
            Some((owner, name)) if !owner.is_empty() => (format!("{owner}::{name}"), true),
            Some(_) => {
                return Err(
                    "a method needs its type before the dot, like `Server.run_forever`".to_owned(),
                );
            }
            None => (trimmed.to_owned(), false),
        };
        if method && path.contains('.') {
            return Err("only one `.` may separate the type from the method".to_owned());
        }
        let mut segments: Vec<String> = path.split("::").map(str::to_owned).collect();
        let any_prefix = segments.len() > 1 && segments.first().is_some_and(|s| s == "*");
        if any_prefix {
            segments.remove(0);
        }
        for segment in &segments {
            if segment.is_empty() {
                return Err("a segment is empty".to_owned());
            }
            if !segment
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '*')
            {
                return Err(format!("`{segment}` is not a path segment"));
            }
        }
        if segments
            .last()
            .is_none_or(|last| last.chars().all(|c| c == '*'))
        {
            return Err(
                "the last segment must name the function, like `exit` or `from_*`".to_owned(),
            );
        }
        if method && segments.len() < 2 {
            return Err(
                "a method needs its type before the dot, like `Server.run_forever`".to_owned(),
            );
        }
        Ok(PathPattern {
            any_prefix,
            segments,
            method,
        })
    }

    /// Whether it names a method of a type (`Server.run_forever`).
    pub fn is_method(&self) -> bool {
        self.method
    }

    /// For a method pattern, its method name pattern and whether the resolved type path `ty`
    /// (`pingora::prelude::Server`) is the type it names.
    pub fn method_of(&self) -> Option<(&str, TypePattern<'_>)> {
        let (name, owner) = self.segments.split_last()?;
        self.method.then_some((
            name.as_str(),
            TypePattern {
                any_prefix: self.any_prefix,
                segments: owner,
            },
        ))
    }

    /// Whether the name `name` can be this pattern's last segment.
    pub fn last_matches(&self, name: &str) -> bool {
        self.segments
            .last()
            .is_some_and(|last| wildcard(last, name))
    }

    /// Whether the resolved path `path` (segments, without a leading `::`) matches.
    pub fn matches(&self, path: &[String]) -> bool {
        if self.segments.len() == 1 && !self.any_prefix {
            return path
                .last()
                .is_some_and(|last| wildcard(&self.segments[0], last));
        }
        ends_with(&self.segments, self.any_prefix, path)
    }

    /// The literal text any match must contain, for the word search, and whether it must start
    /// and end on word boundaries. A path that names its crate (`serde_yaml::from_*`) also needs
    /// that word somewhere in the file: a call reaches the crate only through a path or a `use`
    /// that spells it. A pattern with any prefix (`*::Server::bind`) uses its longest segment.
    pub(super) fn needle(&self) -> Needle {
        let literal = |segment: &str| {
            let longest = segment
                .split('*')
                .max_by_key(|piece| piece.len())
                .unwrap_or(segment)
                .to_owned();
            Needle {
                word_start: segment.starts_with(&longest),
                word_end: segment.ends_with(&longest),
                text: longest,
                file_word: None,
            }
        };
        if self.any_prefix {
            return self
                .segments
                .iter()
                .map(|segment| literal(segment))
                .max_by_key(|needle| needle.text.len())
                .unwrap_or_else(|| literal(""));
        }
        let mut needle = literal(self.segments.last().map_or("", String::as_str));
        if self.segments.len() > 1 {
            needle.file_word = self
                .segments
                .first()
                .filter(|first| {
                    !first.contains('*') && !matches!(first.as_str(), "crate" | "self" | "super")
                })
                .cloned();
        }
        needle
    }
}

impl std::fmt::Display for PathPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.any_prefix {
            f.write_str("*::")?;
        }
        match (self.method, self.segments.split_last()) {
            (true, Some((name, owner))) => write!(f, "{}.{name}", owner.join("::")),
            _ => f.write_str(&self.segments.join("::")),
        }
    }
}

/// The type part of a method pattern (`pingora::server::Server` of
/// `pingora::server::Server.run_forever`).
#[derive(Debug, Clone, Copy)]
pub struct TypePattern<'a> {
    pub(super) any_prefix: bool,
    pub(super) segments: &'a [String],
}

impl TypePattern<'_> {
    /// The type's own name, the last segment (`Server`).
    pub fn name(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }

    /// Whether the resolved path `path` is this type.
    pub fn matches(&self, path: &[String]) -> bool {
        ends_with(self.segments, self.any_prefix, path)
    }
}

/// Whether `path` ends with `segments` (each a `*` wildcard), exactly or, with `any_prefix`,
/// after any number of leading segments.
fn ends_with(segments: &[String], any_prefix: bool, path: &[String]) -> bool {
    let fits = if any_prefix {
        path.len() >= segments.len()
    } else {
        path.len() == segments.len()
    };
    fits && segments
        .iter()
        .rev()
        .zip(path.iter().rev())
        .all(|(pattern, segment)| wildcard(pattern, segment))
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}
