//! `cargo codex mcp`: a Model Context Protocol server over standard input and output, for AI
//! assistants and review bots.
//!
//! Its tools: `check` (the check pipeline on paths or a change, answered as the JSON format),
//! `explain` (a rule's doc, incidents and examples), `rules` (the Codex's rules) and
//! `review_brief` (the review brief of a merge request, [`crate::review::brief`]). The
//! protocol itself (JSON-RPC framing, `initialize`, capability and version negotiation) is the
//! official Rust SDK's, `rmcp`; standard output carries nothing but the protocol, and anything
//! said to a person goes to standard error.
//!
//! The concerns, one per module: [`handler`] answers the protocol; [`tools`] describes the
//! tools and dispatches a call; [`params`] are their arguments; [`check`], [`catalog`] and
//! [`review`] answer them; [`project`] loads the project for each call and confines paths to
//! its root; [`budget`] bounds what an answer may hold; [`error`] says why a call failed. The
//! checking itself is [`crate::pipeline::run`], as for the command line.

mod budget;
mod catalog;
mod check;
mod error;
mod handler;
mod params;
mod project;
mod review;
mod tools;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rmcp::ServiceExt as _;
use rmcp::service::ServerInitializeError;

use crate::config::Flags;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    /// The async runtime could not start.
    #[error("cannot start the server's runtime")]
    Runtime(#[source] io::Error),
    /// The client's first messages were not a valid `initialize`, or the output failed.
    #[error("the MCP session did not start")]
    Initialize(#[source] Box<ServerInitializeError>),
    /// The protocol loop failed.
    #[error("the MCP session failed")]
    Session(#[source] tokio::task::JoinError),
}

/// What every call needs: how to find and load the project, as the command line would.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// The command line's flags, their paths made absolute.
    pub(crate) flags: Flags,
    /// The folder the project is found from, as `cargo codex check` finds it from its
    /// working directory.
    pub(crate) cwd: PathBuf,
}

/// Serves the protocol on standard input and output until the client closes its end. The
/// project is the one `cargo codex check` finds from the folder `project`; `flags`
/// (`--config`, `--rule-dir`, `--no-default-rules`, `--codex-from`), their paths relative to
/// `cwd`, apply to every call.
///
/// # Errors
///
/// When the runtime cannot start, the session cannot begin (a first message that is not
/// `initialize`), or the protocol loop fails.
pub fn serve(flags: &Flags, cwd: &Path, project: &Path) -> Result<(), McpError> {
    let flags = Flags {
        config: flags.config.as_ref().map(|path| cwd.join(path)),
        rule_dirs: flags.rule_dirs.iter().map(|dir| cwd.join(dir)).collect(),
        start: None,
        ..flags.clone()
    };
    let context = Context {
        flags,
        cwd: project.to_path_buf(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(McpError::Runtime)?;
    let served = runtime.block_on(async {
        let running = match handler::Server::new(context)
            .serve(rmcp::transport::stdio())
            .await
        {
            Ok(running) => running,
            // A client that leaves before `initialize` ends the session, as one that leaves
            // later does.
            Err(ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
            Err(error) => return Err(McpError::Initialize(Box::new(error))),
        };
        running.waiting().await.map_err(McpError::Session)?;
        Ok(())
    });
    // Standard input is read on a blocking thread that cannot be interrupted: once the
    // session is over, do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(100));
    served
}
