//! A rule's public references: where a rule adopted from a public ruleset, an advisory or a
//! write-up comes from, cited beside (or instead of) the project's own incident records. A
//! reference is a web link or an advisory id; ids are linked to their public record.

/// Why a reference is not one: what a rule file may write instead.
pub const FORMS: &str = "a link (`https://…`) or an advisory id (`CVE-2023-44487`, \
                         `GHSA-qppj-fm5r-hxr3`, `RUSTSEC-2024-0001`, `CWE-400`)";

/// Whether `text` is a reference: an `http(s)` link, or a CVE, GHSA, RUSTSEC or CWE id.
pub fn is_reference(text: &str) -> bool {
    is_link(text) || link(text).is_some()
}

/// The public record of an advisory id (`CVE-…`, `GHSA-…`, `RUSTSEC-…`, `CWE-…`); a link is
/// its own. `None` for anything else.
pub fn link(text: &str) -> Option<String> {
    if is_link(text) {
        return Some(text.to_owned());
    }
    if let Some(rest) = text.strip_prefix("CVE-") {
        let (year, number) = rest.split_once('-')?;
        return (digits(year, 4, 4) && digits(number, 4, 19))
            .then(|| format!("https://www.cve.org/CVERecord?id={text}"));
    }
    if let Some(rest) = text.strip_prefix("RUSTSEC-") {
        let (year, number) = rest.split_once('-')?;
        return (digits(year, 4, 4) && digits(number, 4, 4))
            .then(|| format!("https://rustsec.org/advisories/{text}.html"));
    }
    if let Some(rest) = text.strip_prefix("GHSA-") {
        let groups: Vec<&str> = rest.split('-').collect();
        let valid = groups.len() == 3
            && groups.iter().all(|group| {
                group.len() == 4
                    && group
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        return valid.then(|| format!("https://github.com/advisories/{text}"));
    }
    if let Some(number) = text.strip_prefix("CWE-") {
        return digits(number, 1, 6)
            .then(|| format!("https://cwe.mitre.org/data/definitions/{number}.html"));
    }
    None
}

/// `http://` or `https://`, a host, and no blank or control character.
fn is_link(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// Whether `text` is `min..=max` ASCII digits.
fn digits(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_advisory_ids() {
        for good in [
            "https://example.com/post-mortem",
            "http://example.com",
            "CVE-2023-44487",
            "RUSTSEC-2024-0001",
            "GHSA-qppj-fm5r-hxr3",
            "CWE-400",
        ] {
            assert!(is_reference(good), "{good}");
        }
        for bad in [
            "",
            "example.com",
            "https://",
            "https:///path",
            "https://a b",
            "CVE-23-1",
            "cve-2023-44487",
            "RUSTSEC-2024-1",
            "GHSA-QPPJ-fm5r-hxr3",
            "CWE-",
            "the incident",
        ] {
            assert!(!is_reference(bad), "{bad}");
        }
        assert_eq!(
            link("RUSTSEC-2024-0001").as_deref(),
            Some("https://rustsec.org/advisories/RUSTSEC-2024-0001.html")
        );
    }
}
