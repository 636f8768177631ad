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
