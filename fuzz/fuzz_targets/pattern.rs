//! A `pattern` rule's text through the pattern compiler, then matched against an expression.
//! The input is `PATTERN\nEXPRESSION`. The pattern compiles on the calling thread, as the Codex
//! loads on the main thread; the expression is parsed and matched on a thread with the engine's
//! worker stack, as the engine does it.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cargo_codex::codex::pattern::{Matching, Pattern};
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
    let _ = pattern.anchor();
    let expression = expression.to_owned();
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let Ok(expr) = syn::parse_str::<syn::Expr>(&expression) else {
                return;
            };
            let resolve = |path: &[String]| vec![path.to_vec()];
            let mut matching = Matching::new(&resolve);
            let _ = matching.matches(&pattern.root, &expr);
            if let syn::Expr::Macro(mac) = &expr {
                let _ = Matching::matches_macro(&pattern.root, &mac.mac);
            }
        })
        .unwrap()
        .join()
        .unwrap();
});
