//! End to end: the result cache gives what a run without it gives, re-checks only what
//! changed, is invalidated by the Codex, and cannot be turned against the check by the
//! repository it checks (planted, corrupt or linked cache files).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Output, Project, heads};

/// The operator's home: where the cache's secret key lives, outside every project.
struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Self {
        Home(tempfile::tempdir().unwrap())
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    /// Runs `cargo-codex ARGS` in `project` as this home's owner.
    fn run(&self, project: &Project, args: &[&str]) -> Output {
        self.run_in(project.path(), args)
    }

    fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        let output = Command::new(common::binary())
            .args(args)
            .current_dir(dir)
            .env("HOME", self.path())
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .env_remove("CARGO_CODEX_CACHE_DIR")
            .env_remove("CARGO_CODEX_CACHE_KEY")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        Output::from(output)
    }

    /// Runs `check ARGS --verbose` with the cache and `check ARGS --no-cache`, asserts they
    /// print the same and end the same, and returns the cached run's (from cache, checked).
    fn same_as_without(&self, project: &Project, args: &[&str]) -> (usize, usize) {
        let cached = self.run(project, &[&["check", "--verbose"], args].concat());
        let fresh = self.run(project, &[&["check", "--no-cache"], args].concat());
        assert_eq!(cached.stdout, fresh.stdout, "{}", cached.stderr);
        assert_eq!(cached.code, fresh.code);
        counts(&cached.stderr)
    }
}

/// The (from cache, checked) counts of a `--verbose` run.
fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|line| line.contains("files from the cache"))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

fn cache_dir(project: &Project) -> PathBuf {
    project.path().join("target/cargo-codex")
}

/// The one pack file in `dir`.
fn pack(dir: &Path) -> PathBuf {
    let packs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pack"))
        .collect();
    assert_eq!(packs.len(), 1, "{packs:?}");
    packs.into_iter().next().unwrap()
}

/// A project with findings in production code, test code reached through a parent's
/// `#[cfg(test)] mod`, a suppression, a syntax error, a file that is not UTF-8 and an empty one.
fn varied() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "mod config;\n#[cfg(test)]\nmod helpers;\nmod broken;\nmod empty;\n\npub fn run() -> u8 {\n    config::load().unwrap()\n}\n",
        )
        .file(
            "src/config.rs",
            "pub fn load() -> Option<u8> {\n    let port = std::env::var(\"PORT\").ok()?;\n    // codex:allow(CX0001) the port is checked at startup\n    let n: u8 = port.parse().ok().unwrap();\n    Some(n + Some(1).expect(\"one\"))\n}\n",
        )
        .file("src/helpers.rs", "pub fn fixture() -> u8 {\n    Some(1).unwrap()\n}\n")
        .file("src/broken.rs", "pub fn f() {\n    x.unwrap(\n}\n")
        .file("src/empty.rs", "")
        .bytes("src/latin1.rs", b"// caf\xe9\nfn f() {}\n")
        .file("tests/it.rs", "#[test]\nfn t() {\n    Some(1).unwrap();\n}\n");
    project
}

#[test]
fn a_warm_run_prints_what_a_run_without_cache_prints() {
    let home = Home::new();
    let project = varied();
    for format in ["json", "concise", "human", "sarif"] {
        let args = ["--format", format];
        let first = home.same_as_without(&project, &args);
        let second = home.same_as_without(&project, &args);
        if format == "json" {
            assert_eq!(first, (0, 7), "the first run checks every file");
        }
        assert_eq!(
            second,
            (7, 0),
            "{format}: the second takes every file from the cache"
        );
    }
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/broken.rs:1:1 CX9001",
            "src/config.rs:5:22 CX0002",
            "src/empty.rs:1:1 CX9002",
            "src/latin1.rs:1:7 CX9000",
            "src/lib.rs:8:20 CX0001",
        ],
        "the fixture has what it says"
    );
    // The folder stays out of git, and backup tools skip it.
    let dir = cache_dir(&project);
    assert_eq!(
        fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert!(
        fs::read_to_string(dir.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
}

#[test]
fn editing_one_file_rechecks_only_it() {
    let home = Home::new();
    let project = varied();
    home.same_as_without(&project, &["--format", "json"]);
    project.file(
        "src/config.rs",
        "pub fn load() -> Option<u8> {\n    std::env::var(\"PORT\").unwrap().parse().ok()\n}\n",
    );
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (6, 1)
    );
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert!(
        heads(&out.stdout).contains(&"src/config.rs:2:27 CX0001".to_owned()),
        "{}",
        out.stdout
    );
    // Back to bytes checked before: from the cache again.
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (7, 0)
    );
}

/// The scope a parent gives a file is not in the file's cached result: it is applied on every
/// run, so a file taken from the cache moves to test code when its parent says so.
#[test]
fn scope_from_a_parent_applies_to_results_from_the_cache() {
    let home = Home::new();
    let project = Project::new();
    project.file("src/lib.rs", "mod helpers;\n").file(
        "src/helpers.rs",
        "pub fn f() -> u8 {\n    Some(1).unwrap()\n}\n",
    );
    home.same_as_without(&project, &["--format", "concise"]);
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), ["src/helpers.rs:2:13 CX0001"]);

    project.file("src/lib.rs", "#[cfg(test)]\nmod helpers;\n");
    assert_eq!(
        home.same_as_without(&project, &["--format", "concise"]),
        (1, 1),
        "helpers.rs comes from the cache"
    );
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), Vec::<String>::new(), "{}", out.stdout);

    // Lint levels set by a parent too.
    project.file(
        "src/lib.rs",
        "#[allow(clippy::unwrap_used)]\nmod helpers;\n",
    );
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (1, 1)
    );
}

const LOCKING: &str = "pub fn f(m: &std::sync::Mutex<u8>) -> u8 {\n    *m.lock().unwrap() + *m.try_lock().unwrap()\n}\n";

#[test]
fn changing_a_rule_or_codex_toml_checks_every_file_anew() {
    let home = Home::new();
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\n")
        .file("codex-rules/mutex-lock.toml", common::LOCK_RULE)
        .file("src/lib.rs", LOCKING)
        .file("src/legacy/old.rs", LOCKING);
    project.file("src/lib.rs", &format!("mod legacy;\n{LOCKING}"));
    project.file("src/legacy.rs", "mod old;\n");
    home.same_as_without(&project, &["--format", "json"]);
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (3, 0)
    );

    // What a rule matches.
    project.file(
        "codex-rules/mutex-lock.toml",
        &common::LOCK_RULE.replace("[\"lock\"]", "[\"try_lock\"]"),
    );
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (0, 3)
    );
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert!(
        heads(&out.stdout).contains(&"src/lib.rs:3:29 ACME0001".to_owned()),
        "{}",
        out.stdout
    );

    // A rule turned off in codex.toml: findings name rules by their place in the Codex.
    project.file(
        "codex.toml",
        "rule_dirs = [\"codex-rules\"]\n[rules.CX0001]\nenabled = false\n",
    );
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (0, 3)
    );
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert!(
        heads(&out.stdout)
            .iter()
            .all(|head| !head.ends_with("CX0001")),
        "{}",
        out.stdout
    );

    // Where a rule applies is decided after the cache: results are reused, and still right.
    project.file(
        "codex-rules/mutex-lock.toml",
        &common::LOCK_RULE
            .replace("[\"lock\"]", "[\"try_lock\"]")
            .replace("src/legacy/**", "src/lib.rs"),
    );
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (3, 0)
    );
    let out = home.run(&project, &["check", "--format", "concise"]);
    assert_eq!(heads(&out.stdout), ["src/legacy/old.rs:2:29 ACME0001"]);
}

/// One entry of a pack: key, day, value.
type Entry = (Vec<u8>, Vec<u8>, Vec<u8>);

/// The pack as entries, and the bytes before them (magic, MAC, fingerprint), as
/// `src/cache/pack.rs` lays them out.
fn entries(bytes: &[u8]) -> (Vec<u8>, Vec<Entry>) {
    let head = bytes[..72].to_vec();
    let mut rest = &bytes[72..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let len = u32::from_le_bytes(rest[36..40].try_into().unwrap()) as usize;
        out.push((
            rest[..32].to_vec(),
            rest[32..36].to_vec(),
            rest[40..40 + len].to_vec(),
        ));
        rest = &rest[40 + len..];
    }
    (head, out)
}

/// A pack written with the owner's key of `home` but claiming, for the bytes of the file with
/// a finding, the result of the clean file: the forgery a repository would commit.
fn forge(home: &Home, pack: &[u8]) -> Vec<u8> {
    let (head, mut entries) = entries(pack);
    let clean = entries
        .iter()
        .find(|(_, _, value)| !value.windows(6).any(|w| w == b"unwrap"))
        .unwrap()
        .2
        .clone();
    for entry in &mut entries {
        if entry.2.windows(6).any(|w| w == b"unwrap") {
            entry.2.clone_from(&clean);
        }
    }
    let mut body = head[40..72].to_vec();
    for (key, day, value) in &entries {
        body.extend_from_slice(key);
        body.extend_from_slice(day);
        body.extend_from_slice(&u32::try_from(value.len()).unwrap().to_le_bytes());
        body.extend_from_slice(value);
    }
    let key: [u8; 32] = fs::read(home.path().join("cache/cargo-codex/key"))
        .unwrap()
        .try_into()
        .unwrap();
    let mut out = head[..8].to_vec();
    out.extend_from_slice(blake3::keyed_hash(&key, &body).as_bytes());
    out.extend_from_slice(&body);
    out
}

#[test]
fn a_cache_planted_by_the_repository_cannot_hide_a_finding() {
    // The attacker makes a pack on their machine that says their file has no finding.
    let attacker = Home::new();
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "mod clean;\npub fn f() -> u8 {\n    Some(1).unwrap()\n}\n",
        )
        .file("src/clean.rs", "pub fn g() -> u8 {\n    1\n}\n");
    attacker.run(&project, &["check"]);
    let path = pack(&cache_dir(&project));
    let forged = forge(&attacker, &fs::read(&path).unwrap());
    fs::write(&path, &forged).unwrap();
    // With the attacker's own key, the forgery works: the finding is gone.
    let out = attacker.run(&project, &["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        Vec::<String>::new(),
        "the forgery is a real one"
    );
    assert_eq!(out.code, 0);

    // Committed with the project, it is worthless anywhere else.
    let victim = Home::new();
    fs::write(&path, &forged).unwrap();
    let out = victim.run(&project, &["check", "--format", "concise", "--verbose"]);
    assert_eq!(heads(&out.stdout), ["src/lib.rs:3:13 CX0001"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("ignored the stored results"),
        "{}",
        out.stderr
    );
    assert_eq!(counts(&out.stderr), (0, 2));
    // ...and replaced by the victim's own.
    assert_eq!(
        victim.same_as_without(&project, &["--format", "concise"]),
        (2, 0)
    );
}

#[test]
fn a_damaged_cache_is_ignored() {
    let home = Home::new();
    let project = varied();
    home.same_as_without(&project, &["--format", "json"]);
    let path = pack(&cache_dir(&project));
    let good = fs::read(&path).unwrap();
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("garbage", vec![0xff; 4096]),
        ("a flipped bit", {
            let mut bytes = good.clone();
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            bytes
        }),
        ("a huge length", {
            let mut bytes = good.clone();
            bytes[72 + 36..72 + 40].copy_from_slice(&u32::MAX.to_le_bytes());
            bytes
        }),
    ];
    for (what, bytes) in damaged {
        fs::write(&path, bytes).unwrap();
        assert_eq!(
            home.same_as_without(&project, &["--format", "json"]),
            (0, 7),
            "{what}"
        );
    }
    // Too large to read: not read at all (a sparse file, so the test stays small).
    let file = fs::File::create(&path).unwrap();
    file.set_len(200 << 20).unwrap();
    drop(file);
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (0, 7)
    );
    assert!(fs::metadata(&path).unwrap().len() < 1 << 20, "replaced");
    // A folder where the pack should be: the cache cannot save, the run is unharmed.
    fs::remove_file(&path).unwrap();
    fs::create_dir(&path).unwrap();
    let out = home.run(&project, &["check", "--format", "json", "--verbose"]);
    assert!(out.stderr.contains("not saved"), "{}", out.stderr);
    assert_eq!(
        home.same_as_without(&project, &["--format", "json"]),
        (0, 7)
    );
}

#[cfg(unix)]
#[test]
fn the_cache_is_not_read_or_written_through_links() {
    use std::os::unix::fs::symlink;

    let home = Home::new();
    let outside = tempfile::tempdir().unwrap();
    // `target` itself, then the cache folder, then the pack: each a link the repository made.
    for linked in ["target", "target/cargo-codex"] {
        let project = varied();
        let link = project.path().join(linked);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        symlink(outside.path(), &link).unwrap();
        let out = home.run(&project, &["check", "--format", "json", "--verbose"]);
        assert!(
            out.stderr.contains("is a symbolic link"),
            "{linked}: {}",
            out.stderr
        );
        let fresh = home.run(&project, &["check", "--format", "json", "--no-cache"]);
        assert_eq!(out.stdout, fresh.stdout);
        assert_eq!(
            fs::read_dir(outside.path()).unwrap().count(),
            0,
            "{linked}: nothing written through the link"
        );
    }

    let project = varied();
    home.same_as_without(&project, &["--format", "json"]);
    let path = pack(&cache_dir(&project));
    let target = outside.path().join("victim");
    fs::write(&target, "keep").unwrap();
    fs::remove_file(&path).unwrap();
    symlink(&target, &path).unwrap();
    let out = home.run(&project, &["check", "--format", "json", "--verbose"]);
    assert_eq!(counts(&out.stderr), (0, 7), "a linked pack is not read");
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
}

#[test]
fn a_key_inside_the_project_turns_the_cache_off() {
    let project = varied();
    let out = Command::new(common::binary())
        .args(["check", "--format", "json", "--verbose"])
        .current_dir(project.path())
        .env("XDG_CACHE_HOME", project.path().join(".cache"))
        .env_remove("CARGO_CODEX_CACHE_DIR")
        .env_remove("CARGO_CODEX_CACHE_KEY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("inside the checked project"), "{stderr}");
    assert!(!cache_dir(&project).exists());
}

#[test]
fn no_cache_writes_nothing_and_the_cache_dir_can_be_moved() {
    let home = Home::new();
    let project = varied();
    home.run(&project, &["check", "--no-cache"]);
    assert!(!project.path().join("target").exists());

    let elsewhere = tempfile::tempdir().unwrap();
    let run = |extra: &[(&str, &str)]| {
        let mut command = Command::new(common::binary());
        command
            .args(["check", "--format", "json", "--verbose"])
            .current_dir(project.path())
            .env("HOME", home.path())
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("CARGO_CODEX_CACHE_DIR", elsewhere.path());
        for (name, value) in extra {
            command.env(name, value);
        }
        let out = command.output().unwrap();
        counts(&String::from_utf8_lossy(&out.stderr))
    };
    assert_eq!(run(&[]), (0, 7));
    assert_eq!(run(&[]), (7, 0));
    assert!(!project.path().join("target").exists());
    // A CI job that keeps the cache folder but not the home folder gives the key itself.
    let key = [(
        "CARGO_CODEX_CACHE_KEY",
        "a protected ci variable, 32+ chars",
    )];
    assert_eq!(
        run(&key),
        (0, 7),
        "another key: the old results are not trusted"
    );
    assert_eq!(run(&key), (7, 0));
}

#[test]
fn staged_and_diff_runs_use_the_cache_and_print_the_same() {
    let home = Home::new();
    let project = varied();
    let git = |args: &[&str]| {
        let out = common::git(&project, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "base"]);
    home.same_as_without(&project, &["--format", "json"]);
    project.file(
        "src/helpers.rs",
        "pub fn fixture() -> u8 {\n    Some(2).unwrap()\n}\npub fn more() -> u8 {\n    Some(3).unwrap()\n}\n",
    );
    git(&["add", "src/helpers.rs"]);
    // The merge base's copies of the files come from the cache: same bytes.
    let (hits, _) = home.same_as_without(&project, &["--format", "json", "--diff", "main"]);
    assert!(hits >= 6, "{hits}");
    let (hits, misses) = home.same_as_without(&project, &["--format", "json", "--staged"]);
    assert_eq!(
        (hits, misses),
        (1, 0),
        "the staged file was checked by the --diff run"
    );
}
