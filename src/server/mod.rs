//! `cargo codex server`: a language server over standard input and output, for editors.
//!
//! It publishes the findings of each open document as the document changes (the unsaved text,
//! checked with its module tree read from disk), offers each finding's fix and a
//! `codex:allow` comment as code actions, shows a rule's documentation and incident on hover,
//! and reloads the rules when `codex.toml`, a rule file or an incident record changes.
//!
//! The concerns, one per module: [`transport`] reads and writes framed messages; [`session`]
//! runs the lifecycle, dispatches and publishes, [`notifications`] and [`requests`] handle
//! what the editor sends; [`document`] keeps the editor's text; [`position`]
//! converts positions between the engine and the protocol; [`diagnostics`] checks a document;
//! [`actions`] and [`hover`] answer requests; [`workspace`] finds and reloads projects. The
//! checking itself is [`crate::engine::check`], as for the command line.

mod actions;
mod diagnostics;
mod document;
mod hover;
mod notifications;
mod position;
mod requests;
mod session;
mod transport;
mod workspace;

use std::io;
use std::path::Path;

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    SaveOptions, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

pub use session::Exit;

use crate::config::Flags;
use position::Encoding;

/// Why the server stopped before the client said `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Standard output failed (the editor went away), or the reader thread could not start.
    #[error("the connection to the editor failed")]
    Connection(#[from] io::Error),
}

/// Serves the protocol on standard input and output until the client says `exit` or closes
/// the connection. Projects are found from each document's path, within the workspace folders
/// the client names (else `cwd`); `flags` apply to every project as they do on the command
/// line.
///
/// # Errors
///
/// When the connection fails.
pub fn serve(flags: &Flags, cwd: &Path) -> Result<Exit, ServerError> {
    // Projects are resolved from each workspace folder: paths given on the command line are
    // the operator's, relative to where the server started.
    let flags = Flags {
        config: flags.config.as_ref().map(|path| cwd.join(path)),
        rule_dirs: flags.rule_dirs.iter().map(|dir| cwd.join(dir)).collect(),
        start: None,
        ..flags.clone()
    };
    let output = Box::new(io::BufWriter::new(io::stdout()));
    Ok(session::run(io::stdin(), output, &flags, cwd)?)
}

/// What the server offers, given the position encoding agreed on.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(actions::FIX_ALL),
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}
