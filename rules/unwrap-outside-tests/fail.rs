// Each line marked `//~ CX0001` must be reported, and no other.
use std::collections::HashMap;

macro_rules! first {
    ($v:expr) => {
        $v.first().unwrap() //~ CX0001
    };
}

pub fn load(text: &str, map: &HashMap<String, u32>) -> u32 {
    let port: u32 = text.parse().unwrap(); //~ CX0001
    let size = text
        .split(',')
        .next()
        .unwrap() //~ CX0001
        .len();
    let err = "x".parse::<u8>().unwrap_err(); //~ CX0001
    let qualified = Option::unwrap(map.get("a")); //~ CX0001
    let full = std::result::Result::unwrap(text.parse::<u32>()); //~ CX0001
    let values: Vec<u32> = vec![text.parse()].into_iter().map(Result::unwrap).collect(); //~ CX0001
    let generic = <Option<&u32>>::unwrap(map.get("b")); //~ CX0001
    println!("{} {}", port, map.get("k").unwrap()); //~ CX0001
    let message = format!("{:?}", text.parse::<u8>().unwrap()); //~ CX0001
    assert!(text.parse::<u8>().unwrap() > 0); //~ CX0001
    debug_assert_eq!(map.get("z").unwrap(), &1); //~ CX0001
    let list = vec![map.get("a").unwrap(), map.get("b").unwrap()]; //~ CX0001 CX0001
    let matched = matches!(map.get("q"), Some(v) if v.checked_add(1).unwrap() > 2); //~ CX0001
    let nested = format!("{}", format!("{}", map.get("n").unwrap())); //~ CX0001
    custom!(value => value.unwrap()); //~ CX0001
    let closure = |s: &str| s.parse::<u32>().unwrap(); //~ CX0001
    let _ = (size, err, qualified, full, values, generic, message, list, matched, nested, closure);
    first!(vec![1u32])
        + port
}

#[cfg(any(test, feature = "testing"))]
fn compiled_outside_tests_too() {
    Some(1).unwrap(); //~ CX0001
}

#[cfg(not(test))]
fn not_test() {
    Some(1).unwrap(); //~ CX0001
}

impl Loader {
    fn reload(&self) -> u32 {
        self.current.lock().unwrap().len() //~ CX0001
    }
}

const DEFAULT: u32 = {
    match Some(3) {
        Some(v) => v,
        None => 0,
    }
};

static LAZY: std::sync::LazyLock<u32> = std::sync::LazyLock::new(|| "1".parse().unwrap()); //~ CX0001

// The nearest lint attribute wins: a `warn` or `deny` inside an `allow` reports again.
#[allow(clippy::unwrap_used)]
fn re_enabled(flag: bool) {
    #[warn(clippy::unwrap_used)]
    if flag {
        Some(1).unwrap(); //~ CX0001
    }
    #[deny(clippy::restriction)]
    let _ = Some(2).unwrap(); //~ CX0001
}

// No attribute further in can allow a lint that is forbidden.
#[forbid(clippy::unwrap_used)]
mod strict {
    #[allow(clippy::unwrap_used)]
    fn cannot_allow() {
        Some(1).unwrap(); //~ CX0001
    }
}

// `clippy::all` and `clippy::pedantic` do not cover restriction lints; other lints are other lints.
#[allow(clippy::all, clippy::pedantic, clippy::expect_used, clippy::panic)]
fn other_lints() {
    Some(1).unwrap(); //~ CX0001
}

// An attribute covers its own statement, not the next one.
fn sibling() {
    #[allow(clippy::unwrap_used)]
    let _a = Some(1).unwrap();
    let _b = Some(2).unwrap(); //~ CX0001
}

// Code that runs: a `const fn` body, closures and functions defined in a const initializer, and
// the initializers of `thread_local!`.
const fn first_or_zero(v: Option<u32>) -> u32 {
    v.unwrap() //~ CX0001
}

const MAKE: fn() -> u32 = || "1".parse().unwrap(); //~ CX0001

const _: () = {
    impl Loader {
        fn in_an_anonymous_const(&self) -> u32 {
            Some(1).unwrap() //~ CX0001
        }
    }
};

thread_local! {
    static PER_THREAD: u32 = "1".parse().unwrap(); //~ CX0001
}

// No lint level written on a macro invocation reaches its expansion (rustc: unused attribute).
fn allowed_on_an_invocation() {
    #[allow(clippy::unwrap_used)]
    println!("{}", Some(1).unwrap()); //~ CX0001
}

#[allow(clippy::unwrap_used)]
custom_items! {
    fn expanded() {
        Some(1).unwrap(); //~ CX0001
    }
}

// `cfg_attr` counts in the build clippy lints: not a test build; features are not known.
#[cfg_attr(test, allow(clippy::unwrap_used))]
fn allowed_in_test_builds() {
    Some(1).unwrap(); //~ CX0001
}

#[cfg_attr(feature = "cargo-clippy", allow(clippy::unwrap_used))]
fn allowed_with_a_feature() {
    Some(1).unwrap(); //~ CX0001
}

// `clippy::all` is not the restriction group.
#[allow(clippy::all)]
fn all_is_not_restriction() {
    Some(1).unwrap(); //~ CX0001
}
