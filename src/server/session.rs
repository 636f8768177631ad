//! The protocol loop: the lifecycle (`initialize`, `shutdown`, `exit`), each message handed to
//! its handler, and diagnostics published for the documents whose text changed.
//!
//! Messages are handled one at a time, in order. A document is checked when no message is
//! waiting, so a burst of keystrokes is one check of the last text, not one per keystroke;
//! a request about a document that changed is answered after checking it. A handler that
//! panics answers its request with an internal error and the loop goes on.

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::TryRecvError;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    HoverParams, InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams,
    Registration, RegistrationParams, ServerInfo, ShowMessageParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::actions::{self, Request as ActionRequest};
use super::diagnostics::{self, Checked};
use super::document::{Document, Documents, file_path};
use super::position::Encoding;
use super::transport::{self, Incoming, Writer};
use super::workspace::{Project, Workspace};
use super::{capabilities, hover};
use crate::config::Flags;

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `exit` after `shutdown`.
    Clean,
    /// `exit` without `shutdown`, or the client went away.
    WithoutShutdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
}

/// A request that cannot be answered: the error code and message.
type Failure = (ErrorCode, String);

/// What a request handler answers.
type Answer = Result<Value, Failure>;

struct Session {
    out: Writer,
    state: State,
    encoding: Encoding,
    flags: Flags,
    cwd: PathBuf,
    documents: Documents,
    workspace: Workspace,
    /// Open documents whose text or project changed since they were last checked.
    dirty: HashSet<Uri>,
    /// Whether the client lets the server register file watchers.
    can_watch: bool,
}

/// Serves the protocol on `input` and `output` until `exit` or the end of the input.
///
/// # Errors
///
/// When the output fails (the client went away) or the reader cannot be started.
pub(crate) fn run(
    input: impl Read + Send + 'static,
    output: Box<dyn Write>,
    flags: &Flags,
    cwd: &Path,
) -> io::Result<Exit> {
    let receiver = transport::spawn_reader(input)?;
    let mut session = Session {
        out: Writer::new(output),
        state: State::Uninitialized,
        encoding: Encoding::Utf16,
        flags: flags.clone(),
        cwd: cwd.to_path_buf(),
        documents: Documents::default(),
        workspace: Workspace::new(flags.clone(), vec![cwd.to_path_buf()]),
        dirty: HashSet::new(),
        can_watch: false,
    };
    loop {
        let incoming = if session.dirty.is_empty() {
            match receiver.recv() {
                Ok(incoming) => incoming,
                Err(_) => return Ok(Exit::WithoutShutdown),
            }
        } else {
            match receiver.try_recv() {
                Ok(incoming) => incoming,
                Err(TryRecvError::Empty) => {
                    session.publish_dirty()?;
                    continue;
                }
                Err(TryRecvError::Disconnected) => return Ok(Exit::WithoutShutdown),
            }
        };
        if let Some(exit) = session.handle(incoming)? {
            return Ok(exit);
        }
    }
}

impl Session {
    fn handle(&mut self, incoming: Incoming) -> io::Result<Option<Exit>> {
        match incoming {
            Incoming::Invalid { id, code, message } => {
                self.out.send_error(id, code, &message)?;
                Ok(None)
            }
            Incoming::Message(Message::Request(request)) => {
                self.request(request)?;
                Ok(None)
            }
            Incoming::Message(Message::Notification(notification)) => {
                self.notification(notification)
            }
            // Answers to the server's own requests (registering watchers) need nothing.
            Incoming::Message(Message::Response(_)) => Ok(None),
        }
    }

    fn request(&mut self, request: Request) -> io::Result<()> {
        let Request { id, method, params } = request;
        let answer = match (self.state, method.as_str()) {
            (State::Uninitialized, "initialize") => self.initialize(params),
            (State::Uninitialized, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".to_owned(),
            )),
            (_, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_owned(),
            )),
            (State::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_owned(),
            )),
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                Ok(Value::Null)
            }
            (State::Running, _) => {
                match panic::catch_unwind(AssertUnwindSafe(|| self.answer(&method, params))) {
                    Ok(answer) => answer,
                    Err(_) => Err((
                        ErrorCode::InternalError,
                        format!("internal error while answering {method}; please report it"),
                    )),
                }
            }
        };
        self.respond(id, answer)
    }

    fn respond(&mut self, id: RequestId, answer: Answer) -> io::Result<()> {
        let response = match answer {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.out.send(response)
    }

    fn initialize(&mut self, params: Value) -> Answer {
        let params: InitializeParams = parse(params)?;
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref());
        self.encoding = Encoding::negotiate(offered);
        self.can_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files)
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        #[allow(deprecated)] // `rootUri` is how clients without workspace folders say it.
        let root_uri = params.root_uri;
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .into_iter()
            .flatten()
            .filter_map(|folder| file_path(&folder.uri))
            .chain(root_uri.as_ref().and_then(file_path))
            .collect();
        if folders.is_empty() {
            folders.push(self.cwd.clone());
        }
        self.workspace = Workspace::new(self.flags.clone(), folders);
        self.state = State::Running;
        let result = InitializeResult {
            capabilities: capabilities(self.encoding),
            server_info: Some(ServerInfo {
                name: "cargo-codex".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        to_value(&result)
    }

    /// Answers a request of the running server.
    fn answer(&mut self, method: &str, params: Value) -> Answer {
        match method {
            "textDocument/codeAction" => {
                let params: CodeActionParams = parse(params)?;
                self.code_actions(&params)
            }
            "textDocument/hover" => {
                let params: HoverParams = parse(params)?;
                let at = params.text_document_position_params;
                let uri = at.text_document.uri;
                let encoding = self.encoding;
                let Some((project, document)) = self.checked(&uri)? else {
                    return Ok(Value::Null);
                };
                let empty = Checked::default();
                let checked = document.checked.as_ref().unwrap_or(&empty);
                let found = hover::hover(
                    &project.codex,
                    checked,
                    &document.text,
                    at.position,
                    encoding,
                );
                to_value(&found)
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("cargo-codex does not handle {method}"),
            )),
        }
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Answer {
        let uri = &params.text_document.uri;
        let encoding = self.encoding;
        let Some((project, document)) = self.checked(uri)? else {
            return Ok(Value::Array(Vec::new()));
        };
        let empty = Checked::default();
        let request = ActionRequest {
            uri,
            text: &document.text,
            checked: document.checked.as_ref().unwrap_or(&empty),
            codex: &project.codex,
            range: params.range,
            only: params.context.only.as_deref(),
            encoding,
        };
        to_value(&actions::actions(&request))
    }

    /// The project and the up-to-date checked document at `uri`; `None` when it is not open
    /// or not checked.
    fn checked(&mut self, uri: &Uri) -> Result<Option<(Arc<Project>, &Document)>, Failure> {
        if self.dirty.remove(uri) {
            self.publish(uri)
                .map_err(|error| (ErrorCode::InternalError, error.to_string()))?;
        }
        let Some(path) = self.documents.get(uri).and_then(|d| d.path.clone()) else {
            return Ok(None);
        };
        let Ok(project) = self.workspace.project_for(&path) else {
            return Ok(None);
        };
        Ok(self.documents.get(uri).map(|document| (project, document)))
    }

    fn notification(&mut self, notification: Notification) -> io::Result<Option<Exit>> {
        let Notification { method, params } = notification;
        if method == "exit" {
            return Ok(Some(match self.state {
                State::ShutDown => Exit::Clean,
                _ => Exit::WithoutShutdown,
            }));
        }
        if self.state == State::Uninitialized {
            // Notifications before `initialize` are dropped, as the protocol says.
            return Ok(None);
        }
        let handled = panic::catch_unwind(AssertUnwindSafe(|| self.notify(&method, params)));
        match handled {
            Ok(Ok(result)) => result?,
            Ok(Err((_, message))) => self.log(MessageType::WARNING, message)?,
            Err(_) => self.log(
                MessageType::ERROR,
                format!("internal error while handling {method}; please report it"),
            )?,
        }
        Ok(None)
    }

    /// Handles a notification; the outer error is a bad notification, logged and dropped.
    fn notify(&mut self, method: &str, params: Value) -> Result<io::Result<()>, Failure> {
        match method {
            "initialized" => return Ok(self.register_watchers()),
            "textDocument/didOpen" => {
                let params: DidOpenTextDocumentParams = parse(params)?;
                let document = params.text_document;
                self.dirty.insert(document.uri.clone());
                self.documents
                    .open(document.uri, document.text, document.version);
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
                super::document::MAX_DOCUMENT >> 20
            ),
        )?;
        self.publish_empty(uri.clone(), None)
    }

    fn publish_dirty(&mut self) -> io::Result<()> {
        let dirty: Vec<Uri> = self.dirty.drain().collect();
        for uri in dirty {
            self.publish(&uri)?;
        }
        Ok(())
    }

    /// Checks the document at `uri` and publishes its diagnostics.
    fn publish(&mut self, uri: &Uri) -> io::Result<()> {
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let project = document
            .path
            .as_deref()
            .map(|path| self.workspace.project_for(path));
        let checked = match (project, &document.path) {
            (Some(Ok(project)), Some(path)) => panic::catch_unwind(AssertUnwindSafe(|| {
                diagnostics::check(&project, path, &document.text, uri, encoding)
            }))
            .ok(),
            _ => None,
        };
        let published = checked
            .as_ref()
            .map(diagnostics::Checked::to_lsp)
            .unwrap_or_default();
        let version = document.version;
        document.checked = checked;
        for message in self.workspace.take_errors() {
            self.show(MessageType::ERROR, message)?;
        }
        self.send_diagnostics(uri.clone(), published, Some(version))
    }

    /// Publishes no diagnostics for `uri`.
    fn publish_empty(&mut self, uri: Uri, version: Option<i32>) -> io::Result<()> {
        self.send_diagnostics(uri, Vec::new(), version)
    }

    fn send_diagnostics(
        &mut self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> io::Result<()> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify_client("textDocument/publishDiagnostics", params)
    }

    fn show(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        self.notify_client("window/showMessage", ShowMessageParams { typ, message })
    }

    fn log(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        let params = lsp_types::LogMessageParams { typ, message };
        self.notify_client("window/logMessage", params)
    }

    fn notify_client(&mut self, method: &str, params: impl serde::Serialize) -> io::Result<()> {
        let params = serde_json::to_value(params).map_err(io::Error::other)?;
        self.out.send(Notification {
            method: method.to_owned(),
            params,
        })
    }
}

/// `params` as `P`, or an invalid-params error.
fn parse<P: DeserializeOwned>(params: Value) -> Result<P, Failure> {
    serde_json::from_value(params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("invalid params: {error}")))
}

/// `value` as JSON, or an internal error.
fn to_value(value: &impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}
