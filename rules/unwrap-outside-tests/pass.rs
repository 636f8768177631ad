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
