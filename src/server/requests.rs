//! Requests of the running server: code actions and hover, each answered on the document as
//! last changed (checked first if it changed since).

use std::sync::Arc;

use lsp_server::ErrorCode;
use lsp_types::{CodeActionParams, HoverParams, Uri};
use serde_json::Value;

use super::actions::{self, Request as ActionRequest};
use super::diagnostics::Checked;
use super::document::Document;
use super::hover;
use super::session::{Answer, Failure, Session, parse, to_value};
use super::workspace::Project;

impl Session {
    /// Answers a request of the running server.
    pub(super) fn answer(&mut self, method: &str, params: Value) -> Answer {
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
}
