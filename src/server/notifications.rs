//! Notifications: the editor's documents opened, changed, saved and closed, and files changed
//! on disk (which may reload the rules or change the module tree).

use std::io;
use std::path::PathBuf;

use lsp_server::{Request, RequestId};
use lsp_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    MessageType, Registration, RegistrationParams, Uri,
};
use serde_json::Value;

use super::document::{MAX_DOCUMENT, file_path};
use super::session::{Failure, Session, parse};

impl Session {
    /// Handles a notification; the outer error is a bad notification, logged and dropped.
    pub(super) fn notify(
        &mut self,
        method: &str,
        params: Value,
    ) -> Result<io::Result<()>, Failure> {
        match method {
            "initialized" => return Ok(self.register_watchers()),
            "textDocument/didOpen" => {
                let params: DidOpenTextDocumentParams = parse(params)?;
                let document = params.text_document;
                self.dirty.insert(document.uri.clone());
                self.documents.open(
                    document.uri,
                    &document.language_id,
                    document.text,
                    document.version,
                );
            }
            "textDocument/didChange" => {
                let params: DidChangeTextDocumentParams = parse(params)?;
                let uri = params.text_document.uri;
                let version = params.text_document.version;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return Ok(Ok(()));
                };
                if document
                    .apply(params.content_changes, version, self.encoding)
                    .is_err()
                {
                    return Ok(self.drop_document(&uri));
                }
                self.dirty.insert(uri);
            }
            "textDocument/didClose" => {
                let params: DidCloseTextDocumentParams = parse(params)?;
                let uri = params.text_document.uri;
                self.dirty.remove(&uri);
                if self.documents.close(&uri) {
                    return Ok(self.publish_empty(uri, None));
                }
            }
            "textDocument/didSave" => {
                let params: DidSaveTextDocumentParams = parse(params)?;
                let saved = file_path(&params.text_document.uri);
                self.files_changed(saved.as_slice());
            }
            "workspace/didChangeWatchedFiles" => {
                let params: DidChangeWatchedFilesParams = parse(params)?;
                let paths: Vec<PathBuf> = params
                    .changes
                    .iter()
                    .filter_map(|change| file_path(&change.uri))
                    .collect();
                self.files_changed(&paths);
            }
            // `$/cancelRequest`, `$/setTrace` and the rest: nothing to do.
            _ => {}
        }
        Ok(Ok(()))
    }

    /// Files changed on disk: a Codex file reloads the rules; a Rust file may change the
    /// module tree. Either way the open documents are checked again.
    fn files_changed(&mut self, paths: &[PathBuf]) {
        let codex = paths.iter().any(|path| self.workspace.is_codex_file(path));
        let rust = paths
            .iter()
            .any(|path| path.extension().is_some_and(|ext| ext == "rs"));
        if codex {
            self.workspace.reload();
        }
        if codex || rust {
            self.dirty.extend(self.documents.uris());
        }
    }

    /// Asks the client to report changes to `*.toml` and `*.rs` files, when it can.
    fn register_watchers(&mut self) -> io::Result<()> {
        if !self.can_watch {
            return Ok(());
        }
        let glob = |pattern: &str| FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern.to_owned()),
            kind: None,
        };
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![glob("**/*.toml"), glob("**/*.rs")],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "cargo-codex-watch".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = Request::new(
            RequestId::from("cargo-codex-watch".to_owned()),
            "client/registerCapability".to_owned(),
            params,
        );
        self.out.send(request)
    }

    /// Stops following a document that grew too large.
    fn drop_document(&mut self, uri: &Uri) -> io::Result<()> {
        self.documents.close(uri);
        self.dirty.remove(uri);
        self.show(
            MessageType::WARNING,
            format!(
                "cargo-codex: {} grew past {} MiB; it is no longer checked (close and reopen it)",
                uri.as_str(),
                MAX_DOCUMENT >> 20
            ),
        )?;
        self.publish_empty(uri.clone(), None)
    }
}
