//! Which project a document belongs to, with that project's settings and Codex; and reloading
//! them when `codex.toml`, a rule file or an incident record changes.
//!
//! A project is found as the command line finds it (the nearest `codex.toml` above the file,
//! else the enclosing git repository), starting from the document and stopping at the
//! workspace folder the editor opened: a document outside every workspace folder is not
//! checked, and nothing outside a project's root is read. Loading is cached per project root
//! until a watched file changes; a Codex that no longer loads is reported once, and the last
//! one that loaded stays in use until the error is fixed.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codex::Codex;
use crate::codex::load::{self, LoadError, display_path};
use crate::config::{self, Flags, Settings};

/// A project: its settings and its loaded Codex.
#[derive(Debug)]
pub(crate) struct Project {
    /// Resolved settings (the root among them).
    pub settings: Settings,
    /// The rules.
    pub codex: Codex,
}

/// Why a document is not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Skip {
    /// Not a file inside a workspace folder and its project.
    Outside,
    /// Excluded by `codex.toml`, or a fixture in a rule folder (written to fire).
    Excluded,
    /// The project's configuration or Codex does not load, and none loaded before.
    Broken,
}

#[derive(Debug)]
struct Entry {
    project: Arc<Project>,
    /// Whether it was loaded since the last change to the Codex's files.
    fresh: bool,
}

/// The projects of the documents the editor has open.
#[derive(Debug)]
pub(crate) struct Workspace {
    flags: Flags,
    folders: Vec<PathBuf>,
    /// Each document's project root, as last resolved.
    roots: HashMap<PathBuf, PathBuf>,
    /// Documents whose configuration did not load since the last change.
    failed: HashSet<PathBuf>,
    projects: HashMap<PathBuf, Entry>,
    /// Load errors not yet shown to the user.
    errors: Vec<String>,
}

impl Workspace {
    /// A workspace of `folders`, configured by the command line's `flags` (`--config`,
    /// `--rule-dir`, `--no-default-rules`).
    pub(crate) fn new(flags: Flags, folders: Vec<PathBuf>) -> Self {
        Workspace {
            flags,
            folders,
            roots: HashMap::new(),
            failed: HashSet::new(),
            projects: HashMap::new(),
            errors: Vec::new(),
        }
    }

    /// The project that checks the file at `path`, loading it when needed.
    ///
    /// # Errors
    ///
    /// Why the file is not checked.
    pub(crate) fn project_for(&mut self, path: &Path) -> Result<Arc<Project>, Skip> {
        let folder = self
            .folders
            .iter()
            .filter(|folder| path.starts_with(folder))
            .max_by_key(|folder| folder.as_os_str().len())
            .cloned()
            .ok_or(Skip::Outside)?;
        let project = self.load(path, &folder)?;
        let settings = &project.settings;
        if !path.starts_with(&settings.root) {
            return Err(Skip::Outside);
        }
        let relative = display_path(path, &settings.root);
        let in_rule_dir = settings
            .sources
            .rule_dirs
            .iter()
            .any(|dir| path.starts_with(dir));
        if in_rule_dir || settings.exclude.is_match(&relative) {
            return Err(Skip::Excluded);
        }
        Ok(project)
    }

    /// The project for `path` (inside `folder`): cached, or loaded now.
    fn load(&mut self, path: &Path, folder: &Path) -> Result<Arc<Project>, Skip> {
        let known = self
            .roots
            .get(path)
            .and_then(|root| self.projects.get(root));
        if let Some(entry) = known.filter(|entry| entry.fresh) {
            return Ok(Arc::clone(&entry.project));
        }
        if self.failed.contains(path) {
            return self.fallback(path);
        }
        let flags = Flags {
            start: Some(path.to_path_buf()),
            ..self.flags.clone()
        };
        let settings = match config::resolve(&flags, folder) {
            Ok(settings) => settings,
            Err(errors) => {
                self.fail(path, &errors);
                return self.fallback(path);
            }
        };
        let root = settings.root.clone();
        self.roots.insert(path.to_path_buf(), root.clone());
        if let Some(entry) = self.projects.get(&root).filter(|entry| entry.fresh) {
            return Ok(Arc::clone(&entry.project));
        }
        match load::load_from(&settings.sources, &settings.overrides, &settings.origin) {
            Ok(codex) => {
                let project = Arc::new(Project { settings, codex });
                let entry = Entry {
                    project: Arc::clone(&project),
                    fresh: true,
                };
                self.projects.insert(root, entry);
                Ok(project)
            }
            Err(errors) => {
                self.fail(path, &errors);
                self.fallback(path)
            }
        }
    }

    /// The project that last loaded for `path`, if any.
    fn fallback(&self, path: &Path) -> Result<Arc<Project>, Skip> {
        self.roots
            .get(path)
            .and_then(|root| self.projects.get(root))
            .map(|entry| Arc::clone(&entry.project))
            .ok_or(Skip::Broken)
    }

    /// Records that `path`'s project does not load, and the errors to show.
    fn fail(&mut self, path: &Path, errors: &[LoadError]) {
        self.failed.insert(path.to_path_buf());
        let shown: Vec<String> = errors.iter().take(5).map(ToString::to_string).collect();
        let more = errors.len().saturating_sub(shown.len());
        let mut message = format!("cargo-codex: the Codex does not load\n{}", shown.join("\n"));
        if more > 0 {
            let _ = write!(
                message,
                "\n… and {more} more (`cargo codex rules` shows them all)"
            );
        }
        if !self.errors.contains(&message) {
            self.errors.push(message);
        }
    }

    /// Takes the load errors that were not shown yet.
    pub(crate) fn take_errors(&mut self) -> Vec<String> {
        std::mem::take(&mut self.errors)
    }

    /// Whether a change to the file at `path` changes a Codex: a `codex.toml`, the
    /// configuration file in use, or a file inside a rule or incident folder.
    pub(crate) fn is_codex_file(&self, path: &Path) -> bool {
        if path
            .file_name()
            .is_some_and(|name| name == config::FILE_NAME)
        {
            return true;
        }
        let flag_dirs = self.flags.rule_dirs.iter();
        let folders = self.projects.values().flat_map(|entry| {
            let sources = &entry.project.settings.sources;
            sources.rule_dirs.iter().chain(&sources.incident_dirs)
        });
        let mut configs = self
            .projects
            .values()
            .filter_map(|entry| entry.project.settings.config_file.as_ref());
        configs.any(|file| file == path)
            || flag_dirs.chain(folders).any(|dir| path.starts_with(dir))
    }

    /// Forgets what was loaded: every project is loaded again when next needed (the last one
    /// that loaded is kept, to fall back on).
    pub(crate) fn reload(&mut self) {
        self.failed.clear();
        for entry in self.projects.values_mut() {
            entry.fresh = false;
        }
    }
}
