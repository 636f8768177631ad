//! The project a call works on, and the boundary of its root.
//!
//! The configuration and the Codex are read anew for every call, as `cargo codex check` reads
//! them for every run: a change to `codex.toml`, a rule file or an incident record between two
//! calls is always seen, with nothing to watch and no stale copy to invalidate. Reading them
//! costs a few milliseconds (the whole `cargo codex rules` process takes about 4 ms on this
//! repository), against a check that reads every file of the project.
//!
//! A client names paths relative to the project root. A path that names something outside it
//! (absolute, or climbing out with `..`) or resolves outside it (a symbolic link) is refused:
//! the client's model may be steered by the text of the repository it reviews, and must not
//! make the server read elsewhere.

use std::path::{Path, PathBuf};

use super::budget;
use super::error::ToolError;
use crate::codex::Codex;
use crate::codex::load;
use crate::config::{self, Flags, Settings};
use crate::report;
use crate::source::boundary::{Boundary, normalize};

/// A project: its settings and its Codex, as they are on disk now.
#[derive(Debug)]
pub(crate) struct Project {
    /// Resolved settings (the root among them).
    pub(crate) settings: Settings,
    /// The rules.
    pub(crate) codex: Codex,
}

impl Project {
    /// The project `cargo codex check` finds from `cwd` with `flags`, loaded now.
    ///
    /// # Errors
    ///
    /// [`ToolError::Load`], listing every error of the configuration or the rules.
    pub(crate) fn load(flags: &Flags, cwd: &Path) -> Result<Self, ToolError> {
        let settings = config::resolve(flags, cwd).map_err(|errors| load_error(&errors))?;
        let codex = load::load_from(&settings.sources, &settings.overrides, &settings.origin)
            .map_err(|errors| load_error(&errors))?;
        Ok(Project { settings, codex })
    }

    /// The project root.
    pub(crate) fn root(&self) -> &Path {
        &self.settings.root
    }

    /// `path` (relative to the root, or absolute) as an absolute path inside the root.
    ///
    /// # Errors
    ///
    /// [`ToolError::Outside`] when it names or resolves to something outside the root;
    /// [`ToolError::Arguments`] when it is empty.
    pub(crate) fn confine(&self, tool: &'static str, path: &str) -> Result<PathBuf, ToolError> {
        if path.is_empty() {
            return Err(ToolError::Arguments {
                tool,
                message: "an empty path: use `.` for the whole project".to_owned(),
            });
        }
        let root = self.root();
        let named = normalize(&root.join(path));
        let boundary = Boundary::new(root);
        let outside = || ToolError::Outside {
            path: report::visible(path).to_string(),
            root: root.display().to_string(),
        };
        if !boundary.claims(&named) {
            return Err(outside());
        }
        boundary.admit(&named).map_err(|_| outside())?;
        Ok(named)
    }
}

/// The load errors as the command line draws them (file, line, caret), without colours and
/// within the output budget.
fn load_error(errors: &[load::LoadError]) -> ToolError {
    let mut text = Vec::new();
    if report::error::render_load_errors(&mut text, errors, false).is_err() {
        text.clear();
    }
    let text = String::from_utf8_lossy(&text);
    ToolError::Load(budget::cut(&text, budget::ERROR_BYTES))
}
