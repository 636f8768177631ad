//! Utility rules (ast-grep's `utils`): named rule objects that rules use with
//! `matches = "name"`. Shared ones are the tables of a `utils.toml` in a rule folder, for the
//! whole Codex; a rule file's own `[utils.NAME]` tables are local to it and win over shared
//! ones of the same name. Each is compiled once, when first used; a utility that reaches
//! itself through `matches` is an error located at the `matches` that closes the cycle.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::MatchFile;
use super::object::{self, Context, Place};
use crate::codex::load::{LoadError, TextFile, is_kebab};
use crate::codex::matcher::Util;

/// A utility rule as written: its file, where it is, and its table until compiled.
struct Written {
    file: TextFile,
    span: Range<usize>,
    raw: Option<MatchFile>,
}

/// The utility rules of a Codex, and of the rule file being compiled.
#[derive(Default)]
pub struct Utils {
    shared: HashMap<String, Written>,
    local: HashMap<String, Written>,
    compiled: HashMap<String, Option<Arc<Util>>>,
    /// How deep each compiled utility's `matches` chain goes (itself included).
    depths: HashMap<String, usize>,
    /// The utilities being compiled, outermost first, each with the deepest chain it uses.
    in_progress: Vec<String>,
    deepest: Vec<usize>,
}

/// How many utilities a chain of `matches` may go through: compiling and matching follow it
/// by recursion, so a merge request's `utils.toml` must not make it arbitrarily long.
const MAX_UTIL_DEPTH: usize = 32;

impl std::fmt::Debug for Utils {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utils")
            .field("shared", &self.shared.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Utils {
    /// The shared utility rules of the `utils.toml` files `files`.
    pub fn shared(files: &[&TextFile], errors: &mut Vec<LoadError>) -> Self {
        let mut utils = Utils::default();
        for file in files {
            let tables: BTreeMap<String, Spanned<MatchFile>> = match toml::from_str(&file.text) {
                Ok(tables) => tables,
                Err(error) => {
                    errors.push(LoadError::from_toml(file, &error));
                    continue;
                }
            };
            check_names(file, &tables, errors);
            for (name, table) in tables {
                let span = table.span();
                if let Some(other) = utils.shared.get(&name) {
                    errors.push(LoadError::invalid(
                        file,
                        span,
                        format!(
                            "utility `{name}` is already defined in {}; names must be unique",
                            other.file.path
                        ),
                    ));
                    continue;
                }
                utils.shared.insert(
                    name,
                    Written {
                        file: (*file).clone(),
                        span,
                        raw: Some(table.into_inner()),
                    },
                );
            }
        }
        utils
    }

    /// Makes the `[utils.NAME]` tables of the rule file `file` the local utilities, until the
    /// next call.
    pub(crate) fn set_local(
        &mut self,
        file: &TextFile,
        tables: BTreeMap<String, Spanned<MatchFile>>,
        errors: &mut Vec<LoadError>,
    ) {
        self.local.clear();
        self.compiled.retain(|key, _| !key.starts_with("local:"));
        self.depths.retain(|key, _| !key.starts_with("local:"));
        check_names(file, &tables, errors);
        for (name, table) in tables {
            let span = table.span();
            self.local.insert(
                name,
                Written {
                    file: file.clone(),
                    span,
                    raw: Some(table.into_inner()),
                },
            );
        }
    }

    /// The utility `name` (written in `file`), compiled; `below` when it is used where
    /// ancestors are unknown (within `has` or a constraint).
    pub(super) fn resolve(
        &mut self,
        name: &Spanned<String>,
        file: &TextFile,
        below: bool,
        errors: &mut Vec<LoadError>,
    ) -> Option<Arc<Util>> {
        let text = name.get_ref();
        let key = if self.local.contains_key(text) {
            format!("local:{text}")
        } else if self.shared.contains_key(text) {
            format!("shared:{text}")
        } else {
            let mut known: Vec<&str> = self
                .local
                .keys()
                .chain(self.shared.keys())
                .map(String::as_str)
                .collect();
            known.sort_unstable();
            let hint = if known.is_empty() {
                "define it in a `utils.toml` beside the rules, or in a `[utils.NAME]` table of this \
                 file"
                    .to_owned()
            } else {
                format!("known: {}", known.join(", "))
            };
            errors.push(LoadError::invalid(
                file,
                name.span(),
                format!("unknown utility `{text}`: {hint}"),
            ));
            return None;
        };
        if let Some(at) = self.in_progress.iter().position(|k| *k == key) {
            let mut cycle: Vec<&str> = self.in_progress[at..]
                .iter()
                .map(|k| k.split_once(':').map_or(k.as_str(), |(_, n)| n))
                .collect();
            cycle.push(text);
            errors.push(LoadError::invalid(
                file,
                name.span(),
                format!(
                    "utility `{text}` refers back to itself: {}; a utility cannot match itself",
                    cycle.join(" → ")
                ),
            ));
            return None;
        }
        if self.in_progress.len() + self.depths.get(&key).copied().unwrap_or(1) > MAX_UTIL_DEPTH {
            errors.push(LoadError::invalid(
                file,
                name.span(),
                format!(
                    "utilities nest more than {MAX_UTIL_DEPTH} levels deep through `matches` \
                     (`{text}` is one too many); flatten the chain"
                ),
            ));
            return None;
        }
        let util = match self.compiled.get(&key) {
            Some(done) => done.clone(),
            None => self.compile(&key, text, errors),
        };
        let depth = self.depths.get(&key).copied().unwrap_or(1);
        if let Some(deepest) = self.deepest.last_mut() {
            *deepest = (*deepest).max(depth);
        }
        if let Some(util) = &util
            && below
            && util.object.looks_up()
        {
            errors.push(LoadError::invalid(
                file,
                name.span(),
                format!(
                    "utility `{text}` uses `inside` or `not_inside`, which cannot be used within \
                         `has` or `[match.where]`"
                ),
            ));
            return None;
        }
        util
    }

    fn compile(&mut self, key: &str, name: &str, errors: &mut Vec<LoadError>) -> Option<Arc<Util>> {
        let table = if key.starts_with("local:") {
            &mut self.local
        } else {
            &mut self.shared
        };
        let written = table.get_mut(name)?;
        let raw = written.raw.take()?;
        let file = written.file.clone();
        let span = written.span.clone();
        self.in_progress.push(key.to_owned());
        self.deepest.push(0);
        let before = errors.len();
        let mut cx = Context {
            file,
            utils: self,
            below: false,
            constrained: Vec::new(),
        };
        let object = object::compile(&mut cx, raw, span, Place::Util, errors);
        super::check_constraints(&cx, &object, errors);
        self.in_progress.pop();
        let depth = self.deepest.pop().unwrap_or(0) + 1;
        self.depths.insert(key.to_owned(), depth);
        let util = (errors.len() == before).then(|| {
            Arc::new(Util {
                name: name.to_owned(),
                object,
            })
        });
        self.compiled.insert(key.to_owned(), util.clone());
        util
    }
}

/// Reports the utility names of `tables` that are not kebab-case.
fn check_names(
    file: &TextFile,
    tables: &BTreeMap<String, Spanned<MatchFile>>,
    errors: &mut Vec<LoadError>,
) {
    for (name, table) in tables {
        if !is_kebab(name) {
            errors.push(LoadError::invalid(
                file,
                table.span(),
                format!("utility name `{name}` must be kebab-case, like `is-literal`"),
            ));
        }
    }
}
