//! Hostile input (issue 7): shapes a merge request can add to crash, stall or blind the check,
//! each at a size that used to break it. Every shape is written beside `src/good.rs`, whose
//! finding must survive; the run must end by itself before a deadline, with exit code 0, 1 or 2
//! (never a signal), and its output must parse. `fuzz/` searches for new shapes; the ones found
//! are kept here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fmt::Write as _;
use std::fs::{self, File};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Project;
use serde_json::Value;

/// Far above what any of these shapes needs once checking is linear (the slowest takes about
/// 8 s in a debug build on a quiet machine, 17 s with the machine's two cores shared by other
/// builds); a run still going then is stalled, and is killed so that the suite goes on. Growth
/// is measured by `bench/pathological.py` (see bench/pathological.md), not by this deadline.
const DEADLINE: Duration = Duration::from_secs(60);

/// The neighbour: its finding must survive whatever sits beside it.
const GOOD: &str = "pub fn f() -> u8 { Some(1).unwrap() }\n";

/// Where each shape is written.
const HOSTILE: &str = "src/hostile.rs";

/// What a run printed and its exit code.
struct Ran {
    stdout: String,
    stderr: String,
    code: i32,
}

/// A project holding the neighbour and `files` (relative path, content).
fn project(files: &[(&[u8], &[u8])]) -> Project {
    let project = Project::new();
    project.file("src/good.rs", GOOD);
    for (path, content) in files {
        let path = project.path().join(std::ffi::OsStr::from_bytes(path));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    project
}

/// Runs `command` with a deadline; output goes to files, so a large report cannot fill a pipe.
/// Fails naming `shape` when the run is still going at the deadline, dies of a signal, or exits
/// with a code other than 0, 1 or 2.
fn bounded(shape: &str, mut command: Command) -> Ran {
    let out = tempfile::tempdir().unwrap();
    let (stdout_path, stderr_path) = (out.path().join("stdout"), out.path().join("stderr"));
    command
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).unwrap())
        .stderr(File::create(&stderr_path).unwrap())
        .env_remove("NO_COLOR");
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{shape}: still running after {DEADLINE:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |path| String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
    let (stdout, stderr) = (read(&stdout_path), read(&stderr_path));
    let Some(code) = status.code() else {
        panic!(
            "{shape}: killed by signal {:?} after {:?}\n{}",
            status.signal(),
            started.elapsed(),
            tail(&stderr)
        );
    };
    assert!(
        matches!(code, 0..=2),
        "{shape}: exit code {code}\n{}",
        tail(&stderr)
    );
    Ran {
        stdout,
        stderr,
        code,
    }
}

/// The end of `text`, where a crash or an error is told.
fn tail(text: &str) -> &str {
    let start = text.char_indices().rev().nth(2000).map_or(0, |(at, _)| at);
    &text[start..]
}

/// `cargo-codex ARGS` in `project`, bounded.
fn run(shape: &str, project: &Project, args: &[&str]) -> Ran {
    let mut command = Command::new(common::binary());
    command.args(args).current_dir(project.path());
    bounded(shape, command)
}

/// `cargo-codex check --format FORMAT --color never` in `project`, bounded.
fn check(shape: &str, project: &Project, format: &str) -> Ran {
    run(
        shape,
        project,
        &["check", "--format", format, "--color", "never"],
    )
}

/// The JSON report, which must parse.
fn json(shape: &str, ran: &Ran) -> Value {
    serde_json::from_str(&ran.stdout).unwrap_or_else(|error| {
        panic!(
            "{shape}: the json output does not parse ({error}); it starts with {:?}",
            ran.stdout.chars().take(300).collect::<String>()
        )
    })
}

/// The paths with at least one finding in a JSON report.
fn paths(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts that the neighbour's finding is in `ran`'s output in `format`.
fn assert_neighbour(shape: &str, format: &str, ran: &Ran) {
    let found = match format {
        "json" => json(shape, ran)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == "src/good.rs" && d["rule"] == "CX0001"),
        "concise" => ran
            .stdout
            .lines()
            .any(|line| line.starts_with("src/good.rs:1:28: error[CX0001]")),
        "human" => ran.stdout.contains("[CX0001]") && ran.stdout.contains("src/good.rs:1:28"),
        "github" => ran
            .stdout
            .lines()
            .any(|line| line.starts_with("::error file=src/good.rs,line=1,")),
        other => panic!("no neighbour check for {other}"),
    };
    assert!(
        found,
        "{shape}: the neighbour's CX0001 finding is missing from the {format} output (exit {})\n{}",
        ran.code,
        ran.stderr.chars().take(2000).collect::<String>()
    );
}

/// Checks `text` as `src/hostile.rs` in `format`: bounded, exit 0-2, the neighbour's finding
/// survives, and a file that holds a trigger word is not dropped silently (it gets its finding,
/// or a "not checked" one).
fn hostile_in(shape: &str, text: &str, format: &str) -> Ran {
    let project = project(&[(HOSTILE.as_bytes(), text.as_bytes())]);
    let ran = check(shape, &project, format);
    assert_neighbour(shape, format, &ran);
    if format == "json" && text.contains("unwrap") {
        assert!(
            paths(&json(shape, &ran)).iter().any(|p| p == HOSTILE),
            "{shape}: {HOSTILE} has no finding at all"
        );
    }
    ran
}

fn hostile(shape: &str, text: &str) {
    hostile_in(shape, text, "json");
}

/// `open` `depth` times, `middle`, then `close` `depth` times.
fn nest(open: &str, middle: &str, close: &str, depth: usize) -> String {
    format!("{}{middle}{}", open.repeat(depth), close.repeat(depth))
}

/// A function with a finding and `expr` as a local's value.
fn in_expr(expr: &str) -> String {
    format!("pub fn g() {{\n    Some(1).unwrap();\n    let _y = {expr};\n}}\n")
}

/// A function with a finding and `ty` as a local's type.
fn in_type(ty: &str) -> String {
    format!("pub fn g() {{\n    Some(1).unwrap();\n    let _y: {ty};\n}}\n")
}

// Deep nesting that is not made of delimiters: syn recurses once per level.

#[test]
fn reference_types_78k_deep() {
    hostile("&&&…u8", &in_type(&format!("{}u8", "&".repeat(78_000))));
}

#[test]
fn generic_types_36k_deep() {
    hostile("V<V<…>>", &in_type(&nest("V<", "u8", ">", 36_000)));
}

#[test]
fn closures_40k_deep() {
    hostile(
        "|x| |x| …",
        &in_expr(&format!("{}0", "|x| ".repeat(40_000))),
    );
}

#[test]
fn returns_100k_deep() {
    hostile(
        "return return …",
        &in_expr(&format!("{}0", "return ".repeat(100_000))),
    );
}

#[test]
fn function_pointer_types_20k_deep() {
    hostile(
        "fn() -> fn() -> …",
        &in_type(&format!("{}u8", "fn() -> ".repeat(20_000))),
    );
}

#[test]
fn turbofish_36k_deep() {
    let call = format!("f::<{}>()", nest("V<", "u8", ">", 36_000));
    hostile("f::<V<V<…>>>()", &in_expr(&call));
}

#[test]
fn boxed_closure_types_12k_deep() {
    let ty = nest("Box<dyn Fn() -> ", "u8", ">", 12_000);
    hostile("Box<dyn Fn() -> …>", &in_type(&ty));
}

#[test]
fn negations_100k_deep() {
    hostile("!!!…x", &in_expr(&format!("{}x", "!".repeat(100_000))));
}

#[test]
fn minus_signs_80k_deep() {
    hostile("- - - x", &in_expr(&format!("{}x", "- ".repeat(80_000))));
}

#[test]
fn derefs_of_borrows_50k_deep() {
    hostile("*&*&…x", &in_expr(&format!("{}x", "*&".repeat(50_000))));
}

#[test]
fn borrows_100k_deep() {
    hostile("&&&…x", &in_expr(&format!("{}x", "&".repeat(100_000))));
}

#[test]
fn ranges_50k_deep() {
    hostile(".. .. … x", &in_expr(&format!("{}x", ".. ".repeat(50_000))));
}

#[test]
fn field_chain_50k_long() {
    hostile("x.0.0.0…", &in_expr(&format!("x{}", ".0".repeat(50_000))));
}

#[test]
fn try_operators_100k_long() {
    hostile("a?????…", &in_expr(&format!("a{}", "?".repeat(100_000))));
}

#[test]
fn else_if_chain_15k_long() {
    hostile(
        "if a {} else if …",
        &in_expr(&format!("{}{{}}", "if a {} else ".repeat(15_000))),
    );
}

// Deep nesting of delimiters.

#[test]
fn loops_20k_deep() {
    hostile(
        "loop { loop { … } }",
        &in_expr(&nest("loop { ", "0", " }", 20_000)),
    );
}

#[test]
fn ifs_20k_deep() {
    hostile(
        "if a { if a { … } }",
        &in_expr(&nest("if a { ", "0", " }", 20_000)),
    );
}

#[test]
fn matches_10k_deep() {
    hostile(
        "match a { _ => match … }",
        &in_expr(&nest("match a { _ => ", "0", " }", 10_000)),
    );
}

#[test]
fn parenthesized_types_50k_deep() {
    hostile("(((…u8)))", &in_type(&nest("(", "u8", ")", 50_000)));
}

#[test]
fn attribute_arguments_30k_deep() {
    let text = format!(
        "#[a({})]\npub fn g() {{\n    Some(1).unwrap();\n}}\n",
        nest("b(", "c", ")", 30_000)
    );
    hostile("#[a(b(c(…)))]", &text);
}

#[test]
fn inline_modules_12k_deep() {
    let text = nest("mod m { ", "pub fn g() { Some(1).unwrap(); }", " }", 12_000);
    hostile("mod m { mod m { … } }", &text);
}

#[test]
fn cfg_predicate_16k_deep() {
    let text = format!(
        "#![cfg({})]\npub fn g() -> u8 {{ 1 }}\n",
        nest("any(", "test", ")", 16_000)
    );
    hostile("#![cfg(any(any(…test)))]", &text);
}

#[test]
fn only_open_braces_100k() {
    hostile("{{{{…", &"{".repeat(100_000));
}

// Long lines and many findings.

#[test]
fn allow_comments_10k_on_one_line() {
    let text = format!(
        "pub fn g() -> u8 {{ Some(1).unwrap() }} {}\n",
        "/*codex:allow*/".repeat(10_000)
    );
    hostile("10k /*codex:allow*/ on one line", &text);
}

#[test]
fn unwrap_chain_17k_long_on_one_line() {
    let text = format!(
        "pub fn g() -> u8 {{ Some(1){} }}\n",
        ".unwrap()".repeat(17_000)
    );
    hostile(".unwrap().unwrap()… on one line", &text);
}

fn unwraps_on_one_line() -> String {
    format!(
        "pub fn g(a: Option<u8>) {{ {}}}\n",
        "a.unwrap(); ".repeat(12_000)
    )
}

#[test]
fn unwraps_12k_on_one_line_json() {
    hostile_in(
        "12k a.unwrap(); on one line, json",
        &unwraps_on_one_line(),
        "json",
    );
}

#[test]
fn unwraps_12k_on_one_line_concise() {
    hostile_in(
        "12k a.unwrap(); on one line, concise",
        &unwraps_on_one_line(),
        "concise",
    );
}

#[test]
fn unwraps_12k_on_one_line_human() {
    hostile_in(
        "12k a.unwrap(); on one line, human",
        &unwraps_on_one_line(),
        "human",
    );
}

#[test]
fn findings_40k_in_human() {
    let text = format!(
        "pub fn g(a: Option<u8>) {{\n{}}}\n",
        "    a.unwrap();\n".repeat(40_000)
    );
    hostile_in("40k findings, human", &text, "human");
}

#[test]
fn sum_200kb_on_one_line() {
    let text = format!(
        "pub fn g(a: u8) -> u8 {{ Some(1).unwrap(); {}a }}\n",
        "a+".repeat(100_000)
    );
    hostile("200 KB line of a+a+a+…", &text);
}

// Rules under review are input too.

/// A rule file matching `pattern`, in the shape of `tests/fixtures/rules/`.
fn pattern_rule(pattern: &str) -> String {
    format!(
        "id = \"HOST0001\"\ntitle = \"a call\"\nseverity = \"warning\"\nstage = \"enforce\"\nreferences = [\"https://example.com/rule\"]\nmessage = \"calls a\"\n\
         doc = \"\"\"\n## What it does\nFlags `.a()`.\n\n## Why is this bad?\nA test rule.\n\n\
         ## Example\nSee the test.\n\"\"\"\n\n[match]\npattern = \"{pattern}\"\n"
    )
}

const RULE_DIRS: &str = "rule_dirs = [\"codex-rules\"]\n";

/// Issue 9: a rule file's shape errors are found entry by entry and the errors a wrong entry
/// causes are dropped by a search per error: 20k unknown keys and 20k bad names are reported
/// one by one, in linear time.
#[test]
fn rule_file_with_20k_unknown_keys_and_20k_bad_names() {
    let shape = "rule file with 20k unknown keys and 20k bad names";
    let keys: String = (0..20_000).fold(String::new(), |mut keys, i| {
        let _ = writeln!(keys, "k{i} = 1");
        keys
    });
    let names = vec!["\"a b\""; 20_000].join(", ");
    let unknown = format!("{}{keys}", pattern_rule("$X.a()"));
    let bad = pattern_rule("$X.a()")
        .replace("HOST0001", "HOST0002")
        .replace("pattern = \"$X.a()\"", &format!("method = [{names}]"));
    let project = project(&[
        (b"codex.toml", RULE_DIRS.as_bytes()),
        (b"codex-rules/unknown-keys.toml", unknown.as_bytes()),
        (b"codex-rules/bad-names.toml", bad.as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_eq!(ran.code, 2, "{shape}");
    assert!(
        ran.stderr
            .ends_with("the Codex could not be loaded: 40000 errors\n"),
        "{shape}: {}",
        tail(&ran.stderr)
    );
}

#[test]
fn pattern_rule_on_a_10k_chain() {
    let shape = "pattern $X.a() on a 10k-link chain";
    let source = format!(
        "pub fn g(x: u8) {{\n    Some(1).unwrap();\n    x{};\n}}\n",
        ".a()".repeat(10_000)
    );
    let rule = pattern_rule("$X.a()");
    let project = project(&[
        (b"codex.toml", RULE_DIRS.as_bytes()),
        (b"codex-rules/a-call.toml", rule.as_bytes()),
        (HOSTILE.as_bytes(), source.as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_neighbour(shape, "json", &ran);
    let report = json(shape, &ran);
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == HOSTILE)
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"HOST0001") || rules.contains(&"CX9001"),
        "{shape}: the rule neither matched nor reported the item unchecked: {rules:?}"
    );
}

#[test]
fn pattern_rule_nested_2600_parentheses() {
    let shape = "pattern nested 2,600 parentheses";
    let rule = pattern_rule(&nest("(", "$X.a()", ")", 2_600));
    let project = project(&[
        (b"codex.toml", RULE_DIRS.as_bytes()),
        (b"codex-rules/deep.toml", rule.as_bytes()),
        (HOSTILE.as_bytes(), in_expr("x.a()").as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    if ran.code == 2 {
        assert!(
            ran.stderr.contains("deep.toml"),
            "{shape}: a load error must name the rule file\n{}",
            ran.stderr
        );
    } else {
        assert_neighbour(shape, "json", &ran);
    }
}

// `--fix` re-parses what it wrote.

#[test]
fn fix_reparse_of_a_2600_deep_type() {
    let shape = "--fix on a file with a 2,600-deep type";
    let source = format!(
        "pub fn g() -> Option<u8> {{\n    let _x: {}u8;\n    Some(1).unwrap();\n    Some(0)\n}}\n",
        "&".repeat(2_600)
    );
    let project = project(&[(HOSTILE.as_bytes(), source.as_bytes())]);
    let ran = run(
        shape,
        &project,
        &["check", "--fix", "--unsafe-fixes", "--format", "json"],
    );
    assert_neighbour(shape, "json", &ran);
}

// Without room for the worker stacks, the check must still not abort.

#[test]
fn no_room_for_worker_stacks() {
    let shape = "ulimit -v 400000 and a 3 KB nested file";
    let project = project(&[(
        HOSTILE.as_bytes(),
        in_type(&format!("{}u8", "&".repeat(3_000))).as_bytes(),
    )]);
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -v 400000; exec \"$0\" \"$@\""])
        .arg(common::binary())
        .args(["check", "--format", "json"])
        .current_dir(project.path());
    let ran = bounded(shape, command);
    assert_neighbour(shape, "json", &ran);
}

// File names are written by the merge request too.

/// A file name whose newline would start a GitHub workflow command of its own.
const FORGING: &[u8] = b"src/x\n::error file=forged.rs,line=1::forged by a file name\ny.rs";

/// File names that would colour, clear, link or ring a terminal, or rewrite its line.
const ESCAPING: [&[u8]; 4] = [
    b"src/\x1b[2J\x1b[31mred.rs",
    b"src/\x1b]8;;mailto:a@evil.example\x07link\x1b]8;;\x07.rs",
    b"src/bell\x07.rs",
    b"src/cr\rforged.rs",
];

/// The neighbour, and an `.unwrap()` in a file under each of `names`.
fn named(names: &[&[u8]]) -> Project {
    let files: Vec<(&[u8], &[u8])> = names.iter().map(|name| (*name, GOOD.as_bytes())).collect();
    project(&files)
}

#[test]
fn newline_in_a_file_name_forges_no_github_annotation() {
    let shape = "newline in a file name, github";
    let ran = check(shape, &named(&[FORGING, b"src/a\nb.rs"]), "github");
    assert_neighbour(shape, "github", &ran);
    for line in ran.stdout.lines() {
        assert!(
            line.starts_with("::") && !line.starts_with("::error file=forged.rs"),
            "{shape}: a line the findings did not make: {line:?}"
        );
    }
}

/// Asserts that no line of `format` output comes from a newline in a file name.
fn assert_no_forged_line(format: &str) {
    let shape = format!("newline in a file name, {format}");
    let ran = check(&shape, &named(&[FORGING, b"src/a\nb.rs"]), format);
    assert_neighbour(&shape, format, &ran);
    for line in ran.stdout.lines() {
        assert!(
            !line.starts_with("::") && !line.starts_with("y.rs") && !line.starts_with("b.rs"),
            "{shape}: a line the file name made: {line:?}"
        );
    }
}

#[test]
fn newline_in_a_file_name_forges_no_line_in_concise() {
    assert_no_forged_line("concise");
}

#[test]
fn newline_in_a_file_name_forges_no_line_in_human() {
    assert_no_forged_line("human");
}

/// Asserts that no control character from a file name reaches `format` output raw.
fn assert_no_raw_control(format: &str) {
    let shape = format!("control characters in file names, {format}");
    let ran = check(&shape, &named(&ESCAPING), format);
    assert_neighbour(&shape, format, &ran);
    let raw = ran
        .stdout
        .chars()
        .find(|c| matches!(c, '\u{1b}' | '\u{7}' | '\r' | '\u{9b}'));
    assert!(raw.is_none(), "{shape}: raw {raw:?} in the output");
}

#[test]
fn control_characters_in_file_names_reach_no_terminal_in_concise() {
    assert_no_raw_control("concise");
}

#[test]
fn control_characters_in_file_names_reach_no_terminal_in_human() {
    assert_no_raw_control("human");
}

#[test]
fn control_characters_in_file_names_keep_json_valid() {
    let shape = "control characters and newlines in file names, json";
    let mut names = ESCAPING.to_vec();
    names.extend([FORGING, b"src/\xff\xfe.rs".as_slice()]);
    let ran = check(shape, &named(&names), "json");
    assert_neighbour(shape, "json", &ran);
    let found = paths(&json(shape, &ran));
    assert!(
        found.iter().any(|p| p.contains("forged by a file name")),
        "{shape}: the file with a newline in its name was not reported: {found:?}"
    );
}

#[test]
fn non_utf8_source() {
    let shape = "non-UTF-8 source";
    let project = project(&[(
        HOSTILE.as_bytes(),
        b"pub fn g() { Some(1).unwrap(); }\n// \xff\xfe caf\xe9\n",
    )]);
    let ran = check(shape, &project, "json");
    assert_neighbour(shape, "json", &ran);
    assert!(paths(&json(shape, &ran)).iter().any(|p| p == HOSTILE));
}

/// Red team: `a @ a @ … @ 1` nests one pattern per `@`.
#[test]
fn at_bindings_30k_deep() {
    hostile(
        "a@a@…@1 bindings",
        &format!(
            "fn f() {{ let {}1 = 1; x.unwrap(); }}\n",
            "a@".repeat(30_000)
        ),
    );
}

/// Red team: `use a::a::…::b;` nests one use tree per segment.
#[test]
fn use_path_100k_segments() {
    hostile(
        "use a::a::…::b",
        &format!(
            "use {}b;\nfn f() {{ x.unwrap(); }}\n",
            "a::".repeat(100_000)
        ),
    );
}

/// Red team: a rule pattern with deep `@` bindings overflowed the main thread while loading.
#[test]
fn pattern_rule_with_100k_at_bindings() {
    let shape = "pattern with 100k @ bindings";
    let rule = pattern_rule(&format!("$X.map(|{}b| 1)", "a@".repeat(100_000)));
    let project = project(&[
        (b"codex.toml", RULE_DIRS.as_bytes()),
        (b"codex-rules/deep.toml", rule.as_bytes()),
        (HOSTILE.as_bytes(), in_expr("x.a()").as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_eq!(ran.code, 2, "{shape}: {}", ran.stderr);
    assert!(ran.stderr.contains("deep.toml"), "{shape}: {}", ran.stderr);
}

// Issue 8: `macro_rules!` transcribers are read as code, and item macro invocations take part in
// the module tree. Both stay linear and bounded.

/// `$( $( … )* )*`: each repetition is read once, with an explicit stack.
#[test]
fn transcriber_repetitions_100k_deep() {
    hostile(
        "$( $( … )* )* in a transcriber",
        &format!(
            "macro_rules! m {{ () => {{ {} }}; }}\n",
            nest("$( ", "x.unwrap();", " )*", 100_000)
        ),
    );
}

/// Just under the depth bound, the transcriber is read and its finding reported.
#[test]
fn transcriber_repetitions_100_deep_are_read() {
    let shape = "$( { $( … )* } )* 100 deep";
    let text = format!(
        "macro_rules! m {{ () => {{ {} }}; }}\n",
        nest("$( { ", "x.unwrap();", " } )*", 100)
    );
    let ran = hostile_in(shape, &text, "json");
    let rules: Vec<String> = json(shape, &ran)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == HOSTILE)
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["CX0001"], "{shape}");
}

/// Item macros nested in item macros: each level is split once.
#[test]
fn item_macros_100k_deep() {
    hostile(
        "m! { m! { … mod a; } }",
        &nest("m! { ", "mod a; fn f() { x.unwrap(); }", " }", 100_000),
    );
}

/// 200 levels of item macros still carry the invocation's `cfg(test)` to the module they
/// declare, and declare the other one as library code.
#[test]
fn item_macros_200_deep_declare_their_modules() {
    let shape = "m! { m! { … mod t; } } 200 deep";
    let text = format!(
        "#[cfg(test)]\n{}\n{}\n",
        nest("m! { ", "mod t;", " }", 200),
        nest("m! { ", "mod p;", " }", 200)
    );
    let project = project(&[
        (HOSTILE.as_bytes(), text.as_bytes()),
        (b"src/hostile/t.rs", GOOD.as_bytes()),
        (b"src/hostile/p.rs", GOOD.as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_neighbour(shape, "json", &ran);
    let found = paths(&json(shape, &ran));
    assert!(
        found.iter().any(|p| p == "src/hostile/p.rs"),
        "{shape}: {found:?}"
    );
    assert!(
        !found.iter().any(|p| p == "src/hostile/t.rs"),
        "{shape}: {found:?}"
    );
}

/// 100k `m! { mod a; }` in one file: one declaration each, all of the same file.
#[test]
fn item_macro_mods_100k_in_one_file() {
    let shape = "m! { mod a; } 100k times";
    let text = format!(
        "#[cfg(test)]\nmod t;\n{}",
        "m! { mod a; }\n".repeat(100_000)
    );
    let project = project(&[
        (HOSTILE.as_bytes(), text.as_bytes()),
        (b"src/hostile/a.rs", GOOD.as_bytes()),
        (b"src/hostile/t.rs", GOOD.as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_neighbour(shape, "json", &ran);
    let found = paths(&json(shape, &ran));
    assert!(
        found.iter().any(|p| p == "src/hostile/a.rs"),
        "{shape}: {found:?}"
    );
    assert!(
        !found.iter().any(|p| p == "src/hostile/t.rs"),
        "{shape}: {found:?}"
    );
}

/// A `cfg_if!` chain of 20k branches: each predicate is evaluated once.
#[test]
fn cfg_if_chain_20k_branches() {
    hostile(
        "cfg_if! { if #[cfg(..)] { .. } else if … }",
        &format!(
            "cfg_if! {{ if #[cfg(test)] {{ mod t; }}{} else {{ mod e; }} }}\n",
            " else if #[cfg(unix)] { fn b() { x.unwrap(); } }".repeat(20_000)
        ),
    );
}

/// `cfg_if!` in `cfg_if!` 100k deep: measured, not read.
#[test]
fn cfg_if_100k_deep() {
    hostile(
        "cfg_if! { if #[cfg(test)] { cfg_if! { … } } }",
        &nest(
            "cfg_if! { if #[cfg(test)] { ",
            "mod t; fn a() { x.unwrap(); }",
            " } }",
            100_000,
        ),
    );
}

// Lint levels: deciding a finding's level reads three names, whatever the number of attributes
// in force, and a module inherits its parent's levels without a copy per declaration.

/// 50k inner attributes before 50k `mod a;`: the inner attributes were split off with a copy
/// of the rest of the file per attribute.
#[test]
fn inner_allows_50k_and_mod_declarations_50k() {
    let shape = "#![allow(..)] × 50k, mod a; × 50k";
    let text = format!(
        "{}{}pub fn f() {{ Some(1).unwrap(); }}\n",
        "#![allow(clippy::panic)]\n".repeat(50_000),
        "mod a;\n".repeat(50_000)
    );
    let project = project(&[
        (HOSTILE.as_bytes(), text.as_bytes()),
        (b"src/hostile/a.rs", GOOD.as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_neighbour(shape, "json", &ran);
    let found = paths(&json(shape, &ran));
    assert!(
        found.iter().any(|p| p == "src/hostile/a.rs"),
        "{shape}: {found:?}"
    );
}

/// 20k lint attributes on a function holding 20k findings.
#[test]
fn allows_20k_on_a_function_with_20k_findings() {
    hostile(
        "#[allow(..)] × 20k fn f() { x.unwrap(); × 20k }",
        &format!(
            "{}fn f() {{ {} }}\n",
            "#[allow(clippy::panic)] ".repeat(20_000),
            "x.unwrap(); ".repeat(20_000)
        ),
    );
}

/// 20k distinct lint names over a file that declares 300 modules, each with levels of its own:
/// every module inherits them.
#[test]
fn distinct_lint_names_20k_over_300_modules() {
    let shape = "#![allow(clippy::xN)] × 20k, 300 modules";
    let mut text = String::new();
    for i in 0..20_000 {
        writeln!(text, "#![allow(clippy::x{i})]").unwrap();
    }
    text.push_str("#![allow(clippy::unwrap_used)]\n");
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..300 {
        writeln!(text, "mod a{i};").unwrap();
        files.push((
            format!("src/hostile/a{i}.rs"),
            "#![warn(clippy::y)]\npub fn g() { Some(1).unwrap(); }\n".to_owned(),
        ));
    }
    // The last module warns again: its finding is reported, the others' are allowed.
    files.push((
        "src/hostile/a299.rs".to_owned(),
        "#![warn(clippy::unwrap_used)]\npub fn g() { Some(1).unwrap(); }\n".to_owned(),
    ));
    let mut all: Vec<(&[u8], &[u8])> = vec![(HOSTILE.as_bytes(), text.as_bytes())];
    all.extend(
        files
            .iter()
            .map(|(path, text)| (path.as_bytes(), text.as_bytes())),
    );
    let ran = check(shape, &project(&all), "json");
    assert_neighbour(shape, "json", &ran);
    let found = paths(&json(shape, &ran));
    assert_eq!(
        found
            .iter()
            .filter(|p| p.starts_with("src/hostile/"))
            .collect::<Vec<_>>(),
        ["src/hostile/a299.rs"],
        "{shape}"
    );
}

/// A chain of 20k utilities, each `matches` the next: compiling (and matching) follows the
/// chain by recursion, so its length is bounded and a longer one is a located error, not a
/// stack overflow.
#[test]
fn utility_chain_20k_long() {
    let shape = "utils.toml with a 20k-long `matches` chain";
    let mut utils = String::new();
    for i in 0..20_000 {
        let _ = writeln!(utils, "[u{i}]\nmatches = \"u{}\"", i + 1);
    }
    utils.push_str("[u20000]\npattern = \"$X.a()\"\n");
    let rule = pattern_rule("$X.a()").replace("pattern = \"$X.a()\"", "matches = \"u0\"");
    let project = project(&[
        (b"codex.toml", RULE_DIRS.as_bytes()),
        (b"codex-rules/utils.toml", utils.as_bytes()),
        (b"codex-rules/a-call.toml", rule.as_bytes()),
    ]);
    let ran = check(shape, &project, "json");
    assert_eq!(ran.code, 2, "{shape}: {}", tail(&ran.stderr));
    assert!(
        ran.stderr.contains("utilities nest more than"),
        "{shape}: {}",
        tail(&ran.stderr)
    );
}
