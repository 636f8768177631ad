//! Tests of checking one file: the depth limit against the stack it is derived from.

use super::check_text;
use crate::codex::{Overrides, Sources, load};
use crate::source::lex;
use crate::text::LineIndex;

type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

/// One item per shape that recurses in syn or the walk, `n` levels or links deep, with a
/// finding inside so the walk goes all the way down.
fn shapes() -> Vec<Shape> {
    fn shape(name: &'static str, make: impl Fn(usize) -> String + 'static) -> Shape {
        (name, Box::new(make))
    }
    vec![
        shape("parens", |n| {
            format!(
                "fn f() {{ let x = {}a.unwrap(){}; }}",
                "(".repeat(n),
                ")".repeat(n)
            )
        }),
        shape("refs", |n| {
            format!("fn f(x: {}u8) {{ a.unwrap(); }}", "&".repeat(n))
        }),
        shape("generics", |n| {
            format!(
                "fn f(x: {}u8{}) {{ a.unwrap(); }}",
                "V<".repeat(n),
                ">".repeat(n)
            )
        }),
        shape("closures", |n| {
            format!("fn f() {{ let x = {}a.unwrap(); }}", "|x| ".repeat(n))
        }),
        shape("returns", |n| {
            format!("fn f() {{ {}a.unwrap(); }}", "return ".repeat(n))
        }),
        shape("fn types", |n| {
            format!("fn f(x: {}u8) {{ a.unwrap(); }}", "fn() -> ".repeat(n))
        }),
        shape("blocks", |n| {
            format!("fn f() {{ {}a.unwrap(){} }}", "{".repeat(n), "}".repeat(n))
        }),
        shape("assignments", |n| {
            format!("fn f() {{ {}a.unwrap(); }}", "a = ".repeat(n))
        }),
        shape("bindings", |n| {
            format!("fn f() {{ let {}1 = 1; a.unwrap(); }}", "a @ ".repeat(n))
        }),
        shape("use paths", |n| {
            format!("use {}b;\nfn f() {{ a.unwrap(); }}", "a::".repeat(n))
        }),
        shape("macros", |n| {
            format!(
                "fn f() {{ {}a.unwrap(){}; }}",
                "vec![".repeat(n),
                "]".repeat(n)
            )
        }),
        shape("token macros", |n| {
            format!(
                "fn f() {{ {}a.unwrap(){}; }}",
                "m!(=> ".repeat(n),
                ")".repeat(n)
            )
        }),
        shape("inline mods", |n| {
            format!(
                "{}fn f() {{ a.unwrap(); }}{}",
                "mod m { ".repeat(n),
                "}".repeat(n)
            )
        }),
        shape("chains", |n| {
            format!("fn f() {{ a{}; }}", ".unwrap()".repeat(n))
        }),
        shape("sums", |n| {
            format!("fn f() {{ a.unwrap(){}; }}", " + a".repeat(n))
        }),
        shape("else ifs", |n| {
            format!(
                "fn f() {{ if a {{}} {} a.unwrap(); }}",
                "else if a {} ".repeat(n)
            )
        }),
    ]
}

/// Whether every item of `text` is within `limit` by the estimate alone (no parse).
fn within(text: &str, limit: usize) -> bool {
    lex::lex(text, limit).is_ok_and(|lexed| lexed.depth <= limit)
}

/// Whatever the bound lets through fits the stack the bound is derived from, in a debug
/// build (the worst case: frames are several times larger than in release). For each shape,
/// the largest item the estimate admits is checked on a thread with exactly that stack.
#[test]
fn the_depth_limit_fits_the_stack_it_is_derived_from() {
    let sources = Sources {
        embedded: true,
        ..Sources::default()
    };
    let codex = load::load(&sources, &Overrides::default()).unwrap();
    for stack in [4 << 20, 16 << 20, 64 << 20] {
        let limit = crate::engine::depth_limit(stack);
        for (name, make) in shapes() {
            // The largest admitted size: the estimate grows with the size.
            let (mut low, mut high) = (1, 64 * limit);
            assert!(!within(&make(high), limit), "{name} is counted");
            while high - low > 1 {
                let middle = usize::midpoint(low, high);
                if within(&make(middle), limit) {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            let text = make(low);
            let checked = std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .stack_size(stack)
                    .spawn_scoped(scope, || {
                        let lines = LineIndex::new(&text);
                        let checked = check_text(&codex, &text, &lines, limit);
                        proc_macro2::extra::invalidate_current_thread_spans();
                        checked
                    })
                    .unwrap()
                    .join()
                    .unwrap()
            });
            assert!(
                checked.problems.is_empty() && !checked.findings.is_empty(),
                "{name} of size {low} at limit {limit}: {:?}",
                checked.problems.first().map(|p| &p.message)
            );
            let over = make(high);
            let checked = check_text(&codex, &over, &LineIndex::new(&over), limit);
            assert_eq!(
                checked.problems.len(),
                1,
                "{name} past the limit is reported"
            );
        }
    }
}
