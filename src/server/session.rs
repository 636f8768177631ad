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
use std::sync::mpsc::TryRecvError;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams, ServerInfo,
    ShowMessageParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::capabilities;
use super::diagnostics;
use super::document::{Documents, file_path};
use super::position::Encoding;
use super::transport::{self, Incoming, Writer};
use super::workspace::Workspace;
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
pub(super) type Failure = (ErrorCode, String);

/// What a request handler answers.
pub(super) type Answer = Result<Value, Failure>;

/// The server's state between messages.
pub(super) struct Session {
    pub(super) out: Writer,
    state: State,
    /// How columns are counted, as agreed at `initialize`.
    pub(super) encoding: Encoding,
    flags: Flags,
    cwd: PathBuf,
    /// The open documents.
    pub(super) documents: Documents,
    /// The projects they belong to.
    pub(super) workspace: Workspace,
    /// Open documents whose text or project changed since they were last checked.
    pub(super) dirty: HashSet<Uri>,
    /// Whether the client lets the server register file watchers.
    pub(super) can_watch: bool,
    /// The last reason a check could not run (a baseline that cannot be read), shown once.
    check_error: Option<String>,
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
        check_error: None,
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
            Incoming::Message(Message::Response(_)) | Incoming::Response => Ok(None),
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

    fn publish_dirty(&mut self) -> io::Result<()> {
        let dirty: Vec<Uri> = self.dirty.drain().collect();
        for uri in dirty {
            self.publish(&uri)?;
        }
        Ok(())
    }

    /// Checks the document at `uri` and publishes its diagnostics.
    pub(super) fn publish(&mut self, uri: &Uri) -> io::Result<()> {
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let workspace = &mut self.workspace;
        let result = document.path.as_deref().and_then(|path| {
            // A bug while loading or checking loses this check, not the session.
            panic::catch_unwind(AssertUnwindSafe(|| {
                let project = workspace.project_for(path).ok()?;
                Some(diagnostics::check(
                    &project,
                    path,
                    &document.text,
                    uri,
                    encoding,
                ))
            }))
            .ok()
            .flatten()
        });
        let (checked, failure) = match result {
            Some(Ok(checked)) => (Some(checked), None),
            Some(Err(error)) => (None, Some(error)),
            None => (None, None),
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
        if let Some(message) = failure.filter(|message| self.check_error.as_ref() != Some(message))
        {
            self.check_error = Some(message.clone());
            self.show(MessageType::ERROR, message)?;
        }
        self.send_diagnostics(uri.clone(), published, Some(version))
    }

    /// Publishes no diagnostics for `uri`.
    pub(super) fn publish_empty(&mut self, uri: Uri, version: Option<i32>) -> io::Result<()> {
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

    pub(super) fn show(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        self.notify_client("window/showMessage", ShowMessageParams { typ, message })
    }

    pub(super) fn log(&mut self, typ: MessageType, message: String) -> io::Result<()> {
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
pub(super) fn parse<P: DeserializeOwned>(params: Value) -> Result<P, Failure> {
    // codex:allow(CX0004) params become lsp-types' typed structs here, and each handler bounds what it keeps (MAX_DOCUMENT) and clamps every position it reads
    serde_json::from_value(params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("invalid params: {error}")))
}

/// `value` as JSON, or an internal error.
pub(super) fn to_value(value: &impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}
