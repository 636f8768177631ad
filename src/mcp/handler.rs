//! The server's answers to the protocol: who it is, which tools it has, and a tool call run
//! away from the protocol loop (a check may take seconds; pings and other calls go on), with
//! a bug in a tool answered as a tool error instead of ending the server.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

use super::Context;
use super::error::ToolError;
use super::tools::{self, Tool};

/// What the server tells a client about itself at `initialize`.
const INSTRUCTIONS: &str = "cargo-codex enforces this repository's Codex: rules born from \
    production incidents, checked on Rust code. Use `check` on the code you write or review \
    (with `diff_base` for a merge request's changes), cite findings by their rule code, and \
    use `explain` for why a rule exists and how to fix its findings. Paths are relative to \
    the project root.";

/// The MCP server of one project.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    context: Arc<Context>,
}

impl Server {
    pub(crate) fn new(context: Context) -> Self {
        Server {
            context: Arc::new(context),
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
                    .with_title("cargo-codex"),
            )
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::list()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(tool) = Tool::named(&request.name) else {
            // The protocol's answer to an unknown tool: the call itself is invalid.
            let name = crate::report::visible(&super::budget::cut(&request.name, 200)).to_string();
            return Err(ErrorData::invalid_params(
                format!("unknown tool `{name}`: tools/list lists the tools"),
                None,
            ));
        };
        let context = Arc::clone(&self.context);
        let arguments = request.arguments;
        // On tokio's blocking threads: the check is CPU-bound (rayon) and reads files.
        let result =
            tokio::task::spawn_blocking(move || tools::call(&context, tool, arguments)).await;
        Ok(match result {
            Ok(result) => result,
            Err(_) => tools::failure(&ToolError::Internal(tool.name().to_owned())),
        }
        .into())
    }
}
