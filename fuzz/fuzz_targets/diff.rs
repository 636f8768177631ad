//! One unified diff through the changed-lines reader.
#![no_main]
// A fuzz target's panic is its finding, as a test's is: it unwraps like a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cargo_codex::select::changes::ChangedLines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let diff = String::from_utf8_lossy(data);
    // A malformed diff is an error, never a panic.
    let Ok(changed) = ChangedLines::parse(&diff) else {
        return;
    };
    for path in changed.files() {
        assert!(changed.touches(path));
        for line in 0..8 {
            let _ = changed.contains(path, line);
        }
    }
});
