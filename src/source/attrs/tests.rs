//! Tests of what attributes say: `cfg` predicates, test attributes, clippy lint levels.

use super::*;

fn attr(text: &str) -> Attribute {
    let item: syn::ItemFn = syn::parse_str(&format!("{text} fn f() {{}}")).unwrap();
    item.attrs.into_iter().next().unwrap()
}

#[test]
fn cfg_predicates() {
    assert!(is_cfg_test(&attr("#[cfg(test)]")));
    assert!(is_cfg_test(&attr("#[cfg(all(test, unix))]")));
    assert!(is_cfg_test(&attr("#[cfg(all(unix, any(test, test)))]")));
    assert!(!is_cfg_test(&attr("#[cfg(any(test, feature = \"x\"))]")));
    assert!(!is_cfg_test(&attr("#[cfg(not(test))]")));
    assert!(!is_cfg_test(&attr("#[cfg(unix)]")));
    assert!(!is_cfg_test(&attr("#[cfg_attr(test, derive(Debug))]")));
    assert!(is_cfg_test(&attr("#[cfg(not(not(test)))]")));
    assert!(is_cfg_test(&attr("#[cfg(all(test, not(clippy)))]")));
    assert!(!is_cfg_test(&attr("#[cfg(any())]")));
    assert!(!is_cfg_test(&attr("#[cfg(all(test, not(test)))]")));
    assert!(!is_cfg_test(&attr("#[cfg(not(clippy))]")));
}

#[test]
fn test_attributes() {
    assert!(is_test_attribute(&attr("#[test]")));
    assert!(is_test_attribute(&attr(
        "#[tokio::test(flavor = \"multi_thread\")]"
    )));
    assert!(!is_test_attribute(&attr("#[inline]")));
    assert!(!is_test_attribute(&attr("#[my::testing]")));
    assert!(!is_test_attribute(&attr("#[rustfmt::test]")));
    assert!(!is_test_attribute(&attr("#[clippy::test]")));
}

#[test]
fn clippy_lints_and_paths() {
    let levels_in = |text: &str, test: bool| -> Vec<String> {
        clippy_allows(&[attr(text)], test)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let levels = |text: &str| levels_in(text, false);
    assert_eq!(
        levels("#[allow(clippy::unwrap_used, dead_code, reason = \"x\")]"),
        ["#[allow(clippy::unwrap_used)]"]
    );
    assert_eq!(
        levels("#[expect(clippy::panic)]"),
        ["#[expect(clippy::panic)]"]
    );
    assert_eq!(
        levels("#[forbid(clippy::restriction, clippy::todo)]"),
        ["#[forbid(clippy::restriction)]", "#[forbid(clippy::todo)]"]
    );
    assert!(levels("#[rustfmt::allow(clippy::panic)]").is_empty());
    assert_eq!(
        levels("#[allow(clippy :: r#unwrap_used, r#clippy::todo)]"),
        ["#[allow(clippy::unwrap_used)]", "#[allow(clippy::todo)]"]
    );
}

#[test]
fn cfg_attr_levels_count_where_clippy_sees_them() {
    let levels = |text: &str, test: bool| -> Vec<String> {
        clippy_allows(&[attr(text)], test)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let panic = ["#[allow(clippy::panic)]"];
    // Unknown options (features, targets) decide nothing: the attribute does not count.
    assert!(levels("#[cfg_attr(x, allow(clippy::panic))]", false).is_empty());
    assert!(
        levels(
            "#[cfg_attr(feature = \"cargo-clippy\", allow(clippy::panic))]",
            false
        )
        .is_empty()
    );
    assert!(levels("#[cfg_attr(test, allow(clippy::panic))]", false).is_empty());
    assert_eq!(
        levels("#[cfg_attr(test, allow(clippy::panic))]", true),
        panic
    );
    assert_eq!(
        levels("#[cfg_attr(not(test), allow(clippy::panic))]", false),
        panic
    );
    assert!(levels("#[cfg_attr(not(test), allow(clippy::panic))]", true).is_empty());
    assert_eq!(
        levels("#[cfg_attr(clippy, allow(clippy::panic))]", false),
        panic
    );
    assert_eq!(
        levels("#[cfg_attr(all(), allow(clippy::panic))]", false),
        panic
    );
    assert!(levels("#[cfg_attr(any(), allow(clippy::panic))]", false).is_empty());
    assert_eq!(
        levels("#[cfg_attr(any(x, clippy), allow(clippy::panic))]", false),
        panic
    );
    assert!(levels("#[cfg_attr(all(x, clippy), allow(clippy::panic))]", false).is_empty());
    assert!(levels("#[cfg_attr(all(test, x), allow(clippy::panic))]", false).is_empty());
    assert!(levels("#[cfg_attr(not(x), allow(clippy::panic))]", false).is_empty());
    assert_eq!(
        levels(
            "#[cfg_attr(clippy, cfg_attr(all(), allow(clippy::panic), deny(clippy::todo)), inline)]",
            false
        ),
        ["#[allow(clippy::panic)]", "#[deny(clippy::todo)]"]
    );
    assert!(levels("#[cfg_attr(clippy)]", false).is_empty());
    assert!(
        levels(
            "#[cfg_attr(not(clippy, test), allow(clippy::panic))]",
            false
        )
        .is_empty()
    );
    assert_eq!(
        path_attribute(&[attr("#[path = \"x/y.rs\"]")]).as_deref(),
        Some("x/y.rs")
    );
}
