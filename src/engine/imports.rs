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
}

impl Imports {
    /// Imports that keep only the globs `relevant` says rules can match through.
    pub(crate) fn keeping(relevant: GlobPrefixes) -> Self {
        Imports {
            relevant: Some(relevant),
            ..Imports::default()
        }
    }

    /// Adds the names one `use` item brings in.
    pub(crate) fn add(&mut self, item: &ItemUse) {
        self.add_tree(&item.tree, Vec::new());
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
        let mut aliases: Vec<&str> = found.aliases().collect();
        aliases.sort_unstable();
        assert_eq!(aliases, ["json", "quit"]);
    }
}
