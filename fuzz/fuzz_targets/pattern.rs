//! A `pattern` rule's text through the pattern compiler, then matched against an expression
//! and against the items of a file. The input is `PATTERN\nCODE`. The pattern compiles on the calling thread, as the Codex
//! loads on the main thread; the expression is parsed and matched on a thread with the engine's
//! worker stack, as the engine does it.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::Cell;

use cargo_codex::codex::pattern::matching::item_target;
use cargo_codex::codex::pattern::{Matching, Pattern, Target};
use libfuzzer_sys::fuzz_target;

/// The engine's worker stack (`engine::WORKER_STACK`): reserved, not committed.
const WORKER_STACK: usize = 256 << 20;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern, expression) = text.split_once('\n').unwrap_or((text, ""));
    let Ok(pattern) = Pattern::parse(pattern) else {
        return;
    };
    let expression = expression.to_owned();
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let resolve = |path: &[String]| vec![path.to_vec()];
            // As the engine does: a budget of search steps proportional to the input.
            let budget = Cell::new(expression.len().saturating_mul(64).max(1 << 12));
            if let Ok(expr) = syn::parse_str::<syn::Expr>(&expression) {
                let _ = Matching::new(&resolve, &budget).root(&pattern.root, Target::Expr(&expr));
            }
            if let Ok(file) = syn::parse_file(&expression) {
                for item in &file.items {
                    let _ = Matching::new(&resolve, &budget).root(&pattern.root, item_target(item));
                }
            }
        })
        .unwrap()
        .join()
        .unwrap();
});
