//! End to end: which code is test code, across the module tree, as DESIGN.md defines it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Project, heads};

const UNWRAP: &str = "pub fn f() -> u8 { Some(1).unwrap() }\n";

fn tree() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "mod engine;\n#[cfg(test)]\nmod tests;\n#[cfg(all(test, unix))]\nmod unix_tests;\n#[cfg(any(test, feature = \"x\"))]\nmod maybe;\n#[cfg(not(test))]\nmod real;\n#[cfg(test)]\n#[path = \"fixtures/data.rs\"]\nmod data;\n",
        )
        .file("src/engine/mod.rs", "mod visit;\n#[cfg(test)]\nmod helpers;\npub fn run() -> u8 { Some(1).unwrap() }\n")
        .file("src/engine/visit.rs", UNWRAP)
        .file("src/engine/helpers.rs", "mod deeper;\npub fn h() -> u8 { Some(1).unwrap() }\n")
        .file("src/engine/helpers/deeper.rs", UNWRAP)
        .file("src/tests.rs", UNWRAP)
        .file("src/unix_tests.rs", UNWRAP)
        .file("src/maybe.rs", UNWRAP)
        .file("src/real.rs", UNWRAP)
        .file("src/fixtures/data.rs", UNWRAP)
        .file("tests/integration.rs", UNWRAP)
        .file("tests/common/mod.rs", UNWRAP)
        .file("benches/speed.rs", UNWRAP)
        .file("examples/demo.rs", UNWRAP)
        .file("build.rs", "fn main() { std::env::var(\"OUT_DIR\").unwrap(); }\n")
        .file(
            "src/bin/tool.rs",
            "fn main() { Some(1).unwrap(); }\n#[cfg(test)]\nimpl Foo { fn t() { Some(1).unwrap(); } }\n#[test]\nfn t() { Some(1).unwrap(); }\n#[tokio::test]\nasync fn a() { Some(1).unwrap(); }\n#[rstest]\nfn r() { Some(1).unwrap(); }\n",
        );
    project
}

#[test]
fn test_scope_follows_the_module_tree() {
    let project = tree();
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/bin/tool.rs:1:21 CX0001",
            "src/engine/mod.rs:4:30 CX0001",
            "src/engine/visit.rs:1:28 CX0001",
            "src/maybe.rs:1:28 CX0001",
            "src/real.rs:1:28 CX0001",
        ],
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);
}

#[test]
fn a_file_passed_alone_keeps_the_scope_its_parent_gives_it() {
    let project = tree();
    for test_file in [
        "src/tests.rs",
        "src/engine/helpers.rs",
        "src/engine/helpers/deeper.rs",
        "src/fixtures/data.rs",
    ] {
        let out = project.run(&["check", "--format", "concise", test_file]);
        assert_eq!(
            heads(&out.stdout),
            Vec::<String>::new(),
            "{test_file}: {}",
            out.stdout
        );
        assert_eq!(out.code, 0);
    }
    let out = project.run(&["check", "--format", "concise", "src/engine/visit.rs"]);
    assert_eq!(heads(&out.stdout), ["src/engine/visit.rs:1:28 CX0001"]);
}

#[test]
fn json_reports_scope_and_item_path() {
    let project = tree();
    project.file(
        "src/engine/visit.rs",
        "pub struct Walker;\nimpl Walker {\n    pub fn walk(&self) -> u8 { Some(1).unwrap() }\n}\n",
    );
    let out = project.run(&["check", "--format", "json", "src/engine/visit.rs"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let first = &json["diagnostics"][0];
    assert_eq!(first["item"], "engine::visit::Walker::walk");
    assert_eq!(first["scope"], "prod");
}

#[test]
fn inner_attributes_and_clippy_allows_are_inherited_down_the_tree() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "mod inner;\n#[allow(clippy::expect_used)]\nmod lenient;\nmod strict;\npub fn f() -> u8 { Some(1).expect(\"x\") }\n",
        )
        .file("src/inner.rs", "#![cfg(test)]\npub fn t() -> u8 { Some(1).unwrap() }\n")
        .file("src/lenient.rs", "mod child;\npub fn l() -> u8 { Some(1).expect(\"x\") + Some(2).unwrap() }\n")
        .file("src/lenient/child.rs", "pub fn c() -> u8 { Some(1).expect(\"x\") }\n")
        .file("src/strict.rs", "pub fn s() -> u8 { Some(1).expect(\"x\") }\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lenient.rs:2:50 CX0001",
            "src/lib.rs:5:28 CX0002",
            "src/strict.rs:1:28 CX0002"
        ],
        "{}",
        out.stdout
    );
    project.file(
        "src/lib.rs",
        "#![allow(clippy::expect_used)]\nmod inner;\nmod lenient;\nmod strict;\npub fn f() -> u8 { Some(1).expect(\"x\") }\n",
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lenient.rs:2:50 CX0001"],
        "{}",
        out.stdout
    );
}

/// Issue 7 (red team): a file is in the scope of the crate that compiles it. `#[path]` from the
/// library into `tests/`, `examples/`, `benches/` or a build script makes that file library
/// code; a tool attribute (`#[rustfmt::test]`) makes nothing a test.
#[test]
fn i7_path_modules_take_their_crates_scope_and_tool_attributes_are_not_tests() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "#[path = \"../tests/t.rs\"] pub mod t;\n#[path = \"../examples/e.rs\"] pub mod e;\n#[rustfmt::test]\npub fn a() -> u8 { Some(1).unwrap() }\n",
        )
        .file("tests/t.rs", UNWRAP)
        .file("examples/e.rs", UNWRAP)
        .file("tests/own.rs", UNWRAP)
        // serde_json's shape: a library module compiled into an integration test too.
        .file("src/util/mod.rs", "mod digits;\n")
        .file("src/util/digits.rs", UNWRAP)
        .file("tests/aaa.rs", "#[path = \"../src/util/mod.rs\"]\nmod util;\n")
        .file("src/main.rs", "mod util;\nfn main() {}\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "examples/e.rs:1:28 CX0001",
            "src/lib.rs:4:28 CX0001",
            "src/util/digits.rs:1:28 CX0001",
            "tests/t.rs:1:28 CX0001"
        ],
        "{}",
        out.stdout
    );
}

/// tokio's shape: a crate whose modules are declared inside item macros.
fn macro_tree() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "macro_rules! cfg_rt { ($($i:item)*) => { $( #[cfg(feature = \"rt\")] $i )* } }\n\
             macro_rules! cfg_loom { ($($i:item)*) => { $( #[cfg(loom)] $i )* } }\n\
             macro_rules! cfg_not_loom { ($($i:item)*) => { $( #[cfg(not(loom))] $i )* } }\n\
             cfg_rt! {\n    pub mod runtime;\n}\n\
             cfg_not_loom!(mod util;);\n\
             #[cfg(test)]\ncfg_rt! { mod test_util; }\n",
        )
        .file(
            "src/runtime/mod.rs",
            "mod driver;\n#[cfg(test)]\nmod tests;\npub fn run() -> u8 { Some(1).unwrap() }\n",
        )
        .file("src/runtime/driver.rs", UNWRAP)
        .file(
            "src/runtime/tests/mod.rs",
            "mod noop {}\ncfg_loom! {\n    mod loom_pool;\n}\ncfg_not_loom! {\n    mod task;\n    #[cfg(not(miri))]\n    mod combinations;\n}\n",
        )
        .file("src/runtime/tests/task.rs", UNWRAP)
        .file("src/runtime/tests/combinations.rs", UNWRAP)
        .file("src/runtime/tests/loom_pool.rs", "mod yield_now;\npub fn p() -> u8 { Some(1).unwrap() }\n")
        .file("src/runtime/tests/loom_pool/yield_now.rs", UNWRAP)
        .file("src/util.rs", UNWRAP)
        .file("src/test_util.rs", UNWRAP);
    project
}

/// Issue 8: modules declared inside item macros (`cfg_not_loom! { mod task; }` inside
/// `#[cfg(test)] mod tests;`) are test code; those declared in production code are not, and
/// keep their module path.
#[test]
fn i8_modules_declared_inside_item_macros_take_part_in_the_module_tree() {
    let project = macro_tree();
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/runtime/driver.rs:1:28 CX0001",
            "src/runtime/mod.rs:4:30 CX0001",
            "src/util.rs:1:28 CX0001",
        ],
        "{}",
        out.stdout
    );
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["item"], "runtime::driver::f");
    // Each test file passed alone keeps the scope its macro-wrapped declaration gives it.
    for test_file in [
        "src/runtime/tests/task.rs",
        "src/runtime/tests/combinations.rs",
        "src/runtime/tests/loom_pool.rs",
        "src/runtime/tests/loom_pool/yield_now.rs",
        "src/test_util.rs",
    ] {
        let out = project.run(&["check", "--format", "concise", test_file]);
        assert_eq!(
            heads(&out.stdout),
            Vec::<String>::new(),
            "{test_file}: {}",
            out.stdout
        );
    }
    // So does a file changed by a diff (which reads only the files in its ancestor folders).
    project.file(
        "changes.diff",
        "--- a/src/runtime/tests/loom_pool/yield_now.rs\n+++ b/src/runtime/tests/loom_pool/yield_now.rs\n@@ -0,0 +1 @@\n+pub fn f() -> u8 { Some(1).unwrap() }\n\
         --- a/src/runtime/driver.rs\n+++ b/src/runtime/driver.rs\n@@ -0,0 +1 @@\n+pub fn f() -> u8 { Some(1).unwrap() }\n",
    );
    let out = project.run(&[
        "check",
        "--format",
        "concise",
        "--changed-lines-from",
        "changes.diff",
    ]);
    assert_eq!(
        heads(&out.stdout),
        ["src/runtime/driver.rs:1:28 CX0001"],
        "{}",
        out.stdout
    );
}

/// What a macro holds is read as items only when the invocation stands as an item: a
/// `macro_rules!` definition, a macro inside a function or an expression declares nothing.
#[test]
fn i8_only_item_macro_invocations_declare_modules() {
    let project = Project::new();
    project
        .file("src/lib.rs", "#[cfg(test)]\nmod tests;\n")
        .file(
            "src/tests.rs",
            "macro_rules! decl { () => { mod from_rules; } }\nfn f() { m! { mod in_fn; } }\n",
        )
        .file("src/tests/from_rules.rs", UNWRAP)
        .file("src/tests/in_fn.rs", UNWRAP);
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/tests/from_rules.rs:1:28 CX0001",
            "src/tests/in_fn.rs:1:28 CX0001",
        ],
        "{}",
        out.stdout
    );
}

fn fingerprints(out: &common::Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

/// Issue 8: each shard takes scope from the whole tree, so the findings of all shards add up
/// to those of a whole run exactly, whichever shard the declaring files fall into.
#[test]
fn i8_the_union_of_all_shards_is_the_whole_run() {
    let project = macro_tree();
    // More files, so that declaring files and the files they declare fall into different shards.
    project
        .file(
            "src/runtime/tests/mod.rs",
            "cfg_loom! {\n    mod loom_pool;\n}\ncfg_not_loom! {\n    mod task;\n    #[cfg(not(miri))]\n    mod combinations;\n}\nmod a;\nmod b;\nmod c;\n",
        )
        .file("src/a.rs", UNWRAP)
        .file("src/runtime/tests/a.rs", UNWRAP)
        .file("src/runtime/tests/b.rs", "mod deep;\n")
        .file("src/runtime/tests/b/deep.rs", UNWRAP)
        .file("src/runtime/tests/c.rs", UNWRAP)
        .file("src/runtime/z.rs", UNWRAP);
    let whole = project.run(&["check", "--format", "json"]);
    let mut expected = fingerprints(&whole);
    expected.sort();
    assert_eq!(expected.len(), 5, "{}", whole.stdout);
    for n in [2, 3, 5] {
        let mut union = Vec::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let out = project.run(&["check", "--format", "json", "--shard", &shard]);
            union.extend(fingerprints(&out));
        }
        union.sort();
        assert_eq!(union, expected, "{n} shards");
    }
}

/// Issue 8: http's shape. A `#[test]` function inside a `macro_rules!` body with `$( … )`
/// repetitions is test code; production code beside it in the same body is still reported, at
/// its own line.
#[test]
fn i8_tests_inside_macro_rules_bodies_with_repetitions_are_test_code() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        r#"macro_rules! standard_headers {
    (
        $(
            $(#[$docs:meta])*
            ($konst:ident, $name_bytes:literal);
        )+
    ) => {
        enum StandardHeader { $( $konst, )+ }

        impl StandardHeader {
            fn parse(bytes: &[u8]) -> StandardHeader {
                match bytes {
                    $( $name_bytes => StandardHeader::$konst, )+
                    _ => std::str::from_utf8(bytes).map(|_| None).unwrap().unwrap(),
                }
            }
        }

        #[cfg(test)]
        const TEST_HEADERS: &'static [&'static [u8]] = &[ $( $name_bytes, )+ ];

        #[test]
        fn test_parse_standard_headers() {
            for name in TEST_HEADERS {
                let upper = std::str::from_utf8(name).expect("utf-8").to_uppercase();
                assert_eq!(std::str::from_utf8(upper.as_bytes()).unwrap(), "x");
            }
        }
    }
}

macro_rules! test_parse {
    ($($test_name:ident, $input:expr;)*) => {
        $(
            #[test]
            fn $test_name() {
                let _ = $input.parse::<u8>().unwrap();
            }
        )*
    };
}

macro_rules! getter {
    ($vis:vis $name:ident -> $t:ty, $body:block) => {
        $vis fn $name(v: Option<$t>) -> $t {
            v.unwrap()
        }
    };
}
"#,
    );
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        [
            "src/lib.rs:14:67 CX0001",
            "src/lib.rs:14:76 CX0001",
            "src/lib.rs:46:15 CX0001",
        ],
        "{}",
        out.stdout
    );
    let out = project.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][2]["item"], "getter::name");
}

/// `cfg_if!` (the `cfg-if` crate, used by many crates to pick modules per platform): a branch
/// is compiled when its predicate holds and no earlier one did, so the branch under `cfg(test)`
/// and the `else` of `cfg(not(test))` are test code, with the modules they declare; modules
/// declared in any branch inherit the crate's lint levels. Checked against clippy 0.1.95.
#[test]
fn cfg_if_branches_have_the_scope_of_their_predicates() {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "#![allow(clippy::unwrap_used)]
cfg_if::cfg_if! {
    if #[cfg(test)] {
        mod mock;
        pub fn helper() -> u8 { Some(1).expect(\"x\") }
    } else if #[cfg(unix)] {
        mod unix;
    } else {
        mod other;
    }
}
cfg_if::cfg_if! {
    if #[cfg(not(test))] {
        pub fn real() -> u8 { Some(1).expect(\"x\") }
    } else {
        mod fake;
    }
}
",
        )
        .file("src/mock.rs", "pub fn m() { Some(1).expect(\"x\"); }\n")
        .file(
            "src/unix.rs",
            "pub fn u() { Some(1).unwrap(); Some(1).expect(\"x\"); }\n",
        )
        .file("src/other.rs", "pub fn o() { Some(1).unwrap(); }\n")
        .file("src/fake.rs", "pub fn f() { Some(1).expect(\"x\"); }\n");
    let out = project.run(&["check", "--format", "concise"]);
    assert_eq!(
        heads(&out.stdout),
        ["src/lib.rs:14:39 CX0002", "src/unix.rs:1:40 CX0002"],
        "{}",
        out.stdout
    );
}
