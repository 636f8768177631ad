// Code that does not load a file or payload: the rule is not listed for it.
pub fn serialize(features: &[Feature]) -> String {
    serde_json::to_string(features).unwrap_or_default()
}

pub fn parse_port(text: &str) -> Option<u16> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn loads_a_fixture() {
        let features: Vec<u8> = serde_json::from_str("[]").unwrap();
        assert!(features.is_empty());
    }
}
