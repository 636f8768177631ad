// Near misses: nothing here may be reported.
pub fn fine(text: &str) -> Result<u32, std::num::ParseIntError> {
    let expect = 1; // a local named `expect`
    let s = "call .expect(\"x\") in a string";
    let _ = (expect, s);
    let parsed: u32 = text.parse()?;
    Ok(parsed + text.parse::<u32>().unwrap_or(0))
}

fn expected_value(expected: u32) -> u32 {
    expected
}

struct Parser;
impl Parser {
    fn expect_token(&self) {}
}

fn calls(p: &Parser) {
    p.expect_token();
}

#[cfg(test)]
mod tests {
    #[test]
    fn in_tests() {
        Some(1).expect("fine in tests");
    }
}

#[expect(clippy::expect_used)]
fn annotated() {
    Some(1).expect("clippy expectation covers it");
}

#[allow(clippy::option_expect_used)]
fn renamed_option() {
    Some(1).expect("one");
}

#[allow(clippy::result_expect_used)]
fn renamed_result() {
    "1".parse::<u8>().expect("a byte");
}

#[allow(clippy::restriction)]
fn group() {
    Some(1).expect("one");
}

fn statements(flag: bool) -> Settings {
    #[allow(clippy::expect_used)]
    if flag {
        Some(1).expect("one");
    }
    Settings {
        #[expect(clippy::expect_used)]
        port: Some(2).expect("two"),
    }
}

// Const contexts: a failed `expect` there fails the build.
const SOME: Option<u32> = Some(3);
const EXPECTED: u32 = SOME.expect("SOME is set");
static TABLE: [u8; SOME.expect("a length") as usize] = [0; SOME.expect("a length") as usize];

fn inline_const() -> u32 {
    const { SOME.expect("SOME is set") }
}
