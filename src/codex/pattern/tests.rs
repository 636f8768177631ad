use std::cell::Cell;

use syn::parse::Parser;

use super::*;

fn matches_target(pattern: &str, target: Target<'_>) -> bool {
    let pattern = Pattern::parse(pattern).unwrap();
    let resolve = |path: &[String]| {
        // As if the file said `use std::time::Duration;`.
        let mut full = path.to_vec();
        if path.first().is_some_and(|first| first == "Duration") {
            full.splice(0..0, ["std".to_owned(), "time".to_owned()]);
        }
        vec![path.to_vec(), full]
    };
    let budget = Cell::new(10_000);
    Matching::new(&resolve, &budget).root(&pattern.root, target)
}

fn matches(pattern: &str, code: &str) -> bool {
    let expr: syn::Expr = syn::parse_str(code).unwrap();
    matches_target(pattern, Target::Expr(&expr))
}

fn matches_item(pattern: &str, code: &str) -> bool {
    let item: syn::Item = syn::parse_str(code).unwrap();
    matches_target(pattern, matching::item_target(&item))
}

fn matches_block(pattern: &str, code: &str) -> Option<std::ops::Range<usize>> {
    let block: syn::Block = syn::parse_str(code).unwrap();
    let pattern = Pattern::parse(pattern).unwrap();
    let Root::Node(Node::Seq(elems)) = &pattern.root else {
        panic!("not a sequence: {:?}", pattern.root)
    };
    let resolve = |path: &[String]| vec![path.to_vec()];
    let budget = Cell::new(10_000);
    Matching::new(&resolve, &budget).sequence(elems, &block.stmts, 0)
}

#[test]
fn metavariables_and_structure() {
    assert!(matches("$X.lock().unwrap()", "self.state.lock().unwrap()"));
    assert!(!matches("$X.lock().unwrap()", "self.state.read().unwrap()"));
    assert!(matches("std::mem::forget($X)", "std::mem::forget(guard)"));
    assert!(matches("$A as u8", "(len + 1) as u8"));
    assert!(!matches("$A as u8", "len as u16"));
    assert!(matches("$M.insert($...ARGS)", "map.insert(k, v)"));
    assert!(matches("$M.insert($...ARGS)", "set.insert()"));
    assert!(matches("$M.insert($$$ARGS)", "set.insert(1)"));
    assert!(matches("$X.max($X)", "a.b.max(a.b)"));
    assert!(matches("$X.max($X)", "(a . b).max(a.b)"));
    assert!(!matches("$X.max($X)", "a.max(b)"));
}

#[test]
fn argument_runs_and_names_in_any_position() {
    assert!(matches("f(.., 1, ..)", "f(0, 1, 2)"));
    assert!(matches("f(.., 1, ..)", "f(1)"));
    assert!(!matches("f(.., 1, ..)", "f(0, 2)"));
    assert!(matches("f(.., $X)", "f(a, b, c)"));
    assert!(matches("f($X, ..)", "f(a)"));
    assert!(!matches("f($X)", "f(a, b)"));
    assert!(matches("$CFG.$FIELD", "config.password"));
    assert!(matches("$X.$M($X)", "a.min(a)"));
    assert!(!matches("$X.$M($X)", "a.min(b)"));
    assert!(matches("$X.$M().$M()", "a.b().b()"));
    assert!(!matches("$X.$M().$M()", "a.b().c()"));
}

#[test]
fn chains_structs_and_paths() {
    let chain = "Client::builder().$$$.danger_accept_invalid_certs(true)";
    assert!(matches(
        chain,
        "Client::builder().timeout(t).danger_accept_invalid_certs(true)"
    ));
    assert!(matches(
        chain,
        "reqwest::Client::builder().danger_accept_invalid_certs(true)"
    ));
    assert!(!matches(
        chain,
        "Client::builder().danger_accept_invalid_certs(false)"
    ));
    assert!(!matches(
        chain,
        "other().timeout(t).danger_accept_invalid_certs(true)"
    ));
    assert!(matches(
        "Config { verify: false, .. }",
        "Config { verify: false, x: 1 }"
    ));
    assert!(!matches(
        "Config { verify: false }",
        "Config { verify: false, x: 1 }"
    ));
    assert!(matches(
        "Config { verify: $V, .. }",
        "tls::Config { x: 1, verify: v }"
    ));
    assert!(matches(
        "Duration::from_secs($X)",
        "std::time::Duration::from_secs(5)"
    ));
    assert!(matches(
        "std::time::Duration::from_secs($X)",
        "Duration::from_secs(5)"
    ));
    assert!(!matches(
        "std::time::Duration::from_secs($X)",
        "other::Duration::from_secs(5)"
    ));
    assert!(matches("unsafe { .. }", "unsafe { a(); b() }"));
    assert!(matches(
        "unsafe { $X.set_len($N) }",
        "unsafe { v.set_len(10) }"
    ));
    assert!(!matches(
        "unsafe { $X.set_len($N) }",
        "unsafe { v.set_len(10); other() }"
    ));
    assert!(matches(
        "if let Some($X) = $E { .. }",
        "if let Some(a) = b.get(1) { c() }"
    ));
    assert!(matches("\"literal\"", "\"literal\""));
    assert!(!matches("1", "2"));
}

#[test]
fn items_statements_types_and_attributes() {
    assert!(matches_item(
        "unsafe fn $F(..) { .. }",
        "pub unsafe fn f(a: u8) -> u8 { a }"
    ));
    assert!(!matches_item("unsafe fn $F(..) { .. }", "fn f() {}"));
    assert!(matches_item(
        "fn $F(..) -> Result<..> { .. }",
        "fn f(x: u8) -> Result<u8, E> { x }"
    ));
    assert!(matches_item(
        "fn $F(..) -> Result<..>;",
        "fn f() -> io::Result<()> {}"
    ));
    assert!(!matches_item(
        "fn $F(..) -> Result<..> { .. }",
        "fn f() -> Option<u8> { None }"
    ));
    assert!(matches_item(
        "impl Drop for $T { .. }",
        "impl<T> Drop for Guard<T> { fn drop(&mut self) {} }"
    ));
    assert!(matches_item(
        "use std::mem::forget;",
        "use std::mem::{forget, swap};"
    ));
    assert!(matches_item("mod tests { .. }", "mod tests { fn a() {} }"));
    assert!(matches_item(
        "#[test] fn $F() { .. }",
        "#[test]\nfn check() {}"
    ));
    assert!(!matches_item("#[test] fn $F() { .. }", "fn check() {}"));
    let stmt: syn::Stmt = syn::parse_str("let x: u8 = compute();").unwrap();
    let syn::Stmt::Local(local) = &stmt else {
        panic!()
    };
    assert!(matches_target("let $X = compute();", Target::Local(local)));
    assert!(matches_target("let $X: u8 = $E;", Target::Local(local)));
    assert!(!matches_target("let $X: u16 = $E;", Target::Local(local)));
    let ty: syn::Type = syn::parse_str("std::rc::Rc<RefCell<u8>>").unwrap();
    assert!(matches_target("Rc<$T>", Target::Type(&ty)));
    assert!(!matches_target("Arc<$T>", Target::Type(&ty)));
    let attrs = syn::Attribute::parse_outer
        .parse_str("#[allow(clippy::unwrap_used, dead_code)]")
        .unwrap();
    assert!(matches_target("#[allow(..)]", Target::Attr(&attrs[0])));
    assert!(matches_target(
        "#[allow(.., dead_code)]",
        Target::Attr(&attrs[0])
    ));
    assert!(!matches_target("#[deny(..)]", Target::Attr(&attrs[0])));
}

#[test]
fn statement_sequences_share_metavariables() {
    let pattern = "let $C = dangerous(..); ..; $C.set_verifier(..);";
    assert_eq!(
        matches_block(
            pattern,
            "{ a(); let c = dangerous(1); b(); c.set_verifier(v); d(); }"
        ),
        Some(1..4)
    );
    assert_eq!(
        matches_block(pattern, "{ let c = dangerous(1); other.set_verifier(v); }"),
        None
    );
    assert_eq!(
        matches_block(pattern, "{ c.set_verifier(v); let c = dangerous(1); }"),
        None
    );
}

#[test]
fn macros_match_by_name_then_tokens() {
    assert!(matches("println!(..)", "println!(\"{}\", x)"));
    assert!(matches("println!(\"{}\", $X)", "println!(\"{}\", a.b())"));
    assert!(!matches(
        "println!(\"{}\", $X)",
        "println!(\"{} {}\", a, b)"
    ));
    assert!(matches("dbg!($...ARGS)", "dbg!(a, b)"));
}

#[test]
fn errors_point_into_the_pattern() {
    let (at, message) = Pattern::parse("$X.lock(.unwrap()").unwrap_err();
    assert_eq!(at, 7, "the caret points at the group that does not parse");
    assert!(
        message.contains("does not parse as a Rust expression"),
        "{message}"
    );
    let (at, message) = Pattern::parse("foo(...)").unwrap_err();
    assert_eq!(at, 4);
    assert!(message.contains("$...ARGS"), "{message}");
    assert!(Pattern::parse("$...A").is_err());
    let (_, message) = Pattern::parse("match $X { _ => 1 }").unwrap_err();
    assert!(message.contains("not supported inside"), "{message}");
    let deep = format!("f({}$X{})", "(".repeat(2_600), ")".repeat(2_600));
    assert!(Pattern::parse(&deep).unwrap_err().1.contains("levels deep"));
    let (at, _) = Pattern::parse("fn f(..) -> { }").unwrap_err();
    assert!(at >= 9, "{at}");
}

#[test]
fn words_and_tags() {
    let word = |p: &str| Pattern::parse(p).unwrap().word().map(|w| w.text);
    assert_eq!(word("$X.lock().unwrap()").as_deref(), Some("unwrap"));
    assert_eq!(word("unsafe { .. }").as_deref(), Some("unsafe"));
    assert_eq!(
        word("unsafe { $X.set_len($N) }").as_deref(),
        Some("set_len")
    );
    assert_eq!(
        word("Duration::from_secs($X)").as_deref(),
        Some("from_secs")
    );
    assert_eq!(word("$X"), None);
    assert_eq!(word("impl Drop for $T { .. }"), None);
    assert!(
        Pattern::parse("Rc<$T>")
            .unwrap()
            .tags()
            .contains(Tag::TypePath)
    );
    assert!(
        Pattern::parse("x.f()")
            .unwrap()
            .tags()
            .contains(Tag::MethodCall)
    );
}
