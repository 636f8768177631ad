//! Embeds the default Codex (`rules/**/*.toml` and `codex/*.toml`) into the binary, so that
//! `cargo install` gives a working linter with no files to ship beside it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut out = String::new();
    for (name, dir) in [("RULES", "rules"), ("INCIDENTS", "codex")] {
        let mut files = Vec::new();
        collect_toml(&root.join(dir), &mut files)?;
        files.sort();
        println!("cargo:rerun-if-changed={dir}");
        let _ = writeln!(out, "pub(crate) static {name}: &[(&str, &str)] = &[");
        for file in &files {
            let relative = file.strip_prefix(&root).unwrap_or(file);
            let relative = relative.to_string_lossy().replace('\\', "/");
            let _ = writeln!(
                out,
                "    ({relative:?}, include_str!({:?})),",
                file.display()
            );
            println!("cargo:rerun-if-changed={}", file.display());
        }
        out.push_str("];\n");
    }
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    fs::write(out_dir.join("embedded.rs"), out)
}

/// Every `.toml` file below `dir`, recursively; a missing folder holds none.
fn collect_toml(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_toml(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            files.push(path);
        }
    }
    Ok(())
}
