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
    fs::write(out_dir.join("embedded.rs"), out)?;
    build_id(&root)
}

/// Names this build by its sources and locked dependencies, so that the result cache
/// (`src/cache/`) never reuses what an older build of the same version found: during
/// development the version stays the same while the engine changes.
fn build_id(root: &Path) -> io::Result<()> {
    use std::hash::{Hash, Hasher};
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files)?;
    files.sort();
    for name in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        files.push(root.join(name));
    }
    // Not a security hash: it only has to change when the tool's own sources do.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        file.strip_prefix(root).unwrap_or(file).hash(&mut hasher);
        fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo:rerun-if-changed=src");
    for name in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={name}");
    }
    println!(
        "cargo:rustc-env=CARGO_CODEX_BUILD_ID={:016x}",
        hasher.finish()
    );
    Ok(())
}

/// Every file below `dir`, recursively.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
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
