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

pub fn guarded(results: &HashMap<String, u32>, key: String, other: &String) -> u32 {
    let mut total = 0;
    if results.contains_key(&key) {
        total += results[&key];
    }
    if results.get(&key).is_some() {
        total += results[&key.clone()];
    }
    if let Some(_) = results.get(&key) {
        total += results[&key];
    }
    if results.contains_key(&key) && results.contains_key(other) {
        total += results[&key] + results[&other.clone()];
    }
    if results.contains_key(&key) && results[&key] > 0 {
        total += 1;
    }
    if !results.contains_key(&key) || results[&key] == 0 {
        total += 1;
    }
    if !results.contains_key(&key) {
        total += 1;
    } else {
        total += results[&key];
    }
    total
}

pub fn early_exits(results: &HashMap<String, u32>, keys: &[String], key: String) -> u32 {
    let mut total = 0;
    for k in keys {
        if !results.contains_key(k) {
            continue;
        }
        total += results[&k.clone()];
    }
    if results.get(&key).is_none() {
        return total;
    }
    total += results[&key];
    let Some(_) = results.get(&key) else {
        return 0;
    };
    total + results[&key]
}

pub fn inserted_first(results: &mut HashMap<String, u32>, key: String) -> u32 {
    results.insert(key.clone(), 1);
    let first = results[&key];
    results.entry(key.clone()).or_insert(2);
    first + results[&key]
}

pub fn asserted(results: &HashMap<String, u32>, key: String) -> u32 {
    assert!(results.contains_key(&key), "{key} was registered at start-up");
    results[&key]
}

pub fn in_a_struct(state: &State, id: u64) -> u32 {
    if !state.results.contains_key(&id) {
        return 0;
    }
    state.results[&id]
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
