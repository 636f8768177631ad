// Near misses: nothing here may be reported.
use std::collections::HashMap;

pub fn fallbacks(map: &HashMap<String, u32>, text: &str) -> u32 {
    let a = map.get("a").copied().unwrap_or(0);
    let b = map.get("b").copied().unwrap_or_default();
    let c = map.get("c").copied().unwrap_or_else(|| 7);
    let unwrap = 3; // a local named `unwrap`
    let d = unwrap + 1;
    let s = ".unwrap() in a string";
    let r = r#"x.unwrap()"#;
    // x.unwrap() in a comment
    /* y.unwrap() in a block comment */
    let field = Wrapper { unwrap: 1 }.unwrap;
    let e = text.parse::<u32>().unwrap_or(0);
    let _ = (s, r, field, e);
    a + b + c + d
}

struct Wrapper {
    unwrap: u32,
}

/// Doc comment mentioning `.unwrap()` is not code:
/// ```
/// let x = Some(1).unwrap();
/// ```
fn documented() {}

#[cfg(test)]
mod tests {
    #[test]
    fn unwrap_is_fine_in_tests() {
        Some(1).unwrap();
    }
}

#[cfg(all(test, unix))]
fn unix_test_helper() {
    Some(1).unwrap();
}

#[test]
fn top_level_test() {
    Some(1).unwrap();
}

#[tokio::test]
async fn async_test() {
    Some(1).unwrap();
}

#[cfg(test)]
impl Wrapper {
    fn helper(&self) -> u32 {
        Some(self.unwrap).unwrap()
    }
}

#[allow(clippy::unwrap_used)]
fn annotated_for_clippy() {
    Some(1).unwrap();
}

fn suppressed() {
    let v = Some(1).unwrap(); // codex:allow(CX0001) the literal is always Some
    // codex:allow(CX0001) the chain below starts from a constant
    let w = Some(2)
        .map(|x| x + 1)
        .unwrap();
    let _ = (v, w);
}

// A lint attribute counts on every node that carries attributes, as in clippy.
fn allowed_where_written(flag: bool, items: &[Option<u32>]) -> u32 {
    #[allow(clippy::unwrap_used)]
    {
        Some(1).unwrap();
    }
    #[allow(clippy::unwrap_used)]
    if flag {
        Some(2).unwrap();
    }
    #[expect(clippy::unwrap_used)]
    for item in items {
        item.unwrap();
    }
    #[allow(clippy::unwrap_used)]
    while flag {
        Some(3).unwrap();
    }
    #[allow(clippy::unwrap_used)]
    loop {
        Some(4).unwrap();
        break;
    }
    #[allow(clippy::unwrap_used)]
    match flag {
        _ => Some(5).unwrap(),
    };
    #[allow(clippy::unwrap_used)]
    unsafe {
        Some(6).unwrap();
    }
    #[allow(clippy::unwrap_used)]
    let closure = || Some(7).unwrap();
    let settings = Settings {
        #[allow(clippy::unwrap_used)]
        port: Some(8).unwrap(),
    };
    let arm = match flag {
        #[allow(clippy::unwrap_used)]
        true => Some(9).unwrap(),
        false => 0,
    };
    #[allow(clippy::unwrap_used)]
    consume(Some(10).unwrap());
    #[allow(clippy::unwrap_used)]
    let later = async { Some(11).unwrap() };
    let _ = (closure, settings, later);
    arm
}

fn inner_attribute() {
    #![allow(clippy::unwrap_used)]
    Some(1).unwrap();
}

mod inline {
    #![allow(clippy::unwrap_used)]
    fn f() {
        Some(1).unwrap();
    }
}

// The group, renamed names, and the nearest attribute.
#[allow(clippy::restriction)]
fn group() {
    Some(1).unwrap();
}

#[allow(clippy::option_unwrap_used)]
fn renamed_option() {
    Some(1).unwrap();
}

#[expect(clippy::result_unwrap_used)]
fn renamed_result() {
    "1".parse::<u8>().unwrap();
}

#[allow(clippy::unwrap_used)]
fn nearest_wins() {
    #[deny(clippy::unwrap_used)]
    {
        #[allow(clippy::unwrap_used)]
        let _ = Some(1).unwrap();
    }
}

// `#[cfg(test)]` on a statement or expression makes it test code.
fn test_statements() {
    #[cfg(test)]
    {
        Some(1).unwrap();
    }
    #[cfg(test)]
    let _ = Some(2).unwrap();
}

// Const contexts: evaluated while compiling, where a panic fails the build.
const SOME: Option<u32> = Some(3);
const UNWRAPPED: u32 = SOME.unwrap();
static STATIC: u32 = SOME.unwrap();
const _: () = {
    SOME.unwrap();
};
const INLINE: u32 = const { SOME.unwrap() };

fn const_blocks_and_lengths() -> [u8; 4] {
    let _x = const { SOME.unwrap() };
    [0; SOME.unwrap() as usize]
}

struct Buffer<const N: usize = { SOME.unwrap() as usize }> {
    data: [u8; SOME.unwrap() as usize],
}

fn generic<const N: u32>() {}

fn const_generic_argument() {
    generic::<{ SOME.unwrap() }>();
}

enum Code {
    A = SOME.unwrap() as isize,
}

impl Wrapper {
    const LIMIT: u32 = SOME.unwrap();
}

trait Limits {
    const MAX: u32 = SOME.unwrap();
}

thread_local! {
    static CONST_INIT: u32 = const { SOME.unwrap() };
}

// `cfg_attr` lint levels that hold in clippy's library build count.
#[cfg_attr(not(test), allow(clippy::unwrap_used))]
fn allowed_outside_tests() {
    Some(1).unwrap();
}

#[cfg_attr(clippy, allow(clippy::unwrap_used))]
fn allowed_for_clippy() {
    Some(1).unwrap();
}

#[cfg_attr(all(), cfg_attr(any(clippy, feature = "x"), allow(clippy::unwrap_used)))]
fn allowed_nested() {
    Some(1).unwrap();
}

#[allow(clippy::r#unwrap_used)]
fn raw_lint_name() {
    Some(1).unwrap();
}

#[cfg(not(not(test)))]
fn double_negation_is_test() {
    Some(1).unwrap();
}

// The project's own associated function called `unwrap` is not `Option::unwrap`.
use crate::parser::MatchesError;

fn own_unwrap(id: &str, found: Result<u32, MatchesError>) -> u32 {
    MatchesError::unwrap(id, found)
}

impl Wrapper {
    fn unwrap(self) -> u32 {
        self.unwrap
    }

    fn own(self) -> u32 {
        Self::unwrap(self)
    }
}
