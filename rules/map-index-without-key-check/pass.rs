// Near misses: nothing here may be reported.
use std::collections::HashMap;

pub fn checked(results: &HashMap<String, u32>, rule: &str, v: &[u32]) -> u32 {
    let found = results.get(rule).copied().unwrap_or_default();
    let by_value = v[0] + v[v.len() - 1];
    let slice = &v[1..];
    let types: &[&str] = &["a", "b"];
    let array = [&found, &by_value];
    let _ = (slice, types, array);
    found + by_value
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[test]
    fn indexing_in_tests_is_fine() {
        let map: HashMap<String, u32> = HashMap::new();
        let _ = map[&"k".to_owned()];
    }
}
