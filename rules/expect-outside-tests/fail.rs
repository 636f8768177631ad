// Each line marked `//~ CX0002` must be reported, and no other.
pub fn load(text: &str) -> u32 {
    let port: u32 = text.parse().expect("port is a number"); //~ CX0002
    let err = "x".parse::<u8>().expect_err("must fail"); //~ CX0002
    let qualified = Option::expect(Some(1), "present"); //~ CX0002
    let full = core::result::Result::expect(text.parse::<u32>(), "number"); //~ CX0002
    let chained = text
        .split(',')
        .next()
        .expect("one field"); //~ CX0002
    println!("{}", text.parse::<u8>().expect("a byte")); //~ CX0002
    tracing_like!(value = ?text.parse::<u8>().expect("byte")); //~ CX0002
    let _ = (err, qualified, full, chained);
    port
}

#[cfg(any(test, feature = "x"))]
fn not_only_tests() {
    Some(1).expect("one"); //~ CX0002
}

// `unwrap_used` is another lint; `warn` nearer than an `allow` reports again.
#[allow(clippy::unwrap_used)]
fn other_lint() {
    Some(1).expect("one"); //~ CX0002
}

#[allow(clippy::expect_used)]
fn re_enabled() {
    #[warn(clippy::expect_used)]
    {
        Some(1).expect("one"); //~ CX0002
    }
}

// A `static` made lazily runs its closure at run time.
static LAZY: std::sync::LazyLock<u32> = std::sync::LazyLock::new(|| "1".parse().expect("one")); //~ CX0002
