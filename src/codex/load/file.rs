//! A Codex file (rule, incident record, `codex.toml`) kept in memory, and the errors about it,
//! each located by byte span so that it can be drawn with a caret.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::text::LineIndex;

/// A configuration or rule file kept in memory, so errors about it can quote it.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Path as shown to the user.
    pub path: String,
    /// Its whole text.
    pub text: Arc<str>,
    /// Its lines, indexed once for all the errors about it (a file with thousands of errors
    /// must not be indexed once per error).
    lines: Arc<OnceLock<LineIndex>>,
}

impl TextFile {
    /// Wraps a text read from `path`.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        TextFile {
            path: path.into(),
            text: text.into(),
            lines: Arc::default(),
        }
    }

    /// The position of byte `offset`.
    pub fn position(&self, offset: usize) -> crate::text::Position {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .position(&self.text, offset)
    }
}

/// Why the Codex or the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or folder that could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A file whose content is wrong, at a known place.
    #[error("{}", Located(.file, .span, .message))]
    Invalid {
        /// The file.
        file: TextFile,
        /// Byte range of the offending text.
        span: Range<usize>,
        /// What is wrong, and how to fix it.
        message: String,
    },
}

/// Something in a rule file or `codex.toml` that loads but does not do what it says.
#[derive(Debug, Clone)]
pub struct LoadWarning {
    /// The file.
    pub file: TextFile,
    /// Byte range of the text it is about.
    pub span: Range<usize>,
    /// What has no effect, and what to write instead.
    pub message: String,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Located(&self.file, &self.span, &self.message).fmt(f)
    }
}

struct Located<'a>(&'a TextFile, &'a Range<usize>, &'a String);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Located(file, span, message) = self;
        let position = file.position(span.start);
        write!(
            f,
            "{}:{}:{}: {message}",
            file.path, position.line, position.column
        )
    }
}

impl LoadError {
    /// An error about `span` of `file`.
    pub fn invalid(file: &TextFile, span: Range<usize>, message: impl Into<String>) -> Self {
        LoadError::Invalid {
            file: file.clone(),
            span,
            message: message.into(),
        }
    }

    /// Turns a TOML syntax or shape error into a located error, in the words of a TOML file:
    /// a value where a list is expected says so and shows the list to write.
    pub fn from_toml(file: &TextFile, error: &toml::de::Error) -> Self {
        let span = error.span().unwrap_or(0..0);
        let message = toml_message(file, span.clone(), error.message());
        LoadError::invalid(file, span, message)
    }
}

/// A TOML error's `message` about `span` of `file`, in the words of a TOML file: a value where
/// a list is expected says so and shows the list to write.
pub(crate) fn toml_message(file: &TextFile, span: Range<usize>, message: &str) -> String {
    let message = message.trim_end();
    match message.strip_prefix("invalid type: ") {
        Some(found) if found.ends_with(", expected a sequence") => {
            let found = found.trim_end_matches(", expected a sequence");
            expected_list(file.text.get(span).unwrap_or(""), found)
        }
        _ => message.to_owned(),
    }
}

/// The error for `written` (a `found` value: `string "x"`) where a list is expected: the list
/// holding it, when it is short enough to show.
fn expected_list(written: &str, found: &str) -> String {
    let written = written.trim();
    if written.is_empty() || written.len() > 80 || written.contains('\n') {
        return format!(
            "expected a list, found {found}: put the values in brackets, like `[\"a\", \"b\"]`"
        );
    }
    format!("expected a list, found {found}: write `[{written}]`")
}

/// The bytes of a Codex file as text; a file that is not UTF-8 is an error at its first
/// invalid byte.
///
/// # Errors
///
/// When `bytes` is not UTF-8.
pub(crate) fn text_file(path: String, bytes: Vec<u8>) -> Result<TextFile, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(TextFile::new(path, text)),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            // The invalid byte shows as U+FFFD, three bytes long, at the same offset.
            let file = TextFile::new(path, String::from_utf8_lossy(error.as_bytes()));
            Err(LoadError::invalid(
                &file,
                offset..offset + '\u{FFFD}'.len_utf8(),
                "not valid UTF-8: save the file as UTF-8",
            ))
        }
    }
}

/// `path` relative to `root` with `/` separators when it is inside it.
pub(crate) fn display_path(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        // Outside the root: shown as given, with `/` separators.
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}
