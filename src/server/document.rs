//! Open documents: the editor's text of each file, kept in step with its edits, and the file
//! each `file:` URI names.
//!
//! Edits come as ranges in the negotiated encoding ([`super::position`]); each is applied in
//! time linear in the document, and a range that ends before it starts, points past the end or
//! splits a character is clamped to character boundaries rather than refused.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::diagnostics::Checked;
use super::position::{self, Encoding};
use crate::source::boundary::normalize;
use crate::text::LineIndex;

/// The largest document followed, in bytes: edits that would grow one past this stop the
/// server from following it (memory stays bounded whatever the client sends).
pub(crate) const MAX_DOCUMENT: usize = 256 << 20;

/// One open document.
#[derive(Debug)]
pub(crate) struct Document {
    /// The Rust file it is, when its URI names a file and it holds Rust (the editor says so,
    /// or the name ends in `.rs`); only such documents are checked.
    pub path: Option<PathBuf>,
    /// The editor's text.
    pub text: String,
    /// The editor's version of that text.
    pub version: i32,
    /// The findings of the last check of this version, if it was checked.
    pub checked: Option<Checked>,
}

/// A document grew past [`MAX_DOCUMENT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl Document {
    /// A document in `language` (the editor's language id) opened with `text`.
    pub(crate) fn new(uri: &Uri, language: &str, text: String, version: i32) -> Self {
        let is_rust =
            |path: &PathBuf| language == "rust" || path.extension().is_some_and(|ext| ext == "rs");
        Document {
            path: file_path(uri).filter(is_rust),
            text,
            version,
            checked: None,
        }
    }

    /// Applies the edits of one change notification, in order, and takes `version`.
    ///
    /// # Errors
    ///
    /// When the text would grow past [`MAX_DOCUMENT`]; the edits up to that one are applied,
    /// and the caller stops following the document.
    pub(crate) fn apply(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) -> Result<(), TooLarge> {
        // Edits before the last whole-text replacement are overwritten by it.
        let first = changes
            .iter()
            .rposition(|change| change.range.is_none())
            .unwrap_or(0);
        let mut text = std::mem::take(&mut self.text);
        let mut outcome = Ok(());
        for change in changes.into_iter().skip(first) {
            let Some(range) = change.range else {
                if change.text.len() > MAX_DOCUMENT {
                    outcome = Err(TooLarge);
                    break;
                }
                text = change.text;
                continue;
            };
            let lines = LineIndex::new(&text);
            let start = position::offset(&text, &lines, encoding, range.start);
            let end = position::offset(&text, &lines, encoding, range.end);
            let (start, end) = (start.min(end), start.max(end));
            if text.len() - (end - start) + change.text.len() > MAX_DOCUMENT {
                outcome = Err(TooLarge);
                break;
            }
            text.replace_range(start..end, &change.text);
        }
        self.text = text;
        self.version = version;
        self.checked = None;
        outcome
    }
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    /// Opens (or reopens) `uri`.
    pub(crate) fn open(&mut self, uri: Uri, language: &str, text: String, version: i32) {
        let document = Document::new(&uri, language, text, version);
        self.open.insert(uri, document);
    }

    /// Closes `uri`; whether it was open.
    pub(crate) fn close(&mut self, uri: &Uri) -> bool {
        self.open.remove(uri).is_some()
    }

    /// The document at `uri`, if open.
    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// The document at `uri`, if open, to change.
    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// The URIs of every open document.
    pub(crate) fn uris(&self) -> Vec<Uri> {
        self.open.keys().cloned().collect()
    }
}

/// The absolute, normalized path a `file:` URI names; `None` for other schemes, remote hosts
/// and relative paths.
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme()?;
    if !scheme.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    if let Some(authority) = uri.authority() {
        let host = authority.as_str();
        if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
            return None;
        }
    }
    let bytes = uri.path().as_estr().decode().into_bytes();
    let path = path_from_bytes(&bytes)?;
    path.is_absolute().then(|| normalize(&path))
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // Other platforms may refuse the bytes.
fn path_from_bytes(bytes: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> Option<PathBuf> {
    let text = std::str::from_utf8(bytes).ok()?;
    // `file:///C:/x` has the path `/C:/x`.
    let text = match text.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => &text[1..],
        _ => text,
    };
    Some(PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use lsp_types::{Position, Range};

    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range
                .map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_clamp() {
        let uri = Uri::from_str("file:///p/src/lib.rs").unwrap();
        let mut doc = Document::new(&uri, "rust", "fn é() {}\n".to_owned(), 1);
        let edits = vec![
            change(Some(((0, 3), (0, 4))), "f"),
            change(Some(((0, 9), (0, 9))), " // end"),
            // Reversed and past the end: clamped.
            change(Some(((9, 0), (1, 0))), "\nfn g() {}"),
        ];
        doc.apply(edits, 2, Encoding::Utf16).unwrap();
        assert_eq!(doc.text, "fn f() {} // end\n\nfn g() {}");
        assert_eq!(doc.version, 2);
        // A UTF-8 column inside `é` falls on its start.
        let mut doc = Document::new(&uri, "rust", "é\n".to_owned(), 1);
        doc.apply(vec![change(Some(((0, 1), (0, 1))), "x")], 2, Encoding::Utf8)
            .unwrap();
        assert_eq!(doc.text, "xé\n");
        // A whole-text change overrides the edits before it.
        doc.apply(
            vec![
                change(None, "ignored"),
                change(None, "ab"),
                change(Some(((0, 1), (0, 1))), "-"),
            ],
            3,
            Encoding::Utf16,
        )
        .unwrap();
        assert_eq!(doc.text, "a-b");
    }

    #[cfg(unix)]
    #[test]
    fn only_local_file_uris_name_files() {
        let path = |uri: &str| file_path(&Uri::from_str(uri).unwrap());
        assert_eq!(
            path("file:///p/a%20b/lib.rs"),
            Some(PathBuf::from("/p/a b/lib.rs"))
        );
        assert_eq!(
            path("file://localhost/p/x.rs"),
            Some(PathBuf::from("/p/x.rs"))
        );
        assert_eq!(
            path("file:///p/src/../../etc/x.rs"),
            Some(PathBuf::from("/etc/x.rs"))
        );
        assert_eq!(path("untitled:Untitled-1"), None);
        assert_eq!(path("file://server/share/x.rs"), None);
    }
}
