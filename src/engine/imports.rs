//! What a file's `use` declarations bring into scope, to resolve call paths: aliases
//! (`use std::process::exit as quit;`), groups (`use std::{fs, process::exit};`), `self`
//! (`use std::process::{self};`) and glob imports (`use std::process::*;`).

use std::collections::{HashMap, HashSet};

use syn::{ItemUse, UseTree};

use crate::codex::matcher::GlobPrefixes;

/// Local names and the full paths they stand for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Imports {
    names: HashMap<String, Vec<String>>,
    /// Glob imports a rule can match through, once each, in file order.
    globs: Vec<Vec<String>>,
    seen: HashSet<Vec<String>>,
    /// Which globs are worth keeping (all of them by default).
    relevant: Option<GlobPrefixes>,
    /// How many `use` items were added: what was computed from the imports stays valid while
    /// this does not change.
    generation: usize,
}

impl Imports {
    /// Imports that keep only the globs `relevant` says rules can match through.
    pub(crate) fn keeping(relevant: GlobPrefixes) -> Self {
        Imports {
            relevant: Some(relevant),
            ..Imports::default()
        }
    }

    /// Imports that keep the same globs as `self`, and nothing else yet: the `use` items of an
    /// inner block, resolved before the file's.
    pub(crate) fn layer(&self) -> Self {
        Imports {
            relevant: self.relevant.clone(),
            ..Imports::default()
        }
    }

    /// Adds the names one `use` item brings in.
    pub(crate) fn add(&mut self, item: &ItemUse) {
        self.generation += 1;
        self.add_tree(&item.tree, Vec::new());
    }

    /// Changes whenever a `use` item is added.
    pub(crate) fn generation(&self) -> usize {
        self.generation
    }

    /// Whether some import brings a type that `is_type` accepts (given its full path): by name,
    /// under an alias, or through a glob of its module (`use pingora::prelude::*;` for
    /// `pingora::prelude::Server`, the glob standing for `name`).
    pub(crate) fn brings(&self, name: &str, is_type: &dyn Fn(&[String]) -> bool) -> bool {
        self.names.values().any(|full| is_type(full))
            || self.globs.iter().any(|glob| {
                let mut full = glob.clone();
                full.push(name.to_owned());
                is_type(&full)
            })
    }

    fn add_tree(&mut self, tree: &UseTree, prefix: Vec<String>) {
        match tree {
            UseTree::Path(path) => {
                let mut prefix = prefix;
                let segment = path.ident.to_string();
                if !(prefix.is_empty() && segment == "self") {
                    prefix.push(segment);
                }
                self.add_tree(&path.tree, prefix);
            }
            UseTree::Name(name) => self.bind(&prefix, &name.ident.to_string(), None),
            UseTree::Rename(rename) => {
                let local = rename.rename.to_string();
                if local != "_" {
                    self.bind(&prefix, &rename.ident.to_string(), Some(local));
                }
            }
            UseTree::Glob(_) => {
                let kept = self
                    .relevant
                    .as_ref()
                    .is_none_or(|relevant| relevant.keeps(&prefix, self.globs.len()));
                if kept && self.seen.insert(prefix.clone()) {
                    self.globs.push(prefix);
                }
            }
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.add_tree(tree, prefix.clone());
                }
            }
        }
    }

    fn bind(&mut self, prefix: &[String], name: &str, local: Option<String>) {
        let mut full = prefix.to_vec();
        let local = if name == "self" {
            local.or_else(|| prefix.last().cloned())
        } else {
            full.push(name.to_owned());
            local.or_else(|| Some(name.to_owned()))
        };
        if let Some(local) = local {
            self.names.insert(local, full);
        }
    }

    /// Local names that differ from the last segment of what they import: words the search for
    /// a rule's function name would miss (`quit` for `std::process::exit`).
    pub(crate) fn aliases(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(|(local, full)| full.last().is_none_or(|last| last != *local))
            .map(|(local, _)| local.as_str())
    }

    /// The full paths `path` may stand for where the `use` items of `layers` (enclosing blocks,
    /// innermost last) are in scope too: a block's own imports hide the file's.
    pub(crate) fn resolve_within(&self, layers: &[Imports], path: &[String]) -> Vec<Vec<String>> {
        if layers.is_empty() {
            return self.resolve(path);
        }
        let path = match path.first().map(String::as_str) {
            Some("self") => &path[1..],
            _ => path,
        };
        let Some((first, rest)) = path.split_first() else {
            return Vec::new();
        };
        for layer in layers.iter().rev() {
            if let Some(full) = layer.names.get(first) {
                let mut resolved = full.clone();
                resolved.extend(rest.iter().cloned());
                return vec![resolved];
            }
        }
        let mut candidates = self.resolve(path);
        if rest.is_empty() {
            for glob in layers.iter().flat_map(|layer| &layer.globs) {
                let mut resolved = glob.clone();
                resolved.push(first.clone());
                candidates.push(resolved);
            }
        }
        candidates
    }

    /// The full paths `path` (as written) may stand for, most likely first.
    pub(crate) fn resolve(&self, path: &[String]) -> Vec<Vec<String>> {
        let path = match path.first().map(String::as_str) {
            Some("self") => &path[1..],
            _ => path,
        };
        let Some((first, rest)) = path.split_first() else {
            return Vec::new();
        };
        if let Some(full) = self.names.get(first) {
            let mut resolved = full.clone();
            resolved.extend(rest.iter().cloned());
            return vec![resolved];
        }
        let mut candidates = vec![path.to_vec()];
        if rest.is_empty() {
            for glob in &self.globs {
                let mut resolved = glob.clone();
                resolved.push(first.clone());
                candidates.push(resolved);
            }
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports(text: &str) -> Imports {
        let file: syn::File = syn::parse_str(text).unwrap();
        let mut imports = Imports::default();
        for item in &file.items {
            if let syn::Item::Use(item) = item {
                imports.add(item);
            }
        }
        imports
    }

    fn resolve(imports: &Imports, path: &str) -> Vec<String> {
        let path: Vec<String> = path.split("::").map(str::to_owned).collect();
        imports
            .resolve(&path)
            .into_iter()
            .map(|p| p.join("::"))
            .collect()
    }

    #[test]
    fn resolves_aliases_groups_self_and_globs() {
        let found = imports(
            "use std::process::exit as quit;\nuse serde_json as json;\nuse std::{fs, io::{self, Read}};\nuse tokio::net::*;\nuse a::b as _;",
        );
        assert_eq!(resolve(&found, "quit"), ["std::process::exit"]);
        assert_eq!(resolve(&found, "json::from_str"), ["serde_json::from_str"]);
        assert_eq!(resolve(&found, "fs::read"), ["std::fs::read"]);
        assert_eq!(resolve(&found, "io::stdin"), ["std::io::stdin"]);
        assert_eq!(
            resolve(&found, "TcpListener"),
            ["TcpListener", "tokio::net::TcpListener"]
        );
        let mut inner = found.layer();
        inner.add(&syn::parse_str("use other::quit;").unwrap());
        let quit = vec!["quit".to_owned()];
        assert_eq!(
            found.resolve_within(std::slice::from_ref(&inner), &quit),
            [["other", "quit"]]
        );
        assert!(found.brings("TcpListener", &|p| p.join("::")
            == "tokio::net::TcpListener"));
        assert!(found.brings("x", &|p| p.join("::") == "std::process::exit"));
        assert!(!found.brings("x", &|p| p.join("::") == "std::process::abort"));
        let mut aliases: Vec<&str> = found.aliases().collect();
        aliases.sort_unstable();
        assert_eq!(aliases, ["json", "quit"]);
    }
}
