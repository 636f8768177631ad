//! How the terminal formats show a path: from the working directory, so that a terminal (or an
//! editor's terminal) can open it where the user stands (`a.rs`, `../lib.rs` from `src/net/`),
//! as ruff and ripgrep print paths. Machine formats keep root-relative paths, which other
//! tools join to the repository.

use std::borrow::Cow;
use std::path::{Component, Path};

/// Where terminal formats show paths from. The default shows them as they are: relative to the
/// project root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisplayBase {
    /// The root's folders below the deepest folder it shares with the working directory.
    root: Vec<String>,
    /// The working directory's folders below that shared folder.
    cwd: Vec<String>,
}

impl DisplayBase {
    /// Paths of the project at `root` as seen from `cwd`. Both should be absolute and resolved
    /// (symbolic links followed) alike; the comparison is by name only. Paths on different
    /// roots (two Windows drives) stay root-relative.
    pub fn new(root: &Path, cwd: &Path) -> Self {
        let names = |path: &Path| -> Vec<String> {
            path.components()
                .filter(|c| !matches!(c, Component::CurDir))
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        };
        let (root, cwd) = (names(root), names(cwd));
        let shared = root.iter().zip(&cwd).take_while(|(a, b)| a == b).count();
        if shared == 0 {
            return DisplayBase::default();
        }
        DisplayBase {
            root: root.get(shared..).unwrap_or_default().to_vec(),
            cwd: cwd.get(shared..).unwrap_or_default().to_vec(),
        }
    }

    /// `path`, relative to the project root and `/`-separated, as seen from the working
    /// directory.
    pub fn show<'a>(&self, path: &'a str) -> Cow<'a, str> {
        if self.root.is_empty() && self.cwd.is_empty() {
            return Cow::Borrowed(path);
        }
        let full: Vec<&str> = self
            .root
            .iter()
            .map(String::as_str)
            .chain(path.split('/'))
            .collect();
        let shared = full
            .iter()
            .zip(&self.cwd)
            .take_while(|(a, b)| **a == b.as_str())
            .count();
        // The file itself is not a folder to step into, even when named like one.
        let shared = shared.min(full.len().saturating_sub(1));
        let up = self.cwd.len() - shared;
        let mut shown: Vec<&str> = vec![".."; up];
        shown.extend(full.get(shared..).unwrap_or_default());
        Cow::Owned(shown.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_working_directory() {
        let at = |cwd: &str| DisplayBase::new(Path::new("/w/proj"), Path::new(cwd));
        assert_eq!(at("/w/proj").show("src/lib.rs"), "src/lib.rs");
        let net = at("/w/proj/src/net");
        assert_eq!(net.show("src/net/a.rs"), "a.rs");
        assert_eq!(net.show("src/net/deep/b.rs"), "deep/b.rs");
        assert_eq!(net.show("src/lib.rs"), "../lib.rs");
        assert_eq!(net.show("Cargo.toml"), "../../Cargo.toml");
        assert_eq!(net.show("src/network.rs"), "../network.rs");
        assert_eq!(at("/w").show("src/lib.rs"), "proj/src/lib.rs");
        assert_eq!(at("/w/other").show("src/lib.rs"), "../proj/src/lib.rs");
        assert_eq!(
            at("/w/proj/src").show("src"),
            "../src",
            "a file named like the folder"
        );
        assert_eq!(DisplayBase::default().show("src/lib.rs"), "src/lib.rs");
    }
}
